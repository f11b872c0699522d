"""Channel-parameter classes of User Service.

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
    "UserEventsParameters",
]


@dataclass(kw_only=True, slots=True, frozen=True)
class UserEventsParameters:
    """Parameters of channel ``userEvents`` (address ``user/events/{userId}``).

    Attributes:
        user_id: The user identifier

    Example:
        >>> params = UserEventsParameters(user_id="userId-1")
        >>> UserEventsParameters.create_from_channel(params.get_channel_with_parameters()) == params
        True
    """

    user_id: str

    ADDRESS: ClassVar[str] = "user/events/{userId}"
    _PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        "user/events/(?P<p0>[^/]+)",
    )
    _WIRE_NAMES: ClassVar[list[str]] = [
        "userId",
    ]

    def __post_init__(self) -> None:
        check_parameter(
            "userId",
            self.user_id,
        )

    def get_channel_with_parameters(self) -> str:
        """The concrete channel path: literal parts and values percent-encoded."""
        return build_path(
            "user/events/{0}",
            [
                self.user_id,
            ],
        )

    @classmethod
    def create_from_channel(cls, channel: str) -> Self:
        """Parse a concrete channel path such as ``/user/events/{userId}?x=1``.

        Raises:
            ParameterError: the path does not match the address, or a value does not parse as
                its type or breaks its schema (enum, pattern, bounds).
        """
        values = match_path(cls._PATTERN, cls._WIRE_NAMES, channel)
        return cls(
            user_id=values["userId"],
        )
