"""JSON Schema ``type``s -> Python annotations, with the code that converts values each way.

One function per kind of schema: a declared type or a list of them, formats, literals from
``const``/``enum``, arrays and tuples, mappings. Each takes the compiler as a :class:`TypeContext`:
parts of the schema are typed through ``ctx.type_for`` (which dispatches back here), object
schemas become models through ``ctx.model``.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import Location, SpecError, join_pointer
from ..ir.code_fragments import HOLE, fill
from ..pytext.literals import python_literal
from .annotations import nullable, union_annotation
from .type_context import TypeContext
from .type_info import (
    ANY,
    JSON_TYPE_TEST,
    PRIMITIVES,
    TYPED_FORMATS,
    ObjectView,
    TypeInfo,
    literal_value_ok,
)

# The types a schema without ``type`` but with ``items`` may still have (``integer`` is a ``number``).
UNTYPED_ARRAY_TYPES = ("array", "string", "number", "boolean", "null", "object")

_PY_KIND = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "NoneType": "None",
    "list": "Any",
    "dict": "Any",
}


def model_type(name: str) -> TypeInfo:
    """The type of a generated model class."""
    return TypeInfo(name, encode="$.to_json_data()", decode=f"{name}._from_valid_data($)")


def any_type(ctx: TypeContext) -> TypeInfo:
    """``Any``: values kept as JSON data."""
    ctx.typing.add("Any")
    return ANY


def type_list(ctx: TypeContext, declared: list[str], schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
    """The type of ``type: [a, b, ...]``; converted members are told apart by their JSON type."""
    members = [(t, single_type(ctx, t, schema, pointer, name_hint)) for t in dict.fromkeys(declared)]
    if not members:
        return any_type(ctx)
    annotation = union_annotation([info.annotation for _, info in members])
    is_nullable = any(t == "null" for t, _ in members)
    converting = [(t, info) for t, info in members if not info.is_plain]
    if not converting:
        return TypeInfo(annotation, nullable=is_nullable)
    if len(converting) == 1 and (len(members) == 1 or (len(members) == 2 and is_nullable)):
        info = converting[0][1]
        return nullable(info) if is_nullable else info
    # Several JSON types, some converted: dispatch on the decoded value's JSON type.
    decode = HOLE
    for kind, info in reversed(converting):
        decode = f"{info.decode} if {JSON_TYPE_TEST[kind]} else {decode}"
    needs = frozenset({"to_data"}).union(*(info.needs for _, info in members))
    return TypeInfo(annotation, encode="to_data($)", decode=decode, nullable=is_nullable, needs=needs)


def single_type(ctx: TypeContext, declared: str, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
    """The type of a schema for one declared JSON type."""
    if declared == "string":
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in TYPED_FORMATS:
            annotation, encode, decode = TYPED_FORMATS[fmt]
            return TypeInfo(annotation, encode=encode, decode=decode, needs=frozenset({"datetime"}))
        return TypeInfo("str")
    if declared in PRIMITIVES:
        return TypeInfo(PRIMITIVES[declared], nullable=declared == "null")
    if declared == "array":
        return array_type(ctx, schema, pointer, name_hint)
    if declared == "object":
        view = ctx.resolver.object_view({**schema, "type": "object"}, pointer)
        if view is not None:
            return model_type(ctx.model(schema, pointer, name_hint))
        return mapping_type(ctx, schema, pointer, name_hint)
    raise SpecError(
        Location(ctx.resolver.origin, join_pointer(pointer, "type")),
        f"unknown schema type {declared!r}",
        "use one of string, number, integer, boolean, array, object, null",
    )


def array_type(ctx: TypeContext, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
    """``list[...]`` of the items' type, or a tuple for positional items."""
    items = schema.get("items")
    prefix = schema.get("prefixItems")
    positional, rest_key = (prefix, "items") if isinstance(prefix, list) else (items, "additionalItems")
    if isinstance(positional, list):
        return tuple_type(ctx, schema, positional, rest_key, pointer, name_hint)
    if isinstance(items, dict) and items:
        item = ctx.type_for(items, join_pointer(pointer, "items"), f"{name_hint} item")
        if item.is_plain:
            return TypeInfo(f"list[{item.annotation}]", needs=item.needs)
        var = f"v{ctx.depth}"
        return TypeInfo(
            f"list[{item.annotation}]",
            encode=f"[{fill(item.encode, var)} for {var} in $]",
            decode=f"[{fill(item.decode, var)} for {var} in $]",
            needs=item.needs,
        )
    ctx.typing.add("Any")
    return TypeInfo("list[Any]")


def tuple_type(
    ctx: TypeContext, schema: dict[str, Any], positional: list[Any], rest_key: str, pointer: str, name_hint: str
) -> TypeInfo:
    """A ``tuple[...]`` when the array has exactly the positional items, else a list of JSON data."""
    key = "prefixItems" if rest_key == "items" else "items"
    infos = [
        ctx.type_for(member, join_pointer(pointer, key, index), f"{name_hint} item {index + 1}")
        for index, member in enumerate(positional)
    ]
    rest = schema.get(rest_key, True)
    min_items = schema.get("minItems", 0)
    exact = bool(infos) and rest is False and isinstance(min_items, int) and min_items >= len(infos)
    if exact:
        annotation = f"tuple[{', '.join(info.annotation for info in infos)}]"
        encode = "[" + ", ".join(fill(info.encode, f"$[{i}]") for i, info in enumerate(infos)) + "]"
        decode = "(" + ", ".join(fill(info.decode, f"$[{i}]") for i, info in enumerate(infos)) + ")"
        if len(infos) == 1:
            decode = decode[:-1] + ",)"
        needs = frozenset().union(*(info.needs for info in infos))
        return TypeInfo(annotation, encode=encode, decode=decode, needs=needs)
    # Shorter or longer arrays are valid too: a list of the positional types, kept as JSON data.
    if isinstance(rest, dict) and rest:
        infos.append(ctx.type_for(rest, join_pointer(pointer, rest_key), f"{name_hint} item"))
    elif rest is not False:
        infos.append(ANY)
    if all(info.is_plain for info in infos):
        if any(info.annotation == "Any" for info in infos):
            ctx.typing.add("Any")
        return TypeInfo(f"list[{union_annotation([info.annotation for info in infos])}]")
    ctx.typing.add("Any")
    return TypeInfo("list[Any]")


def mapping_type(ctx: TypeContext, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
    """``dict[str, ...]`` for an object schema without properties of its own."""
    view = ObjectView()
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            view.pattern_properties[str(pattern)] = (sub, join_pointer(pointer, "patternProperties", str(pattern)))
    extra = schema.get("additionalProperties", True)
    view.additional = extra if isinstance(extra, bool) else (extra, join_pointer(pointer, "additionalProperties"))
    value = extra_type(ctx, name_hint, view) or ANY
    if value.annotation == "Any":
        ctx.typing.add("Any")
    if value.is_plain:
        return TypeInfo(f"dict[str, {value.annotation}]", needs=value.needs)
    key, var = f"k{ctx.depth}", f"v{ctx.depth}"
    return TypeInfo(
        f"dict[str, {value.annotation}]",
        encode=f"{{{key}: {fill(value.encode, var)} for {key}, {var} in $.items()}}",
        decode=f"{{{key}: {fill(value.decode, var)} for {key}, {var} in $.items()}}",
        needs=value.needs,
    )


def literal_type(ctx: TypeContext, values: list[Any]) -> TypeInfo:
    """``Literal[...]`` of ``const``/``enum`` values, or the union of their kinds when not literal."""
    unique = list(dict.fromkeys((type(v).__name__, json.dumps(v, sort_keys=True)) for v in values))
    distinct = [json.loads(text) for _, text in unique]
    if all(literal_value_ok(v) for v in distinct):
        non_null = [v for v in distinct if v is not None]
        if not non_null:
            return TypeInfo("None", nullable=True)
        ctx.typing.add("Literal")
        literal = TypeInfo(f"Literal[{', '.join(python_literal(v) for v in non_null)}]")
        return nullable(literal) if len(non_null) < len(distinct) else literal
    kinds = sorted({_PY_KIND[type(v).__name__] for v in distinct})
    if "Any" in kinds:
        return any_type(ctx)
    return TypeInfo(union_annotation(kinds), nullable="None" in kinds)


def extra_type(ctx: TypeContext, class_name: str, view: ObjectView) -> TypeInfo | None:
    """The value type of properties beyond the declared ones, ``None`` when none are allowed."""
    schemas = list(view.pattern_properties.values())
    if isinstance(view.additional, tuple):
        schemas.append(view.additional)
    elif view.additional is not False:
        return any_type(ctx)
    if not schemas:
        return None
    infos = [ctx.type_for(s, p, f"{class_name} value") for s, p in schemas]
    if len(infos) == 1:
        return infos[0]
    if all(info.is_plain for info in infos):
        return TypeInfo(union_annotation([i.annotation for i in infos]))
    return any_type(ctx)
