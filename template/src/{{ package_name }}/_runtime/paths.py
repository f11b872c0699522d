"""Channel paths: building and matching them, and the typed checks of channel parameters.

Addresses are percent-encoded in one canonical form on both sides (``encode_address``, the same
rule as the generator's): a path is built in it, and a received path is put in it before it is
matched, so encoded, plain and mixed spellings of one path match alike.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, unquote_to_bytes

from .errors import ParameterError


def split_path(path: str) -> tuple[str, str]:
    """Split ``/a/b?x=1`` into ``("a/b", "x=1")``: no leading slash, query apart."""
    route, _, query = path.partition("?")
    return route.lstrip("/"), query


_TRIPLETS = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def encode_address(text: str) -> str:
    """The canonical percent-encoded form of a path: how addresses are built and matched.

    Runs of ``%XX`` are kept as percent-encoding (unreserved characters decoded, hex upper-case);
    every other character but ``A-Z a-z 0-9 - . _ ~`` and ``/`` is encoded as UTF-8. The form is
    idempotent, so an encoded path, a plain one and a mix of both all reach the same text. ``.`` is
    unreserved: ``..`` segments are kept, never resolved.

    Raises:
        ParameterError: the text cannot be encoded as UTF-8 (a lone surrogate).

    Example:
        >>> encode_address("/../ä ö/a%2fb")
        '/../%C3%A4%20%C3%B6/a%2Fb'
    """
    parts: list[str] = []
    last = 0
    try:
        for run in _TRIPLETS.finditer(text):
            parts.append(quote(text[last : run.start()], safe="/"))
            parts.append(quote(unquote_to_bytes(run.group()), safe=""))
            last = run.end()
        parts.append(quote(text[last:], safe="/"))
    except UnicodeEncodeError as exc:
        raise ParameterError(f"{text!r} is not a valid path: {exc.reason}") from None
    return "".join(parts)


def match_path(pattern: re.Pattern[str], names: Sequence[str], path: str) -> dict[str, str]:
    """Match a concrete path against a channel pattern; values are percent-decoded.

    The path may be percent-encoded or not (``/a%20b`` and ``/a b`` are the same path); the
    pattern is written in the canonical form of :func:`encode_address`.

    Raises:
        ParameterError: the path does not match.
    """
    route = encode_address(split_path(path)[0])
    found = pattern.fullmatch(route) or pattern.fullmatch("/" + route)
    if found is None:
        raise ParameterError(f"{path!r} does not match the channel address {pattern.pattern!r}")
    return {name: unquote(found.group(f"p{index}")) for index, name in enumerate(names)}


def render_parameter(value: object) -> str:
    """The path text of a parameter value: ``true``/``false``, digits, ``repr`` of a float.

    A float's exponent loses its ``+`` (``1e20``, not ``1e+20``): still a JSON number that reads
    back exactly, and nothing in it needs percent-encoding.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace("e+", "e")
    return str(value)


def build_path(template: str, values: Sequence[object]) -> str:
    """Fill a ``{0}``-style template with the percent-encoded texts of the values."""
    return template.format(*(quote(render_parameter(value), safe="") for value in values))


_INTEGER = re.compile(r"-?[0-9]+")
# JSON numbers, leniently: leading zeros, ``1.`` and ``.5`` are accepted too.
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_integer(name: str, text: str) -> int:
    """Path text -> ``int`` (optional ``-`` and ASCII digits only).

    Raises:
        ParameterError: the text is not an integer.
    """
    if _INTEGER.fullmatch(text) is None:
        raise ParameterError(f"parameter {name!r} must be an integer, not {text!r}")
    try:
        return int(text)
    except ValueError:  # more digits than Python reads from text (4,300)
        raise ParameterError(
            f"parameter {name!r} is too long an integer ({len(text)} characters)"
        ) from None


def parse_number(name: str, text: str) -> float:
    """Path text -> ``float`` (a JSON number; no ``inf``, ``nan`` or overflow).

    Raises:
        ParameterError: the text is not a finite number.
    """
    value = float(text) if _NUMBER.fullmatch(text) is not None else math.inf
    if not math.isfinite(value):
        raise ParameterError(f"parameter {name!r} must be a number, not {text!r}")
    return value


def parse_boolean(name: str, text: str) -> bool:
    """Path text -> ``bool``: exactly ``true`` or ``false``, as rendered.

    Raises:
        ParameterError: the text is neither.
    """
    if text not in ("true", "false"):
        raise ParameterError(f"parameter {name!r} must be true or false, not {text!r}")
    return text == "true"


_KINDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a finite number",
    "boolean": "a boolean",
}


