"""Schemas that apply themselves to the very value they check: refused where the loop closes.

A recursive schema is fine when each turn moves into the value (``properties``, ``items``...): the
value ends, so does the check. A loop made only of keywords that apply to the same value (``$ref``,
``allOf``, ``anyOf``, ``oneOf``, ``not``, ``if``/``then``/``else``), such as ``Worker -> oneOf ->
Employer -> allOf -> Worker``, never ends: every validator recurses until Python's stack runs out,
so the generated package would raise ``RecursionError`` on every message. JSON Schema calls such
schemas invalid; the generator refuses them with the loop spelt out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Location, SpecError, join_pointer, pointer_target

_SAME_VALUE_LISTS = ("allOf", "anyOf", "oneOf")
_SAME_VALUE_SINGLE = ("not", "if", "then", "else")


class SchemaCycles:
    """Finds same-value loops from any number of schema roots, visiting each schema once."""

    def __init__(self, document: dict[str, Any], locate: Callable[[str], Location]) -> None:
        self.doc = document
        self.locate = locate
        self.done: set[str] = set()

    def node_at(self, pointer: str) -> Any:
        try:
            return pointer_target(self.doc, pointer)
        except KeyError:
            return None

    def check(self, pointer: str) -> None:
        """Raise :class:`SpecError` when the schema at ``pointer`` reaches a same-value loop."""
        if pointer in self.done:
            return
        path: list[str] = []
        on_path: set[str] = set()
        # Iterative depth-first walk: (pointer, its same-value successors not yet visited).
        stack: list[tuple[str, Iterator[str]]] = []

        def enter(where: str) -> None:
            path.append(where)
            on_path.add(where)
            stack.append((where, _same_value_successors(self.node_at(where), where)))

        enter(pointer)
        while stack:
            where, successors = stack[-1]
            successor = next(successors, None)
            if successor is None:
                stack.pop()
                path.pop()
                on_path.discard(where)
                self.done.add(where)
                continue
            if successor in on_path:
                loop = [*path[path.index(successor) :], successor]
                closing = self.node_at(where)
                at = join_pointer(where, "$ref") if isinstance(closing, dict) and "$ref" in closing else where
                raise SpecError(
                    self.locate(at),
                    "this schema applies itself to the same value without end: " + " -> ".join(f"#{p}" for p in loop),
                    "break the loop: a schema may refer to itself only inside `properties`, `items` or "
                    "`additionalProperties` (a part of the value), not through `$ref`, `allOf`, `anyOf`, "
                    "`oneOf` or `not` alone",
                )
            if successor not in self.done:
                enter(successor)


def _same_value_successors(node: Any, pointer: str) -> Iterator[str]:
    """The schemas ``node`` applies to the same value it checks, as pointers."""
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        yield ref[1:]
        return
    for key in _SAME_VALUE_LISTS:
        members = node.get(key)
        if isinstance(members, list):
            yield from (join_pointer(pointer, key, index) for index in range(len(members)))
    for key in _SAME_VALUE_SINGLE:
        if isinstance(node.get(key), (dict, bool)):
            yield join_pointer(pointer, key)
