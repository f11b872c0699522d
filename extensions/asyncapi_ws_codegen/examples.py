"""Example instances for schemas: one valid value per model (for the generated tests) and one invalid.

Scalars take the spec's own ``const``/``enum``/``examples``/``example``/``default`` when they pass the
checks below, else a value built from the constraints (bounds, lengths, ``multipleOf``, ``format``,
and ``pattern`` through a small generator over Python's own regex parser, checked with ``re.search``
exactly as the validators do). Objects and arrays are always built, so nested constraints hold.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

from .schema_types import json_types_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants
    import sre_parse

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
_MAX_DEPTH = 12
# Marks a merged schema no value can satisfy (``allOf`` members that forbid each other's properties).
UNSATISFIABLE = "x-unsatisfiable"


def merged(schema: Any, resolve: Resolver, depth: int = 0) -> Any:
    """``schema`` with ``$ref`` followed and ``allOf`` members folded in (for examples only)."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or "allOf" not in schema or depth > _MAX_DEPTH:
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


def _declared_types(schema: dict[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)}
    return None


def scalar_ok(value: Any, schema: dict[str, Any]) -> bool:
    """A partial check (type, enum, const, bounds, lengths, pattern) used to vet candidate values."""
    types = _declared_types(schema)
    if types is not None and not (json_types_of(value) & types):
        return False
    if "const" in schema and not _json_equal(value, schema["const"]):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(_json_equal(value, option) for option in enum):
        return False
    if isinstance(value, str):
        if len(value) < _int(schema.get("minLength"), 0) or len(value) > _int(schema.get("maxLength"), math.inf):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                if re.search(pattern, value) is None:
                    return False
            except re.error:
                return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_ok(value, schema)
    return True


