"""Runtime benchmark: generated channel functions against raw ``websockets`` + ``json``.

Not a test. Generates a small package (one ~60-byte JSON message, ten multiplexed message types,
a request/reply pair with a correlation id), then measures in alternating rounds, one connection
over loopback:

* one-way throughput: raw ``send(json.dumps(d))`` -> server ``json.loads`` vs generated
  ``publish_to_*`` -> ``register_*`` ``on_message``, validation off and on (both sides);
* round trips: raw echo vs ``request_*`` -> ``on_message`` returning the reply;
* multiplexing: raw one-way vs ten ``subscribe_to_*`` on one client connection;
* ASGI (:mod:`benchmarks.asgi_bench`): a raw Starlette endpoint doing ``json.loads`` vs
  ``publish_to_*`` -> ``router.asgi()``, both under the same uvicorn;
* the blocking client (``sync.py``): raw ``websockets.sync`` ``send(json.dumps(d))`` vs
  ``sync.publish_to_*``, each from a thread to a server on the event loop.

Prints the median rates and, for each generated path, the median of its per-round ratios to the
raw baseline measured in the same round, with their quartiles (targets in the project's
performance notes and the benchmark docs: >= 0.95 without and >= 0.90 with ``parameters=`` on
every publish, >= 0.95 for round trips, >= 0.80 multiplexed; ASGI and the blocking client: >= 0.80).

    python benchmarks/runtime_bench.py [--messages 10000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
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


async def one_way_raw(n: int) -> float:
    done = asyncio.Event()
    count = 0

    async def handler(ws: Any) -> None:
        nonlocal count
        async for frame in ws:
            json.loads(frame)
            count += 1
            if count == n:
                done.set()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/events/user123") as ws:
            start = time.perf_counter()
            for _ in range(n):
                await ws.send(json.dumps(DATA))
            await done.wait()
            return n / (time.perf_counter() - start)


async def one_way_generated(channels: ModuleType, n: int, validate: bool, with_parameters: bool = False) -> float:
    """Publish -> register; ``with_parameters``: every publish passes ``parameters=``, as users do."""
    payloads = importlib.import_module("bench_pkg.payloads")
    parameters = importlib.import_module("bench_pkg.parameters").EventsParameters(user_id="user123")
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
    async with serve(router, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/events/user123") as ws:
            publish = channels.publish_to_send_event
            start = time.perf_counter()
            if with_parameters:
                for _ in range(n):
                    await publish(message=message, ws=ws, parameters=parameters, skip_message_validation=not validate)
            else:
                for _ in range(n):
                    await publish(message=message, ws=ws, skip_message_validation=not validate)
            await done.wait()
            return n / (time.perf_counter() - start)


async def one_way_blocking(channels: ModuleType | None, n: int) -> float:
    """A blocking client in a thread sends ``n`` messages to a server on this event loop.

    ``channels`` None: raw ``websockets.sync`` ``send(json.dumps(d))`` to a handler doing
    ``json.loads``; else ``sync.publish_to_*`` (validation on) to ``register_*``.
    """
    done = asyncio.Event()
    count = 0

    def received() -> None:  # on the event loop's thread: the server's side
        nonlocal count
        count += 1
        if count == n:
            done.set()

    async def handler(ws: Any) -> None:
        async for frame in ws:
            json.loads(frame)
            received()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        received()

    if channels is None:
        server_handler: Any = handler
    else:
        server_handler = channels.Router()
        channels.register_send_event(router=server_handler, on_message=on_message)
    async with serve(server_handler, "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/events/user123"
        if channels is None:

            def client() -> None:
                with connect_blocking(url) as ws:
                    for _ in range(n):
                        ws.send(json.dumps(DATA))

        else:
            sync = importlib.import_module("bench_pkg.sync")
            message = importlib.import_module("bench_pkg.payloads").Event.from_json_data(DATA)

            def client() -> None:
                with connect_blocking(url) as ws:
                    for _ in range(n):
                        sync.publish_to_send_event(message=message, ws=ws)

        start = time.perf_counter()
        await asyncio.gather(asyncio.to_thread(client), done.wait())
        return n / (time.perf_counter() - start)


async def echo_raw(n: int) -> float:
    async def handler(ws: Any) -> None:
        async for frame in ws:
            data = json.loads(frame)
            await ws.send(json.dumps({"kind": "pong", "rid": data["rid"]}))

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/rpc") as ws:
            start = time.perf_counter()
            for i in range(n):
                await ws.send(json.dumps({"kind": "ping", "rid": i}))
                json.loads(await ws.recv())
            return n / (time.perf_counter() - start)


async def echo_generated(channels: ModuleType, n: int, validate: bool = True) -> float:
    payloads = importlib.import_module("bench_pkg.payloads")

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        return payloads.Pong(rid=message.rid)

    router = channels.Router()
    channels.register_ping(router=router, on_message=on_message, skip_message_validation=not validate)
    async with serve(router, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/rpc") as ws:
            start = time.perf_counter()
            for i in range(n):
                await channels.request_ping(message=payloads.Ping(rid=i), ws=ws, skip_message_validation=not validate)
            return n / (time.perf_counter() - start)


async def multiplexed(channels: ModuleType, n: int) -> float:
    frames = [json.dumps({"topic": t, "n": i}) for i, t in zip(range(n), TOPICS * (n // 10 + 1), strict=False)]
    done = asyncio.Event()
    count = 0

    async def handler(ws: Any) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.wait_closed()

    def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        nonlocal count
        count += 1
        if count == n:
            done.set()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/feed") as ws:
            start = time.perf_counter()
            for t in TOPICS:
                getattr(channels, f"subscribe_to_on_{t}")(ws=ws, on_data_callback=on_data)
            await done.wait()
            return n / (time.perf_counter() - start)


async def one_way_raw_received(n: int) -> float:
    """Raw baseline for the multiplexed case: server sends, client ``recv`` + ``json.loads``."""
    frames = [json.dumps({"topic": t, "n": i}) for i, t in zip(range(n), TOPICS * (n // 10 + 1), strict=False)]

    async def handler(ws: Any) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/feed") as ws:
            start = time.perf_counter()
            for _ in range(n):
                json.loads(await ws.recv())
            return n / (time.perf_counter() - start)


# Many short rounds rather than a few long ones: the median of per-round ratios then shrugs off
# the bursts of other work on a shared machine (a round takes about 0.3 s per case).
MESSAGES = 10000
ROUNDS = 15

RATIOS = [
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


async def measure(messages: int, rounds: int) -> dict[str, list[float]]:
    """Every case's rate in each round, the cases alternating round by round."""
    channels = build()
    cases: dict[str, Callable[[], Awaitable[float]]] = {
        "raw one-way": lambda: one_way_raw(messages),
        "publish->register, validation off": lambda: one_way_generated(channels, messages, False),
        "publish->register, validation on": lambda: one_way_generated(channels, messages, True),
        "publish->register with parameters=, validation on": lambda: one_way_generated(
            channels, messages, True, with_parameters=True
        ),
        "raw echo round trip": lambda: echo_raw(messages // 4),
        "request_* round trip": lambda: echo_generated(channels, messages // 4),
        "request_* round trip, validation off": lambda: echo_generated(channels, messages // 4, False),
        "raw one-way (server -> client recv)": lambda: one_way_raw_received(messages),
        "10 multiplexed subscriptions": lambda: multiplexed(channels, messages),
        "raw Starlette endpoint (uvicorn)": lambda: one_way_starlette(messages),
        "ASGI publish->register, validation on": lambda: one_way_asgi(channels, messages, True),
        "ASGI publish->register, validation off": lambda: one_way_asgi(channels, messages, False),
        "raw blocking client one-way": lambda: one_way_blocking(None, messages),
        "blocking client publish->register": lambda: one_way_blocking(channels, messages),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):  # alternate the cases so drift hits all of them alike
        for name, case in cases.items():
            results[name].append(await case())
    return results


def figures(rates: dict[str, list[float]]) -> list[dict[str, Any]]:
    """Each generated path as a ratio to its raw baseline of the same run.

    The ratio is the median of the rounds' ratios, each round's generated rate over the baseline
    measured in that same round: a neighbour's burst on a shared machine then slows both sides of
    one ratio rather than one side of the medians. The quartiles of those ratios show the noise.
    """
    out = []
    for case, baseline, target in RATIOS:
        ratios = sorted(g / b for g, b in zip(rates[case], rates[baseline], strict=True))
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        out.append(
            {
                "name": case,
                "value": statistics.median(rates[case]),
                "unit": "msg/s",
                "baseline": baseline,
                "baseline_value": statistics.median(rates[baseline]),
                "ratio": statistics.median(ratios),
                "ratio_quartiles": [quartiles[0], quartiles[2]],
                "target": target,
            }
        )
    return out


def run(quick: bool = False) -> dict[str, Any]:
    """Entry point of ``python -m benchmarks``: medians and ratio figures."""
    messages, rounds = (2000, 1) if quick else (MESSAGES, ROUNDS)
    rates = asyncio.run(measure(messages, rounds))
    median = {name: statistics.median(values) for name, values in rates.items()}
    return {"messages": messages, "rounds": rounds, "medians": median, "figures": figures(rates)}


async def main(messages: int, rounds: int) -> None:
    rates = await measure(messages, rounds)
    for name, values in rates.items():
        print(f"{name:52s} {statistics.median(values):12,.0f} /s")
    print()
    for figure in figures(rates):
        low, high = figure["ratio_quartiles"]
        verdict = "ok" if figure["ratio"] >= figure["target"] else "below target"
        if verdict == "ok" and low < figure["target"]:
            verdict = "median ok, lower quartile below"
        print(
            f"{figure['name']:52s} {figure['ratio']:5.2f} ({low:.2f}-{high:.2f}) of {figure['baseline']}"
            f" (target >= {figure['target']:.2f}: {verdict})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.rounds))
