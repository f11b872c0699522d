"""Channel-parameter classes of Chat Rooms.

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
    "RoomsRoomIdParameters",
]


@dataclass(kw_only=True, slots=True, frozen=True)
class RoomsRoomIdParameters:
    """Parameters of channel ``rooms/{roomId}`` (address ``rooms/{roomId}``).

    Attributes:
        room_id: Identifier of the room.

    Example:
        >>> params = RoomsRoomIdParameters(room_id="general")
        >>> RoomsRoomIdParameters.create_from_channel(params.get_channel_with_parameters()) == params
        True
    """

    room_id: str

    ADDRESS: ClassVar[str] = "rooms/{roomId}"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        "rooms/(?P<p0>[^/]+)",
    )
    _WIRE_NAMES: ClassVar[list[str]] = [
        "roomId",
    ]

    def __post_init__(self) -> None:
        check_parameter(
            "roomId",
            self.room_id,
            pattern="^[a-z0-9-]+\\Z",
        )

    def get_channel_with_parameters(self) -> str:
        """The concrete channel path: literal parts and values percent-encoded."""
        return build_path(
            "rooms/{0}",
            [
                self.room_id,
            ],
        )

    @classmethod
    def create_from_channel(cls, channel: str) -> Self:
        """Parse a concrete channel path such as ``/rooms/{roomId}?x=1``.

        Raises:
            ParameterError: the path does not match the address, or a value does not parse as
                its type or breaks its schema (enum, pattern, bounds).
        """
        values = match_path(cls._PATTERN, cls._WIRE_NAMES, channel)
        return cls(
            room_id=values["roomId"],
        )
