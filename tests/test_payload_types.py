"""Payload models per JSON Schema keyword, on generated packages imported in-process.

``tests/specs/payload-features.yaml`` has one channel per feature; the real-world
``v3__codegen-runtime-payload-types.json`` (54 schemas, from ../shared) is checked model by model:
marshal, unmarshal from text, bytes and dict, round trips, and valid and invalid instances.
"""

from __future__ import annotations

import datetime
import importlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest
from asyncapi_ws_codegen.ir import Api
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from helpers import REAL_SPECS, SPECS, check_package, generate

FEATURES = SPECS / "payload-features.yaml"
PAYLOAD_TYPES = REAL_SPECS / "v3__codegen-runtime-payload-types.json"


def import_package(project: Path, package: str) -> ModuleType:
    """Import a generated package from its ``src`` folder (fresh, whatever was imported before)."""
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(project / "src"))
    try:
        importlib.import_module(package)
        return importlib.import_module(f"{package}.payloads")
    finally:
        sys.path.remove(str(project / "src"))


@pytest.fixture(scope="module")
def features_project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        template_v1, tmp_path_factory.mktemp("features") / "svc", spec_source=str(FEATURES), package_name="features"
    )


@pytest.fixture(scope="module")
def p(features_project: Path) -> Iterator[ModuleType]:
    yield import_package(features_project, "features")


@pytest.fixture(scope="module")
def errors(p: ModuleType) -> ModuleType:
    return importlib.import_module("features.errors")


def roundtrip(cls: Any, data: Any) -> Any:
    """Unmarshal (validated) and check every way back gives the same data and instance."""
    text = json.dumps(data)
    instance = cls.unmarshal(text)
    assert json.loads(instance.marshal()) == data
    assert cls.unmarshal(instance.marshal()) == instance
    assert cls.unmarshal(text.encode()) == instance
    assert cls.from_json_data(data) == instance
    return instance


@pytest.mark.slow
def test_features_package_passes_its_own_checks(features_project: Path) -> None:
    output = check_package(features_project)
    assert " passed" in output and "failed" not in output


def test_nested_objects_inline_and_referenced(p: ModuleType) -> None:
    data = {"id": "o1", "customer": {"name": "Ann", "vip": True}, "lines": [{"sku": "a", "quantity": 2}]}
    order = roundtrip(p.Order, data)
    assert isinstance(order.customer, p.Customer) and order.customer.vip is True
    assert isinstance(order.lines[0], p.OrderLinesItem) and order.lines[0].quantity == 2
    assert order.shipping is None
    built = p.Order(id_="o1", customer=p.Customer(name="Ann", vip=True), lines=[p.OrderLinesItem(sku="a", quantity=2)])
    assert built == order
    with_shipping = roundtrip(p.Order, {**data, "shipping": {"city": "Oslo"}})
    assert with_shipping.shipping == p.OrderShipping(city="Oslo")


def test_exact_tuple_keeps_positions(p: ModuleType, errors: ModuleType) -> None:
    point = roundtrip(p.Point, [1.5, 2, {"name": "origin"}])
    assert point.value == (1.5, 2, p.Customer(name="origin"))
    for bad in ([1.5, 2], [1.5, 2, {"name": "x"}, 4], ["a", 2, {"name": "x"}]):
        with pytest.raises(errors.PayloadValidationError):
            p.Point.unmarshal(json.dumps(bad))


def test_open_tuple_and_prefix_items_stay_lists(p: ModuleType) -> None:
    loose = roundtrip(p.Loose, {"pair": ["a", 1, "extra"], "anything": {"x": [1, None]}})
    assert loose.pair == ["a", 1, "extra"]
    assert loose.anything == {"x": [1, None]}


def test_enums_and_const_are_python_values(p: ModuleType, errors: ModuleType) -> None:
    data = {"colour": "red", "level": 2, "mixed": True, "maybe": None, "fixed": "v1", "zero": 0, "ratio": 0.5}
    enums = roundtrip(p.Enums, data)
    assert (enums.colour, enums.level, enums.mixed, enums.maybe, enums.zero) == ("red", 2, True, None, 0)
    hints = typing.get_type_hints(p.Enums)
    assert hints["colour"] == Literal["red", "green", "blue"]
    assert hints["maybe"] == Literal["a"] | None
    assert hints["mixed"] == Literal["on", 1, True]  # str, int and bool members stay distinct
    assert roundtrip(p.Enums, {**data, "mixed": "on"}).mixed == "on"
    # `true` is not the enum member 1, `false` is not the const 0: JSON equality, not Python's.
    for wrong in ({"mixed": 2}, {"zero": False}, {"level": True}, {"maybe": "b"}, {"fixed": "v2"}, {"ratio": 1}):
        with pytest.raises(errors.PayloadValidationError) as caught:
            p.Enums.unmarshal(json.dumps({**data, **wrong}))
        assert caught.value.keyword in ("enum", "const")


