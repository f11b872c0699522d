"""Blocking client side over ``websockets.sync.client``: for scripts, notebooks and tests.

The generated ``sync`` module calls these with its message kinds. Frames are encoded, validated
and decoded exactly as by the asynchronous functions, and the same errors are raised. A blocking
connection has no background reader, so whoever waits reads:

* :func:`request` reads until its reply is in; other frames read meanwhile are dropped (logged
  at DEBUG level), as no subscription could take them;
* :class:`Messages` reads when asked for the next message; frames of other message types are
  skipped, like a subscription ignores them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

from websockets.exceptions import ConnectionClosedOK
from websockets.sync.client import ClientConnection

from .errors import ReplyTimeoutError
from .frames import MISSING, Frame, Kind, Payload, decode_first, encode, tightest_first
from .paths import check_connection_path
from .requests import reply_finder

logger = logging.getLogger(__name__)

M = TypeVar("M")


def publish(
    ws: ClientConnection,
    message: Payload,
    kinds: Mapping[type[Any], Kind],
    *,
    parameters: Any,
    validate: bool,
) -> None:
    """Send ``message``, checked against its schema and ``parameters`` against the URL first.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
    """
    if parameters is not None:
        check_connection_path(ws, ws.request.path if ws.request else "", parameters)
    ws.send(encode(message, validate=validate, kinds=kinds))


def request(
    ws: ClientConnection,
    message: Payload,
    kinds: Mapping[type[Any], Kind],
    reply_kinds: Sequence[Kind],
    *,
    timeout: float | None,
    validate: bool,
    other: Callable[[str | bytes], None] | None = None,
) -> Any:
    """Send ``message`` and read frames until its reply is in (see :func:`.requests.request`).

    Frames read before the reply go to ``other`` if given, else are dropped.

    Raises:
        ReplyTimeoutError: no reply within ``timeout`` seconds.
        PayloadValidationError: the request does not match its schema (nothing is sent).
        websockets.exceptions.ConnectionClosed: the connection closed first.
    """
    kind = kinds.get(type(message))
    frame = encode(message, validate=validate, kinds=kinds)
    correlation = None if kind is None else kind.correlation_id(message.to_json_data())
    reply_of = reply_finder(reply_kinds, validate)
    deadline = None if timeout is None else time.monotonic() + timeout
    ws.send(frame)
    while True:
        left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        try:
            raw = ws.recv(left)
        except TimeoutError:
            raise ReplyTimeoutError(f"no reply within {timeout} s") from None
        reply = reply_of(Frame(raw), correlation)
        if reply is not MISSING:
            return reply
        if other is not None:
            other(raw)
        else:
            logger.debug("not the reply, dropped: %.80r", raw)


class Messages(Generic[M]):
    """The messages of one operation arriving on a blocking connection, as an iterator.

    Each ``next()`` reads frames until one is a message of the operation. A frame that is not
    JSON, or looks like the operation's message but is invalid, raises
    :class:`~.errors.PayloadError` (iterate again to carry on). Frames of other message types
    are skipped. Iteration ends when the connection closes normally; an abnormal close raises
    ``ConnectionClosedError``; no message within ``timeout`` raises ``TimeoutError``.
    """

    def __init__(
        self, ws: ClientConnection, kinds: Sequence[Kind], *, validate: bool, timeout: float | None
    ) -> None:
        self.ws = ws
        self.kinds = tightest_first(kinds)
        self.validate = validate
        self.timeout = timeout

    def __iter__(self) -> Iterator[M]:
        return self

    def __next__(self) -> M:
        while True:
            try:
                raw = self.ws.recv(self.timeout)
            except ConnectionClosedOK:
                raise StopIteration from None
            message, _kind = decode_first(Frame(raw), self.kinds, self.validate)
            if message is not MISSING:
                typed: M = message
                return typed
            logger.debug("another message type, skipped: %.80r", raw)