def _is_kind(value: object, kind: str) -> bool:
    """Whether ``value`` is of a parameter kind (a bool is no number here)."""
    if kind == "boolean" or isinstance(value, bool):
        return kind == "boolean" and isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int)
    if kind == "number":
        # An int is always finite (and may be too big for ``math.isfinite``).
        return isinstance(value, int) or isinstance(value, float) and math.isfinite(value)
    return isinstance(value, str)


def check_parameter(
    name: str,
    value: object,
    *,
    kind: str = "string",
    enum: Sequence[object] = (),
    pattern: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    exclusive_maximum: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
) -> None:
    """Check one parameter value: its type, enum, pattern and bounds.

    Numeric bounds apply to integers and numbers, ``pattern`` and the lengths (in characters)
    to strings, as in JSON Schema.

    Raises:
        ParameterError: the value is empty, of the wrong type, not in the enum, does not match
            the pattern or is out of bounds.
    """
    if not _is_kind(value, kind):
        raise ParameterError(f"parameter {name!r} must be {_KINDS[kind]}, not {value!r}")
    if value == "":
        raise ParameterError(f"parameter {name!r} is empty")
    if enum and value not in enum:
        raise ParameterError(f"parameter {name!r} must be one of {list(enum)!r}, not {value!r}")
    check_limits(
        name,
        value,
        pattern=pattern,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive_minimum,
        exclusive_maximum=exclusive_maximum,
        min_length=min_length,
        max_length=max_length,
    )


def check_limits(
    name: str,
    value: object,
    *,
    pattern: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: float | None = None,
    exclusive_maximum: float | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
) -> None:
    """Check a typed value against its schema's ``pattern``, bounds and lengths.

    ``pattern`` is in Python's spelling (the generator writes the document's ``$`` as ``\\Z``, so
    it matches only at the true end, as JSON Schema means).

    Raises:
        ParameterError: the value does not match the pattern or is out of bounds.
    """
    if isinstance(value, str):
        if pattern is not None and re.search(pattern, value) is None:
            raise ParameterError(
                f"parameter {name!r} does not match the pattern {pattern!r}: {value!r}"
            )
        if min_length is not None and len(value) < min_length:
            raise ParameterError(
                f"parameter {name!r} must be at least {min_length} characters long: {value!r}"
            )
        if max_length is not None and len(value) > max_length:
            raise ParameterError(
                f"parameter {name!r} must be at most {max_length} characters long: {value!r}"
            )
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        for bound, sign, ok in (
            (minimum, ">=", minimum is None or value >= minimum),
            (maximum, "<=", maximum is None or value <= maximum),
            (exclusive_minimum, ">", exclusive_minimum is None or value > exclusive_minimum),
            (exclusive_maximum, "<", exclusive_maximum is None or value < exclusive_maximum),
        ):
            if not ok:
                raise ParameterError(f"parameter {name!r} must be {sign} {bound!r}, not {value!r}")


def query_of(path: str) -> dict[str, str]:
    """The query parameters of a request path, decoded (the last of repeated names wins)."""
    _, query = split_path(path)
    return dict(parse_qsl(query, keep_blank_values=True))


def check_request_path(path: str, parameters: Any) -> None:
    """Refuse ``parameters`` unless a client's request ``path`` is their channel path.

    Raises:
        ParameterError: the path is another channel path.
    """
    expected = parameters.get_channel_with_parameters().lstrip("/")
    # websockets sends an ASCII URL as given and encodes a non-ASCII one its own way: compare
    # canonical forms.
    route = encode_address(split_path(path)[0])
    if not route.endswith(expected):
        raise ParameterError(f"connection path {path!r} is not channel {expected!r}")


def check_connection_path(connection: Any, path: str, parameters: Any) -> None:
    """:func:`check_request_path` for a client ``connection`` opened on ``path``, remembered.

    A connection's path never changes: once parameters pass, equal ones pass again. Most programs
    publish on one connection with one parameters object, so the last pass is kept apart (an
    identity test), and one per connection (weakly) for the rest.

    Raises:
        ParameterError: the path is another channel path.
    """
    global _last_passed
    if (
        _last_passed is not None
        and _last_passed[0]() is connection
        and _last_passed[1] is parameters
    ):
        return
    passed = _passed.get(connection, _NOTHING)
    if passed is not parameters and passed != parameters:
        check_request_path(path, parameters)
        _passed[connection] = parameters
    _last_passed = (weakref.ref(connection), parameters)


_NOTHING = object()
_passed: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_last_passed: tuple[weakref.ref[Any], Any] | None = None
