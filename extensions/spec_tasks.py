"""Copier's task and migration entry: ``spec_tasks.py place|prepare-update ...`` (see copier.yml).

Copier runs this file with its own Python, from the project folder; the generator package sits
beside it, so its folder goes on ``sys.path`` first. The commands are in
:mod:`asyncapi_ws_codegen.copier.task_commands`.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from asyncapi_ws_codegen.copier.task_commands import main

    sys.exit(main(sys.argv[1:]))
