"""Runtime benchmark: generated channel functions against raw ``websockets`` + ``json``.

Not a test. Generates a small package (one ~60-byte JSON message, ten multiplexed message types,
a request/reply pair with a correlation id), then measures each generated path beside its raw
baseline, every case on its own connection over loopback, in short interleaved blocks
(:mod:`benchmarks.interleave`):

* one-way throughput: raw ``send(json.dumps(d))`` -> server ``json.loads`` vs generated
  ``publish_to_*`` -> ``register_*`` ``on_message``, validation off and on (both sides);
* round trips: raw echo vs ``request_*`` -> ``on_message`` returning the reply;
* multiplexing: raw one-way vs ten ``subscribe_to_*`` on one client connection;
* ASGI (:mod:`benchmarks.asgi_bench`): a raw Starlette endpoint doing ``json.loads`` vs
  ``publish_to_*`` -> ``router.asgi()``, both under the same uvicorn;
* the blocking client (``sync.py``): raw ``websockets.sync`` ``send(json.dumps(d))`` vs
  ``sync.publish_to_*``, each from a thread to a server on the event loop.

Prints the median rates and, for each generated path, the median of its per-round ratios to the
raw baseline measured in the same blocks, with their quartiles, and the raw one-way loop against
itself on a second connection (the noise floor of every ratio). Targets in the project's
performance notes and the benchmark docs: >= 0.95 without and >= 0.90 with ``parameters=`` on
every publish, >= 0.95 for round trips, >= 0.80 multiplexed; ASGI and the blocking client: >= 0.80.

    python benchmarks/runtime_bench.py [--messages 10000] [--rounds 15] [--blocks 25]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.sync.client import connect as connect_blocking

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(1, str(ROOT))  # ``benchmarks.asgi_bench`` when run as a script

from helpers import generate, make_template_repo  # noqa: E402

from benchmarks.asgi_bench import one_way_asgi, one_way_starlette  # noqa: E402
from benchmarks.interleave import Arrivals, Block, Case, interleaved, ratio_figure  # noqa: E402

TOPICS = [f"t{i}" for i in range(10)]
SPEC = (
    """\
asyncapi: 3.0.0
info: {title: Bench, version: 1.0.0}
channels:
  events:
    address: events/{userId}
    parameters:
      userId: {}
    messages:
      event: {$ref: '#/components/messages/Event'}
  rpc:
    address: rpc
    messages:
      ping: {$ref: '#/components/messages/Ping'}
      pong: {$ref: '#/components/messages/Pong'}
  feed:
    address: feed
    messages:
"""
    + "".join(f"      {t}: {{$ref: '#/components/messages/{t.upper()}'}}\n" for t in TOPICS)
    + """\
operations:
  sendEvent:
    action: send
    channel: {$ref: '#/channels/events'}
  ping:
    action: send
    channel: {$ref: '#/channels/rpc'}
    messages: [{$ref: '#/channels/rpc/messages/ping'}]
    reply:
      messages: [{$ref: '#/channels/rpc/messages/pong'}]
"""
    + "".join(
        f"  on{t.upper()}:\n    action: receive\n    channel: {{$ref: '#/channels/feed'}}\n"
        f"    messages: [{{$ref: '#/channels/feed/messages/{t}'}}]\n"
        for t in TOPICS
    )
    + """\
components:
  messages:
    Event:
      payload:
        type: object
        required: [userId, email, age, active]
        properties:
          userId: {type: string}
          email: {type: string}
          age: {type: integer}
          active: {type: boolean}
    Ping:
      correlationId: {location: '$message.payload#/rid'}
      payload:
        type: object
        required: [kind, rid]
        properties:
          kind: {const: ping}
          rid: {type: integer}
    Pong:
      correlationId: {location: '$message.payload#/rid'}
      payload:
        type: object
        required: [kind, rid]
        properties:
          kind: {const: pong}
          rid: {type: integer}
