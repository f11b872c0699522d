"""Load an AsyncAPI document: bytes -> data, external ``$ref`` files bundled in.

The result is one self-contained mapping: every reference to another file (or URL) is replaced by the
referenced value, while references inside the entry document (``#/...``) are kept, so recursive
schemas stay finite. That bundled form is what the project's answers file stores as the snapshot of
the spec, so a later ``copier update`` can replay the old generation without any other file.

Every kept internal reference is checked here, once: it must point at something, and a chain of
references must end at a value. References whose keys contain an unescaped ``/`` (which RFC 6901
says must be written ``~1``) are accepted when exactly one reading of them matches, and rewritten to
the escaped form, so everything downstream can follow pointers strictly.

URL references are downloaded, unless ``ASYNCAPI_WS_REF_MAP`` maps their prefix to a local folder:
``ASYNCAPI_WS_REF_MAP="https://example.com/schemas/=/home/me/schemas"`` (several mappings separated
by ``;``). That serves offline builds, CI and tests.
"""

from __future__ import annotations

import difflib
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SpecError, join_pointer, unescape_pointer_token
from .reading import REF_MAP_ENV, is_url, read_source

__all__ = [
    "REF_MAP_ENV",
    "LoadedSpec",
    "is_url",
    "load_spec",
    "locate",
    "locate_line",
    "parse_text",
    "read_source",
    "resolve_pointer",
]

# YAML aliases are shared in memory but every walk over the data visits them again; a handful of
# nested aliases (the "billion laughs" shape) would make the walk exponential, so we cap the total
# number of nodes a bundled document may have. The largest real document we know has ~60,000.
MAX_BUNDLED_NODES = 1_000_000

_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecYamlLoader(_YamlBase):  # type: ignore[misc]
    """Safe YAML loader with YAML 1.2 scalars: the data model is JSON's.

    Timestamps stay strings, and only ``true``/``false`` are booleans: YAML 1.1 would also read
    ``on``, ``off``, ``yes`` and ``no`` as booleans, turning ``enum: [on, off]`` into ``[True, False]``
    (the AsyncAPI tools read YAML 1.2, where those are strings).
    """


