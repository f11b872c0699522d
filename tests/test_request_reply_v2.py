"""AsyncAPI 2.x request/reply over real sockets: a sent and a received operation on one channel
whose messages declare a correlation id at the same location (tests/specs/rpc-2.6.yaml).

The package is generated once by copier and imported in-process; every test runs a real
``websockets`` server on 127.0.0.1, port 0, and real clients.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import SPECS, check_package, generate, tree_bytes
from runtime_support import import_package, port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

TIMEOUT = 10.0
SPEC = SPECS / "rpc-2.6.yaml"


@pytest.fixture(scope="module")
def project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(template_v1, tmp_path_factory.mktemp("rpc") / "svc", spec_source=str(SPEC), package_name="rpc_v2")


@pytest.fixture(scope="module")
def rpc(project: Path) -> ModuleType:
    return import_package(project, "rpc_v2")


def compute(rpc: ModuleType, request_id: str, *numbers: float, delay: float | None = None) -> Any:
    return rpc.payloads.Compute(id_=request_id, numbers=list(numbers), delay=delay)


@pytest.mark.slow
def test_generated_package_passes_its_own_checks(project: Path) -> None:
    # ruff, ruff format --check, mypy --strict and the package's own loopback tests, which include
    # a request/reply round trip for both pairs.
    output = check_package(project)
    assert " passed" in output
    tests = (project / "tests" / "test_channels.py").read_text("utf-8")
    assert "async def test_compute_request_gets_its_reply()" in tests
    assert "async def test_ask_status_request_gets_its_reply()" in tests
    assert "async def test_acknowledge_request_gets_its_reply()" not in tests


@pytest.mark.slow
def test_generation_is_deterministic(template_v1: Path, project: Path, tmp_path: Path) -> None:
    again = generate(template_v1, tmp_path / "svc", spec_source=str(SPEC), package_name="rpc_v2")
    first, second = tree_bytes(project), tree_bytes(again)
    first.pop(".copier-answers.yml"), second.pop(".copier-answers.yml")
    assert first == second


def test_only_correlated_pairs_get_a_request_function(rpc: ModuleType) -> None:
    channels = rpc.channels
    requests = [name for name in channels.__all__ if name.startswith("request_")]
    assert requests == ["request_ask_status", "request_compute"]
    for absent in ("request_acknowledge", "request_computed", "request_status", "request_alert"):
        assert not hasattr(channels, absent), absent
    assert channels.request_compute.__annotations__["return"] == "Result"
    assert "operation ``computed``" in (channels.request_compute.__doc__ or "")


async def test_request_round_trip_with_the_generated_server_replying(rpc: ModuleType) -> None:
    payloads, channels = rpc.payloads, rpc.channels
    seen: list[tuple[str, Any]] = []

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        seen.append((message.id_, parameters.session))
        # No id: the runtime copies the request's into the reply.
        return payloads.Result(sum_=sum(message.numbers))

    router = channels.Router()
    channels.register_compute(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/calc/s1") as ws:
            reply = await channels.request_compute(message=compute(rpc, "r-1", 1, 2, 3.5), ws=ws, timeout=TIMEOUT)
    assert type(reply) is payloads.Result
    assert (reply.id_, reply.sum_) == ("r-1", 6.5)
    assert seen == [("r-1", "s1")]


async def test_concurrent_requests_answered_out_of_order_get_their_own_replies(rpc: ModuleType) -> None:
    payloads, channels = rpc.payloads, rpc.channels
    pending: list[Any] = []
    answered: list[str] = []

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        pending.append(message)
        if len(pending) == 2:
            # A progress event first (not a reply: Progress declares no correlation id), then the
            # results in reverse order, sent through the reply operation's own server function.
            await channels.publish_to_computed(message=payloads.Progress(percent=50), ws=ws)
            for request in reversed(pending):
                answered.append(request.id_)
                result = payloads.Result(id_=request.id_, sum_=sum(request.numbers))
                await channels.publish_to_computed(message=result, ws=ws)

    router = channels.Router()
    channels.register_compute(router=router, on_message=on_message)
    events: list[Any] = []
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/calc/s2") as ws:
            sub = channels.subscribe_to_computed(ws=ws, on_data_callback=lambda **kw: events.append(kw["msg"]))
            first, second = await asyncio.gather(
                channels.request_compute(message=compute(rpc, "first", 1, 1), ws=ws, timeout=TIMEOUT),
                channels.request_compute(message=compute(rpc, "second", 10, 20), ws=ws, timeout=TIMEOUT),
            )
            sub.unsubscribe()
    assert answered == ["second", "first"]
    assert (first.id_, first.sum_) == ("first", 2)
    assert (second.id_, second.sum_) == ("second", 30)
    # The subscription saw the progress event; each result went to its request and nowhere else.
    assert events == [payloads.Progress(percent=50)]


async def test_no_reply_or_a_reply_with_another_id_times_out(rpc: ModuleType) -> None:
    payloads, channels = rpc.payloads, rpc.channels

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        if message.id_ == "silent":
            return None
        if message.id_ == "stray":
            return payloads.Result(id_="somebody-else", sum_=0)
        return payloads.Result(sum_=len(message.numbers))

    router = channels.Router()
    channels.register_compute(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/calc/s3") as ws:
            with pytest.raises(rpc.errors.ReplyTimeoutError):
                await channels.request_compute(message=compute(rpc, "silent", 1), ws=ws, timeout=0.2)
            with pytest.raises(TimeoutError):  # ReplyTimeoutError is a TimeoutError
                await channels.request_compute(message=compute(rpc, "stray", 1), ws=ws, timeout=0.2)
            reply = await channels.request_compute(message=compute(rpc, "after", 4, 5, 6), ws=ws, timeout=TIMEOUT)
    assert (reply.id_, reply.sum_) == ("after", 3)


async def test_an_invalid_request_is_refused_before_sending(rpc: ModuleType) -> None:
    channels = rpc.channels
    received: list[str] = []

    async def handler(ws: Any) -> None:
        received.extend([str(frame) async for frame in ws])

    async with serve(handler, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/calc/s4") as ws:
            with pytest.raises(rpc.errors.PayloadValidationError):
                await channels.request_compute(message=compute(rpc, ""), ws=ws, timeout=TIMEOUT)
    assert received == []


async def test_validation_chosen_per_request_and_a_subclass_of_the_request_class(rpc: ModuleType) -> None:
    """One operation's requests on one connection, with and without validation and of a subclass
    (a class the operation does not declare: checked against its own schema, matched without id)."""
    payloads, channels = rpc.payloads, rpc.channels
    seen: list[str] = []

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        seen.append(message.id_)
        return payloads.Result(sum_=len(message.numbers))

    class Urgent(payloads.Compute):
        __slots__ = ()

    router = channels.Router()
    channels.register_compute(router=router, on_message=on_message, skip_message_validation=True)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/calc/s6") as ws:
            unchecked = await channels.request_compute(
                message=compute(rpc, "", 1), ws=ws, timeout=TIMEOUT, skip_message_validation=True
            )
            with pytest.raises(rpc.errors.PayloadValidationError):
                await channels.request_compute(message=compute(rpc, "", 1), ws=ws, timeout=TIMEOUT)
            with pytest.raises(rpc.errors.PayloadValidationError):
                await channels.request_compute(message=Urgent(id_="", numbers=[1]), ws=ws, timeout=TIMEOUT)
            urgent = await channels.request_compute(message=Urgent(id_="u-1", numbers=[1, 2]), ws=ws, timeout=TIMEOUT)
            checked = await channels.request_compute(message=compute(rpc, "c-1", 1, 2, 3), ws=ws, timeout=TIMEOUT)
    assert (unchecked.id_, unchecked.sum_) == ("", 1)
    assert (urgent.id_, urgent.sum_) == ("u-1", 2)
    assert (checked.id_, checked.sum_) == ("c-1", 3)
    assert seen == ["", "u-1", "c-1"]


async def test_a_pair_correlated_by_a_header_is_matched_by_reply_type(rpc: ModuleType) -> None:
    payloads, channels = rpc.payloads, rpc.channels
    wire: list[Any] = []

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        return payloads.Status(healthy=True)

    router = channels.Router()
    channels.register_ask_status(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/status") as ws:
            reply = await channels.request_ask_status(message=payloads.StatusQuery(), ws=ws)
        # The frame on the wire is the payload alone: a WebSocket message has no header section.
        async with connect(f"ws://127.0.0.1:{port_of(server)}/status") as ws:
            await channels.publish_to_ask_status(message=payloads.StatusQuery(), ws=ws)
            wire.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))
    assert reply == payloads.Status(healthy=True)
    assert wire == [{"healthy": True}]
