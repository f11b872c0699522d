"""``UNSET``: the value of an optional, nullable property that is absent from the message."""

from __future__ import annotations

import enum


class Unset(enum.Enum):
    """Type of :data:`UNSET` (absent, as opposed to ``None`` for JSON ``null``)."""

    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET
