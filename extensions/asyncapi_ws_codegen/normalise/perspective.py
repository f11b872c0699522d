"""Which side of the WebSocket a document describes, for the ``perspective`` answer ``auto``.

A document describes one application: its ``send`` operations (2.x ``subscribe``) are what that
application sends. Most published WebSocket API documents describe the public server (Gemini,
Kraken, Slack RTM); generator fixtures and hand-written service documents usually describe the
client. ``auto`` reads the document for evidence, each kind with a weight, and picks the side with
more; with none (or a tie) it keeps the reference generator's reading, ``client``. The rules, in the
order of their weight (docs/supported-asyncapi.md lists them with the corpus they were checked on):

1. ``info.title`` names the application's role: ``Client``/``Frontend`` or ``Server``/``Backend``/
   ``Hub`` (4 points).
2. The texts of an operation and its messages say who sends them ("sent from the server", "Client
   message", "to the echo server", "from Deepgram's Voice Agent API") (3 points per operation).
3. An operation's summary or id says the opposite of its action: "Receive market updates" on a
   ``send`` operation, ``operationId: receiveMessage`` on a 2.x ``subscribe`` (the document is
   written from the server and summarised for its users) (2 points per operation).
4. A 3.x operation with a ``reply``: ``send`` asks (a client), ``receive`` answers (a server) (2
   points per operation).
5. Message kinds only one side plausibly sends: ``subscribe``, ``unsubscribe``, ``ping``, ``auth``,
   ``configure`` ... come from clients; ``heartbeat``, ``status``, ``hello``, ``error``, ``pong``,
   transcripts and market data from servers (1 point per message).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import unescape_pointer_token

CLIENT = "client"
SERVER = "server"
PERSPECTIVES = ("auto", CLIENT, SERVER)

_TITLE_ROLES = {"client": CLIENT, "frontend": CLIENT, "server": SERVER, "backend": SERVER, "hub": SERVER}
# "<noun> sends it" statements. A text that states both sides says nothing.
_PEER = r"(?:the |a |an |any |each |every )?(?:[\w.'-]+ ){0,3}?"
_SERVER_SENDS = re.compile(
    rf"\b(?:from|by) {_PEER}(?:server|api|websocket)\b|\bserver[- ](?:side )?(?:message|event|heartbeat|response"
    r"|notification|confirmation)s?\b|\bserver sends\b|\bto (?:the |a |any |each |every )?(?:connected )?clients?\b",
    re.IGNORECASE,
)
_CLIENT_SENDS = re.compile(
    rf"\b(?:from|by) (?:the |a )?(?:[\w.'-]+ ){{0,2}}?client\b|\bclient[- ](?:side )?(?:message|request|command)s?\b"
    rf"|\bclient[- ]initiated\b|\bclient sends\b|\bto {_PEER}(?:server|api|websocket)\b",
    re.IGNORECASE,
)
_RECEIVE_VERBS = frozenset({"receive", "receives", "receiving", "listen", "consume", "on", "handle", "get"})
_SEND_VERBS = frozenset({"send", "sends", "sending", "publish", "post", "emit", "push"})
# "get" starts many request operation ids (getUserItem) that the application does send.
_ID_RECEIVE_VERBS = _RECEIVE_VERBS - {"get"}
_CLIENT_KINDS = frozenset(
    {"subscribe", "unsubscribe", "ping", "auth", "authenticate", "login", "configure", "settings", "terminate"}
)
_SERVER_KINDS = frozenset(
    {
        "heartbeat",
        "status",
        "hello",
        "error",
        "pong",
        "result",
        "results",
        "transcript",
        "market",
        "marketdata",
        "success",
        "failure",
        "confirmation",
        "ack",
        "welcome",
        "connected",
    }
)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True)
class Reading:
    """The side a document's ``send`` operations are sent from, and why."""

    side: str
    reason: str
    # Whether ``auto`` decided it (``False``: the ``perspective`` answer named the side).
    decided: bool = False


