"""The base classes of every generated payload class, and helpers the generated code calls."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self, TypeVar

from .errors import PayloadDecodeError, PayloadError, PayloadValidationError
from .frames import MISSING
from .jsontext import decode_text
from .validation import SchemaValidator, validator


def parse_json(text: str | bytes | bytearray) -> Any:
    """Parse JSON text as strictly as frames (no ``NaN``, ``Infinity`` or lone surrogates; bytes
    must be UTF-8).

    Raises:
        PayloadDecodeError: the text is not JSON.
    """
    try:
        if not isinstance(text, str):
            text = text.decode("utf-8")
        return decode_text(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadDecodeError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise PayloadDecodeError("not valid JSON: nested too deeply to parse") from None


def dump_json(data: Any) -> str:
    """Compact JSON text; refuses values JSON cannot carry (NaN, infinities).

    Raises:
        PayloadError: ``data`` holds a value JSON cannot carry.
    """
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"cannot serialise to JSON: {exc}") from None
    except RecursionError:
        raise PayloadError("cannot serialise to JSON: nested too deeply") from None


def to_data(value: Any) -> Any:
    """Convert a value of any generated type (models, dates, containers of them) to JSON data."""
    if isinstance(value, Model):
        return value.to_json_data()
    if isinstance(value, list | tuple):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item) for key, item in value.items()}
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


M = TypeVar("M", bound="Model")


def non_object_instance(cls: type[M], data: Any) -> M:
    """An instance of ``cls`` holding a JSON value that is not an object, in ``non_object``.

    Only classes whose schema has ``properties`` but no ``type`` have ``non_object`` and call this:
    JSON Schema applies ``properties`` (and ``required``) to objects only, so such a schema accepts
    ``null``, numbers, strings and arrays as they are. Every other attribute of the instance reads
    its default, or ``None``.
    """
    instance = cls.__new__(cls)
    for item in dataclasses.fields(instance):  # type: ignore[arg-type]
        if item.default is not dataclasses.MISSING:
            value = item.default
        elif item.default_factory is not dataclasses.MISSING:
            value = item.default_factory()
        else:
            value = None
        object.__setattr__(instance, item.name, value)
    object.__setattr__(instance, "non_object", data)
    return instance


# (class, validate) -> the function from JSON data to an instance of the class.
_DECODERS: dict[tuple[type[Any], bool], Callable[[Any], Any]] = {}


def _make_decoder(cls: type[M], checker: SchemaValidator | None) -> Callable[[Any], M]:
    build = cls._from_valid_data
    name = cls.__name__

    def unchecked(data: Any) -> M:
        try:
            return build(data)
        except PayloadError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise PayloadDecodeError(f"cannot build {name} from the data: {exc!r}") from None

    if checker is None:
        return unchecked
    # The accept-only check answers most frames by itself: the full check runs only when it
    # cannot say yes (and then raises, or accepts what the quick one could not judge).
    accept, check = checker.accept, checker.check

    # The build is written out again rather than calling ``unchecked``: a call less per frame.
    def decode(data: Any) -> M:
        if not accept(data):
            check(data)
        try:
            return build(data)
        except PayloadError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise PayloadDecodeError(f"cannot build {name} from the data: {exc!r}") from None

    return decode


def _make_fixed_decoder(
    build: Callable[[Any], M],
    name: str,
    checker: SchemaValidator | None,
    fixed: tuple[str, Any],
) -> Callable[[Any], Any]:
    """The decoder of :func:`_make_decoder` behind the pre-filter of one fixed property.

    An object whose property ``fixed[0]`` is absent or not ``fixed[1]`` is another message type:
    ``MISSING``, before any check. Written out in one function with the check and the build, as a
    frame's reader runs it for every frame.
    """
    wire, value = fixed
    if checker is None:

        def decode_fixed(data: Any) -> Any:
            if type(data) is dict and data.get(wire, MISSING) != value:
                return MISSING
            try:
                return build(data)
            except PayloadError:
                raise
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                raise PayloadDecodeError(f"cannot build {name} from the data: {exc!r}") from None

        return decode_fixed
    accept, check = checker.accept, checker.check

    def decode_fixed_checked(data: Any) -> Any:
        # Data the accept-only check takes is valid, so it has the fixed value: the pre-filter
        # only runs for the rest.
        if not accept(data):
            if type(data) is dict and data.get(wire, MISSING) != value:
                return MISSING
            check(data)
        try:
            return build(data)
        except PayloadError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise PayloadDecodeError(f"cannot build {name} from the data: {exc!r}") from None

    return decode_fixed_checked


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
        if cls.SCHEMA_POINTER:
            validator(cls.SCHEMA_POINTER).check(data)

    @classmethod
    def from_json_data(cls, data: Any, *, validate: bool = True) -> Self:
        """Build an instance from JSON data, validating it first unless told not to.

        Raises:
            PayloadError: the data does not match the schema (or, unvalidated, the class).
        """
        return cls._decoder(validate)(data)

    @classmethod
    def _checker(cls) -> Callable[[Any], None] | None:
        """The schema check of :meth:`validate_data`; ``None`` for a class without a schema."""
        return validator(cls.SCHEMA_POINTER).check if cls.SCHEMA_POINTER else None

    @classmethod
    def _acceptor(cls) -> Callable[[Any], bool] | None:
        """The quick part of :meth:`_checker`: true only for valid data (false may still be
        valid, then ask the checker); ``None`` for a class without a schema."""
        return validator(cls.SCHEMA_POINTER).accept if cls.SCHEMA_POINTER else None

    @classmethod
    def _decoder(cls, validate: bool) -> Callable[[Any], Self]:
        """:meth:`from_json_data` with its option fixed, made once per class and option.

        Receiving code calls it for every frame, so nothing is looked up at call time.
        """
        key = (cls, validate)
        decode: Callable[[Any], Self] | None = _DECODERS.get(key)
        if decode is None:
            checker = validator(cls.SCHEMA_POINTER) if validate and cls.SCHEMA_POINTER else None
            decode = _DECODERS[key] = _make_decoder(cls, checker)
        return decode

    @classmethod
    def _fixed_decoder(cls, validate: bool, wire: str, value: Any) -> Callable[[Any], Any]:
        """:meth:`_decoder` behind a message kind's pre-filter (see :class:`.frames.Kind`).

        ``wire`` is a required property whose schema allows only ``value``: an object without
        it, or with another value, is another message type and gives ``MISSING`` rather than an
        error. One call per frame does the pre-filter, the check and the build.
        """
        checker = validator(cls.SCHEMA_POINTER) if validate and cls.SCHEMA_POINTER else None
        return _make_fixed_decoder(cls._from_valid_data, cls.__name__, checker, (wire, value))

    def validate(self) -> None:
        """Check this instance against its JSON Schema.

        Raises:
            PayloadValidationError: with the JSON path and the failing keyword.
        """
        self.validate_data(self.to_json_data())

    def marshal(self, *, validate: bool = False) -> str:
        """Serialise to compact JSON text with the spec's wire names.

        Args:
            validate: check the data against the schema first.

        Raises:
            PayloadValidationError: ``validate`` is set and the data does not match the schema.
        """
        data = self.to_json_data()
        if validate:
            self.validate_data(data)
        return dump_json(data)

    @classmethod
    def unmarshal(
        cls, data: str | bytes | bytearray | Mapping[str, Any] | Any, *, validate: bool = True
    ) -> Self:
        """Parse JSON text (str or bytes) or take already-parsed data (a dict, list...).

        Raises:
            PayloadDecodeError: the text is not JSON.
            PayloadValidationError: the data does not match the schema.
        """
        if isinstance(data, str | bytes | bytearray):
            data = parse_json(data)
        return cls.from_json_data(data, validate=validate)


class BinaryModel:
    """Shared behaviour of binary payload classes: the payload is ``value``, raw bytes.

    Binary payloads travel as binary frames; nothing is validated but that the value is bytes.
    """

    __slots__ = ()

    value: bytes

    def __init__(self, *, value: bytes) -> None:
        raise NotImplementedError

    def to_json_data(self) -> bytes:
        """The payload bytes (sent as a binary frame)."""
        return self.value

    @classmethod
    def validate_data(cls, data: Any) -> None:
        """Check that ``data`` is bytes.

        Raises:
            PayloadValidationError: ``data`` is not bytes.
        """
        if not isinstance(data, bytes | bytearray | memoryview):
            raise PayloadValidationError(
                f"expected bytes, got {type(data).__name__}", keyword="type"
            )

    @classmethod
    def from_json_data(cls, data: Any, *, validate: bool = True) -> Self:
        """Build an instance from the frame's bytes.

        Raises:
            PayloadValidationError: ``data`` is not bytes.
        """
        cls.validate_data(data)
        return cls(value=bytes(data))

    @classmethod
    def _checker(cls) -> Callable[[Any], None] | None:
        return cls.validate_data

    @classmethod
    def _decoder(cls, validate: bool) -> Callable[[Any], Self]:
        return cls.from_json_data  # checks the bytes whatever ``validate`` says

    def validate(self) -> None:
        """Check that ``value`` is bytes."""
        self.validate_data(self.value)

    def marshal(self, *, validate: bool = False) -> bytes:
        """The payload bytes."""
        return bytes(self.value)

    @classmethod
    def unmarshal(
        cls, data: bytes | bytearray | memoryview | str, *, validate: bool = True
    ) -> Self:
        """Take the payload bytes; a ``str`` is taken as its UTF-8 encoding."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        return cls.from_json_data(data)
