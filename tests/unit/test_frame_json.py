"""The vendored runtime's frame JSON (``_runtime/jsontext.py``) writes and reads what strict ``json`` does.

The module calls the ``json`` module's C encoder and scanner directly, for speed. These tests import
it from the template's runtime and compare it with ``json`` on edge cases and on thousands of random values:
same text out, same data in, same error types and messages. Strict: NaN and the infinities are
no JSON, in either direction.
"""

from __future__ import annotations

import json
import random
from types import SimpleNamespace
from typing import Any

import pytest
from vendored_runtime import runtime_module

REFERENCE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


STRICT_LOADS = json.JSONDecoder(parse_constant=_refuse_constant).decode


@pytest.fixture(scope="module", params=["json", "msgspec"])
def jsontext(request: pytest.FixtureRequest) -> Any:
    """The module as it reads frames without the ``fast`` extra, then with it (msgspec)."""
    module = runtime_module("jsontext")
    if request.param == "json":
        return SimpleNamespace(**{**vars(module), "decode_text": module._make_decode(None)})
    library = module.library_decode()
    if library is None:
        pytest.skip("msgspec is not installed")
    assert module.decode_text is not module._make_decode(None)  # the extra is picked up
    return SimpleNamespace(**{**vars(module), "decode_text": module._make_decode(library)})


def readable(value: Any) -> str:
    """A test id that is the same in every process (no memory addresses)."""
    return repr(value).split(" at 0x")[0]


def outcome(function: Any, argument: Any) -> tuple[str, Any]:
    try:
        return "value", repr(function(argument))
    except Exception as exc:  # the error itself is what is compared
        return "error", (type(exc), str(exc))


def test_this_interpreter_takes_the_fast_path(jsontext: Any) -> None:
    # CPython has the C encoder and scanner: the fallbacks are for other implementations.
    assert jsontext.encode_text is not jsontext._ENCODER.encode
    assert jsontext.decode_text is not jsontext._DECODER.decode


@pytest.mark.parametrize(
    "value",
    [
        0,
        -1,
        10**30,
        1.5,
        1e300,
        -0.0,
        float("nan"),
        float("-inf"),
        True,
        None,
        "",
        'é\u2028\x00"\\ \U0001f600',
        [],
        {},
        {"a": {"b": [1, {"c": "d"}]}},
        {1: 2, False: 3, None: 4, 2.5: 5},  # keys json turns into strings
        {"a": object()},  # not JSON
        {(1, 2): 3},  # a key json refuses
        {1, 2},
    ],
    ids=readable,
)
def test_encoding_matches_json(jsontext: Any, value: Any) -> None:
    assert outcome(jsontext.encode_text, value) == outcome(REFERENCE, value)


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1}',
        ' {"a":1}',
        '{"a":1} ',
        "\n[1,2]\n",
        "1",
        '"x"',
        "NaN",
        "-Infinity",
        "",
        " ",
        '{"a":1}x',
        '{"a":1}{"b":2}',
        '{"a":',
        "[1,]",
        '{"a":1,"a":2}',
        "nul",
        '\t"\\u00e9"\t',
    ],
    ids=repr,
)
def test_decoding_matches_json(jsontext: Any, text: str) -> None:
    assert outcome(jsontext.decode_text, text) == outcome(STRICT_LOADS, text)


@pytest.mark.parametrize(
    "text",
    ["1" * 5000, "9" * 400, '"a\x01b"', "\ufeff1", "[" * 5000 + "]" * 5000, "1.7976931348623157e309", "-0"],
    ids=lambda text: repr(text)[:20],
)
def test_edges_where_json_libraries_differ_are_judged_as_json_does(jsontext: Any, text: str) -> None:
    # Integers past 4,300 digits, control characters, a byte-order mark, nesting past the
    # recursion limit, numbers past the float range: refused or read exactly as json does.
    theirs = outcome(STRICT_LOADS, text)
    ours = outcome(jsontext.decode_text, text)
    if theirs[0] == "error" and theirs[1][0] is RecursionError:
        assert ours[0] == "error" and ours[1][0] is RecursionError
    elif text.startswith("1.797"):
        assert ours[0] == "error" and "out of range" in ours[1][1]  # strict: no infinity
    else:
        assert ours == theirs


def random_value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(8 if depth < 4 else 5)
    if choice == 0:
        return rng.randrange(-(10**18), 10**18)
    if choice == 1:
        return rng.random() * 10 ** rng.randrange(-8, 8)
    if choice == 2:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(8)))
    if choice == 3:
        return None
    if choice == 4:
        return rng.random() < 0.5
    if choice == 5:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {str(rng.randrange(100)): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def test_nan_and_infinities_are_refused_both_ways(jsontext: Any) -> None:
    for value in (float("nan"), float("inf"), {"score": [1, float("-inf")]}):
        with pytest.raises(ValueError, match="not JSON compliant"):
            jsontext.encode_text(value)
    for text in ("NaN", '{"score":NaN}', "[Infinity]", " -Infinity "):
        with pytest.raises(ValueError, match="is not JSON"):
            jsontext.decode_text(text)
    for text in ("1e400", '{"score":-1E310}', " [2e999] "):  # would read as infinity
        with pytest.raises(ValueError, match="out of range"):
            jsontext.decode_text(text)
    assert jsontext.decode_text("[1e308, -0.0, 5e-324]") == [1e308, -0.0, 5e-324]


def test_lone_surrogates_are_refused_and_pairs_kept(jsontext: Any) -> None:
    for text in ('"\\ud800"', '{"a":["x\\udfff"]}', ' "\\uDBFF" ', '"\\ude00\\ud83d"'):
        with pytest.raises(ValueError, match="lone surrogate"):
            jsontext.decode_text(text)
    assert jsontext.decode_text('"\\ud83d\\ude00"') == "\U0001f600"
    assert jsontext.decode_text('"\\\\ud800"') == "\\ud800"  # an escaped backslash, then letters


def test_random_values_round_trip_exactly_as_with_json(jsontext: Any) -> None:
    rng = random.Random(20261201)
    for _ in range(5000):
        value = random_value(rng)
        text = REFERENCE(value)
        assert jsontext.encode_text(value) == text
        assert repr(jsontext.decode_text(text)) == repr(json.loads(text))
        padded = f" {text}\n"  # whitespace around a value takes the fallback
        assert repr(jsontext.decode_text(padded)) == repr(json.loads(padded))
