"""Random frames against the client and the server runtime: only documented outcomes, and no hang.

Each example is one frame, random JSON, random text or random bytes, sent over a real loopback
connection that lives for the whole test, followed by a valid sentinel message. What may happen
to the frame (docs/runtime.md, "Robustness and close codes" and "Hostile frames on the client"):

- server: a frame that is a valid ``say`` reaches ``on_message``; anything else reaches
  ``on_error`` (the connection stays open because there is an ``on_error``); exactly one of them;
- client: a frame that is a valid ``notice`` or ``say`` reaches the subscription as a message, a
  frame that is not JSON as a ``PayloadDecodeError``; other JSON is an error or is for someone
  else; at most one outcome, and the reader goes on.

The sentinel arriving proves the reading survived the frame. The examples are bounded (about 150
per side) so the file takes well under a minute.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Coroutine, Iterator
from types import ModuleType
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_support import port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.sync.client import connect as sync_connect

T = TypeVar("T")
TIMEOUT = 10.0
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Frames close to the messages: the right tags with random fields, so validation is exercised.
near_messages = st.fixed_dictionaries(
    {"type": st.sampled_from(["say", "notice", "ping", "other"])},
    optional={"seq": json_values, "text": json_values, "extra": json_values},
)
frames = st.one_of(
    json_values.map(json.dumps),
    near_messages.map(json.dumps),
    st.text(max_size=64),
    st.binary(max_size=64),
    st.sampled_from(["[" * 5000, '{"type": "say", "seq": 1, "text": "\\ud800"}', "NaN", '{"a": 1e999}']),
)


class LoopThread:
    """An event loop in a thread, so Hypothesis (sync) can drive real asyncio peers."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(TIMEOUT)
        self.loop.close()


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {TIMEOUT} s: the reading stopped")
        time.sleep(0.001)


def valid_say(chat: ModuleType, frame: str | bytes) -> bool:
    try:
        message = chat.payloads.Say.unmarshal(frame)
    except chat.errors.AsyncAPIError:
        return False
    return isinstance(message, chat.payloads.Say)


def test_the_server_answers_every_frame_with_one_documented_outcome(chat: ModuleType, loop_thread: LoopThread) -> None:
    messages: list[Any] = []
    errors: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router,
        on_message=lambda *, message, ws, parameters: messages.append(message),
        on_error=lambda *, error, ws, parameters: errors.append(error),
    )

    async def start() -> Any:
        return await serve(router, "127.0.0.1", 0, process_request=router.process_request)

    server = loop_thread.run(start())
    counter = iter(range(10**9))
    try:
        with sync_connect(f"ws://127.0.0.1:{port_of(server)}/chat/u", max_size=None) as ws:

            @EXAMPLES
            @given(frame=frames)
            def one_frame(frame: str | bytes) -> None:
                before_messages, before_errors = len(messages), len(errors)
                sentinel = f"sentinel-{next(counter)}"
                ws.send(frame)
                ws.send(json.dumps({"type": "say", "seq": 0, "text": sentinel}))
                wait_for(lambda: any(m.text == sentinel for m in messages[before_messages:]), "sentinel")
                got_messages = len(messages) - before_messages - 1
                got_errors = len(errors) - before_errors
                assert got_messages + got_errors == 1, (frame, got_messages, got_errors)
                assert got_messages == (1 if valid_say(chat, frame) else 0), frame
                assert all(isinstance(e, chat.errors.PayloadError) for e in errors[before_errors:])

            one_frame()
    finally:
        server.close()
        loop_thread.run(server.wait_closed())


def test_the_client_reader_survives_every_frame_with_at_most_one_documented_outcome(
    chat: ModuleType, loop_thread: LoopThread
) -> None:
    events: list[Any] = []

    async def start() -> tuple[Any, Any, asyncio.Queue[str | bytes | None]]:
        outbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()

        async def relay(ws: ServerConnection) -> None:
            while (frame := await outbox.get()) is not None:  # None: the test is over
                await ws.send(frame)

        server = await serve(relay, "127.0.0.1", 0, max_size=None)
        client = await connect(f"ws://127.0.0.1:{port_of(server)}/chat/u", max_size=None)

        def on_data(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
            events.append(err if err is not None else msg)

        chat.channels.subscribe_to_receive_chat(ws=client, on_data_callback=on_data)
        return server, client, outbox

    server, client, outbox = loop_thread.run(start())
    counter = iter(range(10**9))
    try:

        @EXAMPLES
        @given(frame=frames)
        def one_frame(frame: str | bytes) -> None:
            before = len(events)
            sentinel = f"sentinel-{next(counter)}"
            loop_thread.loop.call_soon_threadsafe(outbox.put_nowait, frame)
            notice = json.dumps({"type": "notice", "text": sentinel})
            loop_thread.loop.call_soon_threadsafe(outbox.put_nowait, notice)
            wait_for(lambda: any(getattr(e, "text", None) == sentinel for e in events[before:]), "sentinel")
            outcomes = events[before:-1]
            assert len(outcomes) <= 1, (frame, outcomes)
            if isinstance(frame, str) and not _is_json(frame):
                assert len(outcomes) == 1 and isinstance(outcomes[0], chat.errors.PayloadDecodeError), frame
            for outcome in outcomes:
                assert isinstance(outcome, (chat.payloads.Notice, chat.payloads.Say, chat.errors.PayloadError))

        one_frame()
    finally:
        loop_thread.loop.call_soon_threadsafe(outbox.put_nowait, None)
        loop_thread.run(client.close())
        server.close()
        loop_thread.run(server.wait_closed())


def _is_json(text: str) -> bool:
    try:
        json.loads(text, parse_constant=_refuse)
    except (ValueError, RecursionError):
        return False
    try:
        json.dumps(json.loads(text), allow_nan=False).encode("utf-8")  # no inf, no lone surrogate
    except (ValueError, UnicodeEncodeError):
        return False
    return True


def _refuse(name: str) -> Any:
    raise ValueError(name)
