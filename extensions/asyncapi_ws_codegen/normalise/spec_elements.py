"""Messages, channels and operations built from document nodes, for the 2.x and 3.x walks alike.

:class:`ElementBuilder` holds what one document shares: the schema compiler, the class and function
namespaces, the messages built so far (one per pointer) and the perspective of the answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..check.payload_formats import check_schema_format, is_binary
from ..errors import SpecError, join_pointer, unescape_pointer_token
from ..ir import Alias, Channel, Message, Operation
from ..load.loaded_spec import locate
from ..pytext.identifiers import Namespace, pascal_case, snake_case, upper_snake
from ..schema.compiler import SchemaCompiler
from .channel_addresses import path_template_and_regex
from .channel_parameters import build_parameter
from .channel_servers import channel_servers
from .correlation_ids import correlation_location, correlation_pointer
from .handshake_bindings import handshake_fields
from .message_discriminators import discriminator
from .message_examples import document_payload_example
from .nodes import merge_patch, text_of

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def channel_display_name(channel_id: str) -> str:
    """What a channel's names are made from: its id, or ``root`` when the id has no word (``/``)."""
    return channel_id if any(char.isalnum() for char in channel_id) else "root"


@dataclass(frozen=True)
class Options:
    """Answers that shape the model."""

    # `client` or `server`: the side the document's `send` operations are sent from; `auto`: read it
    # from the document (normalise/perspective.py).
    perspective: str = "client"


# Names the generated modules define or import for themselves (channels.py, parameters.py, servers.py).
_MODULE_CLASS_NAMES = (
    "AsgiConnection",
    "ClientConnection",
    "Connection",
    "ConnectionCallback",
    "DataCallback",
    "DisconnectCallback",
    "ErrorCallback",
    "Kind",
    "MessageCallback",
    "ParameterError",
    "PayloadDecodeError",
    "PayloadError",
    "PayloadValidationError",
    "Registration",
    "Request",
    "Response",
    "Router",
    "ServerConnection",
    "Subscription",
    "Union",
)


