"""Payload classes of Chat Rooms.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`chat_rooms._runtime.validation`), which also enforces what a Python type cannot say
(bounds, patterns, ``not``, ``if``/``then``/``else``...).

Optional properties read ``None`` when absent; optional properties that may be ``null`` read
``UNSET`` when absent; optional properties with a schema default (or a ``const``) read that value.
A required ``const`` property is set by the class itself: it is no constructor argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Self

from ._runtime.model import Model

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
        additional_properties: properties not declared by the schema, by wire name.
    """

    author: str
    text: str
    sent_at: str | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/components/schemas/ChatMessage"
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
        data["author"] = self.author
        data["text"] = self.text
        if self.sent_at is not None:
            data["sentAt"] = self.sent_at
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            author=data["author"],
            text=data["text"],
        )
        if "sentAt" in data:
            instance.sent_at = data["sentAt"]
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance


@dataclass(kw_only=True, slots=True)
class Presence(Model):
    """Presence payload.

    The document's example: ``{"state": "joined", "user": "ada"}``

    Attributes:
        user: ``user`` on the wire.
        state: ``state`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    user: str
    state: Literal["joined", "left"]
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/components/messages/Presence/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "user",
            "state",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        data["user"] = self.user
        data["state"] = self.state
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            user=data["user"],
            state=data["state"],
        )
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance


@dataclass(kw_only=True, slots=True)
class Status(Model):
    """Status payload.

    The document's example: ``{"healthy": true, "rooms": 3}``

    Attributes:
        healthy: ``healthy`` on the wire.
        rooms: ``rooms`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    healthy: bool
    rooms: int | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/channels/status/subscribe/message/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "healthy",
            "rooms",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        data["healthy"] = self.healthy
        if self.rooms is not None:
            data["rooms"] = self.rooms
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            healthy=data["healthy"],
        )
        if "rooms" in data:
            instance.rooms = data["rooms"]
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance
