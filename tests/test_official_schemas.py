"""Differential test: what the generator accepts or refuses agrees with the official AsyncAPI JSON
Schemas (../shared/specs/asyncapi-json-schemas), except for the documented cases below.

The official schemas are structural: they cannot see dangling references, reference cycles, address
placeholders without a parameter, duplicate keys or operationIds. The generator refuses those too
(see docs/supported-asyncapi.md), and accepts two real documents that break the letter of the schema
in ways that do not change what is generated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from corpus import OUT_OF_SCOPE, REF_MAP, corpus_entries, invalid_fixtures
from helpers import OFFICIAL_SCHEMAS, REAL_SPECS

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

# Accepted by the generator although the official schema refuses them.
ACCEPTED_THOUGH_INVALID = {
    # `deprecated` on an operation is a 3.1 field; generation marks the functions deprecated.
    "v3__codegen-runtime-regular.json": "operation `deprecated` (3.1 field) in a 3.0.0 document",
    # Channel parameters used for query settings carry numeric `examples` and a `schema`; the
    # generator reads only what it needs from them.
    "v3__assemblyai-universal-streaming.yml": "numeric `examples` on channel parameters",
}
# Refused by the generator although the official schema accepts them, with the reason.
REFUSED_THOUGH_VALID = {
    **{name: "payload schema format out of scope" for name in OUT_OF_SCOPE},
    "avro-payload.yaml": "payload schema format out of scope",
    "protobuf-payload.yaml": "payload schema format out of scope",
    "dangling-ref.yaml": "dangling internal $ref",
    "missing-file-ref.yaml": "$ref to a missing file",
    "ref-cycle.yaml": "$ref chain without a value",
    "undeclared-placeholder.yaml": "address placeholder without a parameter",
    "operation-missing-channel.yaml": "operation $ref to a missing channel",
    "duplicate-key.yaml": "duplicate mapping key (YAML keeps the last silently)",
    "duplicate-operation-id.yaml": "operationId used twice",
    # Rules of the AsyncAPI parser that a JSON Schema cannot express.
    "address-with-query.yaml": "channel address with a query",
    "address-with-query-2.6.yaml": "channel address with a query",
    "channel-unknown-server.yaml": "channel lists a server outside `servers`",
    "channel-unknown-server-2.6.yaml": "channel names an undefined server",
    "duplicate-message-id.yaml": "messageId used twice",
    "operation-foreign-message.yaml": "operation lists a message of another channel",
    "server-undeclared-variable.yaml": "server URL variable not declared",
    "schema-cycle.yaml": "schema loop through allOf/oneOf on the same value",
}


def _registry() -> Any:
    resources = []
    for path in sorted(OFFICIAL_SCHEMAS.glob("[23].*.json")):
        contents = json.loads(path.read_text("utf-8"))
        resources.append((contents["$id"], referencing.Resource.from_contents(contents, referencing.jsonschema.DRAFT7)))
    return referencing.Registry().with_resources(resources).crawl()


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    if not OFFICIAL_SCHEMAS.is_dir():
        pytest.skip(f"the official AsyncAPI JSON Schemas are not available at {OFFICIAL_SCHEMAS}")
    registry = _registry()
    validators = {}
    for path in sorted(OFFICIAL_SCHEMAS.glob("[23].*.json")):
        schema = json.loads(path.read_text("utf-8"))
        validators[path.stem] = jsonschema.Draft7Validator(schema, registry=registry)
    return validators


def official_verdict(path: Path, validators: dict[str, Any]) -> bool:
    """Whether the document, as it is on disk, is valid under the official schema of its version."""
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    if not isinstance(document, dict):
        return False
    validator = validators.get(str(document.get("asyncapi")))
    if validator is None or not isinstance(document.get("asyncapi"), str):
        return False
    return bool(validator.is_valid(document))


def our_verdict(path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    from asyncapi_ws_codegen.errors import SpecError
    from asyncapi_ws_codegen.load.bundler import load_spec
    from asyncapi_ws_codegen.normalise.api_builder import build_api

    monkeypatch.setenv("ASYNCAPI_WS_REF_MAP", REF_MAP)
    try:
        loaded = load_spec(str(path))
        build_api(loaded.document, str(path))
    except SpecError:
        return False
    return True


def _cases() -> list[Any]:
    cases = [pytest.param(REAL_SPECS / name, id=name) for name in corpus_entries()]
    cases += [pytest.param(path, id=f"invalid/{path.name}") for path in invalid_fixtures()]
    return cases


@pytest.mark.skipif(not REAL_SPECS.is_dir(), reason=f"the real-world corpus is not available at {REAL_SPECS}")
@pytest.mark.parametrize("path", _cases())
def test_verdict_agrees_with_the_official_schema(
    path: Path, official: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = official_verdict(path, official)
    ours = our_verdict(path, monkeypatch)
    name = path.name if path.parent.name == "invalid" else str(path.relative_to(REAL_SPECS))
    if name in ACCEPTED_THOUGH_INVALID:
        assert (theirs, ours) == (False, True), ACCEPTED_THOUGH_INVALID[name]
    elif name in REFUSED_THOUGH_VALID:
        assert (theirs, ours) == (True, False), REFUSED_THOUGH_VALID[name]
    else:
        assert ours == theirs, f"official schema says {'valid' if theirs else 'invalid'}, the generator disagrees"


def test_every_invalid_fixture_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    accepted = [path.name for path in invalid_fixtures() if our_verdict(path, monkeypatch)]
    assert accepted == []
