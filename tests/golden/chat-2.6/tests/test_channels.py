"""Every operation over a real WebSocket: a websockets server on port 0 and a client; and the
``Example:`` of every function of ``channels.py``, ``connections.py`` and ``sync.py``, run as
written."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.sync.client import connect as connect_blocking

import chat_rooms.__main__ as demo
from chat_rooms import (
    channels,
    connections,
    parameters,
    payloads,
    sync,
)
from chat_rooms.errors import PayloadError, PayloadValidationError

TIMEOUT = 5.0
EXAMPLES: dict[str, str] = {
    "ChatMessage": '{"author": "ada", "sentAt": "2024-05-01T12:00:00Z", "text": "Hello, room!"}',
    "Presence": '{"state": "joined", "user": "ada"}',
    "Status": '{"healthy": true, "rooms": 3}',
}


def example(cls: type[Any]) -> tuple[Any, bool]:
    """An instance of ``cls`` and whether it is valid (validation is then exercised too).

    A test whose example cannot be built at all (a schema no value satisfies) is skipped.
    """
    try:
        instance = cls.unmarshal(EXAMPLES[cls.__name__], validate=False)
    except PayloadError as exc:
        pytest.skip(f"no example of {cls.__name__} could be built: {exc}")
    try:
        instance.validate()
    except PayloadValidationError:
        return instance, False
    return instance, True


def assert_same_message(got: Any, sent: Any, *, valid: bool) -> None:
    """``got`` is what was sent, read as the sent class or as another class that accepts the
    very same JSON (messages identical on the wire cannot be told apart)."""
    assert got.to_json_data() == sent.to_json_data()
    if type(got) is type(sent):
        assert got == sent
    else:
        assert type(got).from_json_data(sent.to_json_data(), validate=valid) == got


def path_room_events() -> str:
    return parameters.RoomsRoomIdParameters(
        room_id="general",
    ).get_channel_with_parameters()


def url_room_events(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_room_events().lstrip('/')}"
    return url


def headers_room_events() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.ChatMessage,
        payloads.Presence,
    ],
)
async def test_room_events_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await channels.publish_to_room_events(
            message=sent,
            ws=ws,
            skip_message_validation=not valid,
        )

    channels.register_room_events(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_room_events(port),
            additional_headers=headers_room_events(),
        ) as ws:
            sub = channels.subscribe_to_room_events(
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
    assert_same_message(got, sent, valid=valid)


async def test_room_events_broadcast() -> None:
    """One broadcast reaches every client on the channel, once."""
    sent, valid = example(payloads.ChatMessage)
    router = channels.Router()
    connected: asyncio.Queue[None] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        connected.put_nowait(None)

    channels.register_room_events(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with contextlib.AsyncExitStack() as stack:
            subscriptions = []
            for _ in range(3):
                ws = await stack.enter_async_context(
                    connect(
                        url_room_events(port),
                        additional_headers=headers_room_events(),
                    ),
                )
                await asyncio.wait_for(connected.get(), TIMEOUT)
                subscriptions.append(
                    channels.subscribe_to_room_events(
                        ws=ws,
                        skip_message_validation=not valid,
                    ),
                )
            # The channel id can be long: the trailing comma keeps the call split whatever its length.
            open_connections = router.connections(
                "rooms/{roomId}",
            )
            assert len(open_connections) == 3
            await channels.broadcast_to_room_events(
                router=router,
                message=sent,
                parameters=parameters.RoomsRoomIdParameters.create_from_channel(
                    path_room_events(),
                ),
                skip_message_validation=not valid,
            )
            for sub in subscriptions:
                got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
                assert_same_message(got, sent, valid=valid)


def path_post_message() -> str:
    return parameters.RoomsRoomIdParameters(
        room_id="general",
    ).get_channel_with_parameters()


def url_post_message(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_post_message().lstrip('/')}"
    return url


def headers_post_message() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.ChatMessage,
    ],
)
async def test_post_message_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()
    received: asyncio.Queue[Any] = asyncio.Queue()

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        await received.put(message)

    channels.register_post_message(
        router=router,
        on_message=on_message,
        skip_message_validation=not valid,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_post_message(port),
            additional_headers=headers_post_message(),
        ) as ws:
            await channels.publish_to_post_message(
                message=sent,
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(received.get(), TIMEOUT)
    assert_same_message(got, sent, valid=valid)


def path_service_status() -> str:
    return "status"


def url_service_status(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_service_status().lstrip('/')}"
    return url


def headers_service_status() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.Status,
    ],
)
async def test_service_status_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await channels.publish_to_service_status(
            message=sent,
            ws=ws,
            skip_message_validation=not valid,
        )

    channels.register_service_status(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_service_status(port),
            additional_headers=headers_service_status(),
        ) as ws:
            sub = channels.subscribe_to_service_status(
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
    assert_same_message(got, sent, valid=valid)


async def test_service_status_broadcast() -> None:
    """One broadcast reaches every client on the channel, once."""
    sent, valid = example(payloads.Status)
    router = channels.Router()
    connected: asyncio.Queue[None] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        connected.put_nowait(None)

    channels.register_service_status(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with contextlib.AsyncExitStack() as stack:
            subscriptions = []
            for _ in range(3):
                ws = await stack.enter_async_context(
                    connect(
                        url_service_status(port),
                        additional_headers=headers_service_status(),
                    ),
                )
                await asyncio.wait_for(connected.get(), TIMEOUT)
                subscriptions.append(
                    channels.subscribe_to_service_status(
                        ws=ws,
                        skip_message_validation=not valid,
                    ),
                )
            # The channel id can be long: the trailing comma keeps the call split whatever its length.
            open_connections = router.connections(
                "status",
            )
            assert len(open_connections) == 3
            await channels.broadcast_to_service_status(
                router=router,
                message=sent,
                skip_message_validation=not valid,
            )
            for sub in subscriptions:
                got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
                assert_same_message(got, sent, valid=valid)


def example_code(subject: Any) -> str:
    """The ``>>>`` and ``...`` lines of ``subject``'s docstring, as one piece of code."""
    lines = []
    for line in (subject.__doc__ or "").splitlines():
        text = line.strip()
        if text.startswith((">>>", "...")):
            lines.append(text[4:])
    assert lines, f"{subject.__name__} has no example"
    return "\n".join(lines)


