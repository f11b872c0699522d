"""The lines of ``payloads.py`` that hold spec-derived code: attributes, conversions, decoders.

Each function builds one statement line of a record at its indentation in the template, marked
with :func:`~.layout.fitted` when it is too long. The records hold the values (names, annotations,
expressions); where a line goes is the template's business.

The functions share one shape (an f-string, fitted) on purpose: one named function per line of
the template keeps ``{{ field | attribute_line }}`` readable there, and a table of format strings
would hide which attributes each line reads.
"""

from __future__ import annotations

from ..ir import Alias, Field, Model, UnionCase, UnionDecoder
from ..pytext.escaping import py_str
from .layout import LINE_LENGTH, fitted

# Indentation of statements in the generated methods: method body, inside an ``if`` in it.
_BODY = " " * 8
_NESTED = " " * 12


def attribute_line(item: Field) -> str:
    """The dataclass attribute line (``name: annotation = default``)."""
    if item.default is None:
        return fitted(f"    {item.name}: {item.annotation}")
    if item.fixed:
        return fitted(f"    {item.name}: {item.annotation} = field(default={item.default}, init=False)")
    return fitted(f"    {item.name}: {item.annotation} = {item.default}")


def encode_guard_line(item: Field) -> str:
    """The ``if`` line before an optional property is written (absent values are not)."""
    if item.uses_unset:
        test = f"not isinstance(self.{item.name}, Unset)"
    elif item.applies_default:
        test = f"{item.wire_literal} not in self._absent or self.{item.name} {item.default_differs}"
    else:
        test = f"self.{item.name} is not None"
    return fitted(f"{_BODY}if {test}:")


def decode_guard_line(item: Field) -> str:
    """The ``if`` line before an optional property is read."""
    return fitted(f"{_BODY}if {item.wire_literal} in data:")


def encode_line(item: Field, indent: int) -> str:
    """``data[<wire name>] = <encoded>`` at ``indent``."""
    return fitted(f"{' ' * indent}data[{item.wire_literal}] = {item.encoded}")


def decode_line(item: Field, indent: int) -> str:
    """``instance.<name> = <decoded>`` at ``indent``."""
    return fitted(f"{' ' * indent}instance.{item.name} = {item.decoded}")


def needs_local(item: Field) -> bool:
    """Whether ``<name>=<decoded>,`` is too long for a constructor argument line.

    Such a value is decoded into a local variable (:func:`local_line`) before the call.
    """
    return len(f"{_NESTED}{item.name}={item.decoded},") > LINE_LENGTH


def local_line(item: Field) -> str:
    """``f_<name> = <decoded>`` (see :func:`needs_local`)."""
    return fitted(f"{_BODY}{item.local_name} = {item.decoded}")


def class_line(model: Model) -> str:
    """The ``class`` statement."""
    base = "BinaryModel" if model.is_binary else "Model"
    return fitted(f"class {model.class_name}({base}):")


def schema_pointer_line(model: Model) -> str:
    """``SCHEMA_POINTER = "..."``."""
    return fitted(f"    SCHEMA_POINTER = {py_str(model.schema_key)}")


def wrapper_encode_line(model: Model) -> str:
    """The ``return`` of a wrapper's ``to_json_data``."""
    return fitted(f"{_BODY}return {model.fields[0].encoded}")


def wrapper_decode_line(model: Model) -> str:
    """The ``return`` of a wrapper's ``_from_valid_data``."""
    return fitted(f"{_BODY}return cls(value={model.fields[0].decoded_whole})")


def extra_encode_line(model: Model) -> str:
    """Copying one additional property into the JSON data (inside a ``for`` and an ``if``)."""
    return fitted(f"{' ' * 16}data[key] = {model.extra_encoded}")


def extra_decode_line(model: Model) -> str:
    """Copying one additional property from the JSON data (inside an ``if``, a ``for``, an ``if``)."""
    return fitted(f"{' ' * 20}instance.additional_properties[key] = {model.extra_decoded}")


def message_alias_line(alias: Alias) -> str:
    """``Name = Target``: a message name for a payload class of another name."""
    return fitted(f"{alias.name} = {alias.target}")


def decoder_def_line(decoder: UnionDecoder) -> str:
    """The ``def`` statement of a union decoder."""
    return fitted(f"def {decoder.name}(data: Any) -> Any:")


def tag_line(case: UnionCase) -> str:
    """``if tag == <value>:``."""
    return fitted(f"    if tag == {case.test}:")


def match_line(case: UnionCase) -> str:
    """``if matches(<pointer>, data):``."""
    return fitted(f"    if matches({case.test}, data):")


def return_line(case: UnionCase, indent: int) -> str:
    """``return <decode>`` at ``indent``."""
    return fitted(f"{' ' * indent}return {case.decode}")
