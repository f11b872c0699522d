"""Small readers of document nodes that every builder of this stage uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Follows ``$ref`` chains: (node, its pointer) -> (target, the target's pointer).
Deref = Callable[[Any, str], tuple[Any, str]]


def text_of(node: Any, key: str) -> str:
    """The string at ``key`` of a mapping node; "" when it is absent or not a string."""
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) else ""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: ``patch`` applied to ``target`` (neither is modified)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