def test_discriminator_property_picks_the_class(p: ModuleType) -> None:
    dog = roundtrip(p.Pet, {"petType": "dog", "bark": "woof"})
    cat = roundtrip(p.Pet, {"petType": "cat", "meow": 3})
    assert isinstance(dog.value, p.Dog) and isinstance(cat.value, p.Cat)
    assert p.Pet(value=p.Cat(meow=3)).marshal() == '{"petType":"cat","meow":3}'


def test_discriminator_mapping_picks_the_class(p: ModuleType, errors: ModuleType) -> None:
    assert isinstance(roundtrip(p.Vehicle, {"type": "car", "wheels": 4}).value, p.Car)
    assert isinstance(roundtrip(p.Vehicle, {"type": "boat", "sails": 2}).value, p.Boat)
    with pytest.raises(errors.PayloadValidationError):  # both options accept it: oneOf refuses
        p.Vehicle.unmarshal('{"type": "car", "wheels": 4, "sails": 2}')


def test_const_property_dispatch_without_discriminator(p: ModuleType) -> None:
    shape = roundtrip(p.Shape, {"shape": {"kind": "square", "side": 2}, "history": [{"kind": "circle", "radius": 1}]})
    assert isinstance(shape.shape, p.Square)
    assert isinstance(shape.history[0], p.Circle)


def test_union_without_tag_tries_each_schema(p: ModuleType, errors: ModuleType) -> None:
    by_phone = roundtrip(p.Contact, {"via": {"phone": "+47123"}})
    by_mail = roundtrip(p.Contact, {"via": {"email": "a@b.c"}})
    plain = roundtrip(p.Contact, {"via": "carrier pigeon"})
    assert type(by_phone.via).__name__ == "ContactViaOneOfOption2"
    assert type(by_mail.via).__name__ == "ContactViaOneOfOption1"
    assert plain.via == "carrier pigeon"
    with pytest.raises(errors.PayloadValidationError):
        p.Contact.unmarshal('{"via": {"phone": "123"}}')


def test_all_of_is_merged(p: ModuleType, errors: ModuleType) -> None:
    employee = roundtrip(p.Employee, {"name": "Bo", "salary": 10, "manager": {"name": "Al"}})
    assert (employee.name, employee.salary, employee.manager) == ("Bo", 10, p.Named(name="Al"))
    with pytest.raises(errors.PayloadValidationError) as caught:
        p.Employee.unmarshal('{"salary": 1}')
    assert caught.value.keyword == "required"


def test_additional_properties_kept_apart_from_declared_ones(p: ModuleType, errors: ModuleType) -> None:
    metrics = roundtrip(p.Metrics, {"host": "h", "additional_properties": "declared", "cpu": 0.5, "mem": 3})
    assert metrics.additional_properties_ == "declared"
    assert metrics.additional_properties == {"cpu": 0.5, "mem": 3}
    with pytest.raises(errors.PayloadValidationError):
        p.Metrics.unmarshal('{"host": "h", "cpu": "high"}')
    closed = roundtrip(p.Closed, {"only": "x"})
    assert not hasattr(closed, "additional_properties")
    with pytest.raises(errors.PayloadValidationError) as caught:
        p.Closed.unmarshal('{"only": "x", "other": 1}')
    assert caught.value.keyword == "additionalProperties"


def test_pattern_properties(p: ModuleType, errors: ModuleType) -> None:
    labels = roundtrip(p.Labels, {"name": "n", "x-team": "core"})
    assert labels.additional_properties == {"x-team": "core"}
    with pytest.raises(errors.PayloadValidationError):
        p.Labels.unmarshal('{"team": "core"}')
    with pytest.raises(errors.PayloadValidationError):
        p.Labels.unmarshal('{"x-team": 1}')


