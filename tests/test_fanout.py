"""In-process fan-out: ``broadcast_to_*`` through a router's connection registry, over real sockets.

The runtime chat package (tests/runtime_support.py) is served on 127.0.0.1, port 0; its clients
read raw frames, so what arrives is exactly what the server wrote. A client that must *not*
receive a broadcast is then sent a second one meant for it: frames on one connection arrive in
order, so its first frame being the second broadcast proves the first never came.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest
from asgi_support import serving
from runtime_support import port_of
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve

TIMEOUT = 10.0


def notice(chat: ModuleType, text: str) -> Any:
    return chat.payloads.Notice(text=text)


async def next_json(ws: ClientConnection) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))


class Room:
    """A served router with ``receiveChat`` registered, and a way to open clients on it."""

    def __init__(self, chat: ModuleType, router: Any, port: int, stack: contextlib.AsyncExitStack) -> None:
        self.chat, self.router, self.port, self.stack = chat, router, port, stack
        self.connected: asyncio.Queue[Any] = asyncio.Queue()
        self.disconnected: asyncio.Queue[Any] = asyncio.Queue()

    async def client(self, user: str) -> ClientConnection:
        """A client on ``chat/<user>``, returned once the router has it on file."""
        path = self.chat.parameters.ChatParameters(user_id=user).get_channel_with_parameters()
        ws = await self.stack.enter_async_context(connect(f"ws://127.0.0.1:{self.port}/{path}"))
        await asyncio.wait_for(self.connected.get(), TIMEOUT)
        return ws


@contextlib.asynccontextmanager
async def room(chat: ModuleType, router: Any | None = None) -> AsyncIterator[Room]:
    router = router if router is not None else chat.channels.Router()
    async with contextlib.AsyncExitStack() as stack:
        server = await stack.enter_async_context(serve(router, "127.0.0.1", 0, process_request=router.process_request))
        served = Room(chat, router, port_of(server), stack)

        def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
            served.connected.put_nowait(parameters)

        def on_disconnect(*, parameters: Any, ws: Any) -> None:
            served.disconnected.put_nowait(parameters)

        chat.channels.register_receive_chat(router=router, on_connection=on_connection, on_disconnect=on_disconnect)
        yield served


async def test_parameters_select_the_connections_opened_with_them(chat: ModuleType) -> None:
    channels, parameters = chat.channels, chat.parameters
    async with room(chat) as served:
        alice = [await served.client("alice"), await served.client("alice")]
        bob = await served.client("bob")
        await channels.broadcast_to_receive_chat(
            router=served.router,
            message=notice(chat, "for alice"),
            parameters=parameters.ChatParameters(user_id="alice"),
        )
        for ws in alice:
            assert await next_json(ws) == {"type": "notice", "text": "for alice"}
        await channels.broadcast_to_receive_chat(
            router=served.router, message=notice(chat, "for bob"), parameters=parameters.ChatParameters(user_id="bob")
        )
        assert await next_json(bob) == {"type": "notice", "text": "for bob"}
        # Alice's connections got nothing more: the next frame each reads is the next one meant for it.
        await channels.broadcast_to_receive_chat(
            router=served.router,
            message=notice(chat, "alice again"),
            parameters=parameters.ChatParameters(user_id="alice"),
        )
        for ws in alice:
            assert await next_json(ws) == {"type": "notice", "text": "alice again"}


async def test_no_parameters_reach_every_connection_on_the_channel(chat: ModuleType) -> None:
    channels = chat.channels
    async with room(chat) as served:
        clients = [await served.client(user) for user in ("alice", "bob", "carol", "a b/c%")]
        for index in range(3):
            await channels.broadcast_to_receive_chat(router=served.router, message=notice(chat, f"all {index}"))
        for ws in clients:
            assert [await next_json(ws) for _ in range(3)] == [
                {"type": "notice", "text": f"all {index}"} for index in range(3)
            ]


async def test_the_registry_lists_open_connections_and_forgets_closed_ones(chat: ModuleType) -> None:
    channels, parameters = chat.channels, chat.parameters
    async with room(chat) as served:
        router = served.router
        assert router.connections("chat") == frozenset()
        first, second = await served.client("alice"), await served.client("bob")
        assert len(router.connections("chat")) == 2
        assert len(router.connections("chat", parameters.ChatParameters(user_id="alice"))) == 1
        assert router.connections("chat", parameters.ChatParameters(user_id="nobody")) == frozenset()
        assert router.connections("no such channel") == frozenset()
        snapshot = router.connections("chat")
        with pytest.raises(AttributeError):
            snapshot.clear()  # type: ignore[attr-defined]

        await first.close()
        assert (await asyncio.wait_for(served.disconnected.get(), TIMEOUT)).user_id == "alice"
        assert [ws.request.path for ws in router.connections("chat")] == ["/chat/bob"]
        assert router.connections("chat", parameters.ChatParameters(user_id="alice")) == frozenset()
        # A broadcast after a client left reaches the others and nothing breaks.
        await channels.broadcast_to_receive_chat(router=router, message=notice(chat, "still here"))
        assert await next_json(second) == {"type": "notice", "text": "still here"}


async def test_a_client_gone_without_a_close_does_not_stop_the_broadcast(chat: ModuleType) -> None:
    channels = chat.channels
    async with room(chat) as served:
        gone = await served.client("gone")
        stays = await served.client("stays")
        # Drop the TCP connection under the client: the server learns it only when writing.
        gone.transport.abort()
        for index in range(20):
            await channels.broadcast_to_receive_chat(router=served.router, message=notice(chat, str(index)))
        assert [(await next_json(stays))["text"] for _ in range(20)] == [str(index) for index in range(20)]
        await asyncio.wait_for(served.disconnected.get(), TIMEOUT)
        assert len(served.router.connections("chat")) == 1


async def test_an_invalid_message_raises_the_validation_error_and_sends_nothing(chat: ModuleType) -> None:
    channels, errors = chat.channels, chat.errors
    async with room(chat) as served:
        ws = await served.client("alice")
        bad = chat.payloads.Say(seq=-1, text="negative seq")
        with pytest.raises(errors.PayloadValidationError):
            await channels.broadcast_to_receive_chat(router=served.router, message=bad)
        await channels.broadcast_to_receive_chat(router=served.router, message=notice(chat, "valid"))
        assert await next_json(ws) == {"type": "notice", "text": "valid"}
        # Skipping validation is the caller's choice, as with publish_to_*.
        await channels.broadcast_to_receive_chat(router=served.router, message=bad, skip_message_validation=True)
        assert await next_json(ws) == {"type": "say", "seq": -1, "text": "negative seq"}


async def test_binary_messages_are_broadcast_as_binary_frames(chat: ModuleType) -> None:
    channels, payloads = chat.channels, chat.payloads
    router = channels.Router()
    channels.register_receive_chunk(router=router)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/blob") as ws:
            while not router.connections("blob"):
                await asyncio.sleep(0.01)
            await channels.broadcast_to_receive_chunk(router=router, message=payloads.Chunk(value=b"\x00\xff"))
            assert await asyncio.wait_for(ws.recv(), TIMEOUT) == b"\x00\xff"


async def test_a_connection_on_a_shared_address_is_on_every_channel_there(chat: ModuleType) -> None:
    channels, payloads = chat.channels, chat.payloads
    router = channels.Router()
    channels.register_join(router=router)
    channels.register_leave(router=router)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/") as ws:
            while not router.connections("lobbyLeave"):
                await asyncio.sleep(0.01)
            assert router.connections("lobbyJoin") == router.connections("lobbyLeave")
            await channels.broadcast_to_join(router=router, message=payloads.Join(who="ada"))
            await channels.broadcast_to_leave(router=router, message=payloads.Leave(who="ada"))
            assert await next_json(ws) == {"event": "join", "who": "ada"}
            assert await next_json(ws) == {"event": "leave", "who": "ada"}


async def test_routers_sharing_an_in_process_broker_reach_each_others_clients(chat: ModuleType) -> None:
    channels, brokers = chat.channels, chat.brokers
    broker = brokers.InProcessBroker()
    async with (
        room(chat, channels.Router(broker=broker)) as one,
        room(chat, channels.Router(broker=broker)) as two,
        room(chat) as alone,
    ):
        a, b, c = await one.client("alice"), await two.client("alice"), await alone.client("alice")
        await channels.broadcast_to_receive_chat(router=one.router, message=notice(chat, "both servers"))
        assert await next_json(a) == await next_json(b) == {"type": "notice", "text": "both servers"}
        # A router with its own default broker is not reached by the others' broadcasts.
        await channels.broadcast_to_receive_chat(router=alone.router, message=notice(chat, "own"))
        assert await next_json(c) == {"type": "notice", "text": "own"}


def test_broadcast_functions_exist_for_what_the_server_sends_only(chat: ModuleType) -> None:
    exported = {name for name in chat.channels.__all__ if name.startswith("broadcast_to_")}
    assert exported == {
        "broadcast_to_receive_chat",
        "broadcast_to_receive_chunk",
        "broadcast_to_join",
        "broadcast_to_leave",
    }


async def test_one_router_served_by_websockets_and_uvicorn_reaches_both(chat: ModuleType) -> None:
    channels, parameters = chat.channels, chat.parameters
    connected: asyncio.Queue[Any] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        connected.put_nowait(parameters)

    router = channels.Router()
    channels.register_receive_chat(router=router, on_connection=on_connection)
    path = parameters.ChatParameters(user_id="ada").get_channel_with_parameters()
    async with serving(router, "websockets") as native_base, serving(router, "uvicorn") as asgi_base:
        async with connect(f"{native_base}/{path}") as native, connect(f"{asgi_base}/{path}") as asgi:
            for _ in range(2):
                await asyncio.wait_for(connected.get(), TIMEOUT)
            assert len(router.connections("chat")) == 2
            for index in range(5):
                await channels.broadcast_to_receive_chat(
                    router=router,
                    message=notice(chat, str(index)),
                    parameters=parameters.ChatParameters(user_id="ada"),
                )
            for ws in (native, asgi):
                assert [(await next_json(ws))["text"] for _ in range(5)] == ["0", "1", "2", "3", "4"]
