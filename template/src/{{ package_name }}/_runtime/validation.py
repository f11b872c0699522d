"""JSON Schema validation of payloads: a compiled fast path, ``jsonschema`` to explain rejections.

Every schema the package validates against lives in the package's ``schemas.json`` (beside its
``payloads`` module, not in this folder), at its pointer in the AsyncAPI document. A validator is compiled once per schema, on first use, with
``fastjsonschema`` (plain Python generated for the schema: fast accept/reject). Only when it rejects
a value does ``jsonschema`` (Draft 7) run, to report the JSON path and the failing keyword.

Both validators check ``format`` with the SAME functions, those in :data:`FORMATS`; every other
format is not checked by either (the JSON Schema default), so the two verdicts cannot drift apart.

With the package's ``fast`` extra installed, ``jsonschema-rs`` answers first where it judges as
these do (:mod:`.rust_verdict`): it only ever accepts, and whatever it does not accept goes the
way described above, so verdicts and messages are the same with and without the extra.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from .accept import compile_accept
from .errors import PayloadValidationError
from .pointer import at_pointer
from .rust_regex import DATE_TIME_PATTERNS, format_patterns
from .rust_verdict import compile_verdict

# -- formats -----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))", re.ASCII)
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", re.ASCII
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+", re.ASCII)
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*", re.ASCII
)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?", re.ASCII)
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)", re.ASCII
)


def is_date(value: str) -> bool:
    """RFC 3339 ``full-date``: ``YYYY-MM-DD``, a real calendar day."""
    found = _DATE.fullmatch(value)
    if found is None:
        return False
    try:
        date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return True


def is_time(value: str) -> bool:
    """RFC 3339 ``full-time``: ``HH:MM:SS[.frac]`` and an offset (``Z`` or ``+HH:MM``)."""
    found = _TIME.fullmatch(value)
    if found is None:
        return False
    hour, minute, second = int(found[1]), int(found[2]), int(found[3])
    if hour > 23 or minute > 59 or second > 60:
        return False
    return found[6] is None or (int(found[6]) <= 23 and int(found[7]) <= 59)


def is_date_time(value: str) -> bool:
    """RFC 3339 ``date-time``: a full-date, ``T`` (any case), a full-time."""
    if len(value) < 11 or value[10] not in "Tt":
        return False
    return is_date(value[:10]) and is_time(value[11:])


def is_uuid(value: str) -> bool:
    """RFC 4122 textual form: 8-4-4-4-12 hexadecimal digits, any case."""
    return _UUID.fullmatch(value) is not None


def is_email(value: str) -> bool:
    """One ``@`` with non-blank text on both sides."""
    return _EMAIL.fullmatch(value) is not None


def is_uri(value: str) -> bool:
    """An absolute URI: a scheme, ``:``, then RFC 3986 characters (``%`` only as ``%XX``)."""
    return _URI.fullmatch(value) is not None


def is_hostname(value: str) -> bool:
    """RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens."""
    if not value or len(value) > 253:
        return False
    return all(_LABEL.fullmatch(label) for label in value.split("."))


def is_ipv4(value: str) -> bool:
    """Dotted quad, each part 0-255 without leading zeros."""
    return _IPV4.fullmatch(value) is not None


def is_ipv6(value: str) -> bool:
    """An IPv6 address as :mod:`ipaddress` reads it, without a zone suffix."""
    if "%" in value or not value.isascii():
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


FORMATS: Mapping[str, Callable[[str], bool]] = {
    "date": is_date,
    "date-time": is_date_time,
    "time": is_time,
    "uuid": is_uuid,
    "email": is_email,
    "uri": is_uri,
    "hostname": is_hostname,
    "ipv4": is_ipv4,
    "ipv6": is_ipv6,
}
"""The formats this package checks, and how. Other formats are annotations only."""


def _always(value: str) -> bool:
    return True


def _fast_formats() -> dict[str, Callable[[str], bool]]:
    # fastjsonschema checks some formats with its own patterns: switch those off unless claimed.
    known: set[str] = {"regex"}
    for name in dir(fastjsonschema):
        generator = getattr(fastjsonschema, name)
        if isinstance(generator, type) and hasattr(generator, "FORMAT_REGEXS"):
            known.update(generator.FORMAT_REGEXS)
    return {**dict.fromkeys(sorted(known), _always), **FORMATS}


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(_strings_only(check))
    return checker


def _strings_only(check: Callable[[str], bool]) -> Callable[[object], bool]:
    def checked(value: object) -> bool:
        return not isinstance(value, str) or check(value)

    return checked


_FAST_FORMATS = _fast_formats()
FORMAT_CHECKER = _format_checker()
_LIBRARY_FORMATS = {name: _strings_only(check) for name, check in FORMATS.items()}
# The same checks as patterns of the whole text, where they are one (jsonschema-rs runs these
# without calling Python): the functions above that are a `fullmatch`, and the date and time
# formats (the tests prove these patterns equal to the functions).
_LIBRARY_FORMAT_PATTERNS = format_patterns(
    {
        "uuid": _UUID,
        "email": _EMAIL,
        "uri": _URI,
        "ipv4": _IPV4,
        **{name: re.compile(pattern, re.ASCII) for name, pattern in DATE_TIME_PATTERNS.items()},
    }
)

# -- validators --------------------------------------------------------------------------------


def _compiled(schema: dict[str, Any] | bool) -> Callable[[Any], Any] | None:
    """``fastjsonschema``'s check for ``schema``; ``None`` when Python cannot compile it.

    The code written for object schemas nested about 50 levels deep is indented past what Python's
    parser accepts (``IndentationError``); such a schema is checked by ``jsonschema`` alone.
    """
    try:
        # use_default=False: fastjsonschema would otherwise write defaults into the data it checks.
        # detailed_exceptions stays on: off, fastjsonschema 2.22 fails to compile `const`.
        return fastjsonschema.compile(schema, formats=_FAST_FORMATS, use_default=False)
    except (SyntaxError, RecursionError, MemoryError):
        return None


class SchemaValidator:
    """Accept/reject with compiled code; explain a rejection with ``jsonschema``.

    One keyword is judged differently by the two libraries: ``multipleOf`` on non-integral numbers
    (``fastjsonschema`` divides decimals exactly, ``jsonschema`` divides floats, so 0.3 is a
    multiple of 0.1 for the first only). Where a schema uses it and the value holds a float,
    ``jsonschema`` alone decides, so verdicts stay identical. Such a schema gets no
    ``jsonschema-rs`` check either (:mod:`.rust_verdict`).
    """

    __slots__ = (
        "_accept",
        "_fast",
        "_floats_diverge",
        "_library",
        "_reference",
        "_schema",
        "accept",
        "check",
    )

    def __init__(self, schema: dict[str, Any] | bool, *, library: bool = True) -> None:
        """``library=False``: no ``jsonschema-rs`` check even where it is installed."""
        self._schema = schema
        self._reference: jsonschema.protocols.Validator | None = None
        self._fast: Callable[[Any], Any] = _compiled(schema) or self._judged
        self._floats_diverge = _uses_multiple_of(schema)
        # Simple schemas first get a check that only ever accepts (see accept.py); for the others
        # a check that always answers no costs nothing beside the general validation.
        self._accept: Callable[[Any], bool] = compile_accept(schema) or _never
        # With the `fast` extra: jsonschema-rs, accept-only too, before the compiled check.
        self._library: Callable[[Any], bool] | None = (
            None
            if self._floats_diverge or not library
            else compile_verdict(schema, _LIBRARY_FORMATS, _LIBRARY_FORMAT_PATTERNS)
        )
        self.check: Callable[[Any], None] = self._checker()
        """Raise :class:`PayloadValidationError` unless the value matches (the hot path)."""
        self.accept: Callable[[Any], bool] = _never if self._floats_diverge else self._accept
        """True only for a value that matches; false may still be a match (then ask :attr:`check`).
        Callers that check many values call it first and spare a call per value."""

    def _checker(self) -> Callable[[Any], None]:
        if self._floats_diverge:
            return self._check_carefully
        fast = self._fast
        explain = self.explain
        invalid = fastjsonschema.JsonSchemaValueException
        accept = self._accept
        library = self._library
        if library is not None:

            def check_with_library(value: Any) -> None:
                if accept(value) or library(value):
                    return
                try:
                    fast(value)
                except invalid:
                    raise explain(value) from None

            return check_with_library

        def check(value: Any) -> None:
            if accept(value):
                return
            try:
                fast(value)
            except invalid:
                raise explain(value) from None

        return check

    def _check_carefully(self, value: Any) -> None:
        if _holds_float(value):
            if not self._judge().is_valid(value):
                raise self.explain(value)
            return
        try:
            self._fast(value)
        except fastjsonschema.JsonSchemaValueException:
            raise self.explain(value) from None

    def _judged(self, value: Any) -> None:
        """The compiled check's stand-in for a schema it cannot compile: ``jsonschema`` judges."""
        if not self._judge().is_valid(value):
            raise fastjsonschema.JsonSchemaValueException("the value does not match the schema")

    def _judge(self) -> jsonschema.protocols.Validator:
        if self._reference is None:
            self._reference = jsonschema.Draft7Validator(
                self._schema, format_checker=FORMAT_CHECKER
            )
        return self._reference

    def is_valid(self, value: Any) -> bool:
        """Whether ``value`` matches the schema."""
        if self._floats_diverge and _holds_float(value):
            return bool(self._judge().is_valid(value))
        if self._accept(value) or (self._library is not None and self._library(value)):
            return True
        try:
            self._fast(value)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    def __call__(self, value: Any) -> None:
        """Raise :class:`PayloadValidationError` unless ``value`` matches the schema."""
        self.check(value)

    def explain(self, value: Any) -> PayloadValidationError:
        """The most relevant reason ``jsonschema`` gives for rejecting ``value``."""
        error = jsonschema.exceptions.best_match(self._judge().iter_errors(value))
        if error is None:  # cannot happen while the two agree (the differential tests check it)
            return PayloadValidationError("value does not match its schema")
        return PayloadValidationError(
            error.message, path=error.json_path, keyword=str(error.validator)
        )


def _never(value: Any) -> bool:
    return False


def _uses_multiple_of(schema: Any) -> bool:
    """Whether ``multipleOf`` is reachable from the root (following local ``$ref``)."""
    root = schema
    seen: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "multipleOf" in node:
                return True
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#") and ref not in seen:
                seen.add(ref)
                stack.append(at_pointer(root, ref[1:]))
            stack.extend(value for key, value in node.items() if key not in ("const", "enum"))
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _holds_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_holds_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_float(item) for item in value)
    return False


# The generated package this runtime is vendored in (``<package>._runtime.validation``): its
# schemas are the package's own, generated beside its payload classes.
_PACKAGE = __name__.rsplit(".", 2)[0]


@cache
def _document() -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath("schemas.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def validator(pointer: str) -> SchemaValidator:
    """The validator of the schema at ``pointer`` in ``schemas.json``."""
    # Siblings of `$ref` are ignored (draft 7), so the document can carry the definitions.
    return SchemaValidator({"$ref": "#" + pointer, **_document()})


def matches(pointer: str, value: Any) -> bool:
    """Whether ``value`` matches the schema at ``pointer`` (used to pick a union's option)."""
    return validator(pointer).is_valid(value)
