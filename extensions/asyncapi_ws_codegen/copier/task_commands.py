"""The command line of the copier task and migration (``extensions/spec_tasks.py``).

``place SOURCE SPEC_PATH [ANSWERS_FILE [LAYOUT]]``
    the copy task (first copy only): the document into the project, see :mod:`.copy_task`.
    ``LAYOUT`` is ``one-file`` when the render read the source as one local file, else empty.
``prepare-update ANSWERS_FILE [SPEC_PATH]``
    the ``before`` migration of every update: checks the live spec is there and marks the answers
    for the update's renders, see
    :mod:`.update_migration`. ``SPEC_PATH`` is a ``spec_path`` given with ``--data`` for this
    update (the document moved); empty otherwise.

Each command's module is imported only when it runs: a process pays for its own command only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import SpecError


class _UsageError(Exception):
    """The command line names no known command, or gives it the wrong number of arguments."""


USAGE = (
    "usage: spec_tasks.py place SOURCE SPEC_PATH [ANSWERS_FILE [LAYOUT]]"
    " | spec_tasks.py prepare-update ANSWERS_FILE [SPEC_PATH]"
)


def _run(command: str, args: list[str]) -> str:
    if command == "place" and len(args) in (2, 3, 4):
        from .copy_task import place

        return place(*args)
    if command == "prepare-update" and len(args) in (1, 2):
        from .update_migration import mark_answers

        # Quiet: the closing message says what the update did.
        mark_answers(Path(args[0]), args[1] if len(args) == 2 else "")
        return ""
    raise _UsageError(USAGE)


# Copier follows a failed task with a line of its own, "Task [...] returned non-zero exit status 1",
# and that line, not ours, is the last the user sees: ours says what it means.
_COPIER_LINE = 'the line copier prints next, "Task [...] returned non-zero exit status 1", reports this same error.'
_STOPPED = {
    "place": f"The copy stopped here; {_COPIER_LINE}",
    "prepare-update": f"The update stopped before changing any file; {_COPIER_LINE}",
}


def main(argv: list[str]) -> int:
    """Run one command (``argv`` without the program name).

    Success is quiet (copier already announces the task, and the closing message says what comes
    next); only what the user would not expect is printed, such as a document written bundled.
    """
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        note = _run(argv[0], argv[1:])
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except SpecError as exc:
        # Copier runs the commands from the project folder.
        print(f"error: {exc.shown_from(Path.cwd())}\n{_STOPPED[argv[0]]}", file=sys.stderr)
        return 1
    if note:
        print(note)
    return 0
