"""Server side: one :class:`Router` (a ``websockets`` handler) for every registered channel.

The router matches the request path (leading ``/`` optional, query string apart, literal parts
compared in one canonical percent-encoding, values percent-decoded) against every registered
channel address. Several channels may share an
address (Kraken, Slack RTM): a connection on it belongs to all of them, and each frame is dispatched by
message type to **one** registration: the first (in registration order) whose message classes
accept it, preferring a class that declares every property of the frame over one that merely
tolerates extra properties. So a request gets exactly one reply even when several operations
share a message type.

Robustness rules: a frame that is not a valid message is reported to ``on_error`` (or, when no
registration on the path has one, closes *that* connection with 1007); a callback that raises
closes its own connection with 1011. Neither affects the server or another connection.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK
from websockets.frames import CloseCode
from websockets.http11 import Request, Response

from .asgi import AsgiApp
from .callbacks import Registration, call, extra_kwargs
from .errors import ParameterError, PayloadError, UnexpectedMessageError
from .fanout import Broker, ConnectionRegistry, InProcessBroker, Socket, parameters_key
from .frames import MISSING, Frame, Kind, decode_first, parse_frame
from .paths import encode_address, query_of
from .server_frames import data_of, frame_decoder, reply_frame, reply_writer

logger = logging.getLogger(__name__)


_MAX_REASON = 123
"""Bytes of UTF-8 a close frame's reason may hold (RFC 6455: 125 payload bytes, 2 for the code)."""


def close_reason(error: Exception) -> str:
    """An error's text cut to fit a close frame, at a character boundary, marked with ``…``."""
    # Encoded with "replace": an error quoting a lone surrogate must not break the close itself.
    data = str(error).encode("utf-8", "replace")
    if len(data) <= _MAX_REASON:
        return data.decode("utf-8")
    ellipsis = "\u2026"
    cut = data[: _MAX_REASON - len(ellipsis.encode("utf-8"))]
    return cut.decode("utf-8", "ignore") + ellipsis


@dataclass
class _Route:
    channel: str
    pattern: re.Pattern[str]
    parameters_class: Callable[[str], Any] | None
    query_class: Callable[[Mapping[str, str]], Any] | None
    headers_class: Callable[[Mapping[str, str]], Any] | None
    registrations: list[Registration] = field(default_factory=list)


@dataclass
class _Context:
    """One matched route of one connection: its parameters and handshake values."""

    route: _Route
    parameters: Any
    query: Any
    headers: Any

    def extras(self, registration: Registration, callback: str) -> dict[str, Any]:
        """The handshake values ``callback`` declared (see :func:`.callbacks.extra_kwargs`)."""
        return extra_kwargs(registration, callback, self.query, self.headers)


