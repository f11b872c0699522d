"""Client side: one shared reader per connection, for its subscriptions and requests.

``websockets`` allows one ``recv`` at a time per connection, so every subscription and pending
request on a client connection shares one :class:`Reader`. For each frame:

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

Requests (:mod:`.requests`) wait on this reader through :meth:`Reader.exchange`; it knows them
only as :class:`~.pending.PendingReply`, kept with their shared timer in :mod:`.pending`.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK
from websockets.protocol import State

from .errors import PayloadError
from .frames import MISSING, Frame, Kind, tightest_first
from .paths import check_connection_path
from .pending import PendingReplies, PendingReply
from .subscriptions import (
    DataCallback,
    Subscription,
    SubscriptionIndex,
    dispatch_many,
    ignore,
    report,
    settled,
)

logger = logging.getLogger(__name__)

_UNHANDLED = "a frame could not be handled; reading goes on: %.80r"

M = TypeVar("M")
P = TypeVar("P")


class Reader:
    """The one reader of a client connection, shared by its subscriptions and requests."""

    _readers: weakref.WeakKeyDictionary[Connection, Reader] = weakref.WeakKeyDictionary()
    _last: Reader | None = None

    def __init__(self, ws: ClientConnection) -> None:
        # Weak: the registry maps the connection to this reader, and a value holding its key
        # would keep every connection ever used alive. Whoever reads holds the connection.
        self._connection = weakref.ref(ws)
        # The connection's loop, looked up once: a round trip needs it twice (its deadline,
        # the task reading inline), and asking asyncio for the running loop is not free.
        self.loop = asyncio.get_running_loop()
        self._index = SubscriptionIndex()
        self._pending = PendingReplies()
        self._waiters = self._pending.waiters  # the same list, one attribute away per frame
        # Frames are read either by the background task or, while no task runs, by a request
        # awaiting its reply ("inline"): that saves a task switch per round trip.
        self._task: asyncio.Task[None] | None = None
        self._stopping: asyncio.Task[None] | None = None
        self._inline = False

    @property
    def ws(self) -> ClientConnection:
        """The connection (raises ``ConnectionClosedOK`` once it has been freed)."""
        ws = self._connection()
        if ws is None:  # only once nothing reads, subscribes or waits on it any more
            raise ConnectionClosedOK(None, None)
        return ws

    @property
    def reading(self) -> bool:
        """Whether frames are being read: by the background task, or by a request itself."""
        return self._inline or (self._task is not None and not self._task.done())

    @classmethod
    def for_connection(cls, ws: ClientConnection) -> Reader:
        """The reader of ``ws``, made on first use."""
        last = cls._last
        if last is not None and last._connection() is ws:  # a client mostly uses one connection
            return last
        reader = cls._readers.get(ws)
        if reader is None:
            reader = cls._readers[ws] = cls(ws)
        cls._last = reader
        return reader

    # -- subscriptions ----------------------------------------------------------------------

    def add(self, subscription: Subscription[Any, Any]) -> None:
        """Deliver frames to ``subscription`` from now on, reading them in a task if need be."""
        subscription.owner = self
        self._index = SubscriptionIndex([*self._index.everyone, subscription])
        self._ensure_running()

    def remove(self, subscription: Subscription[Any, Any]) -> None:
        """Stop delivering to ``subscription``; stop reading once nobody waits any more."""
        everyone = self._index.everyone
        if subscription in everyone:
            self._index = SubscriptionIndex([s for s in everyone if s is not subscription])
            self._stop_if_idle()

    # -- requests -----------------------------------------------------------------------------

    async def exchange(self, frame: str | bytes, waiter: PendingReply) -> Any:
        """Send a request's ``frame``, then wait for the reply ``waiter`` recognises.

        While no task reads the connection, the request reads and dispatches frames itself, in
        its caller's task, until its reply is in (one task switch less per round trip, and no
        future). Other requests made meanwhile wait for it, and a task takes over if they are
        still waiting when it is done.

        Raises:
            Exception: the waiter's :meth:`~.pending.PendingReply.timeout_error` when the
                deadline passed while this task read frames; whatever failed the waiter.
        """
        # A round trip's bookkeeping is written out here rather than called (this runs once per
        # request): the waiter joins the queue, the timer moves only if it must.
        ws = self.ws
        pending = self._pending
        waiters = pending.waiters
        waiters.append(waiter)
        deadline = waiter.deadline
        if deadline is not None and deadline < pending.due:
            pending.arm(deadline)
        try:
            await ws.send(frame)
            task = self._task
            if not self._inline and (task is None or task.done()):
                # No task reads this connection: read in this one until the reply is in.
                waiter.reading = asyncio.current_task(self.loop)
                self._inline = True
                try:
                    if self._stopping is not None:
                        # A cancelled task may still sit in recv() until the loop delivers the
                        # cancellation; reading before it has gone would be a concurrent recv.
                        await asyncio.wait([self._stopping])
                        self._stopping = None
                    recv = ws.recv
                    while not waiter.done:
                        try:
                            raw = await recv()
                        except ConnectionClosed as exc:
                            await self._finish(exc)
                            break
                        # The frame goes to the first waiter it answers: while this request's
                        # waiter is the oldest (the usual case), it is asked before anything else.
                        received = Frame(raw)
                        try:
                            if waiters and waiters[0] is waiter and waiter.take(received):
                                del waiters[0]
                                break
                            left = None if pending.take(received) else self._offer(received)
                        except ConnectionClosed:
                            raise
                        except Exception:
                            logger.exception(_UNHANDLED, raw)
                            continue
                        if left is not None:
                            await _guarded(left, raw)
                finally:
                    self._inline = False
                    waiter.reading = None
                    # Someone else still waits (this request's waiter is gone once answered).
                    if self._index.everyone or (
                        waiters and (len(waiters) > 1 or waiters[0] is not waiter)
                    ):
                        self._ensure_running()
            if waiter.done:
                return waiter.outcome()
            waiter.future = self.loop.create_future()
            return await waiter.future
        except asyncio.CancelledError:
            # The timeout interrupted this task's own read: a timeout, unless someone else also
            # cancelled the task (then the cancellation goes on).
            current = asyncio.current_task()
            if waiter.interrupted and current is not None and current.uncancel() == 0:
                raise waiter.timeout_error() from None
            raise
        finally:
            future: asyncio.Future[Any] | None = waiter.future
            if future is not None and future.done() and not future.cancelled():
                future.exception()  # a timeout that lost the race to another error is not news
            if waiter in waiters:
                waiters.remove(waiter)
            if self._task is not None:
                self._stop_if_idle()

    # -- reading ------------------------------------------------------------------------------

    def _ensure_running(self) -> None:
        """Start the background task unless it runs or a request is reading inline."""
        if not self.reading:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def _stop_if_idle(self) -> None:
        if not self._index.everyone and not self._waiters and self._task is not None:
            self._task.cancel()
            self._stopping, self._task = self._task, None

    async def _run(self) -> None:
        if self._stopping is not None:
            await asyncio.wait([self._stopping])  # its recv() must be gone before ours starts
            self._stopping = None
        error: Exception | None = None
        # ``recv()`` in a loop rather than ``async for``, and a coroutine only for a frame that
        # leaves something to await: per frame, an async generator step and a coroutine less.
        recv = self.ws.recv
        try:
            while True:
                try:
                    raw = await recv()
                except ConnectionClosedOK:  # a normal close ends the loop, as ``async for`` does
                    break
                pending = self._dispatch(raw)
                if pending is not None:
                    await pending
        except ConnectionClosed as exc:
            error = exc
        except Exception as exc:  # the connection itself failed: nothing more will be read
            logger.exception("reading the connection failed; its subscriptions and requests end")
            error = exc
        await self._finish(error)

    def _dispatch(self, raw: str | bytes) -> Awaitable[None] | None:
        """Hand one frame on; whatever goes wrong with it stays with this frame.

        Frames the runtime cannot read reach the subscriptions as errors (see :meth:`handle`);
        this guard is for anything else (a reply a callback returned that cannot be sent, say),
        so that one frame never ends the reading of the frames after it. Returns what is left
        to await, guarded the same way, else ``None``.
        """
        try:
            pending = self.handle(raw)
        except ConnectionClosed:
            raise
        except Exception:
            logger.exception(_UNHANDLED, raw)
            return None
        return None if pending is None else _guarded(pending, raw)

    async def _finish(self, error: Exception | None) -> None:
        closed = error or ConnectionClosedOK(None, None)
        self._pending.fail(closed)
        for subscription in list(self._index.everyone):
            if error is not None and not isinstance(error, ConnectionClosedOK):
                await settled(subscription.deliver(None, error))
            subscription.unsubscribe()

    def handle(self, raw: str | bytes) -> Awaitable[None] | None:
        """One frame read: to the request it answers, else to the subscriptions.

        Returns what is left to await (see :meth:`.Subscription.deliver`), else ``None``.
        """
        frame = Frame(raw)
        if self._waiters and self._pending.take(frame):
            return None
        return self._offer(frame)

    def _offer(self, frame: Frame) -> Awaitable[None] | None:
        """Deliver a frame that answers no request to the subscriptions that take it."""
        subscriptions = self._index.everyone
        try:
            candidates = self._index.candidates(frame)
        except PayloadError as exc:
            return report(list(subscriptions), exc)
        if len(candidates) == 1:
            # The common case, kept lean: one subscription can take this frame.
            subscription = candidates[0]
            try:
                msg = subscription.read(frame)
            except PayloadError as exc:
                if exc is frame.parse_error or len(subscriptions) == 1:
                    return report(list(subscriptions), exc)
                return subscription.deliver(None, exc)
            if msg is not MISSING:
                return subscription.deliver(msg, None)
            candidates = []
        if not candidates:
            ignore(frame)
            return None
        return dispatch_many(frame, list(candidates), subscriptions)


async def _guarded(pending: Awaitable[None], raw: str | bytes) -> None:
    try:
        await pending
    except ConnectionClosed:
        raise
    except Exception:
        logger.exception(_UNHANDLED, raw)


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
    if ws.state is State.CLOSED:
        # Nothing will ever arrive: say so now, rather than hand back a subscription that is
        # silent for good (the callback hears it, an iterator raises it, then ends). A closing
        # connection goes to the reader, whose read ends with the close's own error.
        closed = ws.protocol.close_exc
        asyncio.get_running_loop().create_task(_report_closed(subscription, closed))
        return subscription
    Reader.for_connection(ws).add(subscription)
    return subscription


async def _report_closed(subscription: Subscription[Any, Any], closed: ConnectionClosed) -> None:
    await settled(subscription.deliver(None, closed))
    subscription.unsubscribe()


def check_client_path(ws: object, parameters: Any) -> None:
    """Refuse to publish with parameters that contradict a client connection's URL.

    Raises:
        ParameterError: the connection was opened on another channel path.
    """
    if parameters is None or not isinstance(ws, ClientConnection) or ws.request is None:
        return
    check_connection_path(ws, ws.request.path, parameters)
