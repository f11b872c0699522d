"""The ``fast`` extra's jsonschema-rs check (``_runtime/rust_verdict.py``) judges as the Python path.

Patterns: each Python pattern of ``schemas.json`` is written for Rust's ``regex`` crate from
Python's own parse tree; these tests run both engines on the same texts (fixed edge cases, every
character for ``\\d``/``\\w``/``\\s``, and Hypothesis). Values: whatever jsonschema-rs reads
otherwise than the Python validators (tuples, NaN, enum members, ...) goes to today's path, and
the verdict is today's. Without jsonschema-rs these tests are skipped (the differential test runs
the Python path alone).
"""

from __future__ import annotations

import enum
import re
import sys
from decimal import Decimal
from typing import Any

import pytest
from asyncapi_ws_codegen.pytext.regex_dialect import python_regex
from hypothesis import given, settings
from hypothesis import strategies as st
from vendored_runtime import runtime_module

rs = pytest.importorskip(
    "jsonschema_rs", reason="jsonschema-rs (the generated package's `fast` extra) is not installed"
)

rust_verdict = runtime_module("rust_verdict")
rust_regex = runtime_module("rust_regex")
validation = runtime_module("validation")

# Python spellings as schemas.json holds them (python_regex of the document's pattern), and plain
# Python ones: classes, Unicode, anchors, escapes, sets, repetitions.
PATTERNS = [
    python_regex("^[a-z]+$"),
    python_regex("^[A-Z]{3}$"),
    python_regex(r"^\d+$"),
    python_regex(r"^\$[0-9]+$"),
    python_regex("^[$a-z]+$"),
    python_regex("^[]$]x$"),
    python_regex("^[^]$]x$"),
    python_regex(r"\\$"),
    python_regex("a$|b$"),
    python_regex(r"^\w+@\w+\.\w{2,}$"),
    python_regex(r"^[\w.-]+$"),
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    r"[\d\s]",
    r"[^\d\s]",
    r"[^\W_]",
    r"[\w-]+",
    r"^\A",
    r"\Aab\Z",
    "é+",
    "\u00e9|\u0663",
    "[\u0660-\u0669]",
    "\U0001f600{2}",
    "[\U0001f600-\U0001f64f]",
    "\u2028",
    ".",
    "^.\\Z",
    "^.*\\Z",
    "a.c",
    "[^a]",
    "[^\n]",
    "x{,3}y",
    "x{2,}?",
    "(?:ab)+?c",
    "(?P<name>a)b",
    "(a|b|)c",
    "a|",
    "",
    "x{",
    r"\{\}\[\]\(\)\*\+\?\.\^\|\\",
    r"\t\n\r\f\v\x41\u00e9\U0001F600\0",
    "[-a]",
    "[a-]",
    "[a\\-z]",
    "[&~]",
    "[\\[]",
    "(?x) a b # comment",
    "#",
    " ",
    "^[\\s\\S]",
    "(?a)\\d",
    "(?a)[\\w\\s]+",
    "(?a)\\S",
]

REFUSED = [
    "(?i)a",
    "(?i:a)b",
    "(?s).",
    "(?m)^a",
    "(?L)a",
    "\\bword\\b",
    "\\B",
    "(a)\\1",
    "(?P<x>a)(?P=x)",
    "(?=a)",
    "(?!a)b",
    "(?<=a)b",
    "(?<!a)b",
    "(?(1)a|b)",
    "(?>a)",
    "a*+",
    "a$",  # Python's `$` also matches before a final newline (schemas.json has none)
    "[^\\s\\S]",  # no character at all (Rust has no empty set)
    "\ud800",
    "[",  # no pattern at all
]

