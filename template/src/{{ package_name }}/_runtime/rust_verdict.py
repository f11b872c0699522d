"""Verdicts from ``jsonschema-rs`` when the package's ``fast`` extra installs it.

:mod:`.validation` asks :func:`compile_verdict` for a schema's check. The check it gets only ever
*accepts*: it answers ``True`` when ``jsonschema-rs`` accepts a value it can judge exactly as the
Python validators do, and ``False`` otherwise, after which the usual path (``fastjsonschema``, then
``jsonschema`` to explain) decides. What makes ``jsonschema-rs`` judge alike:

* **Formats**: it is given the package's own format functions and told to check formats; every
  other format named in the document gets a function that accepts anything (so its own checkers
  never run), as the Python validators leave those formats unchecked.
* **Patterns**: ``schemas.json`` spells them for Python's :mod:`re`; each is written for Rust's
  ``regex`` crate from Python's own parse tree (:mod:`.rust_regex`). A schema with a pattern that
  cannot be written so gets no check here. The package's formats that are one pattern of the whole
  text (all but ``hostname`` and ``ipv6``) are handed over as such patterns, checked without a
  call back into Python.
* **Values**: only plain JSON data is handed over (``dict`` with ``str`` keys, ``list``, ``str``,
  ``bool``, ``None``, ``int`` within 64 bits, finite ``float``, exact types): ``jsonschema-rs``
  reads tuples as arrays, enum members as their values and NaN as no type at all, where the
  Python validators do not.

A schema with ``$id`` (which moves what its references mean), a ``$ref`` that is not a local
JSON pointer, or one the library refuses gets no check either.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from .rust_regex import rust_regex

_DATA = frozenset({"const", "enum", "default", "examples", "example"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependencies"})
_MIN_INT = -(2**63)
_MAX_INT = 2**64 - 1


class _Untranslatable(Exception):
    """A schema ``jsonschema-rs`` cannot be trusted to read as Python does."""


def library() -> Any | None:
    """The ``jsonschema_rs`` module when the ``fast`` extra is installed, else ``None``."""
    try:
        return importlib.import_module("jsonschema_rs")
    except ImportError:
        return None


# -- schemas -------------------------------------------------------------------------------------


class _Prepared:
    """A schema document with its patterns spelt for Rust, and the formats it names.

    A format in ``format_patterns`` (name -> Rust pattern of the whole text) becomes that pattern,
    in an ``allOf`` beside the node's own keywords: checked without a call back into Python.
    """

    def __init__(self, format_patterns: Mapping[str, str]) -> None:
        self.formats: set[str] = set()
        self.format_patterns = format_patterns

    def node(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.node(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        as_pattern = None
        for key, value in node.items():
            if key == "format" and isinstance(value, str) and value in self.format_patterns:
                as_pattern = {"pattern": self.format_patterns[value]}
            elif key in _DATA:
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
        if as_pattern is not None:
            if not isinstance(out.get("allOf", []), list):
                raise _Untranslatable("allOf")
            out["allOf"] = [*out.get("allOf", []), as_pattern]
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
# copy by the identity of the part and of the format patterns (both kept alive), or None.
_SHARED: dict[tuple[int, int], tuple[Any, Any, tuple[Any, frozenset[str]] | None]] = {}
_NO_FORMAT_PATTERNS: Mapping[str, str] = {}


def rust_schema(
    schema: dict[str, Any], format_patterns: Mapping[str, str] = _NO_FORMAT_PATTERNS
) -> tuple[dict[str, Any], frozenset[str]] | None:
    """``schema`` as ``jsonschema-rs`` reads it like Python does, and the formats it names; or
    ``None``. Patterns change, and formats given as patterns (see :class:`_Prepared`); data
    (``const``, ``enum``, ``default``...) stays as written."""
    document: dict[str, Any] = {}
    formats: set[str] = set()
    for key, value in schema.items():
        if key in _SPECIAL or not isinstance(value, (dict, list)):
            translated = _translated({key: value}, format_patterns)
            if translated is None:
                return None
            document.update(translated[0])
        else:
            key_id = (id(value), id(format_patterns))
            kept = _SHARED.get(key_id)
            if kept is None or kept[0] is not value or kept[1] is not format_patterns:
                kept = _SHARED[key_id] = (
                    value,
                    format_patterns,
                    _translated(value, format_patterns),
                )
            translated = kept[2]
            if translated is None:
                return None
            document[key] = translated[0]
        formats.update(translated[1])
    return document, frozenset(formats)


def _translated(node: Any, format_patterns: Mapping[str, str]) -> tuple[Any, frozenset[str]] | None:
    prepared = _Prepared(format_patterns)
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
    schema: dict[str, Any] | bool,
    formats: Mapping[str, Callable[[object], bool]],
    format_patterns: Mapping[str, str] = _NO_FORMAT_PATTERNS,
) -> Callable[[Any], bool] | None:
    """An accept-only check for ``schema`` by ``jsonschema-rs``; ``None`` without the library, or
    where it may judge otherwise than the Python validators. ``formats`` are the checks of the
    formats the package checks (given any value: they must pass what is no string);
    ``format_patterns`` the same checks as Rust patterns where they are one (see
    :func:`format_patterns`), which jsonschema-rs runs without calling Python."""
    rs = library()
    if rs is None or not isinstance(schema, dict):
        return None
    prepared = rust_schema(schema, format_patterns)
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
