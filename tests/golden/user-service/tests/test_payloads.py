"""Payload classes: JSON round trips with wire names, and validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from user_service import payloads
from user_service.errors import PayloadError, PayloadValidationError

EXAMPLES: list[tuple[type[Any], str]] = [
    (payloads.UserSignedUp, '{"email": "example", "userId": "example"}'),
]


@pytest.mark.parametrize(("cls", "text"), EXAMPLES, ids=[c.__name__ for c, _ in EXAMPLES])
def test_round_trip(cls: type[Any], text: str) -> None:
    instance = cls.unmarshal(text, validate=False)
    assert json.loads(instance.marshal()) == json.loads(text)
    assert cls.unmarshal(instance.marshal(), validate=False) == instance
    assert cls.unmarshal(text.encode(), validate=False) == instance
    assert cls.from_json_data(json.loads(text), validate=False) == instance


@pytest.mark.parametrize(("cls", "text"), EXAMPLES, ids=[c.__name__ for c, _ in EXAMPLES])
def test_validation_agrees_with_instance_check(cls: type[Any], text: str) -> None:
    instance = cls.unmarshal(text, validate=False)
    try:
        cls.validate_data(json.loads(text))
    except PayloadValidationError:
        with pytest.raises(PayloadValidationError):
            instance.validate()
    else:
        instance.validate()
        assert cls.unmarshal(text) == instance


def test_not_json_is_refused() -> None:
    cls = EXAMPLES[0][0]
    with pytest.raises(PayloadError):
        cls.unmarshal("{not json")


def test_user_signed_up_refuses_a_non_object() -> None:
    with pytest.raises(PayloadValidationError) as caught:
        payloads.UserSignedUp.unmarshal("[]")
    assert caught.value.path == "$"