TEXTS = [
    "",
    "a",
    "abc",
    "ABC",
    "EUR",
    "EURO",
    "abc\n",
    "\nabc",
    "a\nb",
    "a\rb",
    "abc ",
    "123",
    "\u0663\u0664",
    "\uff11",
    "$12",
    "$",
    "]x",
    "$x",
    "^x",
    "ab\\",
    "a\\",
    "x@y.zz",
    "é",
    "E\u0301",
    "\U0001f600\U0001f600",
    "\U0001f64f",
    "\u2028",
    "\u00a0",
    "\u1680",
    "\x1c\x1d\x1e\x1f",
    "\x85",
    "\u200b",
    "\ufeff",
    "_",
    "-",
    "&~[",
    "xxxy",
    "xy",
    "xxxxy",
    "x{",
    "{}[]()*+?.^|\\",
    "\t\n\r\f\v",
    "A\u00e9\U0001f600\x00",
    "abc",
    "ab",
    "c",
    "bc",
    "acb",
    "aXc",
    "a\nc",
    "#",
    " ",
    "ab#",
]


def rust_matches(rust: str) -> Any:
    return rs.Draft7Validator({"pattern": rust}, pattern_options=rs.RegexOptions()).is_valid


@pytest.mark.parametrize("pattern", PATTERNS)
def test_rust_spelling_finds_what_python_finds(pattern: str) -> None:
    rust = rust_regex.rust_regex(pattern)
    assert rust is not None, pattern
    found = rust_matches(rust)
    expected = re.compile(pattern)
    differences = [text for text in TEXTS if found(text) != (expected.search(text) is not None)]
    assert differences == []


@settings(max_examples=300, deadline=None)
@given(pattern=st.sampled_from(PATTERNS), text=st.text(st.characters(exclude_categories=("Cs",)), max_size=8))
def test_rust_spelling_finds_what_python_finds_on_any_text(pattern: str, text: str) -> None:
    rust = rust_regex.rust_regex(pattern)
    assert rust is not None
    assert rust_matches(rust)(text) == (re.search(pattern, text) is not None), (pattern, rust, text)


@pytest.mark.parametrize("escape", [r"\d", r"\w", r"\s"])
def test_classes_hold_exactly_the_characters_python_matches(escape: str) -> None:
    # Every character but the surrogates (which jsonschema-rs refuses to read), in two texts:
    # those Python's class matches and the rest. Rust's spelling of the class must match every
    # character of the first and none of the second; and of the negated class, the reverse.
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    inside = "".join(c for c in characters if re.match(escape, c))
    outside = "".join(c for c in characters if not re.match(escape, c))
    assert inside and outside
    for spelling, members, others in ((escape, inside, outside), (escape.upper(), outside, inside)):
        rust = rust_regex.rust_regex(spelling)
        assert rust is not None
        assert rust_matches(f"^(?:{rust})*$")(members), spelling
        assert not rust_matches(rust)(others), spelling


@pytest.mark.parametrize("pattern", REFUSED)
def test_what_rust_could_read_otherwise_is_not_translated(pattern: str) -> None:
    assert rust_regex.rust_regex(pattern) is None


# -- schemas -------------------------------------------------------------------------------------


def test_only_schema_patterns_are_rewritten_and_formats_are_collected() -> None:
    schema = {
        "$ref": "#/components/schemas/A",
        "components": {
            "schemas": {
                "A": {
                    "type": "object",
                    "properties": {
                        "pattern": {"type": "string", "pattern": "^a\\Z"},
                        "when": {"format": "date-time"},
                        "odd": {"format": "x-own"},
                    },
                    "patternProperties": {"^x-": {"pattern": "\\d"}},
                    "const": {"pattern": "^a$"},
                    "enum": [{"pattern": "^a$"}],
                    "default": {"format": "never-collected"},
                }
            }
        },
    }
    prepared = rust_verdict.rust_schema(schema)
    assert prepared is not None
    document, formats = prepared
    a = document["components"]["schemas"]["A"]
    assert a["properties"]["pattern"]["pattern"] == "^a$"
    assert list(a["patternProperties"]) == ["^x\\u{2D}"]
    assert a["patternProperties"]["^x\\u{2D}"]["pattern"].startswith("[0-9\\u{660}-")
    assert a["const"] == {"pattern": "^a$"} and a["enum"] == [{"pattern": "^a$"}]
    assert formats == {"date-time", "x-own"}
    assert schema["components"]["schemas"]["A"]["properties"]["pattern"]["pattern"] == "^a\\Z"  # unchanged