def _int(value: Any, fallback: float) -> float:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def _num(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _number_ok(value: float, schema: dict[str, Any]) -> bool:
    low, high = _num(schema.get("minimum")), _num(schema.get("maximum"))
    ex_low, ex_high = _num(schema.get("exclusiveMinimum")), _num(schema.get("exclusiveMaximum"))
    if (low is not None and value < low) or (high is not None and value > high):
        return False
    if (ex_low is not None and value <= ex_low) or (ex_high is not None and value >= ex_high):
        return False
    step = _num(schema.get("multipleOf"))
    if step:
        quotient = value / step
        if not math.isfinite(quotient) or int(quotient) != quotient:
            return False
    return True


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return bool(type(a) is type(b) or (_num(a) is not None and _num(b) is not None)) and a == b


class Synthesiser:
    """Builds example values; ``confident`` turns False when a guess could not be checked."""

    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve
        self.confident = True

    def valid(self, schema: Any, depth: int = 0) -> Any:
        """A value meant to be valid for ``schema``."""
        if depth > _MAX_DEPTH:
            self.confident = False
            return None
        schema = merged(schema, self.resolve)
        if schema is True or schema is None or schema == {}:
            return {}
        if not isinstance(schema, dict):
            self.confident = False
            return None
        if schema.get(UNSATISFIABLE):
            self.confident = False
        for given in self._given(schema) if schema.get("format") not in FORMAT_SAMPLES else []:
            if not isinstance(given, (dict, list)) and scalar_ok(given, schema):
                return given
            # A spec's own object or array example, when it provably satisfies the whole schema.
            if isinstance(given, (dict, list)) and conforms(given, schema, self.resolve) is True:
                return given
        options = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(options, list) and options:
            typed = {key: schema[key] for key in ("type",) if key in schema}
            fitting = [o for o in options if scalar_ok(o, typed)]
            self.confident = self.confident and bool(fitting)
            return fitting[0] if fitting else options[0]
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return self._option(schema, key, members, depth)
        types = _declared_types(schema)
        kind = self._pick_type(schema, types)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return self._number(schema, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return {}

    def _option(self, schema: dict[str, Any], key: str, members: list[Any], depth: int) -> Any:
        """A value for the first option that yields one the whole schema accepts."""
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        first: Any = None
        for index, member in enumerate(members):
            member = merged(member, self.resolve)
            trial = Synthesiser(self.resolve)
            candidate = trial.valid(
                {"allOf": [base, member]} if isinstance(member, dict) and base else member, depth + 1
            )
            if index == 0:
                first = candidate
            if trial.confident and conforms(candidate, schema, self.resolve) is True:
                return candidate
        self.confident = False
        return first

    @staticmethod
    def _given(schema: dict[str, Any]) -> list[Any]:
        found: list[Any] = []
        examples = schema.get("examples")
        if isinstance(examples, list):
            found.extend(examples)
        for key in ("example", "default"):
            if key in schema:
                found.append(schema[key])
        return found

    @staticmethod
    def _pick_type(schema: dict[str, Any], types: set[str] | None) -> str:
        if types:
            for kind in ("object", "array", "string", "integer", "number", "boolean", "null"):
                if kind in types:
                    return kind
        object_keys = ("properties", "additionalProperties", "required", "minProperties", "patternProperties")
        if any(k in schema for k in object_keys):
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
            return "string"
        if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
            return "number"
        return "any"

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        given = schema.get("properties")
        props: dict[str, Any] = given if isinstance(given, dict) else {}
        required = (
            [r for r in schema.get("required", []) if isinstance(r, str)]
            if isinstance(schema.get("required"), list)
            else []
        )
        constrained = any(k in schema for k in ("not", "if", "dependencies", "maxProperties", "propertyNames"))
        chosen = [name for name in props if name in required or (not constrained and depth < 4)]
        value: dict[str, Any] = {}
        for name in chosen:
            value[name] = self.valid(props[name], depth + 1)
        extra = schema.get("additionalProperties", True)
        for name in required:
            if name not in value:
                if extra is False:
                    self.confident = False
                value[name] = self.valid(extra if isinstance(extra, dict) else {}, depth + 1)
        minimum = _int(schema.get("minProperties"), 0)
        for name in props:
            if len(value) >= minimum:
                break
            value.setdefault(name, self.valid(props[name], depth + 1))
        while len(value) < minimum:
            if extra is False:
                self.confident = False
                break
            value[f"extra{len(value)}"] = self.valid(extra if isinstance(extra, dict) else {}, depth + 1)
        return value

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        positional = prefix if isinstance(prefix, list) else items if isinstance(items, list) else None
        minimum = int(_int(schema.get("minItems"), 0))
        maximum = _int(schema.get("maxItems"), math.inf)
        result: list[Any] = []
        contains = schema.get("contains")
        if contains is not None and positional is None:
            result.append(self.valid(contains, depth + 1))
            minimum = max(minimum - 1, 0)
        if positional is not None:
            result = [self.valid(member, depth + 1) for member in positional[: int(min(len(positional), maximum))]]
            rest = items if prefix is not None else schema.get("additionalItems", True)
            while len(result) < minimum:
                if rest is False:
                    self.confident = False
                    break
                result.append(self.valid(rest if isinstance(rest, dict) else {}, depth + 1))
            return result
        count = max(minimum, 1 if maximum >= 1 and items is not None else 0)
        for index in range(count):
            item = self.valid(items if items is not None else {}, depth + 1)
            if schema.get("uniqueItems") and index and isinstance(item, str):
                item = f"{item}{index}"
                self.confident = self.confident and scalar_ok(item, merged(items, self.resolve) or {})
            elif schema.get("uniqueItems") and index:
                self.confident = False
            result.append(item)
        return result

    def _string(self, schema: dict[str, Any]) -> str:
        low = int(_int(schema.get("minLength"), 0))
        high = _int(schema.get("maxLength"), math.inf)
        candidates: list[str] = []
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_SAMPLES:
            candidates.append(FORMAT_SAMPLES[fmt])
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            generated = pattern_example(pattern, low)
            if generated is not None:
                candidates.append(generated)
        base = "example"
        candidates += [base, (base * (low // len(base) + 1))[: max(low, 1)], "x" * low, "a" * max(low, 1), "1"]
        for candidate in candidates:
            if low <= len(candidate) <= high and scalar_ok(candidate, schema):
                if isinstance(fmt, str) and fmt in FORMAT_SAMPLES and candidate != FORMAT_SAMPLES[fmt]:
                    self.confident = False
                return candidate
        self.confident = False
        return candidates[0]

    def _number(self, schema: dict[str, Any], *, integer: bool) -> float:
        low = _num(schema.get("minimum"))
        high = _num(schema.get("maximum"))
        ex_low = _num(schema.get("exclusiveMinimum"))
        ex_high = _num(schema.get("exclusiveMaximum"))
        step = _num(schema.get("multipleOf"))
        candidates: list[float] = [0, 1]
        for bound in (low, high):
            if bound is not None:
                candidates += [bound, math.ceil(bound), math.floor(bound)]
        if ex_low is not None:
            candidates += [math.floor(ex_low) + 1, ex_low + 0.5]
        if ex_high is not None:
            candidates += [math.ceil(ex_high) - 1, ex_high - 0.5]
        lows = [b for b in (low, ex_low) if b is not None]
        highs = [b for b in (high, ex_high) if b is not None]
        if lows and highs:
            middle = (max(lows) + min(highs)) / 2
            candidates += [middle, math.floor(middle), math.ceil(middle)]
        if step:
            anchor = max(lows) if lows else 0
            first = math.ceil(anchor / step)
            candidates = [k * step for k in range(first, first + 3)] + candidates
        for candidate in candidates:
            value: float = int(candidate) if integer or float(candidate).is_integer() else candidate
            if integer and not float(candidate).is_integer():
                continue
            if _number_ok(value, schema) and scalar_ok(value, schema):
                return value
        self.confident = False
        return candidates[0]


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


def invalid(schema: Any, resolve: Resolver) -> tuple[bool, Any]:
    """``(True, value)`` with a value the schema certainly rejects, else ``(False, None)``.

    Only a JSON type the schema does not allow, or a string outside an all-string ``enum``, counts.
    """
    schema = merged(schema, resolve)
    if not isinstance(schema, dict):
        return False, None
    pool: list[Any] = [[], "not-a-valid-value", 1.5, True, None, {}]
    types = _declared_types(schema)
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list) and values:
        candidate = "\x00 not one of the allowed values"
        if not any(_json_equal(candidate, v) for v in values):
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
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    verdicts: list[bool | None] = [scalar_ok(value, schema)]
    fmt = schema.get("format")
    if isinstance(value, str) and isinstance(fmt, str) and fmt in FORMAT_SAMPLES and value != FORMAT_SAMPLES[fmt]:
        verdicts.append(None)
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
                hit = re.search(pattern, name) is not None
            except re.error:
                return [None]
            if hit:
                verdicts.append(conforms(item, sub, resolve, depth + 1))
                matched = True
        if not matched:
            verdicts.append(conforms(item, extra, resolve, depth + 1))
    size = len(value)
    if size < _int(schema.get("minProperties"), 0) or size > _int(schema.get("maxProperties"), math.inf):
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
    if len(value) < _int(schema.get("minItems"), 0) or len(value) > _int(schema.get("maxItems"), math.inf):
        verdicts.append(False)
    if schema.get("uniqueItems"):
        verdicts.append(all(not _json_equal(a, b) for i, a in enumerate(value) for b in value[i + 1 :]))
    if "contains" in schema:
        found = [conforms(item, schema["contains"], resolve, depth + 1) for item in value]
        verdicts.append(True if True in found else None if None in found else False)
    return verdicts