async def run_example(subject: Any, namespace: dict[str, Any]) -> None:
    """Run the example of ``subject`` as written; a top-level ``await`` is awaited."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    code = compile(example_code(subject), f"<example of {subject.__name__}>", "exec", flags=flags)
    result = eval(code, dict(namespace))
    if inspect.iscoroutine(result):
        await result


def run_blocking_example(subject: Any, namespace: dict[str, Any]) -> None:
    """Run the example of ``subject`` (blocking code) as written."""
    code = compile(example_code(subject), f"<example of {subject.__name__}>", "exec")
    exec(code, dict(namespace))


async def test_room_events_examples_run_as_written() -> None:
    """The examples of the ``room_events`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.ChatMessage,
        payloads.Presence,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_room_events(
        router=router,
        on_connection=flow.server_sends(
            "roomEvents",
            channels.publish_to_room_events,
            classes,
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_room_events(port),
            additional_headers=headers_room_events(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_room_events,
                namespace,
            )
            await run_example(
                channels.subscribe_to_room_events,
                namespace,
            )
            await run_example(
                channels.broadcast_to_room_events,
                namespace,
            )
            await run_example(
                channels.register_room_events,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_room_events(port),
                additional_headers=headers_room_events(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_room_events(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.subscribe_to_room_events,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_post_message_examples_run_as_written() -> None:
    """The examples of the ``post_message`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.ChatMessage,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_post_message(
        router=router,
        on_message=flow.server_receives(
            "postMessage",
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_post_message(port),
            additional_headers=headers_post_message(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_post_message,
                namespace,
            )
            await run_example(
                channels.register_post_message,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_post_message(port),
                additional_headers=headers_post_message(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_post_message(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.publish_to_post_message,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_service_status_examples_run_as_written() -> None:
    """The examples of the ``service_status`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.Status,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_service_status(
        router=router,
        on_connection=flow.server_sends(
            "serviceStatus",
            channels.publish_to_service_status,
            classes,
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_service_status(port),
            additional_headers=headers_service_status(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_service_status,
                namespace,
            )
            await run_example(
                channels.subscribe_to_service_status,
                namespace,
            )
            await run_example(
                channels.broadcast_to_service_status,
                namespace,
            )
            await run_example(
                channels.register_service_status,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_service_status(port),
                additional_headers=headers_service_status(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_service_status(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.subscribe_to_service_status,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_rooms_room_id_connection_examples_run_as_written() -> None:
    """The examples of ``connect_rooms_room_id`` and ``RoomsRoomIdConnection``, as they say."""
    if not demo.examples_valid(
        payloads.ChatMessage,
        payloads.Presence,
    ):
        pytest.skip("an example of these messages does not match its schema")
    sent: list[type[Any]] = [
        payloads.ChatMessage,
    ]
    router = channels.Router()
    demo.register_all(router, demo.Flow())
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        # The names the examples take as given: the arguments of ``connect_rooms_room_id``.
        given: dict[str, Any] = {
            "url": f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/",
            "parameters": parameters.RoomsRoomIdParameters(
                room_id="general",
            ),
        }
        await run_example(
            connections.connect_rooms_room_id,
            {**vars(connections), **given},
        )
        async with connections.connect_rooms_room_id(
            **given,
        ) as conn:
            await asyncio.wait_for(
                run_example(
                    connections.RoomsRoomIdConnection.__aiter__,
                    {"conn": conn},
                ),
                TIMEOUT,
            )
            await run_example(
                connections.RoomsRoomIdConnection.send,
                {"conn": conn, "msg": example(sent[0])[0]},
            )

        def blocking() -> None:
            run_blocking_example(
                sync.connect_rooms_room_id,
                {**vars(sync), **given},
            )
            with sync.connect_rooms_room_id(
                **given,
            ) as conn:
                run_blocking_example(
                    sync.RoomsRoomIdConnection.__iter__,
                    {"conn": conn},
                )
                run_blocking_example(
                    sync.RoomsRoomIdConnection.send,
                    {"conn": conn, "msg": example(sent[0])[0]},
                )

        await asyncio.to_thread(blocking)


async def test_status_connection_examples_run_as_written() -> None:
    """The examples of ``connect_status`` and ``StatusConnection``, as they say."""
    if not demo.examples_valid(
        payloads.Status,
    ):
        pytest.skip("an example of these messages does not match its schema")
    router = channels.Router()
    demo.register_all(router, demo.Flow())
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        # The names the examples take as given: the arguments of ``connect_status``.
        given: dict[str, Any] = {
            "url": f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/",
        }
        await run_example(
            connections.connect_status,
            {**vars(connections), **given},
        )
        async with connections.connect_status(
            **given,
        ) as conn:
            await asyncio.wait_for(
                run_example(
                    connections.StatusConnection.__aiter__,
                    {"conn": conn},
                ),
                TIMEOUT,
            )

        def blocking() -> None:
            run_blocking_example(
                sync.connect_status,
                {**vars(sync), **given},
            )
            with sync.connect_status(
                **given,
            ) as conn:
                run_blocking_example(
                    sync.StatusConnection.__iter__,
                    {"conn": conn},
                )

        await asyncio.to_thread(blocking)