@dataclass(frozen=True)
class _Evidence:
    side: str
    weight: int
    why: str


@dataclass(frozen=True)
class _Exchange:
    """One operation as the rules see it."""

    label: str
    app_sends: bool
    texts: tuple[str, ...]
    verb_texts: tuple[str, ...]
    has_reply: bool
    messages: tuple[dict[str, Any], ...]


def read_perspective(document: dict[str, Any], answer: str) -> Reading:
    """The side ``answer`` names, or the one ``auto`` finds in ``document``."""
    if answer in (CLIENT, SERVER):
        return Reading(answer, "answered")
    evidence = list(_evidence(document))
    score = {CLIENT: 0, SERVER: 0}
    for item in evidence:
        score[item.side] += item.weight
    if score[SERVER] > score[CLIENT]:
        side = SERVER
    elif score[CLIENT] > 0 and score[CLIENT] >= score[SERVER]:
        side = CLIENT
    else:
        reason = "nothing in the document says which side it is written from, so the usual reading"
        return Reading(CLIENT, reason, decided=True)
    strongest = max((item for item in evidence if item.side == side), key=lambda item: item.weight)
    return Reading(side, strongest.why, decided=True)


def _evidence(document: dict[str, Any]) -> Iterator[_Evidence]:
    info = document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    if isinstance(title, str):
        roles = {_TITLE_ROLES[word.lower()] for word in _WORDS.findall(title) if word.lower() in _TITLE_ROLES}
        if len(roles) == 1:
            yield _Evidence(roles.pop(), 4, f"the title {title.strip()[:60]!r} names the application's role")
    for exchange in _exchanges(document):
        yield from _exchange_evidence(exchange)


def _exchange_evidence(exchange: _Exchange) -> Iterator[_Evidence]:
    doing = "sends" if exchange.app_sends else "receives"
    stated = [side for side in map(_stated_sender, exchange.texts) if side]
    if stated and stated.count(stated[0]) * 2 > len(stated):
        sender = stated[0]
        side = sender if exchange.app_sends else _other(sender)
        yield _Evidence(side, 3, f"{exchange.label} {doing} messages its texts say the {sender} sends")
    for text in exchange.verb_texts:
        words = _WORDS.findall(text)
        first = words[0].lower() if words else ""
        verbs = _RECEIVE_VERBS if " " in text.strip() else _ID_RECEIVE_VERBS
        if (exchange.app_sends and first in verbs) or (not exchange.app_sends and first in _SEND_VERBS):
            yield _Evidence(SERVER, 2, f"{exchange.label} {doing} messages, yet says {text.strip()[:50]!r}")
            break
    if exchange.has_reply:
        side = CLIENT if exchange.app_sends else SERVER
        what = "sends requests and awaits replies" if exchange.app_sends else "receives requests and replies"
        yield _Evidence(side, 2, f"{exchange.label} {what}")
    for message in exchange.messages:
        kind = _message_kind(message)
        if kind:
            sender, word = kind
            side = sender if exchange.app_sends else _other(sender)
            yield _Evidence(side, 1, f"{exchange.label} {doing} {word!r} messages, which {sender}s send")


def _other(side: str) -> str:
    return SERVER if side == CLIENT else CLIENT


def _stated_sender(text: str) -> str | None:
    server, client = bool(_SERVER_SENDS.search(text)), bool(_CLIENT_SENDS.search(text))
    return SERVER if server and not client else CLIENT if client and not server else None


def _message_kind(message: dict[str, Any]) -> tuple[str, str] | None:
    """(the side that sends messages of this kind, the word that says so), when only one does."""
    names = [message.get(key) for key in ("name", "title", "messageId", "x-key")]
    names += _tags(message.get("payload"))
    words = {word.lower() for name in names if isinstance(name, str) for word in _WORDS.findall(name)}
    client, server = words & _CLIENT_KINDS, words & _SERVER_KINDS
    if client and not server:
        return CLIENT, min(client)
    if server and not client:
        return SERVER, min(server)
    return None


