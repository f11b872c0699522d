"""Channel parameters: build and match concrete channel paths."""

from __future__ import annotations

import pytest

from sensor_feed import parameters
from sensor_feed.errors import ParameterError


def test_readings_parameters_round_trip() -> None:
    """Round trip of ``ReadingsParameters`` through a concrete path."""
    cls = parameters.ReadingsParameters
    params = cls(
        sensor_id="sn-0042 a/b%",
    )
    path = params.get_channel_with_parameters()
    assert cls.create_from_channel(path) == params
    assert cls.create_from_channel("/" + path + "?x=1") == params


def test_readings_parameters_refuses_other_paths() -> None:
    """``ReadingsParameters`` refuses paths of other channels."""
    cls = parameters.ReadingsParameters
    with pytest.raises(ParameterError):
        cls.create_from_channel("/definitely/not/this/channel/x/y/z")


def test_commands_parameters_round_trip() -> None:
    """Round trip of ``CommandsParameters`` through a concrete path."""
    cls = parameters.CommandsParameters
    params = cls(
        sensor_id="sn-0042 a/b%",
    )
    path = params.get_channel_with_parameters()
    assert cls.create_from_channel(path) == params
    assert cls.create_from_channel("/" + path + "?x=1") == params


def test_commands_parameters_refuses_other_paths() -> None:
    """``CommandsParameters`` refuses paths of other channels."""
    cls = parameters.CommandsParameters
    with pytest.raises(ParameterError):
        cls.create_from_channel("/definitely/not/this/channel/x/y/z")
