"""tests/specs/hostile.yaml puts quotes, docstring terminators, Jinja syntax, keywords, builtins,
colliding names, path tricks and Unicode into every slot. The package it generates must pass its own
checks, keep every wire name exactly, keep ``{{ 7*7 }}`` literal, and import without side effects."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SPECS, check_package, generate

HOSTILE = SPECS / "hostile.yaml"


@pytest.fixture(scope="module")
def project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(template_v1, tmp_path_factory.mktemp("hostile") / "svc", spec_source=str(HOSTILE))


def package_dir(project: Path) -> Path:
    return next(p for p in (project / "src").iterdir() if (p / "__init__.py").is_file())


def test_package_name_is_a_plain_identifier(project: Path) -> None:
    assert package_dir(project).name == "hostile_7_7_if_true_x_endif_service"


def test_jinja_syntax_in_spec_text_stays_literal(project: Path) -> None:
    sources = "\n".join(path.read_text("utf-8") for path in package_dir(project).rglob("*.py"))
    assert "{{ 7*7 }}" in sources
    assert "{% raw %}" in sources
    assert "Jinja: 49" not in sources


@pytest.mark.slow
def test_generated_package_passes_its_own_checks(project: Path) -> None:
    check_package(project)


def test_modules_import_without_side_effects_and_keep_wire_names(project: Path) -> None:
    package = package_dir(project).name
    code = f"""
import importlib, json, os, sys
before = sorted(os.listdir("."))
names = {{}}
for module in ("", ".payloads", ".parameters", ".channels", ".errors"):
    imported = importlib.import_module("{package}" + module)
payloads = importlib.import_module("{package}.payloads")
parameters = importlib.import_module("{package}.parameters")
schema = payloads.Class
print(json.dumps({{
    "files_unchanged": sorted(os.listdir(".")) == before,
    "wire": sorted(schema._WIRE_NAMES) if hasattr(schema, "_WIRE_NAMES") else None,
    "address": parameters.ClassParameters.ADDRESS,
}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, "importing the package printed something"
    report = json.loads(lines[0])
    assert report["files_unchanged"]
    assert report["address"] == "rooms/{room-id}/{match}/\"quoted\"/'single'/back\\slash/%7B7*7%7D"
    if report["wire"] is not None:
        for wire in ("class", "match", "type", "_", "{{ 7*7 }}", '"""', "''' \\", "__init__", "self"):
            assert wire in report["wire"]


def test_round_trip_keeps_hostile_wire_names_and_values(project: Path, tmp_path: Path) -> None:
    package = package_dir(project).name
    data = {
        "class": '""" {{ 7*7 }}',
        "match": "''' " + "\\",
        "type": "{{ 7*7 }}",
        "_": 1,
        "{{ 7*7 }}": "ab",
        '"""': "q",
        "self": "s",
        "__init__": "i",
    }
    source = tmp_path / "data.json"
    source.write_text(json.dumps(data), "utf-8")
    code = (
        "import sys\n"
        f"from {package}.payloads import Class\n"
        "message = Class.unmarshal(open(sys.argv[1], encoding='utf-8').read())\n"
        "print(message.marshal())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(source)],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == data


@pytest.mark.slow
def test_hostile_2x_document_generates_a_working_package(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "hostile-2.6.yaml"))
    sources = "\n".join(path.read_text("utf-8") for path in package_dir(project).rglob("*.py"))
    assert "{{ 7*7 }}" in sources
    check_package(project)
