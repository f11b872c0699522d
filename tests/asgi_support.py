"""Real servers started in-process on a free loopback port: uvicorn for the ASGI tests, and one
helper serving a router the three ways a user can (``websockets.serve``, uvicorn, FastAPI mount)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from fastapi import FastAPI
from websockets.asyncio.server import serve

SERVED_WAYS = ("websockets", "uvicorn", "fastapi-mount")


@contextlib.asynccontextmanager
async def uvicorn_serving(app: Any, **options: Any) -> AsyncIterator[int]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) while the block runs; yield the port."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **options)
    server = uvicorn.Server(config)
    # Signals stay with the test runner: uvicorn's handlers are for a process it owns.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # startup failed: raise its error
            raise RuntimeError("uvicorn stopped before it started")
        await asyncio.sleep(0.01)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


@contextlib.asynccontextmanager
async def serving(router: Any, how: str) -> AsyncIterator[str]:
    """Serve ``router`` one of the :data:`SERVED_WAYS`; yield the base URL of its channels."""
    if how == "websockets":
        async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
            yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    elif how == "uvicorn":
        async with uvicorn_serving(router.asgi()) as port:
            yield f"ws://127.0.0.1:{port}"
    else:
        api = FastAPI()
        api.mount("/ws", router.asgi())
        async with uvicorn_serving(api) as port:
            yield f"ws://127.0.0.1:{port}/ws"
