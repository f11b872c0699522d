"""Channel parameters: type, checks and example values from a 2.x ``schema`` or a 3.x parameter.

AsyncAPI 3.x parameters are always strings (``enum``, ``default``, ``examples``). A 2.x parameter
carries a JSON Schema: ``type: integer | number | boolean`` gives an ``int`` / ``float`` / ``bool``
attribute, numeric bounds apply to numbers and length bounds and ``pattern`` to strings (as in JSON
Schema, where each keyword applies to one type only). Values are rendered in the path as their
canonical text (:func:`to_text`), which the generated runtime renders and parses the same way.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..examples.pattern_strings import pattern_example
from ..ir import Parameter
from ..pytext.regex_dialect import python_regex

TYPED_KINDS = ("integer", "number", "boolean")
_INTEGER = re.compile(r"-?[0-9]+")
# JSON numbers, leniently: leading zeros, ``1.`` and ``.5`` are read too (the runtime agrees).
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parameter_kind(schema: dict[str, Any]) -> str:
    """``string``, ``integer``, ``number`` or ``boolean``: the JSON type a 2.x schema gives a value."""
    declared = schema.get("type")
    if isinstance(declared, list):
        # ``[integer, "null"]``: a path segment is never null, so the one other type is the type.
        others = [t for t in declared if t != "null"]
        declared = others[0] if len(others) == 1 else None
    return declared if declared in TYPED_KINDS else "string"


def to_text(value: Any, kind: str) -> str | None:
    """The canonical path text of a spec value for ``kind``; ``None`` when it is not of that kind.

    Example:
        >>> to_text(True, "boolean"), to_text("7", "integer"), to_text(2, "number")
        ('true', '7', '2.0')
    """
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return None if value is None else str(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if value in ("true", "false") else None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        pattern = _INTEGER if kind == "integer" else _NUMBER
        if pattern.fullmatch(value) is None:
            return None
        value = int(value) if kind == "integer" else float(value)
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if isinstance(value, int) else None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond the float range
            return None
        return float_text(number) if math.isfinite(number) else None
    return None


def float_text(value: float) -> str:
    """``repr`` without the ``+`` of a positive exponent (``1e+20`` -> ``1e20``).

    Still a JSON number that ``float`` reads back exactly, nothing in it needs percent-encoding,
    and as a Python literal it is what ``ruff format`` writes.
    """
    return repr(value).replace("e+", "e")


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if isinstance(value, int) or math.isfinite(value) else None


def _length(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def limits(schema: dict[str, Any], kind: str) -> dict[str, float | int]:
    """The bounds a value of ``kind`` is checked against, by ``check_parameter`` keyword."""
    found: dict[str, float | int] = {}
    if kind in ("integer", "number"):
        for key, keyword in (
            ("minimum", "minimum"),
            ("exclusiveMinimum", "exclusive_minimum"),
            ("maximum", "maximum"),
            ("exclusiveMaximum", "exclusive_maximum"),
        ):
            bound = _number(schema.get(key))
            if bound is not None:
                found[keyword] = bound
    elif kind == "string":
        for key, keyword in (("minLength", "min_length"), ("maxLength", "max_length")):
            length = _length(schema.get(key))
            if length is not None:
                found[keyword] = length
    return found


def within(value: float | int | str, bounds: dict[str, float | int]) -> bool:
    """Whether a value passes its bounds (what the generated ``check_parameter`` checks)."""
    if isinstance(value, str):
        size = len(value)
        return bounds.get("min_length", 0) <= size <= bounds.get("max_length", size)
    return (
        value >= bounds.get("minimum", value)
        and value <= bounds.get("maximum", value)
        and ("exclusive_minimum" not in bounds or value > bounds["exclusive_minimum"])
        and ("exclusive_maximum" not in bounds or value < bounds["exclusive_maximum"])
    )


def synthesised_example(kind: str, wire: str, pattern: str | None, bounds: dict[str, float | int]) -> str:
    """A text of ``kind`` that passes the bounds (and, for strings, the Python ``pattern``)."""
    return _synthesised(kind, bounds) if kind != "string" else _string_example(wire, pattern, bounds)


def _synthesised(kind: str, bounds: dict[str, float | int]) -> str:
    """A value inside the bounds, for the generated tests and examples."""
    if kind == "boolean":
        return "true"
    low = bounds.get("minimum", bounds.get("exclusive_minimum"))
    high = bounds.get("maximum", bounds.get("exclusive_maximum"))
    candidates: list[float | int] = []
    if low is not None and high is not None:
        candidates.append((low + high) / 2)
    if low is not None:
        candidates += [low, low + 1, math.floor(low) + 1]
    if high is not None:
        candidates += [high, high - 1, math.ceil(high) - 1]
    candidates += [1, 0, 1.5]
    for candidate in candidates:
        if kind == "integer":
            if not float(candidate).is_integer():
                continue
            candidate = int(candidate)
        else:
            candidate = float(candidate)
        if within(candidate, bounds):
            return to_text(candidate, kind) or "1"
    return "1"


def _fit_length(text: str, bounds: dict[str, float | int]) -> str:
    """A synthesised string stretched or cut to its length bounds."""
    low, high = int(bounds.get("min_length", 0)), bounds.get("max_length")
    if len(text) < low:
        text += "x" * (low - len(text))
    if high is not None and len(text) > high:
        text = text[: max(int(high), low, 1)]
    return text


def _string_example(wire: str, pattern: str | None, bounds: dict[str, float | int]) -> str:
    """A string the generated tests can build paths from: it passes the pattern and lengths."""
    short = pattern_example(pattern) if pattern is not None else None
    candidates = [text for text in (short, f"{wire}-1") if text]
    for candidate in candidates + [_fit_length(text, bounds) for text in candidates]:
        if within(candidate, bounds) and (pattern is None or _searches(pattern, candidate)):
            return candidate
    return candidates[0]


def _searches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def build_parameter(
    name: str, wire: str, spec: dict[str, Any], schema: dict[str, Any], *, typed: bool, description: str
) -> Parameter:
    """The IR record of one parameter; ``typed`` when ``schema`` is a 2.x parameter schema.

    A declared type that the parameter's own ``enum`` or ``default`` contradicts is not trusted:
    the parameter stays a string rather than refusing values the document lists.
    """
    raw_enum = spec.get("enum") or schema.get("enum") or []
    raw_enum = raw_enum if isinstance(raw_enum, list) else []
    default = spec.get("default", schema.get("default"))
    examples = spec.get("examples") or schema.get("examples") or []
    examples = examples if isinstance(examples, list) else [examples]
    kind = parameter_kind(schema) if typed else "string"
    if kind != "string":
        converted = [to_text(value, kind) for value in raw_enum]
        if None in converted or (default is not None and to_text(default, kind) is None):
            kind = "string"
    enum = tuple(text for text in (to_text(value, kind) for value in raw_enum) if text is not None)
    default_text = to_text(default, kind) if default is not None else None
    example_texts = [text for text in (to_text(value, kind) for value in examples) if text is not None]
    bounds = limits(schema, kind) if typed else {}
    pattern = schema.get("pattern") if kind == "string" else None
    # The runtime checks with Python's `re`: `$` is spelt so that it means the true end there.
    pattern = python_regex(pattern) if isinstance(pattern, str) else None

    if enum:
        example = enum[0]
    elif default_text is not None:
        example = default_text
    elif example_texts:
        example = example_texts[0]
    else:
        example = synthesised_example(kind, wire, pattern, bounds)
    return Parameter(
        name=name,
        wire_name=wire,
        description=description,
        enum=enum,
        pattern=pattern,
        default=default_text,
        example=example,
        kind=kind,
        limits=tuple(
            (keyword, float_text(value) if isinstance(value, float) else str(value))
            for keyword, value in bounds.items()
        ),
    )
