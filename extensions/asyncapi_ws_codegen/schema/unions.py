"""``oneOf``/``anyOf`` -> Python unions, with a decoder function where values need converting.

A union of plain JSON types is just an annotation. When an option converts its value (a model, a
date), the generated module gets a decoder function: it dispatches on a discriminating property when
the options have one (declared in a ``discriminator``, or a ``const`` property they all carry), then
tries the options in order, each checked against its own schema where it has one.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import join_pointer
from ..examples.value_checks import Resolver, merged
from ..ir import UnionCase, UnionDecoder
from ..ir.code_fragments import fill
from ..pytext.escaping import py_str
from ..pytext.identifiers import Namespace, snake_case
from ..pytext.literals import python_literal
from .annotations import union_annotation
from .resolver import SchemaResolver
from .type_context import TypeContext
from .type_info import ObjectView, TypeInfo, literal_value_ok


class UnionTyper:
    """Types ``oneOf``/``anyOf`` schemas; a decoder goes to the innermost model under construction.

    Decoders are module-level functions of the generated module, one per union pointer.
    """

    def __init__(self) -> None:
        self._functions = Namespace()
        self._decoder_by_pointer: dict[str, str] = {}

    def union_type(
        self, ctx: TypeContext, schema: dict[str, Any], key: str, options: list[Any], pointer: str, name_hint: str
    ) -> TypeInfo:
        """The type of a schema whose ``key`` (``oneOf``/``anyOf``) lists ``options``."""
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator", "description", "title")}
        infos: list[tuple[TypeInfo, str, Any]] = []
        for index, option in enumerate(options):
            option_pointer = join_pointer(pointer, key, index)
            target, target_pointer = ctx.resolver.resolve(option, option_pointer)
            hint = f"{name_hint} {key} option {index + 1}"
            if target_pointer != option_pointer and target_pointer.startswith("/components/"):
                hint = target_pointer.rsplit("/", 1)[-1]
            # An option without `type` takes the union's, except `object`: an object schema is read
            # as one without its `type`, and the option keeps its own pointer for validation.
            if base.get("type") not in (None, "object") and isinstance(target, dict) and "type" not in target:
                target = {**target, "type": base["type"]}
                target_pointer = target_pointer + "/x-merged"
            infos.append((ctx.type_for(target, target_pointer, hint), target_pointer, target))
        annotation = union_annotation([info.annotation for info, _, _ in infos])
        nullable = any(info.nullable for info, _, _ in infos)
        if annotation == "Any" or all(info.is_plain for info, _, _ in infos):
            if annotation == "Any":
                ctx.typing.add("Any")
            return TypeInfo(annotation, nullable=nullable, needs=frozenset().union(*(i.needs for i, _, _ in infos)))
        decoder = self._decoder_by_pointer.get(pointer)
        if decoder is None:
            decoder = self._functions.claim(f"_decode_{snake_case(name_hint)[:40].rstrip('_')}")
            self._decoder_by_pointer[pointer] = decoder
            ctx.draft.decoders.append(_decoder(ctx.resolver, decoder, schema, infos))
        needs = frozenset({"to_data", "union"}).union(*(info.needs for info, _, _ in infos))
        ctx.draft.needs.update(needs)
        return TypeInfo(annotation, encode="to_data($)", decode=f"{decoder}($)", nullable=nullable, needs=needs)


def _decoder(
    resolver: SchemaResolver, name: str, schema: dict[str, Any], infos: list[tuple[TypeInfo, str, Any]]
) -> UnionDecoder:
    tag_property, tags = _tags(resolver, schema, infos)
    cases: list[UnionCase] = []
    tries: list[UnionCase] = []
    for (info, option_pointer, _), tag in zip(infos, tags, strict=True):
        decode = fill(info.decode, "data")
        if tag is not None:
            cases.append(UnionCase(python_literal(tag), decode))
        real = "/x-merged" not in option_pointer
        if real:
            resolver.needed_pointers.add(option_pointer)
        tries.append(UnionCase(py_str(option_pointer) if real else "", decode))
    return UnionDecoder(
        name=name,
        tag_literal=py_str(tag_property) if tag_property is not None else None,
        cases=tuple(cases),
        tries=tuple(tries),
    )


def _tags(
    resolver: SchemaResolver, schema: dict[str, Any], infos: list[tuple[TypeInfo, str, Any]]
) -> tuple[str | None, list[Any]]:
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
    views = [resolver.object_view(target, p) if isinstance(target, dict) else None for _, p, target in infos]
    if prop is None:
        prop = _common_const_property(views, resolver.follow)
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
            tag = _const_of(view.properties[prop][0], resolver.follow)
        if tag is None and view is not None and discriminator is not None and option_pointer.startswith("/components/"):
            tag = option_pointer.rsplit("/", 1)[-1]
        tags.append(tag if view is not None else None)
    seen = [t for t in tags if t is not None]
    if len(seen) != len({json.dumps(t) for t in seen}):
        return None, [None] * len(infos)
    return prop, tags


def _const_of(schema: Any, follow: Resolver) -> Any:
    target = merged(schema, follow)
    if not isinstance(target, dict):
        return None
    if "const" in target and literal_value_ok(target["const"]):
        return target["const"]
    enum = target.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and literal_value_ok(enum[0]):
        return enum[0]
    return None


def _common_const_property(views: list[ObjectView | None], follow: Resolver) -> str | None:
    objects = [v for v in views if v is not None]
    if len(objects) < 2:
        return None
    for name in objects[0].properties:
        if all(name in v.properties and _const_of(v.properties[name][0], follow) is not None for v in objects):
            return name
    return None
