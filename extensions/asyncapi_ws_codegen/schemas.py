"""JSON Schema (the AsyncAPI Schema Object) -> typed Python models.

Each object schema with properties (``allOf`` members merged) becomes a dataclass; every other schema
becomes a type expression (``str``, ``list[Foo]``, ``Literal["a", 1, None]``, ``Dog | Cat``...) with the
code that converts a value to JSON data and back, so templates only place fragments. Types describe
what a valid value looks like; the validators always check the original schema (``schemas.json``), so
keywords a type cannot express (``not``, ``if``/``then``/``else``, bounds, patterns) are still enforced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import examples
from .errors import Location, SpecError, join_pointer, unescape_pointer_token
from .ir import Field, Model, TypeAliasDef, UnionCase, UnionDecoder
from .naming import Namespace, pascal_case, snake_case
from .schema_types import (
    ANY,
    HOLE,
    JSON_TYPE_TEST,
    LINE_LENGTH,
    PRIMITIVES,
    TYPED_FORMATS,
    ObjectView,
    TypeInfo,
    fill,
    literal_value_ok,
    object_constrained,
    python_literal,
)
from .textfilters import py_str
from .validation_schemas import draft7_compatible, prune_document

# Names a payload class must not take: the generated modules use them themselves.
RESERVED_CLASS_NAMES = (
    "Any",
    "ClassVar",
    "Literal",
    "Self",
    "TypeAlias",
    "Mapping",
    "Model",
    "BinaryModel",
    "Unset",
    "UNSET",
    "PayloadError",
    "PayloadDecodeError",
    "PayloadValidationError",
)
_FIELD_RESERVED = ("additional_properties", "validate", "marshal", "unmarshal", "value")
_UNION_KEYS = ("oneOf", "anyOf")
_MAX_DEPTH = 200


@dataclass
class _Draft:
    """What a model under construction collects besides its fields."""

    decoders: list[UnionDecoder] = field(default_factory=list)
    aliases: list[TypeAliasDef] = field(default_factory=list)
    needs: set[str] = field(default_factory=set)


class SchemaCompiler:
    """Turns schemas into models, sharing names and models across one document."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        self.document = document
        self.origin = origin
        self.models: list[Model] = []
        self.names = Namespace(RESERVED_CLASS_NAMES)
        self._functions = Namespace()
        self._model_by_pointer: dict[str, str] = {}
        self._decoder_by_pointer: dict[str, str] = {}
        self._types_in_progress: set[str] = set()
        self._drafts: list[_Draft] = []
        self.binary_classes: set[str] = set()
        self.needed_pointers: set[str] = set()
        # Pointers of schemas the document leaves out (a message without payload): the empty schema.
        self.absent_schemas: set[str] = set()
        self.uses_unset = False
        self.typing: set[str] = set()
        self._depth = 0

    # -- references -------------------------------------------------------------------------

    def resolve(self, schema: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains; returns the target and its pointer."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref: str = schema["$ref"]
            if not ref.startswith("#"):
                raise SpecError(
                    Location(self.origin, pointer), f"unresolved `$ref` {ref!r}", "check the referenced file"
                )
            target = ref[1:]
            if target in seen:
                raise SpecError(
                    Location(self.origin, pointer), f"`$ref` {ref!r} only refers to itself", "point it at a real schema"
                )
            seen.add(target)
            self.needed_pointers.add(target)
            schema = self.node_at(target, pointer)
            pointer = target
        return schema, pointer

    def node_at(self, target: str, referrer: str) -> Any:
        """The node at a JSON pointer of the document."""
        node: Any = self.document
        for token in target.split("/")[1:]:
            key = unescape_pointer_token(token)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise SpecError(
                    Location(self.origin, referrer),
                    f"`$ref` '#{target}' points at nothing",
                    "fix the reference or add the missing definition",
                )
        return node

    def _follow(self, schema: Any) -> Any:
        """``resolve`` without pointers, for example synthesis."""
        return self.resolve(schema, "")[0]

    # -- object views ---------------------------------------------------------------------------

    def object_view(self, schema: Any, pointer: str, depth: int = 0) -> ObjectView | None:
        """The object shape of a schema with ``allOf`` merged; ``None`` when it is not an object model."""
        schema, pointer = self.resolve(schema, pointer)
        if not isinstance(schema, dict) or depth > 50:
            return None
        declared = schema.get("type")
        if declared not in (None, "object"):
            return None
        view = ObjectView(description=str(schema.get("description") or schema.get("title") or ""))
        view.constrained = object_constrained(schema)
        members = schema.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else []):
            part = self.object_view(member, join_pointer(pointer, "allOf", index), depth + 1)
            if part is None:
                view.constrained = True
                continue
            for name, (sub, sub_pointer) in part.properties.items():
                view.add_property(name, sub, sub_pointer)
            view.require(part.required)
            view.pattern_properties.update(part.pattern_properties)
            view.constrained = view.constrained or part.constrained
            view.additional = _narrow_additional(view.additional, part.additional)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                view.add_property(str(name), sub, join_pointer(pointer, "properties", str(name)))
        view.require(schema.get("required"))
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                view.pattern_properties[str(pattern)] = (sub, join_pointer(pointer, "patternProperties", str(pattern)))
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            own = extra if isinstance(extra, bool) else (extra, join_pointer(pointer, "additionalProperties"))
            view.additional = _narrow_additional(view.additional, own)
        if not view.properties:
            return None
        return view

    # -- models -----------------------------------------------------------------------------

    @staticmethod
    def is_object_model(schema: Any) -> bool:
        """Whether a schema (already dereferenced) declares an object with properties of its own."""
        if not isinstance(schema, dict) or schema.get("type") not in (None, "object"):
            return False
        return bool(isinstance(schema.get("properties"), dict) and schema["properties"]) or "allOf" in schema

    def payload_class(
        self, schema: Any, pointer: str, name_hint: str, description: str, *, binary: bool = False
    ) -> str:
        """The class for a message payload: a model for objects, a wrapper for everything else."""
        target, target_pointer = self.resolve(schema, pointer)
        hint = name_hint if target_pointer == pointer else target_pointer.rsplit("/", 1)[-1]
        text = description if target_pointer == pointer else ""
        if binary or _is_binary_schema(target):
            return self.binary_wrapper(target, target_pointer, hint, text)
        if self.object_view(target, target_pointer) is not None:
            return self.model(target, target_pointer, hint, text)
        return self.wrapper(target if target is not None else {}, target_pointer, hint, text)

    def model(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """The class name for an object schema (built once per pointer)."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        view = self.object_view(schema, pointer)
        if view is None:  # pragma: no cover - callers check first
            raise SpecError(Location(self.origin, pointer), "not an object schema", "")
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        real = "/x-merged" not in pointer
        if real:
            self.needed_pointers.add(pointer)
        draft = _Draft()
        self._drafts.append(draft)
        try:
            fields = self._fields(class_name, view)
            extra = self._extra_type(class_name, view)
        finally:
            self._drafts.pop()
        extra_annotation = None
        if extra is not None:
            extra_annotation = self._short(
                class_name, "additional properties", f"dict[str, {extra.annotation}]", 4, draft
            )
            draft.needs.update(extra.needs)
        sample = examples.Synthesiser(self._follow)
        example = sample.valid(schema)
        bad_ok, bad = examples.invalid(schema, self._follow)
        self.models.append(
            Model(
                class_name=class_name,
                description=description or view.description,
                fields=tuple(fields),
                schema_key=pointer if real else "",
                is_wrapper=False,
                extra_annotation=extra_annotation,
                extra_encode=extra.encode if extra else HOLE,
                extra_decode=extra.decode if extra else HOLE,
                example_json=_json(example),
                example_checked=sample.confident and examples.conforms(example, schema, self._follow) is True,
                invalid_json=_json(bad) if bad_ok else None,
                needs=frozenset(draft.needs | {n for f in fields for n in _field_needs(f)}),
                decoders=tuple(draft.decoders),
                aliases=tuple(draft.aliases),
            )
        )
        return class_name

    def wrapper(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """A class holding one non-object payload value in ``value``."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        self.needed_pointers.add(pointer)
        draft = _Draft()
        self._drafts.append(draft)
        try:
            info = self.type_for(schema, pointer, f"{class_name} value", own_pointer=True)
        finally:
            self._drafts.pop()
        annotation = self._short(class_name, "value", info.annotation, 4, draft)
        draft.needs.update(info.needs)
        value_field = Field(
            name="value",
            wire_name="",
            annotation=annotation,
            required=True,
            default=None,
            encode=info.encode,
            decode=info.decode,
            description="The payload value.",
            uses_unset=False,
            example="None",
        )
        sample = examples.Synthesiser(self._follow)
        example = sample.valid(schema)
        bad_ok, bad = examples.invalid(schema, self._follow)
        text = description or (
            str(schema.get("description") or schema.get("title") or "") if isinstance(schema, dict) else ""
        )
        self.models.append(
            Model(
                class_name=class_name,
                description=text,
                fields=(value_field,),
                schema_key=pointer,
                is_wrapper=True,
                extra_annotation=None,
                extra_encode=HOLE,
                extra_decode=HOLE,
                example_json=_json(example),
                example_checked=sample.confident and examples.conforms(example, schema, self._follow) is True,
                invalid_json=_json(bad) if bad_ok else None,
                needs=frozenset(draft.needs),
                decoders=tuple(draft.decoders),
                aliases=tuple(draft.aliases),
            )
        )
        return class_name

    def binary_wrapper(self, schema: Any, pointer: str, name_hint: str, description: str) -> str:
        """A class holding a binary payload (``bytes``), sent as binary frames."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        self.binary_classes.add(class_name)
        text = description or (str(schema.get("description") or "") if isinstance(schema, dict) else "")
        value_field = Field(
            name="value",
            wire_name="",
            annotation="bytes",
            required=True,
            default=None,
            encode=HOLE,
            decode=HOLE,
            description="The payload bytes.",
            uses_unset=False,
            example="b''",
        )
        self.models.append(
            Model(
                class_name=class_name,
                description=text,
                fields=(value_field,),
                schema_key="",
                is_wrapper=True,
                extra_annotation=None,
                extra_encode=HOLE,
                extra_decode=HOLE,
                example_json=_json("AAEC/w=="),
                is_binary=True,
            )
        )
        return class_name

    def is_binary(self, class_name: str) -> bool:
        """Whether a payload class carries bytes (binary frames) rather than JSON."""
        return class_name in self.binary_classes

    def _fields(self, class_name: str, view: ObjectView) -> list[Field]:
        names = Namespace(_FIELD_RESERVED)
        fields = []
        for wire_name, (prop, prop_pointer) in view.properties.items():
            info = self.type_for(prop, prop_pointer, f"{class_name} {wire_name}")
            name = names.claim(snake_case(wire_name))
            fields.append(self._field(class_name, name, wire_name, info, wire_name in view.required, prop))
        return fields

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
            return TypeInfo(_union_annotation([i.annotation for i in infos]))
        self.typing.add("Any")
        return ANY

    def _field(self, class_name: str, name: str, wire_name: str, info: TypeInfo, required: bool, schema: Any) -> Field:
        target = examples.merged(schema, self._follow)
        target = target if isinstance(target, dict) else {}
        description = str(target.get("description") or target.get("title") or "")
        default_value = target.get("default")
        applies_default = (
            not required
            and "default" in target
            and (default_value is None or isinstance(default_value, (str, int, float, bool)))
            and (default_value is not None or info.nullable)
            and info.is_plain
            and examples.scalar_ok(default_value, target)
        )
        if required:
            annotation, default, uses_unset = info.annotation, None, False
        elif applies_default:
            annotation, default, uses_unset = info.annotation, python_literal(default_value), False
        elif info.nullable:
            annotation, default, uses_unset = f"{info.annotation} | Unset", "UNSET", True
            self.uses_unset = True
        else:
            annotation, default, uses_unset = f"{info.annotation} | None", "None", False
        draft = self._drafts[-1]
        draft.needs.update(info.needs)
        return Field(
            name=name,
            wire_name=wire_name,
            annotation=self._short(class_name, name, annotation, 4 + len(name) + 2, draft, default),
            required=required,
            default=default,
            encode=info.encode,
            decode=info.decode,
            description=description,
            uses_unset=uses_unset,
            example=python_literal(examples.Synthesiser(self._follow).valid(schema)),
            applies_default=applies_default,
        )

    def _short(
        self, class_name: str, what: str, annotation: str, used: int, draft: _Draft, default: str | None = None
    ) -> str:
        """``annotation``, or a module-level alias for it when the attribute line would be too long."""
        tail = f" = {default}" if default is not None else ""
        if used + len(annotation) + len(tail) <= LINE_LENGTH:
            return annotation
        alias = self._functions.claim(f"{class_name}{pascal_case(what)}Type")
        draft.aliases.append(TypeAliasDef(alias, annotation))
        draft.needs.add("TypeAlias")
        return alias

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
            flat = examples.merged(schema, self._follow)
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
        annotation = _union_annotation([info.annotation for _, info in members])
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
            return TypeInfo(f"list[{_union_annotation([info.annotation for info in infos])}]")
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
        return TypeInfo(_union_annotation(kinds), nullable="None" in kinds)

    # -- unions -------------------------------------------------------------------------------

    def _union(self, schema: dict[str, Any], key: str, options: list[Any], pointer: str, name_hint: str) -> TypeInfo:
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator", "description", "title")}
        infos: list[tuple[TypeInfo, str, Any]] = []
        for index, option in enumerate(options):
            option_pointer = join_pointer(pointer, key, index)
            target, target_pointer = self.resolve(option, option_pointer)
            hint = f"{name_hint} {key} option {index + 1}"
            if target_pointer != option_pointer and target_pointer.startswith("/components/"):
                hint = target_pointer.rsplit("/", 1)[-1]
            if base.get("type") and isinstance(target, dict) and "type" not in target:
                target = {**target, "type": base["type"]}
                target_pointer = target_pointer + "/x-merged"
            infos.append((self.type_for(target, target_pointer, hint), target_pointer, target))
        annotation = _union_annotation([info.annotation for info, _, _ in infos])
        nullable = any(info.nullable for info, _, _ in infos)
        if annotation == "Any" or all(info.is_plain for info, _, _ in infos):
            if annotation == "Any":
                self.typing.add("Any")
            return TypeInfo(annotation, nullable=nullable, needs=frozenset().union(*(i.needs for i, _, _ in infos)))
        decoder = self._decoder_by_pointer.get(pointer)
        if decoder is None:
            decoder = self._functions.claim(f"_decode_{snake_case(name_hint)[:40].rstrip('_')}")
            self._decoder_by_pointer[pointer] = decoder
            self._drafts[-1].decoders.append(self._build_decoder(decoder, schema, infos))
        needs = frozenset({"to_data", "union"}).union(*(info.needs for info, _, _ in infos))
        self._drafts[-1].needs.update(needs)
        return TypeInfo(annotation, encode="to_data($)", decode=f"{decoder}($)", nullable=nullable, needs=needs)

    def _build_decoder(self, name: str, schema: dict[str, Any], infos: list[tuple[TypeInfo, str, Any]]) -> UnionDecoder:
        tag_property, tags = self._tags(schema, infos)
        cases: list[UnionCase] = []
        tries: list[UnionCase] = []
        for (info, option_pointer, _), tag in zip(infos, tags, strict=True):
            decode = fill(info.decode, "data")
            if tag is not None:
                cases.append(UnionCase(python_literal(tag), decode))
            real = "/x-merged" not in option_pointer
            if real:
                self.needed_pointers.add(option_pointer)
            tries.append(UnionCase(py_str(option_pointer) if real else "", decode))
        return UnionDecoder(
            name=name,
            tag_literal=py_str(tag_property) if tag_property is not None else None,
            cases=tuple(cases),
            tries=tuple(tries),
        )

    def _tags(self, schema: dict[str, Any], infos: list[tuple[TypeInfo, str, Any]]) -> tuple[str | None, list[Any]]:
        """The discriminating property and each option's value for it (``None`` where unknown)."""
        discriminator = schema.get("discriminator")
        mapping: dict[str, Any] = {}
        prop: str | None = None
        if isinstance(discriminator, str):
            prop = discriminator
        elif isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            prop = discriminator["propertyName"]
            given = discriminator.get("mapping")
            mapping = given if isinstance(given, dict) else {}
        views = [self.object_view(target, p) if isinstance(target, dict) else None for _, p, target in infos]
        if prop is None:
            prop = _common_const_property(views, self._follow)
        if prop is None:
            return None, [None] * len(infos)
        by_pointer = {
            str(ref.get("$ref", ref))[1:] if isinstance(ref, dict) else str(ref)[1:]: value
            for value, ref in mapping.items()
        }
        tags: list[Any] = []
        for (_, option_pointer, _), view in zip(infos, views, strict=True):
            tag: Any = None
            if option_pointer in by_pointer:
                tag = by_pointer[option_pointer]
            elif view is not None and prop in view.properties:
                tag = _const_of(view.properties[prop][0], self._follow)
            if (
                tag is None
                and view is not None
                and discriminator is not None
                and option_pointer.startswith("/components/")
            ):
                tag = option_pointer.rsplit("/", 1)[-1]
            tags.append(tag if view is not None else None)
        seen = [t for t in tags if t is not None]
        if len(seen) != len({json.dumps(t) for t in seen}):
            return None, [None] * len(infos)
        return prop, tags

    # -- schemas.json -------------------------------------------------------------------------

    def schemas_document(self) -> dict[str, Any]:
        """The parts of the document the validators need, at their original pointers."""
        return prune_document(self.needed_pointers, self.absent_schemas, self.node_at)


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


def _union_annotation(annotations: list[str]) -> str:
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
        _union_annotation([info.annotation, "None"]), encode=encode, decode=decode, nullable=True, needs=info.needs
    )


