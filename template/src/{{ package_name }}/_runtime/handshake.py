"""Handshake fields (``bindings.ws.query`` and ``bindings.ws.headers``): typed values <-> texts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from .errors import ParameterError
from .paths import check_limits, parse_integer, parse_number

FieldSpec = tuple[str, str, str, bool, Sequence[str], Mapping[str, Any]]
"""(attribute, wire name, kind, required, enum, limits) of one handshake field.

The limits are :func:`~.paths.check_limits` keywords: ``pattern``, bounds and lengths.
"""


def to_strings(instance: object, fields: Sequence[FieldSpec]) -> dict[str, str]:
    """The fields of a handshake class that differ from their defaults, as wire name -> text.

    Booleans are written ``true``/``false``. A field left unset (``None``) or at the spec's default
    is left out: the receiving side reads an absent field as its default, so a URL or a request
    carries only what the caller chose.
    """
    defaults: dict[str, object] = {}
    if dataclasses.is_dataclass(instance):
        defaults = {f.name: f.default for f in dataclasses.fields(instance)}
    out: dict[str, str] = {}
    for attribute, wire, _kind, _required, _enum, _limits in fields:
        value = getattr(instance, attribute)
        if value is None or _is_default(value, defaults.get(attribute, dataclasses.MISSING)):
            continue
        out[wire] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _is_default(value: object, default: object) -> bool:
    # The type too: True == 1 and 1 == 1.0, but an explicit 1 for a default of 1.0 is the caller's.
    return default is not dataclasses.MISSING and type(value) is type(default) and value == default


def from_strings(values: Mapping[str, str], fields: Sequence[FieldSpec]) -> dict[str, Any]:
    """Typed keyword arguments for a handshake class from wire texts (names case-insensitive).

    Raises:
        ParameterError: a required field is missing, or a value has the wrong type, is not in
            its enum or breaks its schema (pattern, bounds, lengths).
    """
    lowered = {key.lower(): value for key, value in values.items()}
    out: dict[str, Any] = {}
    for attribute, wire, kind, required, enum, limits in fields:
        text = values.get(wire, lowered.get(wire.lower()))
        if text is None:
            if required:
                raise ParameterError(f"{wire!r} is required")
            continue
        if enum and text not in enum:
            raise ParameterError(f"{wire!r} must be one of {list(enum)!r}, not {text!r}")
        out[attribute] = value = _convert(wire, kind, text)
        if limits:
            check_limits(wire, value, **limits)
    return out


def check_strings(instance: Any, fields: Sequence[FieldSpec]) -> None:
    """Check a handshake instance's values against their enums, patterns, bounds and lengths.

    A field left at the spec's default is not checked: some specs declare a default outside
    their own enum, and a client that sets nothing must still be able to connect.

    Raises:
        ParameterError: a value is not in its enum or breaks its schema.
    """
    defaults = {f.name: f.default for f in dataclasses.fields(instance)}
    for attribute, wire, _kind, _required, enum, limits in fields:
        value = getattr(instance, attribute)
        if value is None or value == defaults.get(attribute):
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        if enum and text not in enum:
            raise ParameterError(f"{wire!r} must be one of {list(enum)!r}, not {text!r}")
        if limits:
            check_limits(wire, value, **limits)


def _convert(wire: str, kind: str, text: str) -> Any:
    # Numbers as strictly as in a path (ASCII digits, a JSON number; no `1_000`, no padding, no
    # other scripts' digits, no `nan` or `inf`): int() and float() alone accept all of those.
    if kind == "integer":
        return parse_integer(wire, text)
    if kind == "number":
        return parse_number(wire, text)
    if kind == "boolean":
        lowered = text.lower()
        if lowered not in ("true", "false", "1", "0"):
            raise ParameterError(f"{wire!r} must be true or false, not {text!r}")
        return lowered in ("true", "1")
    return text


def with_query(url: str, query: Mapping[str, str] | None) -> str:
    """Append query parameters to a URL."""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
