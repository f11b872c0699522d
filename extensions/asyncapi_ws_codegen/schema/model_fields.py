"""The fields of a generated class: attribute names, annotations, defaults, examples.

An optional property becomes ``X | None = None``, or ``X | Unset = UNSET`` when ``null`` is a value
of its own, or keeps a schema ``default`` that a scalar can express. An annotation too long for its
attribute line becomes a module-level alias (``payloads.py`` places it before the class).
"""

from __future__ import annotations

import json
from typing import Any

from ..examples.synthesiser import Synthesiser
from ..examples.value_checks import Resolver, conforms, invalid, merged, scalar_ok
from ..ir import Field, TypeAliasDef
from ..pytext.identifiers import Namespace, pascal_case, snake_case
from ..pytext.line_length import LINE_LENGTH
from ..pytext.literals import python_literal
from .type_context import TypeContext
from .type_info import ModelDraft, ObjectView, TypeInfo

# Attribute names the generated base classes use themselves.
_FIELD_RESERVED = ("additional_properties", "validate", "marshal", "unmarshal", "value")


class FieldMaker:
    """Makes the fields of the classes of one document; long annotations get aliases in ``functions``."""

    def __init__(self, functions: Namespace) -> None:
        # Module-level names of the generated code (decoders, type aliases), shared by all models.
        self._functions = functions

    def object_fields(self, ctx: TypeContext, class_name: str, view: ObjectView) -> list[Field]:
        """A field per property of an object view, in document order."""
        names = Namespace(_FIELD_RESERVED)
        fields = []
        for wire_name, (prop, prop_pointer) in view.properties.items():
            info = ctx.type_for(prop, prop_pointer, f"{class_name} {wire_name}")
            name = names.claim(snake_case(wire_name))
            fields.append(self._field(ctx, class_name, name, wire_name, info, wire_name in view.required, prop))
        return fields

    def _field(
        self, ctx: TypeContext, class_name: str, name: str, wire_name: str, info: TypeInfo, required: bool, schema: Any
    ) -> Field:
        follow = ctx.resolver.follow
        target = merged(schema, follow)
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
        else:
            annotation, default, uses_unset = f"{info.annotation} | None", "None", False
        ctx.draft.needs.update(info.needs)
        return Field(
            name=name,
            wire_name=wire_name,
            annotation=self.short(class_name, name, annotation, 4 + len(name) + 2, ctx.draft, default),
            required=required,
            default=default,
            encode=info.encode,
            decode=info.decode,
            description=description,
            uses_unset=uses_unset,
            example=python_literal(Synthesiser(follow).valid(schema)),
            applies_default=applies_default,
        )

    def short(
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


def field_needs(item: Field) -> set[str]:
    """Runtime helpers a field needs in the generated module."""
    needs = set()
    if item.uses_unset:
        needs.add("unset")
    if item.applies_default:
        needs.add("defaults")
    return needs


def example_texts(schema: Any, follow: Resolver) -> tuple[str, bool, str | None]:
    """JSON text of a valid example, whether it was checked, and of an invalid one (if any)."""
    sample = Synthesiser(follow)
    example = sample.valid(schema)
    bad_ok, bad = invalid(schema, follow)
    checked = sample.confident and conforms(example, schema, follow) is True
    return json_text(example), checked, json_text(bad) if bad_ok else None


def json_text(value: Any) -> str:
    """Deterministic JSON text of a value (sorted keys, non-ASCII kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
