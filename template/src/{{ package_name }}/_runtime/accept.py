"""Accept-only checks for simple schemas, compiled to one Python expression each.

Most payloads are objects of strings, numbers, booleans, enums and lists of those. For such a
schema, :func:`compile_accept` writes a single boolean expression (``type(v) is dict and
type(v.get(k0)) is str and ...``) that runs several times faster than a general validator. It is
**sound, not complete**: it returns ``True`` only for values that match the schema, and ``False``
whenever it is unsure (a float where an integer is declared, a missing key, anything unusual);
the general validator then decides. A schema using any keyword outside the subset gets no check
at all.

Only identifiers generated here appear in the compiled source: every key, enum value and bound
from the schema is passed in as a constant, never written into the code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .pointer import at_pointer

# Draft 7 keywords that validate and that this module does not handle: any of them in a
# reachable schema means no accept check (annotations and unknown keywords are ignored, as by
# every validator).
_UNSUPPORTED = frozenset(
    {
        "multipleOf",
        "pattern",
        "additionalItems",
        "uniqueItems",
        "contains",
        "maxProperties",
        "minProperties",
        "patternProperties",
        "dependencies",
        "propertyNames",
        "format",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "$id",  # changes what a `$ref` below it means
    }
)
_TYPE_TESTS = {
    "string": "type({v}) is str",
    "integer": "type({v}) is int",
    "number": "(type({v}) is int or type({v}) is float)",
    "boolean": "({v} is True or {v} is False)",
    "null": "{v} is None",
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
}
_MAX_DEPTH = 12
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


class _Unsupported(Exception):
    pass


class _Writer:
    """Turns one schema into an expression over the variable names it is given."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.constants: dict[str, Any] = {}
        self.counter = 0

    def constant(self, value: Any) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def variable(self) -> str:
        self.counter += 1
        return f"_v{self.counter}"

    def resolve(self, schema: Any, depth: int) -> Any:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#") or seen > 20:
                raise _Unsupported
            schema = at_pointer(self.root, ref[1:])  # None where absent: refused below
            seen += 1
        if depth > _MAX_DEPTH:
            raise _Unsupported
        return schema

    def expression(self, schema: Any, v: str, depth: int = 0) -> str:
        schema = self.resolve(schema, depth)
        if schema is True or schema == {}:
            return "True"
        if not isinstance(schema, dict) or _UNSUPPORTED.intersection(schema):
            raise _Unsupported
        declared = schema.get("type")
        types = [declared] if isinstance(declared, str) else declared
        parts: list[str] = []
        if "enum" in schema or "const" in schema:
            values = schema["enum"] if "enum" in schema else [schema["const"]]
            if not isinstance(values, list) or not all(_is_scalar(x) for x in values):
                raise _Unsupported
            # Typed: JSON Schema tells true from 1, which Python's == does not.
            if len(values) == 1:  # a const, a tag: the pair test below without the pair
                exact = self.constant(type(values[0]))
                parts.append(f"(type({v}) is {exact} and {v} == {self.constant(values[0])})")
            else:
                allowed = self.constant(frozenset((type(x), x) for x in values))
                scalar = self.constant(_SCALAR_TYPES)  # lists and objects are not hashable
                parts.append(f"(type({v}) in {scalar} and (type({v}), {v}) in {allowed})")
        if types is None:
            if any(key in schema for key in _TYPED_KEYWORDS):
                raise _Unsupported  # keywords that apply to some JSON types only
            return " and ".join(parts) or "True"
        if not isinstance(types, list) or len(types) != 1 or types[0] not in _TYPE_TESTS:
            raise _Unsupported
        kind = types[0]
        if any(key in schema for key in _TYPED_KEYWORDS if key not in _KEYWORDS_OF[kind]):
            raise _Unsupported  # keywords of another type than the declared one: keep it simple
        parts.insert(0, _TYPE_TESTS[kind].format(v=v))
        if kind in ("integer", "number"):
            parts += self.bounds(schema, v)
        elif kind == "string":
            parts += self.lengths(schema, v, "minLength", "maxLength")
        elif kind == "array":
            parts += self.lengths(schema, v, "minItems", "maxItems")
            if "items" in schema:
                if not isinstance(schema["items"], (dict, bool)):
                    raise _Unsupported  # a tuple of item schemas
                item = self.variable()
                parts.append(
                    f"all({self.expression(schema['items'], item, depth + 1)} for {item} in {v})"
                )
        elif kind == "object":
            parts += self.object(schema, v, depth)
        return "(" + " and ".join(parts) + ")"

    def bounds(self, schema: dict[str, Any], v: str) -> list[str]:
        parts = []
        for key, op in (
            ("minimum", ">="),
            ("maximum", "<="),
            ("exclusiveMinimum", ">"),
            ("exclusiveMaximum", "<"),
        ):
            if key in schema:
                bound = schema[key]
                if type(bound) not in (int, float) or not math.isfinite(bound):
                    raise _Unsupported
                parts.append(f"{v} {op} {self.constant(bound)}")
        return parts

    def lengths(self, schema: dict[str, Any], v: str, low: str, high: str) -> list[str]:
        parts = []
        for key, op in ((low, ">="), (high, "<=")):
            if key in schema:
                if type(schema[key]) is not int:
                    raise _Unsupported
                parts.append(f"len({v}) {op} {self.constant(schema[key])}")
        return parts

    def object(self, schema: dict[str, Any], v: str, depth: int) -> list[str]:
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        if (
            not isinstance(properties, dict)
            or not isinstance(required, list)
            or extra not in (True, False)
        ):
            raise _Unsupported
        if not all(isinstance(name, str) for name in required):
            raise _Unsupported
        parts = []
        missing = [name for name in required if name not in properties]
        if missing:
            parts.append(f"{self.constant(frozenset(missing))}.issubset({v})")
        if extra is False:
            parts.append(f"{self.constant(frozenset(properties))}.issuperset({v})")
        for name, subschema in properties.items():
            key = self.constant(name)
            value = self.variable()
            test = self.expression(subschema, value, depth + 1)
            if test == "True":
                if name in required:
                    parts.append(f"{key} in {v}")
                continue
            # Bind the value once; a required key must be there, an optional one may be absent.
            bound = f"(({value} := {v}.get({key}, _MISSING)) is not _MISSING and {test})"
            parts.append(bound if name in required else f"({key} not in {v} or {bound})")
        return parts


