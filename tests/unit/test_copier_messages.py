"""The helpers behind copier's messages and the README's provenance line.

``unmerged_files`` runs git in a real repository with a real merge conflict; ``template_home``
turns each kind of source copier records into a link, or into none.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from asyncapi_ws_codegen.copier.conflicts import unmerged_files
from asyncapi_ws_codegen.copier.provenance import template_home
from helpers import git


def test_unmerged_files_lists_the_conflicted_files_relative_to_the_project(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project = repo / "svc"
    (project / "src").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for name in ("src/a.py", "b.py", "clean.py"):
        (project / name).write_text("x = 1\n", "utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "other")
    for name in ("src/a.py", "b.py"):
        (project / name).write_text("x = 2\n", "utf-8")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "checkout", "-q", "main")
    for name in ("src/a.py", "b.py"):
        (project / name).write_text("x = 3\n", "utf-8")
    (project / "clean.py").write_text("x = 4\n", "utf-8")
    git(repo, "commit", "-q", "-am", "main")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, check=False)
    assert merge.returncode != 0
    assert unmerged_files(project) == ["b.py", "src/a.py"]  # the project is a folder of the repository
    assert unmerged_files(str(project / "src")) == ["a.py"]


def test_unmerged_files_is_empty_outside_git(tmp_path: Path) -> None:
    assert unmerged_files(tmp_path) == []
    assert unmerged_files(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("source", "home"),
    [
        ("gh:org/asyncapi-ws-template", "https://github.com/org/asyncapi-ws-template"),
        ("gl:team/templates/ws", "https://gitlab.com/team/templates/ws"),
        ("https://github.com/org/asyncapi-ws-template.git", "https://github.com/org/asyncapi-ws-template"),
        ("https://git.example.com/ws-template/", "https://git.example.com/ws-template"),
        ("/home/me/src/asyncapi-ws-template", ""),  # a local clone: no page to link to
        ("../asyncapi-ws-template", ""),
        ("git@github.com:org/asyncapi-ws-template.git", ""),
        ("https://user:token@github.com/org/repo", ""),  # never copied into a README
        ("https://github.com/org/repo)[x](javascript:alert(1)", ""),
        ("https://github.com", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_template_home(source: object, home: str) -> None:
    assert template_home(source) == home