@pytest.mark.parametrize(
    "schema",
    [
        {"$id": "http://example.com/s.json", "type": "string"},
        {"properties": {"a": {"$id": "other.json", "type": "string"}}},
        {"$ref": "http://example.com/s.json"},
        {"$ref": "#foo"},
        {"$ref": "#/definitions/a%20b", "definitions": {"a b": {}}},
        {"$ref": "#/patternProperties/^a\\Z", "patternProperties": {"^a\\Z": {}}},
        {"$ref": "#/const", "const": {"type": "string"}},
        {"type": "string", "pattern": "(?i)abc"},
        {"patternProperties": {"\\bx": {}}},
        {"patternProperties": {"a": {"type": "string"}, "(?:a)": {"type": "integer"}}},  # alike in Rust
        {"pattern": 5},
        True,
        False,
    ],
)
def test_schemas_rust_could_read_otherwise_get_no_check(schema: Any) -> None:
    assert rust_verdict.compile_verdict(schema, validation._LIBRARY_FORMATS) is None


def test_a_schema_with_multiple_of_gets_no_library_check() -> None:
    assert validation.SchemaValidator({"type": "number", "multipleOf": 0.1})._library is None
    assert validation.SchemaValidator({"properties": {"a": {"multipleOf": 3}}})._library is None
    assert validation.SchemaValidator({"properties": {"a": {"minimum": 3}}})._library is not None


def test_without_the_library_there_is_no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # as if not installed: ImportError
    assert rust_verdict.library() is None
    assert rust_verdict.compile_verdict({"type": "string"}, validation._LIBRARY_FORMATS) is None
    assert validation.SchemaValidator({"type": "string"}, library=True)._library is None
    assert validation.SchemaValidator({"type": "string"}, library=False)._library is None


@pytest.mark.parametrize("as_patterns", [False, True], ids=["functions", "patterns"])
def test_the_package_formats_decide_and_other_formats_are_unchecked(as_patterns: bool) -> None:
    schema = {
        "type": "object",
        "properties": {
            "email": {"format": "email"},
            "date": {"format": "date"},
            "uuid": {"format": "uuid"},
            "reference": {"format": "uri-reference"},
            "regex": {"format": "regex"},
            "int": {"format": "int32"},
        },
    }
    patterns = validation._LIBRARY_FORMAT_PATTERNS if as_patterns else {}
    check = rust_verdict.compile_verdict(schema, validation._LIBRARY_FORMATS, patterns)
    assert check is not None
    # jsonschema-rs's own checks judge these otherwise than the package's functions.
    own = {name: rs.Draft7Validator({"format": name}, validate_formats=True).is_valid for name in ("email", "uuid")}
    assert own["email"]("a@b.") is False and own["email"]('"a b"@c.d') is True
    assert own["uuid"]("0b5e7f5e3c1d4a8e9b2f6d7c8e9fa0b1") is True
    assert check({"email": "a@b."}) is True
    assert check({"email": '"a b"@c.d'}) is False
    assert check({"email": "no at sign"}) is False
    assert check({"date": "2024-02-29"}) is True and check({"date": "2024-02-30"}) is False
    assert check({"uuid": "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1"}) is True
    assert check({"uuid": "0b5e7f5e3c1d4a8e9b2f6d7c8e9fa0b1"}) is False
    # Formats the package does not check stay unchecked, whatever jsonschema-rs knows of them.
    assert check({"reference": "\\\\ not a reference", "regex": "[", "int": "x"}) is True
    # A format applies to strings only.
    assert check({"date": 5, "email": None, "uuid": [1]}) is True


