"""Client connections are freed once closed and dropped, whatever the generated code did on them.

Each client connection that requests or subscribes gets a shared frame reader, registered per
connection. The registry must not keep a connection alive: a long-running client opening many
connections would otherwise hold every one of them (and their buffers) forever.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from types import ModuleType
from typing import Any

import pytest
from runtime_support import port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

CONNECTIONS = 5


def router_of(chat: ModuleType) -> Any:
    payloads, channels = chat.payloads, chat.channels

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await ws.send(payloads.Notice(text="welcome").marshal())

    router = channels.Router()
    channels.register_ping(router=router, on_message=lambda **kw: payloads.Pong())
    channels.register_receive_chat(router=router, on_connection=on_connection)
    return router


async def use(chat: ModuleType, url: str, how: str) -> weakref.ref[Any]:
    payloads, channels = chat.payloads, chat.channels
    async with connect(url) as ws:
        # Subscribe first: the welcome notice comes right after the handshake.
        if how in ("subscribe", "both"):
            got: asyncio.Queue[Any] = asyncio.Queue()
            channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: got.put_nowait(kw["msg"]))
            assert (await asyncio.wait_for(got.get(), 10)).text == "welcome"
        if how in ("request", "both"):
            reply = await channels.request_ping(message=payloads.Ping(reqid=1), ws=ws)
            assert reply.reqid == 1
        return weakref.ref(ws)


@pytest.mark.parametrize("how", ["request", "subscribe", "both"])
async def test_closed_connections_are_freed(chat: ModuleType, how: str) -> None:
    async with serve(router_of(chat), "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{port_of(server)}/chat/u1"
        refs = [await use(chat, url, how) for _ in range(CONNECTIONS)]
        for _ in range(100):  # the reader tasks of subscriptions end once their connection closed
            gc.collect()
            if not any(ref() is not None for ref in refs):
                break
            await asyncio.sleep(0.01)
    assert [ref() for ref in refs] == [None] * CONNECTIONS
