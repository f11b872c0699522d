"""``router.asgi()`` under a real uvicorn, alone and mounted in FastAPI: the same channels as ``serve``.

Every test starts uvicorn in-process on a free loopback port (tests/asgi_support.py) and talks to
it with real ``websockets`` clients. The ``app`` fixture runs each test twice: the router's ASGI
application served alone, and mounted at ``/ws`` in a FastAPI application that has routes of its
own (the prefix is then part of every URL).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from asgi_support import uvicorn_serving
from fastapi import Depends, FastAPI, Header, WebSocket, WebSocketException, status
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosedError, InvalidStatus

TIMEOUT = 15.0

App = Callable[[Any], tuple[Any, str]]
"""router -> (the ASGI application to serve, the URL prefix of the router's channels)."""


def alone(router: Any) -> tuple[Any, str]:
    return router.asgi(), ""


def mounted(router: Any) -> tuple[Any, str]:
    api = FastAPI()

    @api.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    api.mount("/ws", router.asgi())
    return api, "/ws"


@pytest.fixture(params=[alone, mounted], ids=["uvicorn", "fastapi-mount"])
def app(request: pytest.FixtureRequest) -> App:
    factory: App = request.param
    return factory


async def wait_for(predicate: Any, what: str) -> None:
    for _ in range(int(TIMEOUT / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def say(chat: ModuleType, seq: int, text: str = "hi") -> Any:
    return chat.payloads.Say(seq=seq, text=text)


async def refusal_status(url: str, **options: Any) -> int:
    """The HTTP status with which the server refuses a WebSocket handshake to ``url``."""
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, **options):
            pass
    return int(refused.value.response.status_code)


async def test_a_thousand_typed_messages_each_way_in_order_with_parameters(chat: ModuleType, app: App) -> None:
    payloads, channels = chat.payloads, chat.channels
    seen: list[tuple[int, str, Any, Any]] = []
    connected: list[Any] = []
    ended: list[Any] = []

    def on_connection(*, parameters: Any, ws: Any, request: Any, query: Any = None, headers: Any = None) -> None:
        connected.append((parameters, request.path, query, headers, type(ws).__name__))

    async def on_message(*, message: Any, ws: Any, parameters: Any, query: Any = None) -> None:
        seen.append((message.seq, parameters.user_id, query.limit, message.text))
        notice = payloads.Notice(text=f"{parameters.user_id}:{message.seq}")
        await channels.publish_to_receive_chat(message=notice, ws=ws)

    router = channels.Router()
    channels.register_send_say(
        router=router,
        on_connection=on_connection,
        on_message=on_message,
        on_disconnect=lambda **kw: ended.append(kw["ws"].close_code),
    )
    served, prefix = app(router)
    params = chat.parameters.ChatParameters(user_id="a/b c")
    async with uvicorn_serving(served) as port:
        url = f"ws://127.0.0.1:{port}{prefix}/{params.get_channel_with_parameters()}?limit=5&verbose=true"
        async with connect(url, additional_headers={"X-Client": "cli"}) as ws:
            notices: list[str] = []
            sub = channels.subscribe_to_receive_chat(ws=ws, parameters=params)
            for seq in range(1000):
                await channels.publish_to_send_say(message=say(chat, seq, f"m{seq}"), ws=ws, parameters=params)
            async for notice in sub:
                notices.append(notice.text)
                if len(notices) == 1000:
                    break
            sub.unsubscribe()
        await wait_for(lambda: ended, "on_disconnect")
    assert seen == [(seq, "a/b c", 5, f"m{seq}") for seq in range(1000)]
    assert notices == [f"a/b c:{seq}" for seq in range(1000)]
    [(parameters, path, query, headers, kind)] = connected
    assert parameters == params and kind == "AsgiConnection"
    assert path == "/chat/a%2Fb%20c?limit=5&verbose=true"
    assert (query.limit, query.verbose, headers.x_client) == (5, True, "cli")
    assert ended == [1000]


async def test_unknown_paths_and_bad_parameters_are_refused_with_their_http_status(chat: ModuleType, app: App) -> None:
    channels = chat.channels
    called: list[Any] = []
    router = channels.Router()
    channels.register_send_say(router=router, on_connection=lambda **kw: called.append(kw))
    channels.register_say_in_room(router=router, on_connection=lambda **kw: called.append(kw))
    served, prefix = app(router)
    async with uvicorn_serving(served) as port:
        base = f"ws://127.0.0.1:{port}{prefix}"
        assert await refusal_status(f"{base}/nowhere") == 404
        assert await refusal_status(f"{base}/chat/u1/extra") == 404
        assert await refusal_status(f"{base}/rooms/secret") == 400  # not in the parameter's enum
        assert await refusal_status(f"{base}/chat/u1?limit=lots") == 400  # query: an integer
        assert await refusal_status(f"{base}/chat/u1", additional_headers={"X-Client": "tv"}) == 400
        async with connect(f"{base}/rooms/public") as ws:
            await ws.send(say(chat, 1).marshal())
        # A plain HTTP request: 426 on a channel's path, 404 elsewhere.
        with pytest.raises(urllib.error.HTTPError) as upgrade:
            await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}{prefix}/chat/u1", timeout=TIMEOUT)
        assert upgrade.value.code == 426
        with pytest.raises(urllib.error.HTTPError) as missing:
            await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}{prefix}/nowhere", timeout=TIMEOUT)
        assert missing.value.code == 404
        if prefix:  # the FastAPI application's own routes work beside the mount
            health = await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}/health", timeout=TIMEOUT)
            assert json.loads(health.read()) == {"status": "ok"}
    assert [kw["parameters"].kind for kw in called] == ["public"]


