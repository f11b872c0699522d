"""What the connection layer (``connections.py``, and the ``connect_*`` part of ``sync.py``) defines.

One typed connection class and one ``connect_<channel>`` function per channel an operation uses.
Both modules import the package's modules rather than names (``payloads.Say``,
``_parameters.ChatParameters``: the underscore keeps them clear of the ``parameters=`` argument),
so a spec name can never shadow what they use. Signatures name the message classes themselves
(``payloads.Say | payloads.Join``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Channel
from .sync_module import SyncOperation, sync_module


@dataclass(frozen=True)
class ChannelConnection:
    """The connection class and ``connect_*`` function of one channel."""

    channel: Channel
    # Payload classes the client sends / receives on the channel (distinct, in spec order).
    sends: tuple[str, ...]
    receives: tuple[str, ...]
    # ``payloads.X`` or a union of them, ``Any`` (an operation without messages), or ""
    send_type: str
    receive_type: str
    # Operations with a reply, as the blocking module types them (qualified names).
    requests: tuple[SyncOperation, ...]
    # Qualified parameters, query and handshake header classes ("" when the channel has none).
    parameters: str
    query: str
    headers: str

    @property
    def example_arguments(self) -> str:
        """The arguments of the ``connect_*`` docstring's example: the required ones and ``url``."""
        return ", ".join(f"{name}={name}" for name, _ in self._example_names)

    @property
    def example_subjects(self) -> str:
        """What the names of ``example_arguments`` stand for, as the example's text says."""
        said = [f"``{name}`` {what}" for name, what in self._example_names]
        return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]

    @property
    def _example_names(self) -> list[tuple[str, str]]:
        names = [("parameters", f"a ``{self.channel.parameters_class}``")] if self.parameters else []
        if self.query and self.query_required:
            names.append(("query", f"a ``{self.channel.query_class}``"))
        if self.headers and self.headers_required:
            names.append(("headers", f"a ``{self.channel.handshake_headers_class}``"))
        return [*names, ("url", "a server's URL (``ws://localhost:8080``)")]

    @property
    def example_messages(self) -> tuple[str, ...]:
        """The classes whose example the generated test sends: ``send``'s first, then each request's."""
        first_sent = self.sends[:1]
        return first_sent + tuple(t.operation.message_classes[0] for t in self.requests)

    def request_example_index(self, number: int) -> int:
        """Where the message of the ``number``-th request (0-based) is in ``example_messages``."""
        return number + len(self.sends[:1])

    @property
    def example_classes(self) -> tuple[str, ...]:
        """Every class the channel's examples use (sent, received, replied), each once."""
        replies = [cls for t in self.requests for cls in t.operation.reply_classes]
        return tuple(dict.fromkeys([*self.sends, *self.receives, *replies]))

    @property
    def send_example_subject(self) -> str:
        """What the ``msg`` of the ``send`` example is: a message class, or any message."""
        return f"a ``{self.sends[0]}``" if self.sends else "a message"

    @property
    def query_required(self) -> bool:
        """Whether the handshake needs query parameters (``query=`` has no default)."""
        return bool(self.channel.required_query_fields)

    @property
    def headers_required(self) -> bool:
        """Whether the handshake needs headers (``headers=`` has no default)."""
        return bool(self.channel.required_header_fields)


@dataclass(frozen=True)
class ConnectionsModule:
    """The channels of the connection layer and what their module imports."""

    channels: tuple[ChannelConnection, ...]
    # The public functions of ``sync.py`` on connections you create (``Api.sync_exports``).
    sync_functions: tuple[str, ...] = ()

    @property
    def uses_payloads(self) -> bool:
        """Whether a payload class is named (the kinds of what is sent, received or replied)."""
        return any(c.sends or c.receives or c.requests for c in self.channels)

    @property
    def uses_parameters(self) -> bool:
        """Whether a signature names a class of ``parameters.py``."""
        return any(c.parameters for c in self.channels)

    @property
    def uses_headers(self) -> bool:
        """Whether a signature names a handshake headers class of ``headers.py``."""
        return any(c.headers for c in self.channels)

    @property
    def receives(self) -> bool:
        """Whether some channel has messages for the client (``AsyncIterator`` / ``Iterator``)."""
        return any(c.receives for c in self.channels)

    @property
    def exports(self) -> tuple[str, ...]:
        """Public names: every ``connect_*`` function and connection class, sorted."""
        names = [f"connect_{c.channel.snake}" for c in self.channels]
        names += [c.channel.connection_class for c in self.channels]
        return tuple(sorted(names))

    @property
    def sync_exports(self) -> tuple[str, ...]:
        """Public names of ``sync.py``: its functions and its connection layer, sorted."""
        return tuple(sorted(self.sync_functions + self.exports))


def _classes(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _type(classes: tuple[str, ...], any_message: bool) -> str:
    """How a signature names ``classes``: ``payloads.A | payloads.B``, or ``Any``."""
    return "Any" if any_message else " | ".join(f"payloads.{name}" for name in classes)


def connections_module(api: Api) -> ConnectionsModule:
    """The layout decisions of the connection layer for ``api``."""
    by_operation = {t.operation.id: t for t in sync_module(api).operations}
    channels = []
    for channel in api.used_channels:
        ops = api.operations_by_channel[channel.id]
        sending = [op for op in ops if op.client_sends]
        receiving = [op for op in ops if not op.client_sends]
        sends = _classes([cls for op in sending for cls in op.message_classes])
        receives = _classes([cls for op in receiving for cls in op.message_classes])
        # An operation without messages sends anything: ``send`` takes ``Any``, as ``publish_to_*`` does.
        any_message = any(not op.message_classes for op in sending)
        channels.append(
            ChannelConnection(
                channel=channel,
                sends=sends,
                receives=receives,
                send_type=_type(sends, any_message),
                receive_type=_type(receives, False),
                requests=tuple(by_operation[op.id] for op in sending if by_operation[op.id].requests),
                parameters=f"_parameters.{channel.parameters_class}" if channel.parameters_class else "",
                query=f"_servers.{channel.query_class}" if channel.query_class else "",
                headers=f"_headers.{channel.handshake_headers_class}" if channel.handshake_headers_class else "",
            )
        )
    return ConnectionsModule(channels=tuple(channels), sync_functions=api.sync_exports)
