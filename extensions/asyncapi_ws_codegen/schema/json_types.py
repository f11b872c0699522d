"""JSON Schema types -> Python annotations, with the code that converts values each way.

:class:`TypeMapper` turns one (possibly referenced) schema into a :class:`~.schema_types.TypeInfo`:
primitives, formats, literals from ``const``/``enum``, arrays and tuples, mappings, lists of JSON
types. Object schemas and unions are handed to :meth:`TypeMapper.model` and
:meth:`TypeMapper._union`, which the classes built on this one provide.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from ..errors import Location, SpecError, join_pointer
from ..examples.value_checks import merged
from ..ir.code_fragments import HOLE, fill
from ..pytext.literals import python_literal
from .resolver import SchemaResolver
from .type_info import (
    ANY,
    JSON_TYPE_TEST,
    PRIMITIVES,
    TYPED_FORMATS,
    ObjectView,
    TypeInfo,
    literal_value_ok,
)

_UNION_KEYS = ("oneOf", "anyOf")
_MAX_DEPTH = 200


class TypeMapper(SchemaResolver, ABC):
    """Maps schemas to Python types; collects the ``typing`` names the generated modules import."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        super().__init__(document, origin)
        self.typing: set[str] = set()
        self._types_in_progress: set[str] = set()
        self._depth = 0

    @abstractmethod
    def model(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """The class name for an object schema (built once per pointer)."""

    @abstractmethod
    def _union(self, schema: dict[str, Any], key: str, options: list[Any], pointer: str, name_hint: str) -> TypeInfo:
        """The type of a ``oneOf``/``anyOf`` schema."""

    # -- types ------------------------------------------------------------------------------

    def type_for(self, schema: Any, pointer: str, name_hint: str, *, own_pointer: bool = False) -> TypeInfo:
        """The Python type of a (possibly referenced) schema."""
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH:
                raise SpecError(
                    Location(self.origin, pointer), "schema nesting is deeper than 200 levels", "flatten it"
                )
            return self._type_for(schema, pointer, name_hint, own_pointer)
        finally:
            self._depth -= 1

    def _type_for(self, schema: Any, pointer: str, name_hint: str, own_pointer: bool) -> TypeInfo:
        if schema is True or schema is None or schema == {} or schema is False:
            self.typing.add("Any")
            return ANY
        if not isinstance(schema, dict):
            raise SpecError(Location(self.origin, pointer), "a schema must be an object or a boolean", "fix the schema")
        target, target_pointer = self.resolve(schema, pointer)
        if target is not schema:
            hint = target_pointer.rsplit("/", 1)[-1] if target_pointer.startswith("/components/") else name_hint
            return self.type_for(target, target_pointer, hint)
        if target_pointer in self._types_in_progress:  # a recursive non-object type: keep it as JSON data
            self.typing.add("Any")
            return ANY
        self._types_in_progress.add(target_pointer)
        try:
            info = self._describe(schema, pointer, name_hint, own_pointer)
        finally:
            self._types_in_progress.discard(target_pointer)
        if schema.get("nullable") is True and not info.nullable:
            return _nullable(info)
        return info

    def _describe(self, schema: dict[str, Any], pointer: str, name_hint: str, own_pointer: bool) -> TypeInfo:
        members = schema.get("allOf")
        if isinstance(members, list) and len(members) == 1 and not _has_own_shape(schema):
            return self.type_for(members[0], join_pointer(pointer, "allOf", 0), name_hint)
        if "const" in schema:
            return self._literal([schema["const"]])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._literal(schema["enum"])
        if not own_pointer and self.object_view(schema, pointer) is not None:
            name = self.model(schema, pointer, name_hint)
            return TypeInfo(name, encode="$.to_json_data()", decode=f"{name}._from_valid_data($)")
        if own_pointer and self.object_view(schema, pointer) is not None:
            return self._model_type(self.model(schema, pointer + "/x-merged", name_hint))
        for key in _UNION_KEYS:
            options = schema.get(key)
            if isinstance(options, list) and options and not isinstance(schema.get("type"), str):
                return self._union(schema, key, options, pointer, name_hint)
        if isinstance(members, list) and members:
            flat = merged(schema, self._follow)
            if isinstance(flat, dict) and "allOf" not in flat:
                return self.type_for(flat, pointer + "/x-merged", name_hint)
        declared = schema.get("type")
        if isinstance(declared, list):
            return self._type_list([t for t in declared if isinstance(t, str)], schema, pointer, name_hint)
        if isinstance(declared, str):
            return self._single_type(declared, schema, pointer, name_hint)
        if "items" in schema or "prefixItems" in schema:
            return self._type_list(["array", *_OTHER_TYPES_BUT("array")], schema, pointer, name_hint)
        self.typing.add("Any")
        return ANY

    @staticmethod
    def _model_type(name: str) -> TypeInfo:
        return TypeInfo(name, encode="$.to_json_data()", decode=f"{name}._from_valid_data($)")

    def _type_list(self, declared: list[str], schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
        members = [(t, self._single_type(t, schema, pointer, name_hint)) for t in dict.fromkeys(declared)]
        if not members:
            self.typing.add("Any")
            return ANY
        annotation = union_annotation([info.annotation for _, info in members])
        nullable = any(t == "null" for t, _ in members)
        converting = [(t, info) for t, info in members if not info.is_plain]
        if not converting:
            return TypeInfo(annotation, nullable=nullable)
        if len(converting) == 1 and (len(members) == 1 or (len(members) == 2 and nullable)):
            kind, info = converting[0]
            return _nullable(info) if nullable else info
        # Several JSON types, some converted: dispatch on the decoded value's JSON type.
        encode = "to_data($)"
        decode = HOLE
        for kind, info in reversed(converting):
            decode = f"{info.decode} if {JSON_TYPE_TEST[kind]} else {decode}"
        needs = frozenset({"to_data"}).union(*(info.needs for _, info in members))
        return TypeInfo(annotation, encode=encode, decode=decode, nullable=nullable, needs=needs)

    def _single_type(self, declared: str, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
        if declared == "string":
            fmt = schema.get("format")
            if isinstance(fmt, str) and fmt in TYPED_FORMATS:
                annotation, encode, decode = TYPED_FORMATS[fmt]
                return TypeInfo(annotation, encode=encode, decode=decode, needs=frozenset({"datetime"}))
            return TypeInfo("str")
        if declared in PRIMITIVES:
            return TypeInfo(PRIMITIVES[declared], nullable=declared == "null")
        if declared == "array":
            return self._array(schema, pointer, name_hint)
        if declared == "object":
            view = self.object_view({**schema, "type": "object"}, pointer)
            if view is not None:
                return self._model_type(self.model(schema, pointer, name_hint))
            return self._mapping(schema, pointer, name_hint)
        raise SpecError(
            Location(self.origin, join_pointer(pointer, "type")),
            f"unknown schema type {declared!r}",
            "use one of string, number, integer, boolean, array, object, null",
        )

    def _array(self, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        positional, rest_key = (prefix, "items") if isinstance(prefix, list) else (items, "additionalItems")
        if isinstance(positional, list):
            return self._tuple(schema, positional, rest_key, pointer, name_hint)
        if isinstance(items, dict) and items:
            item = self.type_for(items, join_pointer(pointer, "items"), f"{name_hint} item")
            if item.is_plain:
                return TypeInfo(f"list[{item.annotation}]", needs=item.needs)
            var = f"v{self._depth}"
            return TypeInfo(
                f"list[{item.annotation}]",
                encode=f"[{fill(item.encode, var)} for {var} in $]",
                decode=f"[{fill(item.decode, var)} for {var} in $]",
                needs=item.needs,
            )
        self.typing.add("Any")
        return TypeInfo("list[Any]")

    def _tuple(
        self, schema: dict[str, Any], positional: list[Any], rest_key: str, pointer: str, name_hint: str
    ) -> TypeInfo:
        key = "prefixItems" if rest_key == "items" else "items"
        infos = [
            self.type_for(member, join_pointer(pointer, key, index), f"{name_hint} item {index + 1}")
            for index, member in enumerate(positional)
        ]
        rest = schema.get(rest_key, True)
        min_items = schema.get("minItems", 0)
        exact = bool(infos) and rest is False and isinstance(min_items, int) and min_items >= len(infos)
        if exact:
            annotation = f"tuple[{', '.join(info.annotation for info in infos)}]"
            var = f"v{self._depth}"
            encode = "[" + ", ".join(fill(info.encode, f"$[{i}]") for i, info in enumerate(infos)) + "]"
            decode = "(" + ", ".join(fill(info.decode, f"$[{i}]") for i, info in enumerate(infos)) + ")"
            if len(infos) == 1:
                decode = decode[:-1] + ",)"
            del var
            needs = frozenset().union(*(info.needs for info in infos))
            return TypeInfo(annotation, encode=encode, decode=decode, needs=needs)
        # Shorter or longer arrays are valid too: a list of the positional types, kept as JSON data.
        if isinstance(rest, dict) and rest:
            infos.append(self.type_for(rest, join_pointer(pointer, rest_key), f"{name_hint} item"))
        elif rest is not False:
            infos.append(ANY)
        if all(info.is_plain for info in infos):
            if any(info.annotation == "Any" for info in infos):
                self.typing.add("Any")
            return TypeInfo(f"list[{union_annotation([info.annotation for info in infos])}]")
        self.typing.add("Any")
        return TypeInfo("list[Any]")

    def _mapping(self, schema: dict[str, Any], pointer: str, name_hint: str) -> TypeInfo:
        view = ObjectView()
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                view.pattern_properties[str(pattern)] = (sub, join_pointer(pointer, "patternProperties", str(pattern)))
        extra = schema.get("additionalProperties", True)
        view.additional = extra if isinstance(extra, bool) else (extra, join_pointer(pointer, "additionalProperties"))
        value = self._extra_type(name_hint, view) or ANY
        if value.annotation == "Any":
            self.typing.add("Any")
        if value.is_plain:
            return TypeInfo(f"dict[str, {value.annotation}]", needs=value.needs)
        key, var = f"k{self._depth}", f"v{self._depth}"
        return TypeInfo(
            f"dict[str, {value.annotation}]",
            encode=f"{{{key}: {fill(value.encode, var)} for {key}, {var} in $.items()}}",
            decode=f"{{{key}: {fill(value.decode, var)} for {key}, {var} in $.items()}}",
            needs=value.needs,
        )

    def _literal(self, values: list[Any]) -> TypeInfo:
        unique = list(dict.fromkeys((type(v).__name__, json.dumps(v, sort_keys=True)) for v in values))
        distinct = [json.loads(text) for _, text in unique]
        if all(literal_value_ok(v) for v in distinct):
            non_null = [v for v in distinct if v is not None]
            if not non_null:
                return TypeInfo("None", nullable=True)
            self.typing.add("Literal")
            literal = TypeInfo(f"Literal[{', '.join(python_literal(v) for v in non_null)}]")
            return _nullable(literal) if len(non_null) < len(distinct) else literal
        kinds = sorted({_PY_KIND[type(v).__name__] for v in distinct})
        if "Any" in kinds:
            self.typing.add("Any")
            return ANY
        return TypeInfo(union_annotation(kinds), nullable="None" in kinds)

    def _extra_type(self, class_name: str, view: ObjectView) -> TypeInfo | None:
        """The value type of properties beyond the declared ones, ``None`` when none are allowed."""
        schemas = list(view.pattern_properties.values())
        if isinstance(view.additional, tuple):
            schemas.append(view.additional)
        elif view.additional is not False:
            self.typing.add("Any")
            return ANY
        if not schemas:
            return None
        infos = [self.type_for(s, p, f"{class_name} value") for s, p in schemas]
        if len(infos) == 1:
            return infos[0]
        if all(info.is_plain for info in infos):
            return TypeInfo(union_annotation([i.annotation for i in infos]))
        self.typing.add("Any")
        return ANY


_PY_KIND = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "NoneType": "None",
    "list": "Any",
    "dict": "Any",
}


def _OTHER_TYPES_BUT(kind: str) -> list[str]:  # noqa: N802 - reads as a constant
    return [t for t in ("string", "integer", "number", "boolean", "null", "object") if t != kind and t != "integer"]


def union_annotation(annotations: list[str]) -> str:
    """``A | B | ...`` of the annotations' members, each once, ``None`` last; ``Any`` absorbs all."""
    parts: list[str] = []
    for annotation in annotations:
        for part in _split_union(annotation):
            if part not in parts:
                parts.append(part)
    if "Any" in parts:
        return "Any"
    if "None" in parts:
        parts = [p for p in parts if p != "None"] + ["None"]
    if "float" in parts and "int" in parts:
        parts.remove("int")
    return " | ".join(parts)


def _split_union(annotation: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += (char in "[(" and 1) or 0
        depth -= (char in "])" and 1) or 0
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def _nullable(info: TypeInfo) -> TypeInfo:
    if info.nullable:
        return info
    encode = info.encode if info.is_plain else f"None if $ is None else {info.encode}"
    decode = info.decode if info.is_plain else f"None if $ is None else {info.decode}"
    return TypeInfo(
        union_annotation([info.annotation, "None"]), encode=encode, decode=decode, nullable=True, needs=info.needs
    )


def _has_own_shape(schema: dict[str, Any]) -> bool:
    return any(
        k in schema for k in ("properties", "type", "items", "enum", "const", "oneOf", "anyOf", "additionalProperties")
    )
