"""Command line of Chat Rooms: ``python -m chat_rooms demo``.

The demo serves every operation of the API from one :class:`~chat_rooms.channels.Router`
on 127.0.0.1 (a free port), connects a client to each channel with its ``connect_<channel>`` (from
:mod:`~chat_rooms.connections`) and sends an example of each operation's messages the way
that operation goes, printing each message as it flows. Examples that do not match their schema
are sent without validation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from websockets.asyncio.server import serve

from . import channels, connections, parameters, payloads
from .errors import PayloadValidationError

TIMEOUT = 5.0
"""Seconds the demo waits for any one message before giving up."""

EXAMPLES: dict[str, str] = {
    "ChatMessage": '{"author": "ada", "sentAt": "2024-05-01T12:00:00Z", "text": "Hello, room!"}',
    "Presence": '{"state": "joined", "user": "ada"}',
    "Status": '{"healthy": true, "rooms": 3}',
}
"""Example JSON text of each payload class (from the document's examples, else its schemas)."""

Publish = Callable[..., Awaitable[None]]


def example(cls: type[Any]) -> tuple[Any, bool]:
    """An instance of ``cls`` built from its example, and whether the example is valid."""
    instance = cls.unmarshal(EXAMPLES[cls.__name__], validate=False)
    try:
        instance.validate()
    except PayloadValidationError:
        return instance, False
    return instance, True


def examples_valid(*classes: type[Any]) -> bool:
    """Whether the examples of all these classes match their schemas."""
    return all(example(cls)[1] for cls in classes)


def wire_text(message: Any) -> str:
    """The message's JSON data as compact text (``repr`` for what JSON cannot show)."""
    return json.dumps(message.to_json_data(), ensure_ascii=False, default=repr)


class Flow:
    """Prints each message as it flows and lets the client wait for the server's side."""

    def __init__(self) -> None:
        self.shown = 0
        # One inbox for the whole server: operations that share message types share frames, and
        # the router hands each frame to one of them.
        self.server_inbox: asyncio.Queue[Any] = asyncio.Queue()

    def show(self, who: str, operation: str, message: Any) -> None:
        """Print one message: who handles it, for which operation, its class and its data."""
        self.shown += 1
        print(f"{who:<17} {operation}: {type(message).__name__} {wire_text(message)}")

    def server_receives(self, operation: str, reply: type[Any] | None = None) -> Callable[..., Any]:
        """An ``on_message`` callback that prints the message and answers with ``reply``."""

        async def on_message(*, message: Any, **_: Any) -> Any:
            self.show("server received", operation, message)
            await self.server_inbox.put(message)
            if reply is None:
                return None
            answer = example(reply)[0]
            self.show("server replies", operation, answer)
            return answer

        return on_message

    def server_sends(
        self, operation: str, publish: Publish, classes: Sequence[type[Any]]
    ) -> Callable[..., Any]:
        """An ``on_connection`` callback that sends the example of each class to the client."""

        async def on_connection(*, ws: Any, **_: Any) -> None:
            for cls in classes:
                message, valid = example(cls)
                self.show("server sends", operation, message)
                await publish(message=message, ws=ws, skip_message_validation=not valid)

        return on_connection

    async def client_sends(
        self, operation: str, send: Callable[..., Awaitable[None]], classes: Sequence[type[Any]]
    ) -> None:
        """Send the example of each class and wait until the server has received it."""
        for cls in classes:
            message, valid = example(cls)
            self.show("client sends", operation, message)
            await send(message, skip_message_validation=not valid)
            await asyncio.wait_for(self.server_inbox.get(), TIMEOUT)

    async def client_requests(
        self,
        operation: str,
        request: Callable[..., Awaitable[Any]],
        classes: Sequence[type[Any]],
        *,
        skip_message_validation: bool,
    ) -> None:
        """Send the example of each class as a request and print the reply."""
        for cls in classes:
            message = example(cls)[0]
            self.show("client requests", operation, message)
            reply = await request(
                message,
                timeout=TIMEOUT,
                skip_message_validation=skip_message_validation,
            )
            self.show("client got reply", operation, reply)

    async def client_receives(
        self, operation: str, messages: AsyncIterator[Any], count: int
    ) -> None:
        """Wait for the next ``count`` messages of a connection (those of ``operation``)."""
        for _ in range(count):
            message = await asyncio.wait_for(anext(messages), TIMEOUT)
            self.show("client received", operation, message)


def register_all(router: channels.Router, flow: Flow) -> None:
    """Register every operation on the server side."""
    channels.register_room_events(
        router=router,
        on_connection=flow.server_sends(
            "roomEvents",
            channels.publish_to_room_events,
            [
                payloads.ChatMessage,
                payloads.Presence,
            ],
        ),
    )
    channels.register_post_message(
        router=router,
        on_message=flow.server_receives(
            "postMessage",
        ),
        skip_message_validation=not examples_valid(
            payloads.ChatMessage,
        ),
    )
    channels.register_service_status(
        router=router,
        on_connection=flow.server_sends(
            "serviceStatus",
            channels.publish_to_service_status,
            [
                payloads.Status,
            ],
        ),
    )


async def demo() -> int:
    """Serve every operation on 127.0.0.1, play each one from a client; return the message count."""
    flow = Flow()
    router = channels.Router()
    register_all(router, flow)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        port = server.sockets[0].getsockname()[1]
        base = f"ws://127.0.0.1:{port}/"
        print(f"server listening on {base}")

        connection_1 = connections.connect_rooms_room_id(
            url=base,
            parameters=parameters.RoomsRoomIdParameters(
                room_id="general",
            ),
            skip_message_validation=not examples_valid(
                payloads.ChatMessage,
                payloads.Presence,
            ),
        )
        print(f"client connects to {connection_1.url}")
        async with connection_1 as conn_1:
            messages_1 = aiter(conn_1)
            await flow.client_receives(
                "roomEvents",
                messages_1,
                2,
            )
            await flow.client_sends(
                "postMessage",
                conn_1.send,
                [
                    payloads.ChatMessage,
                ],
            )

        connection_2 = connections.connect_status(
            url=base,
            skip_message_validation=not examples_valid(
                payloads.Status,
            ),
        )
        print(f"client connects to {connection_2.url}")
        async with connection_2 as conn_2:
            messages_2 = aiter(conn_2)
            await flow.client_receives(
                "serviceStatus",
                messages_2,
                1,
            )
    print(f"done: {flow.shown} messages")
    return flow.shown


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m chat_rooms",
        description="Chat Rooms: typed WebSocket client and server.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "demo",
        help="serve every operation locally and exchange the example messages",
    )
    parser.parse_args(argv)
    asyncio.run(demo())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
