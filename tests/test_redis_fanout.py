"""Fan-out across processes through a real ``redis-server`` (tests/redis_support.py).

The package is generated from tests/specs/chat-2.6.yaml (server perspective): clients post chat
messages to ``rooms/{roomId}`` and receive the room's events, which the server broadcasts with
``broadcast_to_room_events``. Worker processes (tests/redis_worker.py) serve it with a
``RedisBroker``; the tests connect real clients to them and read raw frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import SPECS
from redis_support import RedisServer, free_port
from runtime_support import generate_package, import_package, port_of
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

pytest.importorskip("redis", reason="redis-py is in the dev dependency group")

PACKAGE = "redis_chat"
WORKER = Path(__file__).resolve().parent / "redis_worker.py"
TIMEOUT = 20.0


@pytest.fixture(scope="module")
def project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = (SPECS / "chat-2.6.yaml").read_text("utf-8")
    return generate_package(template_v1, tmp_path_factory.mktemp("redis-chat"), spec, PACKAGE, perspective="server")


@pytest.fixture(scope="module")
def chat(project: Path) -> ModuleType:
    return import_package(project, PACKAGE)


class Worker:
    """A server process of the generated package; its stderr (the log) goes to a file."""

    def __init__(self, project: Path, redis: RedisServer, prefix: str, log: Path) -> None:
        self.log_path = log
        with log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), str(project / "src"), PACKAGE, redis.url, prefix],
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip():
            self.process.wait(TIMEOUT)
            raise AssertionError(f"the worker did not start:\n{self.log()}")
        self.port = int(line)

    def url(self, room: str) -> str:
        return f"ws://127.0.0.1:{self.port}/rooms/{room}"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    async def wait_for_log(self, pattern: str, count: int = 1) -> None:
        """Until ``pattern`` occurs ``count`` times in the log (bounded: a broken broker fails)."""
        deadline = time.monotonic() + TIMEOUT
        while len(re.findall(pattern, self.log())) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker never logged {pattern!r}:\n{self.log()}")
            await asyncio.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(TIMEOUT)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def workers(project: Path, redis_server: RedisServer, tmp_path: Path) -> Iterator[list[Worker]]:
    """Two workers attached to one Redis."""
    started: list[Worker] = []
    try:
        for name in ("a", "b"):
            started.append(Worker(project, redis_server, "chat-test", tmp_path / f"worker-{name}.log"))
        yield started
    finally:
        for worker in started:
            worker.stop()


def chat_message(chat: ModuleType, text: str) -> Any:
    return chat.payloads.ChatMessage(author="tester", text=text)


async def post(chat: ModuleType, ws: ClientConnection, text: str) -> None:
    await chat.channels.publish_to_post_message(message=chat_message(chat, text), ws=ws)


async def texts(ws: ClientConnection, count: int) -> list[str]:
    """The texts of the next ``count`` frames."""
    return [json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))["text"] for _ in range(count)]


@contextlib.asynccontextmanager
async def clients(urls: list[str]) -> AsyncIterator[list[ClientConnection]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(connect(url)) for url in urls]


async def test_two_workers_deliver_each_rooms_messages_to_all_its_clients_in_order_once(
    chat: ModuleType, workers: list[Worker]
) -> None:
    a, b = workers
    async with (
        clients([a.url("r1")] * 10) as a_r1,
        clients([b.url("r1")] * 10) as b_r1,
        clients([a.url("r2")] * 10) as a_r2,
        clients([b.url("r2")] * 10) as b_r2,
    ):
        room1, room2 = a_r1 + b_r1, a_r2 + b_r2
        # Two publishers, one in each worker, at once: each one's messages keep their order.
        await asyncio.gather(
            *(post(chat, a_r1[0], f"a-{index}") for index in range(20)),
            *(post(chat, b_r1[0], f"b-{index}") for index in range(20)),
        )
        for ws in room1:
            got = await texts(ws, 40)
            assert [text for text in got if text.startswith("a-")] == [f"a-{index}" for index in range(20)]
            assert [text for text in got if text.startswith("b-")] == [f"b-{index}" for index in range(20)]
        # Nothing more in room 1, and nothing of room 1 in room 2: the next frame each client
        # reads is the next message of its own room.
        await post(chat, b_r1[5], "r1 end")
        await post(chat, a_r2[3], "r2 end")
        for ws in room1:
            assert await texts(ws, 1) == ["r1 end"]
        for ws in room2:
            assert await texts(ws, 1) == ["r2 end"]

        # One worker stops: its clients are disconnected, the other worker serves on.
        # In a thread: the clients here must answer the closing handshake while the worker stops.
        await asyncio.to_thread(b.stop)
        for ws in b_r1:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), TIMEOUT)
        await post(chat, a_r1[9], "after b stopped")
        for ws in a_r1:
            assert await texts(ws, 1) == ["after b stopped"]
        async with clients([a.url("r1")]) as (late,):
            await post(chat, a_r1[0], "to the newcomer too")
            assert await texts(late, 1) == ["to the newcomer too"]


async def test_a_redis_restart_is_survived_and_the_gap_reported_not_duplicated(
    chat: ModuleType, workers: list[Worker], redis_server: RedisServer
) -> None:
    a, b = workers
    async with clients([a.url("r1")] * 2 + [b.url("r1")] * 2) as room:
        sender = room[0]
        await post(chat, sender, "before")
        for ws in room:
            assert await texts(ws, 1) == ["before"]

        redis_server.stop()
        for worker in workers:
            await worker.wait_for_log("lost the Redis subscription")
        await post(chat, sender, "during")
        await a.wait_for_log(r"1 broadcast\(s\) dropped")
        redis_server.start()
        for worker in workers:
            await worker.wait_for_log("Redis subscription back")

        for index in range(10):
            await post(chat, sender, f"after-{index}")
        for ws in room:
            # "during" was dropped, never delivered late; nothing arrives twice.
            assert await texts(ws, 10) == [f"after-{index}" for index in range(10)]
        await post(chat, room[3], "end")
        for ws in room:
            assert await texts(ws, 1) == ["end"]
    # Both workers saw worker a's sequence jump over the dropped broadcast, and said so.
    for worker in workers:
        await worker.wait_for_log(r"broadcasts 2 to 2 of publisher \w+ never arrived")


@contextlib.asynccontextmanager
async def served(chat: ModuleType, broker: Any) -> AsyncIterator[tuple[Any, int]]:
    router = chat.channels.Router(broker=broker)
    chat.channels.register_room_events(router=router)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        yield router, port_of(server)


async def test_repeats_gaps_and_foreign_messages_from_redis(
    chat: ModuleType, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    import redis.asyncio as redis_asyncio

    envelope = importlib.import_module(f"{PACKAGE}._runtime.broker_envelope")
    caplog.set_level(logging.INFO)
    params = chat.parameters.RoomsRoomIdParameters(room_id="r1")
    async with chat.brokers.RedisBroker(redis_server.url, prefix="t") as broker, served(chat, broker) as (router, port):
        raw = redis_asyncio.Redis.from_url(redis_server.url)
        async with connect(f"ws://127.0.0.1:{port}/rooms/r1") as ws:
            await chat.channels.broadcast_to_room_events(
                router=router, message=chat_message(chat, "through redis"), parameters=params
            )
            assert await texts(ws, 1) == ["through redis"]

            def frame(text: str) -> str:
                return json.dumps({"author": "x", "text": text})

            name = "t:rooms/{roomId}"
            await raw.publish(name, b"not an envelope")
            await raw.publish(name, b'["asyncapi-ws/1","p",1,"status",null,false]\n{}')  # wrong channel
            await raw.publish(name, envelope.pack("p", 1, "rooms/{roomId}", "rooms/r1", frame("one")))
            await raw.publish(name, envelope.pack("p", 1, "rooms/{roomId}", "rooms/r1", frame("one again")))
            await raw.publish(name, envelope.pack("p", 3, "rooms/{roomId}", "rooms/r1", frame("three")))
            await raw.publish(name, envelope.pack("p", 4, "rooms/{roomId}", "rooms/r2", frame("other room")))
            await raw.publish(name, envelope.pack("p", 5, "rooms/{roomId}", None, frame("whole channel")))
            assert await texts(ws, 3) == ["one", "three", "whole channel"]
        await raw.aclose()
    assert (broker.stats.foreign, broker.stats.repeated, broker.stats.lost) == (2, 1, 1)
    assert broker.stats.published == 1
    assert broker.stats.received == 5
    logged = caplog.text
    assert "dropped a message on" in logged
    assert "broadcasts 2 to 2 of publisher p never arrived" in logged


async def test_two_brokers_on_one_redis_reach_both_routers_once(chat: ModuleType, redis_server: RedisServer) -> None:
    brokers = chat.brokers
    params = chat.parameters.RoomsRoomIdParameters(room_id="r1")
    async with (
        brokers.RedisBroker(redis_server.url) as one,
        brokers.RedisBroker(redis_server.url) as two,
        brokers.RedisBroker(redis_server.url, prefix="elsewhere") as other,
        served(chat, one) as (router_one, port_one),
        served(chat, two) as (_, port_two),
        served(chat, other) as (router_other, port_other),
    ):
        async with (
            connect(f"ws://127.0.0.1:{port_one}/rooms/r1") as first,
            connect(f"ws://127.0.0.1:{port_two}/rooms/r1") as second,
            connect(f"ws://127.0.0.1:{port_other}/rooms/r1") as third,
        ):
            for index in range(50):
                await chat.channels.broadcast_to_room_events(
                    router=router_one, message=chat_message(chat, str(index)), parameters=params
                )
            expected = [str(index) for index in range(50)]
            assert await texts(first, 50) == expected
            assert await texts(second, 50) == expected
            # Another prefix is another set of processes: nothing reached it.
            await chat.channels.broadcast_to_room_events(router=router_other, message=chat_message(chat, "own"))
            assert await texts(third, 1) == ["own"]
    assert one.stats.published == 50 and one.stats.received == 50 and two.stats.received == 50


async def test_a_broker_needs_a_reachable_redis_to_start_and_must_be_started(chat: ModuleType) -> None:
    import redis.exceptions

    with pytest.raises(redis.exceptions.ConnectionError):
        async with chat.brokers.RedisBroker(f"redis://127.0.0.1:{free_port()}/0"):
            pass
    router = chat.channels.Router(broker=chat.brokers.RedisBroker())
    with pytest.raises(RuntimeError, match="not started"):
        await chat.channels.broadcast_to_room_events(router=router, message=chat_message(chat, "x"))


async def test_publishes_queued_behind_a_cancelled_one_still_go_out_in_order(
    chat: ModuleType, redis_server: RedisServer
) -> None:
    async with chat.brokers.RedisBroker(redis_server.url, prefix="c") as broker, served(chat, broker) as (router, port):
        async with connect(f"ws://127.0.0.1:{port}/rooms/r1") as ws:
            tasks = [
                asyncio.create_task(
                    chat.channels.broadcast_to_room_events(router=router, message=chat_message(chat, str(index)))
                )
                for index in range(20)
            ]
            await asyncio.sleep(0)  # the first is publishing, the others wait behind it
            tasks[0].cancel()
            await asyncio.wait_for(asyncio.gather(*tasks[1:]), TIMEOUT)
            first = await texts(ws, 1)
            rest = await texts(ws, 19 if first == ["0"] else 18)
            assert first + rest == [str(index) for index in range(20) if index or first == ["0"]]
