"""The root record, :class:`Api`: one generated package, and the tables templates look up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .channels import Alias, Channel, Message, Operation, Server
from .payloads import Model
from .project import ProjectInfo


@dataclass(frozen=True)
class Api:
    """Everything one generated package is made from."""

    title: str
    version: str
    description: str
    asyncapi_version: str
    models: tuple[Model, ...]
    messages: tuple[Message, ...]
    channels: tuple[Channel, ...]
    operations: tuple[Operation, ...]
    servers: tuple[Server, ...]
    # JSON text of every schema the package validates against (sorted keys, deterministic).
    schemas_json: str
    uses_unset: bool
    typing_imports: tuple[str, ...]
    message_aliases: tuple[Alias, ...]
    # Packaging metadata (pyproject.toml, question defaults) from info.contact, license, externalDocs.
    project: ProjectInfo = field(default_factory=ProjectInfo)
    # The side the document's `send` operations are sent from, why, and whether `auto` decided it.
    perspective: str = "client"
    perspective_reason: str = "answered"
    perspective_decided: bool = False

    # Derived tables the templates look up once per item are computed once per model (the
    # dataclass is frozen but not slotted, so ``cached_property`` can store into the instance).
    @cached_property
    def examples_by_class(self) -> dict[str, str]:
        """Example JSON text per payload class name (aliases included)."""
        examples = {model.class_name: model.example_json for model in self.models}
        for alias in self.message_aliases:
            examples[alias.name] = examples[alias.target]
        return examples

    @cached_property
    def operations_by_channel(self) -> dict[str, tuple[Operation, ...]]:
        """The operations of each channel id, in spec order."""
        grouped: dict[str, list[Operation]] = {}
        for op in self.operations:
            grouped.setdefault(op.channel.id, []).append(op)
        return {channel_id: tuple(ops) for channel_id, ops in grouped.items()}

    @property
    def perspective_line(self) -> str:
        """One line for copier's messages: the side, why, what the client sends and receives, the flip."""
        how = f"`auto`: {self.perspective_reason}" if self.perspective_decided else "your answer"
        flip = "server" if self.perspective == "client" else "client"
        sent: list[str] = []
        received: list[str] = []
        for op in self.operations:
            (sent if op.client_sends else received).extend(m.class_name for m in op.messages)
            (received if op.client_sends else sent).extend(m.class_name for m in op.reply_messages)
        return (
            f"Perspective: {self.perspective} ({how}). The client sends {_some(sent)} and receives "
            f"{_some(received)}. If that is backwards: copier update --trust --defaults --data perspective={flip}"
        )

    @property
    def pep440_version(self) -> str:
        """``info.version`` when it is a plain PEP 440 release, else ``0.1.0``."""
        parts = self.version.removeprefix("v").split(".")
        return ".".join(parts) if all(part.isdigit() for part in parts) else "0.1.0"

    @property
    def has_extra_models(self) -> bool:
        """Whether any payload class keeps additional properties."""
        return any(model.extra_annotation for model in self.models)

    @property
    def payload_needs(self) -> frozenset[str]:
        """Symbols ``payloads.py`` needs beyond the basics (union of every model's needs)."""
        return frozenset().union(*(model.needs for model in self.models))

    @property
    def json_models(self) -> tuple[Model, ...]:
        """Payload classes carried as JSON (every class but the binary wrappers)."""
        return tuple(model for model in self.models if not model.is_binary)

    @property
    def payload_exports(self) -> tuple[str, ...]:
        """Public names of ``payloads.py``, sorted."""
        return tuple(sorted([m.class_name for m in self.models] + [a.name for a in self.message_aliases]))

    @property
    def used_channels(self) -> tuple[Channel, ...]:
        """Channels that at least one operation uses, in spec order."""
        ids = {op.channel.id for op in self.operations}
        return tuple(c for c in self.channels if c.id in ids)

    @property
    def has_subscriptions(self) -> bool:
        """Whether the client receives on any operation."""
        return any(not op.client_sends for op in self.operations)

    @property
    def has_requests(self) -> bool:
        """Whether any client-sent operation expects a reply."""
        return any(op.client_sends and op.reply_messages for op in self.operations)

    @property
    def channel_exports(self) -> tuple[str, ...]:
        """Public names of ``channels.py``, sorted."""
        names = ["AsgiConnection", "Router", "Subscription"] + [c.constant_name for c in self.used_channels]
        for op in self.operations:
            names += [f"publish_to_{op.snake}", f"register_{op.snake}"]
            if not op.client_sends:
                names.append(f"subscribe_to_{op.snake}")
            if op.server_sends:
                names.append(f"broadcast_to_{op.snake}")
            if op.client_sends and op.reply_messages:
                names.append(f"request_{op.snake}")
        return tuple(sorted(names))

    @property
    def sync_exports(self) -> tuple[str, ...]:
        """Public names of ``sync.py`` (the blocking client functions), sorted."""
        names: list[str] = []
        for op in self.operations:
            if not op.client_sends:
                names.append(f"subscribe_to_{op.snake}")
                continue
            names.append(f"publish_to_{op.snake}")
            if op.reply_messages:
                names.append(f"request_{op.snake}")
        return tuple(sorted(names))

    @property
    def parameter_exports(self) -> tuple[str, ...]:
        """Public names of ``parameters.py``, sorted."""
        return tuple(sorted(c.parameters_class for c in self.channels if c.parameters_class))

    @property
    def parameterised_channels(self) -> tuple[Channel, ...]:
        """Channels that have a parameters class."""
        return tuple(channel for channel in self.channels if channel.parameters_class)

    @property
    def has_literal_parameters(self) -> bool:
        """Whether any channel parameter is typed ``Literal[...]`` (parameters.py imports it)."""
        return any(p.is_literal for channel in self.channels for p in channel.parameters)

    @property
    def client_send_operations(self) -> tuple[Operation, ...]:
        """Operations whose messages the client sends."""
        return tuple(op for op in self.operations if op.client_sends)

    @property
    def broadcast_operations(self) -> tuple[Operation, ...]:
        """Operations the server sends, each with a ``broadcast_to_*`` function."""
        return tuple(op for op in self.operations if op.server_sends)

    @property
    def client_receive_operations(self) -> tuple[Operation, ...]:
        """Operations whose messages the client receives."""
        return tuple(op for op in self.operations if not op.client_sends)

    @property
    def message_headers_classes(self) -> tuple[str, ...]:
        """Classes of message ``headers`` schemas, sorted."""
        return tuple(sorted({m.headers_class for m in self.messages if m.headers_class}))

    @property
    def handshake_channels(self) -> tuple[Channel, ...]:
        """Channels whose ``bindings.ws`` describe handshake query parameters or headers."""
        return tuple(c for c in self.channels if c.query_class or c.handshake_headers_class)

    @property
    def has_headers(self) -> bool:
        """Whether ``headers.py`` has anything to define."""
        return bool(self.message_headers_classes) or any(c.handshake_headers_class for c in self.channels)

    @property
    def header_exports(self) -> tuple[str, ...]:
        """Public names of ``headers.py``, sorted."""
        names = [*self.message_headers_classes]
        names += [c.handshake_headers_class for c in self.channels if c.handshake_headers_class]
        return tuple(sorted(names))

    @property
    def server_exports(self) -> tuple[str, ...]:
        """Public names of ``servers.py``, sorted."""
        names = ["SERVERS", "channel_url", "server_url"]
        names += [c.query_class for c in self.channels if c.query_class]
        return tuple(sorted(names))

    @property
    def message_kinds(self) -> tuple[Message, ...]:
        """One message per payload class the channel functions send or receive, in spec order."""
        by_class: dict[str, Message] = {}
        for op in self.operations:
            for message in (*op.messages, *op.reply_messages):
                by_class.setdefault(message.class_name, message)
        return tuple(by_class.values())


def _some(names: Iterable[str], shown: int = 4) -> str:
    """``A, B, C, D and 3 more``; ``nothing`` for none."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return "nothing"
    listed = ", ".join(unique[:shown])
    return f"{listed} and {len(unique) - shown} more" if len(unique) > shown else listed
