"""Blocking client functions of Sensor Feed, for scripts and notebooks.

The same operations as :mod:`.channels`, on a connection *you* opened with
``websockets.sync.client.connect``; the same validation and the same errors:

* ``publish_to_<operation>``: send a typed message;
* ``request_<operation>``: send a message and wait for its typed reply;
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
        >>> for msg in subscribe_to_receive_reading(ws=ws, timeout=5):  # doctest: +SKIP
        ...     print(msg)
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
        >>> publish_to_calibrate(message=msg, ws=ws)  # doctest: +SKIP
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
        >>> reply = request_calibrate(message=msg, ws=ws, timeout=5)  # doctest: +SKIP
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
