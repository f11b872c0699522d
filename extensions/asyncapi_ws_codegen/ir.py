"""What the templates see: frozen, template-ready records with public fields only.

Templates loop over these and call macros; they never compute names, escape text or read the raw
document. Code fragments (annotations, encode/decode expressions) are produced by the schema
compiler (``schemas.py`` and the ``schema_*`` modules).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .metadata import ProjectInfo
from .schema_types import fill, fitted
from .textfilters import py_str


@dataclass(frozen=True)
class Field:
    """One attribute of a payload, parameter or header class."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    # Python source of the default (``None``, ``UNSET``, a literal) when the field is optional.
    default: str | None
    # Python expressions with ``$`` (``schema_types.HOLE``) standing for the value being converted.
    encode: str
    decode: str
    description: str
    # Optional but allowed to be null: absent is ``UNSET``, null is ``None``.
    uses_unset: bool
    # A Python literal for an example value (used by the generated tests).
    example: str
    # Optional with a schema ``default``: absent reads as the default and is omitted again on output.
    applies_default: bool = False

    @property
    def default_differs(self) -> str:
        """The comparison (``!= 0``, ``is not True``) telling a value apart from the default."""
        operator = "is not" if self.default in ("None", "True", "False") else "!="
        return f"{operator} {self.default}"

    @property
    def line(self) -> str:
        """The dataclass attribute line (``name: annotation = default``)."""
        if self.default is None:
            return fitted(f"    {self.name}: {self.annotation}")
        return fitted(f"    {self.name}: {self.annotation} = {self.default}")

    @property
    def encode_guard(self) -> str:
        """The ``if`` line before an optional property is written (absent values are not)."""
        if self.uses_unset:
            test = f"not isinstance(self.{self.name}, Unset)"
        elif self.applies_default:
            test = f"{self.wire_literal} not in self._absent or self.{self.name} {self.default_differs}"
        else:
            test = f"self.{self.name} is not None"
        return fitted(f"        if {test}:")

    @property
    def decode_guard(self) -> str:
        """The ``if`` line before an optional property is read."""
        return fitted(f"        if {self.wire_literal} in data:")

    def encode_statement(self, indent: int) -> str:
        """``data[<wire name>] = <encoded>`` at ``indent``."""
        return fitted(f"{' ' * indent}data[{self.wire_literal}] = {self.encoded}")

    def decode_statement(self, indent: int) -> str:
        """``instance.<name> = <decoded>`` at ``indent``."""
        return fitted(f"{' ' * indent}instance.{self.name} = {self.decoded}")

    @property
    def local_name(self) -> str:
        """The local variable a long required value is decoded into before the constructor call."""
        return f"f_{self.name}"

    @property
    def needs_local(self) -> bool:
        """Whether ``<name>=<decoded>,`` is too long for a constructor argument line."""
        return len(f"            {self.name}={self.decoded},") > 100

    @property
    def local_statement(self) -> str:
        """``f_<name> = <decoded>`` (see :attr:`needs_local`)."""
        return fitted(f"        {self.local_name} = {self.decoded}")

    @property
    def wire_literal(self) -> str:
        """The wire name as a Python string literal."""
        return py_str(self.wire_name)

    @property
    def encoded(self) -> str:
        """Expression converting ``self.<name>`` to JSON data."""
        return fill(self.encode, f"self.{self.name}")

    @property
    def decoded(self) -> str:
        """Expression converting ``data[<wire name>]`` from JSON data."""
        return fill(self.decode, f"data[{self.wire_literal}]")

    @property
    def decoded_whole(self) -> str:
        """Expression converting the whole ``data`` (wrapper classes)."""
        return fill(self.decode, "data")


