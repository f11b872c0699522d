"""The public API contract (architecture.md) on the seed's User Service, over real sockets.

These are the seed document's usage examples written the Python way: client publish, client
subscribe with validation errors delivered to the callback, server register with URL parameter
extraction and a reply, publish on a closed connection raising.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import check_package, generate
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed, InvalidStatus

TIMEOUT = 5.0


@pytest.fixture(scope="module")
def seed_project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(template_v1, tmp_path_factory.mktemp("seed") / "svc")


@pytest.fixture(scope="module")
def api(seed_project: Path) -> Iterator[ModuleType]:
    """The generated ``user_service`` package, imported from its src folder."""
    sys.path.insert(0, str(seed_project / "src"))
    try:
        for name in [m for m in sys.modules if m == "user_service" or m.startswith("user_service.")]:
            del sys.modules[name]
        yield importlib.import_module("user_service")
    finally:
        sys.path.remove(str(seed_project / "src"))


@pytest.fixture
def mods(api: ModuleType) -> tuple[Any, Any, Any, Any]:
    return (
        importlib.import_module("user_service.payloads"),
        importlib.import_module("user_service.parameters"),
        importlib.import_module("user_service.channels"),
        importlib.import_module("user_service.errors"),
    )


def port_of(server: Any) -> int:
    return int(server.sockets[0].getsockname()[1])


@pytest.mark.slow
def test_generated_package_passes_its_own_checks(seed_project: Path) -> None:
    output = check_package(seed_project)
    assert " passed" in output and "failed" not in output


def test_generated_layout(seed_project: Path) -> None:
    package = seed_project / "src" / "user_service"
    for name in ("__init__.py", "py.typed", "payloads.py", "parameters.py", "channels.py", "errors.py"):
        assert (package / name).is_file(), name
    assert (seed_project / "asyncapi.yaml").read_text("utf-8").startswith("asyncapi: 3.0.0")
    answers = (seed_project / ".copier-answers.yml").read_text("utf-8")
    assert "asyncapi_spec: |-\n" in answers and '  "userEvents":{' in answers


def test_payload_contract(mods: tuple[Any, ...]) -> None:
    payloads, _, _, errors = mods
    msg = payloads.UserSignedUp(user_id="user123", email="user@example.com")
    text = msg.marshal()
    assert json.loads(text) == {"userId": "user123", "email": "user@example.com"}
    assert payloads.UserSignedUp.unmarshal(text) == msg
    assert payloads.UserSignedUp.unmarshal(text.encode()) == msg
    assert payloads.UserSignedUp.unmarshal({"userId": "user123", "email": "user@example.com"}) == msg
    with pytest.raises(errors.PayloadValidationError) as caught:
        payloads.UserSignedUp.unmarshal('{"userId": "u"}')
    assert caught.value.keyword == "required"
    with pytest.raises(errors.PayloadValidationError) as caught:
        payloads.UserSignedUp.unmarshal('{"userId": 5, "email": "e"}')
    assert caught.value.path == "$.userId"
    assert caught.value.keyword == "type"


def test_parameters_contract(mods: tuple[Any, ...]) -> None:
    _, parameters, _, errors = mods
    params = parameters.UserEventsParameters(user_id="user123")
    assert params.get_channel_with_parameters() == "user/events/user123"
    assert parameters.UserEventsParameters(user_id="a b/c").get_channel_with_parameters() == "user/events/a%20b%2Fc"
    parsed = parameters.UserEventsParameters.create_from_channel("/user/events/a%20b?x=1")
    assert parsed.user_id == "a b"
    # Reference bug 1: the query string must not leak into the last parameter.
    assert parameters.UserEventsParameters.create_from_channel("user/events/u1?token=abc").user_id == "u1"
    with pytest.raises(errors.ParameterError):
        parameters.UserEventsParameters.create_from_channel("/user/events/")
    with pytest.raises(errors.ParameterError):
        parameters.UserEventsParameters.create_from_channel("/user/other/u1")


async def test_client_publish_server_register_with_reply(mods: tuple[Any, ...]) -> None:
    payloads, parameters, channels, _ = mods
    seen: dict[str, Any] = {}
    replied = asyncio.Event()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        seen["parameters"] = parameters
        seen["path"] = request.path

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        seen["message"] = message
        response = payloads.UserSignedUp(user_id=message.user_id, email="updated@example.com")
        await channels.publish_to_receive_user_event(message=response, ws=ws)

    router = channels.Router()
    channels.register_send_user_event(router=router, on_connection=on_connection, on_message=on_message)
    channels.register_receive_user_event(router=router)
    params = parameters.UserEventsParameters(user_id="user123")
    received: list[Any] = []

    def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        received.append((err, msg, parameters))
        replied.set()

    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        url = f"ws://127.0.0.1:{port_of(server)}/{params.get_channel_with_parameters()}?token=abc"
        async with connect(url) as ws:
            sub = channels.subscribe_to_receive_user_event(on_data_callback=on_data, parameters=params, ws=ws)
            msg = payloads.UserSignedUp(user_id="user123", email="user@example.com")
            await channels.publish_to_send_user_event(message=msg, parameters=params, ws=ws)
            await asyncio.wait_for(replied.wait(), TIMEOUT)
            sub.unsubscribe()
    assert seen["parameters"] == params
    assert seen["path"] == "/user/events/user123?token=abc"
    assert seen["message"] == msg
    assert received == [(None, payloads.UserSignedUp(user_id="user123", email="updated@example.com"), params)]


async def test_subscribe_delivers_validation_errors_to_the_callback(mods: tuple[Any, ...]) -> None:
    payloads, _parameters, channels, errors = mods

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await ws.send('{"userId": "u1"}')  # missing the required email
        await ws.send("not json at all")
        await ws.send('{"userId": "u1", "email": "ok@example.com"}')

    router = channels.Router()
    channels.register_receive_user_event(router=router, on_connection=on_connection)
    got: list[tuple[Any, Any]] = []
    done = asyncio.Event()

    async def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        got.append((err, msg))
        if len(got) == 3:
            done.set()

    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/user/events/u1") as ws:
            channels.subscribe_to_receive_user_event(on_data_callback=on_data, ws=ws)
            await asyncio.wait_for(done.wait(), TIMEOUT)
    assert isinstance(got[0][0], errors.PayloadValidationError) and got[0][1] is None
    assert got[0][0].keyword == "required"
    assert isinstance(got[1][0], errors.PayloadDecodeError)
    assert got[2] == (None, payloads.UserSignedUp(user_id="u1", email="ok@example.com"))


async def test_skip_message_validation_delivers_unvalidated(mods: tuple[Any, ...]) -> None:
    payloads, _, channels, _ = mods

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await ws.send('{"userId": "u1", "email": 42}')  # wrong type, but decodable

    router = channels.Router()
    channels.register_receive_user_event(router=router, on_connection=on_connection)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/user/events/u1") as ws:
            sub = channels.subscribe_to_receive_user_event(ws=ws, skip_message_validation=True)
            msg = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
    assert msg == payloads.UserSignedUp(user_id="u1", email=42)


async def test_publish_on_a_closed_connection_raises(mods: tuple[Any, ...]) -> None:
    payloads, _, channels, _ = mods
    router = channels.Router()
    channels.register_send_user_event(router=router)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/user/events/u1") as ws:
            await ws.close()
            with pytest.raises(ConnectionClosed):
                await channels.publish_to_send_user_event(
                    message=payloads.UserSignedUp(user_id="u1", email="e@example.com"), ws=ws
                )


async def test_invalid_outbound_message_is_refused_before_sending(mods: tuple[Any, ...]) -> None:
    payloads, _, channels, errors = mods
    frames: list[Any] = []

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        frames.append(message)

    router = channels.Router()
    channels.register_send_user_event(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/user/events/u1") as ws:
            with pytest.raises(errors.PayloadValidationError):
                await channels.publish_to_send_user_event(message=payloads.UserSignedUp(user_id="u1", email=7), ws=ws)
            good = payloads.UserSignedUp(user_id="u1", email="e@example.com")
            await channels.publish_to_send_user_event(message=good, ws=ws)
            for _ in range(100):
                if frames:
                    break
                await asyncio.sleep(0.02)
    assert frames == [good]


async def test_unknown_path_is_refused_at_the_handshake(mods: tuple[Any, ...]) -> None:
    _, _, channels, _ = mods
    router = channels.Router()
    channels.register_send_user_event(router=router)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"ws://127.0.0.1:{port_of(server)}/nowhere"):
                pass
    assert caught.value.response.status_code == 404
