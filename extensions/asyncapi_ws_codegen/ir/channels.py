"""Template records of messages, channels, operations, their parameters and the servers."""

from __future__ import annotations

from dataclasses import dataclass

from ..pytext.escaping import py_str


@dataclass(frozen=True)
class Alias:
    """A message name that refers to a payload class of another name."""

    name: str
    target: str
    doc: str


@dataclass(frozen=True)
class Message:
    """A message a channel carries; its payload is ``model``."""

    name: str
    class_name: str
    title: str
    summary: str
    description: str
    content_type: str
    binary: bool
    # Class of the message's ``headers`` schema (re-exported by ``headers.py``), if it has one.
    headers_class: str | None = None
    # JSON pointer of the correlation id inside the payload (``$message.payload#/...``), or "".
    correlation_pointer: str = ""
    # The ``correlationId.location`` as written (payload or header), or "": 2.x request/reply pairs
    # are recognised by two messages sharing it.
    correlation_location: str = ""
    # Cheap pre-filter for telling messages apart on a shared connection: properties whose schema
    # fixes one value, as (wire name, Python literal of the value, required).
    discriminator: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class HandshakeField:
    """One query parameter or header of the WebSocket handshake (``bindings.ws``)."""

    name: str
    wire_name: str
    # One of "string", "integer", "number", "boolean".
    kind: str
    annotation: str
    required: bool
    # Python literal of the default (``None`` when there is none).
    default: str
    enum: tuple[str, ...]
    description: str
    example: str
    # ``check_limits`` keyword -> Python literal: ``pattern``, numeric bounds or length bounds.
    checks: tuple[tuple[str, str], ...] = ()

    @property
    def example_literal(self) -> str:
        """The example as a Python literal of the field's type."""
        if self.kind in ("integer", "number"):
            try:
                number = float(self.example)
            except ValueError:
                number = 0.0
            return str(int(number)) if self.kind == "integer" else repr(number)
        if self.kind == "boolean":
            return "True" if self.example == "true" else "False"
        return py_str(self.example)


@dataclass(frozen=True)
class Parameter:
    """A channel (URL path) parameter.

    ``enum``, ``default`` and ``example`` are canonical path texts (``7``, ``2.5``, ``true``);
    the ``*_literal`` properties give them as Python literals of the attribute's type.
    """

    name: str
    wire_name: str
    description: str
    enum: tuple[str, ...]
    pattern: str | None
    default: str | None
    example: str
    # "string", "integer", "number" or "boolean" (2.x ``schema.type``; 3.x parameters are strings).
    kind: str = "string"
    # ``check_parameter`` keyword -> Python literal: numeric bounds, or length bounds of strings.
    limits: tuple[tuple[str, str], ...] = ()

    @property
    def annotation(self) -> str:
        """The attribute's Python type: ``Literal[...]`` of an enum (but floats, which ``Literal`` cannot hold)."""
        if self.is_literal:
            return f"Literal[{', '.join(self.enum_literals)}]"
        return {"integer": "int", "number": "float", "boolean": "bool"}.get(self.kind, "str")

    @property
    def is_literal(self) -> bool:
        """Whether the attribute is typed ``Literal[...]`` (an enum of strings, integers or booleans)."""
        return bool(self.enum) and self.kind != "number"

    @property
    def parser(self) -> str | None:
        """The runtime function turning path text into the attribute's type (none for strings)."""
        return None if self.kind == "string" else f"parse_{self.kind}"

    def _literal(self, text: str) -> str:
        if self.kind == "boolean":
            return "True" if text == "true" else "False"
        return text if self.kind in ("integer", "number") else py_str(text)

    @property
    def enum_literals(self) -> tuple[str, ...]:
        """The enum values as Python literals of the attribute's type."""
        return tuple(self._literal(value) for value in self.enum)

    @property
    def example_literal(self) -> str:
        """The example as a Python literal of the attribute's type."""
        return self._literal(self.example)

    @property
    def test_value(self) -> str:
        """A valid value; unconstrained strings include characters that need percent-encoding."""
        if self.enum:
            return self.enum[0]
        if self.kind != "string" or self.pattern is not None:
            return self.example
        if any(keyword == "max_length" for keyword, _ in self.limits):
            return self.example
        return f"{self.example} a/b%"

    @property
    def test_literal(self) -> str:
        """:attr:`test_value` as a Python literal of the attribute's type."""
        return self._literal(self.test_value)


@dataclass(frozen=True)
class Channel:
    """A channel: an address (URL path) and the messages on it."""

    id: str
    address: str
    description: str
    parameters_class: str | None
    parameters: tuple[Parameter, ...]
    # Regular expression matching the canonical path (without query) with groups ``p0``, ``p1``...
    path_regex: str
    # The address as a ``str.format`` template: literal parts percent-encoded (``normalise/channel_addresses.py``),
    # ``{0}``, ``{1}``... for the parameters in address order.
    path_template: str
    constant_name: str
    messages: tuple[Message, ...]
    # ``bindings.ws.query`` / ``bindings.ws.headers`` as typed handshake classes.
    query_class: str | None = None
    query_fields: tuple[HandshakeField, ...] = ()
    handshake_headers_class: str | None = None
    handshake_header_fields: tuple[HandshakeField, ...] = ()
    # ``connect_<snake>`` opens the channel; ``connection_class`` is its typed connection.
    snake: str = "channel"
    connection_class: str = "ChannelConnection"
    # The servers the channel is available on (``channel.servers``; empty: all of them).
    servers: tuple[str, ...] = ()

    @property
    def encoded_address(self) -> str:
        """The address as a URL path (literal parts percent-encoded); for channels without parameters."""
        return self.path_template

    @property
    def required_query_fields(self) -> tuple[HandshakeField, ...]:
        """Query parameters a client must send to be accepted."""
        return tuple(f for f in self.query_fields if f.required)

    @property
    def required_header_fields(self) -> tuple[HandshakeField, ...]:
        """Handshake headers a client must send to be accepted."""
        return tuple(f for f in self.handshake_header_fields if f.required)


@dataclass(frozen=True)
class Operation:
    """An operation on a channel, seen from the generated client's side."""

    id: str
    snake: str
    summary: str
    description: str
    deprecated: bool
    # True when the client sends this operation's messages (and the server receives them).
    client_sends: bool
    channel: Channel
    messages: tuple[Message, ...]
    message_annotation: str
    reply_messages: tuple[Message, ...]
    reply_annotation: str
    # AsyncAPI 2.x only: the operation whose messages answer this one (paired by correlation id
    # location on the same channel), else "".
    reply_operation: str = ""

    @property
    def server_sends(self) -> bool:
        """Whether the server sends this operation's messages, so it may broadcast them.

        The perspective answer is already applied to ``client_sends``; replies are not broadcast
        (each answers one request on one connection).
        """
        return not self.client_sends

    @property
    def message_classes(self) -> tuple[str, ...]:
        """Distinct classes of this operation's messages, in spec order."""
        return tuple(dict.fromkeys(m.class_name for m in self.messages))

    @property
    def reply_classes(self) -> tuple[str, ...]:
        """Distinct classes of this operation's reply messages, in spec order."""
        return tuple(dict.fromkeys(m.class_name for m in self.reply_messages))


@dataclass(frozen=True)
class Server:
    """A server from ``servers`` with its connect URL template."""

    name: str
    url: str
    protocol: str
    description: str
    # ``url`` with ``{variable}`` placeholders; variables as (name, default, enum values).
    variables: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
