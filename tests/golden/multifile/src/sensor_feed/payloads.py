"""Payload classes of Sensor Feed.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`sensor_feed._validation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Self

from ._model import Model

__all__ = [
    "Calibrate",
    "Calibrated",
    "Reading",
]


@dataclass(kw_only=True, slots=True)
class Reading(Model):
    """Reading payload.

    Attributes:
        value: ``value`` on the wire.
        unit: ``unit`` on the wire.
        taken_at: ``takenAt`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    value: float
    unit: Literal["celsius", "fahrenheit"]
    taken_at: str | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/channels/readings/messages/reading/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "value",
            "unit",
            "takenAt",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["value"] = self.value
        data["unit"] = self.unit
        if self.taken_at is not None:
            data["takenAt"] = self.taken_at
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            value=data["value"],
            unit=data["unit"],
            taken_at=data["takenAt"] if "takenAt" in data else None,
            additional_properties=extra,
        )


@dataclass(kw_only=True, slots=True)
class Calibrate(Model):
    """Calibrate payload.

    Attributes:
        offset: ``offset`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    offset: float
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/channels/commands/messages/calibrate/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "offset",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["offset"] = self.offset
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            offset=data["offset"],
            additional_properties=extra,
        )


@dataclass(kw_only=True, slots=True)
class Calibrated(Model):
    """Calibrated payload.

    Attributes:
        ok: ``ok`` on the wire.
        unit: ``unit`` on the wire.
        additional_properties: properties not declared by the schema.
    """

    ok: bool
    unit: Literal["celsius", "fahrenheit"] | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER: ClassVar[str] = "/channels/commands/messages/calibrated/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "ok",
            "unit",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        for key, value in self.additional_properties.items():
            data[key] = value
        data["ok"] = self.ok
        if self.unit is not None:
            data["unit"] = self.unit
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls._WIRE_NAMES:
                extra[key] = value
        return cls(
            ok=data["ok"],
            unit=data["unit"] if "unit" in data else None,
            additional_properties=extra,
        )