"""
    + "".join(
        f"    {t.upper()}:\n      payload:\n        type: object\n        required: [topic, n]\n"
        f"        properties:\n          topic: {{const: {t}}}\n          n: {{type: integer}}\n"
        for t in TOPICS
    )
)
DATA = {"userId": "user123", "email": "user@example.com", "age": 42, "active": True}


def build() -> ModuleType:
    work = Path(tempfile.mkdtemp(prefix="runtime-bench-"))
    template = make_template_repo(work / "template")
    spec = work / "bench.yaml"
    spec.write_text(SPEC, "utf-8")
    project = generate(template, work / "project", spec_source=str(spec), package_name="bench_pkg")
    sys.path.insert(0, str(project / "src"))
    return importlib.import_module("bench_pkg.channels")


def url_of(server: Any, path: str) -> str:
    return f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}{path}"


@contextlib.asynccontextmanager
async def raw_one_way() -> AsyncIterator[Block]:
    """Raw baseline: client ``send(json.dumps(d))`` -> server ``json.loads``."""
    arrivals = Arrivals()

    async def handler(ws: Any) -> None:
        async for frame in ws:
            json.loads(frame)
            arrivals.tick()

    async with serve(handler, "127.0.0.1", 0) as server, connect(url_of(server, "/events/user123")) as ws:

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            for _ in range(k):
                await ws.send(json.dumps(DATA))
            await arrived
            return time.perf_counter() - start

        yield block


@contextlib.asynccontextmanager
async def generated_one_way(
    channels: ModuleType, validate: bool, with_parameters: bool = False
) -> AsyncIterator[Block]:
    """Publish -> register; ``with_parameters``: every publish passes ``parameters=``, as users do."""
    payloads = importlib.import_module("bench_pkg.payloads")
    parameters = importlib.import_module("bench_pkg.parameters").EventsParameters(user_id="user123")
    arrivals = Arrivals()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        arrivals.tick()

    router = channels.Router()
    channels.register_send_event(router=router, on_message=on_message, skip_message_validation=not validate)
    message = payloads.Event.from_json_data(DATA)
    publish = channels.publish_to_send_event
    async with serve(router, "127.0.0.1", 0) as server, connect(url_of(server, "/events/user123")) as ws:

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            if with_parameters:
                for _ in range(k):
                    await publish(message=message, ws=ws, parameters=parameters, skip_message_validation=not validate)
            else:
                for _ in range(k):
                    await publish(message=message, ws=ws, skip_message_validation=not validate)
            await arrived
            return time.perf_counter() - start

        yield block


@contextlib.asynccontextmanager
async def blocking_one_way(channels: ModuleType | None) -> AsyncIterator[Block]:
    """A blocking client in a worker thread sends to a server on this event loop.

    ``channels`` None: raw ``websockets.sync`` ``send(json.dumps(d))`` to a handler doing
    ``json.loads``; else ``sync.publish_to_*`` (validation on) to ``register_*``.
    """
    arrivals = Arrivals()

    async def handler(ws: Any) -> None:
        async for frame in ws:
            json.loads(frame)
            arrivals.tick()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        arrivals.tick()

    if channels is None:
        server_handler: Any = handler
    else:
        server_handler = channels.Router()
        channels.register_send_event(router=server_handler, on_message=on_message)
    async with serve(server_handler, "127.0.0.1", 0) as server:
        url = url_of(server, "/events/user123")
        # Connected from a worker thread (the server runs on this loop), then used as its context.
        client = await asyncio.to_thread(lambda: connect_blocking(url).__enter__())
        if channels is None:

            def send(k: int) -> None:
                for _ in range(k):
                    client.send(json.dumps(DATA))

        else:
            publish = importlib.import_module("bench_pkg.sync").publish_to_send_event
            message = importlib.import_module("bench_pkg.payloads").Event.from_json_data(DATA)

            def send(k: int) -> None:
                for _ in range(k):
                    publish(message=message, ws=client)

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            await asyncio.gather(asyncio.to_thread(send, k), arrived)
            return time.perf_counter() - start

        try:
            yield block
        finally:
            await asyncio.to_thread(client.close)


@contextlib.asynccontextmanager
async def raw_echo() -> AsyncIterator[Block]:
    async def handler(ws: Any) -> None:
        async for frame in ws:
            data = json.loads(frame)
            await ws.send(json.dumps({"kind": "pong", "rid": data["rid"]}))

    async with serve(handler, "127.0.0.1", 0) as server, connect(url_of(server, "/rpc")) as ws:

        async def block(k: int) -> float:
            start = time.perf_counter()
            for i in range(k):
                await ws.send(json.dumps({"kind": "ping", "rid": i}))
                json.loads(await ws.recv())
            return time.perf_counter() - start

        yield block


@contextlib.asynccontextmanager
async def generated_echo(channels: ModuleType, validate: bool = True) -> AsyncIterator[Block]:
    payloads = importlib.import_module("bench_pkg.payloads")

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        return payloads.Pong(rid=message.rid)

    router = channels.Router()
    channels.register_ping(router=router, on_message=on_message, skip_message_validation=not validate)
    request, ping = channels.request_ping, payloads.Ping
    async with serve(router, "127.0.0.1", 0) as server, connect(url_of(server, "/rpc")) as ws:

        async def block(k: int) -> float:
            start = time.perf_counter()
            for i in range(k):
                await request(message=ping(rid=i), ws=ws, skip_message_validation=not validate)
            return time.perf_counter() - start

        yield block


FEED = [json.dumps({"topic": t, "n": i}) for i, t in enumerate(TOPICS * 100)]


@contextlib.asynccontextmanager
async def sending_server() -> AsyncIterator[tuple[Any, asyncio.Queue[int | None]]]:
    """A server that sends ``k`` frames of the ten topics each time ``k`` is put in the queue."""
    orders: asyncio.Queue[int | None] = asyncio.Queue()

    async def handler(ws: Any) -> None:
        sent = 0
        while (k := await orders.get()) is not None:
            for _ in range(k):
                await ws.send(FEED[sent % len(FEED)])
                sent += 1

    async with serve(handler, "127.0.0.1", 0) as server:
        try:
            yield server, orders
        finally:
            orders.put_nowait(None)


@contextlib.asynccontextmanager
async def raw_received() -> AsyncIterator[Block]:
    """Raw baseline for the multiplexed case: server sends, client ``recv`` + ``json.loads``."""
    async with sending_server() as (server, orders), connect(url_of(server, "/feed")) as ws:

        async def block(k: int) -> float:
            start = time.perf_counter()
            orders.put_nowait(k)
            for _ in range(k):
                json.loads(await ws.recv())
            return time.perf_counter() - start

        yield block


@contextlib.asynccontextmanager
async def multiplexed(channels: ModuleType) -> AsyncIterator[Block]:
    """Ten ``subscribe_to_*`` on one client connection, each frame going to its topic's callback."""
    arrivals = Arrivals()

    def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        arrivals.tick()

    async with sending_server() as (server, orders), connect(url_of(server, "/feed")) as ws:
        for t in TOPICS:
            getattr(channels, f"subscribe_to_on_{t}")(ws=ws, on_data_callback=on_data)

        async def block(k: int) -> float:
            arrived = arrivals.expect(k)
            start = time.perf_counter()
            orders.put_nowait(k)
            await arrived
            return time.perf_counter() - start

        yield block


