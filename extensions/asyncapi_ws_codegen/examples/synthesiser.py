"""Example instances for schemas: one valid value per model (for the generated tests) and one invalid.

Scalars take the spec's own ``const``/``enum``/``examples``/``example``/``default`` when they pass the
checks below, else a value built from the constraints (bounds, lengths, ``multipleOf``, ``format``,
and ``pattern`` through a small generator over Python's own regex parser, checked with ``re.search``
exactly as the validators do). Objects and arrays are always built, so nested constraints hold.
"""

from __future__ import annotations

import math
from typing import Any

from .pattern_strings import pattern_example
from .value_checks import (
    FORMAT_SAMPLES,
    MAX_DEPTH,
    UNSATISFIABLE,
    Resolver,
    as_int,
    as_number,
    conforms,
    declared_types,
    merged,
    number_ok,
    scalar_ok,
)


class Synthesiser:
    """Builds example values; ``confident`` turns False when a guess could not be checked."""

    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve
        self.confident = True

    def valid(self, schema: Any, depth: int = 0) -> Any:
        """A value meant to be valid for ``schema``."""
        if depth > MAX_DEPTH:
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
        types = declared_types(schema)
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
        minimum = as_int(schema.get("minProperties"), 0)
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
        minimum = int(as_int(schema.get("minItems"), 0))
        maximum = as_int(schema.get("maxItems"), math.inf)
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
        low = int(as_int(schema.get("minLength"), 0))
        high = as_int(schema.get("maxLength"), math.inf)
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
        low = as_number(schema.get("minimum"))
        high = as_number(schema.get("maximum"))
        ex_low = as_number(schema.get("exclusiveMinimum"))
        ex_high = as_number(schema.get("exclusiveMaximum"))
        step = as_number(schema.get("multipleOf"))
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
            if number_ok(value, schema) and scalar_ok(value, schema):
                return value
        self.confident = False
        return candidates[0]
