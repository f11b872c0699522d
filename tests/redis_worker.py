"""One server process of a generated chat package, broadcasting through Redis (a test worker).

    python tests/redis_worker.py SRC PACKAGE REDIS_URL PREFIX

Imports ``PACKAGE`` from the folder ``SRC`` (a package generated from tests/specs/chat-2.6.yaml
with the server's perspective), serves it on a free loopback port and prints that port on
stdout. Every chat message a client posts to ``rooms/{roomId}`` is broadcast with
``broadcast_to_room_events`` to that room, in every worker attached to the same Redis. Logs go
to stderr; SIGTERM stops the worker.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
import sys
from typing import Any


async def main(src: str, package: str, url: str, prefix: str) -> None:
    sys.path.insert(0, src)
    channels = importlib.import_module(f"{package}.channels")
    brokers = importlib.import_module(f"{package}.brokers")
    from websockets.asyncio.server import serve

    stop = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with brokers.RedisBroker(url, prefix=prefix, min_backoff=0.05, max_backoff=0.5) as broker:
        router = channels.Router(broker=broker)

        async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
            await channels.broadcast_to_room_events(router=router, message=message, parameters=parameters)

        channels.register_post_message(router=router, on_message=on_message)
        async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
            print(server.sockets[0].getsockname()[1], flush=True)
            await stop
        logging.getLogger("redis_worker").warning("stopping; broker stats: %s", broker.stats)


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    asyncio.run(main(*sys.argv[1:5]))
