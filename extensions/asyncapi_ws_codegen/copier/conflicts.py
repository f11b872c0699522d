"""The files an update left in conflict, for the closing message of ``copier update``.

Copier writes a conflict inline, as git does, and marks the file unmerged in the index; its own
output never names the files. ``_message_after_update`` (copier.yml) lists them through the
``unmerged_files`` filter so that the user does not have to find them with ``git status``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def unmerged_files(project: object) -> list[str]:
    """The unmerged files under ``project``, relative to it; empty when git cannot tell.

    The message is a courtesy: a project outside git (copier refuses to update those anyway) or a
    missing git program gives an empty list, never an error after a finished update.
    """
    try:
        result = subprocess.run(
            ["git", "diff", "--name-only", "--diff-filter=U", "--relative", "-z"],
            cwd=Path(str(project)),
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if result.returncode != 0:
        return []
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({name for name in names if name})
