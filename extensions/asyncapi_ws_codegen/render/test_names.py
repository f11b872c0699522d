"""Names of the generated tests that are made from spec names, kept short enough for their line."""

from __future__ import annotations

from ..ir import Channel
from ..pytext.identifiers import snake_case

# ``def test_<name>_refuses_other_paths() -> None:`` must fit the line length.
_LONGEST_TEST_NAME = 60
# ``async def test_<name>_connection_examples_run_as_written() -> None:`` likewise.
_LONGEST_CONNECTION_TEST_NAME = 39


def parameters_test_name(channel: Channel, number: int) -> str:
    """The ``<name>`` of the parameter tests of a channel: its class in snake_case, or numbered.

    ``number`` is the channel's 1-based position among the parameterised channels.
    """
    name = snake_case(channel.parameters_class or "")
    return name if len(name) <= _LONGEST_TEST_NAME else f"channel_{number}_parameters"


def connection_test_name(channel: Channel, number: int) -> str:
    """The ``<name>`` of the connection layer's example test of a channel: its snake_case name, or
    numbered. ``number`` is the channel's 1-based position among the channels operations use."""
    name = channel.snake
    return name if len(name) <= _LONGEST_CONNECTION_TEST_NAME else f"channel_{number}"
