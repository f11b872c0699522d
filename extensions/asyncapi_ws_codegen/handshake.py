"""What the channel runtime needs beyond payload classes: correlation ids, message discriminators,
``bindings.ws`` handshake fields and server URL templates.

Each function reads one part of the (bundled) document and returns template-ready values; the
normaliser calls them and stores the results in the IR.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import join_pointer
from .ir import HandshakeField, Message
from .naming import Namespace, snake_case
from .schemas import python_literal

Deref = Callable[[Any, str], tuple[Any, str]]

_SCALAR_KINDS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_VARIABLE = re.compile(r"\{([^{}]+)\}")


def correlation_location(node: Any) -> str:
    """The ``location`` runtime expression of a Correlation ID Object, else ``""``."""
    location = node.get("location") if isinstance(node, dict) else None
    return location.strip() if isinstance(location, str) else ""


def correlation_pointer(node: Any) -> str:
    """The JSON pointer of a ``$message.payload#/...`` correlation id, else ``""``.

    Header locations (``$message.header#/...``) have no WebSocket representation: a frame is the
    payload alone, so such ids cannot be read and replies are matched by message type instead.
    """
    location = correlation_location(node)
    if not location.startswith("$message.payload#"):
        return ""
    return location.removeprefix("$message.payload#")


def correlated_replies(requests: tuple[Message, ...], candidates: tuple[Message, ...]) -> tuple[Message, ...]:
    """The ``candidates`` that answer ``requests`` by the AsyncAPI 2.x convention.

    2.x has no ``reply``: a request and its response are two operations whose messages declare a
    ``correlationId`` at the same location. A candidate is a reply when its location is one that
    a request message declares; messages without a correlation id never pair, since nothing else
    in a 2.x document says that one message answers another.
    """
    locations = {m.correlation_location for m in requests if m.correlation_location}
    return tuple(m for m in candidates if m.correlation_location in locations)


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


def handshake_fields(deref: Deref, schema: Any, pointer: str) -> tuple[HandshakeField, ...]:
    """The scalar properties of a ``bindings.ws.query`` / ``headers`` object schema."""
    node, node_pointer = deref(schema, pointer)
    if not isinstance(node, dict) or not isinstance(node.get("properties"), dict):
        return ()
    required = set(node.get("required") or []) if isinstance(node.get("required"), list) else set()
    names = Namespace(("to_strings", "from_strings", "from_request"))
    fields = []
    for wire, raw in node["properties"].items():
        prop, _ = deref(raw, join_pointer(node_pointer, "properties", wire))
        prop = prop if isinstance(prop, dict) else {}
        declared = prop.get("type")
        kind = declared if isinstance(declared, str) and declared in _SCALAR_KINDS else "string"
        enum = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in prop.get("enum") or [])
        default = prop.get("default")
        example = enum[0] if enum else _example(kind, default)
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
    if default is not None:
        return str(default).lower() if isinstance(default, bool) else str(default)
    return {"integer": "1", "number": "1.5", "boolean": "true"}.get(kind, "example")


def server_template(
    deref: Deref, node: dict[str, Any], pointer: str, url: str
) -> tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """The connect URL with ``{variable}`` placeholders kept, and each variable's default/enum."""
    declared, declared_pointer = deref(node.get("variables"), join_pointer(pointer, "variables"))
    declared = declared if isinstance(declared, dict) else {}
    variables = []
    for name in dict.fromkeys(_VARIABLE.findall(url)):
        spec, _ = deref(declared.get(name), join_pointer(declared_pointer, name))
        spec = spec if isinstance(spec, dict) else {}
        enum = tuple(str(v) for v in spec.get("enum") or [])
        default = spec.get("default")
        variables.append((name, str(default) if default is not None else "", enum))
    return url, tuple(variables)