@dataclass(frozen=True)
class Model:
    """A generated dataclass (payload, component schema, headers)."""

    class_name: str
    description: str
    fields: tuple[Field, ...]
    # Key of this model's JSON Schema in the package's schemas.json ("" when not validated alone).
    schema_key: str
    # For non-object payloads the class wraps one value in the field ``value``.
    is_wrapper: bool
    # Extra properties allowed by the schema are kept in ``additional_properties``.
    extra_annotation: str | None
    extra_encode: str
    extra_decode: str
    example_json: str
    # Whether the example was checked against every constraint the synthesiser understands.
    example_checked: bool = True
    # JSON text of a value the schema rejects (``None`` when the schema accepts every JSON value).
    invalid_json: str | None = None
    # A wrapper of ``bytes`` sent as binary frames (``format: binary``, ``application/octet-stream``).
    is_binary: bool = False
    # Symbols the class needs in the module (``datetime``, ``to_data``, ``union``, ``TypeAlias``...).
    needs: frozenset[str] = frozenset()
    # Module-level helpers placed before the class: union decoders and long type aliases.
    decoders: tuple[UnionDecoder, ...] = ()
    aliases: tuple[TypeAliasDef, ...] = ()

    @property
    def class_line(self) -> str:
        """The ``class`` statement."""
        base = "BinaryModel" if self.is_binary else "Model"
        return fitted(f"class {self.class_name}({base}):")

    @property
    def schema_pointer_line(self) -> str:
        """``SCHEMA_POINTER = "..."``."""
        return fitted(f"    SCHEMA_POINTER = {py_str(self.schema_key)}")

    @property
    def wrapper_encode_line(self) -> str:
        """The ``return`` of a wrapper's ``to_json_data``."""
        return fitted(f"        return {self.fields[0].encoded}")

    @property
    def wrapper_decode_line(self) -> str:
        """The ``return`` of a wrapper's ``_from_valid_data``."""
        return fitted(f"        return cls(value={self.fields[0].decoded_whole})")

    @property
    def extra_encode_line(self) -> str:
        """Copying one additional property into the JSON data."""
        return fitted(f"                data[key] = {self.extra_encoded}")

    @property
    def extra_decode_line(self) -> str:
        """Copying one additional property from the JSON data."""
        return fitted(f"                    instance.additional_properties[key] = {self.extra_decoded}")

    @property
    def required_fields(self) -> tuple[Field, ...]:
        """Fields the constructor needs."""
        return tuple(f for f in self.fields if f.required)

    @property
    def defaulted_fields(self) -> tuple[Field, ...]:
        """Fields whose schema default is applied when the property is absent."""
        return tuple(f for f in self.fields if f.applies_default)

    @property
    def extra_encoded(self) -> str:
        """Expression converting one extra property ``value`` to JSON data."""
        return fill(self.extra_encode, "value")

    @property
    def extra_decoded(self) -> str:
        """Expression converting one extra property ``value`` from JSON data."""
        return fill(self.extra_decode, "value")


@dataclass(frozen=True)
class TypeAliasDef:
    """A module-level alias for an annotation too long for its attribute line."""

    name: str
    annotation: str

    @property
    def line(self) -> str:
        """``Name: TypeAlias = "annotation"`` (a string: ``mypy`` reads it, nothing runs it)."""
        return fitted(f"{self.name}: TypeAlias = {py_str(self.annotation)}")


@dataclass(frozen=True)
class UnionCase:
    """One way a union decoder builds a value: when ``test`` holds, ``decode`` of ``data``."""

    # A Python literal: the discriminator value, or the schema pointer to try (``""``: always).
    test: str
    decode: str

    @property
    def tag_line(self) -> str:
        """``if tag == <value>:``."""
        return fitted(f"    if tag == {self.test}:")

    @property
    def match_line(self) -> str:
        """``if matches(<pointer>, data):``."""
        return fitted(f"    if matches({self.test}, data):")

    def return_line(self, indent: int) -> str:
        """``return <decode>`` at ``indent``."""
        return fitted(f"{' ' * indent}return {self.decode}")


@dataclass(frozen=True)
class UnionDecoder:
    """A module-level function turning JSON data into one of a union's types."""

    name: str
    # The discriminating property as a Python literal, when the options have one.
    tag_literal: str | None
    cases: tuple[UnionCase, ...]
    tries: tuple[UnionCase, ...]

    @property
    def def_line(self) -> str:
        """The ``def`` statement."""
        return fitted(f"def {self.name}(data: Any) -> Any:")


