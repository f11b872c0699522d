"""Client side: one shared reader per connection, subscriptions, request/reply.

``websockets`` allows one ``recv`` at a time per connection, so every subscription and pending
request on a client connection shares one reader task (:class:`_Reader`). For each frame:

1. pending requests come first: a frame that decodes as a request's reply (with the same
   correlation id, when the messages carry one) completes that request and goes nowhere else;
2. otherwise the frame is offered to every subscription, in the order they were made; **each**
   subscription whose message classes accept it receives it (two subscriptions of one operation
   both see its messages; subscriptions of different message types see only their own);
3. a frame no subscription accepts is reported as an error to the subscriptions whose classes it
   resembled (their pre-filter admitted it, validation then failed). A frame that every
   pre-filter rejects is plainly another message type (another operation on a shared address):
   it is ignored (logged at DEBUG level). A frame that is not JSON goes to every subscription.

Subscriptions whose messages all fix one property (``"event": "join"``) are indexed by it, so a
frame costs one dictionary lookup however many subscriptions share the connection.

The reader task starts with the first subscription and stops when the last one is unsubscribed
(``ws.recv()`` works again). While no task runs, a request reads its reply itself, dispatching any
other frame on the way (one task switch less per round trip); other requests made meanwhile wait
for it, and a task takes over if they are still waiting when it is done.

Requests (:mod:`._requests`) wait on this reader too; their timeouts share its one timer.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK

from ._runtime import (
    MISSING,
    Frame,
    Kind,
    decode_first,
    encode,
    tightest_first,
)
from .errors import PayloadError

if TYPE_CHECKING:
    from ._requests import Waiter

logger = logging.getLogger(__package__)

M = TypeVar("M")
P = TypeVar("P")
R = TypeVar("R")
M_contra = TypeVar("M_contra", contravariant=True)
P_contra = TypeVar("P_contra", contravariant=True)

_END: Any = object()
_NONE: list[Any] = []


class DataCallback(Protocol[M_contra, P_contra]):
    """``on_data_callback`` of ``subscribe_to_*``: exactly one of ``err`` and ``msg`` is set.

    For an operation with a reply, a non-``None`` return value is sent back as the reply.
    """

    def __call__(
        self,
        *,
        err: Exception | None,
        msg: M_contra | None,
        parameters: P_contra | None,
        ws: ClientConnection,
    ) -> Awaitable[Any] | Any:
        """Handle one message or error."""


class Subscription(Generic[M, P]):
    """A live subscription on a client connection; also an async iterator of messages.

    Call :meth:`unsubscribe` to stop receiving. Iterating (``async for msg in sub``) yields typed
    messages; a frame that cannot be decoded raises :class:`~.errors.PayloadError` from the loop
    (iterate again to carry on); an abnormal close raises ``ConnectionClosedError``. Iteration
    ends after :meth:`unsubscribe` or a normal close.
    """

    def __init__(
        self,
        ws: ClientConnection,
        kinds: Sequence[Kind],
        validate: bool,
        parameters: P | None,
        callback: DataCallback[M, P] | None,
        reply_kinds: Mapping[type[Any], Kind] | None = None,
    ) -> None:
        self.ws = ws
        self.kinds = kinds
        self.validate = validate
        self.parameters = parameters
        self.callback = callback
        self.reply_kinds = reply_kinds
        self.active = True
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self.read = _frame_reader(kinds, validate)
        """The frame -> message (or ``MISSING``) function of this subscription's kinds."""

    def unsubscribe(self) -> None:
        """Stop delivering messages to this subscription (idempotent)."""
        if self.active:
            self.active = False
            _Reader.detach(self)
            self._queue.put_nowait(_END)

    def deliver(self, msg: M | None, err: Exception | None) -> Awaitable[None] | None:
        """Hand a message (or an error) to the callback or the iterator.

        A plain callback runs now; what is left to await (an async callback's result, a reply to
        send) comes back as an awaitable, else ``None``: most frames cost no coroutine.
        """
        callback = self.callback
        if callback is None:
            self._queue.put_nowait(msg if err is None else err)
            return None
        try:
            result: Any = callback(err=err, msg=msg, parameters=self.parameters, ws=self.ws)
        except Exception:
            logger.exception("on_data_callback raised; the subscription continues")
            return None
        if result is None:
            return None
        return self._settle(result, err)

    async def _settle(self, result: Any, err: Exception | None) -> None:
        try:
            if hasattr(result, "__await__"):
                result = await result
        except Exception:
            logger.exception("on_data_callback raised; the subscription continues")
            return
        if result is not None and self.reply_kinds is not None and err is None:
            await self.ws.send(encode(result, validate=self.validate, kinds=self.reply_kinds))

    def __aiter__(self) -> AsyncIterator[M]:
        return self

    async def __anext__(self) -> M:
        if not self.active and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is _END:
            self.active = False
            raise StopAsyncIteration
        if isinstance(item, Exception):
            raise item
        msg: M = item
        return msg


