"""JSON pointers (RFC 6901): one walker for schemas, payloads and correlation ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """``/a/b~1c`` -> ``("a", "b/c")``; the empty pointer (the whole document) has none."""
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:])


def get_pointer(document: Any, tokens: Sequence[str]) -> Any:
    """The value at a pointer's tokens in ``document``, or ``None`` where there is none."""
    node = document
    for token in tokens:
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def at_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (``/a/b~1c``) in ``document``; ``None`` where there is none."""
    return get_pointer(document, pointer_tokens(pointer))


def set_pointer_if_absent(data: Any, tokens: Sequence[str], value: Any) -> None:
    """Put ``value`` at a pointer whose parent object exists and whose key is absent."""
    if len(tokens) == 1 and type(data) is dict:  # the usual ``$message.payload#/id``
        data.setdefault(tokens[0], value)
        return
    if not tokens:
        return
    parent = get_pointer(data, tokens[:-1])
    if isinstance(parent, dict) and tokens[-1] not in parent:
        parent[tokens[-1]] = value
