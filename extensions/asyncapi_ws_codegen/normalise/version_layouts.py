"""The 2.x and 3.x layouts of channels and operations, walked into one list of each.

3.x lists channels and operations apart (operations refer to their channel); 2.x nests a
``subscribe`` and a ``publish`` operation in each channel and pairs requests with replies by their
messages' ``correlationId``.
"""

from __future__ import annotations

from typing import Any

from ..errors import join_pointer
from ..ir import Channel, Message, Operation
from .correlation_ids import correlated_replies
from .spec_elements import ElementBuilder, channel_display_name


def normalise_v3(n: ElementBuilder) -> tuple[list[Channel], list[Operation]]:
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
        target = _ref_target(channel_ref)
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
                reply_channel = _ref_target(reply_node["channel"])
                reply = channels[reply_channel].messages if reply_channel in channels else ()
        operations.append(n.operation(op_id, action, node, channel, messages, reply))
    return list(dict.fromkeys(channels.values())), operations


def _ref_target(node: Any) -> str:
    """The pointer of an internal ``{$ref: '#/...'}`` (without the ``#``); empty for anything else."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref[1:] if isinstance(ref, str) else ""


def normalise_v2(n: ElementBuilder) -> tuple[list[Channel], list[Operation]]:
    channels = []
    pending: list[tuple[str, str, dict[str, Any], Channel, tuple[Message, ...]]] = []
    names: list[str] = []
    seen_ids: dict[str, str] = {}
    for address, raw in n.mapping(n.doc.get("channels"), "/channels").items():
        pointer = join_pointer("/channels", address)
        node, node_pointer = n.deref(raw, pointer)
        node = n.mapping(node, node_pointer)
        per_action: dict[str, tuple[Message, ...]] = {}
        unnamed: set[str] = set()
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
            else:
                unnamed.add(verb)
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
        named_after = _unnamed_operation_names(n, address, {v: m for v, m in per_action.items() if v in unnamed})
        for verb, msgs in per_action.items():
            op, _ = n.deref(node[verb], join_pointer(node_pointer, verb))
            op = n.apply_traits(op, node_pointer)
            action = "send" if verb == "subscribe" else "receive"
            op_id = str(op.get("operationId") or f"{address} {verb}")
            pending.append((op_id, action, op, channel, msgs))
            names.append(named_after.get(verb, op_id))
    replies = _v2_replies(n, pending)
    operations = [
        n.operation(op_id, action, op, ch, msgs, *replies.get(index, ((), "")), name=names[index])
        for index, (op_id, action, op, ch, msgs) in enumerate(pending)
    ]
    return channels, operations


def _unnamed_operation_names(
    n: ElementBuilder, address: str, unnamed: dict[str, tuple[Message, ...]]
) -> dict[str, str]:
    """What 2.x operations without an ``operationId`` are named after, by verb.

    The verb alone would read backwards in half the functions (``publish_to_subscribe``), so an
    operation is named after its one named message (``outgoingMessage``), else after its channel
    (``/`` is ``root``); when both operations of a channel are named after it, each says whose
    messages it carries (``root client messages``, ``root server messages``).
    """
    names: dict[str, str] = {}
    by_channel = []
    for verb, msgs in unnamed.items():
        own = [m.name for m in msgs if not m.name.startswith(f"{address} {verb} message")]
        if len(msgs) == 1 and own:
            names[verb] = own[0]
        else:
            by_channel.append(verb)
    channel_name = channel_display_name(address)
    for verb in by_channel:
        sender = "client" if n.client_sends("send" if verb == "subscribe" else "receive") else "server"
        names[verb] = f"{channel_name} {sender} messages" if len(by_channel) > 1 else channel_name
    return names


def _v2_replies(
    n: ElementBuilder, pending: list[tuple[str, str, dict[str, Any], Channel, tuple[Message, ...]]]
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
