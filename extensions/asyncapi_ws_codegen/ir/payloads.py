"""Template records of payload classes: fields, models and union decoders.

The schema compiler fills these with names, annotations and code fragments; the render stage
(:mod:`..render.payload_lines`) builds the lines of ``payloads.py`` from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..pytext.escaping import py_str
from .code_fragments import fill


@dataclass(frozen=True)
class Field:
    """One attribute of a payload, parameter or header class."""

    name: str
    wire_name: str
    annotation: str
    required: bool
    # Python source of the default (``None``, ``UNSET``, a literal) when the field is optional.
    default: str | None
    # Python expressions with ``$`` (``code_fragments.HOLE``) standing for the value being converted.
    encode: str
    decode: str
    description: str
    # Optional but allowed to be null: absent is ``UNSET``, null is ``None``.
    uses_unset: bool
    # A Python literal for an example value (used by the generated tests).
    example: str
    # Optional with a schema ``default``: absent reads as the default and is omitted again on output.
    applies_default: bool = False
    # Required with a ``const``: always that value (``default``), not a constructor argument.
    fixed: bool = False

    @property
    def default_differs(self) -> str:
        """The comparison (``!= 0``, ``is not True``) telling a value apart from the default."""
        operator = "is not" if self.default in ("None", "True", "False") else "!="
        return f"{operator} {self.default}"

    @property
    def local_name(self) -> str:
        """The local variable a long required value is decoded into before the constructor call."""
        return f"f_{self.name}"

    @property
    def wire_literal(self) -> str:
        """The wire name as a Python string literal."""
        return py_str(self.wire_name)

    @property
    def encoded(self) -> str:
        """Expression converting ``self.<name>`` to JSON data."""
        return fill(self.encode, f"self.{self.name}")

    @property
    def decoded(self) -> str:
        """Expression converting ``data[<wire name>]`` from JSON data."""
        return fill(self.decode, f"data[{self.wire_literal}]")

    @property
    def decoded_whole(self) -> str:
        """Expression converting the whole ``data`` (wrapper classes)."""
        return fill(self.decode, "data")


@dataclass(frozen=True)
class Model:
    """A generated dataclass (payload, component schema, headers)."""

    class_name: str
    description: str
    fields: tuple[Field, ...]
    # Key of this model's JSON Schema in the package's schemas.json ("" when not validated alone).
    schema_key: str
    # For non-object payloads the class wraps one value in the field ``value``.
    is_wrapper: bool
    # Extra properties allowed by the schema are kept in ``additional_properties``.
    extra_annotation: str | None
    extra_encode: str
    extra_decode: str
    example_json: str
    # Whether the example was checked against every constraint the synthesiser understands.
    example_checked: bool = True
    # Whether the example is one of the document's own (a message example), not a synthesised one.
    example_from_document: bool = False
    # `properties` without `type`: JSON values other than objects are valid too (in ``non_object``).
    accepts_non_objects: bool = False
    # JSON text of a value the schema rejects (``None`` when the schema accepts every JSON value).
    invalid_json: str | None = None
    # A wrapper of ``bytes`` sent as binary frames (``format: binary``, ``application/octet-stream``).
    is_binary: bool = False
    # Symbols the class needs in the module (``datetime``, ``to_data``, ``union``, ``unset``...).
    needs: frozenset[str] = frozenset()
    # Module-level union decoders placed before the class.
    decoders: tuple[UnionDecoder, ...] = ()

    @property
    def docstring_example(self) -> str:
        """The document's example for the class docstring ("" when synthesised, or too long)."""
        text = self.example_json
        short = len(text) <= 60 and text.isascii() and text.isprintable() and "\\" not in text
        return text if self.example_from_document and short else ""

    @property
    def required_fields(self) -> tuple[Field, ...]:
        """Fields the constructor needs (a required ``const`` is no argument: it has one value)."""
        return tuple(f for f in self.fields if f.required and not f.fixed)

    @property
    def fixed_fields(self) -> tuple[Field, ...]:
        """Required ``const`` fields, set to their value by the class itself."""
        return tuple(f for f in self.fields if f.fixed)

    @property
    def defaulted_fields(self) -> tuple[Field, ...]:
        """Fields whose schema default is applied when the property is absent."""
        return tuple(f for f in self.fields if f.applies_default)

    @property
    def extra_encoded(self) -> str:
        """Expression converting one extra property ``value`` to JSON data."""
        return fill(self.extra_encode, "value")

    @property
    def extra_decoded(self) -> str:
        """Expression converting one extra property ``value`` from JSON data."""
        return fill(self.extra_decode, "value")


@dataclass(frozen=True)
class UnionCase:
    """One way a union decoder builds a value: when ``test`` holds, ``decode`` of ``data``."""

    # A Python literal: the discriminator value, or the schema pointer to try (``""``: always).
    test: str
    decode: str


@dataclass(frozen=True)
class UnionDecoder:
    """A module-level function turning JSON data into one of a union's types."""

    name: str
    # The discriminating property as a Python literal, when the options have one.
    tag_literal: str | None
    cases: tuple[UnionCase, ...]
    tries: tuple[UnionCase, ...]
