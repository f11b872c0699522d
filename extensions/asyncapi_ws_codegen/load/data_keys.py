"""Where a document holds data rather than structure: a ``$ref`` key there is not a reference.

The values of ``examples``, ``example``, ``default``, ``const`` and ``enum`` are what a message may
carry (``{"$ref": "..."}`` is a valid example of a JSON object), so nothing follows references in
them: not the loader, not the internal reference checks, not ``schemas.json``. JSON Schema
validators read them as data too. Inside a mapping of names (``properties``, ``components/schemas``
...) the same words are names: a property called ``default`` is a schema like any other.
"""

from __future__ import annotations

DATA_KEYS = frozenset({"examples", "example", "default", "const", "enum"})
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "dependencies",
        "channels",
        "operations",
        "messages",
        "schemas",
        "parameters",
        "servers",
        "variables",
        "securitySchemes",
        "serverVariables",
        "correlationIds",
        "operationTraits",
        "messageTraits",
        "replies",
        "replyAddresses",
        "serverBindings",
        "channelBindings",
        "operationBindings",
        "messageBindings",
    }
)


def holds_data(container: str, key: str) -> bool:
    """Whether the value at ``key`` is data, in a mapping found under the key ``container``."""
    return key in DATA_KEYS and container not in NAME_MAPS
