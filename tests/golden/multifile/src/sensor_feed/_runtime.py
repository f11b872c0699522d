"""Machinery shared by the generated channel functions.

Design notes:

* ``websockets`` allows one ``recv`` at a time per connection, so every subscription on a client
  connection shares one reader task (:class:`_Reader`). Each frame is parsed once and offered to the
  subscriptions in the order they were made; the first one whose message types accept it gets it.
  A frame nobody accepts is reported, as an error, to every subscription.
* The server side is one :class:`Router` (a ``websockets`` handler). It matches the request path
  against every registered channel, builds the typed parameters, and dispatches each frame to the
  first registration whose message types accept it. Bad frames go to ``on_error`` (or close the
  connection with 1007 when nobody listens); a raising handler closes its own connection with 1011.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import re
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Generic, Protocol, Self, TypeVar
from urllib.parse import quote, unquote

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK
from websockets.frames import CloseCode
from websockets.http11 import Request, Response

from .errors import (
    ParameterError,
    PayloadDecodeError,
    PayloadError,
    UnexpectedMessageError,
)

logger = logging.getLogger(__package__)

M = TypeVar("M")
P = TypeVar("P")
M_contra = TypeVar("M_contra", contravariant=True)
P_contra = TypeVar("P_contra", contravariant=True)


class Payload(Protocol):
    """What every generated payload class provides."""

    def to_json_data(self) -> Any:
        """Convert to JSON data (dicts, lists, str, numbers, bool, None)."""

    @classmethod
    def validate_data(cls, data: Any) -> None:
        """Raise ``PayloadValidationError`` unless ``data`` matches the schema."""

    @classmethod
    def from_json_data(cls, data: Any, *, validate: bool = True) -> Self:
        """Build an instance from JSON data."""


class ParametersType(Protocol):
    """What every generated channel-parameters class provides."""

    @classmethod
    def create_from_channel(cls, channel: str) -> Self:
        """Parse a concrete channel path."""

    def get_channel_with_parameters(self) -> str:
        """Build the concrete channel path."""


# -- paths ------------------------------------------------------------------------------------


def split_path(path: str) -> tuple[str, str]:
    """Split ``/a/b?x=1`` into ``("a/b", "x=1")``: no leading slash, query apart."""
    route, _, query = path.partition("?")
    return route.lstrip("/"), query


def match_path(pattern: re.Pattern[str], names: Sequence[str], path: str) -> dict[str, str]:
    """Match a concrete path against a channel pattern; values are percent-decoded.

    Raises:
        ParameterError: the path does not match.
    """
    route, _ = split_path(path)
    found = pattern.fullmatch(route)
    if found is None:
        raise ParameterError(f"{path!r} does not match the channel address {pattern.pattern!r}")
    return {name: unquote(found.group(f"p{index}")) for index, name in enumerate(names)}


def build_path(template: str, values: Sequence[str]) -> str:
    """Fill a ``{0}``-style template with percent-encoded values."""
    return template.format(*(quote(str(value), safe="") for value in values))


def check_parameter(
    name: str, value: str, *, enum: Sequence[str] = (), pattern: str | None = None
) -> None:
    """Check one parameter value against its enum and pattern.

    Raises:
        ParameterError: the value is empty, not in the enum or does not match the pattern.
    """
    if value == "":
        raise ParameterError(f"parameter {name!r} is empty")
    if enum and value not in enum:
        raise ParameterError(f"parameter {name!r} must be one of {list(enum)!r}, not {value!r}")
    if pattern is not None and re.search(pattern, value) is None:
        raise ParameterError(
            f"parameter {name!r} does not match the pattern {pattern!r}: {value!r}"
        )


# -- encoding -----------------------------------------------------------------------------------


def encode(message: Payload, *, validate: bool) -> str:
    """Serialise a payload to JSON text, validating it first when asked."""
    data = message.to_json_data()
    if validate:
        type(message).validate_data(data)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def parse_frame(frame: str | bytes) -> Any:
    """Parse a text or binary frame as JSON.

    Raises:
        PayloadDecodeError: the frame is not valid JSON.
    """
    try:
        return json.loads(frame)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadDecodeError(f"frame is not valid JSON: {exc}") from None


def decode_as(data: Any, classes: Sequence[type[Payload]], *, validate: bool) -> Any:
    """Build the first of ``classes`` that accepts ``data``.

    Raises:
        PayloadError: none of them accepts it (the first class's error when there is one class).
    """
    first_error: PayloadError | None = None
    for cls in classes:
        try:
            return cls.from_json_data(data, validate=validate)
        except PayloadError as exc:
            first_error = first_error or exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            first_error = first_error or PayloadError(f"cannot build {cls.__name__}: {exc!r}")
    if len(classes) == 1 and first_error is not None:
        raise first_error
    names = ", ".join(cls.__name__ for cls in classes)
    raise UnexpectedMessageError(f"frame matches none of: {names}")


async def call(callback: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a sync or async callback with keyword arguments."""
    result = callback(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def send(ws: Connection, message: Payload, *, validate: bool) -> None:
    """Send one message on a connection (raises ``ConnectionClosed`` when it is closed)."""
    await ws.send(encode(message, validate=validate))


def check_client_path(ws: Connection, parameters: ParametersType | None) -> None:
    """Refuse to publish with parameters that contradict the connection's URL.

    Raises:
        ParameterError: the connection was opened on another channel path.
    """
    if parameters is None or not isinstance(ws, ClientConnection) or ws.request is None:
        return
    expected = parameters.get_channel_with_parameters().lstrip("/")
    route, _ = split_path(ws.request.path)
    if not route.endswith(expected):
        raise ParameterError(f"connection path {ws.request.path!r} is not channel {expected!r}")


# -- client side: subscriptions ------------------------------------------------------------------


class DataCallback(Protocol[M_contra, P_contra]):
    """``on_data_callback`` of ``subscribe_to_*``: exactly one of ``err`` and ``msg`` is set."""

    def __call__(
        self,
        *,
        err: Exception | None,
        msg: M_contra | None,
        parameters: P_contra | None,
        ws: ClientConnection,
    ) -> Awaitable[None] | None:
        """Handle one message or error."""


_END = object()


@dataclass(eq=False)
class Subscription(Generic[M, P]):
    """A live subscription on a client connection; also an async iterator of messages.

    Call :meth:`unsubscribe` to stop receiving. Iterating (``async for msg in sub``) yields typed
    messages; a frame that cannot be decoded raises :class:`~.errors.PayloadError` from the loop
    (iterate again to carry on). Iteration ends when the connection closes normally.
    """

    ws: ClientConnection
    classes: Sequence[type[Payload]]
    validate: bool
    parameters: P | None
    callback: DataCallback[M, P] | None
    _queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    active: bool = True

    def unsubscribe(self) -> None:
        """Stop delivering messages to this subscription (idempotent)."""
        if self.active:
            self.active = False
            _Reader.detach(self)
            self._queue.put_nowait(_END)

    async def deliver(self, msg: M | None, err: Exception | None) -> None:
        """Hand a message (or an error) to the callback or the iterator."""
        if self.callback is not None:
            try:
                await call(self.callback, err=err, msg=msg, parameters=self.parameters, ws=self.ws)
            except Exception:
                logger.exception("on_data_callback raised; the subscription continues")
        else:
            self._queue.put_nowait(err if err is not None else msg)

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
    """The one reader task of a client connection, shared by its subscriptions."""

    _readers: weakref.WeakKeyDictionary[Connection, _Reader] = weakref.WeakKeyDictionary()

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.subscriptions: list[Subscription[Any, Any]] = []
        self.waiters: list[tuple[Sequence[type[Payload]], bool, asyncio.Future[Any]]] = []
        self.task = asyncio.get_running_loop().create_task(self.run())

    @classmethod
    def for_connection(cls, ws: ClientConnection) -> _Reader:
        reader = cls._readers.get(ws)
        if reader is None or reader.task.done():
            reader = cls._readers[ws] = cls(ws)
        return reader

    @classmethod
    def detach(cls, subscription: Subscription[Any, Any]) -> None:
        reader = cls._readers.get(subscription.ws)
        if reader is not None and subscription in reader.subscriptions:
            reader.subscriptions.remove(subscription)
            reader.stop_if_idle()

    def stop_if_idle(self) -> None:
        if not self.subscriptions and not self.waiters:
            self.task.cancel()
            self._readers.pop(self.ws, None)

    async def run(self) -> None:
        try:
            async for frame in self.ws:
                await self.dispatch(frame)
        except ConnectionClosed as exc:
            await self.finish(exc)
        else:
            await self.finish(None)

    async def finish(self, error: ConnectionClosed | None) -> None:
        for fut in [w[2] for w in self.waiters]:
            if not fut.done():
                fut.set_exception(error or ConnectionClosedOK(None, None))
        for subscription in list(self.subscriptions):
            if error is not None and not isinstance(error, ConnectionClosedOK):
                await subscription.deliver(None, error)
            subscription.unsubscribe()

    async def dispatch(self, frame: str | bytes) -> None:
        try:
            data = parse_frame(frame)
        except PayloadError as exc:
            for subscription in list(self.subscriptions):
                await subscription.deliver(None, exc)
            return
        for index, (classes, validate, fut) in enumerate(self.waiters):
            try:
                reply = decode_as(data, classes, validate=validate)
            except PayloadError:
                continue
            del self.waiters[index]
            if not fut.done():
                fut.set_result(reply)
            return
        errors: list[tuple[Subscription[Any, Any], PayloadError]] = []
        for subscription in list(self.subscriptions):
            try:
                msg = decode_as(data, subscription.classes, validate=subscription.validate)
            except PayloadError as exc:
                errors.append((subscription, exc))
                continue
            await subscription.deliver(msg, None)
            return
        for subscription, error in errors:
            await subscription.deliver(None, error)


def subscribe(
    ws: ClientConnection,
    classes: Sequence[type[Payload]],
    *,
    callback: DataCallback[M, P] | None,
    parameters: P | None,
    validate: bool,
) -> Subscription[M, P]:
    """Attach a subscription to the connection's shared reader."""
    subscription: Subscription[M, P] = Subscription(ws, classes, validate, parameters, callback)
    _Reader.for_connection(ws).subscriptions.append(subscription)
    return subscription


async def request(
    ws: ClientConnection,
    message: Payload,
    reply_classes: Sequence[type[Payload]],
    *,
    timeout: float | None,
    validate: bool,
) -> Any:
    """Send a message and wait for the first frame that decodes as one of ``reply_classes``."""
    reader = _Reader.for_connection(ws)
    fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    waiter = (reply_classes, validate, fut)
    reader.waiters.append(waiter)
    try:
        await send(ws, message, validate=validate)
        return await asyncio.wait_for(fut, timeout)
    finally:
        if waiter in reader.waiters:
            reader.waiters.remove(waiter)
        reader.stop_if_idle()


# -- server side: the router -------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """Callbacks registered for one operation on one channel."""

    operation: str
    classes: Sequence[type[Payload]]
    validate: bool
    on_connection: Callable[..., Any] | None = None
    on_message: Callable[..., Any] | None = None
    on_error: Callable[..., Any] | None = None
    on_disconnect: Callable[..., Any] | None = None
    replies: bool = False


@dataclass
class _Route:
    pattern: re.Pattern[str]
    parameters_class: Callable[[str], Any] | None
    registrations: list[Registration] = field(default_factory=list)


class Router:
    """A ``websockets`` connection handler that dispatches to the registered channel callbacks.

    Example:
        >>> router = Router()  # doctest: +SKIP
        >>> register_send_user_event(router=router, on_message=on_message)  # doctest: +SKIP
        >>> async with serve(router, "localhost", 8080, process_request=router.process_request):
        ...     await asyncio.get_running_loop().create_future()  # doctest: +SKIP

    Passing ``process_request=router.process_request`` refuses unknown paths (HTTP 404) and invalid
    parameters (HTTP 400) during the handshake; without it such connections are accepted and then
    closed with code 1008.
    """

    def __init__(self) -> None:
        self._routes: dict[str, _Route] = {}

    def add(
        self,
        channel: str,
        pattern: re.Pattern[str],
        parameters_class: Callable[[str], Any] | None,
        registration: Registration,
    ) -> None:
        """Register callbacks for a channel (used by the generated ``register_*`` functions)."""
        route = self._routes.setdefault(channel, _Route(pattern, parameters_class))
        route.registrations.append(registration)

    def match(self, path: str) -> list[tuple[_Route, Any]]:
        """Every route matching ``path`` with its parsed parameters.

        Raises:
            ParameterError: a route matches the path shape but a parameter is invalid.
        """
        route_path, _ = split_path(path)
        matches: list[tuple[_Route, Any]] = []
        for route in self._routes.values():
            if route.pattern.fullmatch(route_path) is None:
                continue
            parameters = (
                route.parameters_class(path) if route.parameters_class is not None else None
            )
            matches.append((route, parameters))
        return matches

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse unknown paths (404) and invalid parameters (400) before the handshake."""
        try:
            found = self.match(request.path)
        except ParameterError as exc:
            return connection.respond(HTTPStatus.BAD_REQUEST, f"{exc}\n")
        if not found:
            return connection.respond(HTTPStatus.NOT_FOUND, "No channel at this path.\n")
        return None

    async def __call__(self, ws: ServerConnection) -> None:
        """Serve one connection until it closes."""
        path = ws.request.path if ws.request is not None else "/"
        try:
            found = self.match(path)
        except ParameterError as exc:
            await ws.close(CloseCode.POLICY_VIOLATION, str(exc)[:120])
            return
        if not found:
            await ws.close(CloseCode.POLICY_VIOLATION, "no channel at this path")
            return
        handlers = [(reg, parameters) for route, parameters in found for reg in route.registrations]
        try:
            for reg, parameters in handlers:
                if reg.on_connection is not None:
                    await call(reg.on_connection, parameters=parameters, ws=ws, request=ws.request)
            async for frame in ws:
                await self._dispatch(ws, frame, handlers)
        except ConnectionClosed:
            pass
        except Exception:
            logger.exception("handler raised; closing the connection with 1011")
            await ws.close(CloseCode.INTERNAL_ERROR, "internal error")
        finally:
            for reg, parameters in handlers:
                if reg.on_disconnect is not None:
                    try:
                        await call(reg.on_disconnect, parameters=parameters, ws=ws)
                    except Exception:
                        logger.exception("on_disconnect raised")

    async def _dispatch(
        self, ws: ServerConnection, frame: str | bytes, handlers: list[tuple[Registration, Any]]
    ) -> None:
        receivers = [
            (reg.on_message, reg, parameters)
            for reg, parameters in handlers
            if reg.on_message is not None
        ]
        error: PayloadError | None = None
        try:
            data = parse_frame(frame)
        except PayloadError as exc:
            error = exc
        else:
            for on_message, reg, parameters in receivers:
                try:
                    message = decode_as(data, reg.classes, validate=reg.validate)
                except PayloadError as exc:
                    error = error or exc
                    continue
                result = await call(on_message, message=message, ws=ws, parameters=parameters)
                if reg.replies and result is not None:
                    await send(ws, result, validate=reg.validate)
                return
            if error is None:
                error = UnexpectedMessageError(
                    "no registered operation receives messages on this channel"
                )
        listeners = [
            (reg.on_error, parameters) for reg, parameters in handlers if reg.on_error is not None
        ]
        if not listeners:
            await ws.close(CloseCode.INVALID_DATA, str(error)[:120])
            return
        for on_error, parameters in listeners:
            await call(on_error, error=error, ws=ws, parameters=parameters)
