"""What ``payloads.py`` is made of beyond the IR: aliases of long annotations, its typing imports.

An attribute line must fit the line length whatever the spec's names are: an annotation too long
for its line is declared before the class as a module-level alias (``<Class><Attribute>Type``),
and the attribute uses the alias.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..ir import Api, Model
from ..pytext.escaping import py_str
from ..pytext.identifiers import Namespace, pascal_case
from .layout import LINE_LENGTH, fitted
from .payload_lines import attribute_line

# Where an annotation starts on its line: after the indentation, or after ``    <name>: ``.
_INDENT = 4
_EXTRA_ATTRIBUTE = "additional properties"


@dataclass(frozen=True)
class TypeAliasDef:
    """A module-level alias for an annotation too long for its attribute line."""

    name: str
    annotation: str


@dataclass(frozen=True)
class ModelLayout:
    """One payload class as laid out: the aliases placed before it and its attribute lines."""

    model: Model
    aliases: tuple[TypeAliasDef, ...]
    # One ``name: annotation = default`` line per field, in field order.
    attribute_lines: tuple[str, ...]
    # The annotation of ``additional_properties`` (or its alias), when the class keeps them.
    extra_annotation: str | None


@dataclass(frozen=True)
class PayloadsModule:
    """The layout of ``payloads.py``: one :class:`ModelLayout` per model, in model order."""

    models: tuple[ModelLayout, ...]
    # Names ``payloads.py`` imports from ``typing``.
    typing_imports: tuple[str, ...]


def payloads_module(api: Api) -> PayloadsModule:
    """The layout of ``payloads.py`` for ``api``; alias names are unique across the module."""
    names = Namespace()
    models = tuple(_model_layout(model, names) for model in api.models)
    typing: tuple[str, ...] = ()
    if api.json_models:
        extra = {"TypeAlias"} if any(layout.aliases for layout in models) else set()
        if any(model.defaulted_fields or model.extra_annotation for model in api.models):
            extra.add("ClassVar")
        typing = tuple(sorted({"Any", "Self", *extra, *api.typing_imports}))
    return PayloadsModule(models=models, typing_imports=typing)


def _model_layout(model: Model, names: Namespace) -> ModelLayout:
    aliases: list[TypeAliasDef] = []

    def short(what: str, annotation: str, used: int, default: str | None = None) -> str:
        """``annotation``, or an alias of it when the line would be too long."""
        tail = f" = {default}" if default is not None else ""
        if used + len(annotation) + len(tail) <= LINE_LENGTH:
            return annotation
        alias = names.claim(f"{model.class_name}{pascal_case(what)}Type")
        aliases.append(TypeAliasDef(alias, annotation))
        return alias

    lines = []
    for item in model.fields:
        # A wrapper's one field is checked from the indentation on, as it always was.
        used = _INDENT if model.is_wrapper else _INDENT + len(item.name) + 2
        default = f"field(default={item.default}, init=False)" if item.fixed else item.default
        annotation = short(item.name, item.annotation, used, default)
        lines.append(attribute_line(replace(item, annotation=annotation)))
    extra = model.extra_annotation
    if extra is not None:
        extra = short(_EXTRA_ATTRIBUTE, extra, _INDENT)
    return ModelLayout(model=model, aliases=tuple(aliases), attribute_lines=tuple(lines), extra_annotation=extra)


def type_alias_line(alias: TypeAliasDef) -> str:
    """``Name: TypeAlias = "annotation"`` (a string: ``mypy`` reads it, nothing runs it)."""
    return fitted(f"{alias.name}: TypeAlias = {py_str(alias.annotation)}")
