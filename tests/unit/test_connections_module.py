"""The connection layer's layout decisions (render/connections_module.py) and channel servers."""

from __future__ import annotations

from typing import Any

from asyncapi_ws_codegen.normalise.api_builder import build_api
from asyncapi_ws_codegen.normalise.channel_servers import channel_servers
from asyncapi_ws_codegen.render.connections_module import connections_module


def _message(name: str) -> dict[str, Any]:
    return {"payload": {"type": "object", "properties": {"kind": {"const": name}}}}


DOCUMENT: dict[str, Any] = {
    "asyncapi": "3.0.0",
    "info": {"title": "T", "version": "1"},
    "servers": {"a": {"host": "a.example", "protocol": "wss"}, "b~/c": {"host": "b.example", "protocol": "ws"}},
    "channels": {
        "live-feed": {
            "address": "feed/{id}",
            "parameters": {"id": {}},
            "servers": [{"$ref": "#/servers/b~0~1c"}],
            "messages": {"Up": _message("up"), "Down": _message("down"), "Tick": _message("tick")},
        },
        "live_feed": {"address": "other", "messages": {"Tick": _message("tick")}},
        "unused": {"address": "nothing"},
    },
    "operations": {
        "sendUp": {
            "action": "send",
            "channel": {"$ref": "#/channels/live-feed"},
            "messages": [{"$ref": "#/channels/live-feed/messages/Up"}],
            "reply": {"messages": [{"$ref": "#/channels/live-feed/messages/Down"}]},
        },
        "sendTick": {
            "action": "send",
            "channel": {"$ref": "#/channels/live-feed"},
            "messages": [{"$ref": "#/channels/live-feed/messages/Tick"}],
        },
        "receiveTick": {
            "action": "receive",
            "channel": {"$ref": "#/channels/live-feed"},
            "messages": [{"$ref": "#/channels/live-feed/messages/Tick"}],
        },
        "getTicks": {"action": "receive", "channel": {"$ref": "#/channels/live_feed"}},
    },
}


def test_one_connection_per_used_channel_with_unique_names() -> None:
    module = connections_module(build_api(DOCUMENT, "test.yaml"))
    first, second = module.channels
    assert (first.channel.snake, first.channel.connection_class) == ("live_feed", "LiveFeedConnection")
    assert (second.channel.snake, second.channel.connection_class) == ("live_feed_2", "LiveFeedConnection_2")
    assert module.exports == (
        "LiveFeedConnection",
        "LiveFeedConnection_2",
        "connect_live_feed",
        "connect_live_feed_2",
    )


def test_sends_and_receives_are_typed_per_channel() -> None:
    first, second = connections_module(build_api(DOCUMENT, "test.yaml")).channels
    # Two operations send: a union of their classes; one receives: the class itself.
    assert (first.sends, first.send_type) == (("Up", "Tick"), "payloads.Up | payloads.Tick")
    assert (first.receives, first.receive_type) == (("Tick",), "payloads.Tick")
    assert [t.operation.id for t in first.requests] == ["sendUp"]
    assert first.requests[0].reply == "payloads.Down"
    assert first.parameters == "_parameters.LiveFeedParameters"
    assert first.example_arguments == "parameters=parameters, url=url"
    assert (
        first.example_subjects
        == "``parameters`` a ``LiveFeedParameters`` and ``url`` a server's URL (``ws://localhost:8080``)"
    )
    assert (first.send_example_subject, second.send_example_subject) == ("a ``Up``", "a message")
    # The generated test sends send's first class, then each request's; checks every class's example.
    assert first.example_messages == ("Up", "Up")
    assert first.request_example_index(0) == 1
    assert first.example_classes == ("Up", "Tick", "Down")
    assert (second.example_messages, second.example_classes) == ((), ("Tick_2",))
    # The client only receives on the second channel: no send, no requests.
    assert (second.send_type, second.receive_type, second.requests) == ("", "payloads.Tick_2", ())
    assert first.channel.servers == ("b~/c",)
    assert second.channel.servers == ()


def test_channel_servers_reads_both_versions_and_skips_what_it_cannot() -> None:
    assert channel_servers({"servers": ["prod", "prod", "dev"]}) == ("prod", "dev")
    assert channel_servers({"servers": [{"$ref": "#/servers/a~1b"}, {"$ref": "other.yaml#/x"}, 3]}) == ("a/b",)
    assert channel_servers({"servers": "prod"}) == ()
    assert channel_servers({}) == ()
