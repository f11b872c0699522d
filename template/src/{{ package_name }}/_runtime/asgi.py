"""The :class:`~.server.Router` as an ASGI 3 application: uvicorn, Hypercorn, FastAPI, Starlette.

``router.asgi()`` serves the same channels as ``serve(router, ...)``: the same routing, parameter,
query and header checks, typed callbacks, validation and close codes. Nothing here imports an ASGI
framework; the application speaks the ASGI messages itself.

* A request for an unknown path (404) or with invalid parameters, query or headers (400) is
  refused before the handshake completes: with that HTTP response where the server offers the
  ``websocket.http.response`` extension (uvicorn does), else with a close the server turns into 403.
* The mount prefix (``root_path``) is left out of the path, so ``app.mount("/ws", router.asgi())``
  serves the document's addresses below ``/ws``.
* ``lifespan`` events are acknowledged; a plain HTTP request gets 404, or 426 on a channel's path.

Callbacks receive an :class:`AsgiConnection` as ``ws``: it offers what the generated functions
use from a ``websockets`` connection (``send``, ``recv``, ``close``, ``async for``, ``request``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, MutableMapping, Sequence
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import quote, unquote

from websockets.asyncio.server import broadcast as _broadcast
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, ConnectionClosedOK
from websockets.frames import OK_CLOSE_CODES, Close, CloseCode
from websockets.http11 import Request
from websockets.protocol import State

from .errors import ParameterError

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_TEXT_PLAIN = [(b"content-type", b"text/plain; charset=utf-8")]


class Router(Protocol):
    """What the application needs of :class:`~.server.Router` (which imports this module)."""

    def match(self, request: Request) -> Sequence[Any]:
        """The routes ``request`` matches (raises ``ParameterError`` for invalid values)."""

    async def serve(self, ws: AsgiConnection, found: Any) -> None:
        """Serve one connection on the routes it matched."""


class AsgiConnection:
    """One accepted WebSocket connection of an ASGI server, shaped like ``websockets``' own.

    What it offers: ``send`` (text or bytes), ``recv``, ``async for``, ``close(code, reason)``,
    ``wait_closed``, ``request`` (path with query, and headers, as a ``websockets`` ``Request``),
    ``id``, ``remote_address``, ``local_address``, ``state``, ``close_code``, ``close_reason``,
    and ``scope``, the ASGI scope (``scope["state"]``, ``scope["app"]``, what middleware added).

    What it lacks, because ASGI does not expose it: ``ping``/``pong`` and ``latency`` (the server
    keeps the connection alive itself), fragmented messages (``send`` takes one ``str`` or
    ``bytes``), ``recv_streaming``, ``response``, ``transport`` and per-connection limits (size,
    queue and compression settings are the ASGI server's options). ``close_code`` is the code of the
    close that ended the connection, the peer's or this side's, whichever came first.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send, request: Request) -> None:
        self.scope = scope
        self.request = request
        self.id = uuid.uuid4()
        self.state = State.OPEN
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self._receive = receive
        self._send = send
        self._closed = asyncio.get_running_loop().create_future()
        self._outbox: deque[str | bytes] = deque()
        self._writer: asyncio.Task[None] | None = None

    @property
    def remote_address(self) -> Any:
        """The peer's ``(host, port)``, when the server tells."""
        return self.scope.get("client")

    @property
    def local_address(self) -> Any:
        """This side's ``(host, port)``, when the server tells."""
        return self.scope.get("server")

    @property
    def subprotocol(self) -> None:
        """Always ``None``: no subprotocol is negotiated (as with ``serve(router, ...)``)."""
        return None

    async def send(self, message: str | bytes | bytearray | memoryview) -> None:
        """Send one text (``str``) or binary (bytes-like) message.

        Raises:
            websockets.exceptions.ConnectionClosed: the connection is closed.
            TypeError: ``message`` is neither text nor bytes.
        """
        if self.state is not State.OPEN:
            raise self._closed_error()
        if isinstance(message, str):
            event: Message = {"type": "websocket.send", "text": message}
        elif isinstance(message, (bytes, bytearray, memoryview)):
            event = {"type": "websocket.send", "bytes": bytes(message)}
        else:
            raise TypeError(f"cannot send {type(message).__name__}: str or bytes only")
        try:
            await self._send(event)
        except OSError:  # the peer has gone (uvicorn's ClientDisconnected is an OSError)
            self._ended(CloseCode.ABNORMAL_CLOSURE, "")
            raise self._closed_error() from None

    def send_nowait(self, message: str | bytes) -> None:
        """Queue ``message`` to be sent, in order, without waiting (what :func:`broadcast` uses).

        ASGI can only send by awaiting; a task sends the queued messages one after the other.
        Nothing is queued once the connection is closed, and a send that fails ends the queue.
        """
        if self.state is not State.OPEN:
            return
        self._outbox.append(message)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_outbox())

    async def _write_outbox(self) -> None:
        outbox = self._outbox
        while outbox:
            try:
                await self.send(outbox.popleft())
            except ConnectionClosed:
                outbox.clear()
            except Exception:
                logger.exception("a queued message could not be sent; the rest are dropped")
                outbox.clear()

    async def recv(self) -> str | bytes:
        """The next message: ``str`` for a text frame, ``bytes`` for a binary one.

        Raises:
            websockets.exceptions.ConnectionClosedOK: the connection closed normally.
            websockets.exceptions.ConnectionClosedError: it closed with an error code.
        """
        if self.state is State.OPEN:
            message = await self._receive()
            if message["type"] == "websocket.receive":
                text = message.get("text")
                if text is not None:
                    return str(text)
                return bytes(message.get("bytes") or b"")
            if message["type"] == "websocket.disconnect":
                self._ended(message.get("code", CloseCode.NO_STATUS_RCVD), message.get("reason"))
        raise self._closed_error()

    def __aiter__(self) -> AsyncIterator[str | bytes]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[str | bytes]:
        """Every message until a normal close (an abnormal one raises, as in ``websockets``)."""
        try:
            while True:
                yield await self.recv()
        except ConnectionClosedOK:
            return

    async def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection with ``code`` and ``reason`` (does nothing once it is closed)."""
        if self.state is not State.OPEN:
            return
        self._ended(code, reason)
        try:
            await self._send({"type": "websocket.close", "code": int(code), "reason": reason})
        except OSError:
            pass  # already gone: closed either way

    async def wait_closed(self) -> None:
        """Wait until the connection is closed."""
        await asyncio.shield(self._closed)

    def _ended(self, code: int, reason: str | None) -> None:
        self.state = State.CLOSED
        self.close_code = int(code)
        self.close_reason = reason or ""
        if not self._closed.done():
            self._closed.set_result(None)

    def _closed_error(self) -> ConnectionClosed:
        code = self.close_code if self.close_code is not None else CloseCode.ABNORMAL_CLOSURE
        close = Close(code, self.close_reason or "")
        if code in OK_CLOSE_CODES:
            return ConnectionClosedOK(close, None)
        return ConnectionClosedError(close, None)


class AsgiApp:
    """The ASGI 3 application of a :class:`~.server.Router` (made by ``router.asgi()``).

    Example:
        Served by uvicorn, or mounted in a FastAPI (or Starlette) application::

            uvicorn.run(router.asgi(), host="127.0.0.1", port=8080)
            fastapi_app.mount("/ws", router.asgi())
    """

    def __init__(self, router: Router) -> None:
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "websocket":
            await self._websocket(scope, receive, send)
        elif kind == "http":
            await self._http(scope, send)
        elif kind == "lifespan":
            await _lifespan(receive, send)
        else:
            raise ValueError(f"unsupported ASGI scope type {kind!r}")

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (await receive())["type"] != "websocket.connect":
            return  # the client left before the handshake
        request = request_of(scope)
        try:
            found = self.router.match(request)
        except ParameterError as exc:
            await _refuse(scope, send, HTTPStatus.BAD_REQUEST, f"{exc}\n")
            return
        if not found:
            await _refuse(scope, send, HTTPStatus.NOT_FOUND, "No channel at this path.\n")
            return
        await send({"type": "websocket.accept"})
        ws = AsgiConnection(scope, receive, send, request)
        try:
            await self.router.serve(ws, found)
        finally:
            await ws.close()  # a no-op when it is closed already

    async def _http(self, scope: Scope, send: Send) -> None:
        try:
            found = bool(self.router.match(request_of(scope)))
        except ParameterError:
            found = True
        if found:
            status, body = HTTPStatus.UPGRADE_REQUIRED, "Connect with a WebSocket client.\n"
        else:
            status, body = HTTPStatus.NOT_FOUND, "No channel at this path.\n"
        headers = [*_TEXT_PLAIN, (b"connection", b"close")]
        if found:
            headers.append((b"upgrade", b"websocket"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})


def broadcast(connections: Iterable[Any], message: str | bytes) -> None:
    """Send ``message`` to every open connection without waiting for any of them.

    ``websockets``' own ``broadcast`` for its connections, :meth:`AsgiConnection.send_nowait`
    for the ASGI ones: a slow client never holds back the others, and each connection gets its
    messages in the order they were broadcast.
    """
    native = []
    for ws in connections:
        if isinstance(ws, AsgiConnection):
            ws.send_nowait(message)
        else:
            native.append(ws)
    if native:
        _broadcast(native, message)


async def _refuse(scope: Scope, send: Send, status: HTTPStatus, body: str) -> None:
    """Refuse a WebSocket request before accepting it: an HTTP response where possible."""
    if "websocket.http.response" in (scope.get("extensions") or {}):
        start = {"type": "websocket.http.response.start", "status": status, "headers": _TEXT_PLAIN}
        await send(start)
        await send({"type": "websocket.http.response.body", "body": body.encode()})
    else:
        # Without the extension, a close before the accept is all ASGI offers: HTTP 403.
        await send({"type": "websocket.close", "code": CloseCode.POLICY_VIOLATION})


async def _lifespan(receive: Receive, send: Send) -> None:
    """Acknowledge startup and shutdown: the router holds nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def request_of(scope: Scope) -> Request:
    """The request of an ASGI scope as ``websockets`` would see it: path (query included) and headers.

    The path is relative to the mount point (``root_path``) and undecoded, like the request line
    ``websockets`` receives, so that an encoded ``/`` or ``%`` inside a parameter value survives.
    """
    path = _app_path(scope)
    query = scope.get("query_string") or b""
    if query:
        path = f"{path}?{query.decode('latin-1')}"
    headers = Headers(
        [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]]
    )
    return Request(path, headers)


def _app_path(scope: Scope) -> str:
    """The undecoded path below ``root_path``.

    ``path`` is decoded and, per the ASGI spec, starts with ``root_path``; ``raw_path`` is the
    undecoded request target, which may or may not carry the prefix (a proxy may have stripped it
    before the server added ``root_path``). The answer is the tail of ``raw_path`` that decodes to
    ``path`` without the prefix; without a ``raw_path``, the decoded path is encoded again.
    """
    path: str = scope.get("path") or "/"
    root: str = scope.get("root_path") or ""
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    raw = scope.get("raw_path")
    if raw:
        text: str = raw.decode("latin-1").partition("?")[0]
        starts = [0, *(i for i, char in enumerate(text) if char == "/" and i)]
        for start in starts:
            if unquote(text[start:]) == path:
                return text[start:]
    return quote(path, safe="/!$&'()*+,;=:@~")
