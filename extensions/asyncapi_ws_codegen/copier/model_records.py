"""The model of each generation, kept on disk for the replay of the next update.

Every ``copier update`` starts by regenerating the project's last generation from the snapshot
in its answers file, which means building that spec's model again: 0.6 s of a 500-channel update.
The render that generated the project built that very model (the same generator code, document
and perspective), so it keeps it in the user's cache folder, beside the compiled template code
(``compile_disk.py``), and the replay reads it back instead. Only a replay of the last generation
reads records: a copy and the project's own render always build from the document they read.

A record is a pickle written by this generator, keyed by a digest of the generator's code, the
perspective and the snapshot text, so that no other code or document ever reads it. As with the
compiled code beside it, whoever can write to the user's cache folder can run code as that user.
At most ``KEPT`` records are kept, the least recently used deleted first; any may be deleted.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from .clone_memo import CODE_DIGEST
from .compile_disk import cache_folder, write_whole

KEPT = 16
_SUFFIX = ".model"
# The generator package as this clone imports it (``asyncapi_ws_codegen_<folder digest>``): a record
# written by another clone names that clone's package, whose code is the same (CODE_DIGEST).
_PACKAGE = __name__.split(".")[0]
_PACKAGE_STEM = "asyncapi_ws_codegen"


def model_name(text: str, perspective: str) -> str:
    """What a model is built from, as a digest: the snapshot text and the perspective."""
    return hashlib.sha256(f"{perspective}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _record_path(text: str, perspective: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    key = f"{CODE_DIGEST}\0{sys.version}\0{model_name(text, perspective)}"
    return folder / "models" / (hashlib.sha256(key.encode()).hexdigest() + _SUFFIX)


class _ThisClonesClasses(pickle.Unpickler):
    """Finds the generator's classes in this clone's package, whichever clone wrote the record."""

    def find_class(self, module: str, name: str) -> Any:
        top, _, rest = module.partition(".")
        if top.startswith(_PACKAGE_STEM):
            module = f"{_PACKAGE}.{rest}" if rest else _PACKAGE
        return super().find_class(module, name)


def keep_model(text: str, perspective: str, api: object) -> None:
    """Record the model built for the snapshot ``text``; silently nothing when that cannot be done."""
    path = _record_path(text, perspective)
    if path is None:
        return
    try:
        data = pickle.dumps(api, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    if write_whole(path, data):
        _forget_the_oldest(path.parent)


def replayed_model(text: str, perspective: str) -> Any:
    """The model recorded for the snapshot ``text``, or ``None`` (none kept, or unreadable)."""
    path = _record_path(text, perspective)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        api = _ThisClonesClasses(io.BytesIO(data)).load()
        os.utime(path)  # recently used: kept the longest
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return api


def _forget_the_oldest(folder: Path) -> None:
    try:
        records = sorted(folder.glob("*" + _SUFFIX), key=lambda path: path.stat().st_mtime_ns)
        for path in records[:-KEPT]:
            path.unlink(missing_ok=True)
    except OSError:
        pass
