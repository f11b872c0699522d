"""Blocking client of Sensor Feed, for scripts and notebooks.

``connect_<channel>`` opens a connection typed for its channel, as :mod:`.connections` does,
over ``websockets.sync.client``:

* ``conn.send(message)`` takes exactly the messages the client may send there;
* ``for message in conn`` yields the typed messages the client receives there;
* ``conn.request_<operation>(message)`` sends a request and returns its typed reply;
* ``with connect_<channel>(...) as conn`` closes it at the end; ``for conn in
  connect_<channel>(...)`` reconnects whenever it ends.

The functions below do the same on a connection *you* opened with
``websockets.sync.client.connect``, with the same validation and the same errors:

* ``publish_to_<operation>``: send a typed message;
* ``request_<operation>``: send a message and wait for its typed reply;
* ``subscribe_to_<operation>``: iterate over the typed messages that arrive.

A blocking connection has no background reader: a request reads until its reply is in (other
frames are dropped meanwhile, or kept for ``for message in conn`` on a connection of
``connect_<channel>``), and an iterator reads when asked for its next message.

Example:
    With ``url`` the URL of a channel (see :func:`.servers.channel_url`):

    >>> from websockets.sync.client import connect
    >>> with connect(url) as ws:
    ...     pass  # pass ws to the functions below
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from websockets.sync.client import ClientConnection

from . import channels as _channels
from . import parameters as _parameters
from . import payloads
from . import servers as _servers
from ._runtime import sync as _sync
from ._runtime import sync_connection as _sync_connection

__all__ = [
    "CommandsConnection",
    "ReadingsConnection",
    "connect_commands",
    "connect_readings",
    "publish_to_calibrate",
    "request_calibrate",
    "subscribe_to_receive_reading",
]


def subscribe_to_receive_reading(
    *,
    ws: ClientConnection,
    timeout: float | None = None,
    skip_message_validation: bool = False,
) -> _sync.Messages[payloads.Reading]:
    """Iterate over the messages of operation ``receiveReading`` on a blocking connection.

    Readings as the sensor reports them.

    Args:
        ws: a blocking client connection opened on channel ``sensors/{sensorId}/readings``.
        timeout: seconds to wait for each message (``TimeoutError`` after); ``None``: forever.
        skip_message_validation: deliver messages without checking them against their schema.

    Returns:
        An iterator of typed messages; it ends when the connection closes normally. A frame
        that is not a valid message raises ``PayloadError`` from ``next()`` (iterate on to carry
        on); frames of other message types are skipped.

    Example:
        With ``ws`` a blocking client connection on the channel:

        >>> for msg in subscribe_to_receive_reading(ws=ws, timeout=5):
        ...     print(msg)
        ...     break
    """
    return _sync.Messages(
        ws,
        [
            _channels._KINDS[payloads.Reading],
        ],
        validate=not skip_message_validation,
        timeout=timeout,
    )


def publish_to_calibrate(
    *,
    message: payloads.Calibrate,
    ws: ClientConnection,
    parameters: _parameters.CommandsParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``calibrate`` and return once it is sent.

    Args:
        message: the message to send; validated against its schema first.
        ws: a blocking client connection opened on channel ``sensors/{sensorId}/commands``.
        parameters: the channel parameters; when given, they must match the connection's URL.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a blocking client connection on the channel and ``msg`` a ``Calibrate``:

        >>> publish_to_calibrate(message=msg, ws=ws)
    """
    _sync.publish(
        ws,
        message,
        _channels._KINDS,
        parameters=parameters,
        validate=not skip_message_validation,
    )


def request_calibrate(
    *,
    message: payloads.Calibrate,
    ws: ClientConnection,
    timeout: float | None = 10.0,
    skip_message_validation: bool = False,
) -> payloads.Calibrated:
    """Send a message of operation ``calibrate`` and wait for its reply.

    The reply is the first frame that decodes as a reply message and, when the messages carry a
    correlation id, has the request's id; frames read before it are dropped.

    Args:
        message: the request.
        ws: a blocking client connection opened on channel ``sensors/{sensorId}/commands``.
        timeout: seconds to wait for the reply; ``None`` waits forever.
        skip_message_validation: neither validate the request nor the reply.

    Returns:
        The typed reply.

    Raises:
        ReplyTimeoutError: no reply within ``timeout`` (a ``TimeoutError``).
        PayloadValidationError: the request does not match its schema (nothing is sent).
        websockets.exceptions.ConnectionClosed: the connection closed first.

    Example:
        With ``ws`` a blocking client connection on the channel and ``msg`` a ``Calibrate``:

        >>> reply = request_calibrate(message=msg, ws=ws, timeout=5)
    """
    reply: payloads.Calibrated = _sync.request(
        ws,
        message,
        _channels._KINDS,
        [
            _channels._KINDS[payloads.Calibrated],
        ],
        timeout=timeout,
        validate=not skip_message_validation,
    )
    return reply


