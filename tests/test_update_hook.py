"""The pieces `copier update` relies on, one by one: which spec a render uses, the spec cache, the
update's migration. Fast (no copier run); the end-to-end behaviour is in test_update.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_ws_codegen.copier import clone_memo
from asyncapi_ws_codegen.copier import context_hook as hook
from asyncapi_ws_codegen.copier.update_migration import mark_answers
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.answers_snapshot import HEADER, is_update_mark, snapshot_document, snapshot_text
from asyncapi_ws_codegen.load.bundler import load_spec
from helpers import REPO_ROOT, SPECS, git

UPDATE_SPECS = SPECS / "update"
SHOP_V1 = UPDATE_SPECS / "shop-v1.asyncapi.yaml"
SHOP_V2 = UPDATE_SPECS / "shop-v2.asyncapi.yaml"
MULTI = UPDATE_SPECS / "multi" / "shop.asyncapi.yaml"


def context(
    dst: Path, *, snapshot: dict[str, Any] | None = None, source: str = "", phase: str = "render"
) -> dict[str, Any]:
    """The parts of a copier render context the hook reads."""
    return {
        "_copier_conf": {"dst_path": dst},
        "_copier_phase": phase,
        "spec_path": "asyncapi.yaml",
        "spec_source": source,
        "asyncapi_spec": snapshot if snapshot is not None else {},
        "perspective": "client",
        "_copier_answers": {"spec_path": "asyncapi.yaml", "asyncapi_spec": {}},
    }


def test_live_file_wins_over_snapshot_and_source(tmp_path: Path) -> None:
    shutil.copyfile(SHOP_V2, tmp_path / "asyncapi.yaml")
    ctx = context(tmp_path, snapshot=load_spec(str(SHOP_V1)).document, source=str(SHOP_V1))
    hook.update_context(ctx)
    assert ctx["_copier_answers"]["asyncapi_spec"] == snapshot_text(load_spec(str(SHOP_V2)).document)
    assert ctx["asyncapi"] is not None


def test_replay_uses_the_snapshot_never_spec_source(tmp_path: Path) -> None:
    # A replay folder has no spec file; spec_source names a file that has changed since.
    snapshot = load_spec(str(SHOP_V1)).document
    ctx = context(tmp_path, snapshot=snapshot, source=str(SHOP_V2))
    picked = hook.pick_spec(ctx)
    assert picked is not None and picked[0] is snapshot
    # Even when spec_source is gone entirely.
    picked = hook.pick_spec(context(tmp_path, snapshot=snapshot, source=str(tmp_path / "gone.yaml")))
    assert picked is not None and picked[0] is snapshot


def test_first_copy_reads_spec_source(tmp_path: Path) -> None:
    picked = hook.pick_spec(context(tmp_path, source=str(SHOP_V2)))
    assert picked is not None and picked[0] == load_spec(str(SHOP_V2)).document
    with pytest.raises(SpecError, match="no such file"):
        hook.pick_spec(context(tmp_path, source=str(tmp_path / "gone.yaml")))


def test_model_is_built_once_per_document(tmp_path: Path) -> None:
    snapshot = load_spec(str(SHOP_V1)).document
    first, second = context(tmp_path, snapshot=snapshot), context(tmp_path, snapshot=snapshot)
    hook.update_context(first)
    hook.update_context(second)
    assert first["asyncapi"] is second["asyncapi"]
    # An equal document (the live file and the snapshot decoded from the answers) shares the model.
    equal_copy = load_spec(str(SHOP_V1)).document
    third = context(tmp_path, snapshot=equal_copy)
    hook.update_context(third)
    assert third["asyncapi"] is first["asyncapi"]
    other = context(tmp_path, snapshot=load_spec(str(SHOP_V2)).document)
    hook.update_context(other)
    assert other["asyncapi"] is not first["asyncapi"]


def clone_extensions(folder: Path) -> Path:
    """A copy of the template's extensions folder, as in one of copier's clones of the template."""
    shutil.copytree(REPO_ROOT / "extensions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def entry_hook(folder: Path, name: str) -> Any:
    """The generator's hook module as copier's entry point imports it from ``folder``."""
    spec = importlib.util.spec_from_file_location(f"test_entry_{name}", folder / "context.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._hook


def test_clones_share_models_only_when_their_generator_code_is_identical(tmp_path: Path) -> None:
    # Copier renders an update from several clones of the template, each importing its own copy of
    # the generator; the replay of an older version must never get a model built by newer code.
    same_a, same_b, other = (clone_extensions(tmp_path / n) for n in ("a", "b", "c"))
    naming = other / "asyncapi_ws_codegen" / "pytext" / "identifiers.py"
    naming.write_text(naming.read_text("utf-8") + "\n# another version of the generator\n", "utf-8")
    hooks = [entry_hook(folder, folder.name) for folder in (same_a, same_b, other)]
    assert len({h.__name__ for h in hooks}) == 3  # three separate imports
    text = snapshot_text(load_spec(str(SHOP_V2)).document)
    contexts = [{**context(tmp_path / "replay"), "asyncapi_spec": text} for _ in hooks]
    for h, ctx in zip(hooks, contexts, strict=True):
        h.update_context(ctx)
    models = [ctx["asyncapi"] for ctx in contexts]
    assert models[0] is models[1]
    # Built again, by the other code (its own classes), from the same document.
    assert models[2] is not models[0] and type(models[2]) is not type(models[0])
    assert [c.address for c in models[2].channels] == [c.address for c in models[0].channels]
    assert [ctx["_copier_answers"]["asyncapi_spec"] for ctx in contexts] == [text] * 3


def test_a_model_recorded_by_one_clone_is_read_with_the_classes_of_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The replay of the last generation runs in a later copier process, from another clone of the
    # same template version: the record names the writing clone's package, the reader uses its own.
    monkeypatch.setenv("ASYNCAPI_WS_TEMPLATE_CACHE_DIR", str(tmp_path / "cache"))
    clone_memo._MEMO.entries.clear()  # built here, not by an earlier test
    writer, reader = (entry_hook(clone_extensions(tmp_path / n), n) for n in ("writer", "reader"))
    project = tmp_path / "project"
    project.mkdir()
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    generation = context(project)
    writer.update_context(generation)
    assert len(list((tmp_path / "cache" / "models").glob("*.model"))) == 1
    clone_memo._MEMO.entries.clear()  # a later process
    replay = {**context(tmp_path / "replay"), "asyncapi_spec": generation["_copier_answers"]["asyncapi_spec"]}
    reader.update_context(replay)
    model = replay["asyncapi"]
    assert type(model).__module__.split(".")[0] == reader.__name__.split(".")[0] != writer.__name__.split(".")[0]
    assert [c.address for c in model.channels] == [c.address for c in generation["asyncapi"].channels]


def test_live_cache_follows_an_edit_of_a_referenced_file(tmp_path: Path) -> None:
    shutil.copytree(MULTI.parent, tmp_path / "spec")
    entry = tmp_path / "spec" / "shop.asyncapi.yaml"
    first = hook.load_cached(entry)
    assert hook.load_cached(entry) is first  # unchanged files: the cached object
    schema = tmp_path / "spec" / "components" / "schemas" / "position.yaml"
    text = schema.read_text("utf-8")
    schema.write_text(text.replace("  depot:\n", "  depotCode:\n"), "utf-8")
    stat = entry.stat()
    os.utime(schema, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = hook.load_cached(entry)
    assert second is not first
    payload = second["channels"]["parcelMoved"]["messages"]["parcelMoved"]["payload"]
    assert "depotCode" in payload["properties"] and "depot" not in payload["properties"]


def test_existing_spec_in_the_destination_is_checked_only_while_rendering(tmp_path: Path) -> None:
    shutil.copyfile(SHOP_V1, tmp_path / "asyncapi.yaml")
    # While copier asks its questions: no error (it would be wrapped in a traceback).
    assert hook.pick_spec(context(tmp_path, source=str(SHOP_V2), phase="prompt")) is not None
    with pytest.raises(SpecError, match=r"already has an AsyncAPI document at asyncapi\.yaml") as caught:
        hook.pick_spec(context(tmp_path, source=str(SHOP_V2)))
    assert caught.value.hint and "leave out spec_source" in caught.value.hint
    # The same document, or the default source, is fine.
    assert hook.pick_spec(context(tmp_path, source=str(SHOP_V1))) is not None
    assert hook.pick_spec(context(tmp_path, source="bundled-example")) is not None


def write_answers(project: Path, spec: Path, **extra: Any) -> Path:
    answers = {
        "_commit": "v1",
        "_src_path": "/somewhere/template",
        "spec_source": "elsewhere.yaml",
        "spec_path": "asyncapi.yaml",
        "perspective": "client",
        "package_name": "shop_events",
        "asyncapi_spec": load_spec(str(spec)).document,
        **extra,
    }
    path = project / ".copier-answers.yml"
    path.write_text(HEADER + yaml.safe_dump(answers, sort_keys=False), "utf-8")
    return path


def test_the_migration_marks_the_answers_and_keeps_the_rest(tmp_path: Path) -> None:
    answers_file = write_answers(tmp_path, SHOP_V1)
    shutil.copyfile(SHOP_V2, tmp_path / "asyncapi.yaml")
    mark_answers(answers_file)
    text = answers_file.read_text("utf-8")
    assert text.startswith(HEADER)
    data = yaml.safe_load(text)
    assert list(data) == [
        "_commit",
        "_src_path",
        "spec_source",
        "spec_path",
        "perspective",
        "package_name",
        "asyncapi_spec",
    ]
    first_mark = data["asyncapi_spec"]
    assert is_update_mark(first_mark) and data["package_name"] == "shop_events"
    with pytest.raises(ValueError, match="holds no document"):
        snapshot_document(first_mark)
    # Each update its own mark: one process may run several updates.
    mark_answers(answers_file)
    assert yaml.safe_load(answers_file.read_text("utf-8"))["asyncapi_spec"] not in (first_mark, "")


def test_the_migration_errors_say_what_to_do(tmp_path: Path) -> None:
    answers_file = write_answers(tmp_path, SHOP_V1)
    before = answers_file.read_bytes()
    with pytest.raises(SpecError, match="the project's AsyncAPI document is missing") as caught:
        mark_answers(answers_file)
    assert caught.value.hint and "git checkout HEAD -- asyncapi.yaml" in caught.value.hint
    assert answers_file.read_bytes() == before
    with pytest.raises(SpecError, match="answers file is missing"):
        mark_answers(tmp_path / "nothing.yml")
    # A spec moved with `--data spec_path=...`: looked for at its new place.
    (tmp_path / "spec").mkdir()
    shutil.copyfile(SHOP_V2, tmp_path / "spec" / "asyncapi.yaml")
    assert "spec/asyncapi.yaml" in mark_answers(answers_file, "spec/asyncapi.yaml")


def marked_context(folder: Path, mark: str) -> dict[str, Any]:
    ctx = context(folder)
    ctx["asyncapi_spec"] = mark
    ctx["_copier_conf"]["answers_file"] = ".copier-answers.yml"
    return ctx


def test_the_new_versions_replay_reads_the_document_the_projects_render_read(tmp_path: Path) -> None:
    project, replay = tmp_path / "project", tmp_path / "replay"
    project.mkdir(), replay.mkdir()
    answers_file = write_answers(project, SHOP_V1)
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    mark_answers(answers_file)
    mark = yaml.safe_load(answers_file.read_text("utf-8"))["asyncapi_spec"]
    in_project, in_replay = marked_context(project, mark), marked_context(replay, mark)
    hook.update_context(in_project)
    hook.update_context(in_replay)
    assert in_replay["asyncapi"] is in_project["asyncapi"]
    live = snapshot_text(load_spec(str(SHOP_V2)).document)
    assert in_project["_copier_answers"]["asyncapi_spec"] == in_replay["_copier_answers"]["asyncapi_spec"] == live
    # A mark no render of this process has read (an answers file committed mid-update) is refused.
    with pytest.raises(SpecError, match="the mark of an unfinished update") as caught:
        hook.update_context(marked_context(replay, mark + "0"))
    assert caught.value.hint and "git checkout HEAD -- .copier-answers.yml" in caught.value.hint


def test_a_refused_spec_puts_the_marked_answers_file_back(tmp_path: Path) -> None:
    answers_file = write_answers(tmp_path, SHOP_V1)
    (tmp_path / "asyncapi.yaml").write_text("asyncapi: 3.0.0\ninfo: [\n", "utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "project")
    committed = answers_file.read_bytes()
    mark_answers(answers_file)
    mark = yaml.safe_load(answers_file.read_text("utf-8"))["asyncapi_spec"]
    with pytest.raises(SpecError, match="invalid YAML") as caught:
        hook.update_context(marked_context(tmp_path, mark))
    assert "git checkout" not in (caught.value.hint or "")
    assert answers_file.read_bytes() == committed
    assert git(tmp_path, "status", "--porcelain") == ""
    # Where it cannot be put back (not a git work tree), the error says how.
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copyfile(tmp_path / "asyncapi.yaml", other / "asyncapi.yaml")
    answers = write_answers(other, SHOP_V1)
    mark_answers(answers)
    with pytest.raises(SpecError, match="invalid YAML") as caught:
        hook.update_context(marked_context(other, yaml.safe_load(answers.read_text("utf-8"))["asyncapi_spec"]))
    assert caught.value.hint and "put back the answers file the update marked" in caught.value.hint
