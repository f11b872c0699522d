"""The generator's layout: imports follow the pipeline, no import cycles, no oversized files.

The sub-packages of ``asyncapi_ws_codegen`` are the stages of the pipeline. A module may import
from its own stage or an earlier one, never from a later one, so each stage can be read (and
tested) knowing only the stages before it. The IR records rank before their producers
(``schema``, ``normalise``): the producers import the record types to fill them, and the records
import no producer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_NAME = "asyncapi_ws_codegen"
PACKAGE = REPO_ROOT / "extensions" / PACKAGE_NAME

# Stages in pipeline order: a module may import its own stage or one listed before it.
# ``""`` is the package's top level (``errors.py``, ``__init__.py``).
STAGES = ("", "pytext", "load", "check", "ir", "examples", "schema", "normalise", "render", "copier")

MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _resolve(importer: str, level: int, target: str | None) -> str:
    """The package-relative name a relative import refers to (``""``: the package itself)."""
    base = importer.split(".") if importer else []
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, *(target.split(".") if target else [])])


def imports_of(module: str) -> set[str]:
    """The package modules ``module`` imports (anywhere in it, functions included)."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            target = _resolve(module, node.level, node.module)
            for alias in node.names:
                # ``from . import memo`` imports a module; ``from .x import Name`` a name of x.
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in MODULES else target)
    return found


def _stage(module: str) -> str:
    return module.split(".")[0] if "." in module or (module and _is_package(module)) else ""


def test_every_stage_is_ranked() -> None:
    stages = {_stage(module) for module in MODULES}
    assert stages <= set(STAGES), f"rank the new stage(s) in STAGES: {sorted(stages - set(STAGES))}"


def test_the_package_imports_itself_only_relatively() -> None:
    # Copier's entry file imports each template clone's generator under a name of its own
    # (extensions/context.py): an absolute import would reach another clone's code.
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not any(n.split(".")[0] == PACKAGE_NAME for n in names), f"{module}: absolute import"


def test_imports_follow_the_pipeline() -> None:
    backwards = []
    for module in MODULES:
        rank = STAGES.index(_stage(module))
        for imported in sorted(imports_of(module)):
            if STAGES.index(_stage(imported)) > rank:
                backwards.append(f"{module or '<package>'} ({_stage(module)}) imports {imported} ({_stage(imported)})")
    assert not backwards, "imports from a later stage:\n" + "\n".join(backwards)


def test_no_import_cycles() -> None:
    graph = {module: sorted(imports_of(module) - {module}) for module in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in graph[module]:
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (cycle := visit(imported)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in graph:
        if module not in state:
            cycle = visit(module)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_resolution_of_relative_imports() -> None:
    # The checks above are only as good as this resolution: spot-check it on known imports.
    assert "load.bundler" in imports_of("copier.context_hook")
    assert "copier.clone_memo" in imports_of("copier.context_hook")
    assert "errors" in imports_of("load.bundler")
    assert "ir" in imports_of("normalise.api_builder")


def _source_files() -> list[Path]:
    found = []
    for folder in ("extensions", "template"):
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".jinja") and "__pycache__" not in path.parts and path.is_file():
                found.append(path)
    return found


@pytest.mark.parametrize(
    "path", [pytest.param(path, id=path.relative_to(REPO_ROOT).as_posix()) for path in _source_files()]
)
def test_file_is_at_most_400_lines(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO_ROOT)} has {lines} lines: split it by what it holds"
