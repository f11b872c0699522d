"""``bindings.ws`` of a channel: the query parameters and headers of the WebSocket handshake."""

from __future__ import annotations

from typing import Any

from ..errors import join_pointer
from ..ir import HandshakeField
from ..pytext.identifiers import Namespace, snake_case
from ..pytext.literals import python_literal
from ..pytext.regex_dialect import python_regex
from .channel_parameters import float_text, limits, synthesised_example
from .nodes import Deref

_SCALAR_KINDS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def handshake_fields(deref: Deref, schema: Any, pointer: str) -> tuple[HandshakeField, ...]:
    """The scalar properties of a ``bindings.ws.query`` / ``headers`` object schema."""
    node, node_pointer = deref(schema, pointer)
    if not isinstance(node, dict) or not isinstance(node.get("properties"), dict):
        return ()
    listed = node.get("required")
    required = {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()
    names = Namespace(("to_strings", "from_strings", "from_request"))
    fields = []
    for wire, raw in node["properties"].items():
        prop, _ = deref(raw, join_pointer(node_pointer, "properties", wire))
        prop = prop if isinstance(prop, dict) else {}
        declared = prop.get("type")
        kind = declared if isinstance(declared, str) and declared in _SCALAR_KINDS else "string"
        enum = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in prop.get("enum") or [])
        default = prop.get("default")
        pattern = prop.get("pattern") if kind == "string" else None
        pattern = python_regex(pattern) if isinstance(pattern, str) else None
        bounds = limits(prop, kind)
        if enum:
            example = enum[0]
        elif default is not None:
            example = _example(kind, default)
        else:
            example = synthesised_example(kind, str(wire), pattern, bounds)
        checks = [(keyword, float_text(v) if isinstance(v, float) else str(v)) for keyword, v in bounds.items()]
        if pattern is not None:
            checks.insert(0, ("pattern", python_literal(pattern)))
        is_required = wire in required
        annotation = _SCALAR_KINDS[kind] if is_required else f"{_SCALAR_KINDS[kind]} | None"
        fields.append(
            HandshakeField(
                name=names.claim(snake_case(str(wire))),
                wire_name=str(wire),
                kind=kind,
                annotation=annotation,
                required=is_required,
                default=python_literal(_coerce(kind, default)) if default is not None else "None",
                enum=enum,
                description=str(prop.get("description") or ""),
                example=example,
                checks=tuple(checks),
            )
        )
    return tuple(fields)


def _coerce(kind: str, value: Any) -> Any:
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean":
            return value if isinstance(value, bool) else str(value).lower() == "true"
    except (TypeError, ValueError):
        return None
    return str(value)


def _example(kind: str, default: Any) -> str:
    """The wire text of a default value."""
    return str(default).lower() if isinstance(default, bool) else str(default)
