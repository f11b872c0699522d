"""The connection layer of packages generated from real-world documents with servers and handshake
bindings (the speech APIs among them), driven against each package's own server on loopback.

For every channel the client uses: the URL comes from the document's servers; the query and the
headers reach the server as the bindings say; the server's messages arrive typed; each message the
client may send reaches the server typed; after the server drops the first connection, ``async
for`` / ``for`` connects again. Asynchronous and blocking.
"""

from __future__ import annotations

import ast
import asyncio
import queue
import time
from pathlib import Path
from types import ModuleType
from typing import Any, get_type_hints
from urllib.parse import parse_qsl, urlsplit

import corpus
import pytest
from asgi_support import serving
from asyncapi_ws_codegen.ir import Api, Channel
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from asyncapi_ws_codegen.normalise.spec_elements import Options
from asyncapi_ws_codegen.pytext.identifiers import snake_case
from helpers import REAL_SPECS, generate
from runtime_support import import_package
from test_sync_client import server_thread

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not REAL_SPECS.is_dir(), reason=f"the real-world corpus is not available at {REAL_SPECS}"),
]

TIMEOUT = 10.0

# Documents with servers or `bindings.ws` query and headers (the speech APIs among them), and how
# the URL of their first channel starts when it comes from the document's first server.
DOCUMENTS = {
    "v2__deepgram-realtime.yml": "wss://api.deepgram.com/v1/agent/converse",
    "v2__elevenlabs-tts-websocket.yml": "",  # no servers: url= is required
    "v2__elevenlabs-convai-websocket.yml": "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=",
    "v3__assemblyai-universal-streaming.yml": "wss://streaming.assemblyai.com/v3/ws",
    "v2__assemblyai-streaming-v2-realtime.yml": "wss://api.assemblyai.com/v2/realtime/ws",
    "v3__generator-helpers-websocket-query.yml": "wss://api.gemini.com/",
}


class Case:
    """One generated package, its model and the example messages and handshake values of a channel."""

    def __init__(self, pkg: ModuleType, api: Api) -> None:
        self.pkg = pkg
        self.api = api

    def message(self, cls_name: str) -> Any:
        cls = getattr(self.pkg.payloads, cls_name)
        return cls.unmarshal(self.api.examples_by_class[cls_name], validate=False)

    def valid(self, cls_name: str) -> bool:
        try:
            self.message(cls_name).validate()
        except self.pkg.errors.PayloadValidationError:
            return False
        return True

    def sent_by_server(self, channel: Channel) -> list[str]:
        ops = self.api.operations_by_channel[channel.id]
        return [cls for op in ops if not op.client_sends for cls in op.message_classes]

    def sent_by_client(self, channel: Channel) -> list[str]:
        ops = self.api.operations_by_channel[channel.id]
        return list(dict.fromkeys(cls for op in ops if op.client_sends for cls in op.message_classes))

    def arguments(self, channel: Channel) -> dict[str, Any]:
        """``parameters``, ``query`` and ``headers`` built from the examples of the document."""
        found: dict[str, Any] = {}
        if channel.parameters_class:
            cls = getattr(self.pkg.parameters, channel.parameters_class)
            found["parameters"] = cls(**{p.name: ast.literal_eval(p.example_literal) for p in channel.parameters})
        for key, module, cls_name, fields in (
            ("query", self.pkg.servers, channel.query_class, channel.query_fields),
            (
                "headers",
                getattr(self.pkg, "headers", None),
                channel.handshake_headers_class,
                channel.handshake_header_fields,
            ),
        ):
            if cls_name:
                values = {f.name: ast.literal_eval(f.example_literal) for f in fields}
                found[key] = getattr(module, cls_name)(**values)
        return found

    def router(self, channel: Channel, seen: dict[str, Any]) -> Any:
        """The package's server for ``channel``: sends the examples, records what it gets."""
        channels = self.pkg.channels

        def record(*, ws: Any, parameters: Any = None, query: Any = None, headers: Any = None, **_: Any) -> None:
            seen["handshakes"].append((ws, parameters, query, headers))

        async def send_examples(*, ws: Any, classes: list[str], publish: Any, **_: Any) -> None:
            for cls in classes:
                await publish(message=self.message(cls), ws=ws, skip_message_validation=True)

        router = channels.Router()
        for index, op in enumerate(self.api.operations_by_channel[channel.id]):
            register = getattr(channels, f"register_{op.snake}")
            on_connection: Any = record if index == 0 else None
            if op.client_sends:
                register(
                    router=router,
                    on_connection=on_connection,
                    on_message=lambda *, message, **_: seen["inbox"].put(message),
                    skip_message_validation=True,
                )
                continue
            publish = getattr(channels, f"publish_to_{op.snake}")

            async def greet(*, op: Any = op, publish: Any = publish, record: Any = on_connection, **kw: Any) -> None:
                if record is not None:
                    record(**kw)
                await send_examples(ws=kw["ws"], classes=list(op.message_classes), publish=publish)

            register(router=router, on_connection=greet)
        return router


def _case(name: str, template: Path, tmp_path: Path) -> Case:
    # The side the document is written from, as the corpus test answers it (the same for the model).
    perspective = corpus.PERSPECTIVE.get(name, "client") if hasattr(corpus, "PERSPECTIVE") else "auto"
    spec = load_spec(str(REAL_SPECS / name))
    api = build_api(spec.document, spec.origin, Options(perspective=perspective))
    package = "sdk_" + snake_case(Path(name).stem)[:40]
    project = generate(
        template,
        tmp_path / "project",
        spec_source=str(REAL_SPECS / name),
        package_name=package,
        perspective=perspective,
    )
    return Case(import_package(project, package), api)


