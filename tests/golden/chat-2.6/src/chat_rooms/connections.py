"""Connections of Chat Rooms that this package opens for you: one ``connect_<channel>`` each.

``connect_<channel>`` builds the URL (a server of the document or ``url=``, the channel's path
with its parameters, the handshake query) and adds the handshake headers; the connection it
opens is typed for its channel:

* ``await conn.send(message)`` takes exactly the messages the client may send there;
* ``async for message in conn`` yields the typed messages the client receives there;
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
    "RoomsRoomIdConnection",
    "StatusConnection",
    "connect_rooms_room_id",
    "connect_status",
]


class RoomsRoomIdConnection(
    _connection.ChannelConnection,
):
    """A client connection on channel ``rooms/{roomId}``, opened by :func:`connect_rooms_room_id`.

    One chat room.

    Attributes:
        ws: the ``websockets`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.ChatMessage,
        payloads.Presence,
    ]

    async def send(
        self,
        message: payloads.ChatMessage,
        *,
        skip_message_validation: bool = False,
    ) -> None:
        """Send one of the messages the client sends on this channel, validated first.

        ``message`` is one of:

        * :class:`~chat_rooms.payloads.ChatMessage`

        Raises:
            PayloadValidationError: the message does not match its schema (nothing is sent).
            websockets.exceptions.ConnectionClosed: the connection is closed.

        Example:
            With ``conn`` from :func:`connect_rooms_room_id` and ``msg`` a ``ChatMessage``:

            >>> await conn.send(msg)
        """
        await self._send(message, skip_message_validation)

    def __aiter__(self) -> AsyncIterator[payloads.ChatMessage | payloads.Presence]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_rooms_room_id`:

            >>> async for msg in conn:
            ...     print(msg)
            ...     break
        """
        return self._messages()


def connect_rooms_room_id(
    *,
    parameters: _parameters.RoomsRoomIdParameters,
    server: str | None = None,
    variables: Mapping[str, str] | None = None,
    url: str | None = None,
    skip_message_validation: bool = False,
    **options: Any,
) -> _connection.Connect[RoomsRoomIdConnection]:
    """Connect to channel ``rooms/{roomId}``: ``async with``, ``await`` or ``async for`` the result.

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
        With ``parameters`` a ``RoomsRoomIdParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> async with connect_rooms_room_id(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _connection.connect_url(
        url=url,
        server=server,
        variables=variables,
        channel_id="rooms/{roomId}",
        channel_servers=[],
        known_servers=list(_servers.SERVERS),
        server_url=_servers.server_url,
        channel_url=_servers.channel_url,
        parameters=parameters,
    )
    return _connection.Connect(
        address,
        RoomsRoomIdConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_connection.connect_options(None, options),
    )


class StatusConnection(
    _connection.ChannelConnection,
):
    """A client connection on channel ``status``, opened by :func:`connect_status`.

    Service health, without parameters.

    Attributes:
        ws: the ``websockets`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.Status,
    ]

    def __aiter__(self) -> AsyncIterator[payloads.Status]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_status`:

            >>> async for msg in conn:
            ...     print(msg)
            ...     break
        """
        return self._messages()


def connect_status(
    *,
    server: str | None = None,
    variables: Mapping[str, str] | None = None,
    url: str | None = None,
    skip_message_validation: bool = False,
    **options: Any,
) -> _connection.Connect[StatusConnection]:
    """Connect to channel ``status``: ``async with``, ``await`` or ``async for`` the result.

    Args:
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
        With ``url`` a server's URL (``ws://localhost:8080``):

        >>> async with connect_status(url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _connection.connect_url(
        url=url,
        server=server,
        variables=variables,
        channel_id="status",
        channel_servers=[],
        known_servers=list(_servers.SERVERS),
        server_url=_servers.server_url,
        channel_url=_servers.channel_url,
        channel=_channels.STATUS_ADDRESS,
    )
    return _connection.Connect(
        address,
        StatusConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_connection.connect_options(None, options),
    )
