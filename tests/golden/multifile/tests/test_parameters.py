"""Channel parameters: build and match concrete channel paths."""

from __future__ import annotations

import pytest

from sensor_feed import parameters
from sensor_feed.errors import ParameterError


def test_readings_parameters_round_trip() -> None:
    params = parameters.ReadingsParameters(
        sensor_id="sn-0042 a/b%",
    )
    path = params.get_channel_with_parameters()
    assert parameters.ReadingsParameters.create_from_channel(path) == params
    assert parameters.ReadingsParameters.create_from_channel("/" + path + "?x=1") == params


def test_readings_parameters_refuses_other_paths() -> None:
    with pytest.raises(ParameterError):
        parameters.ReadingsParameters.create_from_channel("/definitely/not/this/channel/x/y/z")


def test_commands_parameters_round_trip() -> None:
    params = parameters.CommandsParameters(
        sensor_id="sn-0042 a/b%",
    )
    path = params.get_channel_with_parameters()
    assert parameters.CommandsParameters.create_from_channel(path) == params
    assert parameters.CommandsParameters.create_from_channel("/" + path + "?x=1") == params


def test_commands_parameters_refuses_other_paths() -> None:
    with pytest.raises(ParameterError):
        parameters.CommandsParameters.create_from_channel("/definitely/not/this/channel/x/y/z")
