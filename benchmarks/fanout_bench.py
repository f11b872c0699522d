"""Fan-out benchmark: ``broadcast_to_*`` against hand-written ``websockets.broadcast``, in one
process and across two processes through Redis. Not a test.

The package is generated from tests/specs/chat-2.6.yaml (server perspective); every figure is
*delivered* messages per second (one message reaching one client counts once), timed from the
first broadcast until every client has read every message. The generated and the raw case are
measured in short interleaved blocks (:mod:`benchmarks.interleave`), ten per round; each ratio is
the median of the per-round ratios.

* local: 1,000 clients of one server. Generated: ``broadcast_to_room_events`` (validates and
  encodes each message, finds the room's connections in the router's registry). Raw:
  ``websockets.broadcast`` of pre-encoded JSON to the same 1,000 connections. Target >= 0.9.
* Redis: this process and a worker (:mod:`benchmarks.fanout_worker`) on one ``redis-server``,
  100 clients on each. Generated: ``broadcast_to_room_events`` with a ``RedisBroker`` in both.
  Raw: redis-py ``publish`` of the JSON, and in each process a redis-py subscription writing it
  with ``websockets.broadcast``. Target >= 0.8.

    python -m benchmarks.fanout_bench [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, broadcast, serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import SPECS, generate, make_template_repo  # noqa: E402
from redis_support import REDIS_SERVER, RedisServer  # noqa: E402

from benchmarks.interleave import Block, Case, interleaved, ratio_figure  # noqa: E402

PACKAGE = "fanout_bench_pkg"
TEXT = {"author": "ada", "text": "Hello, room!", "sentAt": "2024-05-01T12:00:00Z"}


def build() -> Path:
    work = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    template = make_template_repo(work / "template")
    spec = work / "chat.yaml"
    spec.write_text((SPECS / "chat-2.6.yaml").read_text("utf-8"), "utf-8")
    project = generate(template, work / "project", spec_source=str(spec), package_name=PACKAGE, perspective="server")
    sys.path.insert(0, str(project / "src"))
    return project


class Clients:
    """Client connections that count the frames they read, and wait until each read ``n`` more."""

    def __init__(self) -> None:
        self.received = 0
        self.target = 0
        self.reached = asyncio.Event()
        self.size = 0

    async def _read(self, ws: Any) -> None:
        async for _ in ws:
            self.received += 1
            if self.received == self.target:
                self.reached.set()

    @contextlib.asynccontextmanager
    async def open(self, url: str, count: int) -> AsyncIterator[Clients]:
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(count):
                ws = await stack.enter_async_context(connect(url, max_queue=None))
                stack.callback(asyncio.ensure_future(self._read(ws)).cancel)
                self.size += 1
            yield self

    def expect(self, per_client: int) -> Awaitable[Any]:
        self.target = self.received + per_client * self.size
        self.reached.clear()
        return self.reached.wait()


def broadcasting(send: Callable[[int], Awaitable[None]], clients: list[Clients]) -> Case:
    """A case whose block broadcasts ``k`` messages with ``send`` and waits until every client read them.

    Its rate is broadcast messages per second; :func:`delivered` turns it into deliveries.
    """

    @contextlib.asynccontextmanager
    async def open_case() -> AsyncIterator[Block]:
        async def block(k: int) -> float:
            waits = [c.expect(k) for c in clients]
            start = time.perf_counter()
            await send(k)
            await asyncio.gather(*waits)
            return time.perf_counter() - start

        yield block

    return open_case


def delivered(rates: list[float], clients: list[Clients]) -> list[float]:
    """Broadcast messages per second -> messages read by a client per second."""
    readers = sum(c.size for c in clients)
    return [rate * readers for rate in rates]


def raise_file_limit(needed: int = 8192) -> None:
    """Room for two descriptors per local connection (client and server side in one process).

    Not the hard limit itself: some programs started later (git) close every descriptor up to it.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


async def local(clients: int, messages: int, rounds: int, blocks: int) -> dict[str, list[float]]:
    channels = importlib.import_module(f"{PACKAGE}.channels")
    payloads = importlib.import_module(f"{PACKAGE}.payloads")
    room = importlib.import_module(f"{PACKAGE}.parameters").RoomsRoomIdParameters(room_id="r1")
    own: set[ServerConnection] = set()  # the raw side's own registry, kept by hand
    router = channels.Router()
    channels.register_room_events(router=router, on_connection=lambda *, parameters, ws, request: own.add(ws))
    message = payloads.ChatMessage.from_json_data(TEXT)
    frame = json.dumps(TEXT)

    async def generated(k: int) -> None:
        for _ in range(k):
            await channels.broadcast_to_room_events(router=router, message=message, parameters=room)

    async def raw(k: int) -> None:
        for _ in range(k):
            broadcast(own, frame)

    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/rooms/r1"
        async with Clients().open(url, clients) as readers:
            cases = {"local generated": broadcasting(generated, [readers]), "local raw": broadcasting(raw, [readers])}
            rates = await interleaved(cases, per_round=messages, rounds=rounds, blocks=blocks)
            rates = {name: delivered(values, [readers]) for name, values in rates.items()}
    return rates


