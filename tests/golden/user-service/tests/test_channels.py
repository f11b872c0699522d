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

import user_service.__main__ as demo
from user_service import (
    channels,
    connections,
    parameters,
    payloads,
    sync,
)
from user_service.errors import PayloadError, PayloadValidationError

TIMEOUT = 5.0
EXAMPLES: dict[str, str] = {
    "UserSignedUp": '{"email": "example", "userId": "example"}',
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


def path_send_user_event() -> str:
    return parameters.UserEventsParameters(
        user_id="userId-1 a/b%",
    ).get_channel_with_parameters()


def url_send_user_event(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_send_user_event().lstrip('/')}"
    return url


def headers_send_user_event() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.UserSignedUp,
    ],
)
async def test_send_user_event_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()
    received: asyncio.Queue[Any] = asyncio.Queue()

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        await received.put(message)

    channels.register_send_user_event(
        router=router,
        on_message=on_message,
        skip_message_validation=not valid,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_send_user_event(port),
            additional_headers=headers_send_user_event(),
        ) as ws:
            await channels.publish_to_send_user_event(
                message=sent,
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(received.get(), TIMEOUT)
    assert_same_message(got, sent, valid=valid)


def path_receive_user_event() -> str:
    return parameters.UserEventsParameters(
        user_id="userId-1 a/b%",
    ).get_channel_with_parameters()


def url_receive_user_event(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_receive_user_event().lstrip('/')}"
    return url


def headers_receive_user_event() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.UserSignedUp,
    ],
)
async def test_receive_user_event_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await channels.publish_to_receive_user_event(
            message=sent,
            ws=ws,
            skip_message_validation=not valid,
        )

    channels.register_receive_user_event(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_receive_user_event(port),
            additional_headers=headers_receive_user_event(),
        ) as ws:
            sub = channels.subscribe_to_receive_user_event(
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
    assert_same_message(got, sent, valid=valid)


async def test_receive_user_event_broadcast() -> None:
    """One broadcast reaches every client on the channel, once."""
    sent, valid = example(payloads.UserSignedUp)
    router = channels.Router()
    connected: asyncio.Queue[None] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        connected.put_nowait(None)

    channels.register_receive_user_event(
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
                        url_receive_user_event(port),
                        additional_headers=headers_receive_user_event(),
                    ),
                )
                await asyncio.wait_for(connected.get(), TIMEOUT)
                subscriptions.append(
                    channels.subscribe_to_receive_user_event(
                        ws=ws,
                        skip_message_validation=not valid,
                    ),
                )
            # The channel id can be long: the trailing comma keeps the call split whatever its length.
            open_connections = router.connections(
                "userEvents",
            )
            assert len(open_connections) == 3
            await channels.broadcast_to_receive_user_event(
                router=router,
                message=sent,
                parameters=parameters.UserEventsParameters.create_from_channel(
                    path_receive_user_event(),
                ),
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


async def test_send_user_event_examples_run_as_written() -> None:
    """The examples of the ``send_user_event`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.UserSignedUp,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_send_user_event(
        router=router,
        on_message=flow.server_receives(
            "sendUserEvent",
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_send_user_event(port),
            additional_headers=headers_send_user_event(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_send_user_event,
                namespace,
            )
            await run_example(
                channels.register_send_user_event,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_send_user_event(port),
                additional_headers=headers_send_user_event(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_send_user_event(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.publish_to_send_user_event,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_receive_user_event_examples_run_as_written() -> None:
    """The examples of the ``receive_user_event`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.UserSignedUp,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_receive_user_event(
        router=router,
        on_connection=flow.server_sends(
            "receiveUserEvent",
            channels.publish_to_receive_user_event,
            classes,
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_receive_user_event(port),
            additional_headers=headers_receive_user_event(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_receive_user_event,
                namespace,
            )
            await run_example(
                channels.subscribe_to_receive_user_event,
                namespace,
            )
            await run_example(
                channels.broadcast_to_receive_user_event,
                namespace,
            )
            await run_example(
                channels.register_receive_user_event,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_receive_user_event(port),
                additional_headers=headers_receive_user_event(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_receive_user_event(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.subscribe_to_receive_user_event,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_user_events_connection_examples_run_as_written() -> None:
    """The examples of ``connect_user_events`` and ``UserEventsConnection``, as they say."""
    if not demo.examples_valid(
        payloads.UserSignedUp,
    ):
        pytest.skip("an example of these messages does not match its schema")
    sent: list[type[Any]] = [
        payloads.UserSignedUp,
    ]
    router = channels.Router()
    demo.register_all(router, demo.Flow())
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        # The names the examples take as given: the arguments of ``connect_user_events``.
        given: dict[str, Any] = {
            "url": f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/",
            "parameters": parameters.UserEventsParameters(
                user_id="userId-1",
            ),
        }
        await run_example(
            connections.connect_user_events,
            {**vars(connections), **given},
        )
        async with connections.connect_user_events(
            **given,
        ) as conn:
            await asyncio.wait_for(
                run_example(
                    connections.UserEventsConnection.__aiter__,
                    {"conn": conn},
                ),
                TIMEOUT,
            )
            await run_example(
                connections.UserEventsConnection.send,
                {"conn": conn, "msg": example(sent[0])[0]},
            )

        def blocking() -> None:
            run_blocking_example(
                sync.connect_user_events,
                {**vars(sync), **given},
            )
            with sync.connect_user_events(
                **given,
            ) as conn:
                run_blocking_example(
                    sync.UserEventsConnection.__iter__,
                    {"conn": conn},
                )
                run_blocking_example(
                    sync.UserEventsConnection.send,
                    {"conn": conn, "msg": example(sent[0])[0]},
                )

        await asyncio.to_thread(blocking)
