"""JSON Schema (the AsyncAPI Schema Object) -> typed Python models.

Each object schema with properties (``allOf`` members merged) becomes a dataclass; every other schema
becomes a type expression (``str``, ``list[Foo]``, ``Literal["a", 1, None]``, ``Dog | Cat``...) with the
code that converts a value to JSON data and back, so templates only place fragments. Types describe
what a valid value looks like; the validators always check the original schema (``schemas.json``), so
keywords a type cannot express (``not``, ``if``/``then``/``else``, bounds, patterns) are still enforced.

:class:`SchemaCompiler` owns a :class:`~.resolver.SchemaResolver` (``$ref`` resolution, object views)
and dispatches each schema by its shape: JSON types to :mod:`.json_types`, unions to a
:class:`~.unions.UnionTyper`, object schemas to the models it builds here with the fields of
:mod:`.model_fields`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import Location, SpecError, join_pointer
from ..examples.value_checks import Resolver, merged
from ..ir import Field, Model
from ..ir.code_fragments import HOLE
from ..pytext.identifiers import Namespace, pascal_case
from . import json_types
from .annotations import nullable
from .model_fields import example_texts, field_needs, json_text, object_fields
from .resolver import SchemaResolver
from .type_info import ModelDraft, TypeInfo
from .unions import UnionTyper

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
_UNION_KEYS = ("oneOf", "anyOf")
_MAX_DEPTH = 200
# Keywords that give a one-member ``allOf`` a shape of its own (then it is not just an alias).
_OWN_SHAPE = ("properties", "type", "items", "enum", "const", "oneOf", "anyOf", "additionalProperties")


class SchemaCompiler:
    """Turns the schemas of one document into models, sharing names and models across it."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        self.resolver = SchemaResolver(document, origin)
        self.models: list[Model] = []
        self.names = Namespace(RESERVED_CLASS_NAMES)
        # ``typing`` names the generated payload module imports.
        self.typing: set[str] = set()
        self.uses_unset = False
        self.depth = 0
        self._unions = UnionTyper()
        self._drafts: list[ModelDraft] = []
        self._model_by_pointer: dict[str, str] = {}
        self._binary_classes: set[str] = set()
        self._types_in_progress: set[str] = set()

    @property
    def draft(self) -> ModelDraft:
        """The innermost model under construction."""
        return self._drafts[-1]

    # -- types ------------------------------------------------------------------------------

    def type_for(self, schema: Any, pointer: str, name_hint: str, *, own_pointer: bool = False) -> TypeInfo:
        """The Python type of a (possibly referenced) schema."""
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                raise SpecError(
                    Location(self.resolver.origin, pointer), "schema nesting is deeper than 200 levels", "flatten it"
                )
            return self._type_for(schema, pointer, name_hint, own_pointer)
        finally:
            self.depth -= 1

    def _type_for(self, schema: Any, pointer: str, name_hint: str, own_pointer: bool) -> TypeInfo:
        if schema is True or schema is None or schema == {} or schema is False:
            return json_types.any_type(self)
        if not isinstance(schema, dict):
            raise SpecError(
                Location(self.resolver.origin, pointer), "a schema must be an object or a boolean", "fix the schema"
            )
        target, target_pointer = self.resolver.resolve(schema, pointer)
        if target is not schema:
            hint = target_pointer.rsplit("/", 1)[-1] if target_pointer.startswith("/components/") else name_hint
            return self.type_for(target, target_pointer, hint)
        if target_pointer in self._types_in_progress:  # a recursive non-object type: keep it as JSON data
            return json_types.any_type(self)
        self._types_in_progress.add(target_pointer)
        try:
            info = self._dispatch(schema, pointer, name_hint, own_pointer)
        finally:
            self._types_in_progress.discard(target_pointer)
        if schema.get("nullable") is True and not info.nullable:
            return nullable(info)
        return info

    def _dispatch(self, schema: dict[str, Any], pointer: str, name_hint: str, own_pointer: bool) -> TypeInfo:
        """The type of a dereferenced schema, by what it is: alias, literal, model, union, JSON type."""
        members = schema.get("allOf")
        if isinstance(members, list) and len(members) == 1 and not any(k in schema for k in _OWN_SHAPE):
            return self.type_for(members[0], join_pointer(pointer, "allOf", 0), name_hint)
        if "const" in schema:
            return json_types.literal_type(self, [schema["const"]])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return json_types.literal_type(self, schema["enum"])
        if self.resolver.object_view(schema, pointer) is not None:
            # A wrapper's own schema is an object too: its model gets a pointer of its own.
            model_pointer = pointer + "/x-merged" if own_pointer else pointer
            return json_types.model_type(self.model(schema, model_pointer, name_hint))
        for key in _UNION_KEYS:
            options = schema.get(key)
            # `type: object` beside the options says what they all are (Gemini's `Market`): the union
            # is typed as without it; the options inherit the type.
            if isinstance(options, list) and options and schema.get("type") in (None, "object"):
                return self._unions.union_type(self, schema, key, options, pointer, name_hint)
        if isinstance(members, list) and members:
            flat = merged(schema, self.resolver.follow)
            if isinstance(flat, dict) and "allOf" not in flat:
                return self.type_for(flat, pointer + "/x-merged", name_hint)
        declared = schema.get("type")
        if isinstance(declared, list):
            return json_types.type_list(self, [t for t in declared if isinstance(t, str)], schema, pointer, name_hint)
        if isinstance(declared, str):
            return json_types.single_type(self, declared, schema, pointer, name_hint)
        if "items" in schema or "prefixItems" in schema:
            return json_types.type_list(self, list(json_types.UNTYPED_ARRAY_TYPES), schema, pointer, name_hint)
        return json_types.any_type(self)

    # -- classes ------------------------------------------------------------------------------

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
        target, target_pointer = self.resolver.resolve(schema, pointer)
        hint = name_hint if target_pointer == pointer else target_pointer.rsplit("/", 1)[-1]
        text = description if target_pointer == pointer else ""
        if binary or _is_binary_schema(target):
            return self.binary_wrapper(target, target_pointer, hint, text)
        if self.resolver.object_view(target, target_pointer) is not None:
            return self.model(target, target_pointer, hint, text)
        return self.wrapper(target if target is not None else {}, target_pointer, hint, text)

    def _claim_class(self, pointer: str, name_hint: str) -> str:
        class_name = self.names.claim(pascal_case(name_hint))
        self._model_by_pointer[pointer] = class_name
        return class_name

    def model(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """The class name for an object schema (built once per pointer)."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        view = self.resolver.object_view(schema, pointer)
        if view is None:  # pragma: no cover - callers check first
            raise SpecError(Location(self.resolver.origin, pointer), "not an object schema", "")
        class_name = self._claim_class(pointer, name_hint)
        real = "/x-merged" not in pointer
        if real:
            self.resolver.needed_pointers.add(pointer)
        draft = ModelDraft()
        self._drafts.append(draft)
        try:
            fields = object_fields(self, class_name, view)
            extra = json_types.extra_type(self, class_name, view)
        finally:
            self._drafts.pop()
        self.uses_unset = self.uses_unset or any(f.uses_unset for f in fields)
        extra_annotation = None
        if extra is not None:
            extra_annotation = f"dict[str, {extra.annotation}]"
            draft.needs.update(extra.needs)
        example, checked, bad = example_texts(schema, self.resolver.follow)
        loose = not _declares_type(schema, self.resolver.follow)
        self.uses_unset = self.uses_unset or loose
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
                example_json=example,
                example_checked=checked,
                invalid_json=bad,
                needs=frozenset(draft.needs | {n for f in fields for n in field_needs(f)}),
                decoders=tuple(draft.decoders),
                accepts_non_objects=loose,
            )
        )
        return class_name

    def wrapper(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """A class holding one non-object payload value in ``value``."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self._claim_class(pointer, name_hint)
        self.resolver.needed_pointers.add(pointer)
        draft = ModelDraft()
        self._drafts.append(draft)
        try:
            info = self.type_for(schema, pointer, f"{class_name} value", own_pointer=True)
        finally:
            self._drafts.pop()
        draft.needs.update(info.needs)
        value_field = _value_field(info.annotation, info.encode, info.decode, "The payload value.", "None")
        example, checked, bad = example_texts(schema, self.resolver.follow)
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
                example_json=example,
                example_checked=checked,
                invalid_json=bad,
                needs=frozenset(draft.needs),
                decoders=tuple(draft.decoders),
            )
        )
        return class_name

    def binary_wrapper(self, schema: Any, pointer: str, name_hint: str, description: str) -> str:
        """A class holding a binary payload (``bytes``), sent as binary frames."""
        if pointer in self._model_by_pointer:
            return self._model_by_pointer[pointer]
        class_name = self._claim_class(pointer, name_hint)
        self._binary_classes.add(class_name)
        text = description or (str(schema.get("description") or "") if isinstance(schema, dict) else "")
        self.models.append(
            Model(
                class_name=class_name,
                description=text,
                fields=(_value_field("bytes", HOLE, HOLE, "The payload bytes.", "b''"),),
                schema_key="",
                is_wrapper=True,
                extra_annotation=None,
                extra_encode=HOLE,
                extra_decode=HOLE,
                example_json=json_text("AAEC/w=="),
                is_binary=True,
            )
        )
        return class_name

    def use_example(self, class_name: str, value: Any, checked: bool) -> None:
        """Give a class a message's own example (the first message's, unless it cannot be checked
        and the synthesised one could)."""
        for index, model in enumerate(self.models):
            if model.class_name != class_name or model.example_from_document:
                continue
            if checked or not model.example_checked:
                self.models[index] = replace(
                    model, example_json=json_text(value), example_checked=checked, example_from_document=True
                )

    def is_binary(self, class_name: str) -> bool:
        """Whether a payload class carries bytes (binary frames) rather than JSON."""
        return class_name in self._binary_classes


def _value_field(annotation: str, encode: str, decode: str, description: str, example: str) -> Field:
    """The one field, ``value``, of a wrapper class."""
    return Field(
        name="value",
        wire_name="",
        annotation=annotation,
        required=True,
        default=None,
        encode=encode,
        decode=decode,
        description=description,
        uses_unset=False,
        example=example,
    )


def _declares_type(schema: Any, follow: Resolver, depth: int = 0) -> bool:
    """Whether an object schema, or one of its ``allOf`` members, declares a ``type``.

    Without one, JSON Schema applies ``properties`` and ``required`` to objects only, and any
    other JSON value is valid.
    """
    schema = follow(schema)
    if not isinstance(schema, dict) or depth > 50:
        return True
    if "type" in schema:
        return True
    members = schema.get("allOf")
    return isinstance(members, list) and any(_declares_type(m, follow, depth + 1) for m in members)


def _is_binary_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"
