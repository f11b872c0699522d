"""Payloads as real documents write them give the API a user expects.

``tests/specs/payload-fidelity/`` (three files) has a union beside ``type: object`` (Gemini's
``Market``, Kraken's ``SubscriptionStatus``), ``const`` tags required and optional, properties that
allow ``null`` without ``nullable``, a recursive schema across files, operation messages referred
to through a channel that is itself a ``$ref``, and message and schema examples. The generated
package is imported in-process.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from helpers import REAL_SPECS, SPECS, check_package, generate
from test_payload_types import import_package

FIDELITY = SPECS / "payload-fidelity" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("fidelity") / "svc"
    return generate(template_v1, destination, spec_source=str(FIDELITY), package_name="fidelity")


@pytest.fixture(scope="module")
def p(project: Path) -> ModuleType:
    return import_package(project, "fidelity")


@pytest.mark.slow
def test_fidelity_package_passes_its_own_checks(project: Path) -> None:
    check_package(project)


def test_union_beside_type_object_is_typed_as_the_union(p: ModuleType) -> None:
    hints = typing.get_type_hints(p.Market)
    assert hints["value"] == p.Heartbeat | p.Update
    update = p.Market.unmarshal('{"type": "update", "price": 1.5}')
    assert update.value == p.Update(price=1.5)
    assert p.Market.unmarshal('{"type": "heartbeat"}').value == p.Heartbeat()
    assert json.loads(update.marshal()) == {"type": "update", "price": 1.5}


def test_required_const_is_no_constructor_argument(p: ModuleType) -> None:
    ping = p.Ping(reqid=1)
    assert ping.event == "ping"
    assert json.loads(ping.marshal()) == {"event": "ping", "reqid": 1}
    assert p.Ping.unmarshal('{"event": "ping"}') == p.Ping()
    with pytest.raises(TypeError):
        p.Ping(event="pong")
    assert p.Update(price=2).type_ == "update"


def test_optional_const_defaults_to_its_value(p: ModuleType) -> None:
    assert p.Heartbeat().type_ == "heartbeat"
    assert p.Heartbeat().marshal() == '{"type":"heartbeat"}'
    # A message that left the tag out reads as the tag and goes out exactly as it came.
    absent = p.Heartbeat.unmarshal('{"sequence": 3}')
    assert absent.type_ == "heartbeat"
    assert absent.marshal() == '{"sequence":3}'
    assert p.Heartbeat.unmarshal('{"type": "heartbeat"}').marshal() == '{"type":"heartbeat"}'


@pytest.mark.parametrize(
    "text",
    [
        '{"anything":null}',
        '{"notText":null}',
        '{"anything":null,"notText":null,"name":"n"}',
        '{"anything":[1,{"a":null}],"notText":0}',
        "{}",
    ],
)
def test_explicit_null_allowed_without_nullable_is_kept(p: ModuleType, text: str) -> None:
    assert p.Settings.unmarshal(text).marshal() == text


def test_null_and_absence_are_told_apart(p: ModuleType) -> None:
    unset = importlib.import_module("fidelity._runtime.unset").Unset
    assert p.Settings.unmarshal('{"anything": null}').anything is None
    assert isinstance(p.Settings.unmarshal("{}").anything, unset)
    assert p.Settings(anything=None).marshal() == '{"anything":null}'


def test_recursive_schema_across_files_is_generated(p: ModuleType) -> None:
    hints = typing.get_type_hints(p.Tree)
    assert hints["next_"] == p.Tree | None
    assert hints["children"] == list[p.Tree] | None
    text = '{"name":"a","next":{"name":"b"},"children":[{"name":"c","children":[{"name":"d"}]}]}'
    tree = p.Tree.unmarshal(text)
    assert tree.children[0].children[0].name == "d"
    assert tree.marshal() == text


def test_messages_referred_to_through_a_channel_reference() -> None:
    api = build_api(load_spec(str(FIDELITY)).document, str(FIDELITY))
    by_id = {op.id: [m.class_name for m in op.messages] for op in api.operations}
    assert by_id == {"receiveMarket": ["Market", "Heartbeat"], "sendPing": ["Ping", "Settings", "Tree", "Loose"]}


def test_the_documents_examples_come_first(project: Path, p: ModuleType) -> None:
    # The message's first example is invalid (reqid is text) and left out; the second is used.
    ping = '{"event": "ping", "reqid": 42}'
    update = '{"price": 101.25, "type": "update"}'  # a schema example
    for generated in ("tests/test_payloads.py", "tests/test_channels.py", "src/fidelity/__main__.py"):
        text = (project / generated).read_text("utf-8")
        assert repr(ping) in text, generated
        assert "forty-two" not in text
    assert repr(update) in (project / "tests/test_payloads.py").read_text("utf-8")
    readme = (project / "README.md").read_text("utf-8")
    assert repr(ping) in readme
    assert p.Ping.__doc__ is not None
    assert "The document's example: ``" + ping + "``" in p.Ping.__doc__
    # Synthesised values stay for classes the document gives no example of.
    assert "The document's example" not in (p.Settings.__doc__ or "")


@pytest.mark.parametrize("text", ["null", "0", "1.5", '"x"', '""', "[]", "[1,{}]", "true"])
def test_properties_without_type_accept_and_keep_any_other_value(p: ModuleType, text: str) -> None:
    # JSON Schema applies `properties` and `required` to objects only: jsonschema accepts these.
    loose = p.Loose.unmarshal(text)
    assert loose.non_object == json.loads(text)
    assert loose.marshal() == text
    assert p.Loose.from_json_data(json.loads(text)) == loose


def test_properties_without_type_still_check_objects(p: ModuleType) -> None:
    errors = importlib.import_module("fidelity.errors")
    named = p.Loose.unmarshal('{"name":"a","x":[1]}')
    assert named.name == "a"
    assert named.marshal() == '{"name":"a","x":[1]}'
    assert isinstance(named.non_object, importlib.import_module("fidelity._runtime.unset").Unset)
    for text in ("{}", '{"name": 1}'):
        with pytest.raises(errors.PayloadValidationError):
            p.Loose.unmarshal(text)
    # A schema that says `type: object` keeps refusing everything else.
    with pytest.raises(errors.PayloadValidationError):
        p.Settings.unmarshal("[]")
    assert not hasattr(p.Settings(), "non_object")


def _real_models(name: str) -> dict[str, Any]:
    if not (REAL_SPECS / name).is_file():
        pytest.skip(f"the real-world corpus is not available at {REAL_SPECS}")
    api = build_api(load_spec(str(REAL_SPECS / name)).document, name)
    return {model.class_name: model for model in api.models}


def test_real_unions_beside_type_object_are_typed() -> None:
    market = _real_models("v2__spec-websocket-gemini.yml")["Market"]
    assert market.fields[0].annotation == "Heartbeat | Update"
    kraken = _real_models("v3__spec-kraken-websocket-request-reply-multiple-channels.yml")
    assert kraken["SubscriptionStatus"].fields[0].annotation == "SubscriptionStatusError | SubscriptionStatusSuccess"


def test_real_tags_are_never_forgotten() -> None:
    kraken = _real_models("v3__spec-kraken-websocket-request-reply-multiple-channels.yml")
    # Kraken: `Ping(reqid=1)` without `event`; `Heartbeat()` sends its `event`.
    ping = {f.wire_name: f for f in kraken["Ping"].fields}
    assert ping["event"].fixed and ping["event"] not in kraken["Ping"].required_fields
    heartbeat = {f.wire_name: f for f in kraken["Heartbeat"].fields}
    assert heartbeat["event"].applies_default and heartbeat["event"].default == '"heartbeat"'
    # Slack writes its tags as one-value enums: `Hello()` sends `"type": "hello"`.
    hello = {f.wire_name: f for f in _real_models("v2__spec-slack-rtm.yml")["Hello"].fields}
    assert hello["type"].applies_default and hello["type"].default == '"hello"'


@pytest.mark.slow
def test_generated_tests_skip_an_example_they_cannot_build(project: Path) -> None:
    # An example that builds no instance (a list where Update needs its properties) and that the
    # generator could not vouch for: the generated round-trip test skips it, saying why.
    tests = project / "tests" / "test_payloads.py"
    original = tests.read_text("utf-8")
    broken = original.replace(
        'payloads.Update,\n        \'{"price": 101.25, "type": "update"}\',\n        True,',
        "payloads.Update,\n        '[1]',\n        False,",
    )
    assert broken != original
    tests.write_text(broken, "utf-8")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-rs",
                "-p",
                "no:randomly",
                "tests/test_payloads.py",
                "-k",
                "Update",
            ],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project / "src")},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        tests.write_text(original, "utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no example of this class could be built" in result.stdout