# -- values --------------------------------------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"


class Text(str):
    pass


class Number(int):
    pass


class Mapping(dict):  # type: ignore[type-arg]
    pass


PLAIN = [
    None,
    True,
    0,
    -1,
    2**63 - 1,
    -(2**63),
    2**64 - 1,
    1.0,
    -0.0,
    1e308,
    -1e-308,
    "",
    "é",
    [],
    {},
    {"a": [1, {"b": None}]},
]
NOT_PLAIN = [
    2**64,
    -(2**63) - 1,
    2**70,
    float("nan"),
    float("inf"),
    float("-inf"),
    (1, 2),
    [1, (2,)],
    {"a": (1,)},
    Colour.RED,
    {"a": Colour.RED},
    Decimal("1.5"),
    [Decimal(1)],
    Text("a"),
    Number(1),
    Mapping(a=1),
    {1: "a"},
    {None: 1},
    {"a": {2: 1}},
    b"a",
    {"a": [float("nan")]},
    {"a": [2**64]},
    object(),
]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_json_is_handed_over(value: Any) -> None:
    assert rust_verdict.plain(value) is True


@pytest.mark.parametrize("value", NOT_PLAIN, ids=lambda v: repr(v).split(" at 0x")[0])
def test_what_jsonschema_rs_may_read_otherwise_is_not(value: Any) -> None:
    assert rust_verdict.plain(value) is False


# Values jsonschema-rs judges otherwise than today's path, with a schema that shows it: today's
# verdict (fastjsonschema) first, then jsonschema-rs's own.
DIVERGING = [
    ({"type": "number"}, float("nan"), True, False),
    ({"type": "number"}, float("inf"), True, False),
    ({"maximum": 0}, float("inf"), False, True),
    ({"minimum": 0}, float("-inf"), False, True),
    ({"not": {"type": "number"}}, float("nan"), False, True),
    ({"properties": {"a": {"type": ["number", "null"]}}}, {"a": float("nan")}, True, False),
    ({"type": "string"}, Colour.RED, False, True),
    ({"const": "red"}, Colour.RED, False, True),
    ({"properties": {"a": {"const": "red"}}}, {"a": Colour.RED}, False, True),
    ({"type": "integer"}, Decimal("1"), False, True),
]


@pytest.mark.parametrize(("schema", "value", "today", "library"), DIVERGING, ids=repr)
def test_values_jsonschema_rs_judges_otherwise_keep_todays_verdict(
    schema: Any, value: Any, today: bool, library: bool
) -> None:
    assert rs.Draft7Validator(schema).is_valid(value) is library  # the difference is real
    without = validation.SchemaValidator(schema, library=False)
    with_library = validation.SchemaValidator(schema)
    assert with_library._library is not None
    assert without.is_valid(value) is today
    assert with_library.is_valid(value) is today
    assert with_library._library(value) is False  # not handed over: today's path decided


# Values jsonschema-rs cannot read (it raises) or reads as other data: today's path decides.
NOT_HANDED_OVER = [
    {1: "a"},
    Text("a"),
    Number(2),
    Mapping({1: 2}),
    object(),
    (1, 2),
    [(1,), [1]],
    {"a": (1,)},
    2**64,
    2**70,
    -(2**63) - 1,
    [2**64, 2**64],
    Decimal("1.5"),
]
SCHEMAS = [
    {},
    {"type": "object"},
    {"type": "string"},
    {"type": "array"},
    {"type": "integer"},
    {"maxLength": 0},
    {"const": [1, 2]},
    {"enum": [[1]]},
    {"uniqueItems": True},
    {"maximum": 2**64},
    {"properties": {"a": {"type": "array"}}},
]


