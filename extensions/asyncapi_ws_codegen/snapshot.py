"""The spec snapshot kept in ``.copier-answers.yml`` (answer ``asyncapi_spec``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SpecError
from .loader import load_spec
from .normalise import Options, build_api

HEADER = "# Written by copier: the answers and the spec snapshot of the last generation. Do not edit by hand.\n"

# libyaml's emitter and parser (PyYAML wheels ship them) give the same text and data as the pure-Python
# ones, 3 to 5 times faster: the snapshot of a big spec is megabytes, written and read on every render.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dump_yaml(data: Any) -> str:
    """YAML text keeping key order (spec order matters for a clean 3-way merge)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, indent=2, width=100)


def answers_yaml(data: Any) -> str:
    """The answers file body: the same text as copier's usual ``to_nice_yaml(indent=2, sort_keys=False)``."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, indent=2, default_flow_style=False)


def sync_answers(answers_file: Path, spec_path_override: str = "") -> str:
    """Load the live spec named by the answers and store it (bundled) as ``asyncapi_spec``.

    ``spec_path_override`` is a ``spec_path`` given on the command line (``--data``) for this
    update: the document has moved and the answers file still names the old place.
    """
    if not answers_file.is_file():
        raise SpecError(
            Location(str(answers_file)),
            "the answers file is missing",
            "run `copier update` from the project folder (or pass the project folder to it)",
        )
    answers = yaml.load(answers_file.read_text("utf-8"), Loader=_Loader) or {}
    spec_path = spec_path_override or str(answers.get("spec_path") or "asyncapi.yaml")
    live = answers_file.parent / spec_path
    if not live.is_file():
        raise SpecError(
            Location(str(live)),
            "the project's AsyncAPI document is missing (the update regenerates the package from it)",
            f"restore it (`git checkout HEAD -- {spec_path}`, or from an older commit) and commit; "
            "if you moved it, run `copier update --trust --defaults --data spec_path=NEW/PATH`",
        )
    document = load_spec(str(live)).document
    # Refuse a spec the generator would refuse before this file is rewritten: whatever stops the
    # update later must not leave the project with a changed answers file (copier then calls it dirty).
    perspective = answers.get("perspective")
    build_api(document, str(live), Options(perspective=perspective if isinstance(perspective, str) else "client"))
    if answers.get("asyncapi_spec") == document:
        return f"{spec_path} unchanged since the last generation"
    answers["asyncapi_spec"] = document
    answers_file.write_text(HEADER + dump_yaml(answers), encoding="utf-8")
    return f"{spec_path} changed: the update will follow it"
