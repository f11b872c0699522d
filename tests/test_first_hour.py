"""A new user's first hour, as the README and docs/ tell it, on a real git repository.

Copy the template with copier's command line, commit, install the package in a virtualenv inside
the project, run its tests, mypy and ruff (writing bytecode and caches), and find ``git status``
clean; edit the spec and update; make an edit that the next spec change collides with, and find
the conflicted file named in the update's closing message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from helpers import REPO_ROOT, git

PACKAGE = "user_service"


def copier_cli(*args: str, cwd: Path) -> str:
    """``copier ARGS`` as typed in a terminal; the combined output, checked for success."""
    result = subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def user_env() -> dict[str, str]:
    """The environment of a user's shell: bytecode is written (the test runner may forbid it)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    # Only the plugin the package's `test` extra declares: this repository's environment has more.
    return {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def in_venv(python: Path, *args: str, cwd: Path) -> str:
    result = subprocess.run(
        [str(python), *args], cwd=cwd, env=user_env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def make_venv(project: Path) -> Path:
    """``python -m venv .venv`` in the project, then ``pip install -e .``.

    The tools of the ``test`` extra come from this test run's own environment (a ``.pth`` file)
    rather than from the package index: the same programs, without a download per run.
    """
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "test-tools.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "-e", "."],
        cwd=project,
        env=user_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return python


def porcelain(project: Path) -> list[str]:
    return git(project, "status", "--porcelain", "--untracked-files=all").splitlines()


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.slow
def test_copy_install_check_edit_update_and_meet_a_conflict(template_v1: Path, tmp_path: Path) -> None:
    # 1. Generate (the template is tagged, as releases are: no "No git tags found" warning).
    output = copier_cli("copy", "--trust", "--defaults", str(template_v1), "user-service", cwd=tmp_path)
    project = tmp_path / "user-service"
    assert "Generated user-service from asyncapi.yaml" in output
    assert "No git tags found" not in output
    assert "copied " not in output  # the task that places the spec has nothing to report
    # The closing message's next steps, which this test follows.
    steps = re.findall(r"^    (\S.*?)(?:    #.*)?$", output[output.index("Next:") :], re.MULTILINE)
    assert steps == [
        "cd user-service",
        'git init && git add -A && git commit -m "Generate user-service"',
        "pip install -e '.[test]'",
        f"python -m {PACKAGE} demo",
        "pytest",
    ]
    identity = {"GIT_AUTHOR_NAME": "U", "GIT_AUTHOR_EMAIL": "u@example.com", "GIT_COMMITTER_NAME": "U"}
    identity["GIT_COMMITTER_EMAIL"] = "u@example.com"
    subprocess.run(steps[1], shell=True, cwd=project, env={**os.environ, **identity}, check=True, capture_output=True)
    assert porcelain(project) == []

    # 2. Install into a virtualenv inside the project; test, type-check, lint, run the demo.
    python = make_venv(project)
    assert "passed" in in_venv(python, "-m", "pytest", "-q", "-p", "asyncio", cwd=project)
    assert "Success" in in_venv(python, "-m", "mypy", "--strict", "src", "tests", cwd=project)
    in_venv(python, "-m", "ruff", "check", ".", cwd=project)
    in_venv(python, "-m", "ruff", "format", "--check", ".", cwd=project)
    assert "done: " in in_venv(python, "-m", PACKAGE, "demo", cwd=project)
    written = [
        ".venv",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        f"src/{PACKAGE}/__pycache__",
        "tests/__pycache__",
    ]
    for name in written:
        assert (project / name).is_dir(), f"{name} was not written: nothing was checked"
    assert porcelain(project) == []  # all of it is ignored: `copier update` will not call the project dirty

    # 3. Edit the spec (a new optional field), commit, update.
    spec = project / "asyncapi.yaml"
    replace_once(
        spec,
        "          email:\n            type: string\n",
        "          email:\n            type: string\n          name:\n            type: string\n",
    )
    commit_all(project, "spec: users have a name")
    output = copier_cli("update", "--trust", "--defaults", cwd=project)
    assert "user-service now follows asyncapi.yaml." in output
    assert "CONFLICTS" not in output and "returned non-zero" not in output
    assert "No git tags found" not in output
    payloads = project / "src" / PACKAGE / "payloads.py"
    assert "    name: str | None = None\n" in payloads.read_text("utf-8")
    changed = porcelain(project)
    assert f" M src/{PACKAGE}/payloads.py" in changed and all(line.startswith(" M ") for line in changed), changed
    assert "passed" in in_venv(python, "-m", "pytest", "-q", "-p", "asyncio", cwd=project)
    commit_all(project, "regenerate from the spec")

    # 4. An edit of a generated line that the next spec change rewrites: a conflict, named.
    replace_once(payloads, "    email: str\n", "    email: str  # lower-cased by the sign-up form\n")
    commit_all(project, "document the email")
    spec.write_text(spec.read_text("utf-8").replace("email", "emailAddress"), "utf-8")
    commit_all(project, "spec: email becomes emailAddress")
    output = copier_cli("update", "--trust", "--defaults", cwd=project)
    assert f"UU src/{PACKAGE}/payloads.py" in porcelain(project)
    closing = output[output.index("user-service now follows asyncapi.yaml.") :]
    assert "CONFLICTS in 1 file(s)" in closing
    assert re.search(rf"^    src/{PACKAGE}/payloads\.py$", closing, re.MULTILINE), closing
    assert f"git add src/{PACKAGE}/payloads.py" in closing
    # docs/updating.md shows this message, for a project named shop-events.
    page = (REPO_ROOT / "docs" / "updating.md").read_text("utf-8")
    shown = next(block for block in re.findall(r"```text\n(.*?)```", page, re.DOTALL) if "CONFLICTS" in block)
    renamed = closing.replace("user-service", "shop-events").replace(PACKAGE, "shop_events")
    assert renamed.strip().splitlines() == shown.strip().splitlines()
    text = payloads.read_text("utf-8")
    assert "<<<<<<< before updating\n" in text and ">>>>>>> after updating\n" in text
    assert "email: str  # lower-cased by the sign-up form" in text and "email_address: str" in text
