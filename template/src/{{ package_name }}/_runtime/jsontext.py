"""JSON text of frames, with the same output and verdicts as ``json``, in fewer steps.

``json.dumps`` and ``json.loads`` spend about half their time on one message in Python around the
C encoder and scanner: building an encoder object per call, checking arguments, matching
whitespace with regular expressions. Frames are small, so that share matters. This module calls
the ``json`` module's own C encoder and scanner directly (made once), and falls back to the
plain ``json`` functions where they are not there (another Python implementation) or where a
text needs more than the common case (leading or trailing whitespace, an error to report).
"""

from __future__ import annotations

import importlib
import json
import json.decoder
import json.encoder
import re
from collections.abc import Callable
from typing import Any


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Compact text, non-ASCII characters kept, and strict: NaN and the infinities are no JSON, in
# either direction (a peer's parser may refuse them, or read them as something else).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_INFINITY = float("inf")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (_INFINITY, -_INFINITY):  # 1e400: JSON syntax, but no value a peer could read back
        raise ValueError(f"number out of range: {text}")
    return value


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_encode() -> Callable[[Any], str]:
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _ENCODER.encode
    try:
        # The arguments JSONEncoder.iterencode passes (no circular-reference bookkeeping: frame
        # data is built fresh from messages).
        chunks = make(
            None, _not_json, json.encoder.encode_basestring, None, ":", ",", False, False, False
        )
    except TypeError:  # another signature in another Python version
        return _ENCODER.encode
    join = "".join

    def encode(data: Any) -> str:
        return join(chunks(data, 0))

    probe = {"a": [1, 2.5, None, True, '\u00e9\u2028"\\'], "b": {}}
    return encode if encode(probe) == _ENCODER.encode(probe) else _ENCODER.encode


# A text websockets hands over is valid UTF-8, so the only way to a lone surrogate is an escape
# from U+D800 to U+DFFF: where one is written, the decoded value is checked (pairs are fine).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _whole_characters(value: Any, text: str) -> Any:
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None:
        try:
            encode_text(value).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a lone surrogate (\\ud800-\\udfff) is not a character") from None
    return value


def library_decode() -> Callable[[str], Any] | None:
    """``msgspec.json.decode`` when the package's optional ``fast`` extra is installed, else ``None``.

    It reads a small frame in about a third of the time of the path below (measured in the
    template's benchmarks), and whatever it reads, it reads as ``json`` does; what it refuses is
    handed to ``json`` (see :func:`_make_decode`), so verdicts and messages stay ``json``'s.
    """
    try:
        module = importlib.import_module("msgspec.json")
    except ImportError:
        return None
    decode: Callable[[str], Any] = module.decode
    return decode


def _make_decode(library: Callable[[str], Any] | None) -> Callable[[str], Any]:
    scan = getattr(_DECODER, "scan_once", None)

    def full(text: str) -> Any:
        return _whole_characters(_DECODER.decode(text), text)

    if library is not None:

        def decode_with_library(text: str) -> Any:
            try:
                return library(text)
            except Exception:  # refused (lone surrogates, 1e400, no JSON): json says why
                return full(text)

        return decode_with_library
    if scan is None:
        return full

    def decode(text: str) -> Any:
        try:
            value, end = scan(text, 0)
        except StopIteration:  # leading whitespace, or no value at all: let json say which
            return full(text)
        if end != len(text):  # trailing whitespace, or extra data
            return full(text)
        if "\\u" in text:  # _whole_characters' own first test, spared a call for most frames
            return _whole_characters(value, text)
        return value

    return decode


encode_text: Callable[[Any], str] = _make_encode()
"""JSON data -> compact text, as ``json.dumps(..., ensure_ascii=False, separators=(",", ":"),
allow_nan=False)``: ``ValueError`` for NaN and infinities, ``TypeError`` for what is no JSON data."""

decode_text: Callable[[str], Any] = _make_decode(library_decode())
"""Text -> JSON data, as ``json.loads`` of a ``str`` with ``NaN``, ``Infinity`` and ``-Infinity``
refused (``ValueError``, like any other text that is no JSON), and so are numbers too large for a
float (``1e400``, which would read as infinity) and lone surrogates
(``"\\ud800"``): they are no text, and no peer could send them back. With the ``fast`` extra
installed, ``msgspec`` reads the frames it can (see :func:`library_decode`)."""
