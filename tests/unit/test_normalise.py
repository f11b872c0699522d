"""Normalisation: 2.x/3.x mapping, traits, parameters, content types, schema formats, locations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.ir import Api
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import Options, build_api


def api_from(tmp_path: Path, document: dict[str, Any], perspective: str = "client") -> Api:
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    return build_api(load_spec(str(path)).document, str(path), Options(perspective=perspective))


def v3(channels: dict[str, Any], operations: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1.0.0"},
        "channels": channels,
        "operations": operations or {},
        **extra,
    }


def v2(channels: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"asyncapi": "2.6.0", "info": {"title": "T", "version": "1.0.0"}, "channels": channels, **extra}


def test_v2_verbs_map_to_send_and_receive_and_perspective_flips_them(tmp_path: Path) -> None:
    doc = v2(
        {
            "chat": {
                "subscribe": {"operationId": "say", "message": {"name": "said", "payload": {"type": "string"}}},
                "publish": {"operationId": "hear", "message": {"name": "heard", "payload": {"type": "string"}}},
            }
        }
    )
    client = {op.id: op.client_sends for op in api_from(tmp_path, doc).operations}
    server = {op.id: op.client_sends for op in api_from(tmp_path, doc, "server").operations}
    assert client == {"say": True, "hear": False}
    assert server == {"say": False, "hear": True}


def test_v2_channel_without_operations_is_kept_without_functions(tmp_path: Path) -> None:
    api = api_from(
        tmp_path,
        v2(
            {
                "rooms/{roomId}": {"parameters": {"roomId": {"schema": {"type": "string", "enum": ["a", "b"]}}}},
                "chat": {"publish": {"message": {"payload": {"type": "string"}}}},
            }
        ),
    )
    assert [c.id for c in api.channels] == ["rooms/{roomId}", "chat"]
    assert [c.id for c in api.used_channels] == ["chat"]
    assert api.channels[0].parameters_class == "RoomsRoomIdParameters"
    assert api.channels[0].parameters[0].enum == ("a", "b")


def test_v2_message_traits_shallow_merge_message_wins(tmp_path: Path) -> None:
    message = {
        "name": "said",
        "contentType": "text/plain",
        "traits": [
            {"contentType": "application/octet-stream", "summary": "from trait 1", "bindings": {"ws": {"a": 1}}},
            {"summary": "from trait 2"},
        ],
        "bindings": {"ws": {"b": 2}},
        "payload": {"type": "string"},
    }
    api = api_from(tmp_path, v2({"chat": {"subscribe": {"operationId": "say", "message": message}}}))
    (said,) = api.messages
    assert said.content_type == "text/plain"
    assert said.summary == "from trait 2"
    assert not said.binary


def test_v3_message_traits_merge_patch_document_wins(tmp_path: Path) -> None:
    traits = {"common": {"summary": "trait", "contentType": "application/octet-stream", "title": "from trait"}}
    channels = {
        "chat": {
            "address": "chat",
            "messages": {
                "said": {
                    "traits": [{"$ref": "#/components/messageTraits/common"}],
                    "title": "from message",
                    "payload": {"type": "string"},
                }
            },
        }
    }
    api = api_from(tmp_path, v3(channels, components={"messageTraits": traits}))
    (said,) = api.messages
    assert said.title == "from message"  # the document wins
    assert said.summary == "trait"  # what only the trait has is merged in
    assert said.binary  # the trait's content type applies


def test_v3_operation_traits_are_applied(tmp_path: Path) -> None:
    channels = {"chat": {"address": "chat", "messages": {"said": {"payload": {"type": "string"}}}}}
    operations = {
        "say": {
            "action": "send",
            "channel": {"$ref": "#/channels/chat"},
            "traits": [{"summary": "from trait", "description": "trait text"}],
            "description": "own text",
        }
    }
    (say,) = api_from(tmp_path, v3(channels, operations)).operations
    assert (say.summary, say.description) == ("from trait", "own text")


def test_v3_parameters_enum_default_examples(tmp_path: Path) -> None:
    channels = {
        "room": {
            "address": "rooms/{roomId}/{kind}",
            "parameters": {
                "roomId": {"examples": ["lobby"], "description": "Room"},
                "kind": {"enum": ["public", "private"], "default": "private"},
            },
            "messages": {"said": {"payload": {"type": "string"}}},
        }
    }
    api = api_from(tmp_path, v3(channels, {"say": {"action": "send", "channel": {"$ref": "#/channels/room"}}}))
    room_id, kind = api.channels[0].parameters
    assert (room_id.name, room_id.example, room_id.description) == ("room_id", "lobby", "Room")
    assert (kind.enum, kind.default, kind.example) == (("public", "private"), "private", "public")


@pytest.mark.parametrize(
    ("content_type", "payload", "binary"),
    [
        ("application/json", {"type": "object"}, False),
        ("text/plain", {"type": "string"}, False),
        ("application/octet-stream", {}, True),
        ("audio/wav", {}, True),
        ("application/json", {"type": "string", "format": "binary"}, True),
    ],
)
def test_binary_messages(tmp_path: Path, content_type: str, payload: dict[str, Any], binary: bool) -> None:
    channels = {"c": {"address": "c", "messages": {"m": {"contentType": content_type, "payload": payload}}}}
    (message,) = api_from(tmp_path, v3(channels)).messages
    assert message.binary is binary
    assert message.content_type == content_type


def test_default_content_type_applies(tmp_path: Path) -> None:
    channels = {"c": {"address": "c", "messages": {"m": {"payload": {"type": "string"}}}}}
    (message,) = api_from(tmp_path, v3(channels, defaultContentType="text/plain")).messages
    assert message.content_type == "text/plain"


def test_message_without_payload(tmp_path: Path) -> None:
    channels = {"c": {"address": "c", "messages": {"ping": {"summary": "Keep-alive"}}}}
    api = api_from(tmp_path, v3(channels, {"ping": {"action": "send", "channel": {"$ref": "#/channels/c"}}}))
    assert [m.class_name for m in api.messages] == ["Ping"]


@pytest.mark.parametrize(
    "schema_format",
    [
        "application/vnd.aai.asyncapi;version=3.0.0",
        "application/vnd.aai.asyncapi+yaml;version=3.0.0",
        "application/schema+json;version=draft-07",
        "application/schema+yaml;version=draft-07",
    ],
)
def test_json_schema_formats_are_accepted(tmp_path: Path, schema_format: str) -> None:
    payload = {"schemaFormat": schema_format, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
    channels = {"c": {"address": "c", "messages": {"m": {"payload": payload}}}}
    assert [m.name for m in api_from(tmp_path, v3(channels)).messages] == ["m"]


@pytest.mark.parametrize(
    ("schema_format", "name"),
    [
        ("application/vnd.apache.avro;version=1.9.0", "Avro"),
        ("application/vnd.google.protobuf;version=3", "Protobuf"),
        ("application/raml+yaml;version=1.0", "RAML"),
        ("application/vnd.oai.openapi;version=3.0.0", "OpenAPI"),
    ],
)
def test_other_schema_formats_are_refused_naming_message_and_format(
    tmp_path: Path, schema_format: str, name: str
) -> None:
    message = {"name": "priceChanged", "schemaFormat": schema_format, "payload": {"type": "string"}}
    with pytest.raises(SpecError) as caught:
        api_from(tmp_path, v2({"prices": {"publish": {"message": message}}}))
    assert f"message 'priceChanged' is written in {name}" in str(caught.value)
    lines = (tmp_path / "asyncapi.yaml").read_text("utf-8").splitlines()
    assert caught.value.location.line == 1 + next(i for i, line in enumerate(lines) if "schemaFormat" in line)


def test_error_inside_a_referenced_file_points_at_that_file(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text(
        "Said:\n  payload:\n    type: object\n    properties:\n      text:\n        type: strnig\n", "utf-8"
    )
    channels = {"c": {"address": "c", "messages": {"m": {"$ref": "./messages.yaml#/Said"}}}}
    with pytest.raises(SpecError) as caught:
        api_from(tmp_path, v3(channels))
    where = caught.value.location
    assert where.file.endswith("messages.yaml")
    assert (where.line, where.pointer) == (6, "/Said/payload/properties/text/type")


def test_snapshot_documents_have_pointers_but_no_lines() -> None:
    document = v3({"c": {"address": "c/{x}", "messages": {}}})
    with pytest.raises(SpecError) as caught:
        build_api(document, "asyncapi.yaml (snapshot)")
    assert str(caught.value).startswith("asyncapi.yaml (snapshot) at /channels/c/address:")


def test_message_named_like_a_runtime_class_is_renamed(tmp_path: Path) -> None:
    channels = {"c": {"address": "c", "messages": {"Router": {"payload": {"type": "object", "properties": {}}}}}}
    api = api_from(tmp_path, v3(channels, {"s": {"action": "send", "channel": {"$ref": "#/channels/c"}}}))
    (router,) = api.messages
    assert router.class_name != "Router"
    assert router.class_name.startswith("Router_")


def test_deepgram_style_component_keys_with_slashes(tmp_path: Path) -> None:
    doc = v2(
        {
            "/v1/listen": {
                "subscribe": {
                    "operationId": "listen",
                    "message": {"oneOf": [{"$ref": "#/components/messages/subpackage_listen/v1.Results"}]},
                }
            }
        },
        components={"messages": {"subpackage_listen/v1.Results": {"name": "Results", "payload": {"type": "string"}}}},
    )
    api = api_from(tmp_path, doc)
    assert [m.name for m in api.messages] == ["subpackage_listen/v1.Results"]


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0"])
def test_every_2x_version_is_read(tmp_path: Path, version: str) -> None:
    doc = v2({"chat": {"subscribe": {"operationId": "say", "message": {"payload": {"type": "string"}}}}})
    doc["asyncapi"] = version
    api = api_from(tmp_path, doc)
    assert (api.asyncapi_version, [op.id for op in api.operations]) == (version, ["say"])


@pytest.mark.parametrize("version", ["3.0.0", "3.1.0"])
def test_every_3x_version_is_read(tmp_path: Path, version: str) -> None:
    channels = {"c": {"address": "c", "messages": {"m": {"payload": {"type": "string"}}}}}
    doc = v3(channels, {"say": {"action": "send", "channel": {"$ref": "#/channels/c"}}})
    doc["asyncapi"] = version
    api = api_from(tmp_path, doc)
    assert (api.asyncapi_version, [op.id for op in api.operations]) == (version, ["say"])


def test_json_document_with_relative_json_ref(tmp_path: Path) -> None:
    (tmp_path / "schemas.json").write_text('{"Text": {"type": "string"}}', "utf-8")
    path = tmp_path / "asyncapi.json"
    path.write_text(
        '{"asyncapi": "3.0.0", "info": {"title": "T", "version": "1"}, "channels": {"c": {"address": "c",'
        ' "messages": {"m": {"payload": {"$ref": "./schemas.json#/Text"}}}}}}',
        "utf-8",
    )
    api = build_api(load_spec(str(path)).document, str(path))
    assert [m.name for m in api.messages] == ["m"]


def test_v2_parameter_schema_types_bounds_and_canonical_texts(tmp_path: Path) -> None:
    parameters = {
        "n": {"schema": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "enum": [2, "3", 4.0]}},
        "x": {"schema": {"type": ["number", "null"], "exclusiveMinimum": 0, "default": 2}},
        "b": {"schema": {"type": "boolean", "examples": [False]}},
        "f": {"schema": {"type": "number", "default": 1e20, "maximum": 1.5e300}},
        "s": {"schema": {"type": "string", "minLength": 2, "maxLength": 4, "minimum": 5}},
        "u": {"schema": {"maxLength": 3}},
    }
    channels = {"c/{n}/{x}/{b}/{f}/{s}/{u}": {"parameters": parameters, "publish": {"message": {"payload": {}}}}}
    n, x, b, f, s, u = api_from(tmp_path, v2(channels)).channels[0].parameters
    assert (n.kind, n.annotation, n.parser) == ("integer", "Literal[2, 3, 4]", "parse_integer")
    assert (n.enum, n.enum_literals, n.example) == (("2", "3", "4"), ("2", "3", "4"), "2")
    assert n.limits == (("minimum", "1"), ("exclusive_maximum", "10"))
    assert (x.kind, x.annotation, x.default, x.example_literal) == ("number", "float", "2.0", "2.0")
    assert x.limits == (("exclusive_minimum", "0"),)
    assert (b.kind, b.annotation, b.example, b.example_literal, b.test_literal) == (
        "boolean",
        "bool",
        "false",
        "False",
        "False",
    )
    # Float texts and literals drop the exponent's `+`: nothing to percent-encode, ruff-stable.
    assert (f.example, f.example_literal, f.limits) == ("1e20", "1e20", (("maximum", "1.5e300"),))
    # Numeric keywords do not apply to strings; lengths do, and bound the synthesised examples.
    assert (s.kind, s.annotation, s.parser, s.limits) == (
        "string",
        "str",
        None,
        (("min_length", "2"), ("max_length", "4")),
    )
    assert (s.example, s.test_value) == ("s-1", "s-1")
    assert (u.kind, u.example, u.limits) == ("string", "u-1", (("max_length", "3"),))


def test_parameter_type_contradicted_by_its_enum_stays_a_string(tmp_path: Path) -> None:
    parameters = {"n": {"schema": {"type": "integer", "enum": [1, "many"]}}}
    channels = {"c/{n}": {"parameters": parameters, "publish": {"message": {"payload": {}}}}}
    (n,) = api_from(tmp_path, v2(channels)).channels[0].parameters
    assert (n.kind, n.annotation, n.enum, n.enum_literals) == (
        "string",
        'Literal["1", "many"]',
        ("1", "many"),
        ('"1"', '"many"'),
    )


def test_v3_parameters_are_strings_whatever_they_say(tmp_path: Path) -> None:
    channels = {
        "c": {
            "address": "c/{n}",
            "parameters": {"n": {"type": "integer", "minimum": 3, "enum": ["1", "2"]}},
            "messages": {"m": {"payload": {"type": "string"}}},
        }
    }
    api = api_from(tmp_path, v3(channels, {"o": {"action": "send", "channel": {"$ref": "#/channels/c"}}}))
    (n,) = api.channels[0].parameters
    assert (n.kind, n.annotation, n.limits, n.enum_literals) == ("string", 'Literal["1", "2"]', (), ('"1"', '"2"'))


def test_address_literal_parts_are_percent_encoded_in_template_and_pattern(tmp_path: Path) -> None:
    parameters = {"id": {"schema": {"type": "string"}}, "t": {"schema": {"type": "string"}}}
    channels = {
        "/../{id}/ä ö/%7b{t}}x": {"parameters": parameters, "publish": {"message": {"payload": {}}}},
        "plain 'x'": {"publish": {"message": {"payload": {}}}},
    }
    with_params, plain = api_from(tmp_path, v2(channels)).channels
    assert with_params.path_template == "/../{0}/%C3%A4%20%C3%B6/%7B{1}%7Dx"
    assert with_params.path_regex == r"/\.\./(?P<p0>[^/]+)/%C3%A4%20%C3%B6/%7B(?P<p1>[^/]+)%7Dx"
    assert with_params.address == "/../{id}/ä ö/%7b{t}}x"  # the address itself is kept as written
    assert (plain.encoded_address, plain.path_regex) == ("plain%20%27x%27", "plain%20%27x%27")


def test_v2_operations_without_operation_id_are_named_after_their_message_or_channel(tmp_path: Path) -> None:
    """Slack RTM's layout: channel `/`, no operationIds; never `publish_to_subscribe`."""
    one = {"name": "outgoingMessage", "payload": {"type": "string"}}
    several = {"oneOf": [{"name": "hello", "payload": {"type": "string"}}, {"name": "bye", "payload": {}}]}
    api = api_from(tmp_path, v2({"/": {"publish": {"message": one}, "subscribe": {"message": several}}}))
    assert {op.id: op.snake for op in api.operations} == {"/ subscribe": "root", "/ publish": "outgoing_message"}
    assert api.channels[0].constant_name == "ROOT_ADDRESS"
    both = {"oneOf": [{"name": "a", "payload": {}}, {"name": "b", "payload": {}}]}
    inline = {"payload": {"type": "string"}}
    api = api_from(
        tmp_path,
        v2(
            {
                "rooms/{id}": {
                    "parameters": {"id": {"schema": {"type": "string"}}},
                    "publish": {"message": both},
                    "subscribe": {"message": both},
                },
                "/": {"parameters": {}, "subscribe": {"message": inline}},
            }
        ),
    )
    assert [op.snake for op in api.operations] == [
        "rooms_id_client_messages",
        "rooms_id_server_messages",
        "root",
    ]
    assert api.channels[0].parameters_class == "RoomsIdParameters"
    assert [channel.constant_name for channel in api.channels] == ["ROOMS_ID_ADDRESS", "ROOT_ADDRESS"]
