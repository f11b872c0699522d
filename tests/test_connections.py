"""The connection layer (``<package>.connections``): ``connect_<channel>`` opens a typed connection.

Driven against the package's own server (``channels.Router``) on loopback: typed send, receive and
request, the query and headers of the handshake as the bindings say, the URL from the document's
servers, and reconnection after the server drops a connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from asgi_support import serving
from helpers import EXAMPLE_SPEC
from runtime_support import generate_package, import_package
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

TIMEOUT = 10.0


def chat_router(chat: ModuleType, greeting: Callable[[int], str] | None = None) -> tuple[Any, dict[str, Any]]:
    """A chat server: records the handshake and what it receives, greets each client, answers pings."""
    channels, payloads = chat.channels, chat.payloads
    seen: dict[str, Any] = {"says": asyncio.Queue(), "connections": []}

    def on_connection(*, parameters: Any, ws: Any, request: Any, query: Any = None, headers: Any = None) -> None:
        seen["connections"].append(ws)
        seen.update(parameters=parameters, query=query, headers=headers, auth=request.headers.get("Authorization"))

    async def greet(*, ws: Any, **_: Any) -> None:
        text = greeting(len(seen["connections"])) if greeting else "welcome"
        await channels.publish_to_receive_chat(message=payloads.Notice(text=text), ws=ws)

    router = channels.Router()
    channels.register_send_say(
        router=router, on_connection=on_connection, on_message=lambda **kw: seen["says"].put_nowait(kw["message"])
    )
    channels.register_receive_chat(router=router, on_connection=greet)
    channels.register_ping(router=router, on_message=lambda *, message, **_: payloads.Pong(reqid=message.reqid))
    channels.register_ask(router=router, on_message=lambda *, message, **_: payloads.Answer(a=message.q.upper()))
    return router, seen


async def test_a_typed_connection_sends_receives_and_requests(chat: ModuleType) -> None:
    payloads, connections = chat.payloads, chat.connections
    router, seen = chat_router(chat)
    params = chat.parameters.ChatParameters(user_id="ann é")
    query = chat.servers.ChatQuery(limit=5, verbose=True, topic="t-1")
    headers = chat.headers.ChatHeaders(x_client="cli")
    async with serving(router, "websockets") as base:
        async with connections.connect_chat(
            parameters=params,
            query=query,
            headers=headers,
            url=base,
            additional_headers={"Authorization": "Bearer k"},  # options go to websockets' connect
        ) as conn:
            assert type(conn) is connections.ChatConnection
            # The query and headers on the wire, as bindings.ws says.
            assert conn.ws.request.path == "/chat/ann%20%C3%A9?limit=5&verbose=true&topic=t-1"
            assert conn.ws.request.headers["X-Client"] == "cli"
            notice = await asyncio.wait_for(anext(aiter(conn)), TIMEOUT)
            assert notice == payloads.Notice(text="welcome")
            await conn.send(payloads.Say(seq=1, text="hi"))
            assert await asyncio.wait_for(seen["says"].get(), TIMEOUT) == payloads.Say(seq=1, text="hi")
            pong = await conn.request_ping(payloads.Ping(reqid=7), timeout=TIMEOUT)
            assert pong == payloads.Pong(reqid=7)
            with pytest.raises(chat.errors.PayloadValidationError):
                await conn.send(payloads.Say(seq=-1, text="negative"))
            # Sent unchecked: the server checks it, and closes the connection with 1007.
            await conn.send(payloads.Say(seq=-2, text="unchecked"), skip_message_validation=True)
            await asyncio.wait_for(conn.ws.wait_closed(), TIMEOUT)
            assert conn.ws.close_code == 1007
    # The server read them typed: parameters from the path, query and headers from the handshake.
    assert seen["parameters"] == params
    assert seen["query"] == query
    assert seen["headers"] == headers
    assert seen["auth"] == "Bearer k"


async def test_received_frames_follow_the_subscription_error_model(chat: ModuleType) -> None:
    payloads = chat.payloads
    router = chat.channels.Router()

    async def send_frames(*, ws: Any, **_: Any) -> None:
        await ws.send('{"type": "notice"}')  # a notice without its required text
        await ws.send('{"type": "notice", "text": "fine"}')
        await ws.close()

    chat.channels.register_receive_chat(router=router, on_connection=send_frames)
    params = chat.parameters.ChatParameters(user_id="bob")
    async with serving(router, "websockets") as base:
        conn = await chat.connections.connect_chat(parameters=params, url=base)  # the awaitable form
        messages = aiter(conn)
        with pytest.raises(chat.errors.PayloadValidationError) as invalid:
            await asyncio.wait_for(anext(messages), TIMEOUT)
        assert invalid.value.path == "$" and invalid.value.keyword == "required"
        assert await asyncio.wait_for(anext(messages), TIMEOUT) == payloads.Notice(text="fine")
        with pytest.raises(StopAsyncIteration):  # the server closed normally: the loop ends
            await asyncio.wait_for(anext(messages), TIMEOUT)
        await conn.close()


async def test_binary_messages_and_channels_without_parameters(chat: ModuleType) -> None:
    payloads = chat.payloads
    router = chat.channels.Router()

    async def echo(*, message: Any, ws: Any, **_: Any) -> None:
        await chat.channels.publish_to_receive_chunk(message=payloads.Chunk(value=message.value[::-1]), ws=ws)

    chat.channels.register_send_chunk(router=router, on_message=echo)
    async with serving(router, "websockets") as base:
        async with chat.connections.connect_blob(url=base + "/") as conn:
            assert conn.ws.request.path == "/blob"
            await conn.send(payloads.Chunk(value=b"\x00\x01\xff"))
            assert await asyncio.wait_for(anext(aiter(conn)), TIMEOUT) == payloads.Chunk(value=b"\xff\x01\x00")


@pytest.mark.parametrize("how", ["websockets", "uvicorn"])
async def test_async_for_reconnects_after_the_server_drops_the_connection(chat: ModuleType, how: str) -> None:
    payloads = chat.payloads
    router, seen = chat_router(chat, greeting=lambda count: f"connection {count}")
    params = chat.parameters.ChatParameters(user_id="ann")
    texts: list[str] = []
    outcomes: list[str] = []
    opened: list[Any] = []

    async def drop(ws: Any) -> None:
        """The server drops the connection: TCP reset (websockets), internal error (ASGI)."""
        if how == "websockets":
            ws.transport.abort()
        else:
            await ws.close(1011)

    async with serving(router, how) as base:
        async for conn in chat.connections.connect_chat(parameters=params, url=base, open_timeout=TIMEOUT):
            opened.append(conn)
            try:
                async for message in conn:
                    assert isinstance(message, payloads.Notice)
                    texts.append(message.text)
                    if len(texts) == 1:
                        await seen["connections"][-1].close()  # the server ends it normally
                    elif len(texts) == 2:
                        await drop(seen["connections"][-1])
                    else:
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
    assert [type(conn) for conn in opened] == [chat.connections.ChatConnection] * 3
    assert len({id(conn.ws) for conn in opened}) == 3


def test_the_url_comes_from_the_documents_servers(chat: ModuleType) -> None:
    connections, errors = chat.connections, chat.errors
    params = chat.parameters.ChatParameters(user_id="ann")
    query = chat.servers.ChatQuery(limit=3)
    # The channel lists no servers: the document's first one, its variable's default filled in.
    assert (
        connections.connect_chat(parameters=params, query=query).url == "wss://chat.example.com/ws/eu/chat/ann?limit=3"
    )
    assert (
        connections.connect_chat(parameters=params, server="production", variables={"region": "us"}).url
        == "wss://chat.example.com/ws/us/chat/ann"
    )
    assert connections.connect_echo(server="local").url == "ws://localhost:8080/echo"
    assert connections.connect_echo(url="ws://127.0.0.1:1/prefix/").url == "ws://127.0.0.1:1/prefix/echo"
    with pytest.raises(errors.ParameterError, match="must be one of"):
        connections.connect_echo(variables={"region": "mars"})
    with pytest.raises(errors.ParameterError, match="unknown server 'staging'"):
        connections.connect_echo(server="staging")
    with pytest.raises(errors.ParameterError, match="not both"):
        connections.connect_echo(server="local", url="ws://127.0.0.1:1")


def test_the_bundled_example(template_v1: Path, tmp_path: Path) -> None:
    project = generate_package(template_v1, tmp_path, EXAMPLE_SPEC.read_text("utf-8"), "sdk_user_service")
    pkg = import_package(project, "sdk_user_service")
    channels, payloads = pkg.channels, pkg.payloads
    signed_up = payloads.UserSignedUp(user_id="user123", email="user@example.com")
    params = pkg.parameters.UserEventsParameters(user_id="user123")
    with pytest.raises(pkg.errors.ParameterError, match="names no server"):
        pkg.connections.connect_user_events(parameters=params)

    async def main() -> list[Any]:
        received: asyncio.Queue[Any] = asyncio.Queue()
        router = channels.Router()
        channels.register_send_user_event(router=router, on_message=lambda **kw: received.put_nowait(kw))

        async def welcome(*, ws: Any, **_: Any) -> None:
            await channels.publish_to_receive_user_event(message=signed_up, ws=ws)

        channels.register_receive_user_event(router=router, on_connection=welcome)
        async with serving(router, "websockets") as base:
            async with pkg.connections.connect_user_events(parameters=params, url=base) as conn:
                assert conn.ws.request.path == "/user/events/user123"
                first = await asyncio.wait_for(anext(aiter(conn)), TIMEOUT)
                await conn.send(signed_up)
                got = await asyncio.wait_for(received.get(), TIMEOUT)
                return [first, got["message"], got["parameters"]]

    assert asyncio.run(main()) == [signed_up, signed_up, params]


async def test_a_closed_connection_refuses_to_send(chat: ModuleType) -> None:
    router, _seen = chat_router(chat)
    params = chat.parameters.ChatParameters(user_id="ann")
    async with serving(router, "websockets") as base:
        async with chat.connections.connect_echo(url=base) as conn:
            await conn.close()
            with pytest.raises(ConnectionClosed):
                await conn.send(chat.payloads.Question(q="anyone?"))
        async with chat.connections.connect_chat(parameters=params, url=base) as conn:
            pass
        assert conn.ws.close_code == 1000
