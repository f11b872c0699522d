"""The generated package is ready to publish.

Metadata comes from the spec (``info`` title, version, description, contact, license, externalDocs)
and the answers; ``python -m build`` makes an sdist and a wheel that ``twine check`` accepts and that
install and run in a clean virtualenv; the GitHub workflows pin every action by commit and ask for
the least permissions; ``CHANGELOG.md`` belongs to the user.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from asyncapi_ws_codegen.normalise.project_metadata import canonical_license, project_info
from asyncapi_ws_codegen.pytext.escaping import toml_str
from helpers import REAL_SPECS, SPECS, generate, git, run

ECHO_SPEC = REAL_SPECS / "v2__generator-ws-echo.yml"
SHA_PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}$")


def python_in(venv: Path) -> Path:
    return venv / "bin" / "python"


def make_venv(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, capture_output=True)
    return python_in(root)


def metadata_of(wheel: Path) -> Any:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode("utf-8"))


# -- build, check, install ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "package", "answers"),
    [
        ("seed", "user_service", {}),
        ("ws-echo", "web_sockets_echo_server", {"spec_source": str(ECHO_SPEC)}),
    ],
)
def test_sdist_and_wheel_build_check_install_and_run(
    case: str, package: str, answers: dict[str, str], template_v1: Path, tmp_path: Path
) -> None:
    if case == "ws-echo" and not ECHO_SPEC.is_file():
        pytest.skip(f"{ECHO_SPEC} is absent (the shared real-world specs are not checked out)")
    project = generate(template_v1, tmp_path / case, **answers)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(project)], project)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(dist.iterdir())
    report = run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels + sdists)], tmp_path)
    assert report.count("PASSED") == 2, report

    with zipfile.ZipFile(wheels[0]) as archive:
        files = set(archive.namelist())
    for name in ("__init__.py", "__main__.py", "py.typed", "schemas.json", "channels.py", "payloads.py"):
        assert f"{package}/{name}" in files, name
    assert not any(name.startswith(("tests/", ".github/")) for name in files)
    with tarfile.open(sdists[0]) as archive:
        sdist_files = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md", f"src/{package}/py.typed", "tests/test_demo.py"):
        assert name in sdist_files, name

    meta = metadata_of(wheels[0])
    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    assert meta["Name"] == pyproject["name"] and meta["Version"] == pyproject["version"]
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["License-Expression"] == "MIT"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert any(req.startswith("websockets") for req in meta.get_all("Requires-Dist"))

    # A clean virtualenv: nothing but the wheel and its dependencies from the package index.
    python = make_venv(tmp_path / "venv")
    run([str(python), "-m", "pip", "install", "-q", str(wheels[0])], tmp_path)
    out = run([str(python), "-c", f"import {package}, {package}.channels as c; print({package}.__version__)"], tmp_path)
    assert out.strip() == pyproject["version"]
    demo = run([str(python), "-m", package, "demo"], tmp_path, timeout=120)
    assert demo.rstrip().splitlines()[-1].startswith("done: ")
    # The sdist builds and installs too (with the build backend fetched by pip).
    run([str(python), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(sdists[0])], tmp_path)
    run([str(python), "-c", f"import {package}.payloads"], tmp_path)


# -- metadata from the spec ---------------------------------------------------------------------


CHAT_HOSTILE = """\
asyncapi: 2.6.0
info:
  title: 'He said "it''s \\ fine"'
  version: 3.4.5
  description: |
    First sentence with "quotes". Second sentence.

    ```python
    x = {  "unformatted":1 }
    ```
  contact:
    name: 'Team "Q" \\ Co'
    email: not-an-email
    url: javascript:alert(1)
  license:
    name: Apache 2.0
externalDocs:
  url: https://docs.example.com/
tags:
  - name: Real Time
channels:
  echo:
    subscribe:
      operationId: echoed
      message:
        payload:
          type: string
