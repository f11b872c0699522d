"""The schema compiler on its own: type mapping, naming, fields, examples, layout helpers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from asyncapi_ws_codegen.examples.format_checks import format_verdict
from asyncapi_ws_codegen.examples.pattern_strings import pattern_example
from asyncapi_ws_codegen.examples.synthesiser import Synthesiser
from asyncapi_ws_codegen.examples.value_checks import conforms, invalid
from asyncapi_ws_codegen.ir import Api, Model
from asyncapi_ws_codegen.normalise.api_builder import build_api
from asyncapi_ws_codegen.pytext.literals import python_literal
from asyncapi_ws_codegen.render.layout import fitted
from asyncapi_ws_codegen.render.payloads_module import payloads_module, type_alias_line
from asyncapi_ws_codegen.schema.validation_document import draft7_compatible
from vendored_runtime import runtime_module


def api_for(payload: Any, **schemas: Any) -> Api:
    """The API of a one-message document whose payload is ``payload``."""
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "channels": {"c": {"address": "c", "messages": {"Msg": {"payload": payload}}}},
        "operations": {"send": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
        "components": {"schemas": schemas},
    }
    return build_api(document, "test.yaml")


def model(api: Api, name: str) -> Model:
    return next(m for m in api.models if m.class_name == name)


def annotations(api: Api, name: str) -> dict[str, str]:
    return {f.name: f.annotation for f in model(api, name).fields}


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"type": "string"}, "str"),
        ({"type": "integer"}, "int"),
        ({"type": "number"}, "float"),
        ({"type": "boolean"}, "bool"),
        ({"type": "null"}, "None"),
        ({"type": ["string", "null"]}, "str | None"),
        ({"type": ["integer", "number"]}, "float"),
        ({"type": "string", "format": "date"}, "_dt.date"),
        ({"type": "string", "format": "date-time"}, "str"),
        ({"type": "string", "format": "uuid"}, "str"),
        ({"enum": ["a", "b"]}, 'Literal["a", "b"]'),
        ({"enum": ["a", 1, True, None]}, 'Literal["a", 1, True] | None'),
        ({"enum": [1.5, 2]}, "float"),
        ({"enum": [None]}, "None"),
        ({"const": "x"}, 'Literal["x"]'),
        ({"type": "array", "items": {"type": "string"}}, "list[str]"),
        ({"type": "array"}, "list[Any]"),
        (
            {
                "type": "array",
                "items": [{"type": "string"}, {"type": "integer"}],
                "minItems": 2,
                "additionalItems": False,
            },
            "tuple[str, int]",
        ),
        ({"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "integer"}}, "list[str | int]"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, "dict[str, int]"),
        ({"type": "object"}, "dict[str, Any]"),
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, "str | int"),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "str | None"),
        ({"allOf": [{"type": "string", "minLength": 1}]}, "str"),
        ({}, "Any"),
        ({"not": {"type": "string"}}, "Any"),
    ],
)
def test_type_mapping(schema: dict[str, Any], annotation: str) -> None:
    api = api_for({"type": "object", "required": ["v"], "properties": {"v": schema}})
    assert annotations(api, "Msg")["v"] == annotation


def test_optional_nullable_default_and_required_fields() -> None:
    api = api_for(
        {
            "type": "object",
            "required": ["a", "b"],
            "properties": {
                "a": {"type": "string"},
                "b": {"type": ["string", "null"]},
                "c": {"type": "string"},
                "d": {"type": ["string", "null"]},
                "e": {"type": "integer", "default": 3},
                "f": {"type": "integer", "default": "not an integer"},
            },
        }
    )
    fields = {f.name: f for f in model(api, "Msg").fields}
    assert (fields["a"].annotation, fields["a"].default) == ("str", None)
    assert (fields["b"].annotation, fields["b"].default) == ("str | None", None)
    assert (fields["c"].annotation, fields["c"].default) == ("str | None", "None")
    assert (fields["d"].annotation, fields["d"].default) == ("str | None | Unset", "UNSET")
    assert (fields["e"].annotation, fields["e"].default, fields["e"].applies_default) == ("int", "3", True)
    assert fields["f"].applies_default is False  # a default the schema itself rejects is not applied
    assert api.uses_unset


def test_nested_objects_are_named_by_path_and_refs_by_component() -> None:
    api = api_for(
        {
            "type": "object",
            "properties": {
                "outer": {"type": "object", "properties": {"inner": {"type": "object", "properties": {"x": {}}}}},
                "ref": {"$ref": "#/components/schemas/Thing"},
                "again": {"$ref": "#/components/schemas/Thing"},
            },
        },
        Thing={"type": "object", "properties": {"id": {"type": "string"}}},
    )
    names = [m.class_name for m in api.models]
    assert names == ["MsgOuterInner", "MsgOuter", "Thing", "Msg"]
    assert annotations(api, "Msg")["again"] == "Thing | None"


def test_names_are_deterministic() -> None:
    payload = {"type": "object", "properties": {"a b": {"type": "object", "properties": {"x": {}}}, "a-b": {}}}
    first = api_for(payload)
    second = api_for(json.loads(json.dumps(payload)))
    assert first.models == second.models
    assert [f.name for f in model(first, "Msg").fields] == ["a_b", "a_b_2"]


def test_reserved_field_names_do_not_collide() -> None:
    api = api_for({"type": "object", "properties": {"additional_properties": {}, "validate": {}, "class": {}}})
    assert [f.name for f in model(api, "Msg").fields] == ["additional_properties_", "validate_", "class_"]


def test_all_of_merges_properties_and_required() -> None:
    api = api_for(
        {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {"type": "integer"}}, "required": ["b"]}]},
        A={"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
    )
    fields = {f.name: f for f in model(api, "Msg").fields}
    assert fields["a"].required and fields["b"].required
    assert model(api, "Msg").extra_annotation == "dict[str, Any]"


def test_closed_objects_have_no_extra_mapping() -> None:
    api = api_for({"type": "object", "properties": {"a": {}}, "additionalProperties": False})
    assert model(api, "Msg").extra_annotation is None


def test_discriminated_union_builds_a_decoder() -> None:
    api = api_for(
        {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}], "discriminator": "k"},
        A={"type": "object", "properties": {"k": {"const": "a"}}},
        B={"type": "object", "properties": {"k": {"const": "b"}}},
    )
    wrapper = model(api, "Msg")
    assert wrapper.is_wrapper and wrapper.fields[0].annotation == "A | B"
    (decoder,) = wrapper.decoders
    assert decoder.tag_literal == '"k"'
    assert [case.test for case in decoder.cases] == ['"a"', '"b"']
    assert [case.test for case in decoder.tries] == ['"/components/schemas/A"', '"/components/schemas/B"']


def test_union_without_common_const_tries_each_option() -> None:
    api = api_for({"anyOf": [{"type": "object", "properties": {"a": {}}}, {"type": "object", "properties": {"b": {}}}]})
    (decoder,) = model(api, "Msg").decoders
    assert decoder.tag_literal is None and not decoder.cases and len(decoder.tries) == 2


def test_recursive_schema_refers_to_itself() -> None:
    api = api_for(
        {"$ref": "#/components/schemas/Node"},
        Node={"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
    )
    assert annotations(api, "Node")["next_"] == "Node | None"


def test_long_annotations_get_an_alias() -> None:
    values = [f"value-number-{i}" for i in range(12)]
    api = api_for({"type": "object", "properties": {"v": {"enum": values}}})
    msg = model(api, "Msg")
    # The IR keeps the annotation whole; the render stage declares the alias.
    assert msg.fields[0].annotation.startswith('Literal["value-number-0"')
    module = payloads_module(api)
    layout = next(m for m in module.models if m.model is msg)
    (alias,) = layout.aliases
    assert alias.name == "MsgVType" and alias.annotation == msg.fields[0].annotation
    assert layout.attribute_lines == ("    v: MsgVType = None",)
    assert type_alias_line(alias).startswith(f"{alias.name}: TypeAlias = ")
    assert "TypeAlias" in module.typing_imports


def test_prefix_items_are_spelt_the_draft7_way() -> None:
    schema = {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}}
    assert draft7_compatible(schema) == {
        "type": "array",
        "items": [{"type": "string"}],
        "additionalItems": {"type": "integer"},
    }
    assert draft7_compatible({"items": [{}], "prefixItems": [{}]}) == {"items": [{}], "prefixItems": [{}]}


def test_examples_and_invalid_instances_are_recorded() -> None:
    api = api_for(
        {
            "type": "object",
            "required": ["n", "s", "when"],
            "properties": {
                "n": {"type": "integer", "minimum": 10, "multipleOf": 7},
                "s": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
                "when": {"type": "string", "format": "date"},
            },
        }
    )
    msg = model(api, "Msg")
    example = json.loads(msg.example_json)
    assert example["n"] >= 10 and example["n"] % 7 == 0
    assert re.search("^[A-Z]{3}-[0-9]{2}$", example["s"])
    assert example["when"] == "2024-01-02"
    assert msg.example_checked
    assert msg.invalid_json == "[]"


def _never(schema: Any) -> Any:
    return schema


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "minLength": 5, "maxLength": 6},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        {"type": "integer", "minimum": -5, "maximum": -3},
        {"type": "array", "items": {"type": "string"}, "minItems": 3, "uniqueItems": True},
        {"type": "array", "contains": {"const": 4}},
        {"type": "object", "minProperties": 2},
        {"oneOf": [{"type": "number"}, {"type": "string"}]},
        {"enum": [None, "x"], "type": "string"},
        {"type": "string", "pattern": "^(ab|cd)+\\d{2,}$"},
        {"type": "string", "pattern": "[^a-z]"},
    ],
)
def test_synthesised_values_conform(schema: dict[str, Any]) -> None:
    synthesiser = Synthesiser(_never)
    value = synthesiser.valid(schema)
    assert synthesiser.confident
    assert conforms(value, schema, _never) is True


def test_unsatisfiable_schemas_are_not_trusted() -> None:
    synthesiser = Synthesiser(_never)
    value = synthesiser.valid({"type": "string", "enum": [True]})
    assert not synthesiser.confident or conforms(value, {"type": "string", "enum": [True]}, _never) is not True
    assert conforms({}, {"if": {"required": []}, "then": False}, _never) is False


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [("^[a-z]+$", True), ("^\\d{3}$", True), ("(?=a)a", False), ("^a|b$", True), ("x(y)\\1", True)],
)
def test_pattern_example(pattern: str, ok: bool) -> None:
    text = pattern_example(pattern)
    assert (text is not None) == ok
    if text is not None:
        assert re.search(pattern, text)


def test_invalid_instance_only_when_certain() -> None:
    assert invalid({"type": "object"}, _never) == (True, [])
    assert invalid({"type": ["array", "object"]}, _never) == (True, "not-a-valid-value")
    assert invalid({"enum": ["a"]}, _never)[0]
    assert invalid({"not": {"type": "string"}}, _never) == (False, None)


def test_python_literal_and_layout() -> None:
    assert python_literal({"a": [1, 1.5, None, True, 'q"']}) == '{"a": [1, 1.5, None, True, \'q"\']}'
    assert fitted("    x = 1") == "    x = 1"
    long = "    x = " + "a" * 100
    assert fitted(long) == long + "  # fmt: skip"


FORMAT_SAMPLES = [
    "2024-05-01",
    "2024-02-30",
    "2024-05-01T12:00:00Z",
    "2024-05-01t12:00:00.123+02:00",
    "2024-05-01T24:00:00Z",
    "2024-05-01T23:59:60z",
    "2024-05-01 12:00:00Z",
    "12:00:00Z",
    "12:00:00",
    "12:00:00+24:00",
    "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1",
    "0B5E7F5E-3C1D-4A8E-9B2F-6D7C8E9FA0B1",
    "0b5e7f5e3c1d4a8e9b2f6d7c8e9fa0b1",
    "192.0.2.1",
    "192.0.2.01",
    "256.1.1.1",
    "",
    "٢٠٢٤-05-01",
]


@pytest.mark.parametrize("fmt", ["date", "date-time", "time", "uuid", "ipv4"])
def test_generator_format_checks_agree_with_the_runtime(fmt: str) -> None:
    # The document's examples are vetted with these checks before the package's own validators
    # run them in the generated tests: the two verdicts must be the same.
    runtime = runtime_module("validation").FORMATS[fmt]
    for value in FORMAT_SAMPLES:
        assert format_verdict(fmt, value) is runtime(value), value
    assert format_verdict("email", "a@b") is None