async def test_without_the_http_response_extension_a_refusal_is_a_403(chat: ModuleType) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router)
    inner = router.asgi()

    async def without_extension(scope: Any, receive: Any, send: Any) -> None:
        await inner({**scope, "extensions": {}}, receive, send)

    async with uvicorn_serving(without_extension) as port:
        assert await refusal_status(f"ws://127.0.0.1:{port}/nowhere") == 403
        assert await refusal_status(f"ws://127.0.0.1:{port}/chat/u1?limit=x") == 403
        async with connect(f"ws://127.0.0.1:{port}/chat/u1") as ws:
            await chat.channels.publish_to_send_say(message=say(chat, 1), ws=ws)


async def test_close_codes_request_reply_and_binary_frames_as_under_serve(chat: ModuleType, app: App) -> None:
    payloads, channels = chat.payloads, chat.channels

    def on_say(*, message: Any, ws: Any, parameters: Any) -> None:
        if message.text == "boom":
            raise RuntimeError("handler bug")

    router = channels.Router()
    channels.register_send_say(router=router, on_message=on_say)
    channels.register_ask(router=router, on_message=lambda **kw: payloads.Answer(a=kw["message"].q.upper()))
    channels.register_ping(router=router, on_message=lambda **kw: payloads.Pong(reqid=kw["message"].reqid))
    channels.register_send_chunk(
        router=router, on_message=lambda **kw: channels.publish_to_receive_chunk(message=kw["message"], ws=kw["ws"])
    )
    served, prefix = app(router)
    async with uvicorn_serving(served) as port:
        base = f"ws://127.0.0.1:{port}{prefix}"
        async with connect(f"{base}/chat/u1") as ws:
            await ws.send("{not json")
            with pytest.raises(ConnectionClosedError) as invalid:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert invalid.value.rcvd is not None and invalid.value.rcvd.code == 1007
        async with connect(f"{base}/chat/u1") as ws:
            await channels.publish_to_send_say(message=say(chat, 0, "boom"), ws=ws)
            with pytest.raises(ConnectionClosedError) as crashed:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert crashed.value.rcvd is not None and crashed.value.rcvd.code == 1011
        async with connect(f"{base}/echo") as ws:
            answer = await channels.request_ask(message=payloads.Question(q="why"), ws=ws, timeout=TIMEOUT)
        assert answer == payloads.Answer(a="WHY")
        async with connect(f"{base}/chat/u2") as ws:
            pongs = await asyncio.gather(
                *(channels.request_ping(message=payloads.Ping(reqid=i), ws=ws, timeout=TIMEOUT) for i in range(20))
            )
        assert [pong.reqid for pong in pongs] == list(range(20))
        async with connect(f"{base}/blob") as ws:
            sub = channels.subscribe_to_receive_chunk(ws=ws)
            await channels.publish_to_send_chunk(message=payloads.Chunk(value=b"\x00\xffdata"), ws=ws)
            echoed = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
        assert echoed == payloads.Chunk(value=b"\x00\xffdata")


async def test_fifty_clients_two_hundred_messages_each_nothing_lost(chat: ModuleType, app: App) -> None:
    received: dict[str, list[int]] = {}
    closed: set[str] = set()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        received[parameters.user_id] = []

    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router,
        on_connection=on_connection,
        on_message=lambda **kw: received[kw["parameters"].user_id].append(kw["message"].seq),
        on_disconnect=lambda **kw: closed.add(kw["parameters"].user_id),
    )
    served, prefix = app(router)

    async def client(port: int, index: int) -> None:
        params = chat.parameters.ChatParameters(user_id=f"user {index}")
        async with connect(f"ws://127.0.0.1:{port}{prefix}/{params.get_channel_with_parameters()}") as ws:
            for seq in range(200):
                await chat.channels.publish_to_send_say(message=say(chat, seq), ws=ws, parameters=params)

    async with uvicorn_serving(served) as port:
        await asyncio.gather(*(client(port, i) for i in range(50)))
        await wait_for(lambda: len(closed) == 50, "50 disconnects")
    assert sorted(received) == sorted(f"user {i}" for i in range(50))
    for user, seqs in received.items():
        assert seqs == list(range(200)), user


