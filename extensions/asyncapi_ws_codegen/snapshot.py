"""The spec snapshot kept in ``.copier-answers.yml`` (answer ``asyncapi_spec``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SpecError
from .loader import load_spec

HEADER = "# Written by copier: the answers and the spec snapshot of the last generation. Do not edit by hand.\n"


def dump_yaml(data: Any) -> str:
    """YAML text keeping key order (spec order matters for a clean 3-way merge)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, indent=2, width=100)


def sync_answers(answers_file: Path) -> str:
    """Load the live spec named by the answers and store it (bundled) as ``asyncapi_spec``."""
    if not answers_file.is_file():
        raise SpecError(
            Location(str(answers_file)),
            "the answers file is missing",
            "run `copier update` from the project folder (or pass the project folder to it)",
        )
    answers = yaml.safe_load(answers_file.read_text("utf-8")) or {}
    spec_path = str(answers.get("spec_path") or "asyncapi.yaml")
    live = answers_file.parent / spec_path
    if not live.is_file():
        raise SpecError(
            Location(str(live)),
            "the project's AsyncAPI document is missing",
            f"restore it (git checkout -- {spec_path}) or, if it moved, run "
            f"`copier update --trust --defaults --data spec_path=NEW/PATH`",
        )
    document = load_spec(str(live)).document
    if answers.get("asyncapi_spec") == document:
        return f"{spec_path} unchanged since the last generation"
    answers["asyncapi_spec"] = document
    answers_file.write_text(HEADER + dump_yaml(answers), encoding="utf-8")
    return f"{spec_path} changed: the update will follow it"
