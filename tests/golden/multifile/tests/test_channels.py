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

import sensor_feed.__main__ as demo
from sensor_feed import (
    _runtime,
    channels,
    connections,
    parameters,
    payloads,
    sync,
)
from sensor_feed.errors import PayloadError, PayloadValidationError

TIMEOUT = 5.0
EXAMPLES: dict[str, str] = {
    "Reading": '{"takenAt": "2024-05-01T12:00:00Z", "unit": "celsius", "value": 21.5}',
    "Calibrate": '{"offset": -0.5}',
    "Calibrated": '{"ok": true, "unit": "celsius"}',
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


def path_receive_reading() -> str:
    return parameters.ReadingsParameters(
        sensor_id="sn-0042 a/b%",
    ).get_channel_with_parameters()


def url_receive_reading(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_receive_reading().lstrip('/')}"
    return url


def headers_receive_reading() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.Reading,
    ],
)
async def test_receive_reading_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()

    async def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        await channels.publish_to_receive_reading(
            message=sent,
            ws=ws,
            skip_message_validation=not valid,
        )

    channels.register_receive_reading(
        router=router,
        on_connection=on_connection,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_receive_reading(port),
            additional_headers=headers_receive_reading(),
        ) as ws:
            sub = channels.subscribe_to_receive_reading(
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
            sub.unsubscribe()
    assert_same_message(got, sent, valid=valid)


async def test_receive_reading_broadcast() -> None:
    """One broadcast reaches every client on the channel, once."""
    sent, valid = example(payloads.Reading)
    router = channels.Router()
    connected: asyncio.Queue[None] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        connected.put_nowait(None)

    channels.register_receive_reading(
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
                        url_receive_reading(port),
                        additional_headers=headers_receive_reading(),
                    ),
                )
                await asyncio.wait_for(connected.get(), TIMEOUT)
                subscriptions.append(
                    channels.subscribe_to_receive_reading(
                        ws=ws,
                        skip_message_validation=not valid,
                    ),
                )
            # The channel id can be long: the trailing comma keeps the call split whatever its length.
            open_connections = router.connections(
                "readings",
            )
            assert len(open_connections) == 3
            await channels.broadcast_to_receive_reading(
                router=router,
                message=sent,
                parameters=parameters.ReadingsParameters.create_from_channel(
                    path_receive_reading(),
                ),
                skip_message_validation=not valid,
            )
            for sub in subscriptions:
                got = await asyncio.wait_for(anext(aiter(sub)), TIMEOUT)
                assert_same_message(got, sent, valid=valid)


def path_calibrate() -> str:
    return parameters.CommandsParameters(
        sensor_id="sn-0042 a/b%",
    ).get_channel_with_parameters()


def url_calibrate(port: int) -> str:
    url = f"ws://127.0.0.1:{port}/{path_calibrate().lstrip('/')}"
    return url


def headers_calibrate() -> list[tuple[str, str]]:
    return []


@pytest.mark.parametrize(
    "cls",
    [
        payloads.Calibrate,
    ],
)
async def test_calibrate_over_a_socket(cls: type[Any]) -> None:
    sent, valid = example(cls)
    router = channels.Router()
    received: asyncio.Queue[Any] = asyncio.Queue()

    async def on_message(*, message: Any, ws: Any, parameters: Any) -> None:
        await received.put(message)

    channels.register_calibrate(
        router=router,
        on_message=on_message,
        skip_message_validation=not valid,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_calibrate(port),
            additional_headers=headers_calibrate(),
        ) as ws:
            await channels.publish_to_calibrate(
                message=sent,
                ws=ws,
                skip_message_validation=not valid,
            )
            got = await asyncio.wait_for(received.get(), TIMEOUT)
    assert_same_message(got, sent, valid=valid)


async def test_calibrate_request_gets_its_reply() -> None:
    request, request_valid = example(payloads.Calibrate)
    answer, answer_valid = example(payloads.Calibrated)
    reply = _runtime.correlate(request, answer, channels._KINDS)
    skip = not (request_valid and answer_valid)
    router = channels.Router()

    def on_message(*, message: Any, ws: Any, parameters: Any) -> Any:
        return reply

    channels.register_calibrate(
        router=router,
        on_message=on_message,
        skip_message_validation=skip,
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_calibrate(port),
            additional_headers=headers_calibrate(),
        ) as ws:
            got = await channels.request_calibrate(
                message=request,
                ws=ws,
                timeout=TIMEOUT,
                skip_message_validation=skip,
            )
    assert_same_message(got, reply, valid=not skip)


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


