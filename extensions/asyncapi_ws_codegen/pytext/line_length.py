"""The generated package's line length, and the mark that keeps an over-long line as it is."""

from __future__ import annotations

LINE_LENGTH = 100  # the generated package's ruff line length


def fitted(line: str) -> str:
    """A statement line, marked for ``ruff format`` to keep as it is when it is too long.

    Long spec names make long lines; ``ruff format`` would split them in ways that depend on the
    expression. A ``# fmt: skip`` on the rare long line keeps the output stable as rendered.
    """
    return line if len(line) <= LINE_LENGTH else f"{line}  # fmt: skip"
