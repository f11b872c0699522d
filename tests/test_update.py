"""`copier update` follows edits of the project's AsyncAPI document and keeps the user's work.

Every scenario runs copier's public API (or its CLI) on tagged git copies of the template, in real
git projects, and checks file contents: the package after an update must be what a fresh copy of
the new spec would generate, plus the user's own edits, with real conflicts shown inline.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import copier
import pytest
import yaml
from copier import VcsRef
from copier.errors import UserMessageError
from helpers import (
    REPO_ROOT,
    SPECS,
    check_package,
    copy_template_parts,
    generate,
    git,
    make_template_repo,
    tree_bytes,
)

UPDATE_SPECS = SPECS / "update"
SHOP_V1 = UPDATE_SPECS / "shop-v1.asyncapi.yaml"
SHOP_V2 = UPDATE_SPECS / "shop-v2.asyncapi.yaml"
MULTI = UPDATE_SPECS / "multi" / "shop.asyncapi.yaml"
OUTSIDE = UPDATE_SPECS / "outside" / "entry" / "api.asyncapi.yaml"

# The user's edits of scenario 1 (each a string that must survive the update verbatim).
OWN_FUNCTION = '\n\ndef describe_shop() -> str:\n    """Added by the user."""\n    return "shop"\n'
PAYLOAD_LINE = "        email: ``email`` on the wire.\n"
PAYLOAD_LINE_EDITED = "        email: Address for receipts (checked at sign-up).\n"
README_NOTES = "\n## Operations notes\n\nDeployed behind the shop's gateway.\n"
DEPENDENCY_LINE = '    "websockets>=14.0",\n'
DEPENDENCY_EDITED = '    "websockets>=14.0",\n    "httpx>=0.27",\n'
CUSTOM_MODULE = '"""Code of our own, beside the generated modules."""\n\n\ndef greeting() -> str:\n    return "hello"\n'


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def init_repo(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "generated")


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def update(project: Path, **kwargs: object) -> None:
    """``copier update --trust --defaults`` (and ``--overwrite``, as the CLI does with --defaults)."""
    copier.run_update(str(project), defaults=True, overwrite=True, unsafe=True, quiet=True, **kwargs)  # type: ignore[arg-type]


def status(project: Path) -> list[str]:
    return git(project, "status", "--porcelain").splitlines()


def answers(project: Path) -> dict[str, object]:
    """The answers file, its spec snapshot (JSON text) decoded."""
    from asyncapi_ws_codegen.load.answers_snapshot import snapshot_document

    data = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    assert isinstance(data["asyncapi_spec"], str)
    return {**data, "asyncapi_spec": snapshot_document(data["asyncapi_spec"])}


def rejects(project: Path) -> list[Path]:
    return [p for p in project.rglob("*.rej") if ".git" not in p.parts]


def bundled(path: Path) -> dict[str, object]:
    """The document as the generator sees it (external references inlined)."""
    from asyncapi_ws_codegen.load.bundler import load_spec

    return load_spec(str(path)).document


def spec_only_answers(data: dict[str, object]) -> dict[str, object]:
    """Answers without the ones that name where the first copy came from."""
    return {key: value for key, value in data.items() if key not in ("spec_source", "_src_path")}


# --------------------------------------------------------------------------------------------
# Scenario 1: spec edits + user edits, no conflict.


@dataclass
class Updated:
    project: Path
    fresh: Path  # a fresh copy of the new spec, for comparison
    before: dict[str, bytes]  # the project's committed tree before the update
    status: list[str]


@pytest.fixture(scope="module")
def shop_updated(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Updated:
    root = tmp_path_factory.mktemp("shop")
    project = generate(template_v1, root / "svc", spec_source=str(SHOP_V1))
    assert (project / "asyncapi.yaml").read_bytes() == SHOP_V1.read_bytes()
    init_repo(project)

    package = project / "src" / "shop_events"
    with (package / "channels.py").open("a", encoding="utf-8") as handle:
        handle.write(OWN_FUNCTION)
    replace_once(package / "payloads.py", PAYLOAD_LINE, PAYLOAD_LINE_EDITED)
    with (project / "README.md").open("a", encoding="utf-8") as handle:
        handle.write(README_NOTES)
    replace_once(project / "pyproject.toml", DEPENDENCY_LINE, DEPENDENCY_EDITED)
    (package / "custom.py").write_text(CUSTOM_MODULE, "utf-8")
    # A generated file the user does not want (scenario 7).
    (project / "tests" / "test_parameters.py").unlink()
    commit_all(project, "own edits")

    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "spec: add shipments, drop cancellations, rename amount, region parameter")
    before = tree_bytes(project)

    # From inside the project, as a user would type `copier update --trust --defaults`.
    with contextlib.chdir(project):
        update(Path())
    fresh = generate(template_v1, root / "fresh", spec_source=str(SHOP_V2))
    return Updated(project, fresh, before, status(project))


USER_EDITED = {
    "src/shop_events/channels.py",
    "src/shop_events/payloads.py",
    "README.md",
    "pyproject.toml",
    "src/shop_events/custom.py",
    "tests/test_parameters.py",
}


def test_update_equals_a_fresh_copy_of_the_new_spec(shop_updated: Updated) -> None:
    project, fresh = tree_bytes(shop_updated.project), tree_bytes(shop_updated.fresh)
    assert project["asyncapi.yaml"] == fresh["asyncapi.yaml"] == SHOP_V2.read_bytes()
    generated = set(fresh) - {".copier-answers.yml", "asyncapi.yaml"}
    assert generated - USER_EDITED, "nothing left to compare"
    for name in sorted(generated - USER_EDITED):
        assert project.get(name) == fresh[name], f"{name} differs from a fresh copy of the new spec"
    # No file that a fresh copy lacks, apart from the user's own module.
    assert set(project) - set(fresh) == {"src/shop_events/custom.py"}


def test_edited_generated_files_are_the_fresh_ones_plus_the_edits(shop_updated: Updated) -> None:
    fresh, project = shop_updated.fresh, shop_updated.project
    package, fresh_package = project / "src" / "shop_events", fresh / "src" / "shop_events"

    channels = (fresh_package / "channels.py").read_text("utf-8")
    assert (package / "channels.py").read_text("utf-8") == channels + OWN_FUNCTION

    payloads = (fresh_package / "payloads.py").read_text("utf-8")
    assert payloads.count(PAYLOAD_LINE) == 1
    assert (package / "payloads.py").read_text("utf-8") == payloads.replace(PAYLOAD_LINE, PAYLOAD_LINE_EDITED)

    readme = (fresh / "README.md").read_text("utf-8")
    assert (project / "README.md").read_text("utf-8") == readme + README_NOTES

    pyproject = (fresh / "pyproject.toml").read_text("utf-8")
    assert (project / "pyproject.toml").read_text("utf-8") == pyproject.replace(DEPENDENCY_LINE, DEPENDENCY_EDITED)

    assert (package / "custom.py").read_text("utf-8") == CUSTOM_MODULE


def test_the_package_follows_each_spec_edit(shop_updated: Updated) -> None:
    package = shop_updated.project / "src" / "shop_events"
    channels = (package / "channels.py").read_text("utf-8")
    payloads = (package / "payloads.py").read_text("utf-8")
    parameters = (package / "parameters.py").read_text("utf-8")
    readme = (shop_updated.project / "README.md").read_text("utf-8")
    # Added channel and operation.
    assert "def subscribe_to_receive_shipment_sent(" in channels
    assert "class ShipmentSent(Model):" in payloads
    assert "`shipmentSent`" in readme
    # Removed channel and operation: no trace left anywhere in the package, its tests or README.
    files = [*(shop_updated.project / "src").rglob("*.py"), *(shop_updated.project / "tests").rglob("*.py")]
    texts = {str(path): path.read_text("utf-8") for path in files}
    texts["README.md"] = readme
    texts["schemas.json"] = (package / "schemas.json").read_text("utf-8")
    for name, text in texts.items():
        for gone in ("order_cancelled", "OrderCancelled", "orderCancelled", "orders/cancelled"):
            assert gone not in text, f"{gone} still in {name}"
    # Renamed payload field.
    assert "    total_amount: float\n" in payloads and '"totalAmount"' in payloads
    assert "    amount: float\n" not in payloads and '"amount"' not in payloads
    # Changed description.
    assert "Tell the shop that a customer placed an order." in channels
    assert "an order was placed" not in channels
    # New channel parameter.
    assert "class OrderCreatedParameters:" in parameters and "region: str" in parameters
    assert 'ORDER_CREATED_ADDRESS = "orders/{region}/created"' in channels


def test_user_edits_survive_and_nothing_is_rejected(shop_updated: Updated) -> None:
    project = shop_updated.project
    assert rejects(project) == []
    assert not [line for line in shop_updated.status if line[:2] in ("UU", "AA", "DU", "UD")]
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            assert "<<<<<<<" not in path.read_text("utf-8", errors="replace"), path
    assert OWN_FUNCTION in (project / "src" / "shop_events" / "channels.py").read_text("utf-8")
    assert PAYLOAD_LINE_EDITED in (project / "src" / "shop_events" / "payloads.py").read_text("utf-8")
    assert README_NOTES in (project / "README.md").read_text("utf-8")
    assert DEPENDENCY_EDITED in (project / "pyproject.toml").read_text("utf-8")


def test_a_deleted_generated_file_stays_deleted(shop_updated: Updated) -> None:
    # The spec edit changes what test_parameters.py would contain (a new parameter class), yet
    # the user's deletion wins, and silently: no conflict.
    fresh_tests = (shop_updated.fresh / "tests" / "test_parameters.py").read_text("utf-8")
    assert "OrderCreatedParameters" in fresh_tests
    assert not (shop_updated.project / "tests" / "test_parameters.py").exists()
    assert not [line for line in shop_updated.status if "test_parameters" in line]


def test_answers_record_the_new_spec_in_its_own_order(shop_updated: Updated) -> None:
    recorded = answers(shop_updated.project)
    assert recorded["_commit"] == "v1"
    snapshot = recorded["asyncapi_spec"]
    assert snapshot == bundled(SHOP_V2)
    assert isinstance(snapshot, dict)
    assert list(snapshot["channels"]) == ["orderCreated", "shipmentSent", "userEvents"]  # not sorted
    assert spec_only_answers(recorded) == spec_only_answers(answers(shop_updated.fresh))
    # The answers file changed only in the spec snapshot.
    old = yaml.safe_load(shop_updated.before[".copier-answers.yml"])
    assert {k: v for k, v in old.items() if k != "asyncapi_spec"} == {
        k: v for k, v in recorded.items() if k != "asyncapi_spec"
    }


@pytest.mark.slow
def test_updated_package_passes_its_own_checks(shop_updated: Updated) -> None:
    # Runs in a scratch copy: the checks leave caches behind.
    scratch = shop_updated.project.parent / "checked"
    shutil.copytree(shop_updated.project, scratch, ignore=shutil.ignore_patterns(".git"))
    output = check_package(scratch)
    assert " passed" in output and "failed" not in output


# --------------------------------------------------------------------------------------------
# Scenario 2: a real conflict.


@pytest.fixture(scope="module")
def conflicted(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(template_v1, tmp_path_factory.mktemp("conflict") / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    # The user changes the very line the spec edit renames.
    replace_once(project / "src" / "shop_events" / "payloads.py", "    amount: float\n", "    amount: float  # euros\n")
    commit_all(project, "document the currency")
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "spec v2")
    update(project)
    return project


def test_a_real_conflict_is_shown_inline_never_lost(conflicted: Path) -> None:
    payloads = (conflicted / "src" / "shop_events" / "payloads.py").read_text("utf-8")
    assert "UU src/shop_events/payloads.py" in status(conflicted)
    ours, _, rest = payloads.partition("<<<<<<< before updating\n")[2].partition("=======\n")
    theirs = rest.partition(">>>>>>> after updating\n")[0]
    assert "    amount: float  # euros\n" in ours  # the user's line, kept
    assert "    total_amount: float\n" in theirs  # the spec's line, offered
    assert rejects(conflicted) == []
    # The rest of the update went through.
    assert "class ShipmentSent(Model):" in payloads
    assert "OrderCancelled" not in payloads
    assert "def subscribe_to_receive_shipment_sent(" in (conflicted / "src" / "shop_events" / "channels.py").read_text(
        "utf-8"
    )


def test_after_resolving_a_conflict_the_next_update_is_clean(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    payloads = project / "src" / "shop_events" / "payloads.py"
    replace_once(payloads, "    amount: float\n", "    amount: float  # euros\n")
    commit_all(project, "document the currency")
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "spec v2")
    update(project)
    # Resolve: the spec's new name with the user's comment.
    text = payloads.read_text("utf-8")
    start, end = text.index("<<<<<<< before updating\n"), text.index(">>>>>>> after updating\n")
    text = text[:start] + "    total_amount: float  # euros\n" + text[end + len(">>>>>>> after updating\n") :]
    payloads.write_text(text, "utf-8")
    commit_all(project, "regenerate from spec v2")

    replace_once(project / "asyncapi.yaml", "Learn what users do.", "Learn what users do, as it happens.")
    commit_all(project, "spec v3")
    update(project)
    changed = status(project)
    assert " M src/shop_events/channels.py" in changed and all(line.startswith(" M ") for line in changed)
    assert not [line for line in changed if "payloads.py" in line]  # the resolution is left alone
    assert rejects(project) == []
    assert "    total_amount: float  # euros\n" in payloads.read_text("utf-8")
    assert "Learn what users do, as it happens." in (project / "src" / "shop_events" / "channels.py").read_text("utf-8")


# --------------------------------------------------------------------------------------------
# Scenarios 3-5: spec-only update, spec edit + template upgrade, update from the parent folder.


def copy_edit_commit(template: Path, project: Path, **copy_kwargs: str) -> Path:
    generate(template, project, spec_source=str(SHOP_V1), **copy_kwargs)
    init_repo(project)
    # Notes in the middle of README: the v2 template appends a footer at the end, and two edits at
    # the same place would be a real conflict.
    replace_once(project / "README.md", "\n## Install\n", README_NOTES + "\n## Install\n")
    commit_all(project, "notes")
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "spec v2")
    return project


def assert_follows_v2(project: Path) -> None:
    payloads = (project / "src" / "shop_events" / "payloads.py").read_text("utf-8")
    assert "class ShipmentSent(Model):" in payloads and "    total_amount: float\n" in payloads
    assert "OrderCancelled" not in payloads
    assert README_NOTES in (project / "README.md").read_text("utf-8")
    assert answers(project)["asyncapi_spec"] == bundled(SHOP_V2)
    assert rejects(project) == [] and not [line for line in status(project) if line.startswith("UU")]


def test_spec_only_update_keeps_the_template_version(template_v2: Path, tmp_path: Path) -> None:
    project = copy_edit_commit(template_v2, tmp_path / "svc", vcs_ref="v1")
    assert answers(project)["_commit"] == "v1"
    update(project, vcs_ref=VcsRef.CURRENT)
    assert_follows_v2(project)
    assert answers(project)["_commit"] == "v1"
    assert "Generated with template v2." not in (project / "README.md").read_text("utf-8")


def test_spec_edit_and_template_upgrade_land_together(template_v2: Path, tmp_path: Path) -> None:
    project = copy_edit_commit(template_v2, tmp_path / "svc", vcs_ref="v1")
    update(project)
    assert_follows_v2(project)
    assert answers(project)["_commit"] == "v2"
    readme = (project / "README.md").read_text("utf-8")
    assert "Generated with template v2." in readme and "`shipmentSent`" in readme


@pytest.fixture(scope="module")
def template_new_generator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1, and v2 where only the generator's Python code changed (titles in summaries get a suffix)."""
    repo = make_template_repo(tmp_path_factory.mktemp("template-generator") / "repo", "v1")
    hook = repo / "extensions" / "asyncapi_ws_codegen" / "render" / "filters.py"
    old = '    environment.filters["py_summary"] = py_summary\n'
    new = (
        '    environment.filters["py_summary"] = lambda text, *args, **kwargs: py_summary(\n'
        '        str(text).replace("Shop Events", "Shop Events (v2)"), *args, **kwargs\n'
        "    )\n"
    )
    replace_once(hook, old, new)
    git(repo, "commit", "-qam", "generator v2")
    git(repo, "tag", "v2")
    return repo