def _check_handshake(arguments: dict[str, Any], seen: dict[str, Any], opened: int, path: str) -> None:
    # The server's callback runs once its side of the handshake is done, maybe after the client's.
    deadline = time.monotonic() + TIMEOUT
    while len(seen["handshakes"]) < opened and time.monotonic() < deadline:
        time.sleep(0.01)
    ws, parameters, query, headers = seen["handshakes"][-1]
    assert parameters == arguments.get("parameters")
    # Without a binding, a callback gets the query as plain texts (none were sent).
    assert query == arguments.get("query", {})
    if "headers" in arguments:
        assert headers == arguments["headers"]
    if "query" in arguments:  # on the wire as the bindings say: wire names, texts
        assert dict(parse_qsl(urlsplit(path).query)) == arguments["query"].to_strings()
    for name, value in (arguments["headers"].to_strings() if "headers" in arguments else {}).items():
        assert ws.request.headers[name] == value


def _same_messages(received: list[Any], expected: list[Any], classes: tuple[type[Any], ...]) -> None:
    assert all(isinstance(message, classes) for message in received), received
    assert sorted(repr(m.to_json_data()) for m in received) == sorted(repr(m.to_json_data()) for m in expected)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_speech_and_query_documents_connect_send_receive_and_reconnect(
    name: str, template_v1: Path, tmp_path: Path
) -> None:
    case = _case(name, template_v1, tmp_path)
    channels = case.api.used_channels
    assert case.api.servers or any(c.query_class or c.handshake_headers_class for c in channels)
    for number, channel in enumerate(channels):
        arguments = case.arguments(channel)
        connect = getattr(case.pkg.connections, f"connect_{channel.snake}")
        if not case.api.servers:
            with pytest.raises(case.pkg.errors.ParameterError, match="names no server"):
                connect(**arguments)
        else:
            url = connect(**arguments).url
            if number == 0:
                assert url.startswith(DOCUMENTS[name]), url
            assert urlsplit(url).netloc == urlsplit(case.api.servers[0].url).netloc
        asyncio.run(_drive_async(case, channel, arguments))
        _drive_blocking(case, channel, arguments)


async def _drive_async(case: Case, channel: Channel, arguments: dict[str, Any]) -> None:
    seen: dict[str, Any] = {"handshakes": [], "inbox": queue.Queue()}
    connect = getattr(case.pkg.connections, f"connect_{channel.snake}")
    connection_class = get_type_hints(connect)["return"].__args__[0]
    incoming, outgoing = case.sent_by_server(channel), case.sent_by_client(channel)
    skip = not all(case.valid(cls) for cls in incoming + outgoing)
    opened = 0
    async with serving(case.router(channel, seen), "websockets") as base:
        async for conn in connect(url=base, skip_message_validation=skip, open_timeout=TIMEOUT, **arguments):
            opened += 1
            assert type(conn) is connection_class
            await asyncio.to_thread(_check_handshake, arguments, seen, opened, conn.ws.request.path)
            messages = aiter(conn) if incoming else None
            received = [await asyncio.wait_for(anext(messages), TIMEOUT) for _ in incoming] if messages else []
            _same_messages(received, [case.message(cls) for cls in incoming], tuple(connection_class._receives))
            for cls in outgoing:
                await conn.send(case.message(cls))
                got = await asyncio.to_thread(seen["inbox"].get, timeout=TIMEOUT)
                assert got.to_json_data() == case.message(cls).to_json_data()
            if opened == 2:
                break
            await seen["handshakes"][-1][0].close(1011)  # the server drops the connection
            await asyncio.wait_for(conn.ws.wait_closed(), TIMEOUT)
    assert opened == 2


def _drive_blocking(case: Case, channel: Channel, arguments: dict[str, Any]) -> None:
    seen: dict[str, Any] = {"handshakes": [], "inbox": queue.Queue()}
    connect = getattr(case.pkg.sync, f"connect_{channel.snake}")
    connection_class = get_type_hints(connect)["return"].__args__[0]
    incoming, outgoing = case.sent_by_server(channel), case.sent_by_client(channel)
    skip = not all(case.valid(cls) for cls in incoming + outgoing)
    opened = 0
    with server_thread(case.router(channel, seen)) as base:
        for conn in connect(url=base, skip_message_validation=skip, open_timeout=TIMEOUT, **arguments):
            opened += 1
            assert type(conn) is connection_class
            _check_handshake(arguments, seen, opened, conn.ws.request.path)
            messages = iter(conn) if incoming else None
            received = [next(messages) for _ in incoming] if messages else []
            _same_messages(received, [case.message(cls) for cls in incoming], tuple(connection_class._receives))
            for cls in outgoing:
                conn.send(case.message(cls))
                assert seen["inbox"].get(timeout=TIMEOUT).to_json_data() == case.message(cls).to_json_data()
            if opened == 2:
                break
            server = seen["handshakes"][-1][0]  # the server drops the connection, in its thread
            asyncio.run_coroutine_threadsafe(server.close(1011), server.loop).result(TIMEOUT)
    assert opened == 2
