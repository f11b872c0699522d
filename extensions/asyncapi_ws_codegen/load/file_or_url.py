"""The bytes of a document: a local file, or an http(s) URL (possibly mapped to a local folder).

``ASYNCAPI_WS_REF_MAP`` maps URL prefixes to folders so that documents referring to URLs can be
generated offline (``https://host/path/=/local/folder``; several separated by ``;``).
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

from ..errors import Location, SpecError

# Documents larger than this are refused before parsing: nothing real comes close, and it bounds
# the memory an accidental (or hostile) input can take.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
REF_MAP_ENV = "ASYNCAPI_WS_REF_MAP"


def is_url(source: str) -> bool:
    """Whether ``source`` is an http(s) URL rather than a file path."""
    return urllib.parse.urlsplit(source).scheme in {"http", "https"}


def ref_map() -> list[tuple[str, Path]]:
    """The URL prefix -> local folder mappings from ``ASYNCAPI_WS_REF_MAP``, longest prefix first."""
    mappings = []
    for item in os.environ.get(REF_MAP_ENV, "").split(";"):
        prefix, sep, folder = item.strip().partition("=")
        if sep and prefix and folder:
            mappings.append((prefix, Path(folder).expanduser()))
    return sorted(mappings, key=lambda pair: -len(pair[0]))


def mapped_folder(url: str) -> Path:
    """The folder ``ASYNCAPI_WS_REF_MAP`` maps ``url`` into (only for a URL :func:`mapped_path` maps)."""
    return next(folder for prefix, folder in ref_map() if url.startswith(prefix))


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` resolves (symlinks followed) inside ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return False


def mapped_path(url: str) -> Path | None:
    """The local file standing in for ``url`` under ``ASYNCAPI_WS_REF_MAP``, if a prefix matches."""
    for prefix, folder in ref_map():
        if url.startswith(prefix):
            rest = urllib.parse.unquote(url[len(prefix) :].split("#", 1)[0]).lstrip("/")
            return folder / rest
    return None


def _download(url: str) -> bytes:
    # Imported here: most documents are local files, and the copy task and the update migration,
    # which start a Python process each, should not pay for the HTTP stack.
    from .http_fetch import ALLOW_ENV, TIMEOUT_ENV, DownloadError, fetch

    try:
        return fetch(url, MAX_DOCUMENT_BYTES)
    except DownloadError as exc:
        offline = (
            "to work offline, save the file and map the URL prefix to its folder: "
            f'{REF_MAP_ENV}="https://host/path/=/local/folder"'
        )
        if exc.refused:
            hint = f"if you trust this host, list it (or its network) in {ALLOW_ENV}; or {offline}"
        elif exc.late:
            hint = f"try again, or allow more seconds in {TIMEOUT_ENV}; or {offline}"
        else:
            hint = f"check the URL and the network connection; {offline}"
        raise SpecError(Location(url), f"cannot download {url}: {exc}", hint) from None


def no_such_file(source: str) -> SpecError:
    """The error for a document path that names no file."""
    return SpecError(
        Location(source),
        "no such file",
        "give the path of an AsyncAPI document (absolute, or relative to where you run copier)",
    )


def read_source(source: str) -> bytes:
    """Read a local file or an http(s) URL, with errors that say what to do."""
    if is_url(source):
        local = mapped_path(source)
        if local is None:
            data = _download(source)
        elif not _inside(local, mapped_folder(source)):
            raise SpecError(
                Location(source),
                f"{REF_MAP_ENV} maps this URL to {local}, outside the mapped folder (a '..' in the URL?)",
                "refer to files inside the mapped folder",
            )
        elif not local.is_file():
            raise SpecError(
                Location(source),
                f"{REF_MAP_ENV} maps this URL to {local}, which does not exist",
                f"put the file there or fix {REF_MAP_ENV}",
            )
        else:
            data = local.read_bytes()
    else:
        path = Path(source)
        if not path.is_file():
            raise no_such_file(source)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise SpecError(Location(source), "the document is larger than 32 MiB", "split or trim it")
        data = path.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise SpecError(Location(source), "the document is larger than 32 MiB", "split or trim it")
    return data
