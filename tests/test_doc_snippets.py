"""Every Python snippet of docs/ and of the generated READMEs is a module that passes
``mypy --strict``, runs, and prints what the page shows.

The snippets use three packages, each generated from the document its page gives: the bundled
User Service example, the chat of getting-started.md and the Quotes document of runtime.md.
runtime.md's clients talk to runtime.md's own server, started here as the page says.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import _mypy_cache, generate, run
from test_docs import DOCS, GOLDEN, blocks, free_port, run_script
from vendored_runtime import restore_runtime

# Package -> the page whose first ``yaml`` block holding ``info.title`` is its document.
DOCUMENTS = {"chat": ("getting-started.md", "Chat"), "quotes": ("runtime.md", "Quotes")}
PAGES = sorted(path.name for path in DOCS.glob("*.md"))


def python_blocks(page: str) -> list[tuple[str, str | None]]:
    """Each ``python`` block of a page and the ``text`` block right after it, if any."""
    found = blocks((DOCS / page).read_text("utf-8"))
    pairs: list[tuple[str, str | None]] = []
    for index, (language, code) in enumerate(found):
        if language == "python":
            following = found[index + 1] if index + 1 < len(found) else None
            pairs.append((code, following[1] if following and following[0] == "text" else None))
    return pairs


def document(page: str, title: str) -> str:
    return next(
        code
        for language, code in blocks((DOCS / page).read_text("utf-8"))
        if language == "yaml" and re.search(rf"^info:\n  title: {title}$", code, re.MULTILINE)
    )


@pytest.fixture(scope="module")
def packages(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Package name -> the ``src`` folder it was generated into."""
    root = tmp_path_factory.mktemp("doc-packages")
    found = {"user_service": generate(template_v1, root / "user-service") / "src"}
    for package, (page, title) in DOCUMENTS.items():
        spec = root / f"{package}.asyncapi.yaml"
        spec.write_text(document(page, title), "utf-8")
        found[package] = generate(template_v1, root / package, spec_source=str(spec)) / "src"
    return found


def package_of(code: str, packages: dict[str, Path]) -> Path:
    imported = set(re.findall(r"^from (\w+)[.\s]", code, re.MULTILINE)) & set(packages)
    assert len(imported) == 1, f"a snippet uses exactly one generated package, not {sorted(imported)}"
    return packages[imported.pop()]


def mypy_strict(files: list[Path], cwd: Path, source_folders: list[Path]) -> None:
    run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", _mypy_cache(), *map(str, files)],
        cwd,
        env={"MYPYPATH": os.pathsep.join(map(str, source_folders))},
    )


@contextlib.contextmanager
def serving(code: str, cwd: Path, src: Path) -> Iterator[int]:
    """Run a page's server script on a free port (its ``8080``) until the block ends."""
    port = free_port()
    (cwd / "server.py").write_text(code.replace("8080", str(port)), "utf-8")
    server = subprocess.Popen(
        [sys.executable, "server.py"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(src)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_the_pages_have_the_snippets_this_suite_runs() -> None:
    counts = {page: len(python_blocks(page)) for page in PAGES if python_blocks(page)}
    assert counts == {
        "cookbook.md": 5,
        "deploy.md": 1,
        "generated-package.md": 1,
        "getting-started.md": 3,
        "runtime.md": 9,
    }
    # Sessions are doctests (checked below and in test_docs.py), not scripts.
    assert "```pycon" in (DOCS / "payloads.md").read_text("utf-8")


@pytest.mark.slow
def test_every_python_snippet_of_docs_passes_mypy_strict(packages: dict[str, Path], tmp_path: Path) -> None:
    files = []
    for page in PAGES:
        for number, (code, _) in enumerate(python_blocks(page), 1):
            package_of(code, packages)  # each names its package
            path = tmp_path / f"{page.removesuffix('.md').replace('-', '_')}_{number}.py"
            path.write_text(code, "utf-8")
            files.append(path)
    mypy_strict(files, tmp_path, list(packages.values()))


@pytest.mark.slow
def test_runtime_page_scripts_print_what_the_page_shows(packages: dict[str, Path], tmp_path: Path) -> None:
    scripts = python_blocks("runtime.md")
    server = next(code for code, _ in scripts if "create_future()" in code)
    with serving(server, tmp_path, packages["user_service"]) as port:
        for code, shown in scripts:
            if code == server:
                continue
            assert shown is not None, f"the page shows no output for:\n{code}"
            if "ws://localhost:8080" in code:  # a client of the page's server
                code = code.replace("8080", str(port))
            output = run_script(code, tmp_path, package_of(code, packages))
            assert output.splitlines() == shown.splitlines()


def doctest_passes(session: str, src: Path) -> None:
    code = (
        "import doctest, sys\n"
        "test = doctest.DocTestParser().get_doctest(sys.stdin.read(), {}, 'page', None, 0)\n"
        "runner = doctest.DocTestRunner()\n"
        "runner.run(test)\n"
        "sys.exit(1 if runner.failures or not runner.tries else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=session,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("page", ["payloads.md"])
def test_sessions_print_what_the_page_shows(page: str, packages: dict[str, Path]) -> None:
    sessions = [code for language, code in blocks((DOCS / page).read_text("utf-8")) if language == "pycon"]
    assert sessions
    for session in sessions:
        doctest_passes(session, package_of(session.replace(">>> ", ""), packages))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["user-service", "chat-2.6", "multifile"])
def test_generated_readme_scripts_pass_mypy_strict(name: str, tmp_path: Path) -> None:
    golden = GOLDEN / name
    if not golden.is_dir():
        pytest.skip(f"tests/golden/{name} is missing")
    project = tmp_path / name
    shutil.copytree(golden, project)
    restore_runtime(project)
    readme = (project / "README.md").read_text("utf-8")
    files = []
    for number, (language, code) in enumerate(blocks(readme), 1):
        if language == "python":
            path = tmp_path / f"readme_{number}.py"
            path.write_text(code, "utf-8")
            files.append(path)
    assert files
    mypy_strict(files, tmp_path, [project / "src"])
