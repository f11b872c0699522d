"""Hostile peers against the client and server runtime: no frame ends the reading, nothing is silent.

Real ``websockets`` servers and clients on 127.0.0.1 (port 0), and the chat package the runtime
tests share (tests/runtime_support.py).
"""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import pytest
from runtime_support import port_of
from vendored_runtime import runtime_module
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed, InvalidStatus

TIMEOUT = 10.0
TOO_DEEP = "[" * 100_000  # Python's JSON parser gives up with RecursionError
NOTICE = json.dumps({"type": "notice", "text": "still here"})


async def scripted_server(frames: list[str]) -> Any:
    """A server that sends ``frames`` to each client, then waits for it to go."""

    async def handler(ws: ServerConnection) -> None:
        for frame in frames:
            await ws.send(frame)
        await ws.wait_closed()

    return serve(handler, "127.0.0.1", 0)


async def next_of(queue: asyncio.Queue[Any]) -> Any:
    return await asyncio.wait_for(queue.get(), TIMEOUT)


async def test_a_frame_too_deep_to_parse_is_an_error_and_the_next_frame_arrives(chat: ModuleType) -> None:
    events: asyncio.Queue[Any] = asyncio.Queue()

    def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        events.put_nowait(err if err is not None else msg)

    async with (
        await scripted_server([TOO_DEEP, NOTICE]) as server,
        connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws,
    ):
        chat.channels.subscribe_to_receive_chat(ws=ws, on_data_callback=on_data)
        first = await next_of(events)
        assert isinstance(first, chat.errors.PayloadDecodeError)
        assert "nested too deeply" in str(first)
        second = await next_of(events)
        assert isinstance(second, chat.payloads.Notice) and second.text == "still here"


async def test_an_iterator_sees_the_bad_frame_as_an_error_and_goes_on(chat: ModuleType) -> None:
    async with (
        await scripted_server([TOO_DEEP, NOTICE]) as server,
        connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws,
    ):
        subscription = chat.channels.subscribe_to_receive_chat(ws=ws)
        with pytest.raises(chat.errors.PayloadDecodeError):
            await asyncio.wait_for(anext(subscription), TIMEOUT)
        message = await asyncio.wait_for(anext(subscription), TIMEOUT)
        assert message.text == "still here"


async def test_an_unexpected_failure_on_one_frame_does_not_end_the_reading(
    chat: ModuleType, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A fault injected into the frame hand-off stands for any bug or failure there.
    reader_class = chat._runtime.client.Reader
    handle = reader_class.handle
    failures = iter([RuntimeError("injected")])

    def failing_once(self: Any, raw: Any) -> Any:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return handle(self, raw)

    monkeypatch.setattr(reader_class, "handle", failing_once)
    events: asyncio.Queue[Any] = asyncio.Queue()
    second = NOTICE.replace("still here", "second")
    async with (
        await scripted_server([NOTICE, second]) as server,
        connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws,
    ):
        chat.channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: events.put_nowait(kw["msg"]))
        assert (await next_of(events)).text == "second"
    assert "a frame could not be handled; reading goes on" in caplog.text


async def test_subscribing_on_a_closed_connection_says_so(chat: ModuleType) -> None:
    async with await scripted_server([]) as server:
        ws = await connect(f"ws://127.0.0.1:{port_of(server)}/chat/u")
        await ws.close()
        errors: asyncio.Queue[Any] = asyncio.Queue()
        chat.channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: errors.put_nowait(kw["err"]))
        assert isinstance(await next_of(errors), ConnectionClosed)

        subscription = chat.channels.subscribe_to_receive_chat(ws=ws)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(anext(subscription), TIMEOUT)
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(anext(subscription), TIMEOUT)


async def test_nan_is_refused_on_the_wire_both_ways(chat: ModuleType) -> None:
    received: list[str] = []

    async def handler(ws: ServerConnection) -> None:
        await ws.send('{"type":"notice","text":NaN}')
        await ws.send(NOTICE)
        async for frame in ws:
            received.append(str(frame))

    events: asyncio.Queue[Any] = asyncio.Queue()
    async with serve(handler, "127.0.0.1", 0) as server, connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
        chat.channels.subscribe_to_receive_chat(
            ws=ws, on_data_callback=lambda **kw: events.put_nowait(kw["err"] or kw["msg"])
        )
        refused = await next_of(events)
        assert isinstance(refused, chat.errors.PayloadDecodeError) and "NaN is not JSON" in str(refused)
        assert (await next_of(events)).text == "still here"
        ping = chat.payloads.Ping(reqid=1, delay=float("nan"))
        for validate in (True, False):
            with pytest.raises(chat.errors.PayloadError):
                await chat.channels.publish_to_ping(message=ping, ws=ws, skip_message_validation=not validate)
    assert received == []


