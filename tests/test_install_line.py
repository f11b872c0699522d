"""The README's install line and generate command work in a fresh virtualenv, as a newcomer runs them.

The template is served from a bare git clone through a ``file://`` URL, the stand-in for
``gh:org/asyncapi-ws-template``. Missing pieces (the extension loader, ``--trust``) fail with a
message that says what to do, and the docs give the fix.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT, git, make_template_repo

pytestmark = pytest.mark.slow

README = REPO_ROOT / "README.md"
INSTALL_DOC = REPO_ROOT / "docs" / "install.md"
TEMPLATE_URL = "gh:org/asyncapi-ws-template"
LOCAL_CLONE = "~/asyncapi-ws-template"
PIP_LINE = "pip install 'copier>=9.19' copier-template-extensions"
# The pip that `python3 -m venv` ships may predate `--group` (pip 25.1), hence the upgrade first.
TEST_COMMAND = (
    "python -m pip install --upgrade pip && python -m pip install --group dev && python -m pytest -n auto -q tests"
)


def readme_commands() -> list[str]:
    """The shell commands of the README's ``console`` blocks, in order."""
    blocks = re.findall(r"```console\n(.*?)```", README.read_text("utf-8"), re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def make_venv(root: Path) -> Path:
    """A fresh virtualenv (no system site-packages); returns its bin directory."""
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, capture_output=True)
    return root / ("Scripts" if os.name == "nt" else "bin")


def shell(
    command: str, cwd: Path, bin_dir: Path, timeout: float = 900, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a README command with the virtualenv first on PATH, as after ``activate``."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env.update(extra_env or {})
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def bare_template(tmp_path: Path) -> str:
    """A bare clone of the template's shipped files; its ``file://`` URL."""
    work = make_template_repo(tmp_path / "template-work", "v1")
    bare = tmp_path / "asyncapi-ws-template.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    return bare.as_uri()


def test_readme_opens_with_the_install_line_then_generate_then_test() -> None:
    commands = readme_commands()
    assert commands[0] == PIP_LINE
    assert commands[1].startswith(f"copier copy --trust --defaults {TEMPLATE_URL} ./user-service")
    # Where the template is published, and the same command from a local clone of it.
    assert "<https://github.com/org/asyncapi-ws-template>, where the template is published" in README.read_text("utf-8")
    assert commands[2] == f"git clone https://github.com/org/asyncapi-ws-template {LOCAL_CLONE}"
    assert commands[3] == commands[1].replace(TEMPLATE_URL, LOCAL_CLONE)
    assert commands[4] == TEST_COMMAND
    # .ci/run runs the very same test command, as its own line.
    ci_lines = [line.strip() for line in (REPO_ROOT / ".ci" / "run").read_text("utf-8").splitlines()]
    assert TEST_COMMAND in ci_lines


def test_the_readme_lines_work_in_a_fresh_virtualenv(tmp_path: Path) -> None:
    install, generate_and_test = readme_commands()[:2]
    bin_dir = make_venv(tmp_path / "venv")
    result = shell(install, tmp_path, bin_dir)
    assert result.returncode == 0, result.stderr
    assert shlex.split(install)[:2] == ["pip", "install"]

    command = generate_and_test.replace(TEMPLATE_URL, bare_template(tmp_path))
    result = shell(command, tmp_path, bin_dir)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert re.search(r"\d+ passed", result.stdout), result.stdout
    # Copier's closing message tells what to do next.
    assert "python -m user_service demo    # every operation over a local socket" in result.stderr
    assert "failed" not in result.stdout

    project = tmp_path / "user-service"
    assert (project / "src" / "user_service" / "py.typed").is_file()
    assert (project / "asyncapi.yaml").read_text("utf-8").startswith("asyncapi: 3.0.0")
    answers = (project / ".copier-answers.yml").read_text("utf-8")
    assert "_src_path: file://" in answers and "_commit: v1" in answers
    demo = shell("python -m user_service demo", project, bin_dir, timeout=120)
    assert demo.returncode == 0, demo.stderr
    assert "client sends      sendUserEvent: UserSignedUp" in demo.stdout


def install_doc_commands(tool: str) -> list[str]:
    """The lines of the ``console`` block of docs/install.md that installs copier with ``tool``."""
    blocks = re.findall(r"```console\n(.*?)```", INSTALL_DOC.read_text("utf-8"), re.DOTALL)
    block = next(block for block in blocks if block.startswith(f"{tool} "))
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("tool", ["uv", "pipx"])
def test_the_uv_and_pipx_lines_of_the_install_docs_work(tool: str, tmp_path: Path) -> None:
    """The other installers' lines, with every folder they write to inside the test's directory."""
    bin_dir = make_venv(tmp_path / "installer")
    result = shell(f"pip install {tool}", tmp_path, bin_dir)
    assert result.returncode == 0, result.stderr
    tools = tmp_path / "tools"
    env = {
        "UV_TOOL_DIR": str(tools / "uv"),
        "UV_TOOL_BIN_DIR": str(tools / "bin"),
        "PIPX_HOME": str(tools / "pipx"),
        "PIPX_BIN_DIR": str(tools / "bin"),
        "PIPX_MAN_DIR": str(tools / "man"),
    }
    commands = install_doc_commands(tool)
    assert commands and all(command.startswith(f"{tool} ") for command in commands)
    for command in commands:
        result = shell(command, tmp_path, bin_dir, extra_env=env)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    copier = tools / "bin" / "copier"
    assert copier.is_file()
    url = bare_template(tmp_path)
    result = shell(f"{copier} copy --trust --defaults {url} ./svc", tmp_path, bin_dir, extra_env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "svc" / "src" / "user_service" / "channels.py").is_file()


def test_without_the_extension_loader_the_error_says_what_is_missing(tmp_path: Path) -> None:
    bin_dir = make_venv(tmp_path / "venv")
    result = shell("pip install 'copier>=9.19'", tmp_path, bin_dir)
    assert result.returncode == 0, result.stderr
    url = bare_template(tmp_path)
    result = shell(f"copier copy --trust --defaults {url} ./svc", tmp_path, bin_dir)
    assert result.returncode != 0
    message = result.stdout + result.stderr
    # Copier's own message names the missing module and says to install it beside copier ...
    assert "No module named 'copier_template_extensions'" in message
    assert "install these extensions alongside Copier" in message
    assert not (tmp_path / "svc" / "src").exists()
    # ... and the install docs quote that message with the fix for each installer.
    doc = INSTALL_DOC.read_text("utf-8")
    assert "No module named 'copier_template_extensions'" in doc
    for fix in (
        "pipx inject copier copier-template-extensions",
        "uv tool install --force copier --with copier-template-extensions",
        PIP_LINE,
    ):
        assert fix in doc, fix


def test_without_trust_copier_asks_for_it(tmp_path: Path) -> None:
    url = bare_template(tmp_path)
    copier = Path(sys.executable).with_name("copier")
    result = subprocess.run(
        [str(copier), "copy", "--defaults", url, str(tmp_path / "svc")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert "unsafe features: jinja_extensions" in message
    assert "--trust" in message
    assert not (tmp_path / "svc" / "src").exists()
    assert "Template uses potentially unsafe features" in INSTALL_DOC.read_text("utf-8")
