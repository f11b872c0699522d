"""Identifiers from hostile names: valid, not reserved, deterministic, collision-free."""

from __future__ import annotations

import keyword

import pytest
from asyncapi_ws_codegen.pytext.identifiers import Namespace, pascal_case, snake_case, upper_snake
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