async def test_receive_reading_examples_run_as_written() -> None:
    """The examples of the ``receive_reading`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.Reading,
    ]
    if not demo.examples_valid(*classes):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_receive_reading(
        router=router,
        on_connection=flow.server_sends(
            "receiveReading",
            channels.publish_to_receive_reading,
            classes,
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_receive_reading(port),
            additional_headers=headers_receive_reading(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_receive_reading,
                namespace,
            )
            await run_example(
                channels.subscribe_to_receive_reading,
                namespace,
            )
            await run_example(
                channels.broadcast_to_receive_reading,
                namespace,
            )
            await run_example(
                channels.register_receive_reading,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_receive_reading(port),
                additional_headers=headers_receive_reading(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_receive_reading(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.subscribe_to_receive_reading,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_calibrate_examples_run_as_written() -> None:
    """The examples of the ``calibrate`` functions, with ``ws`` and ``msg`` as they say."""
    classes: list[type[Any]] = [
        payloads.Calibrate,
    ]
    if not demo.examples_valid(
        *classes,
        payloads.Calibrated,
    ):
        pytest.skip("an example of these messages does not match its schema")
    msg = example(classes[0])[0]
    router = channels.Router()
    # This operation only, as the demo serves it: frames of the channel's other operations would
    # reach the examples' subscriptions too.
    flow = demo.Flow()
    channels.register_calibrate(
        router=router,
        on_message=flow.server_receives(
            "calibrate",
            reply=payloads.Calibrated,
        ),
    )
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(
            url_calibrate(port),
            additional_headers=headers_calibrate(),
        ) as ws:
            namespace = {**vars(channels), "ws": ws, "msg": msg, "router": router}
            await run_example(
                channels.publish_to_calibrate,
                namespace,
            )
            await run_example(
                channels.request_calibrate,
                namespace,
            )
            await run_example(
                channels.register_calibrate,
                namespace,
            )

        def blocking() -> None:
            with connect_blocking(
                url_calibrate(port),
                additional_headers=headers_calibrate(),
            ) as ws:
                namespace = {
                    **vars(sync),
                    "ws": ws,
                    "msg": msg,
                    "url": url_calibrate(port),
                }
                run_blocking_example(
                    sync,
                    namespace,
                )
                run_blocking_example(
                    sync.publish_to_calibrate,
                    namespace,
                )
                run_blocking_example(
                    sync.request_calibrate,
                    namespace,
                )

        await asyncio.to_thread(blocking)


async def test_readings_connection_examples_run_as_written() -> None:
    """The examples of ``connect_readings`` and ``ReadingsConnection``, as they say."""
    if not demo.examples_valid(
        payloads.Reading,
    ):
        pytest.skip("an example of these messages does not match its schema")
    router = channels.Router()
    demo.register_all(router, demo.Flow())
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        # The names the examples take as given: the arguments of ``connect_readings``.
        given: dict[str, Any] = {
            "url": f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/",
            "parameters": parameters.ReadingsParameters(
                sensor_id="sn-0042",
            ),
        }
        await run_example(
            connections.connect_readings,
            {**vars(connections), **given},
        )
        async with connections.connect_readings(
            **given,
        ) as conn:
            await asyncio.wait_for(
                run_example(
                    connections.ReadingsConnection.__aiter__,
                    {"conn": conn},
                ),
                TIMEOUT,
            )

        def blocking() -> None:
            run_blocking_example(
                sync.connect_readings,
                {**vars(sync), **given},
            )
            with sync.connect_readings(
                **given,
            ) as conn:
                run_blocking_example(
                    sync.ReadingsConnection.__iter__,
                    {"conn": conn},
                )

        await asyncio.to_thread(blocking)


async def test_commands_connection_examples_run_as_written() -> None:
    """The examples of ``connect_commands`` and ``CommandsConnection``, as they say."""
    if not demo.examples_valid(
        payloads.Calibrate,
        payloads.Calibrated,
    ):
        pytest.skip("an example of these messages does not match its schema")
    sent: list[type[Any]] = [
        payloads.Calibrate,
        payloads.Calibrate,
    ]
    router = channels.Router()
    demo.register_all(router, demo.Flow())
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        # The names the examples take as given: the arguments of ``connect_commands``.
        given: dict[str, Any] = {
            "url": f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/",
            "parameters": parameters.CommandsParameters(
                sensor_id="sn-0042",
            ),
        }
        await run_example(
            connections.connect_commands,
            {**vars(connections), **given},
        )
        async with connections.connect_commands(
            **given,
        ) as conn:
            await run_example(
                connections.CommandsConnection.send,
                {"conn": conn, "msg": example(sent[0])[0]},
            )
            await run_example(
                connections.CommandsConnection.request_calibrate,
                {"conn": conn, "msg": example(sent[1])[0]},
            )

        def blocking() -> None:
            run_blocking_example(
                sync.connect_commands,
                {**vars(sync), **given},
            )
            with sync.connect_commands(
                **given,
            ) as conn:
                run_blocking_example(
                    sync.CommandsConnection.send,
                    {"conn": conn, "msg": example(sent[0])[0]},
                )
                run_blocking_example(
                    sync.CommandsConnection.request_calibrate,
                    {"conn": conn, "msg": example(sent[1])[0]},
                )

        await asyncio.to_thread(blocking)
