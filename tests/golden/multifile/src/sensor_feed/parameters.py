"""Channel-parameter classes of Sensor Feed.

One class per channel whose address has ``{parameters}``: build the concrete channel path with
:meth:`get_channel_with_parameters` (literal parts and values percent-encoded) and parse one with
:meth:`create_from_channel` (leading ``/`` optional, query string ignored, encoded or not, values
decoded and converted to their type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self

from ._runtime.paths import build_path, check_parameter, match_path

__all__ = [
    "CommandsParameters",
    "ReadingsParameters",
]


@dataclass(kw_only=True, slots=True, frozen=True)
class ReadingsParameters:
    """Parameters of channel ``readings`` (address ``sensors/{sensorId}/readings``).

    Attributes:
        sensor_id: Serial number of the sensor.

    Example:
        >>> params = ReadingsParameters(sensor_id="sn-0042")
        >>> ReadingsParameters.create_from_channel(params.get_channel_with_parameters()) == params
        True
    """

    sensor_id: str

    ADDRESS: ClassVar[str] = "sensors/{sensorId}/readings"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        "sensors/(?P<p0>[^/]+)/readings",
    )
    _WIRE_NAMES: ClassVar[list[str]] = [
        "sensorId",
    ]

    def __post_init__(self) -> None:
        check_parameter(
            "sensorId",
            self.sensor_id,
        )

    def get_channel_with_parameters(self) -> str:
        """The concrete channel path: literal parts and values percent-encoded."""
        return build_path(
            "sensors/{0}/readings",
            [
                self.sensor_id,
            ],
        )

    @classmethod
    def create_from_channel(cls, channel: str) -> Self:
        """Parse a concrete channel path such as ``/sensors/{sensorId}/readings?x=1``.

        Raises:
            ParameterError: the path does not match the address, or a value does not parse as
                its type or breaks its schema (enum, pattern, bounds).
        """
        values = match_path(cls._PATTERN, cls._WIRE_NAMES, channel)
        return cls(
            sensor_id=values["sensorId"],
        )


@dataclass(kw_only=True, slots=True, frozen=True)
class CommandsParameters:
    """Parameters of channel ``commands`` (address ``sensors/{sensorId}/commands``).

    Attributes:
        sensor_id: Serial number of the sensor.

    Example:
        >>> params = CommandsParameters(sensor_id="sn-0042")
        >>> CommandsParameters.create_from_channel(params.get_channel_with_parameters()) == params
        True
    """

    sensor_id: str

    ADDRESS: ClassVar[str] = "sensors/{sensorId}/commands"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        "sensors/(?P<p0>[^/]+)/commands",
    )
    _WIRE_NAMES: ClassVar[list[str]] = [
        "sensorId",
    ]

    def __post_init__(self) -> None:
        check_parameter(
            "sensorId",
            self.sensor_id,
        )

    def get_channel_with_parameters(self) -> str:
        """The concrete channel path: literal parts and values percent-encoded."""
        return build_path(
            "sensors/{0}/commands",
            [
                self.sensor_id,
            ],
        )

    @classmethod
    def create_from_channel(cls, channel: str) -> Self:
        """Parse a concrete channel path such as ``/sensors/{sensorId}/commands?x=1``.

        Raises:
            ParameterError: the path does not match the address, or a value does not parse as
                its type or breaks its schema (enum, pattern, bounds).
        """
        values = match_path(cls._PATTERN, cls._WIRE_NAMES, channel)
        return cls(
            sensor_id=values["sensorId"],
        )
