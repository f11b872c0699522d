"""Load an AsyncAPI document: bytes -> data, external ``$ref`` files bundled in.

The result is one self-contained mapping: every reference to another file (or URL) is replaced by the
referenced value, while references inside the entry document (``#/...``) are kept, so recursive
schemas stay finite. That bundled form is what the project's answers file stores as the snapshot of
the spec, so a later ``copier update`` can replay the old generation without any other file.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SpecError, join_pointer, unescape_pointer_token

# Documents larger than this are refused before parsing: nothing real comes close, and it bounds
# the memory an accidental (or hostile) input can take.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
# YAML aliases are shared in memory but every walk over the data visits them again; a handful of
# nested aliases (the "billion laughs" shape) would make the walk exponential, so we cap the total
# number of nodes a bundled document may have.
MAX_BUNDLED_NODES = 2_000_000


class _SpecYamlLoader(yaml.SafeLoader):
    """Safe YAML loader that keeps timestamps as strings (the data model is JSON's)."""


_SpecYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in {"http", "https"}


def read_source(source: str) -> bytes:
    """Read a local file or an http(s) URL, with errors that say what to do."""
    if _is_url(source):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - scheme checked
                data: bytes = response.read(MAX_DOCUMENT_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SpecError(
                Location(source),
                f"cannot download the document: {exc}",
                "check the URL and your network connection, or download the file and give its path",
            ) from exc
    else:
        path = Path(source)
        if not path.is_file():
            raise SpecError(
                Location(source),
                "no such file",
                "give the path of an AsyncAPI document (absolute, or relative to where you run copier)",
            )
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise SpecError(Location(source), "the document is larger than 32 MiB", "split or trim it")
        data = path.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise SpecError(Location(source), "the document is larger than 32 MiB", "split or trim it")
    return data


def parse_text(data: bytes, origin: str) -> Any:
    """Parse YAML or JSON text (JSON is YAML, but ``json`` is faster and its errors clearer)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(Location(origin), f"the file is not UTF-8 text ({exc.reason})", "save it as UTF-8") from exc
    if not text.strip():
        raise SpecError(Location(origin), "the file is empty", "give an AsyncAPI document")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if origin.endswith(".json"):
                raise SpecError(
                    Location(origin, line=exc.lineno), f"invalid JSON: {exc.msg} (column {exc.colno})", "fix the syntax"
                ) from exc
    try:
        return yaml.load(text, Loader=_SpecYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise SpecError(Location(origin, line=line), f"invalid YAML: {problem}", "fix the syntax") from exc
    except yaml.YAMLError as exc:
        raise SpecError(Location(origin), f"invalid YAML: {exc}", "fix the syntax") from exc


def locate_line(origin: str, pointer: str) -> int | None:
    """Best-effort 1-based line of the node at ``pointer`` in a local YAML/JSON file."""
    if _is_url(origin):
        return None
    try:
        node: yaml.Node | None = yaml.compose(Path(origin).read_text("utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    tokens = [unescape_pointer_token(t) for t in pointer.split("/")[1:]] if pointer else []
    for token in tokens:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def resolve_pointer(document: Any, pointer: str, origin: str, referrer: Location) -> Any:
    """Follow a JSON pointer (``/a/b``) inside ``document``."""
    node = document
    if pointer in ("", "/"):
        return node
    if not pointer.startswith("/"):
        raise SpecError(referrer, f"`$ref` fragment {pointer!r} is not a JSON pointer", "write it as '#/path/to/node'")
    for raw in pointer.split("/")[1:]:
        token = unescape_pointer_token(urllib.parse.unquote(raw))
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SpecError(
                referrer,
                f"`$ref` points at {origin}#{pointer}, which does not exist",
                "fix the reference or add the missing definition",
            )
    return node


@dataclass
class LoadedSpec:
    """A bundled document and where it came from."""

    document: dict[str, Any]
    origin: str
    files: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class _Bundler:
    entry: str
    documents: dict[str, Any] = field(default_factory=dict)
    nodes: int = 0

    def load(self, source: str) -> Any:
        if source not in self.documents:
            self.documents[source] = parse_text(read_source(source), source)
        return self.documents[source]

    def absolute(self, base: str, target: str) -> str:
        if _is_url(base) or _is_url(target):
            return urllib.parse.urljoin(base, target)
        return str((Path(base).parent / urllib.parse.unquote(target)).resolve())

    def walk(self, node: Any, source: str, pointer: str, active: tuple[tuple[str, str], ...]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_BUNDLED_NODES:
            raise SpecError(
                Location(self.entry),
                "the document expands to more than 2,000,000 nodes (YAML aliases nested too deeply?)",
                "remove the nested aliases or split the document",
            )
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self.walk_ref(node, ref, source, pointer, active)
            return {str(key): self.walk(value, source, join_pointer(pointer, key), active) for key, value in node.items()}
        if isinstance(node, list):
            return [self.walk(value, source, join_pointer(pointer, i), active) for i, value in enumerate(node)]
        return node

    def walk_ref(self, node: dict[str, Any], ref: str, source: str, pointer: str, active: tuple[tuple[str, str], ...]) -> Any:
        target, _, fragment = ref.partition("#")
        if not target and source == self.entry:
            # Internal reference of the entry document: kept as is (resolved later, may be recursive).
            return {str(key): self.walk(value, source, join_pointer(pointer, key), active) for key, value in node.items()}
        target_source = self.absolute(source, target) if target else source
        referrer = Location(source, join_pointer(pointer, "$ref"))
        key = (target_source, fragment)
        if key in active:
            raise SpecError(
                referrer,
                f"`$ref` {ref!r} is part of a reference cycle across files",
                "move the recursive schema into the entry document's components",
            )
        try:
            document = self.load(target_source)
        except SpecError as exc:
            raise SpecError(
                referrer, f"`$ref` {ref!r} cannot be loaded: {exc.problem}", exc.hint or "fix the reference"
            ) from exc
        value = resolve_pointer(document, urllib.parse.unquote(fragment), target_source, referrer)
        return self.walk(value, target_source, fragment, (*active, key))


def load_spec(source: str) -> LoadedSpec:
    """Load and bundle the AsyncAPI document at ``source`` (a path or an http(s) URL)."""
    entry = source if _is_url(source) else str(Path(source).resolve())
    bundler = _Bundler(entry)
    raw = bundler.load(entry)
    if not isinstance(raw, dict):
        raise SpecError(
            Location(source), f"the document is a {type(raw).__name__}, not a mapping", "give an AsyncAPI document"
        )
    document = bundler.walk(raw, entry, "", ())
    return LoadedSpec(document=document, origin=source, files=tuple(sorted(bundler.documents)))
