"""Python's regular expressions written for Rust's ``regex`` crate, with the same matches.

``schemas.json`` spells patterns for Python's :mod:`re` (``$`` as ``\\Z``). For ``jsonschema-rs``
(:mod:`.rust_verdict`) each is read with Python's own parser and written out again from the parse
tree: characters by code point (``\\u{...}``, which both jsonschema-rs's ECMA-262 syntax check and
Rust read alike), sets as explicit ranges, ``\\d``, ``\\w``, ``\\s`` (and negations) as the sets
Python's ``re`` matches, found by running it over every character. What Rust would read otherwise or
not at all (flags other than ``re.ASCII``, ``\\b``, look-arounds, back-references, atomic groups,
possessive repeats, ``$`` before a final newline) is not translated: :func:`rust_regex` gives
``None``.
"""

from __future__ import annotations

import array
import importlib
import re
import sys
from collections.abc import Mapping
from functools import cache
from typing import Any

_SURROGATES = (0xD800, 0xDFFF)
_LAST = 0x10FFFF


class Untranslatable(Exception):
    """A pattern Rust cannot be trusted to read as Python does."""


# -- patterns ------------------------------------------------------------------------------------


@cache
def _parser() -> Any | None:
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # another Python: no pattern is translated
        return None


_CATEGORIES = ("CATEGORY_DIGIT", r"\d"), ("CATEGORY_WORD", r"\w"), ("CATEGORY_SPACE", r"\s")


def _category(name: str, ascii: bool) -> tuple[tuple[int, int], ...]:
    """The code points Python's ``re`` matches with ``\\d``, ``\\w``, ``\\s`` and their negations
    (``CATEGORY_NOT_DIGIT``...), with the ``ASCII`` flag or without."""
    if name.startswith("CATEGORY_NOT_"):
        return _complement(_category(name.replace("_NOT", "", 1), ascii))
    found = _categories(ascii).get(name)
    if found is None:
        raise Untranslatable(name)
    return found


@cache
def _categories(ascii: bool) -> dict[str, tuple[tuple[int, int], ...]]:
    # Python's `re` itself, run over every character (about 0.1 s, once, for the first pattern
    # that needs one). Surrogates cannot reach jsonschema-rs (it refuses such strings).
    text = _every_character()
    return {
        name: _merged(
            [
                (ord(text[m.start()]), ord(text[m.end() - 1]))
                for m in re.finditer(escape + "+", text, re.ASCII if ascii else 0)
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
        raise Untranslatable("a surrogate")
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
        raise Untranslatable("an empty set")
    return "[" + "".join(parts) + "]"


def _set(items: list[tuple[Any, Any]], ascii: bool) -> tuple[tuple[int, int], ...]:
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
            ranges.extend(_category(argument.name, ascii))
        else:
            raise Untranslatable(name)
    merged = _merged(ranges)
    return _complement(merged) if negate else merged


def _written(tree: Any, ascii: bool) -> str:
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
            out.append(_class(_set(argument, ascii)))
        elif name == "CATEGORY":
            out.append(_class(_category(argument.name, ascii)))
        elif name == "BRANCH":
            out.append("(?:" + "|".join(_written(branch, ascii) for branch in argument[1]) + ")")
        elif name == "SUBPATTERN":
            _group, add_flags, del_flags, inner = argument
            if add_flags or del_flags:
                raise Untranslatable("scoped flags")
            out.append("(?:" + _written(inner, ascii) + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, inner = argument
            bound = "" if high == _parser_module().MAXREPEAT else str(high)
            lazy = "?" if name == "MIN_REPEAT" else ""
            out.append(f"(?:{_written(inner, ascii)}){{{low},{bound}}}{lazy}")
        elif name == "AT" and argument.name in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
            out.append("^")  # without the multi-line flag: the start of the text, in both
        elif name == "AT" and argument.name == "AT_END_STRING":
            out.append("$")  # Rust's `$` is the very end (Python's `\Z`)
        else:  # `$`, \b, look-arounds, back-references, atomic groups, possessive repeats
            raise Untranslatable(name)
    return "".join(out)


def _parser_module() -> Any:
    parser = _parser()
    if parser is None:
        raise Untranslatable("no parser")
    return parser


def rust_regex(pattern: str, flags: int = 0) -> str | None:
    """``pattern`` (Python's :mod:`re`, with ``flags``) written so Rust's ``regex`` finds the same
    matches, or ``None`` where it cannot be (see the module's docstring)."""
    try:
        re.compile(pattern, flags)
        parsed = _parser_module().parse(pattern, flags)
        if parsed.state.flags & ~(re.UNICODE | re.VERBOSE | re.ASCII):
            return None
        return _written(parsed, bool(parsed.state.flags & re.ASCII))
    except Exception:  # refused here (Untranslatable), or by Python itself
        return None


# The package's date and time formats (validation.is_date, is_time, is_date_time) written as
# regular expressions of the whole text: a real calendar day (years 0001-9999, leap years by the
# Gregorian rule), hours to 23, minutes to 59, seconds to 60, offsets to 23:59. The tests compare
# them with the functions on every month and day of the years around each leap-year rule.
_YEAR = "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_DATE = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = (
    "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:[.][0-9]+)?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
DATE_TIME_PATTERNS = {"date": _DATE, "time": _TIME, "date-time": f"{_DATE}[Tt]{_TIME}"}
"""Python patterns (``re.ASCII``) that match a whole text exactly when the format function does."""


def format_patterns(whole: Mapping[str, re.Pattern[str]]) -> dict[str, str]:
    """Rust patterns for formats whose check is ``whole[name].fullmatch(text)``; a pattern that
    cannot be translated is left out (its format is checked by calling Python)."""
    out: dict[str, str] = {}
    for name, pattern in whole.items():
        written = rust_regex(rf"\A(?:{pattern.pattern})\Z", pattern.flags)
        if written is not None:
            out[name] = written
    return out
