"""Blocking connections the package opens for you: what ``connect_<channel>`` of ``sync`` returns.

The blocking twin of :mod:`.connection`, over ``websockets.sync.client``:

* ``with connect_x(...) as conn``: one connection, closed at the end of the block;
* ``conn = connect_x(...).open()``: one connection, yours to close;
* ``for conn in connect_x(...)``: a new connection each time the previous one ended, with
  ``websockets``' backoff after a failed attempt that may pass (:func:`retryable`: the rule of
  the asynchronous client's ``process_exception``).

A blocking connection has no background reader: iterating reads the next frame, and a request
reads until its reply is in. Messages of the channel read meanwhile are kept for the iterator,
in order, with the errors of the frames that were not valid messages.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from websockets.client import backoff
from websockets.exceptions import ConnectionClosedOK, InvalidMessage, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from . import sync
from .connection import connect_options, connect_url
from .errors import PayloadError
from .frames import MISSING, Frame, Kind, Payload, decode_first, encode, tightest_first

logger = logging.getLogger(__name__)

C = TypeVar("C", bound="ChannelConnection")

__all__ = ["ChannelConnection", "Connect", "connect_options", "connect_url", "retryable"]


class ChannelConnection:
    """A blocking client connection on one channel; the generated subclasses type its methods.

    Attributes:
        ws: the underlying ``websockets.sync`` connection, for everything else (``ping``,
            ``close``, ``request.headers``...); do not call ``ws.recv()``: the connection reads it.
    """

    _receives: ClassVar[Sequence[type[Any]]] = ()
    """The message classes the client receives on the channel (set by each subclass)."""

    def __init__(
        self, ws: ClientConnection, kinds: Mapping[type[Any], Kind], *, validate: bool
    ) -> None:
        self.ws = ws
        self._kinds = kinds
        self._validate = validate
        self._receive_kinds = tightest_first([kinds[cls] for cls in self._receives])
        # Messages (or the errors of bad frames) a request read before its reply, oldest first.
        self._kept: collections.deque[Any] = collections.deque()

    def _send(self, message: Payload, skip_message_validation: bool) -> None:
        validate = self._validate and not skip_message_validation
        self.ws.send(encode(message, validate=validate, kinds=self._kinds))

    def _messages(self) -> Iterator[Any]:
        return _Messages(self)

    def _next_message(self) -> Any:
        """The next message: one a request kept, else the next frame that is one.

        Raises:
            StopIteration: the connection closed normally.
            PayloadError: a frame is not a valid message (the next call carries on).
        """
        if self._kept:
            item = self._kept.popleft()
            if isinstance(item, PayloadError):
                raise item
            return item
        while True:
            try:
                raw = self.ws.recv()
            except ConnectionClosedOK:
                raise StopIteration from None
            message = self._decode(raw)
            if message is not MISSING:
                return message

    def _decode(self, raw: str | bytes) -> Any:
        message, _kind = decode_first(Frame(raw), self._receive_kinds, self._validate)
        if message is MISSING:
            logger.debug("not a message the client receives here, skipped: %.80r", raw)
        return message

    def _keep(self, raw: str | bytes) -> None:
        try:
            message = self._decode(raw)
        except PayloadError as exc:
            self._kept.append(exc)
            return
        if message is not MISSING:
            self._kept.append(message)

    def _request(
        self,
        message: Payload,
        replies: Sequence[type[Any]],
        timeout: float | None,
        skip_message_validation: bool,
    ) -> Any:
        return sync.request(
            self.ws,
            message,
            self._kinds,
            [self._kinds[cls] for cls in replies],
            timeout=timeout,
            validate=self._validate and not skip_message_validation,
            other=self._keep if self._receive_kinds else None,
        )

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (iterating over its messages then ends)."""
        self.ws.close(code, reason)


def retryable(exc: Exception) -> bool:
    """Whether a failed connection attempt is worth another: ``websockets``' default rule.

    A network error, a timeout, a connection closed during the handshake or a 500, 502, 503 or
    504 status may pass; anything else (a 4xx status, an invalid URL...) will not.
    """
    if isinstance(exc, (EOFError, OSError, TimeoutError)):
        return True
    if isinstance(exc, InvalidMessage) and isinstance(exc.__cause__, EOFError):
        return True
    return isinstance(exc, InvalidStatus) and exc.response.status_code in (500, 502, 503, 504)


class _Messages:
    """The messages of a connection, as an iterator that carries on after a bad frame."""

    def __init__(self, connection: ChannelConnection) -> None:
        self._connection = connection

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return self._connection._next_message()


class Connect(Generic[C]):
    """A blocking connection about to be opened: ``with`` it, ``open()`` it, or ``for`` over it.

    Attributes:
        url: the URL it connects to (server, channel path, query string).
    """

    def __init__(
        self,
        url: str,
        connection: type[C],
        kinds: Mapping[type[Any], Kind],
        *,
        validate: bool,
        options: dict[str, Any],
    ) -> None:
        self.url = url
        self._class = connection
        self._kinds = kinds
        self._validate = validate
        self._options = options
        self._connection: C | None = None

    def open(self) -> C:
        """Connect now; close the connection with ``conn.close()`` when done."""
        ws = connect(self.url, **self._options)
        # Entered as a context manager is entered: the connection is this object's to close
        # (websockets 17.1+ warns about a connection used outside ``with``; older ones ignore it).
        ws.__enter__()
        return self._class(ws, self._kinds, validate=self._validate)

    def __enter__(self) -> C:
        self._connection = self.open()
        return self._connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._connection.ws.close()
            self._connection = None

    def __iter__(self) -> Iterator[C]:
        delays: Iterator[float] | None = None
        while True:
            try:
                connection = self.open()
            except Exception as exc:
                if not retryable(exc):
                    raise
                delays = delays or backoff()
                delay = next(delays)
                logger.info("connect failed; reconnecting in %.1f seconds: %s", delay, exc)
                time.sleep(delay)
                continue
            delays = None
            try:
                yield connection
            finally:
                connection.ws.close()
