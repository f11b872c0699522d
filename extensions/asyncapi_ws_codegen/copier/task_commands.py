"""The command line of the copier task and migration (``extensions/spec_tasks.py``).

``place SOURCE SPEC_PATH [ANSWERS_FILE]``
    the copy task (first copy only): the document into the project, see :mod:`.copy_task`.
``sync ANSWERS_FILE [SPEC_PATH]``
    the ``before`` migration of every update: the live spec into the answers' snapshot, see
    :mod:`.update_migration`. ``SPEC_PATH`` is a ``spec_path`` given with ``--data`` for this
    update (the document moved); empty otherwise.

Each command's module is imported only when it runs: the copy task's process should not pay for
the normaliser, which only the migration needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import SpecError


class _UsageError(Exception):
    """The command line names no known command, or gives it the wrong number of arguments."""


USAGE = "usage: spec_tasks.py place SOURCE SPEC_PATH [ANSWERS_FILE] | spec_tasks.py sync ANSWERS_FILE [SPEC_PATH]"


def _run(command: str, args: list[str]) -> str:
    if command == "place" and len(args) in (2, 3):
        from .copy_task import place

        return place(*args)
    if command == "sync" and len(args) in (1, 2):
        from .update_migration import sync_answers

        return sync_answers(Path(args[0]), args[1] if len(args) == 2 else "")
    raise _UsageError(USAGE)


def main(argv: list[str]) -> int:
    """Run one command (``argv`` without the program name); what it did goes to stdout."""
    if not argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        print(_run(argv[0], argv[1:]))
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
