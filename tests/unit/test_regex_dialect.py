"""JSON Schema patterns spelt for Python's ``re``: ``$`` matches only at the true end."""

from __future__ import annotations

import re

import pytest
from asyncapi_ws_codegen.pytext.regex_dialect import python_regex
from asyncapi_ws_codegen.schema.validation_document import python_patterns


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^[a-z]+$", r"^[a-z]+\Z"),
        (r"^\$[0-9]+$", r"^\$[0-9]+\Z"),  # an escaped dollar is a character
        ("^[$a-z]+$", r"^[$a-z]+\Z"),  # so is one in a set
        ("^[]$]x$", r"^[]$]x\Z"),  # `]` first in a set is a character, as Python reads it
        ("^[^]$]x$", r"^[^]$]x\Z"),
        ("a$|b$", r"a\Z|b\Z"),
        ("(?:end$)", r"(?:end\Z)"),
        ("no anchor", "no anchor"),
        (r"\\$", r"\\\Z"),  # an escaped backslash, then the anchor
    ],
)
def test_dollar_anchors_become_end_of_text(pattern: str, python: str) -> None:
    assert python_regex(pattern) == python
    re.compile(python)


@pytest.mark.parametrize("pattern", ["^[a-z]+$", "a$|b$", "(?:x$)", r"^\d+$"])
def test_the_python_spelling_refuses_a_final_newline_and_keeps_the_rest(pattern: str) -> None:
    for text in ("abc", "b", "x", "123", "", "a b"):
        expected = re.search(pattern, text) is not None  # without a newline, the two agree
        assert (re.search(python_regex(pattern), text) is not None) == expected
        assert re.search(python_regex(pattern), text + "\n") is None


def test_only_schema_positions_are_rewritten() -> None:
    schema = {
        "type": "object",
        "pattern": "^a$",
        "properties": {
            "pattern": {"type": "string", "pattern": "^b$"},
            "tags": {"type": "array", "items": {"pattern": "^c$"}, "prefixItems": [{"pattern": "^d$"}]},
        },
        "patternProperties": {"^x-$": {"pattern": "^e$"}},
        "allOf": [{"not": {"pattern": "^f$"}}],
        "const": {"pattern": "^data$"},
        "enum": [{"pattern": "^data$"}],
        "default": {"pattern": "^data$"},
        "examples": [{"pattern": "^data$"}],
    }
    out = python_patterns(schema)
    assert out["pattern"] == r"^a\Z"
    assert out["properties"]["pattern"]["pattern"] == r"^b\Z"
    assert out["properties"]["tags"]["items"]["pattern"] == r"^c\Z"
    assert out["properties"]["tags"]["prefixItems"][0]["pattern"] == r"^d\Z"
    assert out["patternProperties"] == {r"^x-\Z": {"pattern": r"^e\Z"}}
    assert out["allOf"][0]["not"]["pattern"] == r"^f\Z"
    for data in ("const", "default"):
        assert out[data] == {"pattern": "^data$"}
    for data in ("enum", "examples"):
        assert out[data] == [{"pattern": "^data$"}]
    assert schema["pattern"] == "^a$"  # the source is not changed
