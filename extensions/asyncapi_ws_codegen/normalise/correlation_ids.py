"""Correlation ids: where a reply carries its request's id, and how 2.x pairs requests with replies."""

from __future__ import annotations

from typing import Any

from ..ir import Message


def correlation_location(node: Any) -> str:
    """The ``location`` runtime expression of a Correlation ID Object, else ``""``."""
    location = node.get("location") if isinstance(node, dict) else None
    return location.strip() if isinstance(location, str) else ""


def correlation_pointer(node: Any) -> str:
    """The JSON pointer of a ``$message.payload#/...`` correlation id, else ``""``.

    Header locations (``$message.header#/...``) have no WebSocket representation: a frame is the
    payload alone, so such ids cannot be read and replies are matched by message type instead.
    """
    location = correlation_location(node)
    if not location.startswith("$message.payload#"):
        return ""
    return location.removeprefix("$message.payload#")


def correlated_replies(requests: tuple[Message, ...], candidates: tuple[Message, ...]) -> tuple[Message, ...]:
    """The ``candidates`` that answer ``requests`` by the AsyncAPI 2.x convention.

    2.x has no ``reply``: a request and its response are two operations whose messages declare a
    ``correlationId`` at the same location. A candidate is a reply when its location is one that
    a request message declares; messages without a correlation id never pair, since nothing else
    in a 2.x document says that one message answers another.
    """
    locations = {m.correlation_location for m in requests if m.correlation_location}
    return tuple(m for m in candidates if m.correlation_location in locations)