@dataclass(frozen=True)
class Alias:
    """A message name that refers to a payload class of another name."""

    name: str
    target: str
    doc: str

    @property
    def line(self) -> str:
        """``Name = Target``."""
        return fitted(f"{self.name} = {self.target}")


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
        """The attribute's Python type."""
        return {"integer": "int", "number": "float", "boolean": "bool"}.get(self.kind, "str")

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
    # The address as a ``str.format`` template: literal parts percent-encoded (``addresses.py``),
    # ``{0}``, ``{1}``... for the parameters in address order.
    path_template: str
    constant_name: str
    messages: tuple[Message, ...]
    # ``bindings.ws.query`` / ``bindings.ws.headers`` as typed handshake classes.
    query_class: str | None = None
    query_fields: tuple[HandshakeField, ...] = ()
    handshake_headers_class: str | None = None
    handshake_header_fields: tuple[HandshakeField, ...] = ()

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
    def payload_typing_imports(self) -> tuple[str, ...]:
        """Names ``payloads.py`` imports from ``typing``."""
        if not self.json_models:
            return ()
        extra = {"TypeAlias"} & self.payload_needs
        if any(model.defaulted_fields or model.extra_annotation for model in self.models):
            extra.add("ClassVar")
        return tuple(sorted({"Any", "Self", *extra, *self.typing_imports}))

    @property
    def json_models(self) -> tuple[Model, ...]:
        """Payload classes carried as JSON (every class but the binary wrappers)."""
        return tuple(model for model in self.models if not model.is_binary)

    @property
    def payload_exports(self) -> tuple[str, ...]:
        """Public names of ``payloads.py``, sorted."""
        return tuple(sorted([m.class_name for m in self.models] + [a.name for a in self.message_aliases]))

    @property
    def channel_payload_imports(self) -> tuple[str, ...]:
        """Payload classes ``channels.py`` uses."""
        names = {c for op in self.operations for c in (*op.message_classes, *op.reply_classes)}
        return tuple(sorted(names))

    @property
    def channel_parameter_imports(self) -> tuple[str, ...]:
        """Parameter classes ``channels.py`` uses."""
        return tuple(sorted({op.channel.parameters_class for op in self.operations if op.channel.parameters_class}))

    @property
    def used_channels(self) -> tuple[Channel, ...]:
        """Channels that at least one operation uses, in spec order."""
        ids = {op.channel.id for op in self.operations}
        return tuple(c for c in self.channels if c.id in ids)

    @property
    def demo_modules(self) -> tuple[str, ...]:
        """The package modules the generated demo imports, sorted."""
        used = self.used_channels
        modules = {"channels", "payloads"}
        if self.channel_parameter_imports:
            modules.add("parameters")
        if any(c.required_query_fields for c in used):
            modules.add("servers")
        if any(c.required_header_fields for c in used):
            modules.add("headers")
        return tuple(sorted(modules))

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
        names = ["Router", "Subscription"] + [c.constant_name for c in self.used_channels]
        for op in self.operations:
            names += [f"publish_to_{op.snake}", f"register_{op.snake}"]
            if not op.client_sends:
                names.append(f"subscribe_to_{op.snake}")
            if op.client_sends and op.reply_messages:
                names.append(f"request_{op.snake}")
        return tuple(sorted(names))

    @property
    def parameter_exports(self) -> tuple[str, ...]:
        """Public names of ``parameters.py``, sorted."""
        return tuple(sorted(c.parameters_class for c in self.channels if c.parameters_class))

    @property
    def parameter_parsers(self) -> tuple[str, ...]:
        """The runtime parse functions ``parameters.py`` imports, sorted."""
        names = {p.parser for c in self.parameterised_channels for p in c.parameters if p.parser}
        return tuple(sorted(names))

    @property
    def parameterised_channels(self) -> tuple[Channel, ...]:
        """Channels that have a parameters class."""
        return tuple(channel for channel in self.channels if channel.parameters_class)

    @property
    def client_send_operations(self) -> tuple[Operation, ...]:
        """Operations whose messages the client sends."""
        return tuple(op for op in self.operations if op.client_sends)

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