def test_generator_upgrade_replays_the_old_generator(template_new_generator: Path, tmp_path: Path) -> None:
    # Copier regenerates the old version with the old template's own generator code, in the same
    # process as the new one: each template clone must use its own copy of the generator, or the
    # upgrade is silently undone (the old replay would already contain it, as if the user had
    # reverted it).
    project = copy_edit_commit(template_new_generator, tmp_path / "svc", vcs_ref="v1")
    payloads = project / "src" / "shop_events" / "payloads.py"
    assert "Payload classes of Shop Events.\n" in payloads.read_text("utf-8")
    update(project)
    assert_follows_v2(project)
    assert answers(project)["_commit"] == "v2"
    assert "Payload classes of Shop Events (v2).\n" in payloads.read_text("utf-8")
    assert "Channel functions of Shop Events (v2).\n" in (project / "src" / "shop_events" / "channels.py").read_text(
        "utf-8"
    )


def test_update_run_from_the_parent_folder(template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_edit_commit(template_v1, tmp_path / "svc")
    monkeypatch.chdir(tmp_path)
    copier.run_update("svc", defaults=True, overwrite=True, unsafe=True, quiet=True)
    assert_follows_v2(tmp_path / "svc")
    assert not (tmp_path / "asyncapi.yaml").exists()


def test_moved_spec_is_followed_with_data_spec_path(template_v1: Path, tmp_path: Path) -> None:
    project = copy_edit_commit(template_v1, tmp_path / "svc")
    (project / "spec").mkdir()
    git(project, "mv", "asyncapi.yaml", "spec/asyncapi.yaml")
    commit_all(project, "move the spec")
    update(project, data={"spec_path": "spec/asyncapi.yaml"})
    assert_follows_v2(project)
    assert answers(project)["spec_path"] == "spec/asyncapi.yaml"
    assert "[`spec/asyncapi.yaml`](spec/asyncapi.yaml)" in (project / "README.md").read_text("utf-8")
    assert not (project / "asyncapi.yaml").exists()


def test_a_new_title_and_version_keep_the_package_name_and_version(template_v1: Path, tmp_path: Path) -> None:
    # package_name and package_version are answers (their defaults come from the spec): an update
    # keeps them, so imports do not break when the document's title changes.
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    replace_once(project / "asyncapi.yaml", "  title: Shop Events\n", "  title: Shop Event Hub\n")
    replace_once(project / "asyncapi.yaml", "  version: 1.0.0\n", "  version: 1.1.0\n")
    commit_all(project, "retitle")
    update(project)
    assert (project / "README.md").read_text("utf-8").startswith("# Shop Event Hub\n")
    assert (project / "src" / "shop_events" / "channels.py").is_file()
    assert not (project / "src" / "shop_event_hub").exists()
    recorded = answers(project)
    assert (recorded["package_name"], recorded["package_version"]) == ("shop_events", "1.0.0")
    assert 'version = "1.0.0"' in (project / "pyproject.toml").read_text("utf-8")
    # Asked for explicitly, the new version is taken.
    commit_all(project, "regenerated")
    update(project, data={"package_version": "1.1.0"})
    assert 'version = "1.1.0"' in (project / "pyproject.toml").read_text("utf-8")


# --------------------------------------------------------------------------------------------
# Scenario 6: multi-file specs.


def test_multi_file_spec_keeps_its_layout_and_updates_follow_a_referenced_file(
    template_v1: Path, tmp_path: Path
) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(MULTI))
    assert (project / "asyncapi.yaml").read_bytes() == MULTI.read_bytes()
    for name in ("components/messages.yaml", "components/schemas/position.yaml"):
        assert (project / name).read_bytes() == (MULTI.parent / name).read_bytes()
    snapshot = answers(project)["asyncapi_spec"]
    assert snapshot == bundled(MULTI)
    assert "components/messages.yaml" not in yaml.safe_dump(snapshot)  # the snapshot is self-contained
    payloads = project / "src" / "parcel_tracker" / "payloads.py"
    assert "    depot: str\n" in payloads.read_text("utf-8")
    init_repo(project)

    replace_once(project / "components/schemas/position.yaml", "  depot:\n", "  depotCode:\n")
    replace_once(project / "components/schemas/position.yaml", "  - depot\n", "  - depotCode\n")
    commit_all(project, "rename depot in the referenced schema file")
    update(project)

    text = payloads.read_text("utf-8")
    assert "    depot_code: str\n" in text and '"depotCode"' in text
    assert "    depot: str\n" not in text
    assert answers(project)["asyncapi_spec"] == bundled(project / "asyncapi.yaml")
    assert rejects(project) == [] and not [line for line in status(project) if line.startswith("UU")]
    # The same as a fresh copy of the edited files.
    fresh = generate(template_v1, tmp_path / "fresh", spec_source=str(project / "asyncapi.yaml"))
    assert payloads.read_bytes() == (fresh / "src" / "parcel_tracker" / "payloads.py").read_bytes()


