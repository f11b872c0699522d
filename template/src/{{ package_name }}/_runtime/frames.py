"""Frames and message kinds: how a message is recognised, read from and written to the wire.

The client side (:mod:`.client`, :mod:`.requests`) and the server side (:mod:`.server`) decode
frames the same way:

* a frame is parsed at most once, however many subscriptions or registrations look at it;
* each message class comes with a :class:`Kind`: a cheap pre-filter built from the properties its
  schema fixes to one value (``"event": "ping"``), the binary flag and the correlation-id pointer;
* a message is built from the parsed data directly (validated first unless told not to); it is
  never re-serialised to be checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, Self

from .errors import PayloadDecodeError, PayloadError
from .jsontext import decode_text, encode_text
from .pointer import get_pointer, pointer_tokens

MISSING: Any = object()
"""What a reader returns for a frame its pre-filter rules out (not this message type)."""


class Payload(Protocol):
    """What every generated payload class provides."""

    def to_json_data(self) -> Any:
        """Convert to JSON data (dicts, lists, str, numbers, bool, None)."""

    @classmethod
    def validate_data(cls, data: Any) -> None:
        """Raise ``PayloadValidationError`` unless ``data`` matches the schema."""

    @classmethod
    def from_json_data(cls, data: Any, *, validate: bool = True) -> Self:
        """Build an instance from JSON data."""

    @classmethod
    def _checker(cls) -> Callable[[Any], None] | None:
        """The schema check of ``validate_data``, or ``None``."""

    @classmethod
    def _decoder(cls, validate: bool) -> Callable[[Any], Self]:
        """``from_json_data`` with its option fixed."""


# -- message kinds and frames -----------------------------------------------------------------


class Kind:
    """How one message class is recognised, encoded and decoded on the wire."""

    __slots__ = ("_readers", "_writers", "binary", "checks", "cls", "correlation")

    def __init__(
        self,
        cls: type[Payload],
        *,
        binary: bool = False,
        discriminator: Iterable[tuple[str, Any, bool]] = (),
        correlation: str = "",
    ) -> None:
        self.cls = cls
        self.binary = binary
        self.checks = tuple(discriminator)
        self.correlation = pointer_tokens(correlation) if correlation else None
        self._readers: dict[bool, Callable[[Any], Any]] = {}
        self._writers: dict[bool, Callable[[Any], str | bytes]] = {}

    def admits(self, data: Any) -> bool:
        """Whether ``data`` can be this message at all (never false for a valid instance)."""
        if not self.checks or type(data) is not dict:
            return True
        for wire, value, required in self.checks:
            got = data.get(wire, MISSING)
            if got is MISSING:
                if required:
                    return False
            elif got != value:
                return False
        return True

    def correlation_id(self, data: Any) -> Any:
        """The correlation id inside ``data``, or ``None``."""
        tokens = self.correlation
        if tokens is None:
            return None
        if len(tokens) == 1 and type(data) is dict:  # the usual ``$message.payload#/id``
            return data.get(tokens[0])
        return get_pointer(data, tokens)

    # A frame costs one call of a function made once per kind and option: the per-frame path
    # looks nothing up and branches on nothing it could know in advance.

    def reader(self, validate: bool) -> Callable[[Any], Any]:
        """The function from a frame's content to this kind's message, or ``MISSING``.

        It takes the parsed JSON data of a text kind and the raw frame of a binary kind, and
        returns ``MISSING`` when the pre-filter (or, for a binary kind, a text frame) rules the
        message out. It raises :class:`PayloadError` when the frame passes the pre-filter but is
        not a valid message.
        """
        read = self._readers.get(validate)
        if read is None:
            read = self._readers[validate] = self._make_reader(validate)
        return read

    def writer(self, validate: bool) -> Callable[[Any], str | bytes]:
        """The function from a message's JSON data to its frame, checking the data when asked.

        It raises :class:`PayloadValidationError` when the check fails.
        """
        write = self._writers.get(validate)
        if write is None:
            write = self._writers[validate] = self._make_writer(validate)
        return write

    def _make_reader(self, validate: bool) -> Callable[[Any], Any]:
        one_fixed = not self.binary and len(self.checks) == 1 and self.checks[0][2]
        # A class that offers it (generated payloads do) applies the usual pre-filter, one
        # required fixed property (``"event": "ping"``), in the same call as the check and build.
        make_fixed = getattr(self.cls, "_fixed_decoder", None) if one_fixed else None
        if make_fixed is not None:
            wire, value = self.checks[0][:2]
            fixed: Callable[[Any], Any] = make_fixed(validate, wire, value)
            return fixed
        decode = self.cls._decoder(validate)
        if self.binary:

            def read_bytes(raw: Any) -> Any:
                return MISSING if isinstance(raw, str) else decode(raw)

            return read_bytes
        if not self.checks:
            return decode
        if one_fixed:
            wire, value = self.checks[0][:2]

            def read_one(data: Any) -> Any:
                if type(data) is dict and data.get(wire, MISSING) != value:
                    return MISSING
                return decode(data)

            return read_one
        admits = self.admits

        def read(data: Any) -> Any:
            return decode(data) if admits(data) else MISSING

        return read

    def _make_writer(self, validate: bool) -> Callable[[Any], str | bytes]:
        if self.binary:

            def write_bytes(data: Any) -> str | bytes:
                return encode_data(data, self)

            return write_bytes
        check = self.cls._checker() if validate else None
        if check is None:
            return encode_json
        # A class that offers it (generated payloads do) lets the writer call the quick,
        # accept-only part of the check itself: the full check runs only when it cannot say yes.
        make_accept = getattr(self.cls, "_acceptor", None)
        accept: Callable[[Any], bool] | None = None if make_accept is None else make_accept()
        if accept is None:
            accept = _never

        def write_checked(data: Any) -> str | bytes:
            if not accept(data):
                check(data)
            try:  # encode_json, written out: a call less per message
                return encode_text(data)
            except (ValueError, TypeError) as exc:
                raise PayloadError(f"cannot send as JSON: {exc}") from None

        return write_checked


def _never(data: Any) -> bool:
    return False


def correlate(request: Payload, reply: Any, kinds: Mapping[type[Any], Kind]) -> Any:
    """``reply`` carrying ``request``'s correlation id (when both messages declare one).

    Example:
        With ``ping`` a request whose message declares a correlation id, and ``Pong`` its reply::

            pong = correlate(ping, Pong(event="pong"), channels._KINDS)
    """
    request_kind, reply_kind = kinds.get(type(request)), kinds.get(type(reply))
    if request_kind is None or reply_kind is None or not reply_kind.correlation:
        return reply
    value = request_kind.correlation_id(request.to_json_data())
    if value is None:
        return reply
    data = reply.to_json_data()
    parent = get_pointer(data, reply_kind.correlation[:-1])
    if not isinstance(parent, dict):
        return reply
    parent[reply_kind.correlation[-1]] = value
    return type(reply).from_json_data(data, validate=False)


def encode_json(data: Any) -> str:
    """Compact JSON text of message data.

    Raises:
        PayloadError: the data holds what JSON cannot carry (NaN, an infinity, a non-JSON object).
    """
    try:
        return encode_text(data)
    except (ValueError, TypeError) as exc:
        raise PayloadError(f"cannot send as JSON: {exc}") from None


def encode_data(data: Any, kind: Kind | None) -> str | bytes:
    """Turn JSON data into a frame: compact JSON text, raw bytes for binary messages."""
    if kind is not None and kind.binary:
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
        return str(data).encode()
    return encode_json(data)


def encode(
    message: Payload, *, validate: bool, kinds: Mapping[type[Any], Kind] | None = None
) -> str | bytes:
    """Serialise a payload to a frame, validating it first when asked.

    Raises:
        PayloadValidationError: the message does not match its schema.
    """
    kind = kinds.get(type(message)) if kinds else None
    if kind is not None:
        return kind.writer(validate)(message.to_json_data())
    data = message.to_json_data()
    if validate:
        type(message).validate_data(data)
    return encode_json(data)


def parse_frame(raw: str | bytes) -> Any:
    """The JSON data of a frame (text, or UTF-8 bytes).

    Raises:
        PayloadDecodeError: the frame is not valid JSON.
    """
    try:
        return decode_text(raw if isinstance(raw, str) else raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _not_json(exc) from None


def _not_json(exc: Exception) -> PayloadDecodeError:
    if isinstance(exc, RecursionError):
        return PayloadDecodeError("frame is not valid JSON: nested too deeply to parse")
    return PayloadDecodeError(f"frame is not valid JSON: {exc}")


class Frame:
    """One received frame, parsed lazily and at most once."""

    __slots__ = ("_data", "_error", "raw")

    def __init__(self, raw: str | bytes) -> None:
        self.raw = raw
        self._data: Any = MISSING
        self._error: PayloadError | None = None

    @property
    def parse_error(self) -> PayloadError | None:
        """Why the frame is not JSON, once :meth:`data` found out."""
        return self._error

    def data(self) -> Any:
        """The parsed JSON data.

        Raises:
            PayloadDecodeError: the frame is not valid JSON.
        """
        data = self._data
        if data is not MISSING:
            return data
        error = self._error
        if error is None:
            raw = self.raw  # parse_frame, inlined: one call less for every frame
            try:
                data = self._data = decode_text(
                    raw if isinstance(raw, str) else raw.decode("utf-8")
                )
                return data
            except (ValueError, UnicodeDecodeError, RecursionError) as exc:
                error = self._error = _not_json(exc)
        raise error

    def decode(self, kind: Kind, validate: bool) -> Any:
        """Build ``kind``'s message from this frame, or return ``MISSING`` when it cannot be.

        Raises:
            PayloadError: the frame passes ``kind``'s pre-filter but is not a valid message.
        """
        return kind.reader(validate)(self.raw if kind.binary else self.data())


def tightest_first(kinds: Sequence[Kind]) -> list[Kind]:
    """``kinds`` ordered by how many properties their class declares, fewest first (stable).

    With :func:`decode_first` preferring a class that declares every property of the frame, this
    picks the best fit among overlapping schemas: ``{"text": ""}`` is a one-field ``Close``
    rather than a six-field ``Open`` whose other fields are optional.
    """

    def size(kind: Kind) -> int:
        cls = kind.cls
        return len(dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else 1 << 16

    return sorted(kinds, key=size)


def decode_first(frame: Frame, kinds: Sequence[Kind], validate: bool) -> tuple[Any, Kind | None]:
    """The first of ``kinds`` that ``frame`` decodes as: ``(message, kind)``.

    When several kinds accept the frame, one that declares all of its properties (nothing left in
    ``additional_properties``) wins over an earlier one that merely tolerates them. Returns
    ``(MISSING, None)`` when every pre-filter rejects the frame.

    Raises:
        PayloadError: the frame is not JSON, or a kind admitted it but it is invalid (the first
            such error, when no other kind accepts it).
    """
    if len(kinds) == 1:  # the common case: nothing to compare, errors go straight up
        message = frame.decode(kinds[0], validate)
        return (MISSING, None) if message is MISSING else (message, kinds[0])
    error: PayloadError | None = None
    tolerated: tuple[Any, Kind] | None = None
    for kind in kinds:
        try:
            message = frame.decode(kind, validate)
        except PayloadDecodeError as exc:
            if exc is frame.parse_error:
                raise
            error = error or exc
            continue
        except PayloadError as exc:
            error = error or exc
            continue
        if message is MISSING:
            continue
        if getattr(message, "additional_properties", None):
            tolerated = tolerated or (message, kind)
            continue
        return message, kind
    if tolerated is not None:
        return tolerated
    if error is not None:
        raise error
    return MISSING, None
