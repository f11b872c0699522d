"""JSON pointers of ``$ref`` fragments followed strictly, or leniently where keys contain ``/``."""

from __future__ import annotations

import difflib
import urllib.parse
from collections.abc import Iterator
from typing import Any

from ..errors import Location, SpecError, join_pointer, unescape_pointer_token

# References followed on the way down one pointer, at most (a guard against reference loops).
_MAX_HOPS = 32
# Marks, in a list of keys, that the path starts again at the document's root.
_RESTART = "\x00restart"


def _follow(root: Any, node: Any, tokens: list[str], hops: int = 0) -> Iterator[tuple[Any, list[str], bool]]:
    """Every way of reading ``tokens`` down from ``node``: (value, the pointer's keys, keys joined?).

    A key may itself contain ``/`` (written unescaped by some tools), so consecutive tokens may
    together name one key; the strict one-token-per-key reading is tried first. A mapping on the
    way that is itself a local ``$ref`` (``/channels/chat`` written as ``$ref: '#/components/...'``)
    is followed, as the AsyncAPI parser does: the keys then start again at its target.
    """
    if not tokens:
        yield node, [], False
        return
    if isinstance(node, list):
        token = tokens[0]
        if token.isdigit() and int(token) < len(node):
            for value, keys, joined in _follow(root, node[int(token)], tokens[1:], hops):
                yield value, [token, *keys], joined
        return
    if not isinstance(node, dict):
        return
    found = False
    for width in range(1, len(tokens) + 1):
        key = "/".join(tokens[:width])
        if key in node:
            found = True
            for value, keys, joined in _follow(root, node[key], tokens[width:], hops):
                yield value, [key, *keys], joined or width > 1
    ref = node.get("$ref")
    if not found and isinstance(ref, str) and ref.startswith("#/") and hops < _MAX_HOPS:
        target = [unescape_pointer_token(urllib.parse.unquote(raw)) for raw in ref[1:].split("/")[1:]]
        for base, base_keys, base_joined in _follow(root, root, target, hops + 1):
            for value, keys, joined in _follow(root, base, tokens, hops + 1):
                # The keys restart at the reference's target: the caller sees an absolute path.
                yield value, [_RESTART, *base_keys, *keys], base_joined or joined


def _near_miss(document: Any, tokens: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the first key along ``tokens`` that is missing, if one is close."""
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict):
            close = difflib.get_close_matches(token, [str(key) for key in node], n=1)
            return f" (did you mean {close[0]!r}?)" if close else ""
        else:
            break
    return ""


def resolve_pointer(document: Any, pointer: str, origin: str, referrer: Location) -> tuple[Any, str]:
    """Follow a JSON pointer (``/a/b``) inside ``document``; returns the value and the strict pointer."""
    if pointer in ("", "/"):
        return document, ""
    if not pointer.startswith("/"):
        raise SpecError(referrer, f"`$ref` fragment {pointer!r} is not a JSON pointer", "write it as '#/path/to/node'")
    tokens = [unescape_pointer_token(urllib.parse.unquote(raw)) for raw in pointer.split("/")[1:]]
    readings = _follow(document, document, tokens)
    found = next(readings, None)
    if found is None:
        where = f"#{pointer}" if origin == "" else f"{origin}#{pointer}"
        raise SpecError(
            referrer,
            f"`$ref` points at {where}, which does not exist{_near_miss(document, tokens)}",
            "fix the reference or add the missing definition",
        )
    value, keys, joined = found
    if _RESTART in keys:
        keys = keys[len(keys) - keys[::-1].index(_RESTART) :]
    if joined and next(readings, None) is not None:
        raise SpecError(
            referrer,
            f"`$ref` #{pointer} is ambiguous: its keys contain '/' and it can be read in more than one way",
            "escape '/' inside keys as '~1' (RFC 6901)",
        )
    return value, join_pointer("", *keys)
