"""The envelope of a broadcast crossing processes: who published it, in which order, for whom.

One line of JSON, then the frame as it goes on the wire::

    ["asyncapi-ws/1", "<publisher id>", <sequence>, "<channel id>", "<parameters' path>" | null, <binary>]\\n<frame>

The frame is carried as it is (no escaping, no base64): a broker forwards bytes, and the
receiving process writes them to its connections without re-encoding the message.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "EnvelopeError",
    "pack",
    "unpack",
]

TAG = "asyncapi-ws/1"
"""First field of every envelope; anything else on the channel is someone else's message."""


class EnvelopeError(ValueError):
    """A message that is not a broadcast envelope of this version."""


def pack(publisher: str, sequence: int, channel: str, key: str | None, frame: str | bytes) -> bytes:
    """The envelope of one broadcast (``frame`` a text frame when ``str``, binary when bytes)."""
    binary = not isinstance(frame, str)
    header = json.dumps([TAG, publisher, sequence, channel, key, binary], separators=(",", ":"))
    body = frame if isinstance(frame, bytes) else frame.encode("utf-8")
    return header.encode("utf-8") + b"\n" + body


def unpack(data: Any) -> tuple[str, int, str, str | None, str | bytes]:
    """``(publisher, sequence, channel, key, frame)`` from an envelope.

    Raises:
        EnvelopeError: ``data`` is not an envelope of this version (foreign or malformed).
    """
    if not isinstance(data, bytes):
        raise EnvelopeError(f"expected bytes, got {type(data).__name__}")
    head, newline, body = data.partition(b"\n")
    if not newline:
        raise EnvelopeError("no envelope header line")
    try:
        fields = json.loads(head)
    except (ValueError, RecursionError):
        raise EnvelopeError("the header line is not JSON") from None
    if not isinstance(fields, list) or len(fields) != 6 or fields[0] != TAG:
        raise EnvelopeError(f"not a {TAG} envelope")
    _, publisher, sequence, channel, key, binary = fields
    if (
        not isinstance(publisher, str)
        or type(sequence) is not int
        or sequence < 1
        or not isinstance(channel, str)
        or not (key is None or isinstance(key, str))
        or not isinstance(binary, bool)
    ):
        raise EnvelopeError("the header fields have the wrong types")
    if binary:
        return publisher, sequence, channel, key, body
    try:
        return publisher, sequence, channel, key, body.decode("utf-8")
    except UnicodeDecodeError:
        raise EnvelopeError("a text frame that is not UTF-8") from None