async def test_fastapi_routes_dependencies_and_auth_beside_the_router(chat: ModuleType) -> None:
    """Auth two ways: a FastAPI dependency on a route that hands over, and ``on_connection``."""
    channels = chat.channels
    seen: list[tuple[str, str]] = []
    router = channels.Router()

    async def on_connection(*, ws: Any, headers: Any = None, **_: Any) -> None:
        if ws.request.headers.get("authorization") != "Bearer letmein":
            await ws.close(1008, "who are you?")

    channels.register_send_say(
        router=router,
        on_connection=on_connection,
        on_message=lambda **kw: seen.append((kw["parameters"].user_id, kw["message"].text)),
    )
    chat_app = router.asgi()
    api = FastAPI()

    def user_of(authorization: str = Header("")) -> str:
        if authorization != "Bearer letmein":
            raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)
        return "alice"

    @api.websocket("/guarded/chat/{user_id}")
    async def guarded(websocket: WebSocket, user: str = Depends(user_of)) -> None:
        # The dependency ran before the handshake; the router serves the rest below /guarded.
        await chat_app({**websocket.scope, "root_path": "/guarded"}, websocket.receive, websocket.send)

    api.mount("/ws", chat_app)
    token = {"Authorization": "Bearer letmein"}
    async with uvicorn_serving(api) as port:
        assert await refusal_status(f"ws://127.0.0.1:{port}/guarded/chat/u1") == 403
        async with connect(f"ws://127.0.0.1:{port}/guarded/chat/u1", additional_headers=token) as ws:
            await channels.publish_to_send_say(message=say(chat, 1, "via dependency"), ws=ws)
        async with connect(f"ws://127.0.0.1:{port}/ws/chat/u2") as ws:
            with pytest.raises(ConnectionClosedError) as refused:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert refused.value.rcvd is not None and refused.value.rcvd.code == 1008
        async with connect(f"ws://127.0.0.1:{port}/ws/chat/u3", additional_headers=token) as ws:
            await channels.publish_to_send_say(message=say(chat, 2, "via on_connection"), ws=ws)
        await wait_for(lambda: len(seen) == 2, "both messages")
    assert sorted(seen) == [("u1", "via dependency"), ("u3", "via on_connection")]


async def test_lifespan_is_acknowledged_when_served_alone(chat: ModuleType) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router)
    async with uvicorn_serving(router.asgi(), lifespan="on") as port:
        async with connect(f"ws://127.0.0.1:{port}/chat/u1") as ws:
            await chat.channels.publish_to_send_say(message=say(chat, 1), ws=ws)


async def test_broadcast_reaches_asgi_and_websockets_connections_in_order(chat: ModuleType) -> None:
    """``_runtime.asgi.broadcast``: what fan-out uses to write to every connection without waiting."""
    import importlib

    asgi_runtime = importlib.import_module("rt_chat._runtime.asgi")
    payloads, channels = chat.payloads, chat.channels
    joined: list[Any] = []
    router = channels.Router()
    channels.register_receive_chat(router=router, on_connection=lambda **kw: joined.append(kw["ws"]))
    notices = [payloads.Notice(text=f"n{i}").marshal() for i in range(200)]
    async with uvicorn_serving(router.asgi()) as port, serve(router, "127.0.0.1", 0) as native:
        urls = [f"ws://127.0.0.1:{port}/chat/a", f"ws://127.0.0.1:{port}/chat/b"]
        urls.append(f"ws://127.0.0.1:{native.sockets[0].getsockname()[1]}/chat/c")
        clients = [await connect(url) for url in urls]
        try:
            subs = [channels.subscribe_to_receive_chat(ws=ws) for ws in clients]
            await wait_for(lambda: len(joined) == 3, "three connections")
            assert sorted(type(ws).__name__ for ws in joined) == [
                "AsgiConnection",
                "AsgiConnection",
                "ServerConnection",
            ]
            for frame in notices:
                asgi_runtime.broadcast(joined, frame)
            for sub in subs:
                got = []
                async for notice in sub:
                    got.append(notice.text)
                    if len(got) == len(notices):
                        break
                assert got == [f"n{i}" for i in range(200)]
            await clients[0].close()
            await wait_for(lambda: joined[0].state.name == "CLOSED" or joined[1].state.name == "CLOSED", "a close")
            asgi_runtime.broadcast(joined, notices[0])  # a closed connection is skipped, no error
        finally:
            for ws in clients:
                await ws.close()
