"""Compiled template code kept between copier runs, in the user's cache folder.

Every ``copier copy`` and ``copier update`` clones the template into a new folder and compiles its
Jinja sources again: about a quarter of a small copy's time. The code depends only on the source
and on what the environment does to parsing (``compile_cache.parsing_fingerprint``), so it is
written once per Python, Jinja and source to ``<user cache folder>/asyncapi-ws-template/compiled``
(``platformdirs``, a dependency of copier) and read back by later runs, as Python does with
``__pycache__``. The cache never changes what is rendered, and any file of it may be deleted.

``ASYNCAPI_WS_TEMPLATE_CACHE_DIR`` names another folder; set to the empty string, it turns the
cache off. A folder that cannot be created or written is used as no cache, silently: the copy then
compiles, as it would without one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import platformdirs

CACHE_DIR_VARIABLE = "ASYNCAPI_WS_TEMPLATE_CACHE_DIR"


def cache_folder() -> Path | None:
    """Where compiled code is kept; ``None`` when the cache is off."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured is not None:
        return Path(configured) if configured else None
    return Path(platformdirs.user_cache_dir("asyncapi-ws-template")) / "compiled"


class DiskCompiles:
    """Code objects on disk, one file per compile key (its SHA-256 with this Python and Jinja)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: Any) -> Path:
        # marshal's format and Jinja's generated code both change between versions.
        versioned = (sys.implementation.cache_tag, sys.version, jinja2.__version__, key)
        return self.folder / (hashlib.sha256(repr(versioned).encode()).hexdigest() + ".code")

    def load(self, key: Any) -> CodeType | None:
        """The code compiled earlier for ``key``, or ``None`` (absent or unreadable)."""
        try:
            code = marshal.loads(self._path(key).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return code if isinstance(code, CodeType) else None

    def save(self, key: Any, code: Any) -> None:
        """Keep ``code`` for ``key``; written whole or not at all, never raising."""
        if isinstance(code, CodeType):
            write_whole(self._path(key), marshal.dumps(code))


def write_whole(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole or not at all (a reader never sees half a file); never raises."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def disk_compiles() -> DiskCompiles | None:
    """The cache of this run, or ``None`` when it is off."""
    folder = cache_folder()
    return DiskCompiles(folder) if folder is not None else None
