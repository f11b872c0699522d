"""Deterministic synthetic AsyncAPI 3.0 documents for the generation benchmarks.

The shape is controlled by four numbers: ``channels`` (N), ``messages`` per channel (M / N),
``fields`` per payload (K) and ``parameters`` per channel address (P). Every payload mixes the field
kinds a real spec has (strings with formats, integers with bounds, enums, arrays, nullable and
optional fields) and every fourth one refers to a shared component schema, so ``$ref`` handling and
shared-model reuse are exercised too. No randomness: the same arguments always give the same bytes.

Command line::

    python -m benchmarks.synthetic_spec --channels 500 --fields 8 -o /tmp/spec.yaml
    python -m benchmarks.synthetic_spec --channels 500 --json-schema -o /tmp/payloads.json

The second form writes the payload schemas alone as one JSON Schema document (``$defs``), the input
a JSON Schema model generator needs for a like-for-like comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Shape:
    """How big the synthetic document is."""

    channels: int = 10
    messages_per_channel: int = 2
    fields: int = 8
    parameters: int = 1
    shared_schemas: int = 5

    @property
    def messages(self) -> int:
        return self.channels * self.messages_per_channel


def _field_schema(channel: int, message: int, index: int, shared: int) -> dict[str, Any]:
    """The schema of field ``index``; the kind cycles so every payload has a realistic mix."""
    kind = (channel + message + index) % 8
    if kind == 0:
        return {"type": "string", "description": f"Identifier {index} of the event."}
    if kind == 1:
        return {"type": "integer", "minimum": 0, "maximum": 1_000_000}
    if kind == 2:
        return {"type": "number"}
    if kind == 3:
        return {"type": "boolean", "description": "Whether the flag is set."}
    if kind == 4:
        return {"type": "string", "enum": ["active", "paused", "stopped"]}
    if kind == 5:
        return {"type": "array", "items": {"type": "string"}, "maxItems": 16}
    if kind == 6:
        return {"type": "string", "format": "date-time"}
    if shared:
        return {"$ref": f"#/components/schemas/Shared{(channel + index) % shared:03d}"}
    return {"type": ["string", "null"]}


def _payload(channel: int, message: int, shape: Shape) -> dict[str, Any]:
    properties = {
        f"field{index:02d}Value": _field_schema(channel, message, index, shape.shared_schemas)
        for index in range(shape.fields)
    }
    # Half the fields are required: optional fields take a different code path in the generator.
    required = [name for position, name in enumerate(properties) if position % 2 == 0]
    payload: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        payload["required"] = required
    return payload


def _shared_schema(index: int) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"Shared record {index}, referenced from many payloads.",
        "properties": {
            "id": {"type": "string"},
            "revision": {"type": "integer", "minimum": 0},
            "labels": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["id"],
    }


def build_spec(shape: Shape) -> dict[str, Any]:
    """The AsyncAPI 3.0 document for ``shape``."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {f"Shared{index:03d}": _shared_schema(index) for index in range(shape.shared_schemas)}
    for channel in range(shape.channels):
        channel_id = f"channel{channel:04d}"
        placeholders = [f"param{index}Id" for index in range(shape.parameters)]
        address = "/".join([f"svc/ch{channel:04d}", *[f"{{{name}}}" for name in placeholders]])
        channel_messages: dict[str, Any] = {}
        for message in range(shape.messages_per_channel):
            name = f"Event{channel:04d}{chr(ord('A') + message % 26)}{message // 26 or ''}"
            # Every other message keeps its payload in components/schemas: both layouts are common.
            payload = _payload(channel, message, shape)
            if message % 2:
                schemas[f"{name}Payload"] = payload
                payload = {"$ref": f"#/components/schemas/{name}Payload"}
            messages[name] = {"name": name, "summary": f"Event {name} on channel {channel}.", "payload": payload}
            channel_messages[name[0].lower() + name[1:]] = {"$ref": f"#/components/messages/{name}"}
        channel_node: dict[str, Any] = {
            "address": address,
            "description": f"Synthetic channel number {channel}.",
            "messages": channel_messages,
        }
        if placeholders:
            channel_node["parameters"] = {
                name: {"description": f"The {name} part of the address."} for name in placeholders
            }
        channels[channel_id] = channel_node
        keys = list(channel_messages)
        # Even-indexed messages are sent by the client, odd ones received: both directions generate code.
        for action, selected in (("send", keys[0::2]), ("receive", keys[1::2])):
            if not selected:
                continue
            operations[f"{action}Channel{channel:04d}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [{"$ref": f"#/channels/{channel_id}/messages/{key}"} for key in selected],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Synthetic Service",
            "version": "1.0.0",
            "description": f"{shape.channels} channels, {shape.messages} messages, {shape.fields} fields each.",
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (value.replace("#/components/schemas/", "#/$defs/") if key == "$ref" else _rewrite_refs(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def payload_json_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """Every message payload and component schema of ``spec`` as one JSON Schema (``$defs``)."""
    components = spec.get("components", {})
    definitions: dict[str, Any] = dict(components.get("schemas", {}))
    for name, message in components.get("messages", {}).items():
        payload = message.get("payload")
        if isinstance(payload, dict) and "$ref" not in payload:
            definitions[f"{name}Payload"] = payload
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "SyntheticPayloads",
        "$defs": _rewrite_refs(definitions),
    }


def write(document: dict[str, Any], path: Path) -> Path:
    """Write ``document`` as JSON (``.json``) or YAML (anything else), deterministically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False, width=100), encoding="utf-8")
    return path


def edit_channels(document: dict[str, Any], fraction: float) -> int:
    """Edit ``fraction`` of the channels in place (spread over the document); returns how many.

    Each edited channel gets a new description and its first message's payload a new optional
    field: the kind of change a spec sees between two releases.
    """
    channel_ids = list(document["channels"])
    count = max(1, round(len(channel_ids) * fraction))
    step = max(1, len(channel_ids) // count)
    messages = document["components"]["messages"]
    schemas = document["components"]["schemas"]
    for channel_id in channel_ids[::step][:count]:
        channel = document["channels"][channel_id]
        channel["description"] = channel["description"] + " Revised."
        first = next(iter(channel["messages"].values()))["$ref"].rsplit("/", 1)[-1]
        payload = messages[first]["payload"]
        if "$ref" in payload:
            payload = schemas[payload["$ref"].rsplit("/", 1)[-1]]
        payload["properties"]["addedNote"] = {"type": "string", "description": "Added in a later revision."}
    return count


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--channels", type=int, default=10, help="number of channels (N)")
    parser.add_argument("--messages-per-channel", type=int, default=2, help="messages per channel (M / N)")
    parser.add_argument("--fields", type=int, default=8, help="fields per payload (K)")
    parser.add_argument("--parameters", type=int, default=1, help="parameters per channel address (P)")
    parser.add_argument("--shared-schemas", type=int, default=5, help="component schemas shared by payloads")
    parser.add_argument("--json-schema", action="store_true", help="write the payload schemas as one JSON Schema")
    parser.add_argument("-o", "--output", type=Path, help="file to write (.json or .yaml); stdout when omitted")
    args = parser.parse_args(argv)
    shape = Shape(args.channels, args.messages_per_channel, args.fields, args.parameters, args.shared_schemas)
    document = build_spec(shape)
    if args.json_schema:
        document = payload_json_schema(document)
    if args.output is None:
        sys.stdout.write(yaml.safe_dump(document, sort_keys=False, width=100))
    else:
        write(document, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
