"""The fields of a generated class: attribute names, annotations, defaults, examples.

An optional property becomes ``X | None = None``, or ``X | Unset = UNSET`` when ``null`` is a value
of its own, or keeps a schema ``default`` that a scalar can express. Annotations are kept whole:
the render stage gives one too long for its line a module-level alias.
"""

from __future__ import annotations

import json
from typing import Any

from ..examples.synthesiser import Synthesiser
from ..examples.value_checks import Resolver, conforms, invalid, merged, scalar_ok
from ..ir import Field
from ..pytext.identifiers import Namespace, snake_case
from ..pytext.literals import python_literal
from .type_context import TypeContext
from .type_info import ObjectView, TypeInfo, literal_value_ok

# Attribute names the generated base classes use themselves.
_FIELD_RESERVED = ("additional_properties", "validate", "marshal", "unmarshal", "value", "non_object")


def object_fields(ctx: TypeContext, class_name: str, view: ObjectView) -> list[Field]:
    """A field per property of an object view, in document order."""
    names = Namespace(_FIELD_RESERVED)
    fields = []
    for wire_name, (prop, prop_pointer) in view.properties.items():
        info = ctx.type_for(prop, prop_pointer, f"{class_name} {wire_name}")
        name = names.claim(snake_case(wire_name))
        fields.append(_field(ctx, name, wire_name, info, wire_name in view.required, prop))
    return fields


def _field(ctx: TypeContext, name: str, wire_name: str, info: TypeInfo, required: bool, schema: Any) -> Field:
    follow = ctx.resolver.follow
    target = merged(schema, follow)
    target = target if isinstance(target, dict) else {}
    description = str(target.get("description") or target.get("title") or "")
    # A `const` (or a one-value `enum`, as Slack writes its tags) is the property's only value: a
    # required one is set by the class (no constructor argument), an optional one defaults to it,
    # so a message's tag is never forgotten.
    const = _only_value(target)
    fixed = required and literal_value_ok(const) and const is not None and info.is_plain
    has_default = "default" in target or (const is not None and literal_value_ok(const))
    default_value = target.get("default", const)
    applies_default = (
        not required
        and has_default
        and (default_value is None or isinstance(default_value, (str, int, float, bool)))
        and (default_value is not None or info.nullable)
        and info.is_plain
        and scalar_ok(default_value, target)
    )
    if fixed:
        annotation, default, uses_unset = info.annotation, python_literal(const), False
    elif required:
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
        annotation=annotation,
        required=required,
        default=default,
        encode=info.encode,
        decode=info.decode,
        description=description,
        uses_unset=uses_unset,
        example=python_literal(Synthesiser(follow).valid(schema)),
        applies_default=applies_default,
        fixed=fixed,
    )


def _only_value(schema: dict[str, Any]) -> Any:
    """The one value a schema allows through ``const`` or a one-member ``enum`` (else ``None``)."""
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else None


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
