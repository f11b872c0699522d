"""``python -m user_service demo``: every operation's example flows over a real socket."""

from __future__ import annotations

import pytest

from user_service.__main__ import main

# (who, operation, payload class) of each line the demo prints; "" accepts any class.
EXPECTED: list[tuple[str, str, str]] = [
    ("client sends", "sendUserEvent", "UserSignedUp"),
    ("server received", "sendUserEvent", ""),
    ("server sends", "receiveUserEvent", "UserSignedUp"),
    ("client received", "receiveUserEvent", ""),
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
