"""AsyncAPI 2.x request/reply: which operations pair up by their messages' correlation ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_ws_codegen.ir import Api
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import Options, build_api

REAL_SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs" / "real"
SPECS = Path(__file__).resolve().parents[1] / "specs"


def api_from(tmp_path: Path, document: dict[str, Any], perspective: str = "client") -> Api:
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    return build_api(load_spec(str(path)).document, str(path), Options(perspective=perspective))


def message(name: str, location: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"name": name, "payload": {"type": "object", "properties": {"id": {"type": "string"}}}}
    if location is not None:
        node["correlationId"] = {"location": location}
    return node


def channel(request_location: str | None, reply_location: str | None) -> dict[str, Any]:
    return {
        "subscribe": {"operationId": "ask", "message": message("question", request_location)},
        "publish": {"operationId": "answer", "message": message("reply", reply_location)},
    }


def replies(api: Api) -> dict[str, tuple[list[str], str]]:
    return {op.id: ([m.class_name for m in op.reply_messages], op.reply_operation) for op in api.operations}


def v2(channels: dict[str, Any]) -> dict[str, Any]:
    return {"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"}, "channels": channels}


def test_same_payload_location_on_one_channel_pairs_the_sent_operation_with_the_received(tmp_path: Path) -> None:
    api = api_from(tmp_path, v2({"calc": channel("$message.payload#/id", "$message.payload#/id")}))
    assert replies(api) == {"ask": (["Reply"], "answer"), "answer": ([], "")}
    assert api.has_requests
    assert "request_ask" in api.channel_exports
    assert "request_answer" not in api.channel_exports
    assert [m.correlation_pointer for m in api.operations[0].reply_messages] == ["/id"]


def test_the_perspective_decides_which_operation_is_the_request(tmp_path: Path) -> None:
    api = api_from(tmp_path, v2({"calc": channel("$message.payload#/id", "$message.payload#/id")}), "server")
    # Seen from the server's side, 2.x `publish` messages are the ones the client sends.
    assert replies(api) == {"ask": ([], ""), "answer": (["Question"], "ask")}


@pytest.mark.parametrize(
    ("request_location", "reply_location"),
    [
        ("$message.payload#/id", "$message.payload#/other"),
        ("$message.payload#/id", None),
        (None, "$message.payload#/id"),
        (None, None),
        ("$message.header#/id", "$message.payload#/id"),
    ],
)
def test_different_or_missing_locations_do_not_pair(
    tmp_path: Path, request_location: str | None, reply_location: str | None
) -> None:
    api = api_from(tmp_path, v2({"calc": channel(request_location, reply_location)}))
    assert replies(api) == {"ask": ([], ""), "answer": ([], "")}
    assert not api.has_requests


def test_header_locations_pair_but_correlate_by_type(tmp_path: Path) -> None:
    api = api_from(tmp_path, v2({"calc": channel("$message.header#/x-id", "$message.header#/x-id")}))
    assert replies(api)["ask"] == (["Reply"], "answer")
    # A WebSocket frame carries no headers: no pointer, so the runtime matches the reply by type.
    assert [m.correlation_pointer for m in api.messages] == ["", ""]
    assert [m.correlation_location for m in api.messages] == ["$message.header#/x-id"] * 2


def test_operations_on_different_channels_do_not_pair(tmp_path: Path) -> None:
    location = "$message.payload#/id"
    doc = v2(
        {
            "requests": {"subscribe": {"operationId": "ask", "message": message("question", location)}},
            "replies": {"publish": {"operationId": "answer", "message": message("reply", location)}},
        }
    )
    assert replies(api_from(tmp_path, doc)) == {"ask": ([], ""), "answer": ([], "")}


def test_only_the_correlated_members_of_a_one_of_are_replies(tmp_path: Path) -> None:
    location = "$message.payload#/id"
    doc = v2(
        {
            "calc": {
                "subscribe": {"operationId": "ask", "message": message("question", location)},
                "publish": {
                    "operationId": "events",
                    "message": {"oneOf": [message("progress", None), message("result", location)]},
                },
            }
        }
    )
    assert replies(api_from(tmp_path, doc))["ask"] == (["Result"], "events")


def test_correlation_ids_by_reference_pair_with_inline_ones(tmp_path: Path) -> None:
    doc = v2({"calc": channel(None, "$message.payload#/id")})
    doc["channels"]["calc"]["subscribe"]["message"]["correlationId"] = {"$ref": "#/components/correlationIds/byId"}
    doc["components"] = {"correlationIds": {"byId": {"location": "$message.payload#/id"}}}
    assert replies(api_from(tmp_path, doc))["ask"] == (["Reply"], "answer")


def test_3x_replies_are_not_touched_by_the_2x_pairing(tmp_path: Path) -> None:
    corr = {"location": "$message.payload#/id"}
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "channels": {
            "c": {
                "address": "c",
                "messages": {
                    "q": {"payload": {"type": "object"}, "correlationId": corr},
                    "a": {"payload": {"type": "object"}, "correlationId": corr},
                },
            }
        },
        "operations": {
            "ask": {
                "action": "send",
                "channel": {"$ref": "#/channels/c"},
                "messages": [{"$ref": "#/channels/c/messages/q"}],
            },
            "hear": {
                "action": "receive",
                "channel": {"$ref": "#/channels/c"},
                "messages": [{"$ref": "#/channels/c/messages/a"}],
            },
        },
    }
    # 3.x says what a reply is with `reply`; two operations sharing a location are not a pair.
    assert replies(api_from(tmp_path, doc)) == {"ask": ([], ""), "hear": ([], "")}


def test_the_bundled_rpc_spec_pairs_two_channels_and_leaves_the_third_alone() -> None:
    path = SPECS / "rpc-2.6.yaml"
    api = build_api(load_spec(str(path)).document, str(path))
    assert replies(api) == {
        "compute": (["Result"], "computed"),
        "computed": ([], ""),
        "askStatus": (["Status"], "status"),
        "status": ([], ""),
        "acknowledge": ([], ""),
        "alert": ([], ""),
    }


@pytest.mark.parametrize(
    "name",
    [
        # AMQP RPC: request and reply on two queues (two channels), correlated by a header.
        "v2__spec-rpc-client.yml",
        "v2__spec-rpc-server.yml",
        # Two channels, and a header location against a payload one.
        "v2__spec-correlation-id.yml",
        # One operation only.
        "v2__spec-application-headers.yml",
    ],
)
@pytest.mark.parametrize("perspective", ["client", "server"])
def test_real_2x_documents_with_correlation_ids_get_no_request_function(name: str, perspective: str) -> None:
    path = REAL_SPECS / name
    if not path.is_file():
        pytest.skip(f"the real-world corpus is not available at {REAL_SPECS}")
    api = build_api(load_spec(str(path)).document, str(path), Options(perspective=perspective))
    assert any(m.correlation_location for m in api.messages)
    assert [op.id for op in api.operations if op.reply_messages] == []
    assert not any(name.startswith("request_") for name in api.channel_exports)
