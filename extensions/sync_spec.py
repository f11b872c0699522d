"""``before`` migration: store the live spec of the project in its answers file.

Usage: ``sync_spec.py ANSWERS_FILE [SPEC_PATH]`` (run by copier in the project before every update;
``SPEC_PATH`` is a ``spec_path`` given with ``--data`` for this update, when the document moved).

Copier replays the new template version in a temporary folder that sees only the answers; writing
the edited spec (bundled) into the ``asyncapi_spec`` answer is how that replay gets it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.sync import sync_answers


def main(argv: list[str]) -> int:
    """Entry point."""
    try:
        print(sync_answers(Path(argv[1]), argv[2] if len(argv) > 2 else ""))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
