"""The model of a generation kept on disk, read back only by the replay of that generation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from asyncapi_ws_codegen.copier import clone_memo, compile_disk, model_records
from asyncapi_ws_codegen.copier import context_hook as hook
from asyncapi_ws_codegen.ir import Api
from asyncapi_ws_codegen.load.answers_snapshot import snapshot_text
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import Options, build_api
from helpers import SPECS

SHOP = SPECS / "update" / "shop-v2.asyncapi.yaml"


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A new copier process as far as models go: none in memory, a cache folder of the test's own."""
    clone_memo._MEMO.entries.clear()
    hook._api_cache.clear()
    folder = tmp_path / "cache"
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, str(folder))
    return folder / "models"


def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each model the hook builds."""
    built: list[str] = []

    def counted(document: dict[str, Any], origin: str, options: Options) -> Api:
        built.append(origin)
        return build_api(document, origin, options)

    monkeypatch.setattr(hook, "build_api", counted)
    return built


def hook_context(folder: Path, snapshot: str) -> dict[str, Any]:
    return {
        "_copier_conf": {"dst_path": folder},
        "_copier_phase": "render",
        "spec_path": "asyncapi.yaml",
        "spec_source": "",
        "asyncapi_spec": snapshot,
        "perspective": "client",
        "_copier_answers": {"asyncapi_spec": snapshot},
    }


def shape(api: Api) -> list[tuple[str, list[str]]]:
    return [(c.address, sorted(m.class_name for m in c.messages)) for c in api.channels]


def test_the_replay_of_a_generation_reads_its_model_instead_of_building_it(
    fresh_process: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    built = builds(monkeypatch)
    project = tmp_path / "project"
    project.mkdir()
    (project / "asyncapi.yaml").write_bytes(SHOP.read_bytes())
    generation = hook_context(project, "")
    hook.update_context(generation)  # the copy: reads the live file, builds, records
    assert len(built) == 1 and len(list(fresh_process.glob("*.model"))) == 1
    snapshot = generation["_copier_answers"]["asyncapi_spec"]

    clone_memo._MEMO.entries.clear()  # the next `copier update`: another process
    hook._api_cache.clear()
    replay = hook_context(tmp_path / "replay", snapshot)
    hook.update_context(replay)
    assert len(built) == 1  # read, not built
    assert isinstance(replay["asyncapi"], Api) and shape(replay["asyncapi"]) == shape(generation["asyncapi"])

    # The project's own render builds from the file it reads, record or not.
    clone_memo._MEMO.entries.clear()
    hook._api_cache.clear()
    hook.update_context(hook_context(project, "update in progress 1"))
    assert len(built) == 2


def test_a_damaged_or_missing_record_means_building(fresh_process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = snapshot_text(load_spec(str(SHOP)).document)
    api = build_api(load_spec(str(SHOP)).document, str(SHOP), Options(perspective="client"))
    model_records.keep_model(text, "client", api)
    (record,) = fresh_process.glob("*.model")
    assert shape(model_records.replayed_model(text, "client")) == shape(api)
    assert model_records.replayed_model(text, "server") is None  # another perspective: another model
    assert model_records.replayed_model(text + " ", "client") is None  # another document
    record.write_bytes(record.read_bytes()[:1000])
    assert model_records.replayed_model(text, "client") is None
    built = builds(monkeypatch)
    hook.update_context(hook_context(fresh_process.parent / "replay", text))
    assert len(built) == 1


def test_no_cache_folder_means_no_records(monkeypatch: pytest.MonkeyPatch, fresh_process: Path) -> None:
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, "")
    text = snapshot_text(load_spec(str(SHOP)).document)
    model_records.keep_model(text, "client", build_api(load_spec(str(SHOP)).document, "x", Options()))
    assert model_records.replayed_model(text, "client") is None
    assert not fresh_process.exists()


def test_only_the_most_recently_used_records_are_kept(fresh_process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_records, "KEPT", 3)
    api = build_api(load_spec(str(SHOP)).document, str(SHOP), Options(perspective="client"))
    for number in range(3):
        model_records.keep_model(f"document {number}", "client", api)
    # Document 0 read back (used again) is kept when a fourth record arrives; document 1 is not.
    for number, path in enumerate(sorted(fresh_process.glob("*.model"), key=os.path.getmtime)):
        os.utime(path, ns=(number * 10**9, number * 10**9))
    assert model_records.replayed_model("document 0", "client") is not None
    model_records.keep_model("document 3", "client", api)
    kept = {n for n in range(4) if model_records.replayed_model(f"document {n}", "client") is not None}
    assert len(list(fresh_process.glob("*.model"))) == 3
    assert 0 in kept and 3 in kept and len(kept) == 3
