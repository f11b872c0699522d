"""Server side: a frame in, decoded by the kinds one registration receives; a reply out, written
with the request's correlation id.

What is settled once per connection (how a frame is decoded, how a reply of a given class is
written) is made here for the router's per-frame loop (:mod:`.server`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .frames import Frame, Kind, decode_first, encode, parse_frame
from .pointer import set_pointer_if_absent


def frame_decoder(
    kinds: Sequence[Kind], validate: bool
) -> Callable[[str | bytes], tuple[Any, Kind | None, Any]]:
    """Frame -> ``(message or MISSING, its kind, the JSON data a reply may need)``.

    One text message type (the usual case) takes two calls and no frame object; several types,
    or a binary one, go through :func:`decode_first`.
    """
    if len(kinds) == 1 and not kinds[0].binary:
        kind = kinds[0]
        read = kind.reader(validate)

        def decode_one(raw: str | bytes) -> tuple[Any, Kind | None, Any]:
            data = parse_frame(raw)
            return read(data), kind, data

        return decode_one

    def decode_any(raw: str | bytes) -> tuple[Any, Kind | None, Any]:
        frame = Frame(raw)
        message, kind = decode_first(frame, kinds, validate)
        return message, kind, data_of(frame, kind)

    return decode_any


def data_of(frame: Frame, kind: Kind | None) -> Any:
    """The request's JSON data, where a reply may need its correlation id (text kinds)."""
    return None if kind is None or kind.binary else frame.data()


def reply_frame(
    reply: Any,
    request_data: Any,
    request_kind: Kind | None,
    reply_kinds: Mapping[type[Any], Kind],
    validate: bool,
) -> str | bytes:
    """The frame of ``reply``, with the request's correlation id copied in when it has none."""
    reply_kind = reply_kinds.get(type(reply))
    if (
        request_kind is not None
        and request_kind.correlation is not None
        and reply_kind is not None
        and reply_kind.correlation is not None
        and not request_kind.binary
    ):
        correlation = request_kind.correlation_id(request_data)
        data = reply.to_json_data()
        if correlation is not None:
            set_pointer_if_absent(data, reply_kind.correlation, correlation)
        return reply_kind.writer(validate)(data)
    return encode(reply, validate=validate, kinds=reply_kinds)


def reply_writer(
    reply_class: type[Any],
    request_kind: Kind | None,
    reply_kinds: Mapping[type[Any], Kind],
    validate: bool,
) -> Callable[[Any, Any], str | bytes]:
    """:func:`reply_frame` for replies of ``reply_class`` to requests of ``request_kind``.

    Made once per connection and reply class: a reply then costs its conversion, the copy of
    the correlation id and the writer, with nothing looked up.
    """
    reply_kind = reply_kinds.get(reply_class)
    if (
        request_kind is None
        or request_kind.correlation is None
        or reply_kind is None
        or reply_kind.correlation is None
        or request_kind.binary
    ):

        def write_plain(reply: Any, request_data: Any) -> str | bytes:
            return reply_frame(reply, request_data, request_kind, reply_kinds, validate)

        return write_plain
    correlation_id = request_kind.correlation_id
    tokens = reply_kind.correlation
    write = reply_kind.writer(validate)
    # The usual ``$message.payload#/id`` on both sides: the pointer helpers' own first cases.
    if len(request_kind.correlation) == 1 and len(tokens) == 1:
        request_key, reply_key = request_kind.correlation[0], tokens[0]

        def write_keyed(reply: Any, request_data: Any) -> str | bytes:
            correlation = (
                request_data.get(request_key)
                if type(request_data) is dict
                else correlation_id(request_data)
            )
            data = reply.to_json_data()
            if correlation is not None:
                if type(data) is dict:
                    data.setdefault(reply_key, correlation)
                else:
                    set_pointer_if_absent(data, tokens, correlation)
            return write(data)

        return write_keyed

    def write_correlated(reply: Any, request_data: Any) -> str | bytes:
        correlation = correlation_id(request_data)
        data = reply.to_json_data()
        if correlation is not None:
            set_pointer_if_absent(data, tokens, correlation)
        return write(data)

    return write_correlated
