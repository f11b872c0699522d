"""Payload classes of Chat Rooms.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`chat_rooms._validation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Self

from ._model import Model

__all__ = [
    "ChatMessage",
    "Presence",
    "Status",
]


@dataclass(kw_only=True, slots=True)
class ChatMessage(Model):
    """ChatMessage payload.

    Attributes:
        author: ``author`` on the wire.
        text: ``text`` on the wire.
        sent_at: ``sentAt`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    author: str
    text: str
    sent_at: str | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/components/schemas/ChatMessage"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "author",
            "text",
            "sentAt",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["author"] = self.author
        data["text"] = self.text
        if self.sent_at is not None:
            data["sentAt"] = self.sent_at
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            author=data["author"],
            text=data["text"],
            sent_at=data["sentAt"] if "sentAt" in data else None,
            additional_properties=extra,
        )


@dataclass(kw_only=True, slots=True)
class Presence(Model):
    """Presence payload.

    Attributes:
        user: ``user`` on the wire.
        state: ``state`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    user: str
    state: Literal["joined", "left"]
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/components/messages/Presence/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "user",
            "state",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["user"] = self.user
        data["state"] = self.state
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            user=data["user"],
            state=data["state"],
            additional_properties=extra,
        )


@dataclass(kw_only=True, slots=True)
class Status(Model):
    """Status payload.

    Attributes:
        healthy: ``healthy`` on the wire.
        rooms: ``rooms`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    healthy: bool
    rooms: int | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/channels/status/subscribe/message/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "healthy",
            "rooms",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["healthy"] = self.healthy
        if self.rooms is not None:
            data["rooms"] = self.rooms
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            healthy=data["healthy"],
            rooms=data["rooms"] if "rooms" in data else None,
            additional_properties=extra,
        )
