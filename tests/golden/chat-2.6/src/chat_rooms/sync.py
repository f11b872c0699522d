"""Blocking client functions of Chat Rooms, for scripts and notebooks.

The same operations as :mod:`.channels`, on a connection *you* opened with
``websockets.sync.client.connect``; the same validation and the same errors:

* ``publish_to_<operation>``: send a typed message;
* ``subscribe_to_<operation>``: iterate over the typed messages that arrive.

A blocking connection has no background reader: a request reads until its reply is in (other
frames are dropped meanwhile), and an iterator reads when asked for its next message.

Example:
    >>> from websockets.sync.client import connect  # doctest: +SKIP
    >>> with connect("ws://localhost:8080/" + path) as ws:  # doctest: +SKIP
    ...     publish_to_operation(message=msg, ws=ws)
"""

from __future__ import annotations

from websockets.sync.client import ClientConnection

from . import channels as _channels
from . import parameters as _parameters
from . import payloads
from ._runtime import sync as _sync

__all__ = [
    "publish_to_post_message",
    "subscribe_to_room_events",
    "subscribe_to_service_status",
]


def subscribe_to_room_events(
    *,
    ws: ClientConnection,
    timeout: float | None = None,
    skip_message_validation: bool = False,
) -> _sync.Messages[_channels._Message0]:
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
        >>> for msg in subscribe_to_room_events(ws=ws, timeout=5):  # doctest: +SKIP
        ...     print(msg)
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
        >>> publish_to_post_message(message=msg, ws=ws)  # doctest: +SKIP
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
        >>> for msg in subscribe_to_service_status(ws=ws, timeout=5):  # doctest: +SKIP
        ...     print(msg)
    """
    return _sync.Messages(
        ws,
        [
            _channels._KINDS[payloads.Status],
        ],
        validate=not skip_message_validation,
        timeout=timeout,
    )