def test_a_pattern_ends_at_the_true_end_of_the_text(p: ModuleType, errors: ModuleType) -> None:
    # `^[a-z]+$` in JSON Schema (ECMA-262) refuses a final newline; Python's `$` alone would not.
    assert p.Word.unmarshal('"abc"').value == "abc"
    for text in ('"abc\\n"', '"ABC"'):
        with pytest.raises(errors.PayloadValidationError) as caught:
            p.Word.unmarshal(text)
        assert caught.value.keyword == "pattern"


def test_formats(p: ModuleType, errors: ModuleType) -> None:
    data = {
        "day": "2024-02-29",
        "at": "2024-02-29T10:00:00.5+01:00",
        "id": "0B5E7F5E-3C1D-4A8E-9B2F-6D7C8E9FA0B1",
        "clock": "23:59:60Z",
        "mail": "a@b",
        "site": "urn:isbn:0451450523",
        "host": "a-b.example",
        "v4": "10.0.0.255",
        "v6": "::ffff:10.0.0.1",
        "size": 2**40,
        "days": ["2024-01-01"],
    }
    stamped = roundtrip(p.Stamped, data)
    assert stamped.day == datetime.date(2024, 2, 29)
    assert stamped.days == [datetime.date(2024, 1, 1)]
    assert stamped.at == data["at"]  # kept as text: datetime would not give back the same text
    bad = {
        "day": "2023-02-29",
        "at": "2024-01-01 10:00:00Z",
        "id": "not-a-uuid",
        "clock": "10:00:00",
        "mail": "nobody",
        "site": "no scheme",
        "host": "-bad-.example",
        "v4": "010.0.0.1",
        "v6": "fe80::1%eth0",
    }
    for key, value in bad.items():
        with pytest.raises(errors.PayloadValidationError) as caught:
            p.Stamped.unmarshal(json.dumps({**data, key: value}))
        assert caught.value.keyword == "format", key
        assert caught.value.path == f"$.{key}"


def test_required_optional_nullable_and_unset(p: ModuleType, errors: ModuleType) -> None:
    profile = roundtrip(p.Profile, {"id": "1", "nickname": None})
    assert profile.nickname is None and profile.bio is None
    assert profile.avatar is importlib.import_module("features._runtime.unset").UNSET
    with_null = roundtrip(p.Profile, {"id": "1", "nickname": "n", "avatar": None})
    assert with_null.avatar is None
    assert with_null != roundtrip(p.Profile, {"id": "1", "nickname": "n"})
    with pytest.raises(errors.PayloadValidationError) as caught:
        p.Profile.unmarshal('{"id": "1"}')  # nickname is required, even though it may be null
    assert caught.value.keyword == "required"
    with pytest.raises(errors.PayloadValidationError):
        p.Profile.unmarshal('{"id": "1", "nickname": "n", "bio": null}')
    with pytest.raises(TypeError):
        p.Profile(id_="1")  # required in Python too


def test_defaults_applied_and_round_trip_exact(p: ModuleType) -> None:
    profile = roundtrip(p.Profile, {"id": "1", "nickname": None})
    assert (profile.status, profile.retries, profile.public) == ("active", 3, True)
    assert profile.marshal() == '{"id":"1","nickname":null}'
    explicit = roundtrip(p.Profile, {"id": "1", "nickname": None, "status": "active"})
    assert explicit.marshal() == '{"id":"1","nickname":null,"status":"active"}'
    assert explicit == profile
    built = p.Profile(id_="1", nickname=None)
    assert json.loads(built.marshal()) == {
        "id": "1",
        "nickname": None,
        "status": "active",
        "retries": 3,
        "public": True,
    }


def test_type_lists(p: ModuleType, errors: ModuleType) -> None:
    assert roundtrip(p.Profile, {"id": "1", "nickname": None, "score": 1.5}).score == 1.5
    assert roundtrip(p.Profile, {"id": "1", "nickname": None, "score": "high"}).score == "high"
    with pytest.raises(errors.PayloadValidationError):
        p.Profile.unmarshal('{"id": "1", "nickname": null, "score": true}')


def test_recursive_schema(p: ModuleType) -> None:
    data = {"name": "root", "children": [{"name": "a", "children": [{"name": "a1"}]}], "parent": {"name": "up"}}
    tree = roundtrip(p.Node, data)
    assert tree.children[0].children[0] == p.Node(name="a1")
    assert tree.parent == p.Node(name="up")


