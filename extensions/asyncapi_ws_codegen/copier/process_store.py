"""A bounded store that every clone of the generator imported in one process shares.

Copier imports each template clone's copy of the generator under a name of its own, so a
module-level dict would be one per clone. The entries live instead in a plain namespace module in
``sys.modules`` under a fixed name that no clone imports, and so outlive and span the clones.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from types import ModuleType
from typing import Any


class ProcessStore:
    """Least-recently-used mapping kept in ``sys.modules[module_name]``, at most ``size`` entries."""

    def __init__(self, module_name: str, size: int, description: str) -> None:
        self.module_name = module_name
        self.size = size
        self.description = description

    @property
    def entries(self) -> OrderedDict[Any, Any]:
        """The shared mapping, created by whichever clone asks first."""
        module = sys.modules.get(self.module_name)
        if module is None:
            module = ModuleType(self.module_name, self.description)
            module.__dict__["entries"] = OrderedDict()
            sys.modules[self.module_name] = module
        entries: OrderedDict[Any, Any] = module.__dict__["entries"]
        return entries

    def get(self, key: Any) -> Any:
        """The value under ``key`` (now the most recently used), or ``None``."""
        entries = self.entries
        value = entries.get(key)
        if value is not None:
            entries.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> Any:
        """Store ``value`` under ``key``, dropping the least recently used beyond the size; returns it."""
        entries = self.entries
        entries[key] = value
        while len(entries) > self.size:
            entries.popitem(last=False)
        return value
