"""Server callbacks: their signatures, one operation's registration, and how they are called."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from websockets.http11 import Request

from .errors import PayloadError
from .frames import Kind, tightest_first

M_contra = TypeVar("M_contra", contravariant=True)
P_contra = TypeVar("P_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)

ServerWebSocket = Any
"""The ``ws`` a server callback receives.

A ``websockets`` ``ServerConnection`` under ``serve(router, ...)``, an
:class:`~.asgi.AsgiConnection` under ``router.asgi()``: both offer ``send``, ``recv``, ``close``,
``async for`` and ``request``. Typed ``Any`` so that a callback annotating ``ws`` with either class
(or neither) matches these protocols.
"""

# Handshake values a callback receives only when it declares them.
_EXTRAS = ("query", "headers")


class ConnectionCallback(Protocol[P_contra]):
    """``on_connection(parameters=..., ws=..., request=...)``; sync or async.

    Declare ``query=None`` and/or ``headers=None`` keyword parameters to also receive the
    handshake's query parameters and headers (typed when the channel's ``bindings.ws`` describe
    them, else a ``dict[str, str]`` of the query and the raw request headers).
    """

    def __call__(
        self, *, parameters: P_contra, ws: ServerWebSocket, request: Request
    ) -> Awaitable[None] | None:
        """Handle a new connection."""


class MessageCallback(Protocol[M_contra, P_contra, R_co]):
    """``on_message(message=..., ws=..., parameters=...)``; sync or async.

    For an operation with a reply, the return value (unless ``None``) is sent back as the reply.
    """

    def __call__(
        self, *, message: M_contra, ws: ServerWebSocket, parameters: P_contra
    ) -> Awaitable[R_co] | R_co:
        """Handle one typed message."""


class ErrorCallback(Protocol[P_contra]):
    """``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message."""

    def __call__(
        self, *, error: PayloadError, ws: ServerWebSocket, parameters: P_contra
    ) -> Awaitable[None] | None:
        """Handle a bad frame."""


class DisconnectCallback(Protocol[P_contra]):
    """``on_disconnect(parameters=..., ws=...)`` when the connection has ended."""

    def __call__(self, *, parameters: P_contra, ws: ServerWebSocket) -> Awaitable[None] | None:
        """Handle the end of a connection."""


@dataclass(eq=False)
class Registration:
    """Callbacks registered for one operation on one channel."""

    operation: str
    kinds: Sequence[Kind]
    validate: bool
    on_connection: Callable[..., Any] | None = None
    on_message: Callable[..., Any] | None = None
    on_error: Callable[..., Any] | None = None
    on_disconnect: Callable[..., Any] | None = None
    # Message class -> Kind of the operation's replies; ``None`` when it has no reply.
    reply_kinds: Mapping[type[Any], Kind] | None = None
    extras: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kinds = tightest_first(self.kinds)
        for name in ("on_connection", "on_message", "on_error", "on_disconnect"):
            self.extras[name] = accepted_extras(getattr(self, name), _EXTRAS)


def accepted_extras(callback: Callable[..., Any] | None, names: Sequence[str]) -> frozenset[str]:
    """Which optional keyword arguments (``query``, ``headers``) a callback declares."""
    if callback is None:
        return frozenset()
    try:
        parameters = inspect.signature(callback).parameters
    except (TypeError, ValueError):
        return frozenset()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return frozenset(names)
    return frozenset(name for name in names if name in parameters)


async def call(callback: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a sync or async callback with keyword arguments."""
    result = callback(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def extra_kwargs(
    registration: Registration, callback: str, query: Any, headers: Any
) -> dict[str, Any]:
    """The handshake values ``callback`` of ``registration`` declared, as keyword arguments."""
    wanted = registration.extras.get(callback)
    if not wanted:
        return {}
    values = {"query": query, "headers": headers}
    return {name: values[name] for name in wanted}
