"""Channel functions of User Service.

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
    UserEventsParameters,
)
from .payloads import (
    UserSignedUp,
)

# isort: on

__all__ = [
    "AsgiConnection",
    "Router",
    "Subscription",
    "USER_EVENTS_ADDRESS",
    "broadcast_to_receive_user_event",
    "publish_to_receive_user_event",
    "publish_to_send_user_event",
    "register_receive_user_event",
    "register_send_user_event",
    "subscribe_to_receive_user_event",
]

# How each message is recognised on a shared connection, framed (text/binary) and correlated.
_KINDS: dict[type[Any], Kind] = {
    UserSignedUp: Kind(
        UserSignedUp,
    ),
}

USER_EVENTS_ADDRESS = "user/events/{userId}"
"""Address of channel ``userEvents``"""
_USER_EVENTS_ADDRESS_PATTERN = re.compile(
    "user/events/(?P<p0>[^/]+)",
)


async def publish_to_send_user_event(
    *,
    message: UserSignedUp,
    ws: Connection | AsgiConnection,
    parameters: UserEventsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``sendUserEvent`` (client to server).

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``user/events/{userId}``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``UserSignedUp``:

        >>> await publish_to_send_user_event(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def register_send_user_event(
    *,
    router: Router,
    on_connection: ConnectionCallback[UserEventsParameters] | None = None,
    on_message: MessageCallback[UserSignedUp, UserEventsParameters, None] | None = None,
    on_error: ErrorCallback[UserEventsParameters] | None = None,
    on_disconnect: DisconnectCallback[UserEventsParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``sendUserEvent`` on the server side of channel ``user/events/{userId}``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_message(message=..., ws=..., parameters=...)`` for each typed message
      (UserSignedUp);
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a UserEventsParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_message(*, message, ws, parameters):
        ...     print(message)
        >>> register_send_user_event(router=router, on_message=on_message)
    """
    router.add(
        "userEvents",
        _USER_EVENTS_ADDRESS_PATTERN,
        UserEventsParameters.create_from_channel,
        Registration(
            operation="sendUserEvent",
            kinds=[
                _KINDS[UserSignedUp],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_message=on_message,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )


async def publish_to_receive_user_event(
    *,
    message: UserSignedUp,
    ws: Connection | AsgiConnection,
    parameters: UserEventsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``receiveUserEvent`` (server to client).

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``user/events/{userId}``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``UserSignedUp``:

        >>> await publish_to_receive_user_event(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def subscribe_to_receive_user_event(
    *,
    ws: ClientConnection,
    on_data_callback: DataCallback[UserSignedUp, UserEventsParameters] | None = None,
    parameters: UserEventsParameters | None = None,
    skip_message_validation: bool = False,
) -> Subscription[UserSignedUp, UserEventsParameters]:
    """Receive messages of operation ``receiveUserEvent`` on a client connection.

    Args:
        ws: a client connection opened on channel ``user/events/{userId}``.
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
        >>> sub = subscribe_to_receive_user_event(ws=ws, on_data_callback=on_data)
        >>> sub.unsubscribe()
    """
    return _client.subscribe(
        ws,
        [
            _KINDS[UserSignedUp],
        ],
        callback=on_data_callback,
        parameters=parameters,
        validate=not skip_message_validation,
    )


async def broadcast_to_receive_user_event(
    *,
    router: Router,
    message: UserSignedUp,
    parameters: UserEventsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``receiveUserEvent`` to every client on channel ``user/events/{userId}``.

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
        With ``router`` the serving :class:`Router` and ``msg`` a ``UserSignedUp``:

        >>> await broadcast_to_receive_user_event(router=router, message=msg)
    """
    await router.broadcast(
        "userEvents",
        _runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS),
        parameters,
    )


def register_receive_user_event(
    *,
    router: Router,
    on_connection: ConnectionCallback[UserEventsParameters] | None = None,
    on_error: ErrorCallback[UserEventsParameters] | None = None,
    on_disconnect: DisconnectCallback[UserEventsParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``receiveUserEvent`` on the server side of channel ``user/events/{userId}``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a UserEventsParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_connection(*, parameters, ws, request):
        ...     print("connected", parameters)
        >>> register_receive_user_event(router=router, on_connection=on_connection)
    """
    router.add(
        "userEvents",
        _USER_EVENTS_ADDRESS_PATTERN,
        UserEventsParameters.create_from_channel,
        Registration(
            operation="receiveUserEvent",
            kinds=[
                _KINDS[UserSignedUp],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )
