"""Values a document cannot hold, refused where they are written: JSON has no NaN, no infinities,
no bytes, sets or timestamps, no lone surrogates; Python reads no 4,300-digit number; and a pattern
Python's ``re`` cannot run (or reads otherwise) would fail every message of the generated package."""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api

YAML = """\
asyncapi: 3.0.0
info: {title: Values, version: 1.0.0}
channels:
  c:
    address: c
    messages:
      m:
        payload:
          type: object
          properties:
            x: SCHEMA
"""


def refusal(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(str(path)).document, str(path))
    return caught.value


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        ("{type: number, default: .nan}", "'.nan' is not a JSON number"),
        ("{type: number, enum: [1, -.inf]}", "'-.inf' is not a JSON number"),
        ("{type: string, default: !!binary aGVsbG8=}", "the YAML tag 'binary' makes a value JSON cannot hold"),
        ("{type: string, default: !!set {a: null}}", "the YAML tag 'set'"),
        ("{type: string, default: !!timestamp 2001-12-14}", "the YAML tag 'timestamp'"),
        ("{type: integer, maximum: " + "9" * 5000 + "}", "an integer of 5000 digits"),
    ],
    ids=["nan", "infinity", "binary", "set", "timestamp", "long-integer"],
)
def test_yaml_values_json_cannot_hold_are_refused_with_their_line(schema: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(YAML.replace("SCHEMA", schema), "utf-8")
    error = refusal(path)
    assert error.location.line == 11 and problem in error.problem, error
    assert error.hint == "quote it to make it a string, or write a JSON value"


def test_a_plain_timestamp_stays_a_string(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(YAML.replace("SCHEMA", "{type: string, default: 2001-12-14}"), "utf-8")
    schema = load_spec(str(path)).document["channels"]["c"]["messages"]["m"]["payload"]["properties"]["x"]
    assert schema["default"] == "2001-12-14"


@pytest.mark.parametrize(
    ("text", "problem", "pointer"),
    [
        ('{"asyncapi": "3.0.0", "info": {"title": "T", "version": "1", "x-n": NaN}}', "NaN is not a JSON number", ""),
        ('{"asyncapi": "3.0.0", "info": {"title": "T", "version": "1", "x-n": ' + "9" * 5000 + "}}", "4,300", ""),
        (
            '{"asyncapi": "3.0.0", "info": {"title": "T\\ud800", "version": "1"}}',
            "lone UTF-16 surrogate",
            "/info/title",
        ),
    ],
    ids=["nan", "long-integer", "lone-surrogate"],
)
def test_json_values_json_cannot_hold_are_refused(text: str, problem: str, pointer: str, tmp_path: Path) -> None:
    path = tmp_path / "values.json"
    path.write_text(text, "utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert problem in caught.value.problem and caught.value.location.pointer == pointer


def test_a_surrogate_pair_escape_is_text(tmp_path: Path) -> None:
    path = tmp_path / "values.json"
    path.write_text('{"asyncapi": "3.0.0", "info": {"title": "T\\ud83d\\ude00", "version": "1"}}', "utf-8")
    assert load_spec(str(path)).document["info"]["title"] == "T\U0001f600"


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        (r"{type: string, pattern: '\p{L}+'}", "bad escape \\p"),
        ("{type: string, pattern: '(?<name>a)'}", "unknown extension ?<n"),
        ("{type: string, pattern: '^[[:alpha:]]+$'}", "Possible nested set"),
        ("{type: object, patternProperties: {'(?<n>x)': {type: string}}}", "unknown extension ?<n"),
    ],
    ids=["unicode-class", "ecma-named-group", "posix-class", "pattern-properties"],
)
def test_patterns_python_cannot_run_alike_are_refused_where_written(schema: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(YAML.replace("SCHEMA", schema), "utf-8")
    error = refusal(path)
    assert error.location.line == 11 and problem in error.problem, error
    assert error.location.pointer.startswith("/channels/c/messages/m/payload/properties/x/pattern")
    assert "(?P<name>...)" in error.hint


def test_patterns_python_reads_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(YAML.replace("SCHEMA", r"{type: string, pattern: '^(?P<w>\w+)-[a-z]{2,}$'}"), "utf-8")
    assert build_api(load_spec(str(path)).document, str(path)).models


ADDRESS = """\
asyncapi: 3.0.0
info: {title: Addresses, version: 1.0.0}
channels:
  files:
    address: ADDRESS
    parameters:
      name: {}
      ext: {}
"""


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("files/{name}/{name}", "uses {name} more than once"),
        ("files/{name}{ext}", "two parameters with nothing between them"),
    ],
    ids=["repeated", "adjacent"],
)
def test_addresses_whose_values_cannot_be_told_apart_are_refused(address: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "addresses.yaml"
    path.write_text(ADDRESS.replace("ADDRESS", address), "utf-8")
    error = refusal(path)
    assert error.location.pointer == "/channels/files/address" and error.location.line == 5
    assert problem in error.problem


def test_parameters_with_a_separator_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "addresses.yaml"
    path.write_text(ADDRESS.replace("ADDRESS", "files/{name}.{ext}"), "utf-8")
    (channel,) = build_api(load_spec(str(path)).document, str(path)).channels
    assert [p.wire_name for p in channel.parameters] == ["name", "ext"]


def test_a_ref_that_is_not_text_is_refused_where_written(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Refs, version: 1.0.0}\nchannels:\n  c: {address: c}\n"
        "operations:\n  s:\n    action: send\n    channel: {$ref: ['#/channels/c']}\n",
        "utf-8",
    )
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    assert caught.value.location.pointer == "/operations/s/channel/$ref" and caught.value.location.line == 8
    assert "`$ref` must be a string, found list" in caught.value.problem


def test_a_property_called_ref_is_a_property(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(YAML.replace("SCHEMA", "{type: object, properties: {$ref: {type: string}}}"), "utf-8")
    schema = load_spec(str(path)).document["channels"]["c"]["messages"]["m"]["payload"]["properties"]["x"]
    assert schema["properties"] == {"$ref": {"type": "string"}}