def _narrow_additional(current: Any, new: Any) -> Any:
    """Combine two ``additionalProperties`` settings as ``allOf`` does: the stricter wins."""
    if current is False or new is False:
        return False
    if current is True:
        return new
    return current


def _has_own_shape(schema: dict[str, Any]) -> bool:
    return any(
        k in schema for k in ("properties", "type", "items", "enum", "const", "oneOf", "anyOf", "additionalProperties")
    )


def _is_binary_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"


def _const_of(schema: Any, follow: Any) -> Any:
    target = examples.merged(schema, follow)
    if not isinstance(target, dict):
        return None
    if "const" in target and literal_value_ok(target["const"]):
        return target["const"]
    enum = target.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and literal_value_ok(enum[0]):
        return enum[0]
    return None


def _common_const_property(views: list[ObjectView | None], follow: Any) -> str | None:
    objects = [v for v in views if v is not None]
    if len(objects) < 2:
        return None
    for name in objects[0].properties:
        if all(name in v.properties and _const_of(v.properties[name][0], follow) is not None for v in objects):
            return name
    return None


def _field_needs(item: Field) -> set[str]:
    needs = set()
    if item.uses_unset:
        needs.add("unset")
    if item.applies_default:
        needs.add("defaults")
    return needs


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


__all__ = ["RESERVED_CLASS_NAMES", "SchemaCompiler", "TypeInfo", "draft7_compatible", "python_literal"]
