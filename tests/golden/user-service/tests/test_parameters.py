"""Channel parameters: build and match concrete channel paths."""

from __future__ import annotations

import pytest

from user_service import parameters
from user_service.errors import ParameterError


def test_user_events_parameters_round_trip() -> None:
    """Round trip of ``UserEventsParameters`` through a concrete path."""
    cls = parameters.UserEventsParameters
    params = cls(
        user_id="userId-1 a/b%",
    )
    path = params.get_channel_with_parameters()
    assert cls.create_from_channel(path) == params
    assert cls.create_from_channel("/" + path + "?x=1") == params


def test_user_events_parameters_refuses_other_paths() -> None:
    """``UserEventsParameters`` refuses paths of other channels."""
    cls = parameters.UserEventsParameters
    with pytest.raises(ParameterError):
        cls.create_from_channel("/definitely/not/this/channel/x/y/z")
