"""The blocking connection layer (``connect_<channel>`` of ``<package>.sync``) against the package's
own asynchronous server, which runs in a thread of its own: the test is plain blocking code."""

from __future__ import annotations

import queue
from types import ModuleType
from typing import Any

import pytest
from test_sync_client import server_thread
from websockets.exceptions import ConnectionClosedError, InvalidStatus

TIMEOUT = 10.0


def chat_router(chat: ModuleType) -> tuple[Any, dict[str, Any]]:
    """Greets connection N with "connection N"; ends the first normally, drops the second; a ping
    is answered after a notice (which the request reads first, and keeps for the iterator)."""
    channels, payloads = chat.channels, chat.payloads
    seen: dict[str, Any] = {"says": queue.Queue(), "count": 0}

    def on_connection(*, request: Any, query: Any = None, headers: Any = None, **_: Any) -> None:
        seen.update(query=query, headers=headers, auth=request.headers.get("Authorization"))

    async def greet(*, ws: Any, **_: Any) -> None:
        seen["count"] += 1
        count = seen["count"]
        await channels.publish_to_receive_chat(message=payloads.Notice(text=f"connection {count}"), ws=ws)
        if count == 1:
            await ws.close()
        elif count == 2:
            await ws.close(1011, "dropped")

    async def pong(*, message: Any, ws: Any, **_: Any) -> Any:
        await channels.publish_to_receive_chat(message=payloads.Notice(text="before pong"), ws=ws)
        return payloads.Pong(reqid=message.reqid)

    router = channels.Router()
    channels.register_send_say(
        router=router, on_connection=on_connection, on_message=lambda **kw: seen["says"].put(kw["message"])
    )
    channels.register_receive_chat(router=router, on_connection=greet)
    channels.register_ping(router=router, on_message=pong)
    return router, seen


def test_a_blocking_connection_sends_receives_and_requests(chat: ModuleType) -> None:
    payloads = chat.payloads
    router, seen = chat_router(chat)
    seen["count"] = 2  # this connection stays open
    params = chat.parameters.ChatParameters(user_id="ann é")
    query = chat.servers.ChatQuery(limit=-5, verbose=False)
    headers = chat.headers.ChatHeaders(x_client="web")
    with server_thread(router) as base:
        with chat.sync.connect_chat(
            parameters=params,
            query=query,
            headers=headers,
            url=base,
            additional_headers=[("Authorization", "Bearer s")],
            open_timeout=TIMEOUT,
        ) as conn:
            assert type(conn) is chat.sync.ChatConnection
            assert conn.ws.request.path == "/chat/ann%20%C3%A9?limit=-5&verbose=false"
            messages = iter(conn)
            assert next(messages) == payloads.Notice(text="connection 3")
            conn.send(payloads.Say(seq=1, text="hi"))
            assert seen["says"].get(timeout=TIMEOUT) == payloads.Say(seq=1, text="hi")
            assert conn.request_ping(payloads.Ping(reqid=9), timeout=TIMEOUT) == payloads.Pong(reqid=9)
            # The notice the request read before its reply was kept for the iterator.
            assert next(messages) == payloads.Notice(text="before pong")
            with pytest.raises(chat.errors.PayloadValidationError):
                conn.send(payloads.Say(seq=-1, text="negative"))
        assert conn.ws.close_code == 1000
    assert (seen["query"], seen["headers"], seen["auth"]) == (query, headers, "Bearer s")


def test_for_reconnects_after_the_server_ends_or_drops_the_connection(chat: ModuleType) -> None:
    router, _seen = chat_router(chat)
    params = chat.parameters.ChatParameters(user_id="bob")
    texts: list[str] = []
    outcomes: list[str] = []
    with server_thread(router) as base:
        for conn in chat.sync.connect_chat(parameters=params, url=base, open_timeout=TIMEOUT):
            try:
                for message in conn:
                    assert isinstance(message, chat.payloads.Notice)
                    texts.append(message.text)
                    if len(texts) == 3:
                        break
                else:
                    outcomes.append("ended")
                    continue
            except ConnectionClosedError:
                outcomes.append("dropped")
                continue
            break
    assert texts == ["connection 1", "connection 2", "connection 3"]
    assert outcomes == ["ended", "dropped"]


def test_a_bad_frame_raises_and_the_iteration_carries_on(chat: ModuleType) -> None:
    router = chat.channels.Router()

    async def send_frames(*, ws: Any, **_: Any) -> None:
        await ws.send('{"type": "notice", "text": 3}')
        await ws.send('{"type": "notice", "text": "fine"}')
        await ws.close()

    chat.channels.register_receive_chat(router=router, on_connection=send_frames)
    with server_thread(router) as base:
        conn = chat.sync.connect_chat(parameters=chat.parameters.ChatParameters(user_id="x"), url=base).open()
        messages = iter(conn)
        with pytest.raises(chat.errors.PayloadValidationError) as invalid:
            next(messages)
        assert invalid.value.path == "$.text"
        assert next(messages) == chat.payloads.Notice(text="fine")
        assert list(messages) == []  # closed normally: the iteration ends
        conn.close()


def test_a_refusal_that_will_not_pass_is_raised_not_retried(chat: ModuleType) -> None:
    sync_connection = __import__(f"{chat.__name__}._runtime.sync_connection", fromlist=["retryable"])
    with server_thread(chat.channels.Router()) as base:  # nothing registered: 404 everywhere
        with pytest.raises(InvalidStatus) as refused:
            for _conn in chat.sync.connect_echo(url=base):
                pytest.fail("connected to a channel the server does not serve")
    assert refused.value.response.status_code == 404
    assert not sync_connection.retryable(refused.value)
    assert sync_connection.retryable(ConnectionRefusedError())
    assert sync_connection.retryable(TimeoutError())
    assert not sync_connection.retryable(ValueError("invalid URI"))


def test_the_blocking_url_is_the_asynchronous_one(chat: ModuleType) -> None:
    params = chat.parameters.ChatParameters(user_id="ann")
    query = chat.servers.ChatQuery(topic="news")
    expected = "wss://chat.example.com/ws/eu/chat/ann?topic=news"
    assert chat.sync.connect_chat(parameters=params, query=query).url == expected
    assert chat.connections.connect_chat(parameters=params, query=query).url == expected
    with pytest.raises(chat.errors.ParameterError, match="not both"):
        chat.sync.connect_echo(url="ws://127.0.0.1:1", variables={"region": "us"})