def test_non_object_payloads_are_wrapped(p: ModuleType, errors: ModuleType) -> None:
    assert roundtrip(p.Word, "abc").value == "abc"
    assert roundtrip(p.Ratio, 0.25).value == 0.25
    assert roundtrip(p.Count, 10).value == 10
    assert roundtrip(p.Tags, ["a", "b"]).value == ["a", "b"]
    assert roundtrip(p.Nothing, None).value is None
    assert roundtrip(p.Either, "text").value == "text"
    assert roundtrip(p.Either, [1, 2, {"name": "n"}]).value == (1, 2, p.Customer(name="n"))
    for cls, bad in [
        (p.Word, "A1"),
        (p.Word, "a"),
        (p.Ratio, 0),
        (p.Count, 7),
        (p.Count, 5.5),
        (p.Count, True),
        (p.Tags, ["a", "a"]),
        (p.Nothing, 0),
    ]:
        with pytest.raises(errors.PayloadValidationError):
            cls.unmarshal(json.dumps(bad))
    assert p.Count.unmarshal("10.0").value == 10  # an integral number is an integer in JSON Schema


def test_not_and_if_then_else_are_enforced(p: ModuleType, errors: ModuleType) -> None:
    roundtrip(p.Gate, {"mode": "locked", "code": 1})
    roundtrip(p.Gate, {"mode": "open"})
    for bad in ({"mode": "locked"}, {"mode": "open", "code": 1}, {"mode": "open", "word": "forbidden"}):
        with pytest.raises(errors.PayloadValidationError):
            p.Gate.unmarshal(json.dumps(bad))


def test_binary_payloads(p: ModuleType, errors: ModuleType) -> None:
    blob = p.Blob(value=b"\x00\xff")
    assert blob.marshal() == b"\x00\xff"
    assert p.Blob.unmarshal(b"\x00\xff") == blob
    assert p.Blob.unmarshal("é").value == "é".encode()
    assert p.Chunk.from_json_data(b"abc").value == b"abc"
    with pytest.raises(errors.PayloadValidationError):
        p.Blob.from_json_data("text")


def test_validation_is_on_by_default_and_off_per_call(p: ModuleType, errors: ModuleType) -> None:
    with pytest.raises(errors.PayloadValidationError):
        p.Customer.unmarshal('{"name": ""}')
    assert p.Customer.unmarshal('{"name": ""}', validate=False).name == ""
    with pytest.raises(errors.PayloadValidationError):
        p.Customer(name="").marshal(validate=True)
    assert p.Customer(name="").marshal() == '{"name":""}'
    with pytest.raises(errors.PayloadDecodeError):
        p.Customer.unmarshal("[]", validate=False)


def test_errors_carry_path_and_keyword(p: ModuleType, errors: ModuleType) -> None:
    with pytest.raises(errors.PayloadValidationError) as caught:
        p.Order.unmarshal('{"id": "o", "customer": {"name": "A"}, "lines": [{"sku": "s", "quantity": 0}]}')
    assert caught.value.path == "$.lines[0].quantity"
    assert caught.value.keyword == "minimum"


# -- the 54 schemas of the reference generator's payload-type fixture ---------------------------------


@pytest.fixture(scope="module")
def payload_types_project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not PAYLOAD_TYPES.is_file():
        pytest.skip(f"{PAYLOAD_TYPES} is absent (the shared specs folder is not checked out beside the repo)")
    return generate(
        template_v1,
        tmp_path_factory.mktemp("payload-types") / "svc",
        spec_source=str(PAYLOAD_TYPES),
        package_name="payload_types",
    )


@pytest.fixture(scope="module")
def payload_types_api() -> Api:
    if not PAYLOAD_TYPES.is_file():
        pytest.skip(f"{PAYLOAD_TYPES} is absent")
    return build_api(load_spec(str(PAYLOAD_TYPES)).document, PAYLOAD_TYPES.name)


@pytest.fixture(scope="module")
def pt(payload_types_project: Path) -> ModuleType:
    return import_package(payload_types_project, "payload_types")


