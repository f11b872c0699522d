"""Memoization for the ContextHook, shared by the template clones of one copier process.

Copier renders an update from several clones of the template (the replay of the last generation,
the project, the replay of the new version, and the worker that matches paths), and the entry
module imports each clone's copy of the generator under a name of its own, so module-level caches
would parse the same spec and build the same model once per clone. What the hook computes depends
only on the generator's code and the document, so results are shared between clones whose
generator code is byte-identical, keyed by a digest of that code: never between two versions.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .process_store import ProcessStore

# A few specs and models: a render uses one, an update two (the old and the new spec).
_MEMO = ProcessStore(
    "_asyncapi_ws_codegen_shared_memo", 16, "Results of the AsyncAPI generator, shared by template clones."
)


def _code_digest() -> str:
    """Digest of every source file of the whole generator package, by relative path in sorted order.

    Every sub-package counts: two clones that differ in any module (a stage this one does not
    import directly included) must never share results.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for relative in sorted(path.relative_to(root).as_posix() for path in root.rglob("*.py")):
        digest.update(relative.encode() + b"\0" + (root / relative).read_bytes() + b"\0")
    return digest.hexdigest()


CODE_DIGEST = _code_digest()


def recall(*key: object) -> Any:
    """The value stored under ``key`` by a clone of this very code, or ``None``."""
    return _MEMO.get((CODE_DIGEST, *key))


def remember(value: Any, *key: object) -> Any:
    """Store ``value`` under ``key`` for clones of this very code; returns it."""
    return _MEMO.put((CODE_DIGEST, *key), value)
