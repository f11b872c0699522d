"""Channel functions of Sensor Feed.

Every function works on a connection or server *you* created (``websockets.asyncio``):

* ``publish_to_<operation>``: send a typed message on an open connection.
* ``subscribe_to_<operation>``: receive typed messages on a client connection, by callback or
  ``async for``; any number of subscriptions can share one connection.
* ``register_<operation>``: handle the operation on the server through a :class:`Router`
  (``serve(router, host, port, process_request=router.process_request)``, or ``router.asgi()``
  for uvicorn, FastAPI or Starlette).
* ``broadcast_to_<operation>``: send a message to every client on a channel, through the router.
* ``request_<operation>``: send a message and wait for its typed reply.
"""

from __future__ import annotations

import re
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.connection import Connection

from . import _runtime
from ._runtime import Kind
from ._runtime import client as _client
from ._runtime import requests as _requests
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
    CommandsParameters,
    ReadingsParameters,
)
from .payloads import (
    Calibrate,
    Calibrated,
    Reading,
)

# isort: on

__all__ = [
    "AsgiConnection",
    "COMMANDS_ADDRESS",
    "READINGS_ADDRESS",
    "Router",
    "Subscription",
    "broadcast_to_receive_reading",
    "publish_to_calibrate",
    "publish_to_receive_reading",
    "register_calibrate",
    "register_receive_reading",
    "request_calibrate",
    "subscribe_to_receive_reading",
]

# How each message is recognised on a shared connection, framed (text/binary) and correlated.
_KINDS: dict[type[Any], Kind] = {
    Reading: Kind(
        Reading,
    ),
    Calibrate: Kind(
        Calibrate,
    ),
    Calibrated: Kind(
        Calibrated,
    ),
}

READINGS_ADDRESS = "sensors/{sensorId}/readings"
"""Address of channel ``readings``"""
_READINGS_ADDRESS_PATTERN = re.compile(
    "sensors/(?P<p0>[^/]+)/readings",
)

COMMANDS_ADDRESS = "sensors/{sensorId}/commands"
"""Address of channel ``commands``"""
_COMMANDS_ADDRESS_PATTERN = re.compile(
    "sensors/(?P<p0>[^/]+)/commands",
)


