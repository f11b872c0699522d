"""``$ref`` resolution and object shapes over one document, the ground floor of the schema compiler.

:class:`SchemaResolver` follows local references (recording every pointer the validators will need),
merges ``allOf`` members into one object view, and prunes the document down to ``schemas.json``.
"""

from __future__ import annotations

from typing import Any

from ..errors import Location, SpecError, join_pointer, pointer_target
from .type_info import ObjectView, object_constrained
from .validation_document import prune_document


class SchemaResolver:
    """Reads schemas of one document: references, pointers, object views."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        self.document = document
        self.origin = origin
        self.needed_pointers: set[str] = set()
        # Pointers of schemas the document leaves out (a message without payload): the empty schema.
        self.absent_schemas: set[str] = set()

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
        try:
            return pointer_target(self.document, target)
        except KeyError:
            raise SpecError(
                Location(self.origin, referrer),
                f"`$ref` '#{target}' points at nothing",
                "fix the reference or add the missing definition",
            ) from None

    def follow(self, schema: Any) -> Any:
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

    # -- schemas.json -------------------------------------------------------------------------

    def schemas_document(self) -> dict[str, Any]:
        """The parts of the document the validators need, at their original pointers."""
        return prune_document(self.needed_pointers, self.absent_schemas, self.node_at)


def _narrow_additional(current: Any, new: Any) -> Any:
    """Combine two ``additionalProperties`` settings as ``allOf`` does: the stricter wins."""
    if current is False or new is False:
        return False
    if current is True:
        return new
    return current
