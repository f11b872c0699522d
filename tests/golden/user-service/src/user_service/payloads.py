"""Payload classes of User Service.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`user_service._runtime.validation`), which also enforces what a Python type cannot say
(bounds, patterns, ``not``, ``if``/``then``/``else``...).

Optional properties read ``None`` when absent; optional properties that may be ``null`` read
``UNSET`` when absent; optional properties with a schema default (or a ``const``) read that value.
A required ``const`` property is set by the class itself: it is no constructor argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from ._runtime.model import Model

__all__ = [
    "UserSignedUp",
]


@dataclass(kw_only=True, slots=True)
class UserSignedUp(Model):
    """UserSignedUp payload.

    Attributes:
        user_id: ``userId`` on the wire.
        email: ``email`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    user_id: str
    email: str
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/components/messages/UserSignedUp/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "userId",
            "email",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        data["userId"] = self.user_id
        data["email"] = self.email
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            user_id=data["userId"],
            email=data["email"],
        )
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance
