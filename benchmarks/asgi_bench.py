"""ASGI cases of the runtime benchmark: ``router.asgi()`` against a raw Starlette endpoint.

Both run under the same uvicorn (same options, one connection over loopback, client and server
in one event loop like the other runtime cases): the raw side is a Starlette ``WebSocketRoute``
on the same path that does ``json.loads`` per frame; the generated side is ``publish_to_*`` ->
``register_*`` ``on_message`` through ``router.asgi()``. :mod:`benchmarks.runtime_bench` runs them
in its alternating rounds and reports the ratio.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import time
from types import ModuleType
from typing import Any

from asgi_support import uvicorn_serving  # tests/ is on sys.path (see runtime_bench)
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect

DATA = {"userId": "user123", "email": "user@example.com", "age": 42, "active": True}


async def one_way_starlette(n: int) -> float:
    """Raw baseline: client ``send(json.dumps(d))`` -> Starlette endpoint ``json.loads``."""
    done = asyncio.Event()
    count = 0

    async def endpoint(websocket: WebSocket) -> None:
        nonlocal count
        await websocket.accept()
        async for text in websocket.iter_text():
            json.loads(text)
            count += 1
            if count == n:
                done.set()

    app = Starlette(routes=[WebSocketRoute("/events/{user_id}", endpoint)])
    async with uvicorn_serving(app) as port:
        async with connect(f"ws://127.0.0.1:{port}/events/user123") as ws:
            start = time.perf_counter()
            for _ in range(n):
                await ws.send(json.dumps(DATA))
            await done.wait()
            return n / (time.perf_counter() - start)


async def one_way_asgi(channels: ModuleType, n: int, validate: bool) -> float:
    """Generated: ``publish_to_send_event`` -> ``router.asgi()`` -> ``on_message``."""
    payloads = importlib.import_module(channels.__name__.rsplit(".", 1)[0] + ".payloads")
    done = asyncio.Event()
    count = 0

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        nonlocal count
        count += 1
        if count == n:
            done.set()

    router = channels.Router()
    channels.register_send_event(router=router, on_message=on_message, skip_message_validation=not validate)
    message = payloads.Event.from_json_data(DATA)
    async with uvicorn_serving(router.asgi()) as port:
        async with connect(f"ws://127.0.0.1:{port}/events/user123") as ws:
            publish = channels.publish_to_send_event
            start = time.perf_counter()
            for _ in range(n):
                await publish(message=message, ws=ws, skip_message_validation=not validate)
            await done.wait()
            return n / (time.perf_counter() - start)
