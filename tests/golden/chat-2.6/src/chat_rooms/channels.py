"""Channel functions of Chat Rooms.

Every function works on a connection or server *you* created (``websockets.asyncio``):

* ``publish_to_<operation>``: send a typed message on an open connection.
* ``subscribe_to_<operation>``: receive typed messages on a client connection, by callback or
  ``async for``; any number of subscriptions can share one connection.
* ``register_<operation>``: handle the operation on the server through a :class:`Router`
  (``serve(router, host, port, process_request=router.process_request)``, or ``router.asgi()``
  for uvicorn, FastAPI or Starlette).
* ``broadcast_to_<operation>``: send a message to every client on a channel, through the router.
"""

from __future__ import annotations

import re
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection

from . import _runtime
from ._runtime import Kind
from ._runtime import client as _client
from ._runtime.asgi import AsgiConnection
from ._runtime.callbacks import (
    ConnectionCallback,
    DisconnectCallback,
    ErrorCallback,
    MessageCallback,
    Registration,
)
from ._runtime.server import Router
from ._runtime.subscriptions import DataCallback, Subscription

# The generator sorts these names itself (isort would order digits naturally).
# isort: off
from .parameters import (
    RoomsRoomIdParameters,
)
from .payloads import (
    ChatMessage,
    Presence,
    Status,
)

# isort: on

__all__ = [
    "AsgiConnection",
    "ROOMS_ROOM_ID_ADDRESS",
    "Router",
    "STATUS_ADDRESS",
    "Subscription",
    "broadcast_to_room_events",
    "broadcast_to_service_status",
    "publish_to_post_message",
    "publish_to_room_events",
    "publish_to_service_status",
    "register_post_message",
    "register_room_events",
    "register_service_status",
    "subscribe_to_room_events",
    "subscribe_to_service_status",
]

# How each message is recognised on a shared connection, framed (text/binary) and correlated.
_KINDS: dict[type[Any], Kind] = {
    ChatMessage: Kind(
        ChatMessage,
    ),
    Presence: Kind(
        Presence,
    ),
    Status: Kind(
        Status,
    ),
}

ROOMS_ROOM_ID_ADDRESS = "rooms/{roomId}"
"""Address of channel ``rooms/{roomId}``: One chat room."""
_ROOMS_ROOM_ID_ADDRESS_PATTERN = re.compile(
    "rooms/(?P<p0>[^/]+)",
)

STATUS_ADDRESS = "status"
"""Address of channel ``status``: Service health, without parameters."""
_STATUS_ADDRESS_PATTERN = re.compile(
    "status",
)


