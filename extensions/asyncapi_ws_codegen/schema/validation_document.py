"""``schemas.json`` of a generated package: the parts of the document its validators need.

Each payload class validates against ``{"$ref": "#<pointer>", ...document}``, so the pruned document
keeps every schema at its original JSON pointer; ``$ref``s between schemas then resolve unchanged.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from ..errors import unescape_pointer_token
from ..load.data_keys import holds_data
from ..pytext.regex_dialect import python_regex

# Where a schema holds subschemas (draft 7 to 2020-12): a name -> schema mapping, a list, or one.
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_SUBSCHEMA_SINGLE = (
    "not",
    "additionalProperties",
    "additionalItems",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "items",
    "unevaluatedProperties",
    "unevaluatedItems",
)


def prune_document(needed: set[str], absent: set[str], node_at: Callable[[str, str], Any]) -> dict[str, Any]:
    """Copy the nodes at ``needed`` pointers (and all they reference) into a new document.

    ``needed`` grows with the references found; pointers in ``absent`` (a message without payload)
    get the empty schema. ``node_at(pointer, referrer)`` reads the source document.
    """
    pruned: dict[str, Any] = {}
    done: set[str] = set()
    # A heap: pointers come out in sorted order, so a subtree is copied before anything inside it.
    pending = sorted(p for p in needed if "/x-merged" not in p)
    # Referenced schemas may reference others: close over $refs inside the copied subtrees.
    while pending:
        pointer = heapq.heappop(pending)
        if _inside(pointer, done):
            continue
        node = {} if pointer in absent else node_at(pointer, pointer)
        for ref in _refs_in(node):
            if ref not in needed:
                needed.add(ref)
                heapq.heappush(pending, ref)
        done.add(pointer)
        tokens = [unescape_pointer_token(t) for t in pointer.split("/")[1:]]
        _set_at(pruned, tokens, python_patterns(draft7_compatible(node)))
    return pruned


def draft7_compatible(node: Any) -> Any:
    """A copy of a schema where ``prefixItems`` (2020-12 tuples) is spelt the draft 7 way.

    Draft 7 validators ignore ``prefixItems``; ``items: [...]`` plus ``additionalItems`` says the
    same thing, so tuples are checked position by position, as their Python types promise.
    """
    if isinstance(node, list):
        return [draft7_compatible(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: draft7_compatible(value) for key, value in node.items()}
    prefix = copy.get("prefixItems")
    if isinstance(prefix, list) and not isinstance(node.get("items"), list):
        del copy["prefixItems"]
        if "items" in copy:
            copy["additionalItems"] = copy["items"]
        copy["items"] = prefix
    return copy


def python_patterns(schema: Any) -> Any:
    """A copy of a schema whose ``pattern`` and ``patternProperties`` regexes Python reads as meant.

    Only schema positions are rewritten: ``enum``, ``const``, ``default`` and ``examples`` are
    data, and a ``pattern`` key inside them stays as written.
    """
    if not isinstance(schema, dict):
        return schema
    copy = dict(schema)
    if isinstance(copy.get("pattern"), str):
        copy["pattern"] = python_regex(copy["pattern"])
    for key in _SUBSCHEMA_MAPS:
        if isinstance(copy.get(key), dict):
            copy[key] = {
                (python_regex(name) if key == "patternProperties" else name): python_patterns(value)
                for name, value in copy[key].items()
            }
    for key in _SUBSCHEMA_LISTS:
        if isinstance(copy.get(key), list):
            copy[key] = [python_patterns(value) for value in copy[key]]
    for key in _SUBSCHEMA_SINGLE:
        if isinstance(copy.get(key), dict):
            copy[key] = python_patterns(copy[key])
    return copy


def _inside(pointer: str, copied: set[str]) -> bool:
    """Whether ``pointer`` or one of its ancestors is in ``copied`` (a set lookup per level)."""
    if pointer in copied:
        return True
    cut = pointer.rfind("/")
    while cut >= 0:
        if pointer[:cut] in copied:
            return True
        cut = pointer.rfind("/", 0, cut)
    return False


def _refs_in(node: Any) -> list[str]:
    """The internal references in a schema, not those in its example data (``default`` ...)."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        item, container = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found.append(ref[1:])
            stack.extend((value, key) for key, value in item.items() if not holds_data(container, key))
        elif isinstance(item, list):
            stack.extend((value, container) for value in item)
    return found


def _set_at(root: dict[str, Any], tokens: list[str], value: Any) -> None:
    node: Any = root
    for token in tokens[:-1]:
        if isinstance(node, list):
            node = node[int(token)]
            continue
        if token not in node:
            node[token] = {}
        node = node[token]
    if tokens and isinstance(node, dict):
        node[tokens[-1]] = value