def test_spec_with_references_outside_its_folder_is_written_bundled(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(OUTSIDE))
    written = yaml.safe_load((project / "asyncapi.yaml").read_text("utf-8"))
    assert written == bundled(OUTSIDE)
    assert "../shared" not in (project / "asyncapi.yaml").read_text("utf-8")
    assert not (project / "shared").exists() and not (tmp_path / "shared").exists()
    assert "    depot: str | None = None\n" in (project / "src" / "parcel_tracker" / "payloads.py").read_text("utf-8")
    # The project is self-contained: an update works with no access to the original files.
    init_repo(project)
    replace_once(project / "asyncapi.yaml", "parcels/{parcelId}/moved", "parcels/{parcelId}/scanned")
    commit_all(project, "rename the address")
    update(project)
    assert 'PARCEL_MOVED_ADDRESS = "parcels/{parcelId}/scanned"' in (
        project / "src" / "parcel_tracker" / "channels.py"
    ).read_text("utf-8")


def test_spec_whose_parts_refer_back_to_the_entry_file_by_name_is_written_bundled(
    template_v1: Path, tmp_path: Path
) -> None:
    # Copied with its layout, the entry file would become asyncapi.yaml and the reference back to
    # "../tracker.asyncapi.yaml" would dangle: the copy is checked, and the bundled form written.
    spec = UPDATE_SPECS / "backref" / "tracker.asyncapi.yaml"
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    assert yaml.safe_load((project / "asyncapi.yaml").read_text("utf-8")) == bundled(spec)
    assert not (project / "parts").exists()
    assert "    depot: str\n" in (project / "src" / "parcel_tracker" / "payloads.py").read_text("utf-8")


