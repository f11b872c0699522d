"""Channel parameters: build and match concrete channel paths."""

from __future__ import annotations

import pytest

from chat_rooms import parameters
from chat_rooms.errors import ParameterError


def test_rooms_room_id_parameters_round_trip() -> None:
    """Round trip of ``RoomsRoomIdParameters`` through a concrete path."""
    cls = parameters.RoomsRoomIdParameters
    params = cls(
        room_id="general",
    )
    path = params.get_channel_with_parameters()
    assert cls.create_from_channel(path) == params
    assert cls.create_from_channel("/" + path + "?x=1") == params


def test_rooms_room_id_parameters_refuses_other_paths() -> None:
    """``RoomsRoomIdParameters`` refuses paths of other channels."""
    cls = parameters.RoomsRoomIdParameters
    with pytest.raises(ParameterError):
        cls.create_from_channel("/definitely/not/this/channel/x/y/z")