_BOOL_TAG = "tag:yaml.org,2002:bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_SpecYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _SpecYamlLoader.yaml_implicit_resolvers.setdefault(_first, []).append((_BOOL_TAG, _YAML12_BOOL))


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """A mapping, refusing duplicate keys (YAML would silently keep the last one)."""
    loader.flatten_mapping(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        # AsyncAPI documents are JSON data: `200:` or `true:` name the keys "200" and "true". Keys are
        # made text here, as JSON spells them, so that a document reads the same from YAML, from
        # JSON and from the JSON snapshot kept in the answers file.
        key = key if isinstance(key, str) else json.dumps(key)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_SpecYamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


class _DuplicateKeyError(ValueError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def parse_text(data: bytes, origin: str) -> Any:
    """Parse YAML or JSON text (JSON is YAML, but ``json`` is faster and its errors clearer)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(Location(origin), f"the file is not UTF-8 text ({exc.reason})", "save it as UTF-8") from exc
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise SpecError(Location(origin), "the file is empty", "give an AsyncAPI document")
    try:
        return _parse(text, origin)
    except RecursionError:
        raise SpecError(
            Location(origin), "the document is nested too deeply to read", "flatten it (use $ref for shared parts)"
        ) from None


def _parse(text: str, origin: str) -> Any:
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text, object_pairs_hook=_json_object)
        except _DuplicateKeyError as exc:
            raise SpecError(
                Location(origin), f"duplicate key {exc.args[0]!r} in a JSON object", "keep one of the entries"
            ) from exc
        except json.JSONDecodeError as exc:
            if origin.endswith(".json"):
                raise SpecError(
                    Location(origin, line=exc.lineno),
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    "fix the syntax",
                ) from exc
            # Not JSON after all: YAML flow style ({a: b}) is common in hand-written files.
    try:
        return yaml.load(text, Loader=_SpecYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        hint = "keep one of the entries" if "duplicate key" in problem else "fix the syntax"
        raise SpecError(Location(origin, line=line), f"invalid YAML: {problem}", hint) from exc
    except yaml.YAMLError as exc:
        raise SpecError(Location(origin), f"invalid YAML: {exc}", "fix the syntax") from exc


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


def _follow(node: Any, tokens: list[str]) -> Iterator[tuple[Any, list[str]]]:
    """Every way of reading ``tokens`` down from ``node``, yielding (value, the keys used).

    A key may itself contain ``/`` (written unescaped by some tools), so consecutive tokens may
    together name one key; the strict one-token-per-key reading is tried first.
    """
    if not tokens:
        yield node, []
        return
    if isinstance(node, list):
        token = tokens[0]
        if token.isdigit() and int(token) < len(node):
            for value, keys in _follow(node[int(token)], tokens[1:]):
                yield value, [token, *keys]
        return
    if not isinstance(node, dict):
        return
    for width in range(1, len(tokens) + 1):
        key = "/".join(tokens[:width])
        if key in node:
            for value, keys in _follow(node[key], tokens[width:]):
                yield value, [key, *keys]


def _near_miss(document: Any, tokens: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the first key along ``tokens`` that is missing, if one is close."""
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict):
            close = difflib.get_close_matches(token, [str(key) for key in node], n=1)
            return f" (did you mean {close[0]!r}?)" if close else ""
        else:
            break
    return ""


def resolve_pointer(document: Any, pointer: str, origin: str, referrer: Location) -> tuple[Any, str]:
    """Follow a JSON pointer (``/a/b``) inside ``document``; returns the value and the strict pointer."""
    if pointer in ("", "/"):
        return document, ""
    if not pointer.startswith("/"):
        raise SpecError(referrer, f"`$ref` fragment {pointer!r} is not a JSON pointer", "write it as '#/path/to/node'")
    tokens = [unescape_pointer_token(urllib.parse.unquote(raw)) for raw in pointer.split("/")[1:]]
    readings = _follow(document, tokens)
    found = next(readings, None)
    if found is None:
        where = f"#{pointer}" if origin == "" else f"{origin}#{pointer}"
        raise SpecError(
            referrer,
            f"`$ref` points at {where}, which does not exist{_near_miss(document, tokens)}",
            "fix the reference or add the missing definition",
        )
    value, keys = found
    if len(keys) != len(tokens) and next(readings, None) is not None:
        raise SpecError(
            referrer,
            f"`$ref` #{pointer} is ambiguous: its keys contain '/' and it can be read in more than one way",
            "escape '/' inside keys as '~1' (RFC 6901)",
        )
    return value, join_pointer("", *keys)


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


@dataclass
class _Bundler:
    entry: str
    display: str
    documents: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    nodes: int = 0

    def load(self, source: str) -> Any:
        if source not in self.documents:
            self.documents[source] = parse_text(read_source(source), source)
        return self.documents[source]

    def absolute(self, base: str, target: str) -> str:
        if is_url(base) or is_url(target):
            return urllib.parse.urljoin(base, target)
        return str((Path(base).parent / urllib.parse.unquote(target)).resolve())

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_BUNDLED_NODES:
            raise SpecError(
                Location(self.entry),
                f"the document expands to more than {MAX_BUNDLED_NODES:,} nodes (YAML aliases nested too deeply?)",
                "remove the nested aliases or split the document",
            )

    def walk(self, node: Any, source: str, pointer: str, out: str, active: tuple[tuple[str, str], ...]) -> Any:
        """Copy ``node`` (at ``pointer`` in ``source``; at ``out`` in the result), inlining files."""
        self.count()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self.walk_ref(node, ref, source, pointer, out, active)
            return {
                str(key): self.walk(value, source, join_pointer(pointer, key), join_pointer(out, key), active)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [
                self.walk(value, source, join_pointer(pointer, i), join_pointer(out, i), active)
                for i, value in enumerate(node)
            ]
        return node

    def walk_ref(
        self, node: dict[str, Any], ref: str, source: str, pointer: str, out: str, active: tuple[tuple[str, str], ...]
    ) -> Any:
        target, _, fragment = ref.partition("#")
        if not target and source == self.entry:
            # Internal reference of the entry document: kept (checked later, may be recursive).
            return {
                str(key): self.walk(value, source, join_pointer(pointer, key), join_pointer(out, key), active)
                for key, value in node.items()
            }
        target_source = self.absolute(source, target) if target else source
        name = self.display if source == self.entry else source
        referrer = Location(name, join_pointer(pointer, "$ref"), locate_line(source, pointer))
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
            hint = exc.hint
            if exc.problem == "no such file":
                hint = "fix the path (it is relative to the file that contains the `$ref`) or create the file"
            raise SpecError(referrer, f"`$ref` {ref!r} cannot be loaded: {exc.location}: {exc.problem}", hint) from exc
        value, strict = resolve_pointer(document, urllib.parse.unquote(fragment), target_source, referrer)
        self.origins[out] = (target_source, strict)
        return self.walk(value, target_source, strict, out, (*active, key))


def _internal_refs(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every mapping with a ``$ref`` string, with its pointer (iterative: documents can be deep)."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item, where
            stack.extend((value, join_pointer(where, key)) for key, value in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((value, join_pointer(where, i)) for i, value in reversed(list(enumerate(item))))


def _check_internal_refs(loaded: LoadedSpec) -> None:
    """Every ``#/...`` reference points at something, and every chain of references ends at a value."""
    document = loaded.document
    targets: dict[str, str] = {}
    for holder, pointer in _internal_refs(document, ""):
        ref = holder["$ref"]
        if not ref.startswith("#"):
            continue
        fragment = urllib.parse.unquote(ref[1:])
        try:
            _, strict = resolve_pointer(document, fragment, "", Location(loaded.origin))
            failed = False
        except SpecError:
            failed = True
        if failed:
            # Finding the line of the `$ref` means composing the YAML again: only worth it for the error.
            _, strict = resolve_pointer(document, fragment, "", loaded.locate(join_pointer(pointer, "$ref")))
        if strict != ref[1:]:
            holder["$ref"] = "#" + strict
        targets[pointer] = strict
    reaches_value: set[str] = set()
    for start in targets:
        chain = [start]
        current = targets[start]
        while current in targets and current not in reaches_value:
            if current in chain:
                cycle = [*chain[chain.index(current) :], current]
                raise SpecError(
                    loaded.locate(join_pointer(start, "$ref")),
                    "`$ref` chain never reaches a value: " + " -> ".join("#" + p for p in cycle),
                    "point one of these references at a real definition",
                )
            chain.append(current)
            current = targets[current]
        reaches_value.update(chain)


def load_spec(source: str) -> LoadedSpec:
    """Load and bundle the AsyncAPI document at ``source`` (a path or an http(s) URL)."""
    entry = source if is_url(source) else str(Path(source).resolve())
    bundler = _Bundler(entry, source)
    try:
        raw = bundler.load(entry)
    except SpecError as exc:
        raise SpecError(Location(source, exc.location.pointer, exc.location.line), exc.problem, exc.hint) from None
    if not isinstance(raw, dict):
        kind = "list" if isinstance(raw, list) else type(raw).__name__
        raise SpecError(
            Location(source, line=1),
            f"the document is a {kind}, not a mapping",
            "give an AsyncAPI document: a mapping starting with `asyncapi: 3.0.0` (or a 2.x version)",
        )
    document = bundler.walk(raw, entry, "", "", ())
    loaded = LoadedSpec(
        document=document, origin=source, files=tuple(sorted(bundler.documents)), entry=entry, origins=bundler.origins
    )
    _check_internal_refs(loaded)
    _LOADED.append(loaded)
    del _LOADED[:-8]
    return loaded
