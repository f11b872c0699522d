"""Client subscriptions: what a frame becomes for one ``subscribe_to_*`` call, and where it goes.

A :class:`Subscription` hands messages to its callback or to its ``async for`` loop. The connection's
reader (:mod:`.client`) decides which subscriptions see a frame; a :class:`SubscriptionIndex` lets
it find them with one dictionary lookup when every subscription's messages fix one property
(``"event": "join"``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from websockets.asyncio.client import ClientConnection

from .errors import PayloadError
from .frames import MISSING, Frame, Kind, decode_first, encode

logger = logging.getLogger(__name__)

M = TypeVar("M")
P = TypeVar("P")
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


class Owner(Protocol):
    """What delivers frames to subscriptions: :class:`.client.Reader`, as a subscription sees it."""

    def remove(self, subscription: Subscription[Any, Any]) -> None:
        """Deliver nothing more to ``subscription``."""


class Subscription(Generic[M, P]):
    """A live subscription on a client connection; also an async iterator of messages.

    Call :meth:`unsubscribe` to stop receiving. Iterating (``async for msg in sub``) yields typed
    messages; a frame that cannot be decoded raises :class:`~.errors.PayloadError` from the loop
    (iterate again to carry on); an abnormal close raises ``ConnectionClosedError``. Iteration
    ends after :meth:`unsubscribe` or a normal close.

    An iterator that is not read holds at most :attr:`max_queued` messages; then the connection
    is not read until it is (``websockets``' flow control holds the peer back), so a slow reader
    costs bounded memory. Every subscription and request of that connection waits meanwhile.
    """

    max_queued: int = 1024
    """Messages an iterator holds before the connection stops being read (set it on the class
    for every subscription, or on one subscription right after subscribing)."""

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
        self._room = asyncio.Event()  # set whenever the iterator takes a message
        self.read = _frame_reader(kinds, validate)
        """The frame -> message (or ``MISSING``) function of this subscription's kinds."""
        self.owner: Owner | None = None
        """Whoever delivers to this subscription (the connection's reader), told when it ends."""

    def unsubscribe(self) -> None:
        """Stop delivering messages to this subscription (idempotent)."""
        if self.active:
            self.active = False
            if self.owner is not None:
                self.owner.remove(self)
            self._queue.put_nowait(_END)
            self._room.set()

    def deliver(self, msg: M | None, err: Exception | None) -> Awaitable[None] | None:
        """Hand a message (or an error) to the callback or the iterator.

        A plain callback runs now; what is left to await (an async callback's result, a reply to
        send) comes back as an awaitable, else ``None``: most frames cost no coroutine.
        """
        callback = self.callback
        if callback is None:
            queue = self._queue
            queue.put_nowait(msg if err is None else err)
            return self._until_room() if queue.qsize() >= self.max_queued else None
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
        if result is None or self.reply_kinds is None or err is not None:
            return
        try:
            frame = encode(result, validate=self.validate, kinds=self.reply_kinds)
        except Exception as exc:  # not a reply this operation can send: the callback hears why
            await self._tell(PayloadError(f"the callback's reply was not sent: {exc}"))
            return
        await self.ws.send(frame)

    async def _tell(self, err: Exception) -> None:
        """Report ``err`` to the callback; what it returns is not a reply (there is no message)."""
        assert self.callback is not None  # only callbacks return replies
        try:
            result: Any = self.callback(err=err, msg=None, parameters=self.parameters, ws=self.ws)
            if hasattr(result, "__await__"):
                await result
        except Exception:
            logger.exception("on_data_callback raised; the subscription continues")

    async def _until_room(self) -> None:
        """Hold the reader (so the connection is not read) until the iterator takes messages."""
        while self.active and self._queue.qsize() >= self.max_queued:
            self._room.clear()
            await self._room.wait()

    def __aiter__(self) -> AsyncIterator[M]:
        return self

    async def __anext__(self) -> M:
        if not self.active and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        self._room.set()
        if item is _END:
            self.active = False
            raise StopAsyncIteration
        if isinstance(item, Exception):
            raise item
        msg: M = item
        return msg


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


def _fixed_keys(subscription: Subscription[Any, Any]) -> set[str]:
    """Properties every message of the subscription requires to have one fixed value."""
    keys: set[str] | None = None
    for kind in subscription.kinds:
        if kind.binary:
            return set()
        fixed = {wire for wire, _value, required in kind.checks if required}
        keys = fixed if keys is None else keys & fixed
    return keys or set()


def _fixed_values(subscription: Subscription[Any, Any], key: str | None) -> list[Any] | None:
    """The values ``key`` takes in the subscription's messages; ``None`` if not all fix it."""
    if key is None or key not in _fixed_keys(subscription):
        return None
    return [value for kind in subscription.kinds for wire, value, _ in kind.checks if wire == key]


class SubscriptionIndex:
    """A connection's subscriptions by the value of one property all their messages fix.

    ``"topic": "t1"`` in every message of every subscription: a frame is offered to the few
    subscriptions whose messages can have its ``topic``, not to all of them.
    """

    __slots__ = ("everyone", "key", "unindexed", "values")

    def __init__(self, subscriptions: Sequence[Subscription[Any, Any]] = ()) -> None:
        self.everyone: list[Subscription[Any, Any]] = list(subscriptions)
        counts: dict[str, int] = {}
        for subscription in self.everyone:
            for wire in _fixed_keys(subscription):
                counts[wire] = counts.get(wire, 0) + 1
        self.key = max(counts, key=lambda wire: counts[wire]) if counts else None
        self.values: dict[Any, list[Subscription[Any, Any]]] = {}
        self.unindexed: list[Subscription[Any, Any]] = []
        for subscription in self.everyone:
            values = _fixed_values(subscription, self.key)
            if values is None:
                self.unindexed.append(subscription)
                continue
            for value in values:
                bucket = self.values.setdefault(value, [])
                if subscription not in bucket:
                    bucket.append(subscription)

    def candidates(self, frame: Frame) -> list[Subscription[Any, Any]]:
        """The subscriptions that may take ``frame`` (parsed only when the index needs it).

        Raises:
            PayloadDecodeError: the frame had to be parsed and is not JSON.
        """
        if self.key is None or len(self.everyone) < 2:
            return self.everyone
        data = frame.data()
        if type(data) is not dict:
            return self.everyone
        indexed = self.values.get(data.get(self.key, MISSING), _NONE)
        return indexed + self.unindexed if self.unindexed else indexed


# -- delivering a frame that several subscriptions may take (used by the client reader) --------


async def dispatch_many(
    frame: Frame,
    subscriptions: list[Subscription[Any, Any]],
    everyone: list[Subscription[Any, Any]],
) -> None:
    """Deliver ``frame`` to each of ``subscriptions`` whose classes accept it (see :mod:`.client`)."""
    decoded: dict[tuple[int, bool], Any] = {}
    failed: list[tuple[Subscription[Any, Any], PayloadError]] = []
    matches: list[tuple[Subscription[Any, Any], Any]] = []
    for subscription in subscriptions:
        key = (id(subscription.kinds), subscription.validate)
        try:
            if key in decoded:
                msg = decoded[key]
            else:
                msg = decoded[key] = decode_first(frame, subscription.kinds, subscription.validate)[
                    0
                ]
        except PayloadError as exc:
            if exc is frame.parse_error:
                for each in list(everyone):
                    await settled(each.deliver(None, exc))
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
            await settled(subscription.deliver(msg, None))
        return
    if failed:
        for subscription, error in failed:
            await settled(subscription.deliver(None, error))
        return
    ignore(frame)


async def report(subscriptions: list[Subscription[Any, Any]], error: PayloadError) -> None:
    """Tell each subscription about a frame it cannot read."""
    for each in subscriptions:
        await settled(each.deliver(None, error))


async def settled(pending: Awaitable[None] | None) -> None:
    """Await what :meth:`Subscription.deliver` left, if anything."""
    if pending is not None:
        await pending


def ignore(frame: Frame) -> None:
    """Log (at DEBUG level) a frame that no subscription takes."""
    # Every subscription's pre-filter rejected the frame: it is plainly another message type
    # (another operation on a shared address), not a broken message. Not an error.
    logger.debug("no subscription takes this frame: %.80r", frame.raw)
