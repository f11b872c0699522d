"""The blocking client (``<package>.sync``) against the generated asynchronous server.

The server runs in its own thread and event loop (under ``websockets.serve`` and as
``router.asgi()`` under uvicorn); the test itself is plain blocking code, as a script would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from asgi_support import serving
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

TIMEOUT = 15.0


@contextlib.contextmanager
def server_thread(router: Any, how: str = "websockets") -> Iterator[str]:
    """Serve ``router`` in a thread with its own event loop; yield the base URL."""
    ready: list[str] = []
    started = threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        async with serving(router, how) as base:
            ready.append(base)
            started.set()
            await stop.wait()

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as exc:
            failure.append(exc)
            started.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(TIMEOUT) and not failure, failure
    try:
        yield ready[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(TIMEOUT)
        loop.close()


def say(chat: ModuleType, seq: int, text: str = "hi") -> Any:
    return chat.payloads.Say(seq=seq, text=text)


@pytest.mark.parametrize("how", ["websockets", "uvicorn"])
def test_publish_a_thousand_messages_in_order_with_parameters(chat: ModuleType, how: str) -> None:
    seen: list[tuple[int, str]] = []
    ended = threading.Event()
    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router,
        on_message=lambda **kw: seen.append((kw["message"].seq, kw["parameters"].user_id)),
        on_disconnect=lambda **kw: ended.set(),
    )
    params = chat.parameters.ChatParameters(user_id="ann é")
    with server_thread(router, how) as base:
        with connect(f"{base}/{params.get_channel_with_parameters()}") as ws:
            for seq in range(1000):
                chat.sync.publish_to_send_say(message=say(chat, seq), ws=ws, parameters=params)
            with pytest.raises(chat.errors.PayloadValidationError) as invalid:
                chat.sync.publish_to_send_say(message=say(chat, -1), ws=ws)
            other = chat.parameters.ChatParameters(user_id="bob")
            with pytest.raises(chat.errors.ParameterError):
                chat.sync.publish_to_send_say(message=say(chat, 1000), ws=ws, parameters=other)
        assert ended.wait(TIMEOUT)
    assert invalid.value.path == "$.seq"
    assert seen == [(seq, "ann é") for seq in range(1000)]


def test_requests_get_their_replies_and_time_out(chat: ModuleType) -> None:
    payloads = chat.payloads

    async def on_ping(*, message: Any, ws: Any, parameters: Any) -> Any:
        # A frame of another type first: the request reads past it to its own reply.
        await chat.channels.publish_to_receive_chat(message=payloads.Notice(text="x"), ws=ws)
        if message.delay:
            return None  # no reply: the client's timeout decides
        return payloads.Pong()

    router = chat.channels.Router()
    chat.channels.register_ping(router=router, on_message=on_ping)
    chat.channels.register_ask(router=router, on_message=lambda **kw: payloads.Answer(a=kw["message"].q[::-1]))
    with server_thread(router) as base:
        with connect(f"{base}/chat/u1") as ws:
            pongs = [chat.sync.request_ping(message=payloads.Ping(reqid=i), ws=ws, timeout=TIMEOUT) for i in range(50)]
            with pytest.raises(chat.errors.ReplyTimeoutError) as late:
                chat.sync.request_ping(message=payloads.Ping(reqid=99, delay=1.0), ws=ws, timeout=0.3)
            with pytest.raises(chat.errors.PayloadValidationError):
                chat.sync.request_ping(message=payloads.Ping(reqid="1"), ws=ws)
        with connect(f"{base}/echo") as ws:
            answer = chat.sync.request_ask(message=payloads.Question(q="abc"), ws=ws, timeout=TIMEOUT)
    # The reply carries the request's correlation id, copied in by the server.
    assert [pong.reqid for pong in pongs] == list(range(50))
    assert isinstance(late.value, TimeoutError)
    assert answer == payloads.Answer(a="cba")


def test_subscribe_iterates_typed_messages_reports_bad_frames_and_ends_on_close(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels

    async def on_connection(*, ws: Any, **_: Any) -> None:
        await channels.publish_to_receive_chat(message=payloads.Notice(text="one"), ws=ws)
        await ws.send('{"type": "pong"}')  # another operation's message: skipped
        await channels.publish_to_receive_chat(message=say(chat, 2), ws=ws)
        await ws.send("{not json")
        await ws.send('{"type": "say", "seq": -1, "text": "x"}')
        await channels.publish_to_receive_chat(message=payloads.Notice(text="three"), ws=ws)
        await ws.close()

    router = channels.Router()
    channels.register_receive_chat(router=router, on_connection=on_connection)
    got: list[Any] = []
    errors: list[Exception] = []
    with server_thread(router) as base:
        with connect(f"{base}/chat/u1") as ws:
            messages = chat.sync.subscribe_to_receive_chat(ws=ws, timeout=TIMEOUT)
            while True:
                try:
                    got.append(next(messages))
                except StopIteration:
                    break
                except chat.errors.PayloadError as exc:
                    errors.append(exc)
    notice = payloads.Notice
    assert got == [notice(text="one"), say(chat, 2), notice(text="three")]
    assert [type(e).__name__ for e in errors] == ["PayloadDecodeError", "PayloadValidationError"]


def test_subscribe_times_out_and_an_abnormal_close_raises(chat: ModuleType) -> None:
    channels = chat.channels

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        raise RuntimeError("handler bug")  # closes the connection with 1011

    router = channels.Router()
    channels.register_receive_chunk(router=router)
    channels.register_send_chunk(router=router, on_message=on_message)
    with server_thread(router) as base:
        with connect(f"{base}/blob") as ws:
            messages = chat.sync.subscribe_to_receive_chunk(ws=ws, timeout=0.2)
            with pytest.raises(TimeoutError):
                next(messages)
            chat.sync.publish_to_send_chunk(message=chat.payloads.Chunk(value=b"x"), ws=ws)
            with pytest.raises(ConnectionClosedError) as closed:
                list(chat.sync.subscribe_to_receive_chunk(ws=ws, timeout=TIMEOUT))
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