@pytest.mark.parametrize("value", NOT_HANDED_OVER, ids=lambda v: repr(v).split(" at 0x")[0])
def test_values_not_handed_over_keep_todays_verdict(value: Any) -> None:
    for schema in SCHEMAS:
        without = validation.SchemaValidator(schema, library=False)
        with_library = validation.SchemaValidator(schema)
        assert with_library._library is not None
        assert with_library._library(value) is False
        assert with_library.is_valid(value) is without.is_valid(value), schema


@pytest.mark.parametrize("value", [{"a": "\ud800"}, "\udfff", ["\ud800"]], ids=ascii)
def test_lone_surrogates_keep_todays_verdict(value: Any) -> None:
    # Plain data, but no text jsonschema-rs can read where a schema looks at it: it raises.
    for schema in (
        {"type": "string"},
        {"maxLength": 0},
        {"items": {"type": "string"}},
        {"properties": {"a": {"minLength": 1}}},
    ):
        without = validation.SchemaValidator(schema, library=False)
        with_library = validation.SchemaValidator(schema)
        assert with_library._library is not None
        assert with_library.is_valid(value) is without.is_valid(value), schema
    with pytest.raises(UnicodeEncodeError):
        rs.Draft7Validator({"type": "string"}).is_valid("\udfff")
    assert validation.SchemaValidator({"type": "string"})._library("\udfff") is False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, 1e308),
        ({"type": "integer", "minimum": 0}, -0.0),
        ({"const": 0}, -0.0),
        ({"enum": [0]}, -0.0),
        ({"uniqueItems": True}, [0, -0.0]),
        ({"uniqueItems": True}, [1, 1.0]),
        ({"uniqueItems": True}, [1, True]),
        ({"const": 1}, True),
        ({"maximum": 2**64 - 1}, 2**64 - 1),
        ({"maximum": 2**64 - 2}, 2**64 - 1),
        ({"minimum": -(2**63)}, -(2**63)),
        ({"exclusiveMinimum": 1e308}, 1e308),
        ({"type": "string", "maxLength": 1}, "\U0001f600"),
        ({"type": "string", "minLength": 2}, "E\u0301"),
    ],
    ids=repr,
)
def test_edge_values_handed_over_get_the_same_verdict(schema: Any, value: Any) -> None:
    assert rust_verdict.plain(value)
    without = validation.SchemaValidator(schema, library=False)
    check = rust_verdict.compile_verdict(schema, validation._LIBRARY_FORMATS)
    assert check is not None
    assert check(value) is without.is_valid(value)
    assert validation.SchemaValidator(schema).is_valid(value) is without.is_valid(value)


def test_a_rejection_is_explained_by_jsonschema_as_before() -> None:
    schema = {"type": "object", "properties": {"c": {"type": "string", "pattern": "^[A-Z]{3}\\Z"}}}
    with_library = validation.SchemaValidator(schema)
    assert with_library._library is not None
    with_library.check({"c": "EUR"})
    errors = []
    for validator in (with_library, validation.SchemaValidator(schema, library=False)):
        with pytest.raises(validation.PayloadValidationError) as caught:
            validator.check({"c": "EURO"})
        errors.append((str(caught.value), caught.value.path, caught.value.keyword))
    assert errors[0] == errors[1]
    assert errors[0][1:] == ("$.c", "pattern")


# -- formats as patterns -------------------------------------------------------------------------


def test_every_format_but_hostname_and_ipv6_runs_as_a_pattern() -> None:
    # hostname (a length limit over labels) and ipv6 (ipaddress) call Python.
    assert set(validation._LIBRARY_FORMAT_PATTERNS) == set(validation.FORMATS) - {"hostname", "ipv6"}


def format_check(name: str) -> Any:
    check = rust_verdict.compile_verdict(
        {"format": name}, validation._LIBRARY_FORMATS, validation._LIBRARY_FORMAT_PATTERNS
    )
    assert check is not None
    return check


