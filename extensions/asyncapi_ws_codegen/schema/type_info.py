"""Building blocks of the schema compiler: the type record, JSON type tables, object views, and
the draft of a model under construction.

Nothing here names classes or walks ``$ref`` chains; :mod:`.compiler` and the modules it uses do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..ir import UnionDecoder
from ..ir.code_fragments import HOLE

# JSON type -> Python annotation for values kept as they are on the wire.
PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
# ``isinstance`` checks that tell JSON types apart in a decoded document (bool is not an int here).
JSON_TYPE_TEST = {
    "string": "isinstance($, str)",
    "integer": "(isinstance($, int) and not isinstance($, bool))",
    "number": "(isinstance($, (int, float)) and not isinstance($, bool))",
    "boolean": "isinstance($, bool)",
    "null": "$ is None",
    "array": "isinstance($, list)",
    "object": "isinstance($, dict)",
}
# Formats given a richer Python type: only those whose text form round-trips exactly once the value
# passed the format check (see docs/payloads.md for the others and why they stay ``str``).
TYPED_FORMATS = {
    "date": ("_dt.date", "$.isoformat()", "_dt.date.fromisoformat($)"),
}


@dataclass(frozen=True)
class TypeInfo:
    """A Python type for a schema, with conversion code (:data:`HOLE` stands for the value)."""

    annotation: str
    encode: str = HOLE
    decode: str = HOLE
    nullable: bool = False
    # Symbols the generated module must import for this type (``datetime``, ``to_data``...).
    needs: frozenset[str] = frozenset()

    @property
    def is_plain(self) -> bool:
        """Whether values are kept exactly as JSON data (no conversion either way)."""
        return self.encode == HOLE and self.decode == HOLE


# Any JSON value, ``null`` included: an optional property of this type is ``Any | Unset``, so an
# explicit ``null`` (which ``{}`` or a ``not``-only schema allows) is told apart from absence.
ANY = TypeInfo("Any", nullable=True)


def literal_value_ok(value: Any) -> bool:
    """Whether ``value`` can appear in ``typing.Literal`` (str, int, bool, None; not float)."""
    return value is None or isinstance(value, (str, int, bool))


@dataclass
class ObjectView:
    """An object schema with ``allOf`` members merged in; each property keeps its own pointer."""

    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    # ``additionalProperties``: True (anything), False, or (schema, pointer).
    additional: Any = True
    pattern_properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    description: str = ""
    # Whether other keywords constrain the object as a whole (then examples stay minimal).
    constrained: bool = False

    def add_property(self, name: str, schema: Any, pointer: str) -> None:
        """Add a property; the same name twice means the value must satisfy both schemas."""
        if name in self.properties:
            previous, previous_pointer = self.properties[name]
            if previous != schema:
                self.properties[name] = ({"allOf": [previous, schema]}, previous_pointer + "/x-merged")
            return
        self.properties[name] = (schema, pointer)

    def require(self, names: Any) -> None:
        """Add required property names (in order, once)."""
        if isinstance(names, list):
            for name in names:
                if isinstance(name, str) and name not in self.required:
                    self.required.append(name)


_OBJECT_CONSTRAINTS = (
    "oneOf",
    "anyOf",
    "not",
    "if",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "maxProperties",
    "minProperties",
    "propertyNames",
)


def object_constrained(schema: dict[str, Any]) -> bool:
    """Whether keywords beyond properties/required shape which objects are valid."""
    return any(key in schema for key in _OBJECT_CONSTRAINTS)


@dataclass
class ModelDraft:
    """What a model under construction collects besides its fields."""

    decoders: list[UnionDecoder] = field(default_factory=list)
    needs: set[str] = field(default_factory=set)
