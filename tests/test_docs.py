"""The docs site builds strictly, and its examples run against real generated packages.

* ``mkdocs build --strict`` (broken links, pages missing from the nav and bad anchors all fail);
* every ``python`` block of the pages this suite owns compiles; complete scripts (those calling
  ``asyncio.run``) run against the generated User Service package, and when a ``text`` block follows
  one, that is exactly what the script prints;
* the getting-started walk-through is replayed: its document is generated, its server started, its
  client run, its console session checked as a doctest;
* each golden tree's README scripts (one per operation) run against that package.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO_ROOT, generate, run
from vendored_runtime import restore_runtime

DOCS = REPO_ROOT / "docs"
GOLDEN = Path(__file__).resolve().parent / "golden"
# Pages written alongside this suite; the other pages of the nav have their own tests.
OWN_PAGES = ("index.md", "install.md", "getting-started.md", "generate.md", "generated-package.md", "cookbook.md")
OWN_PAGES += ("contributing.md",)
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, code) of each fenced block, in order."""
    return [(match.group(1), match.group(2)) for match in FENCE.finditer(text)]


def scripts_with_output(page: Path) -> list[tuple[str, str | None]]:
    """Each complete Python script of a page and the ``text`` block right after it, if any."""
    found = blocks(page.read_text("utf-8"))
    pairs: list[tuple[str, str | None]] = []
    for index, (language, code) in enumerate(found):
        if language == "python" and "asyncio.run(" in code:
            following = found[index + 1] if index + 1 < len(found) else None
            pairs.append((code, following[1] if following and following[0] == "text" else None))
    return pairs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_script(
    code: str, cwd: Path, src: Path, *, args: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> str:
    script = cwd / "example.py"
    script.write_text(code, "utf-8")
    return run([sys.executable, str(script), *args], cwd, env={"PYTHONPATH": str(src), **(env or {})}, timeout=120)


# -- the site -----------------------------------------------------------------------------------


def test_mkdocs_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "project"
    shutil.copytree(DOCS, site / "docs")
    shutil.copy2(REPO_ROOT / "mkdocs.yml", site / "mkdocs.yml")
    nav_pages = re.findall(r":\s*([\w./-]+\.md)\s*$", (REPO_ROOT / "mkdocs.yml").read_text("utf-8"), re.MULTILINE)
    for page in nav_pages:
        if not (site / "docs" / page).exists():
            # A page another change has not written yet: a stub keeps the rest of the site checked.
            (site / "docs" / page).write_text(f"# {page}\n\nComing soon.\n", "utf-8")
    for page in nav_pages:
        if page in OWN_PAGES:
            continue
        for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.png)\)", (site / "docs" / page).read_text("utf-8")):
            target = site / "docs" / image
            if not target.exists():
                # A figure that a benchmark run writes (python -m benchmarks), absent from this checkout.
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"")
    output = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")], site)
    assert (tmp_path / "site" / "index.html").is_file(), output
    for page in OWN_PAGES:
        assert page in nav_pages, f"{page} is not in the mkdocs nav"
        built = page.removesuffix(".md").replace("index", "")
        assert (tmp_path / "site" / built / "index.html").is_file() or page == "index.md", page


@pytest.mark.parametrize("page", OWN_PAGES)
def test_every_python_block_compiles(page: str) -> None:
    for language, code in blocks((DOCS / page).read_text("utf-8")):
        if language == "python":
            compile(code, f"{page}:python", "exec")


def test_readme_and_docs_agree_on_the_install_line() -> None:
    line = "pip install 'copier>=9.19' copier-template-extensions"
    for path in (REPO_ROOT / "README.md", DOCS / "index.md", DOCS / "install.md"):
        assert line in path.read_text("utf-8"), path


# -- scripts against the User Service package ----------------------------------------------------