"""


def test_metadata_comes_from_the_spec_and_answers(
    template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SPECS)
    project = generate(template_v1, tmp_path / "chat", spec_source="chat-2.6.yaml", perspective="server")
    meta = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    assert meta["name"] == "chat-rooms" and meta["version"] == "2.1.0"
    assert meta["description"] == "Rooms where people talk in real time."
    assert meta["license"] == "Apache-2.0"
    assert meta["authors"] == [{"name": "Chat Team", "email": "chat@example.com"}]
    assert meta["urls"] == {
        "Homepage": "https://example.com/chat",
        "License": "https://www.apache.org/licenses/LICENSE-2.0",
    }
    assert meta["requires-python"] == ">=3.11"
    versions = [
        c.rsplit(" ", 1)[1] for c in meta["classifiers"] if c.startswith("Programming Language :: Python :: 3.")
    ]
    assert versions == ["3.11", "3.12", "3.13", "3.14"]
    assert "Typing :: Typed" in meta["classifiers"]
    assert (project / "src" / "chat_rooms" / "py.typed").is_file()


def test_hostile_metadata_stays_valid_toml(template_v1: Path, tmp_path: Path) -> None:
    spec = tmp_path / "hostile.yaml"
    spec.write_text(CHAT_HOSTILE, "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec), package_name="hostile")
    meta = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    assert meta["description"] == 'First sentence with "quotes".'
    assert meta["authors"] == [{"name": 'Team "Q" \\ Co'}]  # the invalid email is left out
    assert meta["license"] == "Apache-2.0"
    assert meta["urls"] == {"Documentation": "https://docs.example.com/"}  # javascript: is no URL
    assert meta["keywords"] == ["asyncapi", "websockets", "real-time"]
    readme = (project / "README.md").read_text("utf-8")
    # The description's own code sample is kept verbatim and out of the formatter's way.
    assert 'x = {  "unformatted":1 }' in readme
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "README.md"], project)
    # One line, the backslash escaped (Markdown shows one).
    assert readme.startswith('# He said "it\'s \\\\ fine"\n\n')


def test_python_min_drives_classifiers_and_the_ci_matrix(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", python_min="3.12")
    meta = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))["project"]
    assert meta["requires-python"] == ">=3.12"
    assert "Programming Language :: Python :: 3.11" not in meta["classifiers"]
    ci = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python-version"] == ["3.12", "3.13", "3.14"]


@pytest.mark.parametrize(
    ("answer", "value", "message"),
    [
        ("license", "not a license!", "Must be an SPDX license expression"),
        ("author_email", "nobody", "Must be an email address"),
        ("author_name", "  ", "Give a name"),
        ("package_name", "User-Service", "Must be a lowercase Python identifier"),
        ("package_version", "one", "Must be a PEP 440 version"),
    ],
)
def test_bad_answers_are_refused_with_a_hint(
    answer: str, value: str, message: str, template_v1: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=f"question '{answer}': {message}"):
        generate(template_v1, tmp_path / "svc", **{answer: value})
    assert not (tmp_path / "svc" / "src").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("Apache 2.0", "Apache-2.0"),
        ("Apache-2.0", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("Proprietary", ""),
        ("", ""),
        ('"; rm -rf /', ""),
    ],
)
def test_license_names_map_to_spdx(name: str, expected: str) -> None:
    assert canonical_license(name) == expected


def test_project_info_reads_2x_and_3x_locations() -> None:
    v2 = project_info({"info": {"title": "T"}, "externalDocs": {"url": "https://a.example"}, "tags": [{"name": "X y"}]})
    v3 = project_info({"info": {"title": "T", "externalDocs": {"url": "https://a.example"}, "tags": [{"name": "X y"}]}})
    assert v2 == v3
    assert v2.docs_url == "https://a.example" and v2.keywords == ("asyncapi", "websockets", "x-y")
    assert v2.summary == "T: typed WebSocket client and server."
    assert project_info({}).summary == "Typed WebSocket client and server."


@pytest.mark.parametrize("text", ["plain", 'it\'s "both"', "back\\slash", "new\nline\ttab\x7f\x00", "é 😀", '"""'])
def test_toml_str_round_trips(text: str) -> None:
    assert tomllib.loads(f"key = {toml_str(text)}")["key"] == text


# -- workflows and changelog -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(template_v1, tmp_path_factory.mktemp("seed") / "svc")


def workflow(project: Path, name: str) -> tuple[str, dict[Any, Any]]:
    text = (project / ".github" / "workflows" / name).read_text("utf-8")
    return text, yaml.safe_load(text)


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_every_action_is_pinned_by_commit_with_its_version(seed: Path, name: str) -> None:
    text, data = workflow(seed, name)
    uses = [step["uses"] for job in data["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    for action in uses:
        assert SHA_PINNED.match(action), action
        assert re.search(re.escape(action) + r" # v\d+\.\d+\.\d+\n", text), f"{action} lacks its version comment"


def test_ci_tests_every_supported_python_with_read_only_permissions(seed: Path) -> None:
    _, ci = workflow(seed, "ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    job = ci["jobs"]["test"]
    assert "permissions" not in job
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13", "3.14"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    for command in ("pip install -e '.[test]'", "ruff check", "ruff format --check", "mypy", "pytest"):
        assert command in runs, command


def test_release_publishes_on_a_tag_with_trusted_publishing(seed: Path) -> None:
    text, release = workflow(seed, "release.yml")
    # PyYAML reads the bare key `on` as True.
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    assert publish["environment"] == {"name": "pypi", "url": "https://pypi.org/project/user-service/"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in text and "secrets." not in text
    assert "twine check --strict" in text


def test_changelog_is_created_once_and_then_belongs_to_the_user(template_v2: Path, tmp_path: Path) -> None:
    project = generate(template_v2, tmp_path / "svc", vcs_ref="v1")
    changelog = project / "CHANGELOG.md"
    assert changelog.read_text("utf-8").startswith("# Changelog\n")
    assert "## 1.0.0\n" in changelog.read_text("utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generated")
    mine = "# Changelog\n\n## 1.0.1\n\n- Our own release notes.\n"
    changelog.write_text(mine, "utf-8")
    git(project, "commit", "-q", "-am", "notes")
    with contextlib.chdir(project):
        copier.run_update(".", defaults=True, overwrite=True, unsafe=True, quiet=True, vcs_ref="v2")
    assert "Generated with template v2." in (project / "README.md").read_text("utf-8")
    assert changelog.read_text("utf-8") == mine
