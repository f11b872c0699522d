"""The channel runtime over real sockets: load, abuse, routing, multiplexing, request/reply.

A small chat spec (tests/runtime_support.py) is generated once and imported in-process; every test
runs a real ``websockets`` server on 127.0.0.1, port 0, and real clients.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from types import ModuleType
from typing import Any

import pytest
from runtime_support import port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed, ConnectionClosedError, InvalidStatus

TIMEOUT = 10.0


async def wait_for(predicate: Any, what: str) -> None:
    """Poll until ``predicate()`` holds (bounded, so a broken runtime fails instead of hanging)."""
    for _ in range(int(TIMEOUT / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def say(chat: ModuleType, seq: int, text: str = "hi") -> Any:
    return chat.payloads.Say(seq=seq, text=text)


async def test_fifty_clients_two_hundred_messages_each_in_order(chat: ModuleType) -> None:
    received: dict[str, list[int]] = {}
    closed: set[str] = set()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        received[parameters.user_id] = []

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        received[parameters.user_id].append(message.seq)

    def on_disconnect(*, parameters: Any, ws: Any) -> None:
        closed.add(parameters.user_id)

    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router, on_connection=on_connection, on_message=on_message, on_disconnect=on_disconnect
    )

    async def client(port: int, index: int) -> None:
        params = chat.parameters.ChatParameters(user_id=f"user {index}")
        async with connect(f"ws://127.0.0.1:{port}/{params.get_channel_with_parameters()}") as ws:
            for seq in range(200):
                await chat.channels.publish_to_send_say(message=say(chat, seq), ws=ws, parameters=params)

    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        await asyncio.gather(*(client(port_of(server), i) for i in range(50)))
        await wait_for(lambda: len(closed) == 50, "50 disconnects")
    assert sorted(received) == sorted(f"user {i}" for i in range(50))
    for user, seqs in received.items():
        assert seqs == list(range(200)), user


async def test_bad_frames_are_reported_and_the_connection_lives_on(chat: ModuleType) -> None:
    errors: list[Any] = []
    messages: list[Any] = []

    def on_error(*, error: Any, ws: Any, parameters: Any) -> None:
        errors.append(error)

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        messages.append(message)

    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=on_message, on_error=on_error)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            await ws.send("{not json")
            await ws.send('{"type": "say", "seq": -5, "text": "x"}')  # breaks minimum
            await ws.send(b"\x00\xff binary junk")
            await ws.send('{"type": "notice", "text": "not received by the server"}')
            await ws.send(say(chat, 1).marshal())
            await wait_for(lambda: messages, "the valid message")
    assert messages == [say(chat, 1)]
    errors_ = chat.errors
    assert isinstance(errors[0], errors_.PayloadDecodeError)
    assert isinstance(errors[1], errors_.PayloadValidationError) and errors[1].path == "$.seq"
    assert isinstance(errors[2], errors_.PayloadDecodeError)
    assert isinstance(errors[3], errors_.UnexpectedMessageError)


async def test_bad_frame_without_on_error_closes_only_that_connection_with_1007(chat: ModuleType) -> None:
    messages: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=lambda **kw: messages.append(kw["message"]))
    async with serve(router, "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{port_of(server)}/chat/u1"
        async with connect(url) as bystander, connect(url) as offender:
            await offender.send("not json")
            with pytest.raises(ConnectionClosedError) as caught:
                await asyncio.wait_for(offender.recv(), TIMEOUT)
            assert caught.value.rcvd is not None and caught.value.rcvd.code == 1007
            await chat.channels.publish_to_send_say(message=say(chat, 7), ws=bystander)
            await wait_for(lambda: messages, "the bystander's message")
    assert messages == [say(chat, 7)]


async def test_raising_handler_and_tcp_reset_leave_the_server_serving(chat: ModuleType) -> None:
    seen: list[int] = []

    def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        if message.text == "boom":
            raise RuntimeError("handler bug")
        seen.append(message.seq)

    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{port_of(server)}/chat/u1"
        async with connect(url) as bystander:
            async with connect(url) as victim:
                await chat.channels.publish_to_send_say(message=say(chat, 0, "boom"), ws=victim)
                with pytest.raises(ConnectionClosedError) as caught:
                    await asyncio.wait_for(victim.recv(), TIMEOUT)
                assert caught.value.rcvd is not None and caught.value.rcvd.code == 1011
            # An abrupt disconnect: RST instead of a closing handshake.
            rude = await connect(url)
            sock = rude.transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            rude.transport.abort()
            await chat.channels.publish_to_send_say(message=say(chat, 1), ws=bystander)
            await wait_for(lambda: seen == [1], "the bystander's message")
        async with connect(url) as fresh:
            await chat.channels.publish_to_send_say(message=say(chat, 2), ws=fresh)
            await wait_for(lambda: seen == [1, 2], "the fresh client's message")


async def test_invalid_outbound_message_is_refused_before_sending(chat: ModuleType) -> None:
    frames: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_message=lambda **kw: frames.append(kw["message"]))
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            with pytest.raises(chat.errors.PayloadValidationError):
                await chat.channels.publish_to_send_say(message=say(chat, -1), ws=ws)
            await chat.channels.publish_to_send_say(message=say(chat, 3), ws=ws)
            await wait_for(lambda: frames, "the valid message")
    assert frames == [say(chat, 3)]


async def test_two_message_types_on_one_receive_operation_arrive_typed(chat: ModuleType) -> None:
    payloads = chat.payloads

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await chat.channels.publish_to_receive_chat(message=payloads.Notice(text="n"), ws=ws)
        await chat.channels.publish_to_receive_chat(message=say(chat, 4), ws=ws)

    router = chat.channels.Router()
    chat.channels.register_receive_chat(router=router, on_connection=on_connection)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            sub = chat.channels.subscribe_to_receive_chat(ws=ws)
            first = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            second = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
    assert type(first) is payloads.Notice and first.text == "n"
    assert type(second) is payloads.Say and second == say(chat, 4)


async def test_multiplexed_subscriptions_each_get_their_own_messages(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        for i in range(20):
            await channels.publish_to_join(message=payloads.Join(who=f"j{i}"), ws=ws)
            await channels.publish_to_leave(message=payloads.Leave(who=f"l{i}"), ws=ws)

    router = channels.Router()
    channels.register_join(router=router, on_connection=on_connection)
    channels.register_leave(router=router)
    joins: list[Any] = []
    leaves: list[Any] = []
    errors: list[Any] = []

    def on_join(*, err: Any, msg: Any, parameters: Any, ws: Any) -> None:
        (errors if err else joins).append(err or msg)

    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/") as ws:
            join_sub = channels.subscribe_to_join(ws=ws, on_data_callback=on_join)
            leave_sub = channels.subscribe_to_leave(ws=ws)
            async for msg in leave_sub:
                leaves.append(msg)
                if len(leaves) == 20:
                    break
            await wait_for(lambda: len(joins) == 20, "20 joins")
            leave_sub.unsubscribe()
            join_sub.unsubscribe()
            assert not join_sub.active and not leave_sub.active
    assert errors == []
    assert [type(m) for m in joins] == [payloads.Join] * 20
    assert [m.who for m in joins] == [f"j{i}" for i in range(20)]
    assert [m.who for m in leaves] == [f"l{i}" for i in range(20)]


async def test_several_channels_on_one_address_dispatch_by_message_type(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels
    got: list[tuple[str, Any]] = []
    router = channels.Router()
    channels.register_send_join(router=router, on_message=lambda **kw: got.append(("join", kw["message"])))
    channels.register_send_leave(router=router, on_message=lambda **kw: got.append(("leave", kw["message"])))
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}") as ws:
            await channels.publish_to_send_leave(message=payloads.Leave(who="a"), ws=ws)
            await channels.publish_to_send_join(message=payloads.Join(who="b"), ws=ws)
            await wait_for(lambda: len(got) == 2, "two messages")
    assert got == [("leave", payloads.Leave(who="a")), ("join", payloads.Join(who="b"))]


async def test_abnormal_close_is_reported_to_subscribers(chat: ModuleType) -> None:
    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await ws.close(1011, "gone")

    router = chat.channels.Router()
    chat.channels.register_receive_chat(router=router, on_connection=on_connection)
    got: list[Any] = []
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            sub = chat.channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: got.append(kw["err"]))
            await wait_for(lambda: got, "the close report")
            await wait_for(lambda: not sub.active, "the subscription to end")
    assert isinstance(got[0], ConnectionClosedError) and got[0].rcvd.code == 1011


async def test_request_reply_correlates_concurrent_requests(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        await asyncio.sleep(message.delay or 0)
        return payloads.Pong()  # no reqid: the runtime copies the request's

    router = channels.Router()
    channels.register_ping(router=router, on_message=on_message)
    # The single-receiver fast path awaits each handler in turn; one connection per request
    # shows ordering, a shared connection shows correlation.
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            replies = await asyncio.gather(
                *(
                    channels.request_ping(message=payloads.Ping(reqid=i, delay=0.001 * (5 - i)), ws=ws, timeout=TIMEOUT)
                    for i in range(5)
                )
            )
    assert [type(r) for r in replies] == [payloads.Pong] * 5
    assert [r.reqid for r in replies] == [0, 1, 2, 3, 4]


async def test_request_reply_correlates_out_of_order_replies(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels
    pending: list[tuple[Any, Any]] = []

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        pending.append((message, ws))
        if len(pending) == 3:  # answer in reverse order
            for request, conn in reversed(pending):
                await conn.send(json.dumps({"type": "pong", "reqid": request.reqid}))

    router = channels.Router()
    channels.register_ping(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            replies = await asyncio.gather(
                *(channels.request_ping(message=payloads.Ping(reqid=10 + i), ws=ws, timeout=TIMEOUT) for i in range(3))
            )
    assert [r.reqid for r in replies] == [10, 11, 12]


async def test_request_matched_by_type_and_timeout(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        return None if message.q == "silence" else payloads.Answer(a=message.q.upper())

    router = channels.Router()
    channels.register_ask(router=router, on_message=on_message)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/echo") as ws:
            reply = await channels.request_ask(message=payloads.Question(q="hello"), ws=ws, timeout=TIMEOUT)
            assert reply == payloads.Answer(a="HELLO")
            with pytest.raises(chat.errors.ReplyTimeoutError):
                await channels.request_ask(message=payloads.Question(q="silence"), ws=ws, timeout=0.2)
            with pytest.raises(TimeoutError):  # ReplyTimeoutError is a TimeoutError
                await channels.request_ask(message=payloads.Question(q="silence"), ws=ws, timeout=0.05)
            reply = await channels.request_ask(message=payloads.Question(q="again"), ws=ws, timeout=TIMEOUT)
            assert reply == payloads.Answer(a="AGAIN")


async def test_handshake_refusals_happen_before_any_callback(chat: ModuleType) -> None:
    channels = chat.channels
    connected: list[Any] = []
    router = channels.Router()
    channels.register_send_say(router=router, on_connection=lambda **kw: connected.append(kw))
    channels.register_say_in_room(router=router, on_connection=lambda **kw: connected.append(kw))
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        base = f"ws://127.0.0.1:{port_of(server)}"
        for path, status in [
            ("/nowhere", 404),
            ("/rooms/secret", 400),  # enum parameter
            ("/chat/u1?limit=many", 400),  # integer query parameter
            ("/chat/", 404),
        ]:
            with pytest.raises(InvalidStatus) as caught:
                async with connect(base + path):
                    pass
            assert caught.value.response.status_code == status, path
        with pytest.raises(InvalidStatus) as caught:
            async with connect(base + "/chat/u1", additional_headers={"X-Client": "tv"}):
                pass
        assert caught.value.response.status_code == 400
    assert connected == []


async def test_query_and_headers_reach_callbacks_typed(chat: ModuleType) -> None:
    channels, servers, headers = chat.channels, chat.servers, chat.headers
    seen: dict[str, Any] = {}

    def on_connection(*, parameters: Any, ws: Any, request: Any, query: Any = None, headers: Any = None) -> None:
        seen.update(parameters=parameters, query=query, headers=headers)

    router = channels.Router()
    channels.register_send_say(router=router, on_connection=on_connection)
    params = chat.parameters.ChatParameters(user_id="a b/ü")
    query = servers.ChatQuery(limit=5, verbose=True)
    sent_headers = headers.ChatHeaders(x_client="cli")
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        url = servers.channel_url(f"ws://127.0.0.1:{port_of(server)}", parameters=params, query=query)
        async with connect(url, additional_headers=sent_headers.additional_headers()) as ws:
            await wait_for(lambda: seen, "on_connection")
            assert servers.ChatQuery.from_request(ws.request) == query
    assert seen == {"parameters": params, "query": query, "headers": sent_headers}


def test_server_urls(chat: ModuleType) -> None:
    servers = chat.servers
    params = chat.parameters.ChatParameters(user_id="a b")
    url = servers.server_url("production", parameters=params, query=servers.ChatQuery(limit=3))
    assert url == "wss://chat.example.com/ws/eu/chat/a%20b?limit=3"
    assert servers.server_url("production", channel="echo", variables={"region": "us"}) == (
        "wss://chat.example.com/ws/us/echo"
    )
    assert servers.server_url("local", channel=chat.channels.ECHO_ADDRESS) == "ws://localhost:8080/echo"
    with pytest.raises(chat.errors.ParameterError):
        servers.server_url("production", variables={"region": "mars"})
    with pytest.raises(chat.errors.ParameterError):
        servers.server_url("staging")


async def test_binary_messages_travel_as_bytes_frames(chat: ModuleType) -> None:
    payloads, channels = chat.payloads, chat.channels
    got: list[Any] = []
    blob = bytes(range(256))

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        got.append(message)
        await channels.publish_to_receive_chunk(message=payloads.Chunk(value=message.value[::-1]), ws=ws)

    router = channels.Router()
    channels.register_send_chunk(router=router, on_message=on_message)
    channels.register_receive_chunk(router=router)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/blob") as ws:
            sub = channels.subscribe_to_receive_chunk(ws=ws)
            await channels.publish_to_send_chunk(message=payloads.Chunk(value=blob), ws=ws)
            back = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
    assert got == [payloads.Chunk(value=blob)]
    assert type(back) is payloads.Chunk and back.value == blob[::-1]


async def test_unsubscribe_stops_delivery_and_the_shared_reader(chat: ModuleType) -> None:
    channels, payloads = chat.channels, chat.payloads
    server_ws: list[Any] = []
    router = channels.Router()
    channels.register_receive_chat(router=router, on_connection=lambda **kw: server_ws.append(kw["ws"]))
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            first: list[Any] = []
            second: list[Any] = []
            sub1 = channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: first.append(kw["msg"]))
            sub2 = channels.subscribe_to_receive_chat(ws=ws, on_data_callback=lambda **kw: second.append(kw["msg"]))
            await wait_for(lambda: server_ws, "the connection")
            note = payloads.Notice(text="1")
            await channels.publish_to_receive_chat(message=note, ws=server_ws[0])
            await wait_for(lambda: first and second, "both subscriptions")
            sub1.unsubscribe()
            sub1.unsubscribe()  # idempotent
            await channels.publish_to_receive_chat(message=say(chat, 2), ws=server_ws[0])
            await wait_for(lambda: len(second) == 2, "the remaining subscription")
            sub2.unsubscribe()
            # With no subscription left, the connection is free for a plain recv() again.
            await channels.publish_to_receive_chat(message=note, ws=server_ws[0])
            assert json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)) == note.to_json_data()
    assert first == [note]
    assert second == [note, say(chat, 2)]


async def test_publish_on_a_closed_connection_raises(chat: ModuleType) -> None:
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u1") as ws:
            await ws.close()
            with pytest.raises(ConnectionClosed):
                await chat.channels.publish_to_send_say(message=say(chat, 1), ws=ws)
