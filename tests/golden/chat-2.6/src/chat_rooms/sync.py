"""Blocking client of Chat Rooms, for scripts and notebooks.

``connect_<channel>`` opens a connection typed for its channel, as :mod:`.connections` does,
over ``websockets.sync.client``:

* ``conn.send(message)`` takes exactly the messages the client may send there;
* ``for message in conn`` yields the typed messages the client receives there;
* ``with connect_<channel>(...) as conn`` closes it at the end; ``for conn in
  connect_<channel>(...)`` reconnects whenever it ends.

The functions below do the same on a connection *you* opened with
``websockets.sync.client.connect``, with the same validation and the same errors:

* ``publish_to_<operation>``: send a typed message;
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
    "RoomsRoomIdConnection",
    "StatusConnection",
    "connect_rooms_room_id",
    "connect_status",
    "publish_to_post_message",
    "subscribe_to_room_events",
    "subscribe_to_service_status",
]


def subscribe_to_room_events(
    *,
    ws: ClientConnection,
    timeout: float | None = None,
    skip_message_validation: bool = False,
) -> _sync.Messages[payloads.ChatMessage | payloads.Presence]:
    """Iterate over the messages of operation ``roomEvents`` on a blocking connection.

    Messages and presence changes in the room.

    Args:
        ws: a blocking client connection opened on channel ``rooms/{roomId}``.
        timeout: seconds to wait for each message (``TimeoutError`` after); ``None``: forever.
        skip_message_validation: deliver messages without checking them against their schema.

    Returns:
        An iterator of typed messages; it ends when the connection closes normally. A frame
        that is not a valid message raises ``PayloadError`` from ``next()`` (iterate on to carry
        on); frames of other message types are skipped.

    Example:
        With ``ws`` a blocking client connection on the channel:

        >>> for msg in subscribe_to_room_events(ws=ws, timeout=5):
        ...     print(msg)
        ...     break
    """
    return _sync.Messages(
        ws,
        [
            _channels._KINDS[payloads.ChatMessage],
            _channels._KINDS[payloads.Presence],
        ],
        validate=not skip_message_validation,
        timeout=timeout,
    )


def publish_to_post_message(
    *,
    message: payloads.ChatMessage,
    ws: ClientConnection,
    parameters: _parameters.RoomsRoomIdParameters | None = None,
    skip_message_validation: bool = False,
) -> None:
    """Send a message of operation ``postMessage`` and return once it is sent.

    Post a message to the room.

    Args:
        message: the message to send; validated against its schema first.
        ws: a blocking client connection opened on channel ``rooms/{roomId}``.
        parameters: the channel parameters; when given, they must match the connection's URL.
        skip_message_validation: send without checking the message against its schema.

    Raises:
        PayloadValidationError: the message does not match its schema (nothing is sent).
        ParameterError: ``parameters`` contradict the connection's URL.
        websockets.exceptions.ConnectionClosed: the connection is closed.

    Example:
        With ``ws`` a blocking client connection on the channel and ``msg`` a ``ChatMessage``:

        >>> publish_to_post_message(message=msg, ws=ws)
    """
    _sync.publish(
        ws,
        message,
        _channels._KINDS,
        parameters=parameters,
        validate=not skip_message_validation,
    )


def subscribe_to_service_status(
    *,
    ws: ClientConnection,
    timeout: float | None = None,
    skip_message_validation: bool = False,
) -> _sync.Messages[payloads.Status]:
    """Iterate over the messages of operation ``serviceStatus`` on a blocking connection.

    Args:
        ws: a blocking client connection opened on channel ``status``.
        timeout: seconds to wait for each message (``TimeoutError`` after); ``None``: forever.
        skip_message_validation: deliver messages without checking them against their schema.

    Returns:
        An iterator of typed messages; it ends when the connection closes normally. A frame
        that is not a valid message raises ``PayloadError`` from ``next()`` (iterate on to carry
        on); frames of other message types are skipped.

    Example:
        With ``ws`` a blocking client connection on the channel:

        >>> for msg in subscribe_to_service_status(ws=ws, timeout=5):
        ...     print(msg)
        ...     break
    """
    return _sync.Messages(
        ws,
        [
            _channels._KINDS[payloads.Status],
        ],
        validate=not skip_message_validation,
        timeout=timeout,
    )


class RoomsRoomIdConnection(
    _sync_connection.ChannelConnection,
):
    """A blocking client connection on channel ``rooms/{roomId}``, opened by :func:`connect_rooms_room_id`.

    One chat room.

    Attributes:
        ws: the ``websockets.sync`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.ChatMessage,
        payloads.Presence,
    ]

    def send(
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

            >>> conn.send(msg)
        """
        self._send(message, skip_message_validation)

    def __iter__(self) -> Iterator[payloads.ChatMessage | payloads.Presence]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_rooms_room_id`:

            >>> for msg in conn:
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
) -> _sync_connection.Connect[RoomsRoomIdConnection]:
    """Connect to channel ``rooms/{roomId}``: ``with``, ``.open()`` or ``for`` the result.

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
        With ``parameters`` a ``RoomsRoomIdParameters`` and ``url`` a server's URL (``ws://localhost:8080``):

        >>> with connect_rooms_room_id(parameters=parameters, url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _sync_connection.connect_url(
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
    return _sync_connection.Connect(
        address,
        RoomsRoomIdConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_sync_connection.connect_options(None, options),
    )


class StatusConnection(
    _sync_connection.ChannelConnection,
):
    """A blocking client connection on channel ``status``, opened by :func:`connect_status`.

    Service health, without parameters.

    Attributes:
        ws: the ``websockets.sync`` client connection underneath (``ping()``, ``close()``, the
            handshake's ``response``...); do not read it with ``recv()``: this connection does.
    """

    _receives = [
        payloads.Status,
    ]

    def __iter__(self) -> Iterator[payloads.Status]:
        """The messages the client receives on this channel, typed and validated.

        A frame that is not a valid message raises ``PayloadError`` from the loop (iterate again
        to carry on); the loop ends when the connection closes normally, and an abnormal close
        raises ``ConnectionClosedError``.

        Example:
            The first message, with ``conn`` from :func:`connect_status`:

            >>> for msg in conn:
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
) -> _sync_connection.Connect[StatusConnection]:
    """Connect to channel ``status``: ``with``, ``.open()`` or ``for`` the result.

    Args:
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
        With ``url`` a server's URL (``ws://localhost:8080``):

        >>> with connect_status(url=url) as conn:
        ...     print(conn.ws.request.path)
    """
    address = _sync_connection.connect_url(
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
    return _sync_connection.Connect(
        address,
        StatusConnection,
        _channels._KINDS,
        validate=not skip_message_validation,
        options=_sync_connection.connect_options(None, options),
    )
