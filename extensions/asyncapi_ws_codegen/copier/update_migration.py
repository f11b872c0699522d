"""The ``before`` migration of every update, and how the update's renders use what it writes.

Copier renders an update three times, in one process (docs/updating.md): the replay of the last
generation from the answers alone, the project itself, and the replay of the new template version
in an empty folder, which sees nothing but the answers as this migration leaves them. The
migration puts, in place of the last generation's snapshot, a mark naming this update
(:func:`mark_answers`). The project's render reads the live spec, as it always does, and keeps the
document under the mark; the replay of the new version finds the mark and takes that document
(``context_hook.pick_spec``). The project's render then writes the answers file again with the new
snapshot, so a mark is never committed.

The migration itself reads no spec: parsing a large document and building its model in this
process of its own, only to hand the result over as text, took as long again as the project's
render takes for the same work. The project's render is therefore where a spec that cannot be
generated from is refused; before raising, it puts the answers file back as it was
(:func:`restore_answers`), so that the refused update leaves the project unchanged.
"""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import yaml

from ..errors import Location, SpecError
from ..load.answers_snapshot import HEADER, UPDATE_MARK, YAML_LOADER, answers_yaml


def mark_answers(answers_file: Path, spec_path_override: str = "") -> str:
    """Check the live spec is there and write this update's mark as ``asyncapi_spec``.

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
            f"if you moved it, run `copier update --trust --defaults --data spec_path=NEW/PATH`",
        )
    # Unique to this update: a mark left in a process that ran an earlier update (a test suite, a
    # tool driving copier) must never find that update's document.
    answers["asyncapi_spec"] = UPDATE_MARK + secrets.token_hex(16)
    answers_file.write_text(HEADER + answers_yaml(answers), encoding="utf-8")
    return f"{spec_path} will be read by the update"


def restore_answers(project: Path, answers_file: str) -> bool:
    """Put the answers file back as it is committed; whether that worked.

    Copier refuses to update a project with uncommitted changes, and nothing but the migration has
    written to the project when the project's render refuses the spec, so the committed file is
    the one from before the migration.
    """
    try:
        subprocess.run(
            ["git", "checkout", "--quiet", "--", answers_file],
            cwd=project,
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True
