"""Fixtures: tagged git copies of the template (v1, and v2 with a visible template change), and the
chat package the runtime tests share."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest
from helpers import REPO_ROOT, SPECS, generate, git, make_template_repo
from redis_support import redis_server  # noqa: F401 (the fixture of a real redis-server)
from runtime_support import CHAT_SPEC, generate_package, import_package

sys.path.insert(0, str(REPO_ROOT / "extensions"))

# Copier runs here keep the template's compiled code in a folder of this test run, not in the
# user's cache folder (compile_disk.py): later copies then read it, as a user's later runs do.
os.environ.setdefault("ASYNCAPI_WS_TEMPLATE_CACHE_DIR", tempfile.mkdtemp(prefix="asyncapi-ws-compiled-"))

# The golden trees are generated packages with their own tests; they are compared, never collected.
collect_ignore_glob = ["golden/*"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current template instead of comparing against it",
    )


@pytest.fixture(scope="session")
def template_v1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as committed here, tagged v1."""
    return make_template_repo(tmp_path_factory.mktemp("template") / "repo", "v1")


@pytest.fixture(scope="session")
def template_v2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1 plus a visible template change (a README footer), tagged v2."""
    repo = make_template_repo(tmp_path_factory.mktemp("template-v2") / "repo", "v1")
    readme = repo / "template" / "README.md.jinja"
    readme.write_text(readme.read_text("utf-8") + "\nGenerated with template v2.\n", "utf-8")
    git(repo, "commit", "-qam", "template v2")
    git(repo, "tag", "v2")
    return repo


@pytest.fixture(scope="session")
def golden_projects(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The golden cases of tests/test_golden.py, each generated once, with ``--defaults`` from inside tests/specs
    (so the answers hold the relative path a user would give)."""
    from test_golden import CASES

    root = tmp_path_factory.mktemp("golden-cases")
    here = Path.cwd()
    os.chdir(SPECS)  # the cases name their documents relative to tests/specs, as a user would
    try:
        return {name: generate(template_v1, root / name, **answers) for name, answers in CASES.items()}
    finally:
        os.chdir(here)


@pytest.fixture(scope="session")
def chat(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The chat spec (tests/runtime_support.py) generated once and imported: the runtime tests' package."""
    project = generate_package(template_v1, tmp_path_factory.mktemp("chat"), CHAT_SPEC, "rt_chat")
    return import_package(project, "rt_chat")
