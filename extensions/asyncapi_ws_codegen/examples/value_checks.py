"""Checks of example values against schemas: what the example synthesiser builds on.

``merged`` folds ``$ref`` and ``allOf`` into one schema, ``scalar_ok`` checks a scalar against its
type, bounds, lengths, ``enum`` and ``pattern``, and ``conforms`` is a partial Draft 7 evaluator
that answers True, False, or None when it cannot tell. ``invalid`` finds a value a schema certainly
rejects. The validators of the generated packages never use these: they only vet examples.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from ..pytext.regex_dialect import python_regex
from .format_checks import format_verdict

Resolver = Callable[[Any], Any]

FORMAT_SAMPLES = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "uuid": "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "regex": "^a+$",
    "byte": "ZXhhbXBsZQ==",
}
MAX_DEPTH = 12
# Marks a merged schema no value can satisfy (``allOf`` members that forbid each other's properties).
UNSATISFIABLE = "x-unsatisfiable"


def merged(schema: Any, resolve: Resolver, depth: int = 0) -> Any:
    """``schema`` with ``$ref`` followed and ``allOf`` members folded in (for examples only)."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or "allOf" not in schema or depth > MAX_DEPTH:
        return schema
    result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    members = schema["allOf"] if isinstance(schema["allOf"], list) else []
    closed: list[set[str]] = []  # property names of members that forbid any other property
    for member in members:
        part = merged(member, resolve, depth + 1)
        if not isinstance(part, dict):
            continue
        if part.get("additionalProperties") is False and "patternProperties" not in part:
            closed.append(set(part.get("properties", {})))
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                props = dict(result.get("properties", {}))
                for name, sub in value.items():
                    props[name] = {"allOf": [props[name], sub]} if name in props else sub
                result["properties"] = props
            elif key == "required" and isinstance(value, list):
                result["required"] = list(dict.fromkeys([*result.get("required", []), *value]))
            elif key in ("minimum", "minLength", "minItems", "minProperties", "exclusiveMinimum") and key in result:
                result[key] = max(result[key], value)
            elif key in ("maximum", "maxLength", "maxItems", "maxProperties", "exclusiveMaximum") and key in result:
                result[key] = min(result[key], value)
            else:
                result.setdefault(key, value)
    required = set(result.get("required", []))
    if any(required - allowed for allowed in closed):
        result[UNSATISFIABLE] = True
    return result


def declared_types(schema: dict[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)}
    return None


def scalar_ok(value: Any, schema: dict[str, Any]) -> bool:
    """A partial check (type, enum, const, bounds, lengths, pattern) used to vet candidate values."""
    types = declared_types(schema)
    if types is not None and not (json_types_of(value) & types):
        return False
    if "const" in schema and not json_equal(value, schema["const"]):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(json_equal(value, option) for option in enum):
        return False
    if isinstance(value, str):
        if len(value) < as_int(schema.get("minLength"), 0) or len(value) > as_int(schema.get("maxLength"), math.inf):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                if re.search(python_regex(pattern), value) is None:
                    return False
            except re.error:
                return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_ok(value, schema)
    return True


def as_int(value: Any, fallback: float) -> float:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def as_number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def number_ok(value: float, schema: dict[str, Any]) -> bool:
    low, high = as_number(schema.get("minimum")), as_number(schema.get("maximum"))
    ex_low, ex_high = as_number(schema.get("exclusiveMinimum")), as_number(schema.get("exclusiveMaximum"))
    if (low is not None and value < low) or (high is not None and value > high):
        return False
    if (ex_low is not None and value <= ex_low) or (ex_high is not None and value >= ex_high):
        return False
    step = as_number(schema.get("multipleOf"))
    if step:
        quotient = value / step
        if not math.isfinite(quotient) or int(quotient) != quotient:
            return False
    return True


def json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return bool(type(a) is type(b) or (as_number(a) is not None and as_number(b) is not None)) and a == b


def invalid(schema: Any, resolve: Resolver) -> tuple[bool, Any]:
    """``(True, value)`` with a value the schema certainly rejects, else ``(False, None)``.

    Only a JSON type the schema does not allow, or a string outside an all-string ``enum``, counts.
    """
    schema = merged(schema, resolve)
    if not isinstance(schema, dict):
        return False, None
    pool: list[Any] = [[], "not-a-valid-value", 1.5, True, None, {}]
    types = declared_types(schema)
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list) and values:
        candidate = "\x00 not one of the allowed values"
        if not any(json_equal(candidate, v) for v in values):
            return True, candidate
    if types:
        for candidate in pool:
            if not (json_types_of(candidate) & types):
                return True, candidate
    return False, None