MESSAGES = 10000
ROUNDS = 15
BLOCKS = 25  # per round: 400 messages (100 round trips) per block, every case in turn

RATIOS: list[tuple[str, str, float | None]] = [
    # The raw loop against itself on a second connection: how far a ratio strays with nothing to find.
    ("raw one-way, a second connection", "raw one-way", None),
    ("publish->register, validation off", "raw one-way", 0.95),
    ("publish->register, validation on", "raw one-way", 0.95),
    ("publish->register with parameters=, validation on", "raw one-way", 0.90),
    ("request_* round trip", "raw echo round trip", 0.95),
    ("request_* round trip, validation off", "raw echo round trip", 0.95),
    # Stricter than the targets' "raw one-way": the same direction (server sends, client reads).
    ("10 multiplexed subscriptions", "raw one-way (server -> client recv)", 0.80),
    ("10 multiplexed subscriptions", "raw one-way", 0.80),
    ("ASGI publish->register, validation on", "raw Starlette endpoint (uvicorn)", 0.80),
    ("ASGI publish->register, validation off", "raw Starlette endpoint (uvicorn)", 0.80),
    ("blocking client publish->register", "raw blocking client one-way", 0.80),
]


def groups(channels: ModuleType, messages: int) -> list[tuple[int, dict[str, Case]]]:
    """The cases measured together, each group with its baseline first, and its messages per round."""
    return [
        (
            messages,
            {
                "raw one-way": raw_one_way,
                "raw one-way, a second connection": raw_one_way,
                "publish->register, validation off": lambda: generated_one_way(channels, False),
                "publish->register, validation on": lambda: generated_one_way(channels, True),
                "publish->register with parameters=, validation on": lambda: generated_one_way(
                    channels, True, with_parameters=True
                ),
            },
        ),
        (
            messages // 4,
            {
                "raw echo round trip": raw_echo,
                "request_* round trip": lambda: generated_echo(channels),
                "request_* round trip, validation off": lambda: generated_echo(channels, False),
            },
        ),
        (
            messages,
            {
                "raw one-way (server -> client recv)": raw_received,
                "10 multiplexed subscriptions": lambda: multiplexed(channels),
            },
        ),
        (
            messages,
            {
                "raw Starlette endpoint (uvicorn)": one_way_starlette,
                "ASGI publish->register, validation on": lambda: one_way_asgi(channels, True),
                "ASGI publish->register, validation off": lambda: one_way_asgi(channels, False),
            },
        ),
        (
            messages,
            {
                "raw blocking client one-way": lambda: blocking_one_way(None),
                "blocking client publish->register": lambda: blocking_one_way(channels),
            },
        ),
    ]