async def publish_to_receive_reading(
    *,
    message: Reading,
    ws: Connection | AsgiConnection,
    parameters: ReadingsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``receiveReading`` (server to client).

    Readings as the sensor reports them.

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``sensors/{sensorId}/readings``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``Reading``:

        >>> await publish_to_receive_reading(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


def subscribe_to_receive_reading(
    *,
    ws: ClientConnection,
    on_data_callback: DataCallback[Reading, ReadingsParameters] | None = None,
    parameters: ReadingsParameters | None = None,
    skip_message_validation: bool = False,
) -> Subscription[Reading, ReadingsParameters]:
    """Receive messages of operation ``receiveReading`` on a client connection.

    Readings as the sensor reports them.

    Args:
        ws: a client connection opened on channel ``sensors/{sensorId}/readings``.
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
        >>> sub = subscribe_to_receive_reading(ws=ws, on_data_callback=on_data)
        >>> sub.unsubscribe()
    """
    return _client.subscribe(
        ws,
        [
            _KINDS[Reading],
        ],
        callback=on_data_callback,
        parameters=parameters,
        validate=not skip_message_validation,
    )


async def broadcast_to_receive_reading(
    *,
    router: Router,
    message: Reading,
    parameters: ReadingsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``receiveReading`` to every client on channel ``sensors/{sensorId}/readings``.

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
        With ``router`` the serving :class:`Router` and ``msg`` a ``Reading``:

        >>> await broadcast_to_receive_reading(router=router, message=msg)
    """
    await router.broadcast(
        "readings",
        _runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS),
        parameters,
    )


def register_receive_reading(
    *,
    router: Router,
    on_connection: ConnectionCallback[ReadingsParameters] | None = None,
    on_error: ErrorCallback[ReadingsParameters] | None = None,
    on_disconnect: DisconnectCallback[ReadingsParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``receiveReading`` on the server side of channel ``sensors/{sensorId}/readings``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a ReadingsParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_connection(*, parameters, ws, request):
        ...     print("connected", parameters)
        >>> register_receive_reading(router=router, on_connection=on_connection)
    """
    router.add(
        "readings",
        _READINGS_ADDRESS_PATTERN,
        ReadingsParameters.create_from_channel,
        Registration(
            operation="receiveReading",
            kinds=[
                _KINDS[Reading],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_error=on_error,
            on_disconnect=on_disconnect,
        ),
    )


async def publish_to_calibrate(
    *,
    message: Calibrate,
    ws: Connection | AsgiConnection,
    parameters: CommandsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``calibrate`` (client to server).

    Args:
        message: the message to send; validated against its schema first.
        ws: an open connection on channel ``sensors/{sensorId}/commands``: a client's, or a
            server's (``websockets`` or ``router.asgi()``).
        parameters: the channel parameters; when given on a client connection, they must match
            the URL it was opened with.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a connection on the channel and ``msg`` a ``Calibrate``:

        >>> await publish_to_calibrate(message=msg, ws=ws)
    """
    if parameters is not None:
        _runtime.check_client_path(ws, parameters)
    await ws.send(_runtime.encode(message, validate=not skip_message_validation, kinds=_KINDS))


# Settled on first use: how the request is written and how its reply is recognised.
_requester_calibrate = _requests.Requester(
    _KINDS,
    [
        _KINDS[Calibrated],
    ],
)


async def request_calibrate(
    *,
    message: Calibrate,
    ws: ClientConnection,
    timeout: float | None = 10.0,
    skip_message_validation: bool = False,
) -> Calibrated:
    """Send a message of operation ``calibrate`` and wait for its reply.

    When the request and reply messages carry a correlation id in their payload, the reply is the
    frame with the request's id (so concurrent requests on one connection each get their own);
    otherwise it is the first frame that decodes as a reply message.

    Args:
        message: the request.
        ws: a client connection opened on channel ``sensors/{sensorId}/commands``.
        timeout: seconds to wait for the reply; ``None`` waits forever.
        skip_message_validation: neither validate the request nor the reply.

    Returns:
        The typed reply.

    Raises:
        ReplyTimeoutError: no reply within ``timeout`` (a ``TimeoutError``).
        PayloadValidationError: the request does not match its schema (nothing is sent).
        websockets.exceptions.ConnectionClosed: the connection closed first.

    Example:
        With ``ws`` a client connection on the channel and ``msg`` a ``Calibrate``:

        >>> reply = await request_calibrate(message=msg, ws=ws, timeout=5)
    """
    reply: Calibrated = await _requester_calibrate.request(
        ws,
        message,
        timeout=timeout,
        validate=not skip_message_validation,
    )
    return reply


def register_calibrate(
    *,
    router: Router,
    on_connection: ConnectionCallback[CommandsParameters] | None = None,
    on_message: MessageCallback[Calibrate, CommandsParameters, Calibrated | None] | None = None,
    on_error: ErrorCallback[CommandsParameters] | None = None,
    on_disconnect: DisconnectCallback[CommandsParameters] | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Handle operation ``calibrate`` on the server side of channel ``sensors/{sensorId}/commands``.

    Callbacks may be sync or async and are called with keyword arguments:

    * ``on_connection(parameters=..., ws=..., request=...)`` when a client connects;
    * ``on_message(message=..., ws=..., parameters=...)`` for each typed message
      (Calibrate); its return value, if not
      ``None``, is sent back as the reply;
    * ``on_error(error=..., ws=..., parameters=...)`` for a frame that is not a valid message
      (without it, such a frame closes the connection with code 1007);
    * ``on_disconnect(parameters=..., ws=...)`` when the connection ends.

    A callback that also declares ``query=None`` or ``headers=None`` receives the handshake's
    query parameters and headers.
    ``parameters`` is a CommandsParameters.
    A callback that raises closes its own connection with code 1011, nothing else.

    Example:
        >>> router = Router()
        >>> def on_message(*, message, ws, parameters):
        ...     print(message)
        >>> register_calibrate(router=router, on_message=on_message)
    """
    router.add(
        "commands",
        _COMMANDS_ADDRESS_PATTERN,
        CommandsParameters.create_from_channel,
        Registration(
            operation="calibrate",
            kinds=[
                _KINDS[Calibrate],
            ],
            validate=not skip_message_validation,
            on_connection=on_connection,
            on_message=on_message,
            on_error=on_error,
            on_disconnect=on_disconnect,
            reply_kinds=_KINDS,
        ),
    )