def test_every_component_schema_has_a_class(payload_types_api: Api) -> None:
    document = json.loads(PAYLOAD_TYPES.read_text("utf-8"))
    schemas = document["components"]["schemas"]
    assert len(schemas) == 54
    pointers = {model.schema_key for model in payload_types_api.models}
    missing = [name for name in schemas if f"/components/schemas/{name}" not in pointers]
    # Dog/Cat/mixins are only used inside other schemas; every message payload has its class.
    assert set(missing) <= {"BaseEntity", "TimestampMixin", "AuditMixin"}, missing
    assert all(model.example_checked for model in payload_types_api.models)


def test_payload_types_round_trip_valid_and_invalid(payload_types_api: Api, pt: ModuleType) -> None:
    errors = importlib.import_module("payload_types.errors")
    checked = 0
    for model in payload_types_api.json_models:
        cls = getattr(pt, model.class_name)
        data = json.loads(model.example_json)
        cls.validate_data(data)
        instance = cls.unmarshal(model.example_json)
        assert json.loads(instance.marshal()) == data, model.class_name
        assert cls.unmarshal(instance.marshal()) == instance
        assert cls.unmarshal(model.example_json.encode()) == instance
        assert cls.from_json_data(data) == instance
        if isinstance(data, dict):
            assert cls.unmarshal(data) == instance
        if model.invalid_json is not None:
            with pytest.raises(errors.PayloadValidationError):
                cls.unmarshal(model.invalid_json)
            checked += 1
    assert checked >= 50


@pytest.mark.parametrize(
    ("name", "valid", "invalid"),
    [
        ("StringWithMinLength", "abc", "ab"),
        ("StringWithMaxLength", "a" * 50, "a" * 51),
        ("StringWithPattern", "Hello", "hello"),
        ("NumberWithMinimum", 0, -0.5),
        ("NumberWithMaximum", 100, 100.5),
        ("NumberWithRange", 99.9, 100),
        ("IntegerWithRange", 10, 11),
        ("MultipleStringEnum", "deleted", "gone"),
        ("IntegerEnum", 5, 6),
        ("MixedTypeEnum", True, 1),
        ("NullableEnum", None, "option_c"),
        ("ArrayWithMinItems", ["a"], []),
        ("ArrayWithMaxItems", ["a"] * 5, ["a"] * 6),
        ("ArrayWithUniqueItems", ["a", "b"], ["a", "a"]),
        ("TupleArray", ["a", 1, True, "more"], ["a", "b"]),
        ("OneOfTwoTypes", 3, 1.5),
        ("OneOfThreeTypes", {"value": "v"}, [1]),
        ("OneOfWithDiscriminator", {"petType": "dog", "barkVolume": 3}, {"petType": "bird"}),
        ("AnyOfTwoTypes", {"name": "n", "id": 1}, {"id": "x", "name": 1}),
        ("AllOfTwoTypes", {"id": "1", "createdAt": "2024-01-01T00:00:00Z"}, {"id": "1", "createdAt": "yesterday"}),
        ("AllOfThreeTypes", {"id": "1", "createdBy": "me"}, {"name": "no id"}),
        ("ObjectAdditionalPropsFalse", {"known": "k"}, {"known": "k", "x": 1}),
        ("ObjectAdditionalPropsSchema", {"known": "k", "x": 1}, {"known": "k", "x": "1"}),
        ("FormatEmail", "a@example.com", "example.com"),
        ("FormatUri", "https://example.com/a?b#c", "/relative"),
        ("FormatUuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
        ("FormatDate", "2024-12-31", "2024-13-01"),
        ("FormatDateTime", "2024-12-31T23:59:59Z", "2024-12-31T23:59:59"),
        ("FormatTime", "23:59:59+02:00", "24:00:00Z"),
        ("FormatHostname", "example.com", "exa mple.com"),
        ("FormatIpv4", "192.168.0.1", "256.1.1.1"),
        ("FormatIpv6", "2001:db8::1", "2001:db8:::1"),
    ],
)
def test_payload_types_keywords(pt: ModuleType, name: str, valid: Any, invalid: Any) -> None:
    errors = importlib.import_module("payload_types.errors")
    cls = getattr(pt, name)
    instance = cls.unmarshal(json.dumps(valid))
    assert json.loads(instance.marshal()) == valid
    with pytest.raises(errors.PayloadValidationError):
        cls.unmarshal(json.dumps(invalid))