async def measure(messages: int, rounds: int, blocks: int = BLOCKS) -> dict[str, list[float]]:
    """Every case's rate in each round, the cases of a group interleaved block by block."""
    channels = build()
    rates: dict[str, list[float]] = {}
    for per_round, cases in groups(channels, messages):
        rates |= await interleaved(cases, per_round=per_round, rounds=rounds, blocks=blocks)
    return rates


def figures(rates: dict[str, list[float]]) -> list[dict[str, Any]]:
    """Each generated path as a ratio to its raw baseline, rounds paired (see :mod:`benchmarks.interleave`)."""
    return [ratio_figure(rates, case, baseline, target) for case, baseline, target in RATIOS]


def run(quick: bool = False) -> dict[str, Any]:
    """Entry point of ``python -m benchmarks``: medians and ratio figures."""
    messages, rounds, blocks = (2000, 2, 4) if quick else (MESSAGES, ROUNDS, BLOCKS)
    rates = asyncio.run(measure(messages, rounds, blocks))
    median = {name: statistics.median(values) for name, values in rates.items()}
    return {"messages": messages, "rounds": rounds, "blocks": blocks, "medians": median, "figures": figures(rates)}


async def main(messages: int, rounds: int, blocks: int) -> None:
    rates = await measure(messages, rounds, blocks)
    for name, values in rates.items():
        print(f"{name:52s} {statistics.median(values):12,.0f} /s")
    print()
    for figure in figures(rates):
        low, high = figure["ratio_quartiles"]
        target = figure.get("target")
        if target is None:
            verdict = "no target: the noise floor"
        elif figure["ratio"] < target:
            verdict = f"target >= {target:.2f}: below target"
        else:
            verdict = f"target >= {target:.2f}: " + ("ok" if low >= target else "median ok, lower quartile below")
        print(f"{figure['name']:52s} {figure['ratio']:5.2f} ({low:.2f}-{high:.2f}) of {figure['baseline']} ({verdict})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--blocks", type=int, default=BLOCKS, help="interleaved blocks per round")
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rounds, args.blocks))
