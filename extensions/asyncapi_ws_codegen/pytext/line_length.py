"""The line length of the generated package (its ruff configuration says the same).

The schema stage needs it too, to give annotations too long for their attribute line a
module-level alias; everything else about line layout is in :mod:`..render.layout`.
"""

from __future__ import annotations

LINE_LENGTH = 100
