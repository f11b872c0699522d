"""Client side, request/reply: send a message, then wait for the frame that answers it.

A pending request is a :class:`Waiter` on the connection's shared reader (:mod:`.client`), which
offers it every frame before the subscriptions. While no reader task runs, the request reads
frames itself, in its own task, until its reply is in (one task switch less per round trip).

Timeouts: the requests of a connection share the reader's one timer, moved only when a request's
deadline comes before it, so with a fixed timeout a round trip arms and cancels no timer at all.
A timeout fails the request's future or, when the request is reading frames itself, cancels that
read; a cancellation from outside stays a cancellation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from websockets.asyncio.client import ClientConnection

from .client import Reader
from .errors import PayloadError, ReplyTimeoutError
from .frames import MISSING, Frame, Kind, Payload, encode_data, tightest_first


class Waiter:
    """One pending request: how to recognise its reply, and when to give up on it.

    The reader knows it as a :class:`.client.PendingReply`.
    """

    __slots__ = (
        "correlation",
        "deadline",
        "future",
        "interrupted",
        "matchers",
        "reading",
        "timeout",
    )

    def __init__(
        self,
        matchers: Sequence[tuple[Kind, Callable[[Any], Any]]],
        correlation: Any,
        future: asyncio.Future[Any],
        timeout: float | None,
    ) -> None:
        self.matchers = matchers
        self.correlation = correlation
        self.future = future
        self.timeout = timeout
        self.deadline = None if timeout is None else future.get_loop().time() + timeout
        # The task reading frames for this request itself (see Reader.receive_until), which a
        # timeout must interrupt; and whether it did.
        self.reading: asyncio.Task[Any] | None = None
        self.interrupted = False

    def take(self, frame: Frame) -> bool:
        """Complete the request if ``frame`` is its reply."""
        reply = reply_in(frame, self.matchers, self.correlation)
        if reply is MISSING:
            return False
        if not self.future.done():
            self.future.set_result(reply)
        return True

    def expire(self) -> None:
        """Give up waiting: fail the future, or interrupt the read the request does itself."""
        if self.reading is not None:
            self.interrupted = True
            self.reading.cancel()
        else:
            self.future.set_exception(self.timeout_error())

    def timeout_error(self) -> ReplyTimeoutError:
        return ReplyTimeoutError(f"no reply within {self.timeout} s")


def reply_in(
    frame: Frame, matchers: Sequence[tuple[Kind, Callable[[Any], Any]]], correlation: Any
) -> Any:
    """The reply ``frame`` holds for a request with id ``correlation``, or ``MISSING``.

    A frame is a reply when it decodes as one of the reply kinds and, where the kind declares a
    correlation id and the request had one, carries the request's id.
    """
    for kind, read in matchers:
        correlated = correlation is not None and kind.correlation is not None
        try:
            content = frame.raw if kind.binary else frame.data()
        except PayloadError:
            if correlated:
                return MISSING
            continue
        if correlated and kind.correlation_id(content) != correlation:
            continue
        try:
            reply = read(content)
        except PayloadError:
            continue
        if reply is not MISSING:
            return reply
    return MISSING


# (reply kinds, validate) -> each kind with its reader, tightest first: made once per operation.
_MATCHERS: dict[tuple[tuple[Kind, ...], bool], tuple[tuple[Kind, Callable[[Any], Any]], ...]] = {}


def matchers(
    kinds: Sequence[Kind], validate: bool
) -> tuple[tuple[Kind, Callable[[Any], Any]], ...]:
    key = (tuple(kinds), validate)
    found = _MATCHERS.get(key)
    if found is None:
        found = _MATCHERS[key] = tuple(
            (kind, kind.reader(validate)) for kind in tightest_first(kinds)
        )
    return found


async def request(
    ws: ClientConnection,
    message: Payload,
    kinds: Mapping[type[Any], Kind],
    reply_kinds: Sequence[Kind],
    *,
    timeout: float | None,
    validate: bool,
) -> Any:
    """Send a message and wait for its reply.

    The reply is the first frame that decodes as one of ``reply_kinds`` and, when both the request
    and the reply message carry a correlation id in their payload, has the request's id.

    Raises:
        ReplyTimeoutError: no reply within ``timeout`` seconds.
    """
    kind = kinds.get(type(message))
    data = message.to_json_data()
    if kind is None:
        if validate:
            type(message).validate_data(data)
        frame = encode_data(data, None)
        correlation = None
    else:
        frame = kind.writer(validate)(data)
        correlation = kind.correlation_id(data)
    reader = Reader.for_connection(ws)
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    waiter = Waiter(matchers(reply_kinds, validate), correlation, future, timeout)
    reader.expect(waiter)
    try:
        await ws.send(frame)
        if not reader.reading:
            # No task reads this connection: read in this one until the reply is in.
            waiter.reading = asyncio.current_task()
            try:
                await reader.receive_until(future)
            finally:
                waiter.reading = None
        return await future
    except asyncio.CancelledError:
        # The timeout interrupted this task's own read: a timeout, unless someone else also
        # cancelled the task (then the cancellation goes on).
        task = asyncio.current_task()
        if waiter.interrupted and task is not None and task.uncancel() == 0:
            raise waiter.timeout_error() from None
        raise
    finally:
        if future.done() and not future.cancelled():
            future.exception()  # a timeout that lost the race to another error is not news
        reader.forget(waiter)
