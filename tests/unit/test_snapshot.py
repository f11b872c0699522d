"""The spec snapshot of the answers file: JSON text in a YAML literal block, lossless and diffable."""

from __future__ import annotations

import contextlib
import difflib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_ws_codegen.copier import context_hook as hook
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.answers_snapshot import (
    COMPRESS_FROM,
    COMPRESSED,
    answers_yaml,
    snapshot_document,
    snapshot_text,
)
from asyncapi_ws_codegen.load.bundler import load_spec
from helpers import EXAMPLE_SPEC, REAL_SPECS, SPECS

# Text YAML reads as line breaks or folds (U+2028, U+0085, CR, tab, trailing spaces), quotes,
# template syntax and non-ASCII, in keys and values.
HOSTILE: dict[str, Any] = {
    "asyncapi": "3.0.0",
    "info": {
        "title": 'Q """ \' {{ 7*7 }} ä\u2028b\u0085c',
        "version": "1.0.0",
        "description": "line one  \nline two\r\n\ttabbed   \n",
    },
    "channels": {
        "ch ä\u2029": {"address": "a/{id}", "x-number": 1.5, "x-big": 10**30, "x-null": None, "x-flag": True},
        "": {"description": " leading space"},
    },
    "components": {"schemas": {"S": {"type": "object", "enum": [[], {}, "", 0, -0.5]}}},
}


def read_back(answers: dict[str, Any]) -> Any:
    """What copier gets from the file (PyYAML's pure-Python loader), decoded as the generator does."""
    text = answers_yaml(answers)
    data = yaml.load(text, Loader=yaml.SafeLoader)
    return snapshot_document(data["asyncapi_spec"]), text


def corpus() -> list[Path]:
    paths = [*sorted(SPECS.glob("*.yaml")), EXAMPLE_SPEC]
    if REAL_SPECS.is_dir():
        paths += sorted(p for p in REAL_SPECS.iterdir() if p.suffix in (".yml", ".yaml", ".json"))
    return paths


def loaded_or_skip(path: Path) -> dict[str, Any]:
    try:
        return load_spec(str(path)).document
    except SpecError as exc:
        pytest.skip(f"{path.name} is refused by the loader, so it has no snapshot: {exc.problem}")


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_round_trip_is_lossless_and_keeps_key_order(path: Path) -> None:
    document = loaded_or_skip(path)
    decoded, text = read_back({"spec_path": "asyncapi.yaml", "asyncapi_spec": snapshot_text(document)})
    assert decoded == document
    assert json.dumps(decoded) == json.dumps(document)  # same key order at every level
    assert "asyncapi_spec: |-\n" in text  # a literal block, never a quoted scalar


def test_hostile_text_survives_and_stays_a_literal_block() -> None:
    text = snapshot_text(HOSTILE)
    assert text.isascii()
    assert not [line for line in text.splitlines() if line != line.rstrip()]
    decoded, answers_text = read_back({"a": "b", "asyncapi_spec": text})
    assert decoded == HOSTILE
    assert "asyncapi_spec: |-\n" in answers_text
    assert snapshot_text(decoded) == text  # deterministic


def test_one_channel_a_line_so_a_spec_edit_is_a_small_diff() -> None:
    document = load_spec(str(SPECS / "update" / "shop-v1.asyncapi.yaml")).document
    edited = json.loads(json.dumps(document))
    channel = next(iter(edited["channels"]))
    edited["channels"][channel]["description"] = "A new description."
    before, after = snapshot_text(document).splitlines(), snapshot_text(edited).splitlines()
    changed = [line for line in difflib.ndiff(before, after) if line[:1] in "+-"]
    assert len(changed) == 2
    assert changed[0].startswith("- ") and changed[1].startswith("+ ")
    assert changed[1][2:].startswith(f'  "{channel}":{{') and "A new description." in changed[1]
    # Component schemas and messages get a line each too.
    lines = snapshot_text(document).splitlines()
    for name in document["components"]["messages"]:
        assert sum(line.startswith(f'   "{name}":{{') for line in lines) == 1


def test_a_large_document_is_kept_compressed_and_the_same_on_every_run() -> None:
    document = json.loads(json.dumps(HOSTILE))
    document["channels"] = {f"channel {n} \u00e4": {"address": f"c/{n}", "description": "x" * 300} for n in range(1000)}
    text = snapshot_text(document)
    assert len(text) < COMPRESS_FROM // 4 and text.startswith(COMPRESSED)
    assert text.isascii() and max(len(line) for line in text.splitlines()) <= 76
    decoded, answers_text = read_back({"a": "b", "asyncapi_spec": text})
    assert json.dumps(decoded) == json.dumps(document)  # lossless, key order kept
    assert "asyncapi_spec: |-\n  bzip2 base64\n" in answers_text
    assert snapshot_text(decoded) == text  # deterministic: the answers file changes with the spec only
    with pytest.raises(ValueError, match="compressed spec snapshot is damaged"):
        snapshot_document(text[:-200])
    # Below the threshold: JSON text, one entry a line.
    assert snapshot_text(HOSTILE).startswith("{")


def test_older_answers_with_a_mapping_still_load() -> None:
    document = load_spec(str(EXAMPLE_SPEC)).document
    assert snapshot_document(document) is document
    assert snapshot_document(snapshot_text(document)) == document
    assert snapshot_document("") == {} and snapshot_document(None) == {}
    # The hook takes either form and records the text form.
    context = {
        "_copier_conf": {"dst_path": Path("/nonexistent")},
        "spec_path": "asyncapi.yaml",
        "asyncapi_spec": document,
        "perspective": "client",
        "_copier_answers": {"asyncapi_spec": document},
    }
    hook.update_context(context)
    assert context["_copier_answers"]["asyncapi_spec"] == snapshot_text(document)
    assert context["asyncapi"].title == "User Service"


def test_yaml_keys_are_read_as_json_text(tmp_path: Path) -> None:
    spec = tmp_path / "keys.yaml"
    head = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"
    spec.write_text(head + "x-codes:\n  200: ok\n  true: yes\n  1.5: x\n", "utf-8")
    document = load_spec(str(spec)).document
    assert document["x-codes"] == {"200": "ok", "true": "yes", "1.5": "x"}
    assert snapshot_document(snapshot_text(document)) == document
    spec.write_text(head + "x-codes:\n  1: a\n  '1': b\n", "utf-8")
    with pytest.raises(SpecError, match="duplicate key"):
        load_spec(str(spec))


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_building_a_model_leaves_its_document_untouched(path: Path) -> None:
    # Documents and models are shared between renders (and template clones): a build that changed
    # its document would change what the next render, or the snapshot, sees.
    from asyncapi_ws_codegen.normalise.api_builder import Options, build_api

    document = loaded_or_skip(path)
    before = json.dumps(document)
    for perspective in ("client", "server"):
        with contextlib.suppress(SpecError):  # a refused document must be left untouched too
            build_api(document, str(path), Options(perspective=perspective))
    assert json.dumps(document) == before
