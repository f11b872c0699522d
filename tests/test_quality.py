"""The template's own code meets the bar it sets for generated code: typed and lint-clean."""

from __future__ import annotations

import sys

from helpers import REPO_ROOT, run


def test_generator_package_is_mypy_strict_clean() -> None:
    output = run([sys.executable, "-m", "mypy", "--no-incremental", "extensions/asyncapi_ws_codegen"], REPO_ROOT)
    assert "Success" in output


def test_template_repository_is_ruff_clean() -> None:
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "extensions", "tests", "benchmarks"], REPO_ROOT)


def test_static_runtime_modules_are_formatted_like_generated_code() -> None:
    # The static modules under template/ are copied verbatim, so they must already be in the
    # generated package's ruff format (line length 100).
    package = REPO_ROOT / "template" / "src" / "{{ package_name }}"
    static = sorted(str(path) for path in package.glob("*.py"))
    assert static, "no static modules found"
    run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "--line-length", "100", *static],
        REPO_ROOT,
    )
