"""Names of the generated tests that are made from spec names, kept short enough for their line."""

from __future__ import annotations

from ..ir import Channel, Operation
from ..pytext.identifiers import snake_case

# ``def test_<name>_refuses_other_paths() -> None:`` must fit the line length.
_LONGEST_TEST_NAME = 60
# ``async def test_<name>_connection_examples_run_as_written() -> None:`` likewise.
_LONGEST_CONNECTION_TEST_NAME = 39
# ``async def test_<name>_over_a_socket(cls: type[Any]) -> None:``, the longest line of an operation's
# tests and helpers (``path_<name>``, ``url_<name>``...) that holds the name.
_LONGEST_OPERATION_TEST_NAME = 60


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


def operation_test_name(operation: Operation, number: int) -> str:
    """The ``<name>`` of an operation's tests and their helpers: its snake_case name, or numbered.

    ``number`` is the operation's 1-based position among the document's operations. The calls of the
    operation's own functions keep its name: those lines break where ruff breaks them.
    """
    name = operation.snake
    return name if len(name) <= _LONGEST_OPERATION_TEST_NAME else f"operation_{number}"
