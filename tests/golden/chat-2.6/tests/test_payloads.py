"""Payload classes: examples validate, JSON round trips keep wire names, bad data is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chat_rooms import payloads
from chat_rooms.errors import PayloadError, PayloadValidationError

# (class, example JSON text, whether the example was built to satisfy every constraint)
EXAMPLES: list[tuple[type[Any], str, bool]] = [
    (
        payloads.ChatMessage,
        '{"author": "ada", "sentAt": "2024-05-01T12:00:00Z", "text": "Hello, room!"}',
        True,
    ),
    (
        payloads.Presence,
        '{"state": "joined", "user": "ada"}',
        True,
    ),
    (
        payloads.Status,
        '{"healthy": true, "rooms": 3}',
        True,
    ),
]
# (class, JSON text the schema rejects)
INVALID: list[tuple[type[Any], str]] = [
    (
        payloads.ChatMessage,
        "[]",
    ),
    (
        payloads.Presence,
        "[]",
    ),
    (
        payloads.Status,
        "[]",
    ),
]


def _ids(rows: list[Any]) -> list[str]:
    return [row[0].__name__ for row in rows]


@pytest.mark.parametrize(("cls", "text", "checked"), EXAMPLES, ids=_ids(EXAMPLES))
def test_example_is_valid(cls: type[Any], text: str, checked: bool) -> None:
    try:
        cls.validate_data(json.loads(text))
    except PayloadValidationError as exc:
        if checked:
            raise
        pytest.skip(f"no valid example could be built for this schema: {exc}")


@pytest.mark.parametrize(("cls", "text", "checked"), EXAMPLES, ids=_ids(EXAMPLES))
def test_round_trip(cls: type[Any], text: str, checked: bool) -> None:
    validate = checked
    data = json.loads(text)
    try:
        instance = cls.unmarshal(text, validate=validate)
    except PayloadError as exc:
        if checked:
            raise
        pytest.skip(f"no example of this class could be built: {exc}")
    assert json.loads(instance.marshal()) == data
    assert instance.to_json_data() == data
    assert cls.unmarshal(instance.marshal(), validate=validate) == instance
    assert cls.unmarshal(text.encode(), validate=validate) == instance
    if isinstance(data, dict):  # parsed data; a str is always JSON text to unmarshal
        assert cls.unmarshal(data, validate=validate) == instance
    assert cls.from_json_data(data, validate=validate) == instance
    if validate:
        instance.validate()


@pytest.mark.parametrize(("cls", "text"), INVALID, ids=_ids(INVALID))
def test_invalid_data_is_refused(cls: type[Any], text: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        cls.unmarshal(text)
    assert caught.value.keyword
    assert caught.value.path.startswith("$")
    with pytest.raises(PayloadValidationError):
        cls.validate_data(json.loads(text))


def test_not_json_is_refused() -> None:
    cls = EXAMPLES[0][0]
    with pytest.raises(PayloadError):
        cls.unmarshal("{not json")
    with pytest.raises(PayloadError):
        cls.unmarshal("NaN")