# --------------------------------------------------------------------------------------------
# Scenario 8: replays are deterministic.


def cli(*args: str, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {"PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("spec", [SHOP_V2, MULTI], ids=["single-file", "multi-file"])
def test_copies_are_byte_identical_under_different_hash_seeds(template_v1: Path, tmp_path: Path, spec: Path) -> None:
    trees = []
    for seed in ("1", "4242"):
        result = cli(
            "copy",
            "--trust",
            "--defaults",
            "--data",
            f"spec_source={spec}",
            str(template_v1),
            f"svc-{seed}",
            cwd=tmp_path,
            seed=seed,
        )
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(tmp_path / f"svc-{seed}"))
    assert ".copier-answers.yml" in trees[0]
    assert trees[0] == trees[1]


@pytest.mark.slow
def test_documented_cli_workflow_with_a_json_spec_in_a_subfolder(template_v1: Path, tmp_path: Path) -> None:
    # The commands of docs/updating.md, verbatim, on a JSON document kept at spec/api.json.
    source = tmp_path / "shop.json"
    source.write_text(json.dumps(yaml.safe_load(SHOP_V1.read_text("utf-8")), indent=2) + "\n", "utf-8")
    result = cli(
        "copy", "--trust", "--defaults", "--data", f"spec_source={source}", "--data", "spec_path=spec/api.json",
        str(template_v1), "svc", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    project = tmp_path / "svc"
    assert (project / "spec" / "api.json").read_bytes() == source.read_bytes()
    assert not (project / "asyncapi.yaml").exists()
    init_repo(project)
    v2 = json.dumps(yaml.safe_load(SHOP_V2.read_text("utf-8")), indent=2) + "\n"
    (project / "spec" / "api.json").write_text(v2, "utf-8")
    commit_all(project, "spec v2")
    result = cli("update", "--trust", "--defaults", "--vcs-ref=:current:", cwd=project)
    assert result.returncode == 0, result.stderr
    payloads = (project / "src" / "shop_events" / "payloads.py").read_text("utf-8")
    assert "class ShipmentSent(Model):" in payloads and "OrderCancelled" not in payloads
    assert answers(project)["asyncapi_spec"] == json.loads(v2)
    assert (project / "spec" / "api.json").read_text("utf-8") == v2
    assert rejects(project) == [] and not [line for line in status(project) if line.startswith("UU")]


@pytest.mark.slow
def test_an_update_in_a_new_process_replays_from_what_the_generation_kept(
    template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last generation's model and files, kept in the cache folder by the copy, are what the next
    # update's replay of that generation uses; the update equals a fresh copy of the edited spec.
    cache = tmp_path / "cache"
    monkeypatch.setenv("ASYNCAPI_WS_TEMPLATE_CACHE_DIR", str(cache))
    copy_args = ("copy", "--trust", "--defaults", "--quiet", str(template_v1))
    assert cli(*copy_args, "svc", "--data", f"spec_source={SHOP_V1}", cwd=tmp_path).returncode == 0
    project = tmp_path / "svc"
    init_repo(project)
    kept = [*cache.glob("models/*.model"), *cache.glob("rendered/*.text")]
    assert len([p for p in kept if p.suffix == ".model"]) == 1 and len(kept) > 10
    for path in kept:
        os.utime(path, ns=(0, 0))
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "spec v2")
    result = cli("update", "--trust", "--defaults", "--quiet", cwd=project)
    assert result.returncode == 0, result.stderr
    used = [path.name for path in kept if path.stat().st_mtime_ns > 0]
    assert len(used) == len(kept), f"{len(kept) - len(used)} of the kept files were not read by the replay"
    assert cli(*copy_args, "fresh", "--data", f"spec_source={SHOP_V2}", cwd=tmp_path).returncode == 0
    updated, fresh = tree_bytes(project), tree_bytes(tmp_path / "fresh")
    assert {k: v for k, v in updated.items() if k != ".copier-answers.yml"} == {
        k: v for k, v in fresh.items() if k != ".copier-answers.yml"
    }
    assert answers(project)["asyncapi_spec"] == answers(tmp_path / "fresh")["asyncapi_spec"]
    assert status(project) != [] and rejects(project) == []


@pytest.mark.slow
def test_a_large_spec_is_snapshotted_compressed_and_updates_as_any(template_v1: Path, tmp_path: Path) -> None:
    # Over 256 KiB of JSON text the snapshot is bzip2 + base64: copier reads that file twice per update.
    notes = {f"note{n}": "Long text of the document. " * 20 for n in range(600)}

    def with_notes(spec: Path) -> str:
        return yaml.safe_dump({**yaml.safe_load(spec.read_text("utf-8")), "x-notes": notes}, sort_keys=False)

    (tmp_path / "v1.yaml").write_text(with_notes(SHOP_V1), "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(tmp_path / "v1.yaml"))
    init_repo(project)
    assert "asyncapi_spec: |-\n  bzip2 base64\n" in (project / ".copier-answers.yml").read_text("utf-8")
    (project / "asyncapi.yaml").write_text(with_notes(SHOP_V2), "utf-8")
    commit_all(project, "spec v2")
    update(project)
    (tmp_path / "v2.yaml").write_text(with_notes(SHOP_V2), "utf-8")
    fresh = generate(template_v1, tmp_path / "fresh", spec_source=str(tmp_path / "v2.yaml"))
    updated, expected = tree_bytes(project), tree_bytes(fresh)
    assert {k: v for k, v in updated.items() if k != ".copier-answers.yml"} == {
        k: v for k, v in expected.items() if k != ".copier-answers.yml"
    }
    assert answers(project)["asyncapi_spec"] == answers(fresh)["asyncapi_spec"]
    assert (project / ".copier-answers.yml").stat().st_size < 64 * 1024
    assert rejects(project) == []


def test_a_json_document_stays_json(template_v1: Path, tmp_path: Path) -> None:
    # Single file: copied byte for byte to asyncapi.json (the default follows the source's extension).
    source = tmp_path / "shop.json"
    source.write_text(json.dumps(yaml.safe_load(SHOP_V1.read_text("utf-8")), indent=2) + "\n", "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(source))
    assert (project / "asyncapi.json").read_bytes() == source.read_bytes()
    assert not (project / "asyncapi.yaml").exists() and answers(project)["spec_path"] == "asyncapi.json"
    init_repo(project)
    v2 = json.dumps(yaml.safe_load(SHOP_V2.read_text("utf-8")), indent=2) + "\n"
    (project / "asyncapi.json").write_text(v2, "utf-8")
    commit_all(project, "spec v2")
    update(project)
    assert "class ShipmentSent(Model):" in (project / "src" / "shop_events" / "payloads.py").read_text("utf-8")

    # References outside the entry's folder: written bundled, and still as JSON.
    outside = tmp_path / "outside"
    shutil.copytree(OUTSIDE.parents[1], outside)
    entry = outside / "entry" / "api.json"
    entry.write_text(json.dumps(yaml.safe_load(OUTSIDE.read_text("utf-8")), indent=2), "utf-8")
    bundled_project = generate(template_v1, tmp_path / "parcels", spec_source=str(entry))
    written = json.loads((bundled_project / "asyncapi.json").read_text("utf-8"))
    assert written == bundled(entry) and "$ref" not in json.dumps(written["channels"]["parcelMoved"]["messages"])


def test_a_replay_from_the_answers_alone_reproduces_the_project(template_v1: Path, tmp_path: Path) -> None:
    # What copier's replay of the last generation does: render into an empty folder from the answers
    # file only. It must give back the same bytes, or updates would see phantom edits. The replay
    # must use the snapshot, never `spec_source` (which may have changed since): here it even names
    # another document.
    project = generate(template_v1, tmp_path / "svc", spec_source=str(MULTI))
    # As copier reads them: the snapshot is JSON text, which its `json` question type decodes.
    raw = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    recorded = {k: v for k, v in raw.items() if not k.startswith("_")}
    replay = tmp_path / "replay"
    copier.run_copy(
        str(template_v1),
        str(replay),
        data={**recorded, "spec_source": str(SHOP_V1)},
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref="v1",
    )
    ours, theirs = tree_bytes(project), tree_bytes(replay)
    spec_files = {"asyncapi.yaml", "components/messages.yaml", "components/schemas/position.yaml"}
    generated = set(ours) - spec_files - {".copier-answers.yml"}
    assert "src/parcel_tracker/payloads.py" in generated
    for name in sorted(generated):
        assert theirs.get(name) == ours[name], name
    assert set(theirs) - spec_files == set(ours) - spec_files
    assert spec_only_answers(answers(replay)) == spec_only_answers(answers(project))


# The last commit of this repository whose answers files hold the spec snapshot as a YAML mapping.
MAPPING_SNAPSHOT_RELEASE = "ac92331"


def template_from_history(commit: str, destination: Path) -> Path:
    """A template repository tagged v1 at an earlier commit of this one, then v2 at the working tree."""
    listing = subprocess.run(["git", "-C", str(REPO_ROOT), "cat-file", "-t", commit], capture_output=True, check=False)
    if listing.returncode != 0:
        pytest.skip(f"commit {commit} is not in this checkout (a shallow clone?): no earlier release to upgrade from")
    destination.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", commit, "copier.yml", "template", "extensions", "examples"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive.stdout, check=True)
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", f"template at {commit}")
    git(destination, "tag", "v1")
    copy_template_parts(destination)
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "template now")
    git(destination, "tag", "v2")
    return destination


def test_upgrade_from_a_release_that_kept_the_snapshot_as_a_mapping(tmp_path: Path) -> None:
    # Projects generated by earlier releases hold the snapshot as a YAML mapping. Upgrading one to
    # this version, with a spec edit in the same update, replays the old release from its own
    # answers, then follows the edit and rewrites the snapshot as text.
    template = template_from_history(MAPPING_SNAPSHOT_RELEASE, tmp_path / "template")
    project = generate(template, tmp_path / "svc", vcs_ref="v1", spec_source=str(SHOP_V1))
    old_answers = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    assert isinstance(old_answers["asyncapi_spec"], dict) and old_answers["_commit"] == "v1"
    init_repo(project)
    with (project / "README.md").open("a", encoding="utf-8") as handle:
        handle.write(README_NOTES)
    shutil.copyfile(SHOP_V2, project / "asyncapi.yaml")
    commit_all(project, "own notes; spec v2")
    update(project)

    recorded = answers(project)  # asserts the snapshot is text now
    assert recorded["_commit"] == "v2" and recorded["asyncapi_spec"] == bundled(SHOP_V2)
    # The old release answered `perspective: client` (there was no `auto`); the update keeps it.
    assert recorded["perspective"] == "client"
    fresh = generate(template, tmp_path / "fresh", vcs_ref="v2", spec_source=str(SHOP_V2), perspective="client")
    ours, theirs = tree_bytes(project), tree_bytes(fresh)
    assert "class ShipmentSent(Model):" in ours["src/shop_events/payloads.py"].decode()
    for name in sorted(set(theirs) - {".copier-answers.yml", "README.md"}):
        assert ours.get(name) == theirs[name], f"{name} differs from a fresh copy of the new spec"
    assert set(ours) == set(theirs)
    assert ours["README.md"] == theirs["README.md"] + README_NOTES.encode()
    assert spec_only_answers(recorded) == spec_only_answers(answers(fresh))
    assert rejects(project) == [] and not [line for line in status(project) if line.startswith("UU")]


# The last commit of this repository whose packages hold their runtime as flat modules beside the
# generated ones (src/<package>/_client.py, _server.py ...), before the _runtime/ subpackage.
FLAT_RUNTIME_RELEASE = "3c1bc86"
FLAT_RUNTIME_MODULES = (
    "_accept.py",
    "_client.py",
    "_jsontext.py",
    "_model.py",
    "_paths.py",
    "_requests.py",
    "_runtime.py",
    "_server.py",
    "_unset.py",
    "_validation.py",
)


def test_upgrade_from_the_flat_runtime_leaves_only_the_runtime_package(tmp_path: Path) -> None:
    # copier deletes the files the old version generated and the new one does not: the flat
    # runtime modules go, _runtime/ comes, and the user's edits and own module stay.
    template = template_from_history(FLAT_RUNTIME_RELEASE, tmp_path / "template")
    project = generate(template, tmp_path / "svc", vcs_ref="v1", spec_source=str(SHOP_V1))
    package = project / "src" / "shop_events"
    assert all((package / name).is_file() for name in FLAT_RUNTIME_MODULES)
    assert not (package / "_runtime").exists()
    init_repo(project)
    with (package / "channels.py").open("a", encoding="utf-8") as handle:
        handle.write(OWN_FUNCTION)
    with (project / "README.md").open("a", encoding="utf-8") as handle:
        handle.write(README_NOTES)
    (package / "custom.py").write_text(CUSTOM_MODULE, "utf-8")
    commit_all(project, "own edits")
    update(project)

    assert [name for name in FLAT_RUNTIME_MODULES if (package / name).exists()] == []
    assert (package / "_runtime" / "__init__.py").is_file()
    # The old release answered `perspective: client` (there was no `auto`); the update keeps it.
    assert answers(project)["perspective"] == "client"
    fresh = generate(template, tmp_path / "fresh", vcs_ref="v2", spec_source=str(SHOP_V1), perspective="client")
    ours, theirs = tree_bytes(project), tree_bytes(fresh)
    channels = "src/shop_events/channels.py"
    assert ours[channels] == theirs[channels] + OWN_FUNCTION.encode()
    assert ours["README.md"] == theirs["README.md"] + README_NOTES.encode()
    assert ours["src/shop_events/custom.py"] == CUSTOM_MODULE.encode()
    for name in sorted(set(theirs) - {".copier-answers.yml", "README.md", channels}):
        assert ours.get(name) == theirs[name], f"{name} differs from a fresh copy"
    assert set(ours) == set(theirs) | {"src/shop_events/custom.py"}
    assert answers(project)["_commit"] == "v2"
    assert spec_only_answers(answers(project)) == spec_only_answers(answers(fresh))
    assert rejects(project) == [] and not [line for line in status(project) if line.startswith("UU")]


# --------------------------------------------------------------------------------------------
# Scenario 9: errors say what to do.


def test_missing_spec_on_update(template_v1: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    git(project, "rm", "-q", "asyncapi.yaml")
    commit_all(project, "oops")
    capfd.readouterr()
    with pytest.raises(UserMessageError):
        update(project)
    err = capfd.readouterr().err
    assert "asyncapi.yaml: the project's AsyncAPI document is missing" in err
    assert "git checkout HEAD -- asyncapi.yaml" in err and "--data spec_path=NEW/PATH" in err
    assert status(project) == []  # nothing touched
    assert (project / "src" / "shop_events" / "channels.py").is_file()


def test_broken_spec_on_update(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    before = tree_bytes(project)
    replace_once(project / "asyncapi.yaml", "    address: orders/cancelled\n", "    address: [orders/cancelled\n")
    commit_all(project, "typo")
    with pytest.raises(UserMessageError) as caught:
        update(project)
    err = str(caught.value)
    assert re.match(r"asyncapi\.yaml:\d+: invalid YAML", err) and "What to do: fix the syntax" in err, err
    assert status(project) == []  # the answers file the migration marked is put back
    after = tree_bytes(project)
    assert {k: v for k, v in after.items() if k != "asyncapi.yaml"} == {
        k: v for k, v in before.items() if k != "asyncapi.yaml"
    }


def test_errors_name_project_files_relative_to_the_project(
    template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(MULTI))
    init_repo(project)
    position = project / "components" / "schemas" / "position.yaml"
    position.write_text("  bad: [\n" + position.read_text("utf-8"), "utf-8")
    commit_all(project, "typo in a referenced file")
    with pytest.raises(UserMessageError) as caught:
        update(project)
    err = str(caught.value)
    # The entry file and the referenced ones alike, however the loader reached them.
    assert err.startswith("components/messages.yaml:4 at /ParcelMoved/payload/$ref"), err
    assert re.search(r"cannot be loaded: components/schemas/position\.yaml:\d+: invalid YAML", err), err
    assert str(tmp_path) not in err
    assert status(project) == []

    # A document outside the project (the first copy's source) is named by its absolute path,
    # also when it was given relative to the current folder.
    shutil.copyfile(UPDATE_SPECS / "not-asyncapi.yaml", tmp_path / "rest-api.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserMessageError) as caught:
        generate(template_v1, tmp_path / "other", spec_source="rest-api.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'rest-api.yaml'}:1 at /openapi: ")


def test_spec_edit_the_generator_refuses_changes_nothing(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    replace_once(project / "asyncapi.yaml", "$ref: '#/channels/orderCancelled'", "$ref: '#/channels/orderCanceled'")
    commit_all(project, "typo in a reference")
    with pytest.raises(UserMessageError) as caught:
        update(project)
    err = str(caught.value)
    assert "asyncapi.yaml" in err and "orderCanceled" in err and "What to do:" in err
    assert status(project) == []  # the answers file is not left rewritten


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("../secret.yaml", "outside"),  # the project is a git work tree: its root
        ("/etc/hostname", "may read any file of the machine"),
        ("http://127.0.0.1:9/schemas.yaml", "a loopback address"),
    ],
)
def test_a_reference_the_generator_refuses_changes_nothing_on_update(
    target: str, problem: str, template_v1: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.yaml").write_text("type: object\ndescription: TOPSECRET\n", "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    before = tree_bytes(project)
    spec = project / "asyncapi.yaml"
    spec.write_text(spec.read_text("utf-8") + f"x-shared:\n  $ref: '{target}'\n", "utf-8")
    commit_all(project, "refer to a file elsewhere")
    with pytest.raises(UserMessageError) as caught:
        update(project)
    err = str(caught.value)
    assert "asyncapi.yaml" in err and "/x-shared/$ref" in err and problem in err and "TOPSECRET" not in err
    assert status(project) == []
    after = tree_bytes(project)
    assert {k: v for k, v in after.items() if k != "asyncapi.yaml"} == {
        k: v for k, v in before.items() if k != "asyncapi.yaml"
    }


def test_dirty_project_is_refused(template_v1: Path, tmp_path: Path) -> None:
    project = copy_edit_commit(template_v1, tmp_path / "svc")
    (project / "asyncapi.yaml").write_text((project / "asyncapi.yaml").read_text("utf-8") + "# wip\n", "utf-8")
    with pytest.raises(UserMessageError, match=r"Destination repository is dirty.*commit or stash"):
        update(project)
    assert status(project) == [" M asyncapi.yaml"]


def test_template_that_is_not_a_git_repository_cannot_update(tmp_path: Path) -> None:
    plain = tmp_path / "template"
    plain.mkdir()
    for part in ("copier.yml", "template", "extensions", "examples"):
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, plain / part, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
        else:
            shutil.copy2(source, plain / part)
    project = generate(plain, tmp_path / "svc", spec_source=str(SHOP_V1))
    assert "_commit" not in answers(project)
    init_repo(project)
    with pytest.raises(UserMessageError, match="cannot obtain old template references"):
        update(project)


def test_untagged_template_updates_from_its_commit(tmp_path: Path) -> None:
    template = make_template_repo(tmp_path / "template")
    git(template, "tag", "-d", "v1")
    head = git(template, "rev-parse", "--short", "HEAD").strip()
    project = copy_edit_commit(template, tmp_path / "svc")
    assert head in str(answers(project)["_commit"])  # copier falls back to the commit itself
    update(project)
    assert_follows_v2(project)


@pytest.mark.slow
def test_cli_without_trust_names_the_unsafe_features(template_v1: Path, tmp_path: Path) -> None:
    result = cli("copy", "--defaults", "--data", f"spec_source={SHOP_V1}", str(template_v1), "svc", cwd=tmp_path)
    assert result.returncode != 0
    message = " ".join((result.stdout + result.stderr).split())
    assert "unsafe features: jinja_extensions, tasks" in message and "--trust" in message
    assert not (tmp_path / "svc").exists()

    project = generate(template_v1, tmp_path / "svc", spec_source=str(SHOP_V1))
    init_repo(project)
    result = cli("update", "--defaults", cwd=project)
    assert result.returncode != 0
    message = " ".join((result.stdout + result.stderr).split())
    assert "unsafe features: jinja_extensions, migrations, tasks" in message and "--trust" in message
    assert status(project) == []
    assert "--trust" in (REPO_ROOT / "docs" / "updating.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("invalid-yaml.asyncapi.yaml", r"invalid-yaml\.asyncapi\.yaml:\d+: invalid YAML"),
        ("not-asyncapi.yaml", r"not-asyncapi\.yaml:1 at /openapi: this is an OpenAPI document .*needs AsyncAPI"),
        ("does-not-exist.yaml", r"does-not-exist\.yaml: no such file"),
    ],
)
def test_bad_spec_on_first_copy_leaves_nothing_behind(
    template_v1: Path, tmp_path: Path, name: str, expected: str
) -> None:
    with pytest.raises(UserMessageError, match=expected) as caught:
        generate(template_v1, tmp_path / "svc", spec_source=str(UPDATE_SPECS / name))
    assert "What to do:" in str(caught.value)
    assert not (tmp_path / "svc").exists()


def test_existing_different_spec_in_the_destination_is_not_replaced(template_v1: Path, tmp_path: Path) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    shutil.copyfile(SHOP_V1, project / "asyncapi.yaml")
    with pytest.raises(UserMessageError, match=r"already has an AsyncAPI document at asyncapi\.yaml"):
        generate(template_v1, project, spec_source=str(SHOP_V2))
    assert (project / "asyncapi.yaml").read_bytes() == SHOP_V1.read_bytes()
    # Without spec_source, the existing document is the one used, and it is kept.
    generate(template_v1, project)
    assert (project / "asyncapi.yaml").read_bytes() == SHOP_V1.read_bytes()
    assert (project / "src" / "shop_events" / "channels.py").is_file()


@pytest.mark.slow
def test_a_broken_spec_already_in_the_destination_is_reported_without_a_traceback(
    template_v1: Path, tmp_path: Path
) -> None:
    project = tmp_path / "svc"
    project.mkdir()
    (project / "asyncapi.yaml").write_text("asyncapi: 3.0.0\ninfo: [\n", "utf-8")
    result = cli("copy", "--trust", "--defaults", str(template_v1), "svc", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"^asyncapi\.yaml:\d+: invalid YAML", output, re.MULTILINE), output
    assert "Traceback" not in output and "Validation error" not in output
    assert sorted(p.name for p in project.iterdir()) == ["asyncapi.yaml"]  # nothing written beside it


def test_minimum_copier_version_is_declared() -> None:
    config = yaml.safe_load((REPO_ROOT / "copier.yml").read_text("utf-8"))
    # `ask: false` on the snapshot question needs copier 9.19.0; older copiers must refuse early.
    assert config["_min_copier_version"] == "9.19.0"
