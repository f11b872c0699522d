"""The generated fast validator and ``jsonschema`` (Draft 7) give the same verdict on every instance.

The fast path (``fastjsonschema``, compiled) decides accept/reject in the generated packages, and
``jsonschema`` only explains rejections; so their verdicts must never differ. Both come from the
generated ``_runtime.validation`` module, with the same format functions. Schemas: every component schema
and message payload of the feature spec and of the real-world specs in ../shared, plus hand-written
edge cases. Instances: a synthesised valid one, systematic mutations of it, a pool of edge values,
a seeded random generator steered by the schema, and Hypothesis on top.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from asyncapi_ws_codegen.examples.synthesiser import Synthesiser
from asyncapi_ws_codegen.examples.value_checks import FORMAT_SAMPLES, conforms
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.schema.validation_document import draft7_compatible, python_patterns
from helpers import REAL_SPECS, SPECS, generate
from hypothesis import given, settings
from hypothesis import strategies as st

# Edge cases where a compiled validator is likely to part ways with the reference one.
EDGE_SCHEMAS: list[Any] = [
    {"type": "integer"},
    {"type": "number", "multipleOf": 0.1},
    {"type": "number", "multipleOf": 0.01, "maximum": 1},
    {"type": "integer", "multipleOf": 3},
    {"enum": [1, "1", True, None, [1], {"a": 1}]},
    {"enum": [False, 0.0]},
    {"const": 1},
    {"const": False},
    {"const": [1, {"a": True}]},
    {"const": {"a": [0]}},
    {"type": "array", "uniqueItems": True},
    {"type": "array", "items": {"type": "number"}, "uniqueItems": True},
    {"type": "array", "contains": {"type": "boolean"}},
    {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False},
    {"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}},
    {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
    {"type": "string", "pattern": "^[a-z]+$"},
    {"type": "string", "pattern": "\\d"},
    {"type": "string", "minLength": 2, "maxLength": 3},
    {"type": ["string", "null"], "format": "date-time"},
    {"format": "date"},
    {"format": "email"},
    {"format": "int32"},
    {"format": "regex"},
    {"format": "uri-reference"},
    {"format": "json-pointer"},
    {"format": "idn-hostname"},
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}, "additionalProperties": False},
    {"type": "object", "patternProperties": {"^x-": {"type": "string"}, "y$": {"type": "integer"}}},
    {"patternProperties": {"^a": {"minimum": 2}}, "additionalProperties": {"type": "boolean"}},
    {"propertyNames": {"maxLength": 2}},
    {"minProperties": 1, "maxProperties": 2},
    {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
    {"if": {"properties": {"k": {"const": 1}}}, "then": {"required": ["v"]}, "else": {"not": {"required": ["v"]}}},
    {"not": {"type": "string"}},
    {"oneOf": [{"type": "number"}, {"type": "integer"}]},
    {"anyOf": [{"type": "string", "maxLength": 1}, {"type": "integer", "minimum": 5}]},
    {"allOf": [{"type": "object"}, {"required": ["a"]}]},
    {"exclusiveMinimum": 0, "exclusiveMaximum": 1},
    {"minimum": 0, "maximum": 0},
    {"type": "object", "properties": {"a": True, "b": False}},
    {
        "type": "object",
        "additionalProperties": {"$ref": "#/definitions/leaf"},
        "definitions": {"leaf": {"type": "null"}},
    },
    {
        "$ref": "#/definitions/node",
        "definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}},
    },
    {"properties": {"default": {"default": 5, "type": "integer"}}, "required": ["default"]},
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "time"},
    {"type": "string", "format": "ipv6"},
    {"type": "string", "format": "hostname"},
    True,
    False,
    {},
]

POOL: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    1.0,
    0.0,
    -0.0,
    0.5,
    0.3,
    1e308,
    2**64,
    -(2**63),
    3,
    6,
    0.30000000000000004,
    "",
    "a",
    "ab",
    "abc",
    "1",
    "A",
    "Hello",
    "x-a",
    "é",
    "\u0663",
    "\n",
    "2024-01-01",
    "2024-02-30",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00",
    "2024-01-01t00:00:00z",
    "24:00:00Z",
    "23:59:60Z",
    "12:00:00",
    "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1",
    "a@b",
    "@",
    "https://example.com/",
    "//example.com",
    "urn:x",
    "ex ample",
    "example.com",
    "-x.com",
    "192.168.0.1",
    "01.1.1.1",
    "::1",
    "::1%lo",
    "[",
    "^a+$",
    [],
    [1],
    [1, 1],
    [1, 1.0],
    [1, True],
    [0, False],
    ["a", 1],
    ["a", 1, True],
    [{"a": 1}, {"a": 1}],
    [[1], [True]],
    {},
    {"a": 1},
    {"a": None},
    {"a": True},
    {"b": 1},
    {"a": 1, "b": 2, "c": 3},
    {"x-a": "s"},
    {"x-a": 1},
    {"ay": 1},
    {"ay": 1.5},
    {"k": 1},
    {"k": 1, "v": 0},
    {"k": 2, "v": 0},
    {"k": True, "v": 0},
    {"next": {"next": {}}},
    {"next": {"next": 1}},
    {"default": 5},
    {"c": 1, "d": 1},
    {"abc": 1},
]


def _documents() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "payload-features", load_spec(str(SPECS / "payload-features.yaml")).document
    if REAL_SPECS.is_dir():
        for path in sorted(REAL_SPECS.iterdir()):
            if path.is_file() and path.suffix in (".json", ".yml", ".yaml"):
                try:
                    yield path.name, load_spec(str(path)).document
                except Exception:  # specs the loader refuses are other tests' business
                    continue


def _pointers(document: dict[str, Any]) -> Iterator[str]:
    components = document.get("components") if isinstance(document.get("components"), dict) else {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, (dict, bool)):
            yield f"/components/schemas/{_escape(name)}"
    for name, message in (components.get("messages") or {}).items():
        if isinstance(message, dict) and isinstance(message.get("payload"), dict):
            payload = message["payload"]
            if "schemaFormat" in payload and "schema" in payload:
                fmt = str(payload["schemaFormat"])
                if "json" not in fmt and "asyncapi" not in fmt:
                    continue
                yield f"/components/messages/{_escape(name)}/payload/schema"
            elif (
                "schemaFormat" not in message
                or "asyncapi" in str(message["schemaFormat"])
                or "json" in str(message["schemaFormat"])
            ):
                yield f"/components/messages/{_escape(name)}/payload"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _resolve(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for token in pointer.split("/")[1:]:
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def _python_spelling(components: dict[str, Any]) -> dict[str, Any]:
    """``components`` with the patterns of its schemas and payloads spelt as in ``schemas.json``."""
    spelt = dict(components)
    if isinstance(spelt.get("schemas"), dict):
        spelt["schemas"] = {name: python_patterns(schema) for name, schema in spelt["schemas"].items()}
    if isinstance(spelt.get("messages"), dict):
        messages = {}
        for name, message in spelt["messages"].items():
            if isinstance(message, dict) and isinstance(message.get("payload"), dict):
                payload = message["payload"]
                if "schemaFormat" in payload and "schema" in payload:
                    payload = {**payload, "schema": python_patterns(payload["schema"])}
                else:
                    payload = python_patterns(payload)
                message = {**message, "payload": payload}
            messages[name] = message
        spelt["messages"] = messages
    return spelt


def schema_cases() -> list[tuple[str, Any]]:
    # Generated packages validate against schemas with 2020-12 tuples spelt the draft 7 way.
    cases: list[tuple[str, Any]] = []
    for i, schema in enumerate(EDGE_SCHEMAS):
        cases.append((f"edge-{i}", draft7_compatible(schema)))
        # Patterns as schemas.json spells them for Python's re (`$` -> `\Z`), where that differs.
        if python_patterns(draft7_compatible(schema)) != cases[-1][1]:
            cases.append((f"edge-{i} (re spelling)", python_patterns(draft7_compatible(schema))))
    for name, document in _documents():
        pointers = list(_pointers(document))
        if not pointers:
            continue
        components = draft7_compatible(document["components"])
        spelt = _python_spelling(components)
        for pointer in pointers:
            # The generated packages validate exactly so: a $ref into the (pruned) document.
            # Only `components` travels along, as in a generated package's pruned schemas.json (the
            # document root may carry an `id` that would change how references resolve).
            cases.append((f"{name}#{pointer}", {"$ref": "#" + pointer, "components": components}))
            if spelt != components:
                cases.append((f"{name}#{pointer} (re spelling)", {"$ref": "#" + pointer, "components": spelt}))
    return cases


CASES = schema_cases()


@pytest.fixture(scope="module")
def generated_validation(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    project = generate(
        template_v1,
        tmp_path_factory.mktemp("differential") / "svc",
        spec_source=str(SPECS / "payload-features.yaml"),
        package_name="differential",
    )
    for name in [m for m in sys.modules if m.startswith("differential")]:
        del sys.modules[name]
    sys.path.insert(0, str(project / "src"))
    try:
        yield importlib.import_module("differential._runtime.validation")
    finally:
        sys.path.remove(str(project / "src"))


@pytest.fixture(scope="module", params=["python", "jsonschema-rs"])
def validation(request: pytest.FixtureRequest, generated_validation: ModuleType) -> ModuleType:
    """The generated module as it validates without the ``fast`` extra, then with jsonschema-rs."""
    module = generated_validation
    if request.param == "python":
        validator = functools.partial(module.SchemaValidator, library=False)
    else:
        if importlib.import_module("differential._runtime.rust_verdict").library() is None:
            pytest.skip("jsonschema-rs is not installed (the generated package's `fast` extra)")
        validator = functools.partial(module.SchemaValidator, library=True)
        assert module.SchemaValidator({"type": "string", "pattern": "^a"})._library is not None  # picked up
    return SimpleNamespace(**{**vars(module), "SchemaValidator": validator, "mode": request.param})  # type: ignore[return-value]


class Judge:
    """Both verdicts for one schema; with jsonschema-rs, its own verdict is compared too."""

    def __init__(self, validation: ModuleType, schema: Any) -> None:
        import jsonschema

        self.fast = validation.SchemaValidator(schema)
        self.reference = jsonschema.Draft7Validator(schema, format_checker=validation.FORMAT_CHECKER)

    def disagrees(self, value: Any) -> bool:
        expected = self.reference.is_valid(value)
        library = self.fast._library
        # jsonschema-rs only ever accepts, but on the values it is handed it must judge exactly
        # as jsonschema does (what it wrongly rejected would cost time, not a verdict).
        if library is not None and _plain(value) and library(value) != expected:
            return True
        return bool(self.fast.is_valid(value) != expected)


def _plain(value: Any) -> bool:
    return bool(importlib.import_module("differential._runtime.rust_verdict").plain(value))


def _follow(document: Any) -> Any:
    def follow(schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 50:
            ref = schema["$ref"]
            try:
                schema = _resolve(document, ref[1:]) if ref.startswith("#") else {}
            except (KeyError, IndexError, TypeError):
                return {}
            seen += 1
        return schema

    return follow


def mutations(value: Any, rng: random.Random, depth: int = 0) -> Iterator[Any]:
    """Near misses of ``value``: each part removed, replaced, duplicated, retyped."""
    yield from POOL
    if isinstance(value, dict):
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for replacement in rng.sample(POOL, 12):
                yield {**value, key: replacement}
            if depth < 3:
                for inner in _limited(mutations(value[key], rng, depth + 1), 40):
                    yield {**value, key: inner}
        yield {**value, "unexpected": 1}
    elif isinstance(value, list):
        if value:
            yield value[:-1]
            yield [*value, value[0]]
            for index in range(len(value)):
                for replacement in rng.sample(POOL, 8):
                    yield [*value[:index], replacement, *value[index + 1 :]]
                if depth < 3:
                    for inner in _limited(mutations(value[index], rng, depth + 1), 30):
                        yield [*value[:index], inner, *value[index + 1 :]]
        yield [*value, *rng.sample(POOL, 2)]
    elif isinstance(value, bool):
        yield not value
        yield int(value)
    elif isinstance(value, (int, float)):
        for delta in (-1, -0.5, -1e-9, 1e-9, 0.5, 1):
            yield value + delta
        yield float(value)
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            yield int(value)
    elif isinstance(value, str):
        yield value + "x"
        yield value[:-1]
        yield value.upper()
        yield " " + value


def _limited(items: Iterator[Any], count: int) -> Iterator[Any]:
    for index, item in enumerate(items):
        if index >= count:
            return
        yield item


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 6)
    if kind == 0:
        return rng.choice(POOL)
    if kind == 1:
        return rng.choice([rng.randint(-5, 5), rng.randint(-(2**40), 2**40), rng.uniform(-10, 10)])
    if kind == 2:
        return rng.choice([*list(FORMAT_SAMPLES.values()), "", "a" * rng.randint(0, 6)])
    if kind in (3, 4, 5):
        return rng.choice([None, True, False, 0, 1.5, "s"])
    if kind == 6:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["a", "b", "k", "v", "x-a", "ay", "name", "id", "type", "kind", "petType"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


_NO_CORPUS = "../shared/specs/real is absent: only the built-in schemas are compared, too few to judge coverage"


def test_there_are_many_schemas() -> None:
    if not REAL_SPECS.is_dir():
        pytest.skip(_NO_CORPUS)
    assert len(CASES) >= len(EDGE_SCHEMAS) + 40


def test_jsonschema_rs_checks_most_schemas(validation: ModuleType) -> None:
    # With the extra, most schemas of real documents, spelt as a package's schemas.json spells
    # them, get a jsonschema-rs check: the rest are those with `multipleOf`, boolean schemas and
    # patterns Rust would read otherwise. (The ECMA-262 spelling of a `$` is not what a package
    # holds: Python's `$` also matches before a final newline, so it is refused; schemas.json
    # spells it `\Z`, which is translated.) The hand-written edge cases are chosen to be awkward,
    # so they are not counted.
    if validation.mode == "python":
        assert validation.SchemaValidator({"type": "string"})._library is None
        return
    validators = {name: validation.SchemaValidator(schema) for name, schema in CASES}
    checked = {name for name, validator in validators.items() if validator._library is not None}
    names = set(validators)
    as_packages_hold_them = [
        name
        for name in names
        if not name.startswith("edge-") and (name.endswith("(re spelling)") or f"{name} (re spelling)" not in names)
    ]
    held_and_checked = [name for name in as_packages_hold_them if name in checked]
    assert len(held_and_checked) >= 0.8 * len(as_packages_hold_them), (
        f"{len(held_and_checked)} of {len(as_packages_hold_them)}"
    )
    spelt = {
        name
        for name, validator in validators.items()
        if name.endswith("(re spelling)") and not validator._floats_diverge
    }
    assert spelt and spelt <= checked, f"schemas.json patterns refused: {sorted(spelt - checked)[:5]}"


@pytest.mark.parametrize(("name", "schema"), CASES, ids=[name for name, _ in CASES])
def test_verdicts_agree(validation: ModuleType, name: str, schema: Any) -> None:
    judge = Judge(validation, schema)
    rng = random.Random(name)
    follow = _follow(schema) if isinstance(schema, dict) else (lambda s: s)
    synthesiser = Synthesiser(follow)
    valid = synthesiser.valid(schema)
    instances = [valid, *mutations(valid, rng)]
    instances += [random_json(rng) for _ in range(100)]
    disagreements = [value for value in instances if judge.disagrees(value)]
    assert not disagreements, f"{len(disagreements)} disagreements, e.g. {json.dumps(disagreements[:5])[:2000]}"
    if synthesiser.confident and conforms(valid, schema, follow) is True:  # as the generator decides
        assert judge.reference.is_valid(valid), valid


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([p for p in POOL if isinstance(p, str)])
    | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["a", "b", "k", "v", "x-a", "ay", "name", "id", "type"]), children, max_size=4
        )
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(case=st.sampled_from(CASES), value=_JSON)
def test_verdicts_agree_on_arbitrary_json(validation: ModuleType, case: tuple[str, Any], value: Any) -> None:
    key = (validation.mode, case[0])
    judge = _JUDGES.get(key)
    if judge is None:
        judge = _JUDGES[key] = Judge(validation, case[1])
    assert not judge.disagrees(value), (case[0], value)


_JUDGES: dict[tuple[str, str], Judge] = {}


@functools.cache  # both tests below share one pass over every case
def accept_only_coverage(generated_validation: ModuleType) -> int:
    """How many cases get a compiled accept-only check; fails if one accepts what jsonschema rejects."""
    import jsonschema

    accept_module = importlib.import_module("differential._runtime.accept")
    covered = 0
    rng = random.Random("accept")
    for name, schema in CASES:
        accept = accept_module.compile_accept(schema)
        if accept is None:
            continue
        covered += 1
        reference = jsonschema.Draft7Validator(schema, format_checker=generated_validation.FORMAT_CHECKER)
        follow = _follow(schema) if isinstance(schema, dict) else (lambda s: s)
        valid = Synthesiser(follow).valid(schema)
        for value in [valid, *mutations(valid, rng), *(random_json(rng) for _ in range(50))]:
            if accept(value):
                assert reference.is_valid(value), (name, value)
    return covered


def test_accept_only_checks_never_accept_invalid(generated_validation: ModuleType) -> None:
    # Simple schemas get a compiled accept-only check before the general validator: whatever it
    # accepts the reference accepts too.
    assert accept_only_coverage(generated_validation) > 0
    accept_module = importlib.import_module("differential._runtime.accept")
    event = {
        "type": "object",
        "required": ["userId", "age"],
        "properties": {"userId": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
    }
    accept = accept_module.compile_accept(event)
    assert accept is not None and accept({"userId": "u", "age": 3})
    # Unsure means False, never an error: the general validator decides these.
    for value in ({"userId": "u", "age": 3.0}, {"userId": "u"}, {"userId": "u", "age": -1}, [], "x", None):
        assert accept(value) is False


def test_accept_only_checks_cover_a_good_share_of_real_payloads(generated_validation: ModuleType) -> None:
    if not REAL_SPECS.is_dir():
        pytest.skip(_NO_CORPUS)
    covered = accept_only_coverage(generated_validation)
    assert covered >= len(CASES) // 4, f"only {covered} of {len(CASES)} schemas get an accept-only check"


def test_accept_only_check_keeps_spec_text_out_of_its_code(generated_validation: ModuleType) -> None:
    accept_module = importlib.import_module("differential._runtime.accept")
    hostile = "'\"); import os; os._exit(3) #\u2028{{ 7*7 }}"
    schema = {
        "type": "object",
        "required": [hostile],
        "properties": {hostile: {"type": "string", "enum": [hostile, "a'b"]}},
    }
    accept = accept_module.compile_accept(schema)
    assert accept is not None
    assert accept({hostile: hostile}) and accept({hostile: "a'b"})
    assert not accept({hostile: "x"}) and not accept({})