async def publish_to_room_events(
    *,
    message: ChatMessage | Presence,
    ws: Connection | AsgiConnection,
    parameters: RoomsRoomIdParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``roomEvents`` (server to client).

    Messages and presence changes in the room.

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``rooms/{roomId}``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``ChatMessage``:

        >>> await publish_to_room_events(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def subscribe_to_room_events(
    *,
    ws: ClientConnection,
    on_data_callback: DataCallback[ChatMessage | Presence, RoomsRoomIdParameters] | None = None,
    parameters: RoomsRoomIdParameters | None = None,
    skip_message_validation: bool = False,
) -> Subscription[ChatMessage | Presence, RoomsRoomIdParameters]:
    """Receive messages of operation ``roomEvents`` on a client connection.

    Messages and presence changes in the room.

    Args:
        ws: a client connection opened on channel ``rooms/{roomId}``.
        on_data_callback: called as ``cb(err=..., msg=..., parameters=..., ws=...)`` for each
            message (``err`` is ``None``) or bad frame (``msg`` is ``None``); sync or async.
            Leave it out to iterate instead: ``async for msg in subscription``.
        parameters: the channel parameters, passed back to the callback.
        skip_message_validation: deliver messages without checking them against their schema.

    Returns:
        The subscription: call ``unsubscribe()`` to stop receiving.

    Example:
        With ``ws`` a client connection on the channel:

        >>> def on_data(*, err, msg, parameters, ws):
        ...     print(err or msg)
        >>> sub = subscribe_to_room_events(ws=ws, on_data_callback=on_data)
        >>> sub.unsubscribe()
    """
    return _client.subscribe(
        ws,
        [
            _KINDS[ChatMessage],
            _KINDS[Presence],
        ],
        callback=on_data_callback,
        parameters=parameters,
        validate=not skip_message_validation,
    )


async def broadcast_to_room_events(
    *,
    router: Router,
    message: ChatMessage | Presence,
    parameters: RoomsRoomIdParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``roomEvents`` to every client on channel ``rooms/{roomId}``.

    The message is validated and encoded once, then written to every matching open connection
    of every process attached to ``router``'s broker (this process only with the default
    :class:`~.brokers.InProcessBroker`). A slow client never holds the others back; a closed one
    is skipped.

    Args:
        router: the server's router; its connections are those ``register_*`` accepted.
        message: the message to send; validated against its schema first.
        parameters: only connections opened with these channel parameters; ``None``: every
            connection on the channel.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).

    Example:
        With ``router`` the serving :class:`Router` and ``msg`` a ``ChatMessage``:

        >>> await broadcast_to_room_events(router=router, message=msg)
    """
    await router.broadcast(
        "rooms/{roomId}",
        _runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS),
        parameters,
    )


def register_room_events(
    *,
    router: Router,
    on_connection: ConnectionCallback[RoomsRoomIdParameters] | None = None,
    on_error: ErrorCallback[RoomsRoomIdParameters] | None = None,
    on_disconnect: DisconnectCallback[RoomsRoomIdParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``roomEvents`` on the server side of channel ``rooms/{roomId}``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a RoomsRoomIdParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_connection(*, parameters, ws, request):
        ...     print("connected", parameters)
        >>> register_room_events(router=router, on_connection=on_connection)
    """
    router.add(
        "rooms/{roomId}",
        _ROOMS_ROOM_ID_ADDRESS_PATTERN,
        RoomsRoomIdParameters.create_from_channel,
        Registration(
            operation="roomEvents",
            kinds=[
                _KINDS[ChatMessage],
                _KINDS[Presence],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )


async def publish_to_post_message(
    *,
    message: ChatMessage,
    ws: Connection | AsgiConnection,
    parameters: RoomsRoomIdParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``postMessage`` (client to server).

    Post a message to the room.

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``rooms/{roomId}``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``ChatMessage``:

        >>> await publish_to_post_message(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def register_post_message(
    *,
    router: Router,
    on_connection: ConnectionCallback[RoomsRoomIdParameters] | None = None,
    on_message: MessageCallback[ChatMessage, RoomsRoomIdParameters, None] | None = None,
    on_error: ErrorCallback[RoomsRoomIdParameters] | None = None,
    on_disconnect: DisconnectCallback[RoomsRoomIdParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``postMessage`` on the server side of channel ``rooms/{roomId}``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_message(message=..., ws=..., parameters=...)`` for each typed message
      (ChatMessage);
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a RoomsRoomIdParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_message(*, message, ws, parameters):
        ...     print(message)
        >>> register_post_message(router=router, on_message=on_message)
    """
    router.add(
        "rooms/{roomId}",
        _ROOMS_ROOM_ID_ADDRESS_PATTERN,
        RoomsRoomIdParameters.create_from_channel,
        Registration(
            operation="postMessage",
            kinds=[
                _KINDS[ChatMessage],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_message=on_message,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )


async def publish_to_service_status(
    *,
    message: Status,
    ws: Connection | AsgiConnection,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``serviceStatus`` (server to client).

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``status``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``Status``:

        >>> await publish_to_service_status(message=msg, ws=ws)
    """
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def subscribe_to_service_status(
    *,
    ws: ClientConnection,
    on_data_callback: DataCallback[Status, None] | None = None,
    skip_message_validation: bool = False,
) -> Subscription[Status, None]:
    """Receive messages of operation ``serviceStatus`` on a client connection.

    Args:
        ws: a client connection opened on channel ``status``.
        on_data_callback: called as ``cb(err=..., msg=..., parameters=..., ws=...)`` for each
            message (``err`` is ``None``) or bad frame (``msg`` is ``None``); sync or async.
            Leave it out to iterate instead: ``async for msg in subscription``.
        skip_message_validation: deliver messages without checking them against their schema.

    Returns:
        The subscription: call ``unsubscribe()`` to stop receiving.

    Example:
        With ``ws`` a client connection on the channel:

        >>> def on_data(*, err, msg, parameters, ws):
        ...     print(err or msg)
        >>> sub = subscribe_to_service_status(ws=ws, on_data_callback=on_data)
        >>> sub.unsubscribe()
    """
    return _client.subscribe(
        ws,
        [
            _KINDS[Status],
        ],
        callback=on_data_callback,
        parameters=None,
        validate=not skip_message_validation,
    )


async def broadcast_to_service_status(
    *,
    router: Router,
    message: Status,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``serviceStatus`` to every client on channel ``status``.

    The message is validated and encoded once, then written to every matching open connection
    of every process attached to ``router``'s broker (this process only with the default
    :class:`~.brokers.InProcessBroker`). A slow client never holds the others back; a closed one
    is skipped.

    Args:
        router: the server's router; its connections are those ``register_*`` accepted.
        message: the message to send; validated against its schema first.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).

    Example:
        With ``router`` the serving :class:`Router` and ``msg`` a ``Status``:

        >>> await broadcast_to_service_status(router=router, message=msg)
    """
    await router.broadcast(
        "status",
        _runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS),
    )


def register_service_status(
    *,
    router: Router,
    on_connection: ConnectionCallback[None] | None = None,
    on_error: ErrorCallback[None] | None = None,
    on_disconnect: DisconnectCallback[None] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``serviceStatus`` on the server side of channel ``status``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is ``None`` (the channel has no parameters).
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_connection(*, parameters, ws, request):
        ...     print("connected", parameters)
        >>> register_service_status(router=router, on_connection=on_connection)
    """
    router.add(
        "status",
        _STATUS_ADDRESS_PATTERN,
        None,
        Registration(
            operation="serviceStatus",
            kinds=[
                _KINDS[Status],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )
