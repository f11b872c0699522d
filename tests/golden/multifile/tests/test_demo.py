"""``python -m sensor_feed demo``: every operation's example flows over a real socket."""

from __future__ import annotations

import pytest

from sensor_feed import payloads
from sensor_feed.__main__ import main

# (who, operation, payload class) of each line the demo prints; "" accepts any class. A message
# whose payload is another schema's class prints that class's name.
EXPECTED: list[tuple[str, str, str]] = [
    (
        "server sends",
        "receiveReading",
        payloads.Reading.__name__,
    ),
    (
        "client received",
        "receiveReading",
        "",
    ),
    (
        "client requests",
        "calibrate",
        payloads.Calibrate.__name__,
    ),
    (
        "client got reply",
        "calibrate",
        "",
    ),
]


def test_demo_exchanges_every_operation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("server listening on ws://127.0.0.1:")
    for who, operation, cls in EXPECTED:
        prefix = f"{who:<17} {operation}: {cls}"
        assert any(line.startswith(prefix) for line in lines), prefix
    # A client on an address several channels share also receives their messages, so the demo
    # may show more than the operations' own examples.
    count = int(lines[-1].removeprefix("done: ").removesuffix(" messages"))
    assert count >= len(EXPECTED)
    # Every message a client sent reached the server (possibly through another operation that
    # takes the same message type, so only the counts are compared).
    sent = sum(line.startswith(("client sends", "client requests")) for line in lines)
    assert sum(line.startswith("server received") for line in lines) >= sent


def test_demo_is_the_only_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
