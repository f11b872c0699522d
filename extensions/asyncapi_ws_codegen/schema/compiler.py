"""JSON Schema (the AsyncAPI Schema Object) -> typed Python models.

Each object schema with properties (``allOf`` members merged) becomes a dataclass; every other schema
becomes a type expression (``str``, ``list[Foo]``, ``Literal["a", 1, None]``, ``Dog | Cat``...) with the
code that converts a value to JSON data and back, so templates only place fragments. Types describe
what a valid value looks like; the validators always check the original schema (``schemas.json``), so
keywords a type cannot express (``not``, ``if``/``then``/``else``, bounds, patterns) are still enforced.

:class:`SchemaCompiler` builds the classes (object models, wrappers of other values, binary
wrappers) on top of :mod:`.schema_resolver` (``$ref`` resolution, object views),
:mod:`.schema_annotations` (types and their conversion code) and :mod:`.schema_unions` (unions and
their decoders).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import Location, SpecError
from ..examples.synthesiser import Synthesiser
from ..examples.value_checks import conforms, invalid, merged, scalar_ok
from ..ir.code_fragments import HOLE
from ..ir.payloads import Field, Model, TypeAliasDef
from ..pytext.identifiers import Namespace, pascal_case, snake_case
from ..pytext.line_length import LINE_LENGTH
from ..pytext.literals import python_literal
from .type_info import ObjectView, TypeInfo
from .unions import ModelDraft, UnionMapper

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


class SchemaCompiler(UnionMapper):
    """Turns schemas into models, sharing names and models across one document."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        super().__init__(document, origin)
        self.models: list[Model] = []
        self.names = Namespace(RESERVED_CLASS_NAMES)
        self._model_by_pointer: dict[str, str] = {}
        self.binary_classes: set[str] = set()
        self.uses_unset = False

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
        draft = ModelDraft()
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
        sample = Synthesiser(self._follow)
        example = sample.valid(schema)
        bad_ok, bad = invalid(schema, self._follow)
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
                example_checked=sample.confident and conforms(example, schema, self._follow) is True,
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
        draft = ModelDraft()
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
        sample = Synthesiser(self._follow)
        example = sample.valid(schema)
        bad_ok, bad = invalid(schema, self._follow)
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
                example_checked=sample.confident and conforms(example, schema, self._follow) is True,
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

    def _field(self, class_name: str, name: str, wire_name: str, info: TypeInfo, required: bool, schema: Any) -> Field:
        target = merged(schema, self._follow)
        target = target if isinstance(target, dict) else {}
        description = str(target.get("description") or target.get("title") or "")
        default_value = target.get("default")
        applies_default = (
            not required
            and "default" in target
            and (default_value is None or isinstance(default_value, (str, int, float, bool)))
            and (default_value is not None or info.nullable)
            and info.is_plain
            and scalar_ok(default_value, target)
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
            example=python_literal(Synthesiser(self._follow).valid(schema)),
            applies_default=applies_default,
        )

    def _short(
        self, class_name: str, what: str, annotation: str, used: int, draft: ModelDraft, default: str | None = None
    ) -> str:
        """``annotation``, or a module-level alias for it when the attribute line would be too long."""
        tail = f" = {default}" if default is not None else ""
        if used + len(annotation) + len(tail) <= LINE_LENGTH:
            return annotation
        alias = self._functions.claim(f"{class_name}{pascal_case(what)}Type")
        draft.aliases.append(TypeAliasDef(alias, annotation))
        draft.needs.add("TypeAlias")
        return alias


def _is_binary_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"


def _field_needs(item: Field) -> set[str]:
    needs = set()
    if item.uses_unset:
        needs.add("unset")
    if item.applies_default:
        needs.add("defaults")
    return needs


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


__all__ = ["RESERVED_CLASS_NAMES", "SchemaCompiler"]
