"""Code that uses the connection layer type-checks under ``mypy --strict`` with no casts, and a
message of the wrong type is a type error, not a runtime surprise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from helpers import _mypy_cache

USAGE = """\
from __future__ import annotations

from typing import assert_type

from rt_chat import headers, parameters, payloads, servers, sync
from rt_chat.connections import ChatConnection, EchoConnection, connect_blob, connect_chat, connect_echo

PARAMS = parameters.ChatParameters(user_id="ann")


async def chat(base: str) -> None:
    async with connect_chat(
        parameters=PARAMS,
        query=servers.ChatQuery(limit=1, verbose=True),
        headers=headers.ChatHeaders(x_client="cli"),
        url=base,
        additional_headers={"Authorization": "Bearer k"},
        open_timeout=5,
    ) as conn:
        assert_type(conn, ChatConnection)
        await conn.send(payloads.Say(seq=1, text="hi"))
        await conn.send(payloads.Ping(reqid=1))
        pong = await conn.request_ping(payloads.Ping(reqid=2), timeout=1.5)
        assert_type(pong, payloads.Pong)
        async for message in conn:
            assert_type(message, payloads.Notice | payloads.Say)
            if isinstance(message, payloads.Notice):
                print(message.text.upper())
        await conn.ws.ping()


async def reconnecting(base: str) -> None:
    async for conn in connect_echo(url=base):
        assert_type(conn, EchoConnection)
        answer = await conn.request_ask(payloads.Question(q="?"))
        assert_type(answer, payloads.Answer)
        break
    blob = await connect_blob(server="local")
    await blob.send(payloads.Chunk(value=b"\\x00"))
    async for chunk in blob:
        assert_type(chunk.value, bytes)
    await blob.close()


def blocking(base: str) -> None:
    with sync.connect_chat(parameters=PARAMS, url=base) as conn:
        assert_type(conn, sync.ChatConnection)
        conn.send(payloads.Say(seq=1, text="hi"))
        assert_type(conn.request_ping(payloads.Ping(reqid=3)), payloads.Pong)
        for message in conn:
            assert_type(message, payloads.Notice | payloads.Say)
    for echo in sync.connect_echo(url=base, open_timeout=5):
        assert_type(echo.request_ask(payloads.Question(q="?")), payloads.Answer)
        echo.close()
        break
"""

# Each line marked `# wrong` must be reported by mypy, and nothing else.
WRONG = """\
from __future__ import annotations

from rt_chat import parameters, payloads, sync
from rt_chat.connections import ChatConnection, EchoConnection, connect_chat


async def wrong(conn: ChatConnection, echo: EchoConnection) -> None:
    await conn.send(payloads.Notice(text="the server sends these"))  # wrong
    await conn.send(payloads.Question(q="another channel's message"))  # wrong
    await conn.send_say(payloads.Say(seq=1, text="no such method"))  # wrong
    await echo.request_ping(payloads.Ping(reqid=1))  # wrong
    async for message in echo:  # wrong
        print(message)
    connect_chat(url="ws://localhost:1")  # wrong
    connect_chat(parameters=parameters.ChatParameters(user_id="a"), query={"limit": "1"})  # wrong


def wrong_blocking(conn: sync.ChatConnection) -> None:
    conn.send(payloads.Answer(a="the server sends these"))  # wrong
    reply: payloads.Answer = conn.request_ping(payloads.Ping(reqid=1))  # wrong
"""


def _mypy(chat: ModuleType, folder: Path, source: str) -> subprocess.CompletedProcess[str]:
    src = Path(chat.__file__).resolve().parents[1]
    (folder / "usage.py").write_text(source, "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", _mypy_cache(), "usage.py"],
        cwd=folder,
        env={"MYPYPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_code_using_the_connection_layer_passes_mypy_strict(chat: ModuleType, tmp_path: Path) -> None:
    assert "cast(" not in USAGE and "Any" not in USAGE and "type: ignore" not in USAGE
    result = _mypy(chat, tmp_path, USAGE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_message_type_fails_type_checking(chat: ModuleType, tmp_path: Path) -> None:
    result = _mypy(chat, tmp_path, WRONG)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = {int(line) for line in re.findall(r"^usage\.py:(\d+): error", result.stdout, flags=re.MULTILINE)}
    marked = {number for number, line in enumerate(WRONG.splitlines(), 1) if line.endswith("# wrong")}
    assert reported == marked, result.stdout
    assert 'Argument 1 to "send" of "ChatConnection" has incompatible type "Notice"' in result.stdout