def differences(name: str, texts: list[str]) -> list[str]:
    check, function = format_check(name), validation.FORMATS[name]
    pattern = re.compile(rust_regex.DATE_TIME_PATTERNS.get(name, "(?!)"), re.ASCII)
    found = []
    for text in texts:
        expected = function(text)
        if check(text) != expected:
            found.append(text)
        if name in rust_regex.DATE_TIME_PATTERNS and (pattern.fullmatch(text) is not None) != expected:
            found.append(f"python pattern: {text}")
    return found


# Years around every leap-year rule (every 4, not every 100, every 400), the first and last.
YEARS = sorted(
    {*range(0, 12), *range(96, 105), *range(396, 405), *range(1896, 1905), *range(1996, 2005)}
    | {*range(2096, 2105), *range(2396, 2405), *range(9990, 10000), 1600, 1700, 1800, 2000, 2100}
)


def test_the_date_pattern_is_the_date_function() -> None:
    texts = [f"{y:04d}-{m:02d}-{d:02d}" for y in YEARS for m in range(14) for d in range(33)]
    texts += ["2024-1-01", "2024-01-1", "20240101", "2024-01-01 ", "\u0662024-01-01", "+2024-01-01", ""]
    assert len(texts) > 30_000
    assert differences("date", texts) == []


def test_the_time_pattern_is_the_time_function() -> None:
    offsets = ["Z", "z", "+00:00", "-23:59", "+24:00", "+23:60", "", "+0000", "+1:00", " Z"]
    texts = [
        f"{h:02d}:{m:02d}:{s:02d}{fraction}{offset}"
        for h in range(26)
        for m in (0, 9, 59, 60)
        for s in (0, 59, 60, 61)
        for fraction in ("", ".5", ".", ".123456789", ",5")
        for offset in offsets
    ]
    texts += ["1:00:00Z", "01:00Z", "\u0661\u0662:00:00Z", "01:00:00.\u0665Z"]
    assert differences("time", texts) == []


def test_the_date_time_pattern_is_the_date_time_function() -> None:
    dates = ["2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "0000-01-01", "9999-12-31", "2024-13-01"]
    times = ["23:59:60Z", "24:00:00Z", "00:00:00.5+01:00", "12:00:00", "12:00:00z"]
    texts = [f"{d}{t}{c}" for d in dates for c in times for t in ("T", "t", " ", "", "TT")]
    texts += ["2024-02-29T", "T12:00:00Z", "2024-02-2912:00:00Z"]
    assert differences("date-time", texts) == []


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(validation._LIBRARY_FORMAT_PATTERNS)),
    text=st.text(st.sampled_from("0123456789abcdefzAFZTt-:.+@/%?#[]!~_ \n\u0663\u00e9"), max_size=40),
)
def test_format_patterns_agree_with_the_functions_on_any_text(name: str, text: str) -> None:
    assert differences(name, [text]) == []


@pytest.mark.parametrize("name", sorted(validation._LIBRARY_FORMAT_PATTERNS))
def test_format_patterns_agree_with_the_functions_on_samples(name: str) -> None:
    from asyncapi_ws_codegen.examples.value_checks import FORMAT_SAMPLES

    texts = [
        *FORMAT_SAMPLES.values(),
        "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1",
        "0B5E7F5E-3C1D-4A8E-9B2F-6D7C8E9FA0B1",
        "0b5e7f5e3c1d4a8e9b2f6d7c8e9fa0b1",
        "a@b",
        "a@b@c",
        "a b@c",
        "a@b\n",
        "\u00e9@b",
        "https://example.com/a?b=c#d",
        "urn:x",
        "a:%zz",
        "a:%2F",
        "1a:b",
        "a:\u00e9",
        "192.168.0.1",
        "255.255.255.255",
        "256.1.1.1",
        "01.1.1.1",
        "1.1.1",
        "1.1.1.1\n",
    ]
    assert differences(name, texts) == []
