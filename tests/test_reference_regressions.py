"""The reference generator's WebSocket bugs (codegen-project.md section 1.6), one test each.

Each test states the reference behaviour it guards against and checks ours over real sockets
where the bug lived on the wire.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest
from runtime_support import port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidStatus

TIMEOUT = 10.0


async def connected_parameters(chat: ModuleType, path: str) -> Any:
    """The parameters the server's ``on_connection`` sees for a client opening ``path``."""
    seen: asyncio.Queue[Any] = asyncio.Queue()
    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_connection=lambda **kw: seen.put_nowait(kw["parameters"]))
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}{path}"):
            return await asyncio.wait_for(seen.get(), TIMEOUT)


async def test_1_query_string_does_not_leak_into_the_last_parameter(chat: ModuleType) -> None:
    # Reference: "/user/signedup/test/asyncapi?token=abc" gave the last parameter "asyncapi?token=abc".
    params = await connected_parameters(chat, "/chat/alice?token=abc&x=1")
    assert params.user_id == "alice"
    assert chat.parameters.ChatParameters.create_from_channel("chat/alice?token=abc").user_id == "alice"


async def test_2_percent_encoding_is_decoded_and_built(chat: ModuleType) -> None:
    # Reference: "a%20b" stayed encoded and getChannelWithParameters did no encoding.
    built = chat.parameters.ChatParameters(user_id="a b/ü?").get_channel_with_parameters()
    assert built == "chat/a%20b%2F%C3%BC%3F"
    params = await connected_parameters(chat, "/" + built)
    assert params.user_id == "a b/ü?"


async def test_3_parameter_names_with_dashes_are_found(chat: ModuleType) -> None:
    # Reference: `{user-id}` was not matched by \{(\w+)\}, so the whole path became the value.
    params = await connected_parameters(chat, "/chat/bob")
    assert params == chat.parameters.ChatParameters(user_id="bob")
    assert chat.parameters.ChatParameters.create_from_channel("/chat/bob").user_id == "bob"


async def test_4_enum_parameters_are_checked(chat: ModuleType) -> None:
    # Reference: enum parameters were assigned with `as any`, never checked.
    with pytest.raises(chat.errors.ParameterError):
        chat.parameters.RoomsParameters(kind="secret")
    with pytest.raises(chat.errors.ParameterError):
        chat.parameters.RoomsParameters.create_from_channel("/rooms/secret")
    assert chat.parameters.RoomsParameters.create_from_channel("/rooms/public").kind == "public"
    connected: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_say_in_room(router=router, on_connection=lambda **kw: connected.append(kw))
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        with pytest.raises(InvalidStatus) as caught:
            async with connect(f"ws://127.0.0.1:{port_of(server)}/rooms/secret"):
                pass
    assert caught.value.response.status_code == 400
    assert connected == []


async def test_5_several_message_types_arrive_as_their_classes(chat: ModuleType) -> None:
    # Reference: union payloads arrived as plain objects typed as classes (unmarshal got a string).
    payloads, channels = chat.payloads, chat.channels

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await ws.send('{"type": "say", "seq": 3, "text": "raw say"}')
        await ws.send('{"type": "notice", "text": "raw notice"}')

    router = channels.Router()
    channels.register_receive_chat(router=router, on_connection=on_connection)
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
            sub = channels.subscribe_to_receive_chat(ws=ws)
            got = [await asyncio.wait_for(anext(aiter(sub)), TIMEOUT) for _ in range(2)]
            sub.unsubscribe()
    assert [type(m) for m in got] == [payloads.Say, payloads.Notice]
    assert got[0].seq == 3 and got[1].text == "raw notice"


async def test_6_multiplexed_subscriptions_do_not_see_each_others_messages_as_errors(chat: ModuleType) -> None:
    # Reference: every listener saw every frame and reported "invalid payload" for the others'.
    payloads, channels = chat.payloads, chat.channels

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await channels.publish_to_join(message=payloads.Join(who="a"), ws=ws)
        await channels.publish_to_leave(message=payloads.Leave(who="a"), ws=ws)
        await channels.publish_to_join(message=payloads.Join(who="b"), ws=ws)

    router = channels.Router()
    channels.register_join(router=router, on_connection=on_connection)
    calls: dict[str, list[tuple[Any, Any]]] = {"join": [], "leave": []}
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/") as ws:
            channels.subscribe_to_join(
                ws=ws, on_data_callback=lambda **kw: calls["join"].append((kw["err"], kw["msg"]))
            )
            channels.subscribe_to_leave(
                ws=ws, on_data_callback=lambda **kw: calls["leave"].append((kw["err"], kw["msg"]))
            )
            for _ in range(int(TIMEOUT / 0.01)):
                if len(calls["join"]) == 2 and calls["leave"]:
                    break
                await asyncio.sleep(0.01)
    assert calls["join"] == [
        (None, payloads.Join(who="a")),
        (None, payloads.Join(who="b")),
    ]
    assert calls["leave"] == [(None, payloads.Leave(who="a"))]


async def test_7_handshake_headers_are_typed_and_message_headers_have_classes(chat: ModuleType) -> None:
    # Reference: headers were dropped entirely; header models were imported but unused.
    headers = chat.headers
    assert "SayHeaders" in headers.__all__ and headers.SayHeaders(trace_id="t").to_json_data() == {"traceId": "t"}
    seen: asyncio.Queue[Any] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any, headers: Any = None) -> None:
        seen.put_nowait(headers)

    router = chat.channels.Router()
    chat.channels.register_send_say(router=router, on_connection=on_connection)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        sent = chat.headers.ChatHeaders(x_client="web")
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u", additional_headers=sent.additional_headers()):
            assert await asyncio.wait_for(seen.get(), TIMEOUT) == sent


async def test_8_inbound_frames_are_validated_raw_on_the_server_with_one_compiled_validator(
    chat: ModuleType,
) -> None:
    # Reference: createValidator ignored the instance passed in; register* never validated, and
    # subscribe validated a re-serialised model rather than the frame.
    validation = __import__(f"{chat.__name__}._runtime.validation", fromlist=["validator"])
    pointer = chat.payloads.Say.SCHEMA_POINTER
    assert validation.validator(pointer) is validation.validator(pointer)
    errors: list[Any] = []
    messages: list[Any] = []
    router = chat.channels.Router()
    chat.channels.register_send_say(
        router=router,
        on_message=lambda **kw: messages.append(kw["message"]),
        on_error=lambda **kw: errors.append(kw["error"]),
    )
    async with serve(router, "127.0.0.1", 0) as server:
        async with connect(f"ws://127.0.0.1:{port_of(server)}/chat/u") as ws:
            await ws.send('{"type": "say", "seq": 1.5, "text": "x"}')
            await ws.send('{"type": "say", "seq": 2, "text": "ok"}')
            for _ in range(int(TIMEOUT / 0.01)):
                if messages:
                    break
                await asyncio.sleep(0.01)
    assert [e.path for e in errors] == ["$.seq"]
    assert [m.seq for m in messages] == [2]
