"""Which payload schema formats and content types the generator understands.

Payload schemas are JSON Schema: the AsyncAPI Schema Object (a JSON Schema draft-07 superset) and
plain JSON Schema documents, in JSON or YAML. Avro, Protobuf, RAML and OpenAPI schemas would need
their own type mapping and wire codecs; they are refused with a message naming the message and the
format instead of producing classes that would not match what is on the wire.
"""

from __future__ import annotations

from typing import Any

_JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/vnd.aai.asyncapi+json",
    "application/vnd.aai.asyncapi+yaml",
    "application/schema+json",
    "application/schema+yaml",
)
_FORMAT_NAMES = {
    "application/vnd.apache.avro": "Avro",
    "application/vnd.google.protobuf": "Protobuf",
    "application/raml+yaml": "RAML",
    "application/vnd.oai.openapi": "OpenAPI",
}
# Content types whose frames are bytes, not text. JSON, text/* and everything else is sent as text.
_BINARY_PREFIXES = ("audio/", "image/", "video/")
_BINARY_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-protobuf",
        "application/protobuf",
        "application/vnd.google.protobuf",
        "application/cbor",
        "application/msgpack",
        "application/x-msgpack",
        "application/avro",
        "application/vnd.apache.avro+binary",
    }
)


def check_schema_format(schema_format: Any, message: str) -> tuple[str, str] | None:
    """``None`` when ``schema_format`` is JSON Schema, else (problem, hint) for the refusal."""
    if schema_format is None:
        return None
    if not isinstance(schema_format, str):
        return (
            "`schemaFormat` must be a string",
            "write a media type such as application/schema+json;version=draft-07",
        )
    base = schema_format.split(";", 1)[0].strip().lower()
    if base in _JSON_SCHEMA_FORMATS:
        return None
    name = _FORMAT_NAMES.get(base) or _FORMAT_NAMES.get(base.removesuffix("+json").removesuffix("+yaml"), schema_format)
    return (
        f"the payload schema of message {message!r} is written in {name} (schemaFormat {schema_format!r}); "
        "only JSON Schema payloads are supported",
        "describe the payload with JSON Schema (the AsyncAPI Schema Object), e.g. by converting the schema, "
        "or leave this message out of the document used for generation",
    )


def is_binary(content_type: str, payload: Any) -> bool:
    """Whether the message travels as binary frames (bytes) rather than text frames."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _BINARY_TYPES or media.startswith(_BINARY_PREFIXES):
        return True
    return isinstance(payload, dict) and payload.get("type") == "string" and payload.get("format") == "binary"
