"""What the typing functions (:mod:`.json_types`, :mod:`.unions`, :mod:`.model_fields`) may ask of
the compiler that calls them: a protocol, so that they need not import the compiler.
"""

from __future__ import annotations

from typing import Any, Protocol

from .resolver import SchemaResolver
from .type_info import ModelDraft, TypeInfo


class TypeContext(Protocol):
    """The compiler as the typing functions see it (:mod:`.json_types`, :mod:`.unions`).

    They type the parts of a schema through :meth:`type_for`, which dispatches back to them, and
    record what the generated module needs on the innermost :attr:`draft`.
    """

    resolver: SchemaResolver
    # ``typing`` names the generated payload module imports.
    typing: set[str]
    # How deep :meth:`type_for` is nested: comprehension variables are numbered by it.
    depth: int

    @property
    def draft(self) -> ModelDraft:
        """The innermost model under construction."""
        ...

    def type_for(self, schema: Any, pointer: str, name_hint: str, *, own_pointer: bool = False) -> TypeInfo:
        """The Python type of a (possibly referenced) schema."""
        ...

    def model(self, schema: Any, pointer: str, name_hint: str, description: str = "") -> str:
        """The class name of an object schema (built once per pointer)."""
        ...
