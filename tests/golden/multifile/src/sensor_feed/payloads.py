"""Payload classes of Sensor Feed.

One dataclass per message payload and per object schema it uses. Attributes are snake_case; the
JSON on the wire keeps the spec's property names. Every class validates against its JSON Schema
(see :mod:`sensor_feed._runtime.validation`), which also enforces what a Python type cannot say
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
    "Calibrate",
    "Calibrated",
    "Reading",
]


@dataclass(kw_only=True, slots=True)
class Reading(Model):
    """Reading payload.

    Attributes:
        value_2: ``value`` on the wire.
        unit: ``unit`` on the wire.
        taken_at: ``takenAt`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    value_2: float
    unit: Literal["celsius", "fahrenheit"]
    taken_at: str | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/channels/readings/messages/reading/payload"
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
        data["value"] = self.value_2
        data["unit"] = self.unit
        if self.taken_at is not None:
            data["takenAt"] = self.taken_at
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            value_2=data["value"],
            unit=data["unit"],
        )
        if "takenAt" in data:
            instance.taken_at = data["takenAt"]
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance


@dataclass(kw_only=True, slots=True)
class Calibrate(Model):
    """Calibrate payload.

    The document's example: ``{"offset": -0.5}``

    Attributes:
        offset: ``offset`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    offset: float
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/channels/commands/messages/calibrate/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "offset",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        data["offset"] = self.offset
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            offset=data["offset"],
        )
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance


@dataclass(kw_only=True, slots=True)
class Calibrated(Model):
    """Calibrated payload.

    Attributes:
        ok: ``ok`` on the wire.
        unit: ``unit`` on the wire.
        additional_properties: properties not declared by the schema, by wire name.
    """

    ok: bool
    unit: Literal["celsius", "fahrenheit"] | None = None
    additional_properties: dict[str, Any] = field(default_factory=dict)

    SCHEMA_POINTER = "/channels/commands/messages/calibrated/payload"
    _WIRE_NAMES: ClassVar[frozenset[str]] = frozenset(
        {
            "ok",
            "unit",
        }
    )

    def to_json_data(self) -> dict[str, Any]:
        """Convert to JSON data with the spec's wire names."""
        data: dict[str, Any] = {}
        data["ok"] = self.ok
        if self.unit is not None:
            data["unit"] = self.unit
        for key, value in self.additional_properties.items():
            if key not in data:
                data[key] = value
        return data

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        instance = cls(
            ok=data["ok"],
        )
        if "unit" in data:
            instance.unit = data["unit"]
        # The set check runs in C: most frames carry no undeclared property.
        if not cls._WIRE_NAMES.issuperset(data):
            for key, value in data.items():
                if key not in cls._WIRE_NAMES:
                    instance.additional_properties[key] = value
        return instance