class _Reader:
    """The one reader task of a client connection, shared by its subscriptions and requests."""

    _readers: weakref.WeakKeyDictionary[Connection, _Reader] = weakref.WeakKeyDictionary()
    _last: _Reader | None = None

    def __init__(self, ws: ClientConnection) -> None:
        # Weak: the registry maps the connection to this reader, and a value holding its key
        # would keep every connection ever used alive. Whoever reads holds the connection.
        self._connection = weakref.ref(ws)
        self.subscriptions: list[Subscription[Any, Any]] = []
        self.waiters: list[Waiter] = []
        # Subscriptions indexed by the value of one property every message of theirs fixes
        # (``"topic": "t1"``), so a frame is offered to the few that can accept it, not to all.
        self.index_key: str | None = None
        self.index: dict[Any, list[Subscription[Any, Any]]] = {}
        self.unindexed: list[Subscription[Any, Any]] = []
        # Frames are read either by the background task or, while no task runs, by a request
        # awaiting its reply ("inline"): that saves a task switch per round trip.
        self.task: asyncio.Task[None] | None = None
        self.stopping: asyncio.Task[None] | None = None
        self.inline = False
        # One timer for every pending request's timeout, moved only when a request needs it
        # sooner: with one fixed timeout, deadlines only grow, so a request arms nothing.
        self.timer: asyncio.TimerHandle | None = None

    @property
    def ws(self) -> ClientConnection:
        ws = self._connection()
        if ws is None:  # only once nothing reads, subscribes or waits on it any more
            raise ConnectionClosedOK(None, None)
        return ws

    @classmethod
    def for_connection(cls, ws: ClientConnection) -> _Reader:
        last = cls._last
        if last is not None and last._connection() is ws:  # a client mostly uses one connection
            return last
        reader = cls._readers.get(ws)
        if reader is None:
            reader = cls._readers[ws] = cls(ws)
        cls._last = reader
        return reader

    def ensure_running(self) -> None:
        """Start the background task unless it runs or a request is reading inline."""
        if (self.task is None or self.task.done()) and not self.inline:
            self.task = asyncio.get_running_loop().create_task(self.run())

    async def receive_until(self, future: asyncio.Future[Any]) -> None:
        """Read and dispatch frames in the caller's task until ``future`` is done."""
        self.inline = True
        try:
            if self.stopping is not None:
                # A cancelled task may still sit in recv() until the loop delivers the
                # cancellation; reading before it has gone would be a concurrent recv.
                await asyncio.wait([self.stopping])
                self.stopping = None
            ws = self.ws
            while not future.done():
                try:
                    raw = await ws.recv()
                except ConnectionClosed as exc:
                    await self.finish(exc)
                    return
                pending = self.handle(raw)
                if pending is not None:
                    await pending
        finally:
            self.inline = False
            # Someone else still waits (this request's own waiter is gone once answered).
            if self.subscriptions or (
                self.waiters and (len(self.waiters) > 1 or self.waiters[0].future is not future)
            ):
                self.ensure_running()

    def arm(self, deadline: float) -> None:
        """Make sure the timer fires by ``deadline``."""
        timer = self.timer
        if timer is not None and timer.when() <= deadline:
            return
        if timer is not None:
            timer.cancel()
        self.timer = asyncio.get_running_loop().call_at(deadline, self.expire_due)

    def expire_due(self) -> None:
        """Time out every request past its deadline; set the timer for the next one."""
        self.timer = None
        now = asyncio.get_running_loop().time()
        upcoming: float | None = None
        for waiter in list(self.waiters):
            deadline = waiter.deadline
            if deadline is None or waiter.future.done() or waiter.interrupted:
                continue
            if deadline <= now:
                waiter.expire()
            elif upcoming is None or deadline < upcoming:
                upcoming = deadline
        if upcoming is not None:
            self.arm(upcoming)

    def take_reply(self, frame: Frame) -> bool:
        """Hand ``frame`` to the pending request it answers, if any."""
        for index, waiter in enumerate(self.waiters):
            if waiter.take(frame):
                del self.waiters[index]
                return True
        return False

    @classmethod
    def detach(cls, subscription: Subscription[Any, Any]) -> None:
        reader = cls._readers.get(subscription.ws)
        if reader is not None and subscription in reader.subscriptions:
            reader.subscriptions.remove(subscription)
            reader.reindex()
            reader.stop_if_idle()

    def add(self, subscription: Subscription[Any, Any]) -> None:
        self.subscriptions.append(subscription)
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the discriminator index after the subscriptions changed."""
        counts: dict[str, int] = {}
        for subscription in self.subscriptions:
            for wire in _required_keys(subscription):
                counts[wire] = counts.get(wire, 0) + 1
        self.index_key = max(counts, key=lambda wire: counts[wire]) if counts else None
        self.index = {}
        self.unindexed = []
        for subscription in self.subscriptions:
            values = _fixed_values(subscription, self.index_key)
            if values is None:
                self.unindexed.append(subscription)
                continue
            for value in values:
                bucket = self.index.setdefault(value, [])
                if subscription not in bucket:
                    bucket.append(subscription)

    def stop_if_idle(self) -> None:
        if not self.subscriptions and not self.waiters and self.task is not None:
            self.task.cancel()
            self.stopping, self.task = self.task, None

    async def run(self) -> None:
        if self.stopping is not None:
            await asyncio.wait([self.stopping])  # its recv() must be gone before ours starts
            self.stopping = None
        error: ConnectionClosed | None = None
        try:
            async for raw in self.ws:
                pending = self.handle(raw)
                if pending is not None:
                    await pending
        except ConnectionClosed as exc:
            error = exc
        await self.finish(error)

    async def finish(self, error: ConnectionClosed | None) -> None:
        closed = error or ConnectionClosedOK(None, None)
        for waiter in self.waiters:
            if not waiter.future.done():
                waiter.future.set_exception(closed)
        for subscription in list(self.subscriptions):
            if error is not None and not isinstance(error, ConnectionClosedOK):
                await _settled(subscription.deliver(None, error))
            subscription.unsubscribe()

    def handle(self, raw: str | bytes) -> Awaitable[None] | None:
        """One frame read: to the request it answers, else to the subscriptions.

        Returns what is left to await (see :meth:`Subscription.deliver`), else ``None``.
        """
        frame = Frame(raw)
        if self.waiters and self.take_reply(frame):
            return None
        return self.offer(frame)

    def offer(self, frame: Frame) -> Awaitable[None] | None:
        """Deliver a frame that answers no request to the subscriptions that take it.

        Returns what is left to await (see :meth:`Subscription.deliver`), else ``None``.
        """
        subscriptions = self.subscriptions
        candidates = subscriptions
        if self.index_key is not None and len(subscriptions) > 1:
            try:
                data = frame.data()
            except PayloadError as exc:
                return _report(list(subscriptions), exc)
            if type(data) is dict:
                indexed = self.index.get(data.get(self.index_key, MISSING), _NONE)
                candidates = indexed + self.unindexed if self.unindexed else indexed
        if len(candidates) == 1:
            # The common case, kept lean: one subscription can take this frame.
            subscription = candidates[0]
            try:
                msg = subscription.read(frame)
            except PayloadError as exc:
                if exc is frame.parse_error or len(subscriptions) == 1:
                    return _report(list(subscriptions), exc)
                return subscription.deliver(None, exc)
            if msg is not MISSING:
                return subscription.deliver(msg, None)
            candidates = _NONE
        if not candidates:
            _ignore(frame)
            return None
        return self._dispatch_many(frame, list(candidates), subscriptions)

    async def _dispatch_many(
        self,
        frame: Frame,
        subscriptions: list[Subscription[Any, Any]],
        everyone: list[Subscription[Any, Any]],
    ) -> None:
        decoded: dict[tuple[int, bool], Any] = {}
        failed: list[tuple[Subscription[Any, Any], PayloadError]] = []
        matches: list[tuple[Subscription[Any, Any], Any]] = []
        for subscription in subscriptions:
            key = (id(subscription.kinds), subscription.validate)
            try:
                if key in decoded:
                    msg = decoded[key]
                else:
                    msg = decoded[key] = decode_first(
                        frame, subscription.kinds, subscription.validate
                    )[0]
            except PayloadError as exc:
                if exc is frame.parse_error:
                    for each in list(everyone):
                        await _settled(each.deliver(None, exc))
                    return
                failed.append((subscription, exc))
                continue
            if msg is not MISSING:
                matches.append((subscription, msg))
        if matches:
            # Subscriptions whose class declares every property of the frame take precedence over
            # ones that merely tolerate it (a schema open to any property accepts every frame).
            exact = [m for m in matches if not getattr(m[1], "additional_properties", None)]
            for subscription, msg in exact or matches:
                await _settled(subscription.deliver(msg, None))
            return
        if failed:
            for subscription, error in failed:
                await _settled(subscription.deliver(None, error))
            return
        _ignore(frame)


async def _report(subscriptions: list[Subscription[Any, Any]], error: PayloadError) -> None:
    for each in subscriptions:
        await _settled(each.deliver(None, error))


async def _settled(pending: Awaitable[None] | None) -> None:
    if pending is not None:
        await pending


def _frame_reader(kinds: Sequence[Kind], validate: bool) -> Callable[[Frame], Any]:
    """Frame -> message or ``MISSING`` for a subscription's kinds (one kind: two calls)."""
    if len(kinds) != 1:

        def read_first(frame: Frame) -> Any:
            return decode_first(frame, kinds, validate)[0]

        return read_first
    read = kinds[0].reader(validate)
    if kinds[0].binary:

        def read_raw(frame: Frame) -> Any:
            return read(frame.raw)

        return read_raw

    def read_data(frame: Frame) -> Any:
        return read(frame.data())

    return read_data


