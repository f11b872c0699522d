"""Shared helpers of the template's tests: tagged template copies, generation, package checks."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import copier

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
REAL_SPECS = SHARED / "specs" / "real"
OFFICIAL_SCHEMAS = SHARED / "specs" / "asyncapi-json-schemas"
SPECS = Path(__file__).resolve().parent / "specs"
EXAMPLE_SPEC = REPO_ROOT / "examples" / "user-service.asyncapi.yaml"

# Only what the template ships is copied into the tagged test copies of the template.
_TEMPLATE_PARTS = ("copier.yml", "template", "extensions", "examples")


def git(cwd: Path, *args: str) -> str:
    """Run git quietly with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def copy_template_parts(destination: Path) -> None:
    """Put the working tree's shipped files into ``destination``, replacing any already there."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in _TEMPLATE_PARTS:
        source, target = REPO_ROOT / part, destination / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target)


def make_template_repo(destination: Path, tag: str = "v1") -> Path:
    """A git copy of this template's shipped files, committed and tagged."""
    copy_template_parts(destination)
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", f"template {tag}")
    git(destination, "tag", tag)
    return destination


def generate(template: Path, destination: Path, *, vcs_ref: str | None = None, **data: Any) -> Path:
    """``copier copy`` through the public API, as a user would with ``--trust --defaults``."""
    copier.run_copy(
        str(template),
        str(destination),
        data=data,
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref=vcs_ref,
    )
    return destination


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed in {cwd} ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout + result.stderr


def _mypy_cache() -> str:
    """One mypy cache per test process (per xdist worker), removed when the process ends.

    Every generated package imports the same standard library and ``websockets`` stubs; analysing
    them once per process instead of once per package is most of what a check costs. mypy's
    incremental mode re-checks any module whose source (path, size or hash) differs from the
    cached one, so packages that share module names still get a full check of their own code.
    """
    global _MYPY_CACHE
    if _MYPY_CACHE is None:
        _MYPY_CACHE = tempfile.mkdtemp(prefix="asyncapi-ws-mypy-")
        atexit.register(shutil.rmtree, _MYPY_CACHE, True)
    return _MYPY_CACHE


_MYPY_CACHE: str | None = None


def check_package(project: Path, *, pytest_args: tuple[str, ...] = ()) -> str:
    """The generated package's own checks: ruff, ruff format, mypy --strict, its tests."""
    python = sys.executable
    run([python, "-m", "ruff", "check", "--no-cache", "."], project)
    run([python, "-m", "ruff", "format", "--check", "--no-cache", "."], project)
    package = next(p.name for p in (project / "src").iterdir() if (p / "__init__.py").is_file())
    env = {"MYPYPATH": str(project / "src"), "PYTHONPATH": str(project / "src")}
    # The package and its tests in one run: the tests import the package, so checking them apart
    # would analyse the package twice.
    run(
        [python, "-m", "mypy", "--strict", "--cache-dir", _mypy_cache(), f"src/{package}", "tests"],
        project,
        env=env,
    )
    # Only the plugin the package's `test` extra declares: loading every plugin of this repository's
    # environment (xdist, hypothesis, ...) would take longer than the package's tests themselves.
    return run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "asyncio", *pytest_args],
        project,
        env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside .git) with its content."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }
