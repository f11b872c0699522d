"""``python -m chat_rooms demo``: every operation's example flows over a real socket."""

from __future__ import annotations

import pytest

from chat_rooms.__main__ import main

# (who, operation, payload class) of each line the demo prints; "" accepts any class.
EXPECTED: list[tuple[str, str, str]] = [
    ("server sends", "roomEvents", "ChatMessage"),
    ("client received", "roomEvents", ""),
    ("server sends", "roomEvents", "Presence"),
    ("client received", "roomEvents", ""),
    ("client sends", "postMessage", "ChatMessage"),
    ("server received", "postMessage", ""),
    ("server sends", "serviceStatus", "Status"),
    ("client received", "serviceStatus", ""),
]


def test_demo_exchanges_every_operation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("server listening on ws://127.0.0.1:")
    for who, operation, cls in EXPECTED:
        prefix = f"{who:<17} {operation}: {cls}"
        assert any(line.startswith(prefix) for line in lines), prefix
    assert lines[-1] == f"done: {len(EXPECTED)} messages"


def test_demo_is_the_only_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["nonsense"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
