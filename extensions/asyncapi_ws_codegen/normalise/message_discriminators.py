"""How the runtime tells messages apart on a shared connection: properties fixed to one value."""

from __future__ import annotations

from typing import Any

from ..errors import join_pointer
from ..pytext.literals import python_literal
from .nodes import Deref


def discriminator(deref: Deref, schema: Any, pointer: str) -> tuple[tuple[str, str, bool], ...]:
    """Properties whose schema admits exactly one value (``const`` or a one-value ``enum``).

    Looks into ``allOf`` members too. The runtime uses these as a sound pre-filter: a frame whose
    property has another value, or lacks a required one, cannot be this message.
    """
    root, root_pointer = deref(schema, pointer)
    parts: list[dict[str, Any]] = []
    pending = [(root, root_pointer)]
    while pending and len(parts) < 32:
        node, node_pointer = pending.pop(0)
        if not isinstance(node, dict):
            continue
        parts.append(node)
        members = node.get("allOf")
        if isinstance(members, list):
            pending += [deref(m, join_pointer(node_pointer, "allOf", i)) for i, m in enumerate(members)]
    required: set[str] = set()
    fixed: dict[str, Any] = {}
    for part in parts:
        if isinstance(part.get("required"), list):
            required.update(str(name) for name in part["required"])
        properties = part.get("properties")
        if not isinstance(properties, dict):
            continue
        for wire, prop in properties.items():
            prop, _ = deref(prop, "")
            if not isinstance(prop, dict):
                continue
            if "const" in prop:
                value = prop["const"]
            elif isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
                value = prop["enum"][0]
            else:
                continue
            if value is None or isinstance(value, (str, int, float, bool)):
                fixed.setdefault(str(wire), value)
    return tuple((wire, python_literal(value), wire in required) for wire, value in fixed.items())