async def test_a_frame_too_deep_to_parse_reaches_the_servers_on_error(chat: ModuleType) -> None:
    errors: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router, on_error=lambda *, error, ws, parameters: errors.append(error), on_message=lambda **kw: None
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
            await ws.send(TOO_DEEP)
            await ws.send(json.dumps({"type": "say", "seq": 1, "text": "x"}))
            for _ in range(int(TIMEOUT / 0.01)):
                if errors:
                    break
                await asyncio.sleep(0.01)
        assert len(errors) == 1 and isinstance(errors[0], chat.errors.PayloadDecodeError)


async def test_an_iterator_nobody_reads_holds_bounded_messages_and_holds_the_peer_back(chat: ModuleType) -> None:
    total, sent = 2_000, [0]
    big = json.dumps({"type": "notice", "text": "x" * 20_000})

    async def flood(ws: ServerConnection) -> None:
        for _ in range(total):
            await ws.send(big)
            sent[0] += 1
        await ws.wait_closed()

    # No compression: the flood must take room on the wire for flow control to show.
    async with (
        serve(flood, "127.0.0.1", 0, compression=None) as server,
        connect(f"ws://127.0.0.1:{port_of(server)}/chat/u", compression=None) as ws,
    ):
        subscription = chat.channels.subscribe_to_receive_chat(ws=ws)
        subscription.max_queued = 50
        await asyncio.sleep(0.5)  # the flood goes on while nobody reads
        assert subscription._queue.qsize() <= 50
        assert sent[0] < total // 2, f"the server sent {sent[0]} frames to a client that reads nothing"
        for _ in range(total):  # reading resumes the flow; nothing was dropped
            message = await asyncio.wait_for(anext(subscription), TIMEOUT)
            assert len(message.text) == 20_000
        assert sent[0] == total


@pytest.mark.parametrize("text", ["1_000", " 5", "5 ", "\u0665", "nan", "1e3", "+5", "9" * 5000])
def test_handshake_numbers_are_read_as_strictly_as_path_parameters(chat: ModuleType, text: str) -> None:
    with pytest.raises(chat.errors.ParameterError):
        chat.servers.ChatQuery.from_strings({"limit": text})
    assert chat.servers.ChatQuery.from_strings({"limit": "-12"}).limit == -12


async def test_a_loose_handshake_number_is_refused_with_400(chat: ModuleType) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=lambda **kw: None)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u?limit=1_000"):
                pass
        assert caught.value.response.status_code == 400


def test_an_integer_path_parameter_too_long_to_read_is_a_parameter_error() -> None:
    paths = runtime_module("paths")
    errors = runtime_module("errors")
    with pytest.raises(errors.ParameterError, match="too long an integer"):
        paths.parse_integer("id", "9" * 5000)
    assert paths.parse_integer("id", "9" * 4000) == int("9" * 4000)


@pytest.mark.parametrize(
    ("strings", "fault"),
    [
        ({"limit": "51"}, "<= 50"),
        ({"limit": "-51"}, ">= -50"),
        ({"topic": "general\n"}, "does not match the pattern"),
        ({"topic": "Général"}, "does not match the pattern"),
        ({"topic": "a" * 21}, "at most 20 characters"),
    ],
)
def test_handshake_fields_keep_their_schemas_bounds_pattern_and_lengths(
    chat: ModuleType, strings: dict[str, str], fault: str
) -> None:
    query_class = chat.servers.ChatQuery
    with pytest.raises(chat.errors.ParameterError, match=fault):
        query_class.from_strings(strings)
    typed = {key: int(value) if key == "limit" else value for key, value in strings.items()}
    with pytest.raises(chat.errors.ParameterError, match=fault):
        query_class(**typed)  # the client cannot build what the server would refuse
    assert query_class.from_strings({"limit": "50", "topic": "a" * 20}).topic == "a" * 20