def _tags(payload: Any) -> list[str]:
    """The constant values of a payload's tag-like properties (``event: subscribe``)."""
    properties = payload.get("properties") if isinstance(payload, dict) else None
    tags: list[str] = []
    if isinstance(properties, dict):
        for key in ("event", "type", "method", "action", "op", "message_type"):
            prop = properties.get(key)
            if not isinstance(prop, dict):
                continue
            enum = prop.get("enum")
            values = [prop.get("const"), *(enum if isinstance(enum, list) and len(enum) == 1 else [])]
            tags += [value for value in values if isinstance(value, str)]
    return tags


# -- walking the document (internal references only: the bundled document has nothing else) --------


class _Walker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.doc = document

    def resolve(self, node: Any) -> Any:
        """``node`` with internal ``$ref``s followed (a few hops at most; a cycle gives ``None``)."""
        for _ in range(16):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str):
                return node
            if not ref.startswith("#/"):
                return None
            node = self.doc
            for token in ref[2:].split("/"):
                node = node.get(unescape_pointer_token(token)) if isinstance(node, dict) else None
        return None

    def message(self, node: Any) -> list[dict[str, Any]]:
        """The message objects of a 2.x ``message`` (``oneOf`` flattened) or a 3.x message."""
        target = self.resolve(node)
        if not isinstance(target, dict):
            return []
        if isinstance(target.get("oneOf"), list):
            return [found for member in target["oneOf"] for found in self.message(member)]
        key = node.get("$ref", "").rsplit("/", 1)[-1] if isinstance(node, dict) else ""
        payload = self.resolve(target.get("payload"))
        if isinstance(payload, dict) and "schema" in payload and "schemaFormat" in payload:
            payload = self.resolve(payload["schema"])
        return [{**target, "x-key": unescape_pointer_token(key), "payload": payload}]


def _texts(node: dict[str, Any]) -> list[str]:
    return [node[key] for key in ("summary", "description", "title") if isinstance(node.get(key), str)]


def _exchanges(document: dict[str, Any]) -> Iterator[_Exchange]:
    walker = _Walker(document)
    channels = walker.resolve(document.get("channels"))
    channels = channels if isinstance(channels, dict) else {}
    if str(document.get("asyncapi", "")).startswith("3"):
        operations = walker.resolve(document.get("operations"))
        for op_id, raw in (operations if isinstance(operations, dict) else {}).items():
            op = walker.resolve(raw)
            if not isinstance(op, dict) or op.get("action") not in ("send", "receive"):
                continue
            channel = walker.resolve(op.get("channel"))
            listed = op.get("messages") if isinstance(op.get("messages"), list) else None
            if listed is None and isinstance(channel, dict):
                found = walker.resolve(channel.get("messages"))
                listed = list(found.values()) if isinstance(found, dict) else []
            messages = [m for node in listed or [] for m in walker.message(node)]
            yield _Exchange(
                label=f"operation {op_id!r}",
                app_sends=op["action"] == "send",
                texts=(*_texts(op), *(text for m in messages for text in _texts(m))),
                verb_texts=(*_texts(op)[:1], str(op_id)),
                has_reply=isinstance(walker.resolve(op.get("reply")), dict),
                messages=tuple(messages),
            )
        return
    for address, raw in channels.items():
        channel = walker.resolve(raw)
        for verb in ("subscribe", "publish"):
            op = walker.resolve(channel.get(verb)) if isinstance(channel, dict) else None
            if not isinstance(op, dict):
                continue
            messages = walker.message(op.get("message"))
            op_id = op.get("operationId")
            yield _Exchange(
                label=f"{verb} operation {op_id or address!r}",
                app_sends=verb == "subscribe",
                texts=(*_texts(op), *(text for m in messages for text in _texts(m))),
                verb_texts=(*_texts(op)[:1], *([op_id] if isinstance(op_id, str) else [])),
                has_reply=False,
                messages=tuple(messages),
            )