class Router:
    """A ``websockets`` connection handler that dispatches to the registered channel callbacks.

    Example:
        Register operations with the ``register_<operation>`` functions of the package's
        ``channels`` module, then serve them with ``websockets.asyncio.server.serve``::

            router = Router()
            register_<operation>(router=router, on_message=on_message)
            async with serve(router, "localhost", 8080, process_request=router.process_request):
                await asyncio.Event().wait()  # serve until cancelled

    Passing ``process_request=router.process_request`` refuses unknown paths (HTTP 404) and invalid
    parameters, query or handshake headers (HTTP 400) before the handshake completes and before
    any callback runs; without it such connections are accepted and then closed with code 1008.

    :meth:`asgi` serves the same channels from an ASGI server (uvicorn, FastAPI, Starlette).

    The router knows its open connections by channel (:meth:`connections`); the generated
    ``broadcast_to_*`` functions reach them through ``broker``: by default an
    :class:`~.fanout.InProcessBroker` (this router's connections only), or a ``RedisBroker``
    (every router attached to the same Redis, in any process).
    """

    def __init__(self, *, broker: Broker | None = None) -> None:
        self._routes: dict[str, _Route] = {}
        self._registry = ConnectionRegistry()
        self.broker: Broker = InProcessBroker() if broker is None else broker
        self.broker.attach(self._registry)

    def connections(self, channel: str, parameters: Any = None) -> frozenset[Socket]:
        """The open connections on channel id ``channel``, of these parameters unless ``None``.

        A connection is listed from before its ``on_connection`` callbacks run until its
        ``on_disconnect`` callbacks run. The set is a snapshot: changing it changes nothing.
        """
        return self._registry.connections(channel, parameters_key(parameters))

    async def broadcast(self, channel: str, frame: str | bytes, parameters: Any = None) -> None:
        """Send an encoded frame to every open connection on ``channel`` through the broker.

        ``parameters`` ``None`` reaches every connection on the channel, else those whose
        parameters equal them. The generated ``broadcast_to_*`` functions validate and encode
        the message, then call this.
        """
        await self.broker.publish(channel, parameters_key(parameters), frame)

    def add(
        self,
        channel: str,
        pattern: re.Pattern[str],
        parameters_class: Callable[[str], Any] | None,
        registration: Registration,
        *,
        query_class: Callable[[Mapping[str, str]], Any] | None = None,
        headers_class: Callable[[Mapping[str, str]], Any] | None = None,
    ) -> None:
        """Register callbacks for a channel (used by the generated ``register_*`` functions)."""
        route = self._routes.get(channel)
        if route is None:
            route = _Route(channel, pattern, parameters_class, query_class, headers_class)
            self._routes[channel] = route
        route.registrations.append(registration)

    def asgi(self) -> AsgiApp:
        """This router as an ASGI 3 application (uvicorn, FastAPI, Starlette; see :mod:`.asgi`).

        Example:
            Mounted in a FastAPI (or Starlette) application, beside its HTTP routes::

                fastapi_app.mount("/ws", router.asgi())
        """
        return AsgiApp(self)

    def match(self, request: Request) -> list[_Context]:
        """Every route matching the request with its parsed parameters and handshake values.

        Raises:
            ParameterError: a route matches the path but a parameter, query parameter or
                handshake header is invalid.
        """
        path = request.path
        # websockets passes the path on undecoded; the patterns are written in the canonical
        # encoding, so an encoded path, a plain ASCII one and a mix of both match alike.
        route_path = encode_address(path.partition("?")[0].lstrip("/"))
        found: list[_Context] = []
        query: dict[str, str] | None = None
        refused: ParameterError | None = None
        for route in self._routes.values():
            # An address may be written with or without its leading slash.
            if route.pattern.fullmatch(route_path) is None and (
                route.pattern.fullmatch("/" + route_path) is None
            ):
                continue
            if query is None:
                query = query_of(path)
            # A route whose parameters refuse the path (``{queue}`` vs a literal ``rpc_queue``
            # address) is skipped; the request is refused only when no route accepts it.
            try:
                parameters = route.parameters_class(path) if route.parameters_class else None
                typed_query = route.query_class(query) if route.query_class else query
                headers: Any = request.headers
                if route.headers_class is not None:
                    headers = route.headers_class(dict(request.headers.raw_items()))
            except ParameterError as exc:
                refused = refused or exc
                continue
            found.append(_Context(route, parameters, typed_query, headers))
        if not found and refused is not None:
            raise refused
        return found

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse unknown paths (404) and invalid parameters (400) before the handshake."""
        try:
            found = self.match(request)
        except ParameterError as exc:
            return connection.respond(HTTPStatus.BAD_REQUEST, f"{exc}\n")
        if not found:
            return connection.respond(HTTPStatus.NOT_FOUND, "No channel at this path.\n")
        return None

    async def __call__(self, ws: Socket) -> None:
        """Serve one connection until it closes."""
        try:
            found = self.match(ws.request) if ws.request is not None else []
        except ParameterError as exc:
            await ws.close(CloseCode.POLICY_VIOLATION, close_reason(exc))
            return
        if not found:
            await ws.close(CloseCode.POLICY_VIOLATION, "no channel at this path")
            return
        await self.serve(ws, found)

    async def serve(self, ws: Socket, found: list[_Context]) -> None:
        """Serve one connection whose request matched ``found`` (see :meth:`match`)."""
        handlers = [(reg, ctx) for ctx in found for reg in ctx.route.registrations]
        filed = [(ctx.route.channel, parameters_key(ctx.parameters)) for ctx in found]
        for channel, key in filed:
            self._registry.add(channel, key, ws)
        receivers = [(reg, ctx) for reg, ctx in handlers if reg.on_message is not None]
        listeners = [(reg, ctx) for reg, ctx in handlers if reg.on_error is not None]
        try:
            for reg, ctx in handlers:
                if reg.on_connection is not None:
                    await call(
                        reg.on_connection,
                        parameters=ctx.parameters,
                        ws=ws,
                        request=ws.request,
                        **ctx.extras(reg, "on_connection"),
                    )
            if len(receivers) == 1 and not listeners:
                await self._serve_one(ws, *receivers[0])
            else:
                async for raw in ws:
                    await self._dispatch(ws, Frame(raw), receivers, listeners)
        except ConnectionClosed:
            pass
        except Exception:
            logger.exception("a callback raised; closing its connection with 1011")
            await ws.close(CloseCode.INTERNAL_ERROR, "internal error")
        finally:
            for channel, key in filed:
                self._registry.discard(channel, key, ws)
            for reg, ctx in handlers:
                if reg.on_disconnect is not None:
                    try:
                        await call(
                            reg.on_disconnect,
                            parameters=ctx.parameters,
                            ws=ws,
                            **ctx.extras(reg, "on_disconnect"),
                        )
                    except Exception:
                        logger.exception("on_disconnect raised")

    async def _serve_one(self, ws: Socket, reg: Registration, ctx: _Context) -> None:
        """The common case, kept lean: one operation receives on this path, no error hook.

        Whatever can be settled once per connection is: how a frame is decoded, and, per reply
        class, how a reply is written (see :func:`reply_writer`).
        """
        on_message = reg.on_message
        assert on_message is not None
        validate, reply_kinds = reg.validate, reg.reply_kinds
        # One text message type (the usual case): parse and read inline, no frame object.
        single = reg.kinds[0] if len(reg.kinds) == 1 and not reg.kinds[0].binary else None
        read = None if single is None else single.reader(validate)
        decode = frame_decoder(reg.kinds, validate)
        writers: dict[type[Any], Callable[[Any, Any], str | bytes]] = {}
        handshake = ctx.extras(reg, "on_message")
        parameters = ctx.parameters
        # ``recv()`` in a loop rather than ``async for``: an async generator step less per frame.
        recv = ws.recv
        while True:
            try:
                raw = await recv()
            except ConnectionClosedOK:  # a normal close ends the loop, as ``async for`` does
                return
            try:
                if read is not None:
                    data = parse_frame(raw)
                    message, kind = read(data), single
                else:
                    message, kind, data = decode(raw)
            except PayloadError as exc:
                await ws.close(CloseCode.INVALID_DATA, close_reason(exc))
                return
            if message is MISSING:
                error = UnexpectedMessageError("the frame is none of this channel's messages")
                await ws.close(CloseCode.INVALID_DATA, close_reason(error))
                return
            if handshake:
                result = on_message(message=message, ws=ws, parameters=parameters, **handshake)
            else:
                result = on_message(message=message, ws=ws, parameters=parameters)
            if result is None:
                continue
            # Replies of one message type: a class already replied with is no awaitable, and its
            # writer is made (see reply_writer). Several types: the request's kind varies.
            write = writers.get(type(result))
            if write is None:
                if hasattr(result, "__await__"):
                    result = await result
                    if result is None:
                        continue
                if reply_kinds is None:
                    continue
                if single is None or hasattr(result, "__await__"):
                    await ws.send(reply_frame(result, data, kind, reply_kinds, validate))
                    continue
                write = writers.get(type(result))
                if write is None:
                    write = writers[type(result)] = reply_writer(
                        type(result), single, reply_kinds, validate
                    )
            await ws.send(write(result, data))

    async def _dispatch(
        self,
        ws: Socket,
        frame: Frame,
        receivers: list[tuple[Registration, _Context]],
        listeners: list[tuple[Registration, _Context]],
    ) -> None:
        error: PayloadError | None = None
        # One registration handles a frame (its reply, if any, is the one reply): the first whose
        # class declares every property of the frame, else the first that tolerates it.
        chosen: tuple[Registration, _Context, Any, Kind | None] | None = None
        for reg, ctx in receivers:
            try:
                message, kind = decode_first(frame, reg.kinds, reg.validate)
            except PayloadError as exc:
                error = error or exc
                if exc is frame.parse_error:
                    break
                continue
            if message is MISSING:
                continue
            if not getattr(message, "additional_properties", None):
                chosen = (reg, ctx, message, kind)
                break
            chosen = chosen or (reg, ctx, message, kind)
        if chosen is not None:
            reg, ctx, message, kind = chosen
            assert reg.on_message is not None
            result = await call(
                reg.on_message,
                message=message,
                ws=ws,
                parameters=ctx.parameters,
                **ctx.extras(reg, "on_message"),
            )
            if result is not None and reg.reply_kinds is not None:
                data = data_of(frame, kind)
                await ws.send(reply_frame(result, data, kind, reg.reply_kinds, reg.validate))
            return
        if error is None:
            error = UnexpectedMessageError(
                "the frame is none of the messages received on this path"
            )
        if not listeners:
            await ws.close(CloseCode.INVALID_DATA, close_reason(error))
            return
        for reg, ctx in listeners:
            assert reg.on_error is not None
            await call(
                reg.on_error,
                error=error,
                ws=ws,
                parameters=ctx.parameters,
                **ctx.extras(reg, "on_error"),
            )
