"""Errors raised for documents the generator refuses.

Every refusal says *where* (file, line when the source format gives one, JSON pointer) and *what to
do*. Inside copier the error derives from its ``UserMessageError`` so that copier prints the message
without a traceback and removes the half-written destination.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copier.errors import UserMessageError as _Base
else:
    # Copier imports its errors module before it loads the extension. The copy task and the update
    # migration run in processes of their own that report errors themselves: importing copier there
    # only to subclass its error would cost a third of a second each time.
    _copier_errors = sys.modules.get("copier.errors")
    _Base = _copier_errors.UserMessageError if _copier_errors is not None else Exception


@dataclass(frozen=True)
class Location:
    """Where in the input a problem was found."""

    file: str
    pointer: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" at {self.pointer}"
        return where


class SpecError(_Base):
    """The AsyncAPI document cannot be turned into a package.

    Attributes:
        location: where the problem is.
        problem: what is wrong.
        hint: what the user can do about it.
    """

    def __init__(self, location: Location, problem: str, hint: str = "") -> None:
        self.location = location
        self.problem = problem
        self.hint = hint
        text = f"{location}: {problem}"
        if hint:
            text += f"\n  What to do: {hint}"
        super().__init__(text)

    def shown_from(self, project: str | os.PathLike[str]) -> SpecError:
        """The same error, naming files as the user of ``project`` sees them.

        A file inside the project is named relative to it (``asyncapi.yaml``, ``components/x.yaml``),
        any other file by its absolute path, whichever way the loader reached it; URLs and labels
        that are no file name (a snapshot in the answers) are kept.
        """
        root = os.path.normpath(Path(project).absolute())
        inside = root.rstrip(os.sep) + os.sep
        file = _shown_file(self.location.file, root)
        problem, hint = self.problem.replace(inside, ""), self.hint.replace(inside, "")
        if (file, problem, hint) == (self.location.file, self.problem, self.hint):
            return self
        location = Location(file, self.location.pointer, self.location.line)
        return type(self)(location, problem, hint)


def _shown_file(name: str, root: str) -> str:
    if "://" in name or not name:
        return name
    path = Path(name)
    if not (path.is_absolute() or path.exists() or path.suffix.lower() in (".yaml", ".yml", ".json")):
        return name  # not a file name
    # Not resolve(): the user knows the folders by the names they typed, symbolic links included.
    absolute = os.path.normpath(path.absolute())
    try:
        return Path(absolute).relative_to(root).as_posix()
    except ValueError:
        return absolute


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo :func:`escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_target(document: Any, pointer: str) -> Any:
    """The node a local JSON pointer (``/a/0/b``) names in ``document``; ``KeyError`` when none."""
    node = document
    for token in pointer.split("/")[1:]:
        key = unescape_pointer_token(token)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise KeyError(pointer)
    return node


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON pointer."""
    return base + "".join("/" + escape_pointer_token(str(token)) for token in tokens)
