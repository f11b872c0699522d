"""Request timeouts over real sockets: one shared timer per connection, moved when needed.

A connection's pending requests share one timer. A request whose deadline comes before the timer
moves it; a timeout either fails the request's future or, when the request is the one reading
frames, cancels that read. These tests pin down both paths, the hand-over of reading to a task,
and that a cancellation from outside stays a cancellation.
"""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any

import pytest
from runtime_support import port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

SLOW_REPLY = 1.0  # seconds before the server answers the "slow" request
SHORT = 0.1
LONG = 5.0


def delayed_replies(chat: ModuleType) -> Any:
    """A router answering request ``reqid`` 1 after SLOW_REPLY seconds and never answering 2."""
    payloads, channels = chat.payloads, chat.channels
    tasks: set[asyncio.Task[None]] = set()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        if message.reqid == 1:

            async def answer_later() -> None:
                await asyncio.sleep(SLOW_REPLY)
                await ws.send(payloads.Pong(reqid=1).marshal())

            task = asyncio.get_running_loop().create_task(answer_later())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            return None
        if message.reqid == 2:
            return None
        return payloads.Pong()

    router = channels.Router()
    channels.register_ping(router=router, on_message=on_message)
    return router


@pytest.mark.parametrize("short_first", [False, True], ids=["long-request-reads", "short-request-reads"])
async def test_a_short_timeout_fires_before_a_longer_pending_one(chat: ModuleType, short_first: bool) -> None:
    """The first request reads frames itself: the short one is interrupted there, or fails its future."""
    payloads, channels = chat.payloads, chat.channels
    async with serve(delayed_replies(chat), "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:

            async def slow() -> Any:
                return await channels.request_ping(message=payloads.Ping(reqid=1), ws=ws, timeout=LONG)

            async def silent() -> float:
                start = time.monotonic()
                with pytest.raises(chat.errors.ReplyTimeoutError, match=f"no reply within {SHORT} s"):
                    await channels.request_ping(message=payloads.Ping(reqid=2), ws=ws, timeout=SHORT)
                return time.monotonic() - start

            if short_first:
                silent_task = asyncio.create_task(silent())
                await asyncio.sleep(0)  # let it send and start reading
                reply = await slow()
                waited = await silent_task
            else:
                slow_task = asyncio.create_task(slow())
                await asyncio.sleep(0)
                waited = await silent()
                reply = await slow_task
            assert reply == payloads.Pong(reqid=1)
            # Expired near its own deadline: not at the long request's, nor when the slow reply
            # came and woke up a read that the timeout failed to interrupt.
            assert waited < SLOW_REPLY
            after = await channels.request_ping(message=payloads.Ping(reqid=3), ws=ws, timeout=LONG)
            assert after.reqid == 3


async def test_cancelling_a_request_is_not_a_timeout(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels
    async with serve(delayed_replies(chat), "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            pending = asyncio.create_task(channels.request_ping(message=payloads.Ping(reqid=2), ws=ws, timeout=LONG))
            await asyncio.sleep(SHORT)
            pending.cancel()
            with pytest.raises(asyncio.CancelledError):
                await pending
            # The connection's reader state survived: the next request reads and gets its reply.
            reply = await channels.request_ping(message=payloads.Ping(reqid=4), ws=ws, timeout=LONG)
            assert reply.reqid == 4


async def test_a_cancellation_just_before_the_timeout_stays_a_cancellation(chat: ModuleType) -> None:
    """Cancelled from outside at (or just before) its deadline: the caller's cancel goes on."""
    payloads, channels = chat.payloads, chat.channels
    async with serve(delayed_replies(chat), "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            loop = asyncio.get_running_loop()
            # Taken before the request computes its deadline: runs before the timeout or in the
            # same loop turn, never after the request has turned into a timeout.
            loop.call_at(loop.time() + SHORT, lambda: pending.cancel())
            pending = asyncio.create_task(channels.request_ping(message=payloads.Ping(reqid=2), ws=ws, timeout=SHORT))
            with pytest.raises(asyncio.CancelledError):
                await pending


async def test_a_timeout_with_a_subscription_reading_leaves_the_subscription_alone(chat: ModuleType) -> None:
    """With a subscription, a task reads the frames: the timeout fails the future, nothing else."""
    payloads, channels = chat.payloads, chat.channels
    router = delayed_replies(chat)
    received: list[Any] = []
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            sub = channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: received.append(kw))
            with pytest.raises(chat.errors.ReplyTimeoutError):
                await channels.request_ping(message=payloads.Ping(reqid=2), ws=ws, timeout=SHORT)
            assert sub.active and received == []  # the reply-less ping went nowhere
            reply = await channels.request_ping(message=payloads.Ping(reqid=5), ws=ws, timeout=LONG)
            assert reply.reqid == 5
            sub.unsubscribe()
