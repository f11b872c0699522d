"""Spec text reaches Python only as inert literals, docstrings and comments."""

from __future__ import annotations

import ast

import pytest
from asyncapi_ws_codegen.pytext.escaping import py_comment, py_docstring, py_str, py_summary
from hypothesis import given
from hypothesis import strategies as st

HOSTILE = [
    '"""',
    "'''",
    'ends with a quote"',
    "ends with a backslash \\",
    "{{ 7*7 }} {% raw %} {# x #}",
    "line\nbreak\r\nand \u2028 separator \x00 nul",
    "é 日本語 🎉 \u202eright-to-left",
    '"; import os; os.system("x"); "',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_string_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_cannot_be_closed_early(text: str) -> None:
    source = f'def f() -> None:\n    """{py_docstring(text, indent=4)}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1  # only the docstring: nothing escaped into code
    doc = ast.get_docstring(function, clean=False) or ""
    assert "{{ 7*7 }}" in doc or "{{" not in text


@pytest.mark.parametrize("text", HOSTILE)
def test_summary_and_fallback_are_escaped(text: str) -> None:
    for body in (py_summary(text), py_summary("", fallback=text), py_docstring("", fallback=text)):
        tree = ast.parse(f'"""{body}"""\n')
        assert len(tree.body) == 1
        assert "\n" not in py_summary(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_stays_on_one_line(text: str) -> None:
    comment = py_comment(text)
    assert "\n" not in comment
    assert "\r" not in comment
    tree = ast.parse(f"x = 1  # {comment}\n")
    assert len(tree.body) == 1


def test_jinja_syntax_is_kept_literally() -> None:
    assert py_str("{{ 7*7 }}") == '"{{ 7*7 }}"'
    assert py_docstring("{{ 7*7 }}") == "{{ 7*7 }}"


@given(st.text(max_size=60))
def test_any_text_is_inert(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text
    tree = ast.parse(f'def f() -> None:\n    """{py_docstring(text, indent=4, fallback="x")}"""\n')
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1
