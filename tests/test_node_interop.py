"""Interoperability with a Node.js peer using the `ws` package (the reference stack's library).

The seed's User Service is generated; a Node client talks to the generated Python server (under
``websockets.serve``, and as ``router.asgi()`` under uvicorn, alone and mounted in FastAPI) and a
Node server to the generated Python client, JSON on the wire both ways. `.ci/run` installs `ws` into
tests/node/node_modules when `node` is on PATH; without either, the tests skip and say why.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from asgi_support import SERVED_WAYS, serving
from helpers import generate
from runtime_support import import_package
from websockets.asyncio.client import connect

NODE_DIR = Path(__file__).resolve().parent / "node"
PEER = NODE_DIR / "peer.mjs"
TIMEOUT = 15.0

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH"),
    pytest.mark.skipif(
        not (NODE_DIR / "node_modules" / "ws").is_dir(),
        reason="the ws package is not installed: run `npm install --no-audit --no-fund` in tests/node",
    ),
]


@pytest.fixture(scope="module")
def svc(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    project = generate(template_v1, tmp_path_factory.mktemp("node") / "svc", package_name="node_peer_svc")
    return import_package(project, "node_peer_svc")


@pytest.mark.parametrize("how", SERVED_WAYS)
async def test_node_client_talks_to_the_generated_server(svc: ModuleType, how: str) -> None:
    payloads, channels = svc.payloads, svc.channels
    seen: dict[str, Any] = {"messages": [], "errors": []}

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        seen["messages"].append((message, parameters))
        reply = payloads.UserSignedUp(user_id=message.user_id, email="python@example.com")
        await channels.publish_to_receive_user_event(message=reply, ws=ws)

    router = channels.Router()
    channels.register_send_user_event(
        router=router, on_message=on_message, on_error=lambda **kw: seen["errors"].append(kw["error"])
    )
    channels.register_receive_user_event(router=router)
    async with serving(router, how) as base:
        url = f"{base}/user/events/user%20123?token=abc"
        node = await asyncio.create_subprocess_exec(
            "node", str(PEER), "client", url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        stdout, stderr = await asyncio.wait_for(node.communicate(), TIMEOUT)
    assert node.returncode == 0, stderr.decode()
    lines = [json.loads(line) for line in stdout.decode().splitlines()]
    assert lines[0] == {"received": {"userId": "user 123", "email": "python@example.com"}, "binary": False}
    assert lines[-1] == {"closed": 1000}
    params = svc.parameters.UserEventsParameters(user_id="user 123")
    assert seen["messages"] == [(payloads.UserSignedUp(user_id="user 123", email="node@example.com"), params)]
    assert [error.keyword for error in seen["errors"]] == ["required"]


async def test_generated_client_talks_to_a_node_server(svc: ModuleType) -> None:
    payloads, channels = svc.payloads, svc.channels
    node = await asyncio.create_subprocess_exec(
        "node", str(PEER), "server", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert node.stdout is not None
    try:
        port = json.loads(await asyncio.wait_for(node.stdout.readline(), TIMEOUT))["port"]
        params = svc.parameters.UserEventsParameters(user_id="a b")
        received: list[Any] = []
        async with connect(f"ws://127.0.0.1:{port}/{params.get_channel_with_parameters()}?x=1") as ws:
            sub = channels.subscribe_to_receive_user_event(ws=ws, parameters=params)
            received.append(await asyncio.wait_for(anext(aiter(sub)), TIMEOUT))
            sent = payloads.UserSignedUp(user_id="a b", email="py@example.com")
            await channels.publish_to_send_user_event(message=sent, ws=ws, parameters=params)
            received.append(await asyncio.wait_for(anext(aiter(sub)), TIMEOUT))
            sub.unsubscribe()
        lines = [json.loads(await asyncio.wait_for(node.stdout.readline(), TIMEOUT)) for _ in range(2)]
    finally:
        node.kill()
        await node.wait()
    assert received == [
        payloads.UserSignedUp(user_id="n1", email="hello@node.example"),
        payloads.UserSignedUp(user_id="a b", email="echo@node.example"),
    ]
    assert lines == [{"path": "/user/events/a%20b?x=1"}, {"got": {"userId": "a b", "email": "py@example.com"}}]
