"""A loaded (bundled) document, and the way back from its pointers to files and lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from .line_numbers import locate_line


@dataclass
class LoadedSpec:
    """A bundled document and where it came from.

    ``origins`` maps a pointer of the bundled document, where the content of another file was
    inlined, to that file and the pointer inside it; :meth:`locate` uses it for error messages.
    """

    document: dict[str, Any]
    origin: str
    files: tuple[str, ...] = field(default_factory=tuple)
    entry: str = ""
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def source_of(self, pointer: str) -> tuple[str, str]:
        """The file and the pointer in it that the bundled ``pointer`` came from."""
        best = ""
        for prefix in self.origins:
            if (pointer == prefix or pointer.startswith(prefix + "/")) and len(prefix) > len(best):
                best = prefix
        if not best:
            return self.entry or self.origin, pointer
        source, base = self.origins[best]
        return source, base + pointer[len(best) :]

    def locate(self, pointer: str, display: str = "") -> Location:
        """A :class:`Location` with file, line and pointer for a pointer of the bundled document."""
        source, inner = self.source_of(pointer)
        name = (display or self.origin) if source == (self.entry or self.origin) else source
        return Location(name, inner, locate_line(source, inner))


# Documents handed out by load_spec, so that later stages can turn pointers back into file lines.
_LOADED: list[LoadedSpec] = []


def locate(document: Any, pointer: str, display: str) -> Location:
    """Where ``pointer`` of a document returned by :func:`load_spec` is (file, line, pointer).

    Documents that did not come from :func:`load_spec` (the snapshot in the answers file) have no
    lines: the location is ``display`` and the pointer.
    """
    for loaded in _LOADED:
        if loaded.document is document:
            return loaded.locate(pointer, display)
    return Location(display, pointer)


def keep_for_locating(loaded: LoadedSpec) -> None:
    """Remember a document :func:`locate` can turn pointers of into lines (the last few only)."""
    _LOADED.append(loaded)
    del _LOADED[:-8]
