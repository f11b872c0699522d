"""Verdicts from ``jsonschema-rs`` when the package's ``fast`` extra installs it.

:mod:`.validation` asks :func:`compile_verdict` for a schema's check. The check it gets only ever
*accepts*: it answers ``True`` when ``jsonschema-rs`` accepts a value it can judge exactly as the
Python validators do, and ``False`` otherwise, after which the usual path (``fastjsonschema``, then
``jsonschema`` to explain) decides. What makes ``jsonschema-rs`` judge alike:

* **Formats**: it is given the package's own format functions and told to check formats; every
  other format named in the document gets a function that accepts anything (so its own checkers
  never run), as the Python validators leave those formats unchecked.
* **Patterns**: ``schemas.json`` spells them for Python's :mod:`re`. Each is read with Python's own
  parser and written out again for Rust's ``regex`` crate from the parse tree: characters by code
  point, ``\\d``, ``\\w``, ``\\s`` (and negations) as the explicit sets Python matches, found by
  running Python's ``re`` over every character. Constructs that Rust reads otherwise or not at
  all (flags, ``\\b``, look-arounds, back-references, atomic groups, ``$`` before a final newline)
  are not translated: a schema that holds one gets no check here.
* **Values**: only plain JSON data is handed over (``dict`` with ``str`` keys, ``list``, ``str``,
  ``bool``, ``None``, ``int`` within 64 bits, finite ``float``, exact types): ``jsonschema-rs``
  reads tuples as arrays, enum members as their values and NaN as no type at all, where the
  Python validators do not.

A schema with ``$id`` (which moves what its references mean), a ``$ref`` that is not a local
JSON pointer, or one the library refuses gets no check either.
"""

from __future__ import annotations

import array
import importlib
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