def _required_keys(subscription: Subscription[Any, Any]) -> set[str]:
    """Properties every message of the subscription requires to have one fixed value."""
    keys: set[str] | None = None
    for kind in subscription.kinds:
        if kind.binary:
            return set()
        fixed = {wire for wire, _value, required in kind.checks if required}
        keys = fixed if keys is None else keys & fixed
    return keys or set()


def _fixed_values(subscription: Subscription[Any, Any], key: str | None) -> list[Any] | None:
    """The values ``key`` takes in the subscription's messages, or ``None`` if not all fix it."""
    if key is None or key not in _required_keys(subscription):
        return None
    return [value for kind in subscription.kinds for wire, value, _ in kind.checks if wire == key]


def _ignore(frame: Frame) -> None:
    # Every subscription's pre-filter rejected the frame: it is plainly another message type
    # (another operation on a shared address), not a broken message. Not an error.
    logger.debug("no subscription takes this frame: %.80r", frame.raw)


def subscribe(
    ws: ClientConnection,
    kinds: Sequence[Kind],
    *,
    callback: DataCallback[M, P] | None,
    parameters: P | None,
    validate: bool,
    reply_kinds: Mapping[type[Any], Kind] | None = None,
) -> Subscription[M, P]:
    """Attach a subscription to the connection's shared reader."""
    subscription: Subscription[M, P] = Subscription(
        ws, tightest_first(kinds), validate, parameters, callback, reply_kinds
    )
    reader = _Reader.for_connection(ws)
    reader.add(subscription)
    reader.ensure_running()
    return subscription
