"""Identifiers from hostile names: valid, not reserved, deterministic, collision-free."""

from __future__ import annotations

import keyword
import re
from typing import Any

import pytest
from asyncapi_ws_codegen.pytext.identifiers import Namespace, pascal_case, snake_case, upper_snake
from asyncapi_ws_codegen.pytext.package_names import default_package_name, package_name_problem
from helpers import REPO_ROOT
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("userId", "user_id"),
        ("user-id", "user_id"),
        ("user id", "user_id"),
        ("USER_ID", "user_id"),
        ("HTTPServer", "http_server"),
        ("class", "class_"),
        ("import", "import_"),
        ("match", "match_"),
        ("case", "case_"),
        ("type", "type_"),
        ("_", "value"),
        ("list", "list_"),
        ("print", "print_"),
        ("self", "self_"),
        ("cls", "cls_"),
        ("marshal", "marshal_"),
        ("to_json_data", "to_json_data_"),
        ("1st", "value_1st"),
        ("café", "cafe"),
        ("名前", "u540d_u524d"),
        ("🎉", "u1f389"),
        ("../../etc/passwd", "etc_passwd"),
        ("{{ 7*7 }}", "value_7_7"),
        ('"""', "value"),
        ("", "value"),
    ],
)
def test_snake_case(wire: str, expected: str) -> None:
    assert snake_case(wire) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("user-signed up", "UserSignedUp"),
        ("UserSignedUp", "UserSignedUp"),
        ("1st message", "Model1stMessage"),
        ("ünïcödé", "Unicode"),
        ("None", "None_"),
        ("a/../b", "AB"),
    ],
)
def test_pascal_case(wire: str, expected: str) -> None:
    assert pascal_case(wire) == expected


def test_upper_snake() -> None:
    assert upper_snake("in-progress") == "IN_PROGRESS"
    assert upper_snake("class") == "CLASS"


def test_collisions_after_conversion_are_numbered_in_document_order() -> None:
    names = Namespace()
    assert [names.claim(snake_case(w)) for w in ("userId", "user_id", "USER_ID", "user-id")] == [
        "user_id",
        "user_id_2",
        "user_id_3",
        "user_id_4",
    ]


def test_claims_of_a_reserved_suffix_stay_unique() -> None:
    names = Namespace(["class_"])
    assert names.claim("class_") == "class_2"
    assert names.claim("class_") == "class_3"


@given(st.text(max_size=40))
def test_any_text_gives_a_valid_public_identifier(text: str) -> None:
    for name in (snake_case(text), pascal_case(text)):
        assert name.isidentifier()
        assert name.isascii()
        assert not keyword.iskeyword(name)
        assert not keyword.issoftkeyword(name)
        assert not name.startswith("_")
    assert snake_case(text) == snake_case(text)  # deterministic


@pytest.mark.parametrize(
    ("function", "wire", "expected"),
    [
        (snake_case, "l", "l_"),
        (snake_case, "O", "o"),
        (snake_case, "I", "i"),
        (upper_snake, "o", "O_"),
        (upper_snake, "i", "I_"),
        (upper_snake, "l", "L"),
        (pascal_case, "I", "I_"),
        (pascal_case, "o", "O_"),
        (pascal_case, "l", "L"),
    ],
)
def test_ambiguous_single_letters_get_unambiguous_names(function: Any, wire: str, expected: str) -> None:
    """ruff E741/E742: `l`, `O` and `I` read as 1 and 0; the wire name stays as written."""
    assert function(wire) == expected


@pytest.mark.parametrize(
    ("title", "default"),
    [
        ("Test", "test_api"),
        ("websockets", "websockets_api"),
        ("JSON Schema", "json_schema"),
        ("jsonschema", "jsonschema_api"),
        ("Asyncio", "asyncio_api"),
        ("Tests", "tests_api"),
        ("User Service", "user_service"),
    ],
)
def test_default_package_names_avoid_the_standard_library_and_dependencies(title: str, default: str) -> None:
    assert default_package_name(title) == default
    assert package_name_problem(default) == ""


def test_every_dependency_of_the_generated_package_is_refused() -> None:
    pyproject = (REPO_ROOT / "template" / "pyproject.toml.jinja").read_text("utf-8")
    wanted = re.findall(r'^    "([A-Za-z0-9_-]+)[>=<\[]', pyproject, flags=re.MULTILINE)
    assert "websockets" in wanted and "pytest-asyncio" in wanted
    for name in wanted:
        module = name.replace("-", "_").removeprefix("types_")
        assert package_name_problem(module), module
    assert "standard library" in package_name_problem("test")
    assert "standard library" in package_name_problem("json")
    assert "depends on" in package_name_problem("websockets")
