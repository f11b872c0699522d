"""Rules across parts of a document: what one part names must exist elsewhere, and agree with it.

:mod:`.structure_rules` checks each node's own shape; these rules look at how nodes refer to each
other (a channel's servers, an operation's messages, a server's URL variables) and at the few
values the AsyncAPI rule set restricts beyond their shape (channel addresses, 2.x message ids).
Each is a rule the AsyncAPI parser applies too, and each touches what the generator writes: a server
without a URL would become ``Server(url="")``, an address with ``?`` would be percent-encoded into
the path. Internal references are already checked by the loader: every ``#/...`` points at a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import Location, SpecError, join_pointer, pointer_target, unescape_pointer_token

Locate = Callable[[str], Location]

_VARIABLE = re.compile(r"\{([^{}]*)\}")


class _References:
    def __init__(self, document: dict[str, Any], locate: Locate) -> None:
        self.doc = document
        self.locate = locate
        self.major = 3 if str(document.get("asyncapi", "")).startswith("3") else 2

    def fail(self, pointer: str, problem: str, hint: str) -> SpecError:
        return SpecError(self.locate(pointer), problem, hint)

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow internal ``$ref`` chains (the loader made them strict and checked they end)."""
        for _ in range(100):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                break
            pointer = ref[1:]
            node = pointer_target(self.doc, pointer)
        return node, pointer

    def entries(self, node: Any, pointer: str) -> list[tuple[str, Any, str]]:
        """The (key, resolved value, its pointer) of a mapping that may itself be a ``$ref``."""
        node, pointer = self.deref(node, pointer)
        if not isinstance(node, dict):
            return []
        return [(str(key), *self.deref(value, join_pointer(pointer, key))) for key, value in node.items()]

    # -- servers -------------------------------------------------------------------------------

    def servers(self) -> None:
        for name, server, pointer in self.entries(self.doc.get("servers"), "/servers"):
            if not isinstance(server, dict):
                raise self.fail(pointer, f"server {name!r} must be a mapping", "write the server as a mapping")
            keys = ("url", "protocol") if self.major == 2 else ("host", "protocol")
            for key in keys:
                if not isinstance(server.get(key), str) or not server[key]:
                    raise self.fail(
                        join_pointer(pointer, key) if key in server else pointer,
                        f"server {name!r} has no `{key}`",
                        f"give the server `{key}:` (" + ", ".join(f"`{k}`" for k in keys) + " are required)",
                    )
            self.server_variables(name, server, pointer, keys[0])

    def server_variables(self, name: str, server: dict[str, Any], pointer: str, url_key: str) -> None:
        declared, _ = self.deref(server.get("variables"), join_pointer(pointer, "variables"))
        declared = declared if isinstance(declared, dict) else {}
        for key in (url_key, "pathname"):
            text = server.get(key)
            for variable in _VARIABLE.findall(text) if isinstance(text, str) else []:
                if variable not in declared:
                    raise self.fail(
                        join_pointer(pointer, key),
                        f"server {name!r} uses {{{variable}}} in `{key}`, which is not declared in `variables`",
                        f"declare `{variable}` under the server's `variables` (with a `default`) or fix `{key}`",
                    )

    # -- channels ------------------------------------------------------------------------------

    def channels(self) -> None:
        servers = self.doc.get("servers")
        defined = set(servers) if isinstance(servers, dict) else set()
        for key, channel, pointer in self.entries(self.doc.get("channels"), "/channels"):
            if not isinstance(channel, dict):
                continue
            address_pointer = join_pointer(pointer, "address") if self.major >= 3 else join_pointer("/channels", key)
            address = channel.get("address") if self.major >= 3 else key
            if isinstance(address, str) and ("?" in address or "#" in address):
                raise self.fail(
                    address_pointer,
                    f"channel address {address!r} contains {'?' if '?' in address else '#'}; an address is a path",
                    "leave the query out of the address: describe query parameters with the channel's "
                    "`bindings.ws.query` schema",
                )
            self.channel_servers(channel, pointer, defined)
            if self.major == 2:
                for verb in ("publish", "subscribe"):
                    if isinstance(channel.get(verb), dict) and "$ref" in channel[verb]:
                        raise self.fail(
                            join_pointer(pointer, verb, "$ref"),
                            f"a 2.x `{verb}` operation cannot be a `$ref`",
                            "write the operation in the channel (share common parts with operation `traits`)",
                        )

    def channel_servers(self, channel: dict[str, Any], pointer: str, defined: set[str]) -> None:
        listed = channel.get("servers")
        if not isinstance(listed, list):
            return
        for index, entry in enumerate(listed):
            where = join_pointer(pointer, "servers", index)
            if self.major == 2:
                if not isinstance(entry, str):
                    raise self.fail(
                        where,
                        f"a 2.x channel names its servers as strings, not {type(entry).__name__} {entry!r}",
                        "write the name of a server defined under the top-level `servers`",
                    )
                if entry not in defined:
                    raise self.fail(
                        where,
                        f"the channel names server {entry!r}, which is not in `servers`",
                        "name a server defined under the top-level `servers`, or define it",
                    )
                continue
            ref = entry.get("$ref") if isinstance(entry, dict) else None
            target = ref[1:] if isinstance(ref, str) and ref.startswith("#") else ""
            parts = target.split("/")
            if len(parts) != 3 or parts[1] != "servers" or unescape_pointer_token(parts[2]) not in defined:
                raise self.fail(
                    join_pointer(where, "$ref") if ref is not None else where,
                    f"the channel lists server {ref or entry!r}, which is not a server of the top-level `servers`",
                    "reference a server as {$ref: '#/servers/<name>'}",
                )

    # -- operations and messages ---------------------------------------------------------------

    def operations_v3(self) -> None:
        for op_id, operation, pointer in self.entries(self.doc.get("operations"), "/operations"):
            if not isinstance(operation, dict) or not isinstance(operation.get("messages"), list):
                continue
            channel, channel_pointer = self.deref(operation.get("channel"), join_pointer(pointer, "channel"))
            if not isinstance(channel, dict):
                continue
            listed = self.entries(channel.get("messages"), join_pointer(channel_pointer, "messages"))
            own = {target for _, _, target in listed}
            for index, message in enumerate(operation["messages"]):
                where = join_pointer(pointer, "messages", index)
                _, target = self.deref(message, where)
                if target not in own:
                    raise self.fail(
                        join_pointer(where, "$ref") if isinstance(message, dict) and "$ref" in message else where,
                        f"operation {op_id!r} sends or receives message #{target}, which is not a message of its "
                        f"channel #{channel_pointer}",
                        f"reference one of the channel's messages ('#{channel_pointer}/messages/<name>'), "
                        "or add the message to the channel",
                    )

    def message_ids_v2(self) -> None:
        seen: dict[str, str] = {}
        for _, channel, pointer in self.entries(self.doc.get("channels"), "/channels"):
            if not isinstance(channel, dict):
                continue
            for verb in ("publish", "subscribe"):
                operation = channel.get(verb)
                if not isinstance(operation, dict):
                    continue
                message, message_pointer = self.deref(operation.get("message"), join_pointer(pointer, verb, "message"))
                members = [(message, message_pointer)]
                if isinstance(message, dict) and isinstance(message.get("oneOf"), list):
                    members = [
                        self.deref(member, join_pointer(message_pointer, "oneOf", index))
                        for index, member in enumerate(message["oneOf"])
                    ]
                for member, where in members:
                    self.unique_message_id(member, where, seen)
        components = self.doc.get("components")
        messages = components.get("messages") if isinstance(components, dict) else None
        for _, message, pointer in self.entries(messages, "/components/messages"):
            self.unique_message_id(message, pointer, seen)

    def unique_message_id(self, message: Any, pointer: str, seen: dict[str, str]) -> None:
        message_id = message.get("messageId") if isinstance(message, dict) else None
        if not isinstance(message_id, str):
            return
        first = seen.setdefault(message_id, pointer)
        if first != pointer:
            raise self.fail(
                join_pointer(pointer, "messageId"),
                f"messageId {message_id!r} is used by two messages (also at #{first})",
                "give every message its own messageId, or refer to the one message with `$ref`",
            )


def check_references(document: dict[str, Any], locate: Locate) -> None:
    """Raise :class:`SpecError` at the first reference between parts that does not hold."""
    rules = _References(document, locate)
    rules.servers()
    rules.channels()
    if rules.major >= 3:
        rules.operations_v3()
    else:
        rules.message_ids_v2()
