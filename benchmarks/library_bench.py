"""Libraries made for the generated runtime's two hand-written hot paths, timed against them.

Part of the ``payload`` section (:mod:`benchmarks.payload_bench`), on the same payloads, in the same
run. Each row is "library time / generated time": above 1 the generated path is faster.

- **Frames**: the generated ``_runtime/jsontext.py`` (``json``'s own C scanner and encoder, called
  directly) against ``orjson`` and ``msgspec.json``, text -> data and data -> text (a text frame
  needs ``str``: both libraries write ``bytes``, decoded here as the runtime would have to), and
  the package's ``decode_text`` as installed here (with the ``fast`` extra: msgspec behind it).
- **Verdicts and messages**: the generated validator (accept-only expressions, then
  ``fastjsonschema``; ``jsonschema`` explains a rejection) against ``jsonschema-rs``, which gives
  both the verdict and the message: a valid instance, then an invalid one with its message. And
  the generated check as installed (with the ``fast`` extra, ``jsonschema-rs`` accepts first, see
  ``_runtime/rust_verdict.py``) against the same check without it.

Rows are skipped, with a note, for a library that is not installed. Verdicts of ``jsonschema-rs``
are compared with ``jsonschema``'s on the same valid and invalid instances as the payload section,
and JSON edge cases (integers past 64 bits, ``NaN``) are checked for the same behaviour as the
generated path: a library that differs is reported, whatever its speed.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

EDGE_TEXTS = ('{"a":1180591620717411303424}', '{"a":1e400}', '"\\ud800"', "NaN")
EDGE_VALUES: tuple[Any, ...] = ({"a": 2**70}, {"a": float("nan")})


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _outcome(function: Callable[[Any], Any], value: Any) -> str:
    try:
        return repr(function(value))
    except Exception as exc:  # any refusal counts as "refused"; only the value matters otherwise
        return f"refused ({type(exc).__name__})"


def frame_differences(decode: Callable[[str], Any], encode: Callable[[Any], str], library: str) -> list[str]:
    """Edge cases where ``library``'s JSON differs from the generated runtime's."""
    if library == "orjson":
        orjson = importlib.import_module("orjson")
        lib_decode: Callable[[str], Any] = orjson.loads
        lib_encode: Callable[[Any], str] = lambda data: orjson.dumps(data).decode()  # noqa: E731
    else:
        msgspec_json = importlib.import_module("msgspec.json")
        lib_decode = msgspec_json.decode
        lib_encode = lambda data: msgspec_json.encode(data).decode()  # noqa: E731
    differences = []
    for text in EDGE_TEXTS:
        ours, theirs = _outcome(decode, text), _outcome(lib_decode, text)
        if ours.startswith("refused") != theirs.startswith("refused") or (
            not ours.startswith("refused") and ours != theirs
        ):
            differences.append(f"decode {text}: generated {ours}, {library} {theirs}")
    for value in EDGE_VALUES:
        ours, theirs = _outcome(encode, value), _outcome(lib_encode, value)
        if ours.startswith("refused") != theirs.startswith("refused") or (
            not ours.startswith("refused") and ours != theirs
        ):
            differences.append(f"encode {value!r}: generated {ours}, {library} {theirs}")
    return differences


def measure_libraries(
    label: str,
    schema: dict[str, Any],
    variants: list[Any],
    reference: Any,
    runtime: tuple[Any, Callable[[Any], None], Callable[[Any], None]],
    timer: Callable[[dict[str, tuple[Callable[[], Any], int]], int], dict[str, float]],
    calls: int,
    repeats: int,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows comparing the libraries with the generated paths for one payload, and notes.

    ``runtime`` is the generated package's ``jsontext`` module, the payload class's schema check
    (what ``from_json_data`` runs) and the same check without ``jsonschema-rs``; ``reference`` a
    cached ``jsonschema`` validator; ``variants`` starts with a valid instance, then invalid ones.
    """
    jsontext, check, check_without_library = runtime
    instance, invalid = variants[0], variants[1]
    text = json.dumps(instance, separators=(",", ":"))
    figures: list[dict[str, Any]] = []
    notes: list[str] = []
    # The hand-written path (json's C scanner called directly), whether or not the package's
    # ``fast`` extra is installed, and the package's decode_text as it runs here.
    json_path = jsontext._make_decode(None)
    candidates: dict[str, tuple[Callable[[], Any], int]] = {
        "generated decode_text": (lambda: json_path(text), calls),
        "generated decode_text as installed": (lambda: jsontext.decode_text(text), calls),
        "generated encode_text": (lambda: jsontext.encode_text(instance), calls),
    }
    orjson, msgspec_json = _optional("orjson"), _optional("msgspec.json")
    if orjson is not None:
        candidates["orjson.loads"] = (lambda: orjson.loads(text), calls)
        candidates["orjson.dumps + decode"] = (lambda: orjson.dumps(instance).decode(), calls)
    if msgspec_json is not None:
        candidates["msgspec.json.decode"] = (lambda: msgspec_json.decode(text), calls)
        candidates["msgspec.json.encode + decode"] = (lambda: msgspec_json.encode(instance).decode(), calls)
    rs = _optional("jsonschema_rs")

    def generated_reject() -> str:
        try:
            check(invalid)
        except Exception as exc:
            return str(exc)
        return ""

    candidates["generated check, valid"] = (lambda: check(instance), calls)
    candidates["generated check without jsonschema-rs, valid"] = (lambda: check_without_library(instance), calls)
    candidates["generated check, invalid + message"] = (generated_reject, max(calls // 10, 10))
    if rs is not None:
        rs_validator = rs.Draft7Validator(schema, validate_formats=True)

        def rs_reject() -> str:
            try:
                rs_validator.validate(invalid)
            except rs.ValidationError as exc:
                return str(exc)
            return ""

        candidates["jsonschema-rs validate, valid"] = (lambda: rs_validator.validate(instance), calls)
        candidates["jsonschema-rs validate, invalid + message"] = (rs_reject, max(calls // 10, 10))
        disagreements = sum(rs_validator.is_valid(v) != reference.is_valid(v) for v in variants)
        if disagreements:
            notes.append(
                f"{label}: jsonschema-rs and jsonschema disagree on {disagreements} of {len(variants)} instances"
            )
    timings = timer(candidates, repeats)
    pairs = [
        (
            "frame text -> data",
            "generated decode_text",
            ("orjson.loads", "msgspec.json.decode", "generated decode_text as installed"),
        ),
        ("frame data -> text", "generated encode_text", ("orjson.dumps + decode", "msgspec.json.encode + decode")),
        ("verdict on a valid message", "generated check, valid", ("jsonschema-rs validate, valid",)),
        (
            "verdict on a valid message, the check as installed against it without jsonschema-rs",
            "generated check without jsonschema-rs, valid",
            ("generated check, valid",),
        ),
        (
            "verdict and message on an invalid message",
            "generated check, invalid + message",
            ("jsonschema-rs validate, invalid + message",),
        ),
    ]
    for what, ours, libraries in pairs:
        if ours not in timings:
            continue
        for library in libraries:
            if library not in timings:
                continue
            figures.append(
                {
                    "name": f"{label}: {what}, {library} vs generated",
                    "value": timings[library] * 1e6,
                    "unit": "us/msg",
                    "baseline": ours,
                    "baseline_value": timings[ours] * 1e6,
                    # Above 1: the library takes longer than the generated path.
                    "ratio": timings[library] / timings[ours],
                    "better": "higher",
                }
            )
    if rs is None:
        notes.append("jsonschema-rs is not installed: its rows are skipped")
    for library, module in (("orjson", orjson), ("msgspec", msgspec_json)):
        if module is None:
            notes.append(f"{library} is not installed: its rows are skipped")
        else:
            notes += [f"{library}: {d}" for d in frame_differences(jsontext.decode_text, jsontext.encode_text, library)]
    return figures, notes
