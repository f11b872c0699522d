"""Sample strings for ``pattern``: a small generator over Python's own regex parser.

The result is checked with ``re.search`` exactly as the validators do; ``None`` when it gives up.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse


def pattern_example(pattern: str, min_length: int = 0) -> str | None:
    """A short string ``re.search(pattern, s)`` accepts, or ``None`` when the generator gives up."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed: Any = sre_parse.parse(pattern)
        text = _emit(list(parsed), {})
    except (re.error, _GiveUpError, RecursionError, TypeError, ValueError, IndexError):
        return None
    if re.search(pattern, text) is None:
        return None
    if len(text) < min_length:
        return None
    return text


class _GiveUpError(Exception):
    pass


_CATEGORY_SAMPLE = {
    sre_constants.CATEGORY_DIGIT: "0",
    sre_constants.CATEGORY_NOT_DIGIT: "a",
    sre_constants.CATEGORY_WORD: "a",
    sre_constants.CATEGORY_NOT_WORD: "-",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: "a",
}


def _emit(items: list[Any], groups: dict[int, str]) -> str:
    out: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL:
            out.append("a" if chr(arg) != "a" else "b")
        elif op is sre_constants.ANY:
            out.append("a")
        elif op is sre_constants.IN:
            out.append(_in_sample(arg))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _high, sub = arg
            out.append(_emit(list(sub), groups) * low)
        elif op is sre_constants.SUBPATTERN:
            group, _add, _del, sub = arg
            text = _emit(list(sub), groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            out.append(_emit(list(arg[1][0]), groups))
        elif op is sre_constants.AT:
            continue
        elif op is sre_constants.GROUPREF:
            out.append(groups.get(arg, ""))
        else:
            raise _GiveUpError
    return "".join(out)


def _in_sample(members: list[Any]) -> str:
    if members and members[0][0] is sre_constants.NEGATE:
        excluded = _in_chars(members[1:])
        for candidate in "a0A-_ .x":
            if candidate not in excluded:
                return candidate
        raise _GiveUpError
    for op, arg in members:
        if op is sre_constants.LITERAL:
            return chr(arg)
        if op is sre_constants.RANGE:
            return chr(arg[0])
        if op is sre_constants.CATEGORY and arg in _CATEGORY_SAMPLE:
            return _CATEGORY_SAMPLE[arg]
    raise _GiveUpError


def _in_chars(members: list[Any]) -> set[str]:
    chars: set[str] = set()
    for op, arg in members:
        if op is sre_constants.LITERAL:
            chars.add(chr(arg))
        elif op is sre_constants.RANGE:
            chars.update(chr(c) for c in range(arg[0], min(arg[1], arg[0] + 512) + 1))
        elif op is sre_constants.CATEGORY:
            raise _GiveUpError
    return chars
