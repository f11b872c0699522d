"""ASGI cases of the runtime benchmark: ``router.asgi()`` against a raw Starlette endpoint.

Both run under the same uvicorn (same options, one connection over loopback, client and server
in one event loop like the other runtime cases): the raw side is a Starlette ``WebSocketRoute``
on the same path that does ``json.loads`` per frame; the generated side is ``publish_to_*`` ->
``register_*`` ``on_message`` through ``router.asgi()``. :mod:`benchmarks.runtime_bench` opens them
side by side, interleaves their blocks and reports the ratio.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import time
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

from asgi_support import uvicorn_serving  # tests/ is on sys.path (see runtime_bench)
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect

from benchmarks.interleave import Arrivals, Block

DATA = {"userId": "user123", "email": "user@example.com", "age": 42, "active": True}


@contextlib.asynccontextmanager
async def one_way_starlette() -> AsyncIterator[Block]:
    """Raw baseline: client ``send(json.dumps(d))`` -> Starlette endpoint ``json.loads``."""
    arrivals = Arrivals()

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        async for text in websocket.iter_text():
            json.loads(text)
            arrivals.tick()

    app = Starlette(routes=[WebSocketRoute("/events/{user_id}", endpoint)])
    async with uvicorn_serving(app) as port, connect(f"ws://127.0.0.1:{port}/events/user123") as ws:

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            for _ in range(k):
                await ws.send(json.dumps(DATA))
            await arrived
            return time.perf_counter() - start

        yield block


@contextlib.asynccontextmanager
async def one_way_asgi(channels: ModuleType, validate: bool) -> AsyncIterator[Block]:
    """Generated: ``publish_to_send_event`` -> ``router.asgi()`` -> ``on_message``."""
    payloads = importlib.import_module(channels.__name__.rsplit(".", 1)[0] + ".payloads")
    arrivals = Arrivals()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        arrivals.tick()

    router = channels.Router()
    channels.register_send_event(router=router, on_message=on_message, skip_message_validation=not validate)
    message = payloads.Event.from_json_data(DATA)
    publish = channels.publish_to_send_event
    async with uvicorn_serving(router.asgi()) as port, connect(f"ws://127.0.0.1:{port}/events/user123") as ws:

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            for _ in range(k):
                await publish(message=message, ws=ws, skip_message_validation=not validate)
            await arrived
            return time.perf_counter() - start

        yield block
