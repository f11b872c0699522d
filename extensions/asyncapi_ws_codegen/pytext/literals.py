"""Python literals for JSON values, as ``ruff format`` writes them.

Normalising and typing both put spec values (defaults, enum members, discriminator tags) into
generated code, so the literal form is made here, below every stage that needs it.
"""

from __future__ import annotations

import math
from typing import Any

from .escaping import py_str


def python_literal(value: Any) -> str:
    """A Python literal for a JSON value (deterministic, ruff-format stable on one line)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({py_str(repr(value))})"
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()) + "}"
    return py_str(str(value))
