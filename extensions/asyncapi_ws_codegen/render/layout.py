"""Layout of generated code: the line length, and the ways a long statement is dealt with.

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


def ruff_wraps(value: str, head: str) -> bool:
    """Whether ``ruff format`` puts the value of ``head`` + ``value`` in parentheses.

    ``head`` is the start of the statement with its indentation (``"    return "``,
    ``"NAME = "``), ``value`` the value as it would be written unwrapped: its first line, or all
    of its lines, each after the first with its own indentation. Ruff wraps the value when the
    statement's first line is too long, the value then fits one level further in (every line of
    it), and the opening line (``head`` + ``(``) fits.
    """
    first_line, *other_lines = value.splitlines()
    indent = len(head) - len(head.lstrip(" "))
    return (
        len(head + first_line) > LINE_LENGTH
        and indent + INDENT + len(first_line) <= LINE_LENGTH
        and all(INDENT + len(line) <= LINE_LENGTH for line in other_lines)
        and len(head + "(") <= LINE_LENGTH
    )


def ruff_wraps_with_item(first_line: str, head: str) -> bool:
    """Whether ``ruff format`` puts the item of ``head`` + ``first_line`` (a ``with``) in parentheses.

    ``head`` is ``with``/``async with`` with its indentation, ``first_line`` the first line of the
    one context manager. Unlike an assignment's value, ruff wraps a ``with`` item whenever the
    statement's first line is too long, whether or not the item then fits.
    """
    return len(head + first_line) > LINE_LENGTH


def literal_lines(values: tuple[str, ...], head: str, tail: str = "") -> str:
    """``head`` + ``Literal[values]`` + ``tail`` as ruff formats it: one line when it fits, else one
    value a line with a trailing comma (which keeps ruff from joining them again)."""
    line = f"{head}Literal[{', '.join(values)}]{tail}"
    if len(line) <= LINE_LENGTH:
        return line
    indent = " " * (len(head) - len(head.lstrip(" ")))
    return "\n".join([f"{head}Literal[", *(f"{indent}{' ' * INDENT}{value}," for value in values), f"{indent}]{tail}"])