class ElementBuilder:
    """Builds the records of one document, sharing names and messages across them."""

    def __init__(self, document: dict[str, Any], origin: str, options: Options) -> None:
        self.doc = document
        self.origin = origin
        self.options = options
        self.schemas = SchemaCompiler(document, origin)
        # One namespace for every class the modules import from each other: a message called
        # ``Router`` must not shadow the runtime's ``Router`` in channels.py.
        for taken in _MODULE_CLASS_NAMES:
            if taken not in self.schemas.names:
                self.schemas.names.claim(taken)
        self.messages: dict[str, Message] = {}
        self.aliases: list[Alias] = []
        self.function_names = Namespace()
        self.channel_constants = Namespace()
        # ``connect_<name>`` functions and their ``<Name>Connection`` classes, one per channel.
        self.channel_functions = Namespace()
        self.connection_classes = Namespace()
        self.default_content_type = text_of(document, "defaultContentType") or "application/json"
        self.major = 3 if str(document.get("asyncapi", "")).startswith("3") else 2

    def error(self, pointer: str, problem: str, hint: str) -> SpecError:
        return SpecError(locate(self.doc, pointer, self.origin), problem, hint)

    def mapping(self, node: Any, pointer: str) -> dict[str, Any]:
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise self.error(pointer, f"expected a mapping, found {type(node).__name__}", "fix the document structure")
        return node

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        return self.schemas.resolver.resolve(node, pointer)

    # -- messages -----------------------------------------------------------------------------

    def message(self, node: Any, pointer: str, fallback_name: str) -> Message:
        target, target_pointer = self.deref(node, pointer)
        if target_pointer in self.messages:
            return self.messages[target_pointer]
        own = self.mapping(target, target_pointer)
        target = self.apply_traits(own, target_pointer)
        if target_pointer.startswith("/components/messages/") and target_pointer.count("/") == 3:
            name = unescape_pointer_token(target_pointer.rsplit("/", 1)[-1])
        else:
            name = text_of(target, "name") or fallback_name
        content_type = text_of(target, "contentType") or self.default_content_type
        payload = target.get("payload")
        payload_pointer = join_pointer(target_pointer, "payload")
        schema_format = target.get("schemaFormat") if self.major == 2 else None
        format_pointer = join_pointer(target_pointer, "schemaFormat")
        if self.major >= 3 and isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            schema_format, format_pointer = payload["schemaFormat"], join_pointer(payload_pointer, "schemaFormat")
            payload_pointer = join_pointer(payload_pointer, "schema")
            payload = payload["schema"]
        problem = check_schema_format(schema_format, name)
        if problem:
            raise self.error(format_pointer, *problem)
        description = text_of(target, "description") or text_of(target, "summary") or text_of(target, "title")
        binary = is_binary(content_type, self.deref(payload, payload_pointer)[0])
        if payload is None:
            # No payload: any JSON value. Its schema is the empty schema at the would-be pointer.
            self.schemas.resolver.absent_schemas.add(payload_pointer)
        class_name = self.schemas.payload_class(
            payload if payload is not None else {}, payload_pointer, name, description, binary=binary
        )
        if not binary:
            given = document_payload_example(
                target, payload if payload is not None else {}, self.schemas.resolver.follow
            )
            if given is not None:
                self.schemas.use_example(class_name, *given)
        wanted = pascal_case(name)
        # An alias only when it gives the message its own name; a numbered alias of a numbered
        # class would just be a second name for the same thing.
        if wanted != class_name and wanted not in self.schemas.names:
            alias = self.schemas.names.claim(wanted)
            self.aliases.append(Alias(alias, class_name, description or f"Payload of the {name} message."))
            class_name = alias
        correlation, _ = self.deref(target.get("correlationId"), join_pointer(target_pointer, "correlationId"))
        message = Message(
            name=name,
            class_name=class_name,
            title=text_of(target, "title"),
            summary=text_of(target, "summary"),
            description=text_of(target, "description"),
            content_type=content_type,
            binary=binary,
            headers_class=self.headers_class(target, *self.headers_origin(own, target_pointer, name)),
            correlation_pointer=correlation_pointer(correlation),
            correlation_location=correlation_location(correlation),
            discriminator=discriminator(self.deref, payload, payload_pointer),
        )
        self.messages[target_pointer] = message
        return message

    def headers_class(self, message: dict[str, Any], pointer: str, name: str) -> str | None:
        """The class of the message's ``headers`` schema, when it describes an object."""
        headers_pointer = join_pointer(pointer, "headers")
        headers, resolved_pointer = self.deref(message.get("headers"), headers_pointer)
        if not SchemaCompiler.is_object_model(headers):
            return None
        hint = f"{name} headers" if resolved_pointer == headers_pointer else resolved_pointer.rsplit("/", 1)[-1]
        return self.schemas.model(headers, resolved_pointer, hint, text_of(headers, "description"))

    def headers_origin(self, own: dict[str, Any], pointer: str, name: str) -> tuple[str, str]:
        """Where a message's ``headers`` are in the document, and a name for their class.

        Headers that only a trait gives live at that trait (a pointer validators can follow), and
        their class is named after the trait, since every message with the trait shares it.
        """
        traits = own.get("traits")
        if "headers" in own or not isinstance(traits, list):
            return pointer, name
        for index in reversed(range(len(traits))):
            trait, trait_pointer = self.deref(traits[index], join_pointer(pointer, "traits", index))
            if isinstance(trait, dict) and "headers" in trait:
                key = unescape_pointer_token(trait_pointer.rsplit("/", 1)[-1])
                return trait_pointer, key.removesuffix("Headers").removesuffix("headers") or key
        return pointer, name

    def apply_traits(self, node: dict[str, Any], pointer: str) -> dict[str, Any]:
        """A message or operation with its ``traits`` applied.

        2.x: each trait's fields are copied in order, then the object's own fields win (shallow).
        3.x: traits are merged in order as JSON Merge Patches, then the object itself is merged on
        top, so the document wins, also inside nested objects such as ``bindings``.
        """
        traits = node.get("traits")
        if traits is None:
            return node
        if not isinstance(traits, list):
            raise self.error(join_pointer(pointer, "traits"), "`traits` must be a list", "write it as a YAML list")
        merged: dict[str, Any] = {}
        own = {key: value for key, value in node.items() if key != "traits"}
        for index, trait in enumerate(traits):
            trait_pointer = join_pointer(pointer, "traits", index)
            resolved, resolved_pointer = self.deref(trait, trait_pointer)
            if not isinstance(resolved, dict):
                raise self.error(resolved_pointer, "a trait must be a mapping", "fix the trait or its `$ref`")
            merged = merge_patch(merged, resolved) if self.major >= 3 else {**merged, **resolved}
        return merge_patch(merged, own) if self.major >= 3 else {**merged, **own}

    # -- channels -----------------------------------------------------------------------------

    def check_placeholders(self, address: str, pointer: str, key: str) -> None:
        """Refuse addresses whose values could not be told apart when a path is matched."""
        placeholders = _PLACEHOLDER.findall(address)
        repeated = sorted({name for name in placeholders if placeholders.count(name) > 1})
        if repeated:
            raise self.error(
                join_pointer(pointer, key),
                f"address {address!r} uses {{{repeated[0]}}} more than once",
                "give each place its own parameter (a path could carry two different values)",
            )
        if "}{" in address:
            raise self.error(
                join_pointer(pointer, key),
                f"address {address!r} has two parameters with nothing between them",
                "put a literal separator between them (`{name}.{ext}`): a path could not be split",
            )

    def channel(
        self, channel_id: str, address: str, node: dict[str, Any], pointer: str, messages: tuple[Message, ...]
    ) -> Channel:
        declared = self.mapping(node.get("parameters"), join_pointer(pointer, "parameters"))
        placeholders = _PLACEHOLDER.findall(address)
        for placeholder in placeholders:
            if placeholder not in declared:
                raise self.error(
                    join_pointer(pointer, "address" if "address" in node else "parameters"),
                    f"address {address!r} uses {{{placeholder}}}, which is not declared in `parameters`",
                    f"declare `{placeholder}` under the channel's parameters or fix the address",
                )
        self.check_placeholders(address, pointer, "address" if "address" in node else "parameters")
        names = Namespace(("get_channel_with_parameters", "create_from_channel", "ADDRESS"))
        parameters = []
        found = list(_PLACEHOLDER.finditer(address))
        for match in found:
            wire = match.group(1)
            spec, spec_pointer = self.deref(declared.get(wire, {}), join_pointer(pointer, "parameters", wire))
            spec = self.mapping(spec, spec_pointer)
            # 3.x parameters have no schema (their values are strings); 2.x ones carry a JSON Schema.
            typed = self.major < 3 and isinstance(spec.get("schema"), dict)
            schema, _ = self.deref(spec.get("schema", spec), join_pointer(spec_pointer, "schema"))
            schema = schema if isinstance(schema, dict) else {}
            parameters.append(
                build_parameter(
                    names.claim(snake_case(wire)),
                    wire,
                    spec,
                    schema,
                    typed=typed,
                    description=text_of(spec, "description") or text_of(schema, "description"),
                )
            )
        path_template, path_regex = path_template_and_regex(address, found)
        named = channel_display_name(channel_id)
        class_name = self.schemas.names.claim(pascal_case(named) + "Parameters") if parameters else None
        return Channel(
            id=channel_id,
            address=address,
            description=text_of(node, "description") or text_of(node, "summary"),
            parameters_class=class_name,
            parameters=tuple(parameters),
            path_regex=path_regex,
            path_template=path_template,
            constant_name=self.channel_constants.claim(upper_snake(named) + "_ADDRESS"),
            messages=messages,
            snake=self.channel_functions.claim(snake_case(named, fallback="channel")),
            connection_class=self.connection_classes.claim(pascal_case(named, fallback="Channel") + "Connection"),
            servers=channel_servers(node),
            **self.handshake(named, node, pointer),
        )

    def handshake(self, channel_id: str, node: dict[str, Any], pointer: str) -> dict[str, Any]:
        """``bindings.ws.query`` and ``bindings.ws.headers`` as typed handshake fields."""
        bindings, bindings_pointer = self.deref(node.get("bindings"), join_pointer(pointer, "bindings"))
        ws, ws_pointer = self.deref(
            bindings.get("ws") if isinstance(bindings, dict) else None, join_pointer(bindings_pointer, "ws")
        )
        found: dict[str, Any] = {}
        for key, suffix, attr in (("query", "Query", "query"), ("headers", "Headers", "handshake_headers")):
            raw = ws.get(key) if isinstance(ws, dict) else None
            fields = handshake_fields(self.deref, raw, join_pointer(ws_pointer, key))
            if fields:
                # One namespace with the payload classes: `channels` imports query, header and
                # payload classes side by side, so a query class must not take a payload's name.
                found[f"{attr}_class"] = self.schemas.names.claim(pascal_case(channel_id) + suffix)
                found[f"{attr}_fields" if key == "query" else "handshake_header_fields"] = fields
        return found

    # -- operations -----------------------------------------------------------------------------

    def client_sends(self, action: str) -> bool:
        """Whether the generated client sends the messages of an operation with ``action``."""
        return (action == "send") == (self.options.perspective == "client")

    def operation(
        self,
        op_id: str,
        action: str,
        node: dict[str, Any],
        channel: Channel,
        messages: tuple[Message, ...],
        reply: tuple[Message, ...],
        reply_operation: str = "",
        *,
        name: str = "",
    ) -> Operation:
        """``name`` is what the functions are named after when it is not ``op_id`` (2.x operations
        without an ``operationId``)."""
        client_sends = self.client_sends(action)
        if not messages:
            messages = channel.messages
        snake = self.function_names.claim(snake_case(name or op_id, fallback="operation"))
        return Operation(
            id=op_id,
            snake=snake,
            summary=text_of(node, "summary"),
            description=text_of(node, "description"),
            deprecated=bool(node.get("deprecated")),
            client_sends=client_sends,
            channel=channel,
            messages=messages,
            message_annotation=" | ".join(dict.fromkeys(m.class_name for m in messages)) or "Any",
            reply_messages=reply,
            reply_annotation=" | ".join(dict.fromkeys(m.class_name for m in reply)),
            reply_operation=reply_operation,
        )