@pytest.fixture(scope="module")
def user_service(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The src folder of a package generated from the bundled example."""
    return generate(template_v1, tmp_path_factory.mktemp("docs") / "user-service") / "src"


def tls_files(cwd: Path) -> None:
    """A self-signed certificate for 127.0.0.1, as the cookbook tells how to make one."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem"),
            *("-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


SCRIPTS = [
    (page, n) for page in ("generated-package.md", "cookbook.md") for n in range(len(scripts_with_output(DOCS / page)))
]


@pytest.mark.slow
@pytest.mark.parametrize(("page", "number"), SCRIPTS)
def test_doc_scripts_run_and_print_what_the_page_shows(
    page: str, number: int, user_service: Path, tmp_path: Path
) -> None:
    code, shown = scripts_with_output(DOCS / page)[number]
    if "cert.pem" in code:
        tls_files(tmp_path)
    output = run_script(code, tmp_path, user_service, env={"PORT": str(free_port())})
    if shown is not None:
        assert output.splitlines() == shown.splitlines()
    if "reuse_port=True" in code:
        handled = [line for line in output.splitlines() if " handled user" in line]
        assert sorted(line.rsplit(" ", 1)[1] for line in handled) == [f"user{n}" for n in range(6)]


def test_the_demo_output_on_the_home_page_is_real(user_service: Path, tmp_path: Path) -> None:
    shown = next(code for language, code in blocks((DOCS / "index.md").read_text("utf-8")) if language == "text")
    output = run([sys.executable, "-m", "user_service", "demo"], tmp_path, env={"PYTHONPATH": str(user_service)})
    port = re.compile(r"127\.0\.0\.1:\d+")
    assert port.sub("127.0.0.1:PORT", output).splitlines() == port.sub("127.0.0.1:PORT", shown).splitlines()


def test_the_doc_scripts_were_found() -> None:
    assert len(scripts_with_output(DOCS / "cookbook.md")) == 5
    assert len(scripts_with_output(DOCS / "generated-package.md")) == 1


# -- the getting-started walk-through -----------------------------------------------------------


@pytest.mark.slow
def test_getting_started_walk_through(template_v1: Path, tmp_path: Path) -> None:
    found = blocks((DOCS / "getting-started.md").read_text("utf-8"))
    spec = next(code for language, code in found if language == "yaml")
    server_code, client_code, blocking_code = [code for language, code in found if language == "python"]
    session = next(code for language, code in found if language == "pycon")
    client_output = next(code for language, code in found if language == "text" and code.startswith("ada:"))

    port = free_port()  # the document's server, which the clients connect to
    (tmp_path / "chat.asyncapi.yaml").write_text(spec.replace("8765", str(port)), "utf-8")
    src = generate(template_v1, tmp_path / "chat", spec_source=str(tmp_path / "chat.asyncapi.yaml")) / "src"
    assert (src / "chat" / "channels.py").is_file()
    demo = run([sys.executable, "-m", "chat", "demo"], tmp_path, env={"PYTHONPATH": str(src)})
    assert demo.splitlines()[-1] == "done: 4 messages"

    (tmp_path / "server.py").write_text(server_code.replace("8765", str(port)), "utf-8")
    server = subprocess.Popen(
        [sys.executable, "server.py"],
        cwd=tmp_path,
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
        output = run_script(client_code.replace("8765", str(port)), tmp_path, src, args=("ada",))
        assert output.splitlines() == client_output.splitlines()
        assert (
            run_script(client_code.replace("8765", str(port)), tmp_path, src, args=("bob",)) == "bob: hello from bob\n"
        )
        assert run_script(blocking_code, tmp_path, src, args=("cy",)) == "cy: hello from cy\n"
    finally:
        server.terminate()
        server.communicate(timeout=30)

    doctest = (
        "import doctest, sys\n"
        "parser = doctest.DocTestParser()\n"
        "test = parser.get_doctest(sys.stdin.read(), {}, 'getting-started', None, 0)\n"
        "runner = doctest.DocTestRunner()\n"
        "runner.run(test)\n"
        "sys.exit(1 if runner.failures or not runner.tries else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", doctest],
        input=session,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the generated READMEs ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["user-service", "chat-2.6", "multifile"])
def test_generated_readme_scripts_run(name: str, tmp_path: Path) -> None:
    golden = GOLDEN / name
    if not golden.is_dir():
        pytest.skip(f"tests/golden/{name} is missing")
    project = tmp_path / name
    shutil.copytree(golden, project)
    restore_runtime(project)  # golden trees leave the vendored runtime out
    readme = (project / "README.md").read_text("utf-8")
    python = [code for language, code in blocks(readme) if language == "python"]
    scripts = [code for code in python if "asyncio.run(" in code]
    operations = re.findall(r"^\| `([^`]+)` \| (?:client to server|server to client) \|", readme, re.MULTILINE)
    assert scripts and len(scripts) == len(operations)
    for code in scripts:
        output = run_script(code, tmp_path, project / "src")
        assert re.search(r"^(server received|client received|client got the reply) ", output, re.MULTILINE), output
    # The serving section's two ways (websockets, ASGI/FastAPI) set up without error.
    serving = [code for code in python if code not in scripts]
    assert len(serving) in (2, 3) and "router.asgi()" in serving[1], serving
    # A third: broadcasting, when the package's server sends any operation.
    assert (len(serving) == 3) == ("broadcast_to_" in readme), serving
    for code in serving:
        run_script(code, tmp_path, project / "src")