_DATA = frozenset({"const", "enum", "default", "examples", "example"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependencies"})
_SURROGATES = (0xD800, 0xDFFF)
_LAST = 0x10FFFF
_MIN_INT = -(2**63)
_MAX_INT = 2**64 - 1


class _Untranslatable(Exception):
    """A pattern or a schema ``jsonschema-rs`` cannot be trusted to read as Python does."""


def library() -> Any | None:
    """The ``jsonschema_rs`` module when the ``fast`` extra is installed, else ``None``."""
    try:
        return importlib.import_module("jsonschema_rs")
    except ImportError:
        return None


# -- patterns ------------------------------------------------------------------------------------


@cache
def _parser() -> Any | None:
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # another Python: no pattern is translated
        return None


_CATEGORIES = ("CATEGORY_DIGIT", r"\d"), ("CATEGORY_WORD", r"\w"), ("CATEGORY_SPACE", r"\s")


def _category(name: str) -> tuple[tuple[int, int], ...]:
    """The code points Python's ``re`` matches with ``\\d``, ``\\w``, ``\\s`` and their negations
    (``CATEGORY_NOT_DIGIT``...)."""
    if name.startswith("CATEGORY_NOT_"):
        return _complement(_category(name.replace("_NOT", "", 1)))
    found = _categories().get(name)
    if found is None:
        raise _Untranslatable(name)
    return found


@cache
def _categories() -> dict[str, tuple[tuple[int, int], ...]]:
    # Python's `re` itself, run over every character (about 0.1 s, once, for the first pattern
    # that needs one). Surrogates cannot reach jsonschema-rs (it refuses such strings).
    text = _every_character()
    return {
        name: _merged(
            [
                (ord(text[m.start()]), ord(text[m.end() - 1]))
                for m in re.finditer(escape + "+", text)
            ]
        )
        for name, escape in _CATEGORIES
    }


def _every_character() -> str:
    codes = array.array("I", range(_SURROGATES[0]))
    codes.extend(range(_SURROGATES[1] + 1, _LAST + 1))
    if codes.itemsize == 4:
        return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    return "".join(map(chr, codes))


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return tuple(out)


def _complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    start = 0
    for low, high in ranges:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= _LAST:
        out.append((start, _LAST))
    return tuple(out)


def _char(code: int) -> str:
    if _SURROGATES[0] <= code <= _SURROGATES[1]:
        raise _Untranslatable("a surrogate")
    text = chr(code)
    return text if text.isascii() and text.isalnum() else f"\\u{{{code:X}}}"


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    parts: list[str] = []
    for low, high in ranges:
        # Written without the surrogates: Rust has no such characters.
        for start, end in (
            (low, min(high, _SURROGATES[0] - 1)),
            (max(low, _SURROGATES[1] + 1), high),
        ):
            if start <= end:
                parts.append(_char(start) if start == end else f"{_char(start)}-{_char(end)}")
    if not parts:
        raise _Untranslatable("an empty set")
    return "[" + "".join(parts) + "]"


def _set(items: list[tuple[Any, Any]]) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    negate = False
    for op, argument in items:
        name = op.name
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            ranges.append((argument, argument))
        elif name == "RANGE":
            ranges.append(argument)
        elif name == "CATEGORY":
            ranges.extend(_category(argument.name))
        else:
            raise _Untranslatable(name)
    merged = _merged(ranges)
    return _complement(merged) if negate else merged


def _written(tree: Any) -> str:
    out: list[str] = []
    for op, argument in tree:
        name = op.name
        if name == "LITERAL":
            out.append(_char(argument))
        elif name == "NOT_LITERAL":
            out.append(_class(_complement(((argument, argument),))))
        elif name == "ANY":  # any character but a newline, in both
            out.append(_class(_complement(((10, 10),))))
        elif name == "IN":
            out.append(_class(_set(argument)))
        elif name == "CATEGORY":
            out.append(_class(_category(argument.name)))
        elif name == "BRANCH":
            out.append("(?:" + "|".join(_written(branch) for branch in argument[1]) + ")")
        elif name == "SUBPATTERN":
            _group, add_flags, del_flags, inner = argument
            if add_flags or del_flags:
                raise _Untranslatable("scoped flags")
            out.append("(?:" + _written(inner) + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, inner = argument
            bound = "" if high == _parser_module().MAXREPEAT else str(high)
            lazy = "?" if name == "MIN_REPEAT" else ""
            out.append(f"(?:{_written(inner)}){{{low},{bound}}}{lazy}")
        elif name == "AT" and argument.name in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
            out.append("^")  # without the multi-line flag: the start of the text, in both
        elif name == "AT" and argument.name == "AT_END_STRING":
            out.append("$")  # Rust's `$` is the very end (Python's `\Z`)
        else:  # `$`, \b, look-arounds, back-references, atomic groups, possessive repeats
            raise _Untranslatable(name)
    return "".join(out)


def _parser_module() -> Any:
    parser = _parser()
    if parser is None:
        raise _Untranslatable("no parser")
    return parser


def rust_regex(pattern: str) -> str | None:
    """``pattern`` (Python's :mod:`re`) written so Rust's ``regex`` finds the same matches, or
    ``None`` where it cannot be (see the module's docstring)."""
    try:
        re.compile(pattern)
        parsed = _parser_module().parse(pattern, 0)
        if parsed.state.flags & ~(re.UNICODE | re.VERBOSE):
            return None
        return _written(parsed)
    except Exception:  # refused here (_Untranslatable), or by Python itself
        return None


# -- schemas -------------------------------------------------------------------------------------


class _Prepared:
    """A schema document with its patterns spelt for Rust, and the formats it names."""

    def __init__(self) -> None:
        self.formats: set[str] = set()

    def node(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.node(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DATA:
                out[key] = value  # data, compared as it is written
            elif key in _NAME_MAPS and isinstance(value, dict):
                out[key] = self.names(key, value)
            elif key == "pattern":
                out[key] = self.pattern(value)
            elif key in ("$id", "id") and isinstance(value, str):
                raise _Untranslatable("an identifier moves what references mean")
            elif key == "$ref":
                out[key] = self.reference(value)
            else:
                if key == "format" and isinstance(value, str):
                    self.formats.add(value)
                out[key] = self.node(value)
        return out

    def names(self, key: str, value: dict[str, Any]) -> dict[str, Any]:
        if key != "patternProperties":
            return {name: self.node(schema) for name, schema in value.items()}
        out = {self.pattern(name): self.node(schema) for name, schema in value.items()}
        if len(out) != len(value):
            raise _Untranslatable("two patterns written alike")
        return out

    def pattern(self, value: Any) -> str:
        written = rust_regex(value) if isinstance(value, str) else None
        if written is None:
            raise _Untranslatable("pattern")
        return written

    def reference(self, value: Any) -> Any:
        # A local pointer, not into data (left as written) nor a renamed pattern.
        if (
            not isinstance(value, str)
            or not (value == "#" or value.startswith("#/"))
            or "%" in value
        ):
            raise _Untranslatable("reference")
        tokens = set(value[2:].split("/"))
        if tokens & _DATA or "patternProperties" in tokens:
            raise _Untranslatable("reference")
        return value


_SPECIAL = _DATA | _NAME_MAPS | {"pattern", "$id", "id", "$ref", "format"}
# Parts shared by the schemas of one package (``{"$ref": pointer, **document}``): the translated
# copy by the identity of the part (which it keeps alive), or None where there is none.
_SHARED: dict[int, tuple[Any, tuple[Any, frozenset[str]] | None]] = {}


def rust_schema(schema: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """``schema`` as ``jsonschema-rs`` reads it like Python does, and the formats it names; or
    ``None``. Only patterns change: data (``const``, ``enum``, ``default``...) stays as written."""
    document: dict[str, Any] = {}
    formats: set[str] = set()
    for key, value in schema.items():
        if key in _SPECIAL or not isinstance(value, (dict, list)):
            translated = _translated({key: value})
            if translated is None:
                return None
            document.update(translated[0])
        else:
            kept = _SHARED.get(id(value))
            if kept is None or kept[0] is not value:
                kept = _SHARED[id(value)] = (value, _translated(value))
            translated = kept[1]
            if translated is None:
                return None
            document[key] = translated[0]
        formats.update(translated[1])
    return document, frozenset(formats)


def _translated(node: Any) -> tuple[Any, frozenset[str]] | None:
    prepared = _Prepared()
    try:
        return prepared.node(node), frozenset(prepared.formats)
    except (_Untranslatable, RecursionError):
        return None


# -- values --------------------------------------------------------------------------------------

_SCALARS = frozenset({str, bool, type(None)})


def plain(value: Any) -> bool:
    """Whether ``value`` is JSON data both libraries read alike (see the module's docstring)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is int:
        integer: int = value
        return _MIN_INT <= integer <= _MAX_INT
    if kind is float:
        number: float = value
        return number - number == 0.0  # false for NaN and the infinities
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _SCALARS and not plain(item)):
                return False
        return True
    if kind is list:
        for item in value:
            if type(item) not in _SCALARS and not plain(item):
                return False
        return True
    return False


def _always(value: object) -> bool:
    return True


def compile_verdict(
    schema: dict[str, Any] | bool, formats: Mapping[str, Callable[[object], bool]]
) -> Callable[[Any], bool] | None:
    """An accept-only check for ``schema`` by ``jsonschema-rs``; ``None`` without the library, or
    where it may judge otherwise than the Python validators. ``formats`` are the checks of the
    formats the package checks (given any value: they must pass what is no string)."""
    rs = library()
    if rs is None or not isinstance(schema, dict):
        return None
    prepared = rust_schema(schema)
    if prepared is None:
        return None
    document, named = prepared
    checks = {name: formats.get(name, _always) for name in sorted(named)}
    try:
        validator = rs.Draft7Validator(
            document,
            formats=checks,
            validate_formats=True,
            ignore_unknown_formats=True,
            pattern_options=rs.RegexOptions(),
            offline=True,
        )
    except Exception:  # a schema or an option this version refuses: the Python path decides
        return None
    is_valid: Callable[[Any], bool] = validator.is_valid

    def accepts(value: Any) -> bool:
        if not plain(value):
            return False
        try:
            return is_valid(value)
        except Exception:  # e.g. a lone surrogate, which it cannot read
            return False

    return accepts
