"""Client side, request/reply: send a message, then wait for the frame that answers it.

A pending request is a :class:`Waiter` on the connection's shared reader (:mod:`.client`), which
offers it every frame before the subscriptions. While no reader task runs, the request reads
frames itself, in its own task, until its reply is in (one task switch less per round trip).

Timeouts: the requests of a connection share the reader's one timer, moved only when a request's
deadline comes before it, so with a fixed timeout a round trip arms and cancels no timer at all.
A timeout fails the request or, when the request is reading frames itself, cancels that
read; a cancellation from outside stays a cancellation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from websockets.asyncio.client import ClientConnection

from .client import Reader
from .errors import PayloadError, ReplyTimeoutError
from .frames import MISSING, Frame, Kind, Payload, encode_data, tightest_first


class Waiter:
    """One pending request: how to recognise its reply, and when to give up on it.

    The reader knows it as a :class:`.pending.PendingReply`. Its outcome (``reply`` or ``error``)
    is kept here; a future is made only when a task must wait for another to read the reply
    (``future``): a request reading its own reply needs none.
    """

    __slots__ = (
        "correlation",
        "deadline",
        "done",
        "error",
        "future",
        "interrupted",
        "reading",
        "reply",
        "reply_of",
        "timeout",
    )

    def __init__(
        self,
        reply_of: Callable[[Frame, Any], Any],
        correlation: Any,
        timeout: float | None,
        now: float,
    ) -> None:
        self.reply_of = reply_of
        self.correlation = correlation
        self.timeout = timeout
        self.deadline = None if timeout is None else now + timeout
        self.done = False
        self.reply: Any = MISSING
        self.error: Exception | None = None
        self.future: asyncio.Future[Any] | None = None
        # The task reading frames for this request itself (see Reader.exchange), which a
        # timeout must interrupt; and whether it did.
        self.reading: asyncio.Task[Any] | None = None
        self.interrupted = False

    def take(self, frame: Frame) -> bool:
        """Complete the request if ``frame`` is its reply."""
        reply = self.reply_of(frame, self.correlation)
        if reply is MISSING:
            return False
        if not self.done:
            self.done, self.reply = True, reply
            if self.future is not None and not self.future.done():
                self.future.set_result(reply)
        return True

    def fail(self, error: Exception) -> None:
        """Complete the request with ``error``, unless it is complete."""
        if not self.done:
            self.done, self.error = True, error
            if self.future is not None and not self.future.done():
                self.future.set_exception(error)

    def outcome(self) -> Any:
        """The reply, or raise the error (once :attr:`done`)."""
        if self.error is not None:
            raise self.error
        return self.reply

    def expire(self) -> None:
        """Give up waiting: fail the request, or interrupt the read the request does itself."""
        if self.reading is not None:
            self.interrupted = True
            self.reading.cancel()
        else:
            self.fail(self.timeout_error())

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
# Per ``validate``: the reply kind (one, the usual case) or kinds -> :func:`reply_in` over their
# matchers, written out for one text kind. Keyed without building a tuple: this runs per request.
_REPLY_OF: tuple[dict[Any, Callable[[Frame, Any], Any]], dict[Any, Callable[[Frame, Any], Any]]] = (
    {},
    {},
)


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


def reply_finder(kinds: Sequence[Kind], validate: bool) -> Callable[[Frame, Any], Any]:
    """``(frame, correlation) -> reply or MISSING``: :func:`reply_in` with its matchers fixed."""
    made = _REPLY_OF[validate]
    key: Any = kinds[0] if len(kinds) == 1 else tuple(kinds)
    found = made.get(key)
    if found is None:
        found = made[key] = _make_reply_finder(matchers(kinds, validate))
    return found


def _make_reply_finder(
    found: Sequence[tuple[Kind, Callable[[Any], Any]]],
) -> Callable[[Frame, Any], Any]:
    if len(found) != 1 or found[0][0].binary:

        def reply_of_any(frame: Frame, correlation: Any) -> Any:
            return reply_in(frame, found, correlation)

        return reply_of_any
    # One text kind: every way of not being its reply is MISSING, as in reply_in.
    kind, read = found[0]
    if kind.correlation is None:

        def reply_of_one(frame: Frame, correlation: Any) -> Any:
            try:
                return read(frame.data())
            except PayloadError:
                return MISSING

        return reply_of_one
    correlation_id = kind.correlation_id
    # The usual ``$message.payload#/id``: Kind.correlation_id's own first case, written out.
    key = kind.correlation[0] if len(kind.correlation) == 1 else None

    def reply_of_correlated(frame: Frame, correlation: Any) -> Any:
        try:
            content = frame.data()
        except PayloadError:
            return MISSING
        if correlation is not None:
            if key is not None and type(content) is dict:
                if content.get(key) != correlation:
                    return MISSING
            elif correlation_id(content) != correlation:
                return MISSING
        try:
            return read(content)
        except PayloadError:
            return MISSING

    return reply_of_correlated


_Written = tuple[Callable[[Any], "str | bytes"], Callable[[Any], Any]]


class Requester:
    """One request operation, settled once: how each request class is checked, written and
    correlated, and how its reply is recognised, with validation and without.

    Each generated ``request_*`` function keeps one, made at import and filled on first use, so a
    round trip looks nothing up beyond its message's class (and goes through one call less).
    """

    __slots__ = ("_finders", "_kinds", "_reply_kinds", "_written")

    def __init__(self, kinds: Mapping[type[Any], Kind], reply_kinds: Sequence[Kind]) -> None:
        self._kinds = kinds
        self._reply_kinds = tuple(reply_kinds)
        # Indexed by ``validate``: per request class, its writer and correlation id reader.
        self._written: tuple[dict[type[Any], _Written], dict[type[Any], _Written]] = ({}, {})
        self._finders: list[Callable[[Frame, Any], Any] | None] = [None, None]

    # A method rather than ``__call__``: calling an instance costs a slot look-up per call.
    def request(
        self, ws: ClientConnection, message: Payload, *, timeout: float | None, validate: bool
    ) -> Coroutine[Any, Any, Any]:
        """Send ``message`` and wait for its reply (await the result).

        The reply is the first frame that decodes as one of the reply kinds and, when both the
        request and the reply message carry a correlation id in their payload, has the request's
        id. The request is checked and encoded when this is called, then sent when the result is
        awaited: a plain call rather than a coroutine, since every caller awaits it at once.

        Raises:
            PayloadValidationError: the request does not match its schema (nothing is sent).
            ReplyTimeoutError: no reply within ``timeout`` seconds (from the await).
        """
        finder = self._finders[validate] or self._finder(validate)
        cls = type(message)
        write, correlation_id = self._written[validate].get(cls) or self._writer(cls, validate)
        data = message.to_json_data()
        frame = write(data)
        reader = Reader.for_connection(ws)
        now = 0.0 if timeout is None else reader.loop.time()
        return reader.exchange(frame, Waiter(finder, correlation_id(data), timeout, now))

    def _finder(self, validate: bool) -> Callable[[Frame, Any], Any]:
        finder = self._finders[validate] = reply_finder(self._reply_kinds, validate)
        return finder

    def _writer(self, cls: type[Any], validate: bool) -> _Written:
        kind = self._kinds.get(cls)
        written: _Written
        if kind is not None:
            written = (kind.writer(validate), kind.correlation_id)
        else:  # a class of no declared kind: checked against its own schema, no correlation id

            def write_other(data: Any) -> str | bytes:
                if validate:
                    cls.validate_data(data)
                return encode_data(data, None)

            written = (write_other, _no_correlation)
        self._written[validate][cls] = written
        return written


def _no_correlation(data: Any) -> None:
    return None


# Requesters of :func:`request`, by the kinds mapping they read (kept alive by its requester)
# and the reply kinds.
_REQUESTERS: dict[tuple[int, tuple[Kind, ...]], Requester] = {}


def request(
    ws: ClientConnection,
    message: Payload,
    kinds: Mapping[type[Any], Kind],
    reply_kinds: Sequence[Kind],
    *,
    timeout: float | None,
    validate: bool,
) -> Coroutine[Any, Any, Any]:
    """:meth:`Requester.request` of ``kinds`` and ``reply_kinds`` (made once): await the result.

    For callers that do not keep their own requester, such as the connection classes.
    """
    key = (id(kinds), tuple(reply_kinds))
    requester = _REQUESTERS.get(key)
    if requester is None:
        requester = _REQUESTERS[key] = Requester(kinds, reply_kinds)
    return requester.request(ws, message, timeout=timeout, validate=validate)
