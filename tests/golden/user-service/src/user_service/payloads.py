"""Payload classes of User Service.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`user_service._validation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from ._model import Model

__all__ = [
    "UserSignedUp",
]


@dataclass(kw_only=True, slots=True)
class UserSignedUp(Model):
    """UserSignedUp payload.

    Attributes:
        user_id: ``userId`` on the wire.
        email: ``email`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    user_id: str
    email: str
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/components/messages/UserSignedUp/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "userId",
            "email",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["userId"] = self.user_id
        data["email"] = self.email
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            user_id=data["userId"],
            email=data["email"],
            additional_properties=extra,
        )
