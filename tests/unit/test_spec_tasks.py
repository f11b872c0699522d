"""The script copier runs for the copy task and the update migration: its commands and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "extensions" / "spec_tasks.py"


def spec_tasks(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("args", [(), ("place", "only-one"), ("prepare-update",), ("copy", "a", "b")])
def test_a_wrong_command_line_prints_the_usage(args: tuple[str, ...], tmp_path: Path) -> None:
    result = spec_tasks(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: spec_tasks.py place SOURCE SPEC_PATH")


def test_place_copies_the_document_and_keeps_an_existing_one(tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    source.write_text("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n", "utf-8")
    project = tmp_path / "project"
    project.mkdir()
    first = spec_tasks("place", str(source), "spec/asyncapi.yaml", cwd=project)
    assert first.returncode == 0, first.stderr
    assert (project / "spec" / "asyncapi.yaml").read_bytes() == source.read_bytes()
    again = spec_tasks("place", str(source), "spec/asyncapi.yaml", cwd=project)
    assert first.stdout == ""  # a plain copy is no news: copier already shows the task
    assert again.returncode == 0 and "kept the existing" in again.stdout


def test_a_source_the_render_read_as_one_file_is_copied_without_reading_it_again(tmp_path: Path) -> None:
    # Not a document at all: only a task that reads it again would notice.
    source = tmp_path / "source.yaml"
    source.write_bytes(b"{ not: [yaml\n")
    project = tmp_path / "project"
    project.mkdir()
    result = spec_tasks("place", str(source), "asyncapi.yaml", ".copier-answers.yml", "one-file", cwd=project)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert (project / "asyncapi.yaml").read_bytes() == source.read_bytes()
    # Without the render's word, the task reads it and refuses it.
    (project / "asyncapi.yaml").unlink()
    unread = spec_tasks("place", str(source), "asyncapi.yaml", ".copier-answers.yml", "", cwd=project)
    assert unread.returncode == 1 and unread.stderr.startswith("error: ")
    assert not (project / "asyncapi.yaml").exists()


def test_errors_are_reported_with_exit_code_1(tmp_path: Path) -> None:
    missing = spec_tasks("place", str(tmp_path / "gone.yaml"), "asyncapi.yaml", cwd=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("error: ") and "no such file" in missing.stderr
    no_answers = spec_tasks("prepare-update", str(tmp_path / ".copier-answers.yml"), "", cwd=tmp_path)
    assert no_answers.returncode == 1 and "the answers file is missing" in no_answers.stderr
    assert "The update stopped before changing any file" in no_answers.stderr
