"""The template as a project of its own: its CI runs .ci/run, its changelog speaks to the users
who update between releases, and its docs say how releases are made and how to move between them."""

from __future__ import annotations

import re

import yaml
from helpers import REPO_ROOT
from packaging.version import InvalidVersion, Version

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"
CHANGELOG = REPO_ROOT / "CHANGELOG.md"
SHA_PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}$")


def test_ci_runs_the_ci_script_with_pinned_actions_and_read_only_permissions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert [step["run"] for step in steps if "run" in step][-1] == ".ci/run"
    for step in steps:
        if "uses" in step:
            assert SHA_PINNED.match(step["uses"]), step["uses"]
    assert (REPO_ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run must be executable"


def test_the_changelog_opens_with_unreleased_then_pep440_releases() -> None:
    text = CHANGELOG.read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings[0] == "Unreleased"
    for heading in headings[1:]:
        version, _, date = heading.partition(" ")
        try:
            Version(version)
        except InvalidVersion as exc:
            raise AssertionError(f"release heading {heading!r} is not a PEP 440 version") from exc
        assert not version.startswith("v") and re.fullmatch(r"\(\d{4}-\d\d-\d\d\)", date), heading
    # Written for the people who update: what changes in their projects.
    assert "### What an update changes in your project" in text


def test_the_docs_say_how_to_release_and_how_to_move_between_releases() -> None:
    contributing = (REPO_ROOT / "docs" / "contributing.md").read_text("utf-8")
    updating = (REPO_ROOT / "docs" / "updating.md").read_text("utf-8")
    assert "## Releasing the template" in contributing and "git tag -a 0.4.0" in contributing
    assert "## Moving between template releases" in updating
    assert "copier update --trust --defaults --vcs-ref=0.4.0" in updating