_TYPED_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
)
_NUMERIC = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_KEYWORDS_OF = {
    "integer": _NUMERIC,
    "number": _NUMERIC,
    "string": frozenset({"minLength", "maxLength"}),
    "array": frozenset({"items", "minItems", "maxItems"}),
    "object": frozenset({"properties", "required", "additionalProperties"}),
    "boolean": frozenset(),
    "null": frozenset(),
}


def _is_scalar(value: Any) -> bool:
    return (
        value is None
        or type(value) in (str, int, bool)
        or (type(value) is float and math.isfinite(value))
    )


def compile_accept(schema: Any) -> Callable[[Any], bool] | None:
    """A fast check that accepts only values matching ``schema``; ``None`` for other schemas."""
    writer = _Writer(schema)
    try:
        body = writer.expression(schema, "value")
    except (_Unsupported, RecursionError):
        return None
    if body == "True":
        return None  # nothing to gain over the general validator's own shortcut
    namespace: dict[str, Any] = {**writer.constants, "_MISSING": object()}
    # The source holds generated identifiers and operators only (see the module docstring).
    try:
        exec(f"def accept(value):\n    return {body}\n", namespace)
    except (SyntaxError, RecursionError, MemoryError):  # nested past what Python's parser takes
        return None
    accept: Callable[[Any], bool] = namespace["accept"]
    return accept
