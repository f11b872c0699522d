"""AsyncAPI 2.x and 3.x -> one :class:`~.ir.Api`.

2.x ``subscribe`` (the application sends) maps to 3.x ``send``; 2.x ``publish`` maps to ``receive``.
With the default *client* perspective, ``send`` means the generated client sends and the server
receives (the reference generator's reading); the *server* perspective flips every operation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .addresses import path_template_and_regex
from .channel_parameters import build_parameter
from .errors import Location, SpecError, join_pointer, unescape_pointer_token
from .formats import check_schema_format, is_binary
from .handshake import (
    correlated_replies,
    correlation_location,
    correlation_pointer,
    discriminator,
    handshake_fields,
    server_template,
)
from .ir import Alias, Api, Channel, Message, Operation, Server
from .loader import locate
from .metadata import project_info
from .naming import Namespace, pascal_case, snake_case, upper_snake
from .schemas import SchemaCompiler, python_literal
from .structure import check_structure

SUPPORTED_VERSIONS = ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Options:
    """Answers that shape the model."""

    perspective: str = "client"


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) else ""


# Names the generated modules define or import for themselves (channels.py, parameters.py, servers.py).
_MODULE_CLASS_NAMES = (
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


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: ``patch`` applied to ``target`` (neither is modified)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


class _Normaliser:
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
        self.handshake_class_names = Namespace(("SERVERS", "channel_url", "server_url"))
        self.default_content_type = _text(document, "defaultContentType") or "application/json"
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
        return self.schemas.resolve(node, pointer)

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
            name = _text(target, "name") or fallback_name
        content_type = _text(target, "contentType") or self.default_content_type
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
        description = _text(target, "description") or _text(target, "summary") or _text(target, "title")
        binary = is_binary(content_type, self.deref(payload, payload_pointer)[0])
        if payload is None:
            # No payload: any JSON value. Its schema is the empty schema at the would-be pointer.
            self.schemas.absent_schemas.add(payload_pointer)
        class_name = self.schemas.payload_class(
            payload if payload is not None else {}, payload_pointer, name, description, binary=binary
        )
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
            title=_text(target, "title"),
            summary=_text(target, "summary"),
            description=_text(target, "description"),
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
        return self.schemas.model(headers, resolved_pointer, hint, _text(headers, "description"))

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
            merged = _merge_patch(merged, resolved) if self.major >= 3 else {**merged, **resolved}
        return _merge_patch(merged, own) if self.major >= 3 else {**merged, **own}

    # -- channels -----------------------------------------------------------------------------

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
                    description=_text(spec, "description") or _text(schema, "description"),
                )
            )
        path_template, path_regex = path_template_and_regex(address, found)
        class_name = self.schemas.names.claim(pascal_case(channel_id) + "Parameters") if parameters else None
        return Channel(
            id=channel_id,
            address=address,
            description=_text(node, "description") or _text(node, "summary"),
            parameters_class=class_name,
            parameters=tuple(parameters),
            path_regex=path_regex,
            path_template=path_template,
            constant_name=self.channel_constants.claim(upper_snake(channel_id) + "_ADDRESS"),
            messages=messages,
            **self.handshake(channel_id, node, pointer),
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
                names = self.handshake_class_names if key == "query" else self.schemas.names
                found[f"{attr}_class"] = names.claim(pascal_case(channel_id) + suffix)
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
    ) -> Operation:
        client_sends = self.client_sends(action)
        if not messages:
            messages = channel.messages
        snake = self.function_names.claim(snake_case(op_id, fallback="operation"))
        return Operation(
            id=op_id,
            snake=snake,
            summary=_text(node, "summary"),
            description=_text(node, "description"),
            deprecated=bool(node.get("deprecated")),
            client_sends=client_sends,
            channel=channel,
            messages=messages,
            message_annotation=" | ".join(dict.fromkeys(m.class_name for m in messages)) or "Any",
            reply_messages=reply,
            reply_annotation=" | ".join(dict.fromkeys(m.class_name for m in reply)),
            reply_operation=reply_operation,
        )


def _version(document: dict[str, Any], origin: str) -> str:
    version = document.get("asyncapi")
    if version is None:
        raise SpecError(
            Location(origin, "/asyncapi"),
            "this is not an AsyncAPI document: the `asyncapi` version field is missing",
            "add `asyncapi: 3.0.0` (or the 2.x version it is written for) at the top",
        )
    text = str(version)
    if text not in SUPPORTED_VERSIONS:
        hint = f"use one of {', '.join(SUPPORTED_VERSIONS)}"
        if not isinstance(version, str):
            hint += " and quote it (YAML reads an unquoted 3.0 as a number)"
        raise SpecError(Location(origin, "/asyncapi"), f"AsyncAPI version {text!r} is not supported", hint)
    return text


def _normalise_v3(n: _Normaliser) -> tuple[list[Channel], list[Operation]]:
    doc = n.doc
    channels: dict[str, Channel] = {}
    for channel_id, raw in n.mapping(doc.get("channels"), "/channels").items():
        pointer = join_pointer("/channels", channel_id)
        node, node_pointer = n.deref(raw, pointer)
        node = n.mapping(node, node_pointer)
        address = node.get("address")
        address = address if isinstance(address, str) else ""
        messages = tuple(
            n.message(msg, join_pointer(node_pointer, "messages", key), key)
            for key, msg in n.mapping(node.get("messages"), join_pointer(node_pointer, "messages")).items()
        )
        channels[node_pointer] = n.channel(channel_id, address, node, node_pointer, messages)
        channels.setdefault(pointer, channels[node_pointer])
    operations = []
    for op_id, raw in n.mapping(doc.get("operations"), "/operations").items():
        pointer = join_pointer("/operations", op_id)
        node, node_pointer = n.deref(raw, pointer)
        node = n.apply_traits(n.mapping(node, node_pointer), node_pointer)
        action = node.get("action")
        if action not in ("send", "receive"):
            raise n.error(
                join_pointer(node_pointer, "action"),
                f"operation action {action!r} is not send/receive",
                "set `action: send` or `action: receive`",
            )
        channel_ref = node.get("channel", {})
        target = channel_ref.get("$ref", "")[1:] if isinstance(channel_ref, dict) else ""
        if target not in channels:
            raise n.error(
                join_pointer(node_pointer, "channel"),
                f"operation {op_id!r} points at channel {target or channel_ref!r}, which is not in `channels`",
                "reference a channel as {$ref: '#/channels/<id>'}",
            )
        channel = channels[target]
        messages = tuple(
            n.message(m, join_pointer(node_pointer, "messages", i), f"{op_id} message")
            for i, m in enumerate(node.get("messages") or [])
        )
        reply: tuple[Message, ...] = ()
        reply_node, reply_pointer = n.deref(node.get("reply"), join_pointer(node_pointer, "reply"))
        if isinstance(reply_node, dict):
            reply_messages = reply_node.get("messages") or []
            reply = tuple(
                n.message(m, join_pointer(reply_pointer, "messages", i), f"{op_id} reply")
                for i, m in enumerate(reply_messages)
            )
            if not reply and isinstance(reply_node.get("channel"), dict):
                reply_channel = reply_node["channel"].get("$ref", "")[1:]
                reply = channels[reply_channel].messages if reply_channel in channels else ()
        operations.append(n.operation(op_id, action, node, channel, messages, reply))
    return list(dict.fromkeys(channels.values())), operations


def _normalise_v2(n: _Normaliser) -> tuple[list[Channel], list[Operation]]:
    channels = []
    pending: list[tuple[str, str, dict[str, Any], Channel, tuple[Message, ...]]] = []
    seen_ids: dict[str, str] = {}
    for address, raw in n.mapping(n.doc.get("channels"), "/channels").items():
        pointer = join_pointer("/channels", address)
        node, node_pointer = n.deref(raw, pointer)
        node = n.mapping(node, node_pointer)
        per_action: dict[str, tuple[Message, ...]] = {}
        for verb in ("subscribe", "publish"):
            op, op_pointer = n.deref(node.get(verb), join_pointer(node_pointer, verb))
            if not isinstance(op, dict):
                continue
            op = n.apply_traits(op, op_pointer)
            op_id = op.get("operationId")
            if isinstance(op_id, str) and op_id in seen_ids:
                raise n.error(
                    join_pointer(op_pointer, "operationId"),
                    f"operationId {op_id!r} is used twice (also at {seen_ids[op_id]})",
                    "give every operation its own operationId, as AsyncAPI requires",
                )
            if isinstance(op_id, str):
                seen_ids[op_id] = op_pointer
            msg_node, msg_pointer = n.deref(op.get("message"), join_pointer(op_pointer, "message"))
            fallback = f"{op.get('operationId') or address + ' ' + verb} message"
            if isinstance(msg_node, dict) and isinstance(msg_node.get("oneOf"), list):
                msgs = tuple(
                    n.message(m, join_pointer(msg_pointer, "oneOf", i), f"{fallback} {i}")
                    for i, m in enumerate(msg_node["oneOf"])
                )
            elif msg_node is None:
                msgs = ()
            else:
                msgs = (n.message(op.get("message"), join_pointer(op_pointer, "message"), fallback),)
            per_action[verb] = msgs
        all_messages = tuple(dict.fromkeys(m for msgs in per_action.values() for m in msgs))
        channel = n.channel(address, address, node, node_pointer, all_messages)
        channels.append(channel)
        for verb, msgs in per_action.items():
            op, _ = n.deref(node[verb], join_pointer(node_pointer, verb))
            op = n.apply_traits(op, node_pointer)
            action = "send" if verb == "subscribe" else "receive"
            op_id = str(op.get("operationId") or f"{address} {verb}")
            pending.append((op_id, action, op, channel, msgs))
    replies = _v2_replies(n, pending)
    operations = [
        n.operation(op_id, action, op, ch, msgs, *replies.get(index, ((), "")))
        for index, (op_id, action, op, ch, msgs) in enumerate(pending)
    ]
    return channels, operations


def _v2_replies(
    n: _Normaliser, pending: list[tuple[str, str, dict[str, Any], Channel, tuple[Message, ...]]]
) -> dict[int, tuple[tuple[Message, ...], str]]:
    """2.x request/reply pairs: reply messages and the replying operation, by request index.

    Within one channel, the operation the client sends is the request and the one it receives
    the reply, when their messages declare a ``correlationId`` at the same location. The client
    is the side that asks, as in almost every WebSocket API (2.x cannot say otherwise). Operations
    on different channels never pair: each channel is its own WebSocket connection, and a reply
    arriving on another connection (AMQP-style ``replyTo`` queues) cannot be awaited on the one
    the request went out on.
    """
    replies: dict[int, tuple[tuple[Message, ...], str]] = {}
    for index, (_, action, _, channel, msgs) in enumerate(pending):
        if not n.client_sends(action):
            continue
        for other_id, other_action, _, other_channel, other_msgs in pending:
            if other_channel is channel and not n.client_sends(other_action):
                reply = correlated_replies(msgs, other_msgs)
                if reply:
                    replies[index] = (reply, other_id)
                    break
    return replies


def _servers(n: _Normaliser, major: int) -> list[Server]:
    servers = []
    for name, raw in n.mapping(n.doc.get("servers"), "/servers").items():
        node, _ = n.deref(raw, join_pointer("/servers", name))
        if not isinstance(node, dict):
            continue
        protocol = _text(node, "protocol")
        if major >= 3:
            host = _text(node, "host")
            path = _text(node, "pathname")
            url = host if "://" in host else f"{protocol}://{host}" if protocol else host
            url += path
        else:
            url = _text(node, "url")
            if "://" not in url and protocol:
                url = f"{protocol}://{url}"
        template, variables = server_template(n.deref, node, join_pointer("/servers", name), url)
        servers.append(
            Server(
                name=name,
                url=template,
                protocol=protocol,
                description=_text(node, "description"),
                variables=variables,
            )
        )
    return servers


def build_api(document: dict[str, Any], origin: str, options: Options | None = None) -> Api:
    """Normalise a bundled document into the model the templates render.

    Every refusal names the file, the line (when the document was read from a file) and the JSON
    pointer of the offending node.
    """
    try:
        return _build_api(document, origin, options)
    except SpecError as exc:
        where = exc.location
        if where.line is not None or where.file != origin:
            raise
        raise SpecError(locate(document, where.pointer, origin), exc.problem, exc.hint) from None


def _build_api(document: dict[str, Any], origin: str, options: Options | None = None) -> Api:
    options = options or Options()
    version = _version(document, origin)
    check_structure(document, lambda pointer: locate(document, pointer, origin))
    n = _Normaliser(document, origin, options)
    major = int(version.split(".")[0])
    channels, operations = _normalise_v3(n) if major >= 3 else _normalise_v2(n)
    info = n.mapping(document.get("info"), "/info")
    compiler = n.schemas
    schemas_json = json.dumps(compiler.schemas_document(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    typing_imports = sorted(compiler.typing)
    return Api(
        title=_text(info, "title") or "AsyncAPI service",
        version=str(info.get("version", "0.1.0")),
        description=_text(info, "description"),
        asyncapi_version=version,
        models=tuple(compiler.models),
        messages=tuple(n.messages.values()),
        channels=tuple(channels),
        operations=tuple(operations),
        servers=tuple(_servers(n, major)),
        schemas_json=schemas_json,
        uses_unset=compiler.uses_unset,
        typing_imports=tuple(typing_imports),
        message_aliases=tuple(n.aliases),
        project=project_info(document),
    )


__all__ = ["Options", "build_api", "python_literal"]
