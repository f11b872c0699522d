"""Golden trees: every byte the template generates for three documents, reviewed like code.

* ``user-service``: the bundled example (AsyncAPI 3.0, the default answers);
* ``chat-2.6``: an AsyncAPI 2.6 document written from the server's side (``perspective=server``)
  with servers, contact, license and ``oneOf`` messages;
* ``multifile``: an AsyncAPI 3.0 document whose parameters, messages and schemas live in other files.

When a template change is intended, regenerate them all with the one command in ``REGENERATE``
and review the diff. The answers file is normalised: ``_commit`` and ``_src_path`` depend on
where and at which commit the template was checked out.

The vendored runtime (``src/<package>/_runtime/``) is left out of the stored trees: it is the same
in every package, so each generated copy is instead compared with the template's own folder, and
the package checks put that folder back into their copy of a golden tree.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
from helpers import check_package, tree_bytes
from vendored_runtime import RUNTIME_SOURCE, restore_runtime, runtime_files

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = "python -m pytest tests/test_golden.py --update-goldens"

# Golden name -> answers; ``spec_source`` is relative to tests/specs (default: the bundled example).
CASES: dict[str, dict[str, str]] = {
    "user-service": {},
    "chat-2.6": {"spec_source": "chat-2.6.yaml", "perspective": "server"},
    "multifile": {"spec_source": "multifile/asyncapi.yaml"},
}
_MACHINE_KEYS = (b"_commit:", b"_src_path:")
_RUNTIME = re.compile(r"src/[^/]+/_runtime/")


def normalise(files: dict[str, bytes]) -> dict[str, bytes]:
    """Drop the answers that name the template's checkout."""
    answers = files.get(".copier-answers.yml")
    if answers is not None:
        kept = [line for line in answers.splitlines(keepends=True) if not line.startswith(_MACHINE_KEYS)]
        files[".copier-answers.yml"] = b"".join(kept)
    return files


def split_runtime(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The tree without its vendored runtime, and the runtime's files by their path inside it."""
    tree: dict[str, bytes] = {}
    runtime: dict[str, bytes] = {}
    for name, content in files.items():
        found = _RUNTIME.match(name)
        if found is None:
            tree[name] = content
        else:
            runtime[name[found.end() :]] = content
    return tree, runtime


def describe_difference(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """A short report: missing and extra files, then a diff of the first changed files."""
    lines: list[str] = []
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    if missing:
        lines.append("no longer generated: " + ", ".join(missing))
    if extra:
        lines.append("newly generated: " + ", ".join(extra))
    changed = [name for name in sorted(expected.keys() & actual.keys()) if expected[name] != actual[name]]
    for name in changed[:3]:
        diff = difflib.unified_diff(
            expected[name].decode("utf-8", "replace").splitlines(),
            actual[name].decode("utf-8", "replace").splitlines(),
            f"golden/{name}",
            f"generated/{name}",
            lineterm="",
        )
        lines.extend(list(diff)[:60])
    if len(changed) > 3:
        lines.append(f"... and {len(changed) - 3} more changed files: {', '.join(changed[3:])}")
    return "\n".join(lines)


def write_golden(root: Path, files: dict[str, bytes]) -> None:
    if root.exists():
        shutil.rmtree(root)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_tree_matches_golden(
    name: str, golden_projects: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    actual, runtime = split_runtime(normalise(tree_bytes(golden_projects[name])))
    assert runtime == runtime_files(RUNTIME_SOURCE), "the generated _runtime/ is not the template's, byte for byte"
    golden = GOLDEN / name
    if request.config.getoption("--update-goldens"):
        write_golden(golden, actual)
        return
    assert golden.is_dir(), f"tests/golden/{name} is missing; create it with: {REGENERATE}"
    expected = tree_bytes(golden)
    if expected != actual:
        pytest.fail(
            f"the generated tree for {name!r} differs from tests/golden/{name}.\n"
            f"{describe_difference(expected, actual)}\n\n"
            f"If the change is intended, regenerate every golden tree and review the diff:\n    {REGENERATE}",
            pytrace=False,
        )


def test_normalise_drops_only_checkout_answers() -> None:
    files = {
        ".copier-answers.yml": b"# header\n_commit: v1\n_src_path: /tmp/x\nspec_path: asyncapi.yaml\n",
        "README.md": b"_commit: kept outside the answers file\n",
    }
    assert normalise(dict(files)) == {
        ".copier-answers.yml": b"# header\nspec_path: asyncapi.yaml\n",
        "README.md": b"_commit: kept outside the answers file\n",
    }


def test_split_runtime_takes_out_the_vendored_folder_only() -> None:
    files = {
        "src/pkg/_runtime/__init__.py": b"a",
        "src/pkg/_runtime/sub/x.py": b"b",
        "src/pkg/channels.py": b"c",
        "tests/_runtime/y.py": b"d",
    }
    assert split_runtime(files) == (
        {"src/pkg/channels.py": b"c", "tests/_runtime/y.py": b"d"},
        {"__init__.py": b"a", "sub/x.py": b"b"},
    )


def test_a_difference_names_the_files_and_shows_a_diff() -> None:
    expected = {"a.py": b"x = 1\n", "gone.py": b""}
    actual = {"a.py": b"x = 2\n", "new.py": b""}
    report = describe_difference(expected, actual)
    assert "no longer generated: gone.py" in report
    assert "newly generated: new.py" in report
    assert "-x = 1" in report and "+x = 2" in report


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_tree_passes_its_own_checks(name: str, tmp_path: Path) -> None:
    """A golden tree, with the template's runtime put back, is a working package: ruff, mypy --strict
    and its own tests pass on it."""
    golden = GOLDEN / name
    if not golden.is_dir():
        pytest.skip(f"tests/golden/{name} is missing; create it with: {REGENERATE}")
    project = tmp_path / name
    shutil.copytree(golden, project)
    restore_runtime(project)
    output = check_package(project)
    assert " passed" in output and "failed" not in output