def conforms(value: Any, schema: Any, resolve: Resolver, depth: int = 0) -> bool | None:
    """Whether ``value`` is valid for ``schema``: True, False, or None when this cannot tell.

    A partial Draft 7 evaluator for vetting synthesised examples; formats count as unknown unless
    the value is this module's sample for the format.
    """
    schema = resolve(schema)
    if schema is True or schema == {}:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    verdicts: list[bool | None] = [scalar_ok(value, schema)]
    fmt = schema.get("format")
    if isinstance(value, str) and isinstance(fmt, str) and fmt in FORMAT_SAMPLES and value != FORMAT_SAMPLES[fmt]:
        verdicts.append(format_verdict(fmt, value))
    for sub in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        verdicts.append(conforms(value, sub, resolve, depth + 1))
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            found = [conforms(value, option, resolve, depth + 1) for option in options]
            if None in found:
                verdicts.append(None)
            elif key == "anyOf":
                verdicts.append(any(found))
            else:
                verdicts.append(found.count(True) == 1)
    if "not" in schema:
        inner = conforms(value, schema["not"], resolve, depth + 1)
        verdicts.append(None if inner is None else not inner)
    if "if" in schema:
        condition = conforms(value, schema["if"], resolve, depth + 1)
        branch = schema.get("then") if condition else schema.get("else")
        verdicts.append(
            None if condition is None else True if branch is None else conforms(value, branch, resolve, depth + 1)
        )
    if isinstance(value, dict):
        verdicts.extend(_object_verdicts(value, schema, resolve, depth))
    elif isinstance(value, list):
        verdicts.extend(_array_verdicts(value, schema, resolve, depth))
    if False in verdicts:
        return False
    return None if None in verdicts else True


def _object_verdicts(value: dict[str, Any], schema: dict[str, Any], resolve: Resolver, depth: int) -> list[bool | None]:
    verdicts: list[bool | None] = []
    required = schema.get("required")
    if isinstance(required, list):
        verdicts.append(all(name in value for name in required))
    given, given_patterns = schema.get("properties"), schema.get("patternProperties")
    props: dict[str, Any] = given if isinstance(given, dict) else {}
    patterns: dict[str, Any] = given_patterns if isinstance(given_patterns, dict) else {}
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        matched = False
        if name in props:
            verdicts.append(conforms(item, props[name], resolve, depth + 1))
            matched = True
        for pattern, sub in patterns.items():
            try:
                hit = re.search(python_regex(pattern), name) is not None
            except re.error:
                return [None]
            if hit:
                verdicts.append(conforms(item, sub, resolve, depth + 1))
                matched = True
        if not matched:
            verdicts.append(conforms(item, extra, resolve, depth + 1))
    size = len(value)
    if size < as_int(schema.get("minProperties"), 0) or size > as_int(schema.get("maxProperties"), math.inf):
        verdicts.append(False)
    for key in ("dependencies", "propertyNames"):
        if key in schema:
            verdicts.append(None)
    return verdicts


def _array_verdicts(value: list[Any], schema: dict[str, Any], resolve: Resolver, depth: int) -> list[bool | None]:
    verdicts: list[bool | None] = []
    items = schema.get("items", True)
    if isinstance(items, list):
        rest = schema.get("additionalItems", True)
        for index, item in enumerate(value):
            verdicts.append(conforms(item, items[index] if index < len(items) else rest, resolve, depth + 1))
    else:
        verdicts.extend(conforms(item, items, resolve, depth + 1) for item in value)
    if len(value) < as_int(schema.get("minItems"), 0) or len(value) > as_int(schema.get("maxItems"), math.inf):
        verdicts.append(False)
    if schema.get("uniqueItems"):
        verdicts.append(all(not json_equal(a, b) for i, a in enumerate(value) for b in value[i + 1 :]))
    if "contains" in schema:
        found = [conforms(item, schema["contains"], resolve, depth + 1) for item in value]
        verdicts.append(True if True in found else None if None in found else False)
    return verdicts


def json_types_of(value: Any) -> set[str]:
    """The JSON types a JSON value belongs to (an integral number is also an ``integer``)."""
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"integer", "number"} if value.is_integer() else {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, list):
        return {"array"}
    return {"object"}