async def through_redis(project: Path, clients: int, messages: int, rounds: int, blocks: int) -> dict[str, list[float]]:
    import redis.asyncio as redis_asyncio

    from benchmarks.fanout_worker import RAW_CHANNEL, raw_listener

    channels = importlib.import_module(f"{PACKAGE}.channels")
    brokers = importlib.import_module(f"{PACKAGE}.brokers")
    payloads = importlib.import_module(f"{PACKAGE}.payloads")
    room = importlib.import_module(f"{PACKAGE}.parameters").RoomsRoomIdParameters(room_id="r1")
    message = payloads.ChatMessage.from_json_data(TEXT)
    frame = json.dumps(TEXT)
    redis = RedisServer(Path(tempfile.mkdtemp(prefix="fanout-bench-redis-")))
    redis.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.fanout_worker", str(project / "src"), PACKAGE, redis.url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    own: set[ServerConnection] = set()

    async def raw_handler(ws: ServerConnection) -> None:
        own.add(ws)
        try:
            await ws.wait_closed()
        finally:
            own.discard(ws)

    rates: dict[str, list[float]] = {}
    try:
        assert worker.stdout is not None
        line = await asyncio.to_thread(worker.stdout.readline)
        worker_generated, worker_raw = (int(port) for port in line.split())
        subscribed = asyncio.Event()
        listener = asyncio.create_task(raw_listener(redis.url, own, subscribed))
        await subscribed.wait()
        publisher = redis_asyncio.Redis.from_url(redis.url)
        async with (
            brokers.RedisBroker(redis.url, prefix="bench") as broker,
            serve(raw_handler, "127.0.0.1", 0) as raw_server,
        ):
            router = channels.Router(broker=broker)
            channels.register_room_events(router=router)
            async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
                here_generated = server.sockets[0].getsockname()[1]
                here_raw = raw_server.sockets[0].getsockname()[1]
                generated_clients, raw_clients = [Clients(), Clients()], [Clients(), Clients()]
                async with contextlib.AsyncExitStack() as stack:
                    for readers, port in zip(generated_clients, (here_generated, worker_generated), strict=True):
                        await stack.enter_async_context(readers.open(f"ws://127.0.0.1:{port}/rooms/r1", clients))
                    for readers, port in zip(raw_clients, (here_raw, worker_raw), strict=True):
                        await stack.enter_async_context(readers.open(f"ws://127.0.0.1:{port}/", clients))

                    async def generated(k: int) -> None:
                        for _ in range(k):
                            await channels.broadcast_to_room_events(router=router, message=message, parameters=room)

                    async def raw(k: int) -> None:
                        for _ in range(k):
                            await publisher.publish(RAW_CHANNEL, frame)

                    cases = {
                        "redis generated": broadcasting(generated, generated_clients),
                        "redis raw": broadcasting(raw, raw_clients),
                    }
                    rates = await interleaved(cases, per_round=messages, rounds=rounds, blocks=blocks)
                    rates = {
                        "redis generated": delivered(rates["redis generated"], generated_clients),
                        "redis raw": delivered(rates["redis raw"], raw_clients),
                    }
        listener.cancel()
        await publisher.aclose()
    finally:
        if worker.stdin is not None:
            worker.stdin.close()
        worker.wait(30)
        redis.stop()
    return rates


RATIOS = [
    ("local generated", "local raw", 0.9, "broadcast_to_* to {clients} local clients", "websockets.broadcast"),
    ("redis generated", "redis raw", 0.8, "broadcast_to_* via Redis, 2 processes", "redis-py + websockets.broadcast"),
]


def figures(rates: dict[str, list[float]], settings: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for case, baseline, target, name, baseline_name in RATIOS:
        if case in rates:
            figure = ratio_figure(rates, case, baseline, target)
            out.append(figure | {"name": name.format(**settings), "baseline": baseline_name})
    return out


def run(quick: bool = False) -> dict[str, Any]:
    """Entry point of ``python -m benchmarks``."""
    # 100 broadcasts per local round: with 1,000 clients in the process, a full garbage collection
    # pauses for tens of milliseconds and lands in one block or another; twenty blocks a round
    # spread those pauses over both sides (quartiles 0.95-1.02 against 0.87-1.11 with fifty).
    settings = (
        {"clients": 50, "messages": 20, "redis_clients": 10, "redis_messages": 50, "rounds": 2, "blocks": 2}
        if quick
        else {"clients": 1000, "messages": 100, "redis_clients": 100, "redis_messages": 500, "rounds": 9, "blocks": 20}
    )
    raise_file_limit()
    project = build()
    rates = asyncio.run(local(settings["clients"], settings["messages"], settings["rounds"], settings["blocks"]))
    record: dict[str, Any] = {"settings": settings}
    try:
        import redis  # noqa: F401
    except ImportError:
        record["redis"] = "skipped: redis-py is not installed (pip install --group dev)"
    else:
        if REDIS_SERVER is None:
            record["redis"] = "skipped: no redis-server on PATH"
        else:
            rates |= asyncio.run(
                through_redis(
                    project,
                    settings["redis_clients"],
                    settings["redis_messages"],
                    settings["rounds"],
                    settings["blocks"],
                )
            )
    record["medians"] = {name: statistics.median(values) for name, values in rates.items()}
    record["figures"] = figures(rates, settings)
    return record


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    result = run(quick=parser.parse_args().quick)
    for figure in result["figures"]:
        low, high = figure["ratio_quartiles"]
        print(
            f"{figure['name']:45s} {figure['value']:12,.0f} msg/s  {figure['ratio']:5.2f} ({low:.2f}-{high:.2f})"
            f" of {figure['baseline']} (target >= {figure['target']:.2f})"
        )
    print(result.get("redis", ""))
