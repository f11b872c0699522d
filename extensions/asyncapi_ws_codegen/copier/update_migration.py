"""The ``before`` migration's work: copy the project's live spec into the answers' snapshot.

Copier replays the new template version in a temporary folder that sees only the answers; writing
the edited spec (bundled) into the ``asyncapi_spec`` answer is how that replay gets it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Location, SpecError
from ..load.answers_snapshot import HEADER, YAML_LOADER, answers_yaml, snapshot_text
from ..load.bundler import load_spec
from ..normalise.api_builder import Options, build_api


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
    answers = yaml.load(answers_file.read_text("utf-8"), Loader=YAML_LOADER) or {}
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
    build_api(document, str(live), Options(perspective=perspective if isinstance(perspective, str) else "auto"))
    text = snapshot_text(document)
    if answers.get("asyncapi_spec") == text:
        return f"{spec_path} unchanged since the last generation"
    answers["asyncapi_spec"] = text
    answers_file.write_text(HEADER + answers_yaml(answers), encoding="utf-8")
    return f"{spec_path} changed: the update will follow it"
