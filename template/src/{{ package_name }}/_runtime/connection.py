"""Connections the package opens for you: what ``connect_<channel>`` of ``connections`` returns.

The generated ``connections`` module defines one class per channel, derived from
:class:`ChannelConnection`, whose methods are typed with exactly the messages the client sends and
receives on that channel; :class:`Connect` opens it, the ways ``websockets.asyncio.client.connect``
does:

* ``async with connect_x(...) as conn``: one connection, closed at the end of the block;
* ``conn = await connect_x(...)``: one connection, yours to close;
* ``async for conn in connect_x(...)``: a new connection each time the previous one ended,
  reconnecting with ``websockets``' backoff after a failed attempt.

Everything received goes through the connection's one subscription (:mod:`.client`), so frames
are decoded, validated and reported exactly as for ``subscribe_to_*``; requests wait for their
replies on the same reader.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.datastructures import Headers

from . import client, requests
from .errors import ParameterError
from .frames import Kind, Payload, encode
from .subscriptions import Subscription

C = TypeVar("C", bound="ChannelConnection")


class ChannelConnection:
    """A client connection on one channel; the generated subclasses type its methods.

    Attributes:
        ws: the underlying ``websockets`` connection, for everything else (``ping``, ``close``,
            ``request.headers``...); do not call ``ws.recv()``: the connection reads it.
    """

    _receives: ClassVar[Sequence[type[Any]]] = ()
    """The message classes the client receives on the channel (set by each subclass)."""

    def __init__(
        self, ws: ClientConnection, kinds: Mapping[type[Any], Kind], *, validate: bool
    ) -> None:
        self.ws = ws
        self._kinds = kinds
        self._validate = validate
        self._subscription: Subscription[Any, None] | None = None
        if self._receives:
            # Subscribed from the start: what arrives while the caller is busy sending is queued
            # for its ``async for`` (up to ``Subscription.max_queued``), not lost.
            self._subscription = client.subscribe(
                ws,
                [kinds[cls] for cls in self._receives],
                callback=None,
                parameters=None,
                validate=validate,
            )

    async def _send(self, message: Payload, skip_message_validation: bool) -> None:
        validate = self._validate and not skip_message_validation
        await self.ws.send(encode(message, validate=validate, kinds=self._kinds))

    def _messages(self) -> AsyncIterator[Any]:
        assert self._subscription is not None  # only subclasses that receive iterate
        return self._subscription

    async def _request(
        self,
        message: Payload,
        replies: Sequence[type[Any]],
        timeout: float | None,
        skip_message_validation: bool,
    ) -> Any:
        return await requests.request(
            self.ws,
            message,
            self._kinds,
            [self._kinds[cls] for cls in replies],
            timeout=timeout,
            validate=self._validate and not skip_message_validation,
        )

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection (the ``async for`` over its messages then ends)."""
        await self.ws.close(code, reason)


class Connect(Generic[C]):
    """A connection about to be opened: ``async with``, ``await`` or ``async for`` it.

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
        self._connect = connect(url, **options)
        self._connection: C | None = None

    def _opened(self, ws: ClientConnection) -> C:
        return self._class(ws, self._kinds, validate=self._validate)

    async def _open(self) -> C:
        return self._opened(await self._connect)

    def __await__(self) -> Generator[Any, None, C]:
        return self._open().__await__()

    async def __aenter__(self) -> C:
        self._connection = await self._open()
        return self._connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            await self._connection.ws.close()
            self._connection = None

    def __aiter__(self) -> AsyncIterator[C]:
        return _Reconnecting(aiter(self._connect), self._opened)


class _Reconnecting(AsyncIterator[C]):
    """``websockets``' own reconnecting loop, each connection typed.

    A new connection when the previous one is done with (the caller's loop comes round); backoff
    and retry when connecting fails with a retryable error (``process_exception``), the error
    raised when it is fatal. Not an async generator itself: wrapping ``websockets``' generator in
    another would leave two to finalise when a caller leaves the loop early, and the event loop
    closes them concurrently, each in the middle of the other's closing handshake.
    """

    def __init__(
        self, connections: AsyncIterator[ClientConnection], opened: Callable[[ClientConnection], C]
    ) -> None:
        self._connections = connections
        self._opened = opened

    async def __anext__(self) -> C:
        return self._opened(await anext(self._connections))


def connect_url(
    *,
    url: str | None,
    server: str | None,
    variables: Mapping[str, str] | None,
    channel_id: str,
    channel_servers: Sequence[str],
    known_servers: Sequence[str],
    server_url: Callable[..., str],
    channel_url: Callable[..., str],
    **path: Any,
) -> str:
    """The URL ``connect_<channel>`` opens: ``url`` or a server of the document, the channel's
    path (``path``: ``parameters=`` or ``channel=``) and the query (``query=``).

    The server is ``server`` if given, else the channel's first server, else the document's.

    Raises:
        ParameterError: both ``url`` and ``server`` given, no server to use, a server the channel
            is not available on, or a missing or invalid server variable.
    """
    if url is not None:
        if server is not None or variables is not None:
            raise ParameterError("give either url= or server= (with variables=), not both")
        return channel_url(url, **path)
    if server is None:
        candidates = [*channel_servers, *known_servers]
        if not candidates:
            raise ParameterError(
                "the document names no server: pass url=, e.g. url='ws://localhost:8080'"
            )
        server = candidates[0]
    elif channel_servers and server not in channel_servers:
        raise ParameterError(
            f"channel {channel_id!r} is not available on server {server!r}; "
            f"its servers: {list(channel_servers)!r}"
        )
    return server_url(server, variables=variables, **path)


def connect_options(headers: Any, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` with the typed handshake ``headers`` added to any ``additional_headers``."""
    if headers is None:
        return options
    typed: list[tuple[str, str]] = headers.additional_headers()
    given = options.get("additional_headers")
    if given is not None:
        typed += Headers(given).raw_items()
    return {**options, "additional_headers": typed}
