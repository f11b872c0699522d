"""JSON Schema ``pattern`` (ECMA-262) spelt for Python's :mod:`re`.

The two dialects agree on almost everything the checks let through (the check stage refuses what
Python cannot run alike), but not on ``$``: in ECMA-262 it matches only at the end of the text,
while Python's also matches before a final newline, so ``^[a-z]+$`` would accept ``"general\\n"``.
Every ``$`` that is an anchor (not escaped, not in a character class) becomes ``\\Z``, which
matches at the true end, as the document means.
"""

from __future__ import annotations


def python_regex(pattern: str) -> str:
    r"""``pattern`` with every end-of-text ``$`` anchor written ``\Z``.

    Example:
        >>> python_regex(r"^[a-z$]+\$$")
        '^[a-z$]+\\$\\Z'
    """
    if "$" not in pattern:
        return pattern
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # As Python reads it, a `]` first in a set (after an optional `^`) is a literal.
            lead = 2 if pattern.startswith("^", index + 1) else 1
            if pattern.startswith("]", index + lead):
                out.append(pattern[index : index + lead + 1])
                index += lead + 1
                continue
        elif char == "$":
            out.append(r"\Z")
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)
