"""Line numbers for error messages: where a JSON pointer's node starts in a local YAML/JSON file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import unescape_pointer_token
from .file_or_url import is_url


@lru_cache(maxsize=16)
def _composed(origin: str, mtime: int, size: int) -> yaml.Node | None:
    del mtime, size  # cache key only
    try:
        return yaml.compose(Path(origin).read_text("utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError):
        return None


def locate_line(origin: str, pointer: str) -> int | None:
    """Best-effort 1-based line of the node at ``pointer`` in a local YAML/JSON file.

    When the pointer goes deeper than the file (into a referenced part), the line of the deepest
    node that exists is given.
    """
    if is_url(origin):
        return None
    try:
        stat = Path(origin).stat()
    except OSError:
        return None
    node = _composed(origin, stat.st_mtime_ns, stat.st_size)
    if node is None:
        return None
    tokens = [unescape_pointer_token(t) for t in pointer.split("/")[1:]] if pointer else []
    for token in tokens:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            child = node.value[int(token)]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1
