"""The convention of the conversion code the IR carries: fragments with a hole for the value.

The schema compiler writes fragments (``[$.to_json_data() for ...]``); the records fill the hole
with the expression of the value at hand (``self.x``, ``data["x"]``) when a template asks.
"""

from __future__ import annotations

# Conversion code is a fragment where HOLE stands for the value. Fragments never contain spec text
# (wire names and literals are filled in last), so a plain character replacement is safe.
HOLE = "$"


def fill(fragment: str, value: str) -> str:
    """The fragment with ``value`` (a Python expression) in place of the hole."""
    return fragment.replace(HOLE, value)
