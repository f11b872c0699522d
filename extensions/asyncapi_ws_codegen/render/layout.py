"""Layout of generated code: the line length, and the two ways a long statement is dealt with.

The generated code is clean as rendered, with no formatting step after it, so every decision
``ruff format`` would take about a long line is taken here, by the same rule, instead.
"""

from __future__ import annotations

LINE_LENGTH = 100  # the generated package's ruff line length (its pyproject.toml says the same)
INDENT = 4  # one level of indentation in the generated package


def fitted(line: str) -> str:
    """A statement line, marked for ``ruff format`` to keep as it is when it is too long.

    Long spec names make long lines; ``ruff format`` would split them in ways that depend on the
    expression. A ``# fmt: skip`` on the rare long line keeps the output stable as rendered.
    """
    return line if len(line) <= LINE_LENGTH else f"{line}  # fmt: skip"


def ruff_wraps(first_line: str, head: str) -> bool:
    """Whether ``ruff format`` puts the value of ``head`` + ``first_line`` in parentheses.

    ``head`` is the start of the statement with its indentation (``"    return "``,
    ``"NAME = "``), ``first_line`` the first line of the value. Ruff wraps the value when the
    statement's first line is too long, the value's first line then fits one level further in,
    and the opening line (``head`` + ``(``) fits.
    """
    indent = len(head) - len(head.lstrip(" "))
    return (
        len(head + first_line) > LINE_LENGTH
        and indent + INDENT + len(first_line) <= LINE_LENGTH
        and len(head + "(") <= LINE_LENGTH
    )
