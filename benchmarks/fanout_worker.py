"""The second process of the Redis fan-out benchmark (:mod:`benchmarks.fanout_bench`).

    python -m benchmarks.fanout_worker SRC PACKAGE REDIS_URL

Serves, on two free loopback ports printed on stdout (``<generated> <raw>``):

* the generated chat package with a ``RedisBroker`` (prefix ``bench``): what the benchmark
  broadcasts with ``broadcast_to_room_events`` arrives here through Redis;
* the hand-written baseline: a plain ``websockets`` handler keeping a set of connections and a
  redis-py subscription to ``raw-bench`` whose messages go out with ``websockets.broadcast``.

Runs until stdin closes.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import Any

import redis.asyncio as redis_asyncio
from websockets.asyncio.server import ServerConnection, broadcast, serve

RAW_CHANNEL = "raw-bench"


async def raw_listener(url: str, connections: set[ServerConnection], subscribed: asyncio.Event) -> None:
    client = redis_asyncio.Redis.from_url(url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(RAW_CHANNEL)
    subscribed.set()
    async for message in pubsub.listen():
        broadcast(connections, message["data"].decode())


async def main(src: str, package: str, url: str) -> None:
    sys.path.insert(0, src)
    channels = importlib.import_module(f"{package}.channels")
    brokers = importlib.import_module(f"{package}.brokers")
    raw_connections: set[ServerConnection] = set()

    async def raw_handler(ws: ServerConnection) -> None:
        raw_connections.add(ws)
        try:
            await ws.wait_closed()
        finally:
            raw_connections.discard(ws)

    subscribed = asyncio.Event()
    listener = asyncio.create_task(raw_listener(url, raw_connections, subscribed))
    async with brokers.RedisBroker(url, prefix="bench") as broker:
        router: Any = channels.Router(broker=broker)
        channels.register_room_events(router=router)
        async with (
            serve(router, "127.0.0.1", 0, process_request=router.process_request) as generated,
            serve(raw_handler, "127.0.0.1", 0) as raw,
        ):
            await subscribed.wait()
            ports = [server.sockets[0].getsockname()[1] for server in (generated, raw)]
            print(*ports, flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    listener.cancel()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
