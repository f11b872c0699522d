"""Which local files a document's ``$ref``s may read: the entry document's own repository.

A ``$ref`` is followed and the file's content inlined into the generated README, the package's
``schemas.json`` and the answers file, so a reference must not read just any file of the machine
(``/etc/passwd``, ``../../secrets.txt``, a symlink to a home folder). By default a local reference:

- is relative (an absolute path or a ``file:`` URL is refused);
- resolves, symlinks followed and percent-escapes decoded, inside the entry document's *root*: the
  git work tree that holds it, or, outside git, the folder above the entry's folder (so the common
  ``../common/messages.yaml`` layouts work), unless that is the file system's root or the home
  folder, when it is the entry's own folder.

``ASYNCAPI_WS_REF_ROOTS`` lists more folders (separated by ``os.pathsep``, ``:`` on POSIX) whose
files any reference may read, by a relative path or an absolute one (``/`` allows every file).
A document downloaded from a URL never reads local files.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REF_ROOTS_ENV = "ASYNCAPI_WS_REF_ROOTS"


def extra_roots() -> tuple[Path, ...]:
    """The folders listed in ``ASYNCAPI_WS_REF_ROOTS``, resolved."""
    folders = (item.strip() for item in os.environ.get(REF_ROOTS_ENV, "").split(os.pathsep))
    return tuple(Path(folder).expanduser().resolve() for folder in folders if folder)


def document_root(entry: Path) -> Path:
    """The folder whose files an entry document's relative references may read (see above)."""
    folder = entry.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    above = folder.parent
    if above == folder or above == Path(above.anchor) or above == Path.home().resolve():
        return folder
    return above


def file_url_path(target: str) -> Path | None:
    """The local path of a ``file:`` URL reference; ``None`` for anything else."""
    parts = urllib.parse.urlsplit(target)
    if parts.scheme.lower() != "file":
        return None
    return Path(urllib.request.url2pathname(parts.path))


@dataclass(frozen=True)
class RefSandbox:
    """The folders local references of one document may read."""

    root: Path
    extra: tuple[Path, ...]

    @classmethod
    def for_entry(cls, entry: Path) -> RefSandbox:
        return cls(document_root(entry), extra_roots())

    def refusal(self, path: Path, *, absolute: bool) -> str:
        """Why ``path`` (already resolved) may not be read; empty when it may."""
        if any(path.is_relative_to(folder) for folder in self.extra):
            return ""
        if absolute:
            return "an absolute path (or file: URL) may read any file of the machine"
        if path.is_relative_to(self.root):
            return ""
        return f"it resolves to {path}, outside {self.root} (the document's repository)"

    def hint(self) -> str:
        return (
            "refer to files by relative paths inside the document's repository; to allow another folder, "
            f"list it in {REF_ROOTS_ENV} (folders separated by {os.pathsep!r})"
        )
