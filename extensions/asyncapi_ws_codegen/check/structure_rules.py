"""Structural checks run before normalisation: the parts of the AsyncAPI and JSON Schema rules the
generator relies on, so a malformed document is refused with its location instead of failing later.

This is not a full validation against the official AsyncAPI JSON Schemas (the project does not ship
them); it covers the shapes the generator reads: the top level, ``info``, channels, operations,
messages and every JSON Schema reachable from a message (payload, headers) or ``components``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Location, SpecError, join_pointer
from .schema_cycles import SchemaCycles

Locate = Callable[[str], Location]

_JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_SINGLE = ("not", "additionalProperties", "additionalItems", "contains", "propertyNames", "if", "then", "else")
_NUMBERS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
_STRINGS = ("title", "description", "pattern", "format", "$ref")
_JSON_SCHEMA_FORMAT_PREFIXES = ("application/vnd.aai.asyncapi", "application/schema+")


class _Checker:
    """Walks the parts the generator reads and raises at the first malformed one.

    The rules read as a list: each is an ``if`` and a ``raise self.fail(pointer, problem, hint)``
    of its own, so rules for different nodes look alike without being the same rule.
    """

    def __init__(self, document: dict[str, Any], locate: Locate) -> None:
        self.doc = document
        self.locate = locate
        self.major = 3 if str(document.get("asyncapi", "")).startswith("3") else 2
        self.cycles = SchemaCycles(document, locate)

    def fail(self, pointer: str, problem: str, hint: str) -> SpecError:
        return SpecError(self.locate(pointer), problem, hint)

    def mapping(self, node: Any, pointer: str, what: str) -> dict[str, Any]:
        if node is None:
            return {}
        if not isinstance(node, dict):
            raise self.fail(pointer, f"{what} must be a mapping, found {_kind(node)}", f"write {what} as a mapping")
        return node

    # -- document ------------------------------------------------------------------------------

    def document(self) -> None:
        info = self.doc.get("info")
        if not isinstance(info, dict):
            raise self.fail(
                "/info" if "info" in self.doc else "",
                "the document has no `info` mapping"
                if info is None
                else f"`info` must be a mapping, found {_kind(info)}",
                "add `info:` with at least `title` and `version`",
            )
        for key in ("title", "version"):
            if not isinstance(info.get(key), str):
                raise self.fail(
                    join_pointer("/info", key) if key in info else "/info",
                    f"`info.{key}` is missing or not a string",
                    f"add `{key}:` under `info` (quote it if YAML reads it as a number)",
                )
        if self.major == 2 and "channels" not in self.doc:
            raise self.fail("", "an AsyncAPI 2.x document needs `channels`", "add `channels:` (it may be `{}`)")
        channels = self.mapping(self.doc.get("channels"), "/channels", "`channels`")
        for key, channel in channels.items():
            self.channel(channel, join_pointer("/channels", key))
        if self.major >= 3:
            operations = self.mapping(self.doc.get("operations"), "/operations", "`operations`")
            for key, operation in operations.items():
                self.operation_v3(operation, join_pointer("/operations", key))
        components = self.mapping(self.doc.get("components"), "/components", "`components`")
        for section in components:
            self.mapping(components[section], join_pointer("/components", section), f"`components.{section}`")
        for key, schema in self.mapping(components.get("schemas"), "/components/schemas", "").items():
            self.schema(schema, join_pointer("/components/schemas", key))
        for key, message in self.mapping(components.get("messages"), "/components/messages", "").items():
            self.message(message, join_pointer("/components/messages", key))
        for key, trait in self.mapping(components.get("messageTraits"), "/components/messageTraits", "").items():
            if isinstance(trait, dict) and "$ref" not in trait and "headers" in trait:
                self.schema(trait["headers"], join_pointer("/components/messageTraits", key, "headers"))

    def channel(self, node: Any, pointer: str) -> None:
        if isinstance(node, dict) and "$ref" in node:
            return
        node = self.mapping(node, pointer, "a channel")
        if self.major >= 3:
            address = node.get("address")
            if address is not None and not isinstance(address, str):
                raise self.fail(
                    join_pointer(pointer, "address"),
                    f"a channel address must be a string or null, found {_kind(address)}",
                    "quote the address",
                )
            messages = self.mapping(node.get("messages"), join_pointer(pointer, "messages"), "`messages`")
            for key, message in messages.items():
                self.message(message, join_pointer(pointer, "messages", key))
        else:
            for verb in ("publish", "subscribe"):
                if verb in node:
                    self.operation_v2(node[verb], join_pointer(pointer, verb))
        parameters = self.mapping(node.get("parameters"), join_pointer(pointer, "parameters"), "`parameters`")
        for key, parameter in parameters.items():
            parameter = self.mapping(parameter, join_pointer(pointer, "parameters", key), "a parameter")
            if "schema" in parameter:
                self.schema(parameter["schema"], join_pointer(pointer, "parameters", key, "schema"))

    def operation_v2(self, node: Any, pointer: str) -> None:
        if isinstance(node, dict) and "$ref" in node:
            return
        node = self.mapping(node, pointer, "an operation")
        message = node.get("message")
        if message is None:
            return
        message_pointer = join_pointer(pointer, "message")
        if isinstance(message, dict) and "oneOf" in message:
            members = message["oneOf"]
            if not isinstance(members, list):
                raise self.fail(join_pointer(message_pointer, "oneOf"), "`oneOf` must be a list", "list the messages")
            for index, member in enumerate(members):
                self.message(member, join_pointer(message_pointer, "oneOf", index))
        else:
            self.message(message, message_pointer)

    def operation_v3(self, node: Any, pointer: str) -> None:
        if isinstance(node, dict) and "$ref" in node:
            return
        node = self.mapping(node, pointer, "an operation")
        action = node.get("action")
        if action not in ("send", "receive") and not node.get("traits"):
            raise self.fail(
                join_pointer(pointer, "action") if "action" in node else pointer,
                f"operation `action` must be `send` or `receive`, found {action!r}",
                "set `action: send` or `action: receive`",
            )
        if "channel" not in node and not node.get("traits"):
            raise self.fail(pointer, "the operation has no `channel`", "add `channel: {$ref: '#/channels/<id>'}`")
        messages = node.get("messages")
        if messages is not None and not isinstance(messages, list):
            raise self.fail(
                join_pointer(pointer, "messages"),
                f"operation `messages` must be a list of references, found {_kind(messages)}",
                "write `messages: [{$ref: '#/channels/<id>/messages/<name>'}]`",
            )

    def message(self, node: Any, pointer: str) -> None:
        if isinstance(node, dict) and "$ref" in node:
            return
        node = self.mapping(node, pointer, "a message")
        traits = node.get("traits")
        if traits is not None and not isinstance(traits, list):
            raise self.fail(join_pointer(pointer, "traits"), "`traits` must be a list", "write it as a YAML list")
        for key in ("contentType", "name", "title", "summary", "description"):
            if key in node and not isinstance(node[key], str):
                raise self.fail(
                    join_pointer(pointer, key),
                    f"message `{key}` must be a string, found {_kind(node[key])}",
                    "quote it",
                )
        if "headers" in node:
            headers = node["headers"]
            if self.major >= 3 and isinstance(headers, dict) and "schemaFormat" in headers and "schema" in headers:
                if _is_json_schema_format(headers["schemaFormat"]):
                    self.schema(headers["schema"], join_pointer(pointer, "headers", "schema"))
            else:
                self.schema(headers, join_pointer(pointer, "headers"))
        if "payload" not in node:
            return
        payload = node["payload"]
        if self.major >= 3 and isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            if _is_json_schema_format(payload["schemaFormat"]):
                self.schema(payload["schema"], join_pointer(pointer, "payload", "schema"))
        elif self.major >= 3 or _is_json_schema_format(node.get("schemaFormat")):
            self.schema(payload, join_pointer(pointer, "payload"))

    # -- JSON Schema -----------------------------------------------------------------------------

    def schema(self, node: Any, pointer: str) -> None:
        for schema, where in _schemas(node, pointer):
            self.schema_node(schema, where)
        self.cycles.check(pointer)

    def schema_node(self, node: Any, pointer: str) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, dict):
            raise self.fail(
                pointer,
                f"a schema must be a mapping (or true/false), found {_kind(node)}",
                "write the schema as a mapping",
            )
        declared = node.get("type")
        if declared is not None:
            members = declared if isinstance(declared, list) else [declared]
            bad = [m for m in members if m not in _JSON_TYPES]
            if bad or not members:
                raise self.fail(
                    join_pointer(pointer, "type"),
                    f"unknown schema type {bad[0] if bad else declared!r}",
                    f"use one of {', '.join(_JSON_TYPES)} (or a list of them)",
                )
        for key in _SCHEMA_MAPS:
            if key in node and not isinstance(node[key], dict):
                raise self.fail(
                    join_pointer(pointer, key),
                    f"`{key}` must be a mapping of names to schemas, found {_kind(node[key])}",
                    f"write `{key}:` as a mapping",
                )
        for key in _SCHEMA_LISTS:
            if key in node and (not isinstance(node[key], list) or not node[key]):
                raise self.fail(
                    join_pointer(pointer, key),
                    f"`{key}` must be a non-empty list of schemas",
                    f"list the `{key}` schemas",
                )
        if "required" in node:
            required = node["required"]
            if not isinstance(required, list) or not all(isinstance(item, str) for item in required):
                raise self.fail(
                    join_pointer(pointer, "required"),
                    "`required` must be a list of property names",
                    "write `required: [name, ...]` (per property `required: true` is not JSON Schema)",
                )
        if "enum" in node and not isinstance(node["enum"], list):
            raise self.fail(join_pointer(pointer, "enum"), "`enum` must be a list of values", "write `enum: [a, b]`")
        for key in _STRINGS:
            if key in node and not isinstance(node[key], str):
                raise self.fail(
                    join_pointer(pointer, key), f"`{key}` must be a string, found {_kind(node[key])}", "quote it"
                )
        self.patterns(node, pointer)
        for key in _NUMBERS:
            value = node.get(key)
            if key in node and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise self.fail(join_pointer(pointer, key), f"`{key}` must be a number, found {_kind(value)}", "fix it")
        for key in _COUNTS:
            value = node.get(key)
            if key in node and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise self.fail(
                    join_pointer(pointer, key), f"`{key}` must be a non-negative integer, found {value!r}", "fix it"
                )

    def patterns(self, node: dict[str, Any], pointer: str) -> None:
        # Generated packages check patterns with Python's `re`: one it cannot run would fail every
        # message (or handshake) at run time, so it is refused here, where it is written.
        found = [(join_pointer(pointer, "pattern"), node["pattern"])] if isinstance(node.get("pattern"), str) else []
        names = node.get("patternProperties")
        if isinstance(names, dict):
            found.extend((join_pointer(pointer, "patternProperties", name), name) for name in names)
        for where, pattern in found:
            problem = python_regex_problem(pattern)
            if problem:
                raise self.fail(
                    where,
                    f"the pattern {pattern!r} is not a regular expression Python reads alike: {problem}",
                    "use the syntax both read: no \\p{...} classes, no POSIX [[:alpha:]] sets, "
                    "named groups as (?P<name>...)",
                )


def python_regex_problem(pattern: str) -> str:
    """Why Python's ``re`` cannot run ``pattern`` as JSON Schema means it, or ``""``."""
    with warnings.catch_warnings():
        # A nested set such as [[:alpha:]] compiles with a FutureWarning, and means something else.
        warnings.simplefilter("error")
        try:
            re.compile(pattern)
        except (re.error, FutureWarning, RecursionError, OverflowError) as exc:
            return str(exc) or type(exc).__name__
    return ""


def _schemas(node: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    """``node`` and every subschema in it (not following ``$ref``), iteratively."""
    stack = [(node, pointer)]
    while stack:
        schema, where = stack.pop()
        yield schema, where
        if not isinstance(schema, dict) or "$ref" in schema:
            continue
        for key in _SCHEMA_MAPS:
            if isinstance(schema.get(key), dict):
                stack.extend((value, join_pointer(where, key, name)) for name, value in schema[key].items())
        for key in _SCHEMA_LISTS:
            if isinstance(schema.get(key), list):
                stack.extend((value, join_pointer(where, key, i)) for i, value in enumerate(schema[key]))
        stack.extend((schema[key], join_pointer(where, key)) for key in _SCHEMA_SINGLE if key in schema)
        items = schema.get("items")
        if isinstance(items, list):
            stack.extend((value, join_pointer(where, "items", i)) for i, value in enumerate(items))
        elif "items" in schema:
            stack.append((items, join_pointer(where, "items")))


def _is_json_schema_format(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower().startswith(_JSON_SCHEMA_FORMAT_PREFIXES))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_structure(document: dict[str, Any], locate: Locate) -> None:
    """Raise :class:`SpecError` at the first malformed part the generator would read."""
    _Checker(document, locate).document()