@pytest.mark.parametrize("query", ["limit=500", "topic=general%0A", "topic=UPPER"])
async def test_a_handshake_field_out_of_its_schema_is_refused_with_400(chat: ModuleType, query: str) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=lambda **kw: None)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u?{query}"):
                pass
        assert caught.value.response.status_code == 400
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u?limit=50&topic=ok-1") as ws:
            await ws.send(json.dumps({"type": "say", "seq": 1, "text": "x"}))


def test_a_close_reason_is_cut_to_123_bytes_at_a_character_boundary() -> None:
    close_reason = runtime_module("server").close_reason
    for text in ("é" * 200, "x" * 122 + "€€", "🙂" * 40, "a" * 500):
        reason = close_reason(ValueError(text))
        assert len(reason.encode("utf-8")) <= 123
        assert reason.endswith("\u2026") and text.startswith(reason[:-1])
    assert close_reason(ValueError("short é")) == "short é"
    assert close_reason(ValueError("x" * 123)) == "x" * 123
    assert close_reason(ValueError("lone \ud800")) == "lone ?"  # sendable, whatever the error quotes


async def test_a_long_non_ascii_error_still_closes_with_1007(chat: ModuleType) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=lambda **kw: None)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
            await ws.send(json.dumps({"type": "say", "seq": "ü" * 300, "text": "x"}, ensure_ascii=False))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    assert len(closed.value.rcvd.reason.encode("utf-8")) <= 123


LONE = '{"type": "notice", "text": "\\ud800"}'


async def test_a_lone_surrogate_from_the_server_is_a_bad_frame_and_the_next_frame_arrives(chat: ModuleType) -> None:
    events: asyncio.Queue[Any] = asyncio.Queue()

    def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        events.put_nowait(err if err is not None else msg)

    async with (
        await scripted_server([LONE, NOTICE]) as server,
        connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws,
    ):
        chat.channels.subscribe_to_receive_chat(ws=ws, on_data_callback=on_data)
        first = await next_of(events)
        assert isinstance(first, chat.errors.PayloadDecodeError) and "surrogate" in str(first)
        second = await next_of(events)
        assert isinstance(second, chat.payloads.Notice) and second.text == "still here"


async def test_a_lone_surrogate_from_a_client_reaches_on_error_and_the_connection_goes_on(chat: ModuleType) -> None:
    errors: list[Any] = []
    said: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router,
        on_error=lambda *, error, ws, parameters: errors.append(error),
        on_message=lambda *, message, ws, parameters: said.append(message.text),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
            await ws.send('{"type": "say", "seq": 1, "text": "\\udc00"}')
            await ws.send('{"type": "say", "seq": 2, "text": "\\ud83d\\ude00"}')  # a pair is one character
            for _ in range(int(TIMEOUT / 0.01)):
                if said:
                    break
                await asyncio.sleep(0.01)
    assert len(errors) == 1 and isinstance(errors[0], chat.errors.PayloadDecodeError)
    assert said == ["\U0001f600"]


async def test_parameters_that_contradict_the_connection_are_refused_on_every_publish(chat: ModuleType) -> None:
    # The check is remembered per connection after it passes; a contradiction must never be.
    async def sink(ws: ServerConnection) -> None:
        async for _ in ws:
            pass

    params = chat.parameters.ChatParameters
    say = chat.payloads.Say.unmarshal('{"type": "say", "seq": 1, "text": "x"}')
    async with serve(sink, "127.0.0.1", 0) as server:
        base = f"ws://127.0.0.1:{port_of(server)}/"
        ada, bob = params(user_id="ada é"), params(user_id="bob")
        async with connect(base + ada.get_channel_with_parameters()) as first:
            async with connect(base + bob.get_channel_with_parameters()) as second:
                for _ in range(3):
                    await chat.channels.publish_to_send_say(message=say, ws=first, parameters=ada)
                    await chat.channels.publish_to_send_say(message=say, ws=first, parameters=params(user_id="ada é"))
                    await chat.channels.publish_to_send_say(message=say, ws=second, parameters=bob)
                    for ws, wrong in ((first, bob), (second, ada), (first, params(user_id="ada"))):
                        with pytest.raises(chat.errors.ParameterError, match="is not channel"):
                            await chat.channels.publish_to_send_say(message=say, ws=ws, parameters=wrong)
