"""The base class of every generated payload class."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from ._validation import validator
from .errors import PayloadDecodeError, PayloadError


class Model:
    """Shared behaviour of payload classes: JSON text in and out, schema validation.

    Subclasses are dataclasses that implement :meth:`to_json_data` and :meth:`_from_valid_data`.
    """

    __slots__ = ()

    SCHEMA_POINTER: ClassVar[str] = ""

    def to_json_data(self) -> Any:
        """Convert to JSON data (dicts, lists, str, numbers, bool, None) with the wire names."""
        raise NotImplementedError

    @classmethod
    def _from_valid_data(cls, data: Any) -> Self:
        raise NotImplementedError

    @classmethod
    def validate_data(cls, data: Any) -> None:
        """Check JSON data against this class's JSON Schema.

        Raises:
            PayloadValidationError: with the JSON path and the failing keyword.
        """
        validator(cls.SCHEMA_POINTER)(data)

    @classmethod
    def from_json_data(cls, data: Any, *, validate: bool = True) -> Self:
        """Build an instance from JSON data, validating it first unless told not to.

        Raises:
            PayloadError: the data does not match the schema (or, unvalidated, the class).
        """
        if validate:
            cls.validate_data(data)
        try:
            return cls._from_valid_data(data)
        except PayloadError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            message = f"cannot build {cls.__name__} from the data: {exc!r}"
            raise PayloadDecodeError(message) from None

    def validate(self) -> None:
        """Check this instance against its JSON Schema.

        Raises:
            PayloadValidationError: with the JSON path and the failing keyword.
        """
        self.validate_data(self.to_json_data())

    def marshal(self) -> str:
        """Serialise to compact JSON text with the spec's wire names."""
        return json.dumps(self.to_json_data(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def unmarshal(
        cls, data: str | bytes | bytearray | Mapping[str, Any], *, validate: bool = True
    ) -> Self:
        """Parse JSON text (str or bytes) or take already-parsed data (a dict).

        Raises:
            PayloadDecodeError: the text is not JSON.
            PayloadValidationError: the data does not match the schema.
        """
        if isinstance(data, (str, bytes, bytearray)):
            try:
                data = json.loads(data)
            except (ValueError, UnicodeDecodeError) as exc:
                raise PayloadDecodeError(f"not valid JSON: {exc}") from None
        return cls.from_json_data(data, validate=validate)
