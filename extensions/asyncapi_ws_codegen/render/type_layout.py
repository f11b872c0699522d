"""Type annotations laid out as ``ruff format`` lays them out, however long the spec's names are.

Signatures name the message classes themselves (``message: Say | Join``), not aliases, so that
``help()`` and editors show the types. A union of long class names does not fit one line, and the
generated code must be ruff-formatted as rendered; this module takes ruff's decisions for the few
shapes of annotation the templates write:

* a parameter, ``name: <type>[ = default],`` (a union is not parenthesized: its ``|`` lines stay at
  the parameter's indentation);
* a return annotation, ``) -> <type>:`` (a name or union is parenthesized when it does not fit, a
  subscript breaks inside its brackets);
* an annotated assignment, ``name: <type> = <value>(`` (a union is parenthesized, a name is not).

The types are a small grammar: dotted names, ``|`` and subscripts (``DataCallback[A | B, P]``).
The layout is a pretty-printer in the Wadler style, as ruff's is: a group is printed on one line
when it and what follows it up to the next line break fit, otherwise its line breaks are taken and
its inner groups are tried again. ``tests/test_type_layout.py`` checks the result against ruff on
many random names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Union

from .layout import INDENT, LINE_LENGTH

# ---- types ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    text: str


@dataclass(frozen=True)
class Subscript:
    name: str
    arguments: tuple[TypeExpr, ...]


@dataclass(frozen=True)
class UnionOf:
    members: tuple[TypeExpr, ...]


TypeExpr = Union[Name, Subscript, UnionOf]  # noqa: UP007 (a runtime alias: ``|`` of classes needs 3.10)

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z_0-9.]*)|(.))")


def parse(annotation: str) -> TypeExpr:
    """The type written as ``annotation`` (``A | B``, ``DataCallback[A | B, P] | None``)."""
    tokens = [name or symbol for name, symbol in _TOKEN.findall(annotation.strip())]
    expression, position = _union(tokens, 0)
    if position != len(tokens):
        raise ValueError(f"unexpected {tokens[position]!r} in annotation {annotation!r}")
    return expression


def _union(tokens: list[str], position: int) -> tuple[TypeExpr, int]:
    members = []
    while True:
        member, position = _atom(tokens, position)
        members.append(member)
        if position < len(tokens) and tokens[position] == "|":
            position += 1
            continue
        return (members[0] if len(members) == 1 else UnionOf(tuple(members))), position


def _atom(tokens: list[str], position: int) -> tuple[TypeExpr, int]:
    name = tokens[position] if position < len(tokens) else ""
    if not (name[:1].isalpha() or name[:1] == "_"):
        raise ValueError(f"expected a type name, found {name!r}")
    position += 1
    if position == len(tokens) or tokens[position] != "[":
        return Name(name), position
    arguments = []
    position += 1
    while True:
        argument, position = _union(tokens, position)
        arguments.append(argument)
        if tokens[position] == ",":
            position += 1
            continue
        if tokens[position] != "]":
            raise ValueError(f"expected ']' after the arguments of {name}")
        return Subscript(name, tuple(arguments)), position + 1


# ---- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Line:
    """A line break in a broken group; ``flat`` (a space or nothing) in a group on one line."""

    flat: str


@dataclass(frozen=True)
class _IfBroken:
    """Text printed only when the enclosing group is broken (a trailing comma, a parenthesis)."""

    text: str


@dataclass(frozen=True)
class _NameInParentheses:
    """A name that is put in parentheses on lines of their own when it is too long for its line
    and fits there (a name cannot break; parentheses only help when it then fits)."""

    text: str


@dataclass(frozen=True)
class _Group:
    parts: tuple[_Doc, ...]


@dataclass(frozen=True)
class _Indent:
    parts: tuple[_Doc, ...]


_Doc = Union[_Text, _Line, _IfBroken, _NameInParentheses, _Group, _Indent]  # noqa: UP007 (a runtime alias)
_SOFT = _Line("")
_SPACE = _Line(" ")


def _type_doc(expression: TypeExpr) -> _Doc:
    if isinstance(expression, Name):
        return _Text(expression.text)
    if isinstance(expression, UnionOf):
        parts: list[_Doc] = [_type_doc(expression.members[0])]
        for member in expression.members[1:]:
            parts += [_SPACE, _Text("| "), _type_doc(member)]
        return _Group(tuple(parts))
    if len(expression.arguments) == 1:
        inside = _type_doc(expression.arguments[0])
    else:
        items: list[_Doc] = []
        for argument in expression.arguments:
            if items:
                items += [_Text(","), _SPACE]
            items.append(_type_doc(argument))
        inside = _Group((*items, _IfBroken(",")))
    return _Group((_Text(expression.name + "["), _Indent((_SOFT, inside)), _SOFT, _Text("]")))


def _parenthesized_if_broken(expression: TypeExpr) -> _Doc:
    return _Group((_IfBroken("("), _Indent((_SOFT, _type_doc(expression))), _SOFT, _IfBroken(")")))


def _print(parts: Iterable[_Doc], indent: int) -> str:
    """The documents ``parts`` printed from column ``indent`` of a line that ends after them."""
    out: list[str] = []
    column = indent
    # (indentation, broken, document), last first; the statement itself is "broken": its end is
    # a line break.
    stack: list[tuple[int, bool, _Doc]] = [(indent, True, part) for part in reversed(tuple(parts))]
    while stack:
        level, broken, doc = stack.pop()
        if isinstance(doc, _Text) or (isinstance(doc, _IfBroken) and broken):
            out.append(doc.text)
            column += len(doc.text)
        elif isinstance(doc, _Line):
            text = "\n" + " " * level if broken else doc.flat
            out.append(text)
            column = level if broken else column + len(text)
        elif isinstance(doc, _NameInParentheses):
            inside = level + INDENT + len(doc.text) <= LINE_LENGTH
            if broken and inside and not _fits(_Group((_Text(doc.text),)), stack, LINE_LENGTH - column):
                out.append(f"(\n{' ' * (level + INDENT)}{doc.text}\n{' ' * level})")
                column = level + 1
            else:
                out.append(doc.text)
                column += len(doc.text)
        elif isinstance(doc, _Indent):
            stack += [(level + INDENT, broken, part) for part in reversed(doc.parts)]
        elif isinstance(doc, _Group):
            breaks = broken and not _fits(doc, stack, LINE_LENGTH - column)
            stack += [(level, breaks, part) for part in reversed(doc.parts)]
    return "".join(out)


def _fits(group: _Group, rest: list[tuple[int, bool, _Doc]], width: int) -> bool:
    """Whether ``group`` on one line, and what follows it up to the next line break, fit ``width``.

    What follows is measured as printed: a line break of a group already broken ends the
    measure; a group not yet printed counts on one line (ruff measures it so, too).
    """
    pending: list[tuple[bool, _Doc]] = [(False, group)]
    index = len(rest)
    while width >= 0:
        if not pending:
            if index == 0:
                return True
            index -= 1
            pending.append((rest[index][1], rest[index][2]))
        broken, doc = pending.pop()
        if isinstance(doc, (_Text, _NameInParentheses)) or (isinstance(doc, _IfBroken) and broken):
            width -= len(doc.text)
        elif isinstance(doc, _Line):
            if broken:
                return True
            width -= len(doc.flat)
        elif isinstance(doc, _Indent):
            pending += [(broken, part) for part in reversed(doc.parts)]
        elif isinstance(doc, _Group):
            pending += [(False, part) for part in reversed(doc.parts)]
    return False


# ---- statements -------------------------------------------------------------------------------


@cache
def annotated_parameter(name: str, annotation: str, default: str = "", indent: int = INDENT) -> str:
    """``name: annotation[ = default],`` as a parameter of an exploded signature (with its indent)."""
    tail = (f" = {default}" if default else "") + ","
    flat = f"{' ' * indent}{name}: {annotation}{tail}"
    if len(flat) <= LINE_LENGTH:  # the usual case, and nothing to lay out
        return flat
    parts = [_Text(f"{name}: "), _type_doc(parse(annotation)), _Text(tail)]
    return " " * indent + _print(parts, indent)


@cache
def annotated_return(annotation: str, indent: int = 0) -> str:
    """``) -> annotation:`` closing an exploded signature whose ``def`` is at ``indent``."""
    flat = f"{' ' * indent}) -> {annotation}:"
    if len(flat) <= LINE_LENGTH:
        return flat
    return " " * indent + _print([_Text(") -> "), _return_doc(parse(annotation)), _Text(":")], indent)


def annotated_def(head: str, parameters: Sequence[str], annotation: str, indent: int = 0) -> str:
    """``head(parameters) -> annotation:``: on one line when it fits, else the parameters on lines of
    their own (ruff's way: one parameter gets a trailing comma; several share a line when they fit,
    and take one line each, with a trailing comma, when they do not)."""
    items: list[_Doc] = []
    for item in parameters:
        if items:
            items += [_Text(","), _SPACE]
        items.append(_Text(item))
    inside = (*items, _IfBroken(",")) if len(parameters) == 1 else (_Group((*items, _IfBroken(","))),)
    parts: list[_Doc] = [
        _Text(f"{head}("),
        _Group((_Indent((_SOFT, *inside)), _SOFT)),
        _Text(") -> "),
        _return_doc(parse(annotation)),
        _Text(":"),
    ]
    return " " * indent + _print(parts, indent)


@cache
def annotated_assignment(target: str, annotation: str, value: str, indent: int = INDENT) -> str:
    """``target: annotation = value`` where ``value`` ends the line (``await f(`` of a split call)."""
    expression = parse(annotation)
    doc = _parenthesized_if_broken(expression) if isinstance(expression, UnionOf) else _type_doc(expression)
    return " " * indent + _print([_Text(f"{target}: "), doc, _Text(f" = {value}")], indent)


def _return_doc(expression: TypeExpr) -> _Doc:
    # A subscript breaks inside its own brackets, a union in parentheses; a name is put in
    # parentheses when that makes it fit.
    if isinstance(expression, Subscript):
        return _type_doc(expression)
    if isinstance(expression, Name):
        return _NameInParentheses(expression.text)
    return _parenthesized_if_broken(expression)
