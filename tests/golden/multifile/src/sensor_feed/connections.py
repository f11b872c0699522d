"""Connections of Sensor Feed that this package opens for you: one ``connect_<channel>`` each.

``connect_<channel>`` builds the URL (a server of the document or ``url=``, the channel's path
with its parameters, the handshake query) and adds the handshake headers; the connection it
opens is typed for its channel:

* ``await conn.send(message)`` takes exactly the messages the client may send there;
* ``async for message in conn`` yields the typed messages the client receives there;
* ``await conn.request_<operation>(message)`` sends a request and returns its typed reply;
* ``conn.ws`` is the ``websockets`` connection underneath.

Open it with ``async with connect_<channel>(...) as conn``, or reconnect whenever the connection
ends with ``async for conn in connect_<channel>(...)``. For connections you create yourself, use
the functions of :mod:`.channels`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from . import channels as _channels
from . import parameters as _parameters
from . import payloads
from . import servers as _servers
from ._runtime import connection as _connection

__all__ = [
    "CommandsConnection",
    "ReadingsConnection",
    "connect_commands",
    "connect_readings",
]


class ReadingsConnection(
    _connection.ChannelConnection,
):
    """A client connection on channel ``readings`` (``sensors/{sensorId}/readings``), opened by :func:`connect_readings`.

    Attributes:
        ws: the ``websockets`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.Reading,
    ]

    def __aiter__(self) -> AsyncIterator[payloads.Reading]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_readings`:

            >>> async for msg in conn:
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
) -> _connection.Connect[ReadingsConnection]:
    """Connect to channel ``readings``: ``async with``, ``await`` or ``async for`` the result.

    Args:
        parameters: the channel's parameters (its path).
        server: the name of a server of the document; by default the channel's first server,
            else the document's first.
        variables: values of the server URL's ``{variables}`` (defaults apply).
        url: a server URL to use instead (``ws://localhost:8080``); the channel's path and the
            query are added to it.
        skip_message_validation: neither validate what is sent nor what is received.
        options: passed to ``websockets.asyncio.client.connect`` (``open_timeout``, ``ssl``,
            ``additional_headers``...).

    Raises:
        ParameterError: no server to connect to, or invalid server variables.

    Example:
        With ``parameters`` a ``ReadingsParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> async with connect_readings(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _connection.connect_url(
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
    return _connection.Connect(
        address,
        ReadingsConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_connection.connect_options(None, options),
    )


class CommandsConnection(
    _connection.ChannelConnection,
):
    """A client connection on channel ``commands`` (``sensors/{sensorId}/commands``), opened by :func:`connect_commands`.

    Attributes:
        ws: the ``websockets`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    async def send(
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

            >>> await conn.send(msg)
        """
        await self._send(message, skip_message_validation)

    async def request_calibrate(
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

            >>> reply = await conn.request_calibrate(msg, timeout=5)
        """
        reply: payloads.Calibrated = await self._request(
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
) -> _connection.Connect[CommandsConnection]:
    """Connect to channel ``commands``: ``async with``, ``await`` or ``async for`` the result.

    Args:
        parameters: the channel's parameters (its path).
        server: the name of a server of the document; by default the channel's first server,
            else the document's first.
        variables: values of the server URL's ``{variables}`` (defaults apply).
        url: a server URL to use instead (``ws://localhost:8080``); the channel's path and the
            query are added to it.
        skip_message_validation: neither validate what is sent nor what is received.
        options: passed to ``websockets.asyncio.client.connect`` (``open_timeout``, ``ssl``,
            ``additional_headers``...).

    Raises:
        ParameterError: no server to connect to, or invalid server variables.

    Example:
        With ``parameters`` a ``CommandsParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> async with connect_commands(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _connection.connect_url(
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
    return _connection.Connect(
        address,
        CommandsConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_connection.connect_options(None, options),
    )