class ReadingsConnection(
    _sync_connection.ChannelConnection,
):
    """A blocking client connection on channel ``readings`` (``sensors/{sensorId}/readings``), opened by :func:`connect_readings`.

    Attributes:
        ws: the ``websockets.sync`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.Reading,
    ]

    def __iter__(self) -> Iterator[payloads.Reading]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_readings`:

            >>> for msg in conn:
            ...     print(msg)
            ...     break
        """
        return self._messages()


def connect_readings(
    *,
    parameters: _parameters.ReadingsParameters,
    server: str | None = None,
    variables: Mapping[str, str] | None = None,
    url: str | None = None,
    skip_message_validation: bool = False,
    **options: Any,
) -> _sync_connection.Connect[ReadingsConnection]:
    """Connect to channel ``readings``: ``with``, ``.open()`` or ``for`` the result.

    Args:
        parameters: the channel's parameters (its path).
        server: the name of a server of the document; by default the channel's first server,
            else the document's first.
        variables: values of the server URL's ``{variables}`` (defaults apply).
        url: a server URL to use instead (``ws://localhost:8080``); the channel's path and the
            query are added to it.
        skip_message_validation: neither validate what is sent nor what is received.
        options: passed to ``websockets.sync.client.connect`` (``open_timeout``, ``ssl``,
            ``additional_headers``...).

    Raises:
        ParameterError: no server to connect to, or invalid server variables.

    Example:
        With ``parameters`` a ``ReadingsParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> with connect_readings(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _sync_connection.connect_url(
        url=url,
        server=server,
        variables=variables,
        channel_id="readings",
        channel_servers=[],
        known_servers=list(_servers.SERVERS),
        server_url=_servers.server_url,
        channel_url=_servers.channel_url,
        parameters=parameters,
    )
    return _sync_connection.Connect(
        address,
        ReadingsConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_sync_connection.connect_options(None, options),
    )


class CommandsConnection(
    _sync_connection.ChannelConnection,
):
    """A blocking client connection on channel ``commands`` (``sensors/{sensorId}/commands``), opened by :func:`connect_commands`.

    Attributes:
        ws: the ``websockets.sync`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    def send(
        self,
        message: payloads.Calibrate,
        *,
        skip_message_validation: bool = False,
    ) -> None:
        """Send one of the messages the client sends on this channel, validated first.

        ``message`` is one of:

        * :class:`~sensor_feed.payloads.Calibrate`

        Raises:
            PayloadValidationError: the message does not match its schema (nothing is sent).
            websockets.exceptions.ConnectionClosed: the connection is closed.

        Example:
            With ``conn`` from :func:`connect_commands` and ``msg`` a ``Calibrate``:

            >>> conn.send(msg)
        """
        self._send(message, skip_message_validation)

    def request_calibrate(
        self,
        message: payloads.Calibrate,
        *,
        timeout: float | None = 10.0,
        skip_message_validation: bool = False,
    ) -> payloads.Calibrated:
        """Send a message of operation ``calibrate`` and wait for its reply.

        Raises:
            ReplyTimeoutError: no reply within ``timeout`` seconds (a ``TimeoutError``).
            PayloadValidationError: the request does not match its schema (nothing is sent).
            websockets.exceptions.ConnectionClosed: the connection closed first.

        Example:
            With ``conn`` from :func:`connect_commands` and ``msg`` a ``Calibrate``:

            >>> reply = conn.request_calibrate(msg, timeout=5)
        """
        reply: payloads.Calibrated = self._request(
            message,
            [
                payloads.Calibrated,
            ],
            timeout,
            skip_message_validation,
        )
        return reply


def connect_commands(
    *,
    parameters: _parameters.CommandsParameters,
    server: str | None = None,
    variables: Mapping[str, str] | None = None,
    url: str | None = None,
    skip_message_validation: bool = False,
    **options: Any,
) -> _sync_connection.Connect[CommandsConnection]:
    """Connect to channel ``commands``: ``with``, ``.open()`` or ``for`` the result.

    Args:
        parameters: the channel's parameters (its path).
        server: the name of a server of the document; by default the channel's first server,
            else the document's first.
        variables: values of the server URL's ``{variables}`` (defaults apply).
        url: a server URL to use instead (``ws://localhost:8080``); the channel's path and the
            query are added to it.
        skip_message_validation: neither validate what is sent nor what is received.
        options: passed to ``websockets.sync.client.connect`` (``open_timeout``, ``ssl``,
            ``additional_headers``...).

    Raises:
        ParameterError: no server to connect to, or invalid server variables.

    Example:
        With ``parameters`` a ``CommandsParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> with connect_commands(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _sync_connection.connect_url(
        url=url,
        server=server,
        variables=variables,
        channel_id="commands",
        channel_servers=[],
        known_servers=list(_servers.SERVERS),
        server_url=_servers.server_url,
        channel_url=_servers.channel_url,
        parameters=parameters,
    )
    return _sync_connection.Connect(
        address,
        CommandsConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_sync_connection.connect_options(None, options),
    )
