"""Load an AsyncAPI document: bytes -> data, external ``$ref`` files bundled in.

The result is one self-contained mapping: every reference to another file (or URL) is replaced by the
referenced value, while references inside the entry document (``#/...``) are kept, so recursive
schemas stay finite. A reference that returns to a value of another file while that value is being
inlined (a recursive schema across files) becomes a reference to the inlined copy. That bundled
form is what the project's answers file stores as the snapshot of the spec, so a later
``copier update`` can replay the old generation without any other file.

Every kept internal reference is checked here, once: it must point at something, and a chain of
references must end at a value. References whose keys contain an unescaped ``/`` (which RFC 6901
says must be written ``~1``) are accepted when exactly one reading of them matches, and rewritten to
the escaped form, so everything downstream can follow pointers strictly.

URL references are downloaded, unless ``ASYNCAPI_WS_REF_MAP`` maps their prefix to a local folder:
``ASYNCAPI_WS_REF_MAP="https://example.com/schemas/=/home/me/schemas"`` (several mappings separated
by ``;``). That serves offline builds, CI and tests. Local references may read only the files of
the entry document's repository (see ref_sandbox.py).

A ``$ref`` key inside example data (the values of ``examples``, ``example``, ``default``, ``const``
and ``enum``) is data, copied as it is: it is what a message may carry, not a reference.
"""

from __future__ import annotations

import gc
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, SpecError, join_pointer
from .data_keys import NAME_MAPS, holds_data
from .file_or_url import is_url, read_source
from .json_pointers import resolve_pointer
from .line_numbers import locate_line
from .loaded_spec import LoadedSpec, keep_for_locating
from .ref_sandbox import RefSandbox, file_url_path
from .yaml_json import parse_text

# YAML aliases are shared in memory but every walk over the data visits them again; a handful of
# nested aliases (the "billion laughs" shape) would make the walk exponential, so we cap the total
# number of nodes a bundled document may have. The largest real document we know has ~60,000.
MAX_BUNDLED_NODES = 1_000_000
# Nodes a document may repeat through YAML aliases or files referenced more than once: a few
# aliases of a shared schema repeat hundreds; a 1 KB document of nested aliases ("billion laughs")
# repeats millions, and every copy becomes generated code.
MAX_REPEATED_NODES = 20_000
# How deep mappings and lists may nest. Real documents stay under 40; every later stage walks the
# document recursively, and this keeps them all far from Python's recursion limit.
MAX_NESTING = 256
# The references being inlined around a node: (file, fragment) and where its copy is being placed.
_Active = tuple[tuple[tuple[str, str], str], ...]


@dataclass
class _Bundler:
    entry: str
    display: str
    documents: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    nodes: int = 0
    depth: int = 0
    # Mappings and lists copied so far (by identity), and how many nodes were copied again.
    seen: set[int] = field(default_factory=set)
    repeating: int = 0
    repeated: int = 0
    # The local files references may read; None when the entry is a URL (it reads none).
    sandbox: RefSandbox | None = None

    def load(self, source: str) -> Any:
        if source not in self.documents:
            self.documents[source] = parse_text(read_source(source), source)
        return self.documents[source]

    def absolute(self, base: str, target: str, ref: str, referrer: Location) -> str:
        """The file or URL a `$ref` target names, relative to ``base``; refused when not allowed."""
        local = file_url_path(target)
        if local is None and (is_url(base) or is_url(target)):
            joined = urllib.parse.urljoin(base, target)
            if is_url(joined):
                return joined
        scheme = urllib.parse.urlsplit(target).scheme
        if is_url(base) or self.sandbox is None:
            why = "a document downloaded from a URL may refer to URLs only, not to local files"
        elif local is None and len(scheme) > 1:
            why = f"{scheme}: references are not supported (only relative file paths and http(s) URLs)"
        else:
            unquoted = urllib.parse.unquote(target)
            path = local if local is not None else Path(base).parent / unquoted
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
                raise SpecError(referrer, f"`$ref` {ref!r} leads into a symlink loop", "fix the symlinks") from None
            absolute = local is not None or Path(unquoted).is_absolute()
            why = self.sandbox.refusal(resolved, absolute=absolute)
            if not why:
                return str(resolved)
        hint = self.sandbox.hint() if self.sandbox is not None else "refer to the files by URL"
        raise SpecError(referrer, f"`$ref` {ref!r} is refused: {why}", hint)

    def count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_BUNDLED_NODES:
            raise SpecError(
                Location(self.entry),
                f"the document expands to more than {MAX_BUNDLED_NODES:,} nodes (YAML aliases nested too deeply?)",
                "remove the nested aliases or split the document",
            )
        if self.repeating:
            self.repeated += 1

    def enter(self, node: dict[str, Any] | list[Any], source: str, pointer: str) -> bool:
        """Step into a mapping or list; whether it was copied before (a YAML alias, a file used twice)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.too_deep(source, pointer)
        again = id(node) in self.seen
        if again:
            self.repeating += 1
            if self.repeated > MAX_REPEATED_NODES:
                name = self.display if source == self.entry else source
                raise SpecError(
                    Location(name, pointer, locate_line(source, pointer)),
                    f"YAML aliases (or files referenced again and again) repeat more than {MAX_REPEATED_NODES:,} "
                    "nodes: the generated package would be enormous (nested aliases, a 'billion laughs'?)",
                    "name the shared part once under `components` and refer to it with `$ref: '#/components/...'`",
                )
        else:
            self.seen.add(id(node))
        return again

    def leave(self, again: bool) -> None:
        self.depth -= 1
        if again:
            self.repeating -= 1

    def walk(self, node: Any, source: str, pointer: str, out: str, active: _Active) -> Any:
        """Copy ``node`` (at ``pointer`` in ``source``; at ``out`` in the result), inlining files."""
        self.count()
        if not isinstance(node, (dict, list)):
            return node
        again = self.enter(node, source, pointer)
        try:
            if isinstance(node, list):
                return [
                    self.walk(value, source, join_pointer(pointer, i), join_pointer(out, i), active)
                    for i, value in enumerate(node)
                ]
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self.walk_ref(node, ref, source, pointer, out, active)
            if "$ref" in node and out.rsplit("/", 1)[-1] not in NAME_MAPS:  # not a property called $ref
                name = self.display if source == self.entry else source
                where = join_pointer(pointer, "$ref")
                raise SpecError(
                    Location(name, where, locate_line(source, where)),
                    f"`$ref` must be a string, found {type(ref).__name__}",
                    "write the reference as text, such as '#/components/schemas/Name' or './schemas.yaml'",
                )
            return {
                str(key): self.data(value, source, join_pointer(pointer, key))
                if holds_data(out.rsplit("/", 1)[-1], key)
                else self.walk(value, source, join_pointer(pointer, key), join_pointer(out, key), active)
                for key, value in node.items()
            }
        finally:
            self.leave(again)

    def too_deep(self, source: str, pointer: str) -> None:
        name = self.display if source == self.entry else source
        raise SpecError(
            Location(name, pointer, locate_line(source, pointer)),
            f"the document is nested more than {MAX_NESTING} levels deep",
            "flatten it: give the inner parts names under `components` and refer to them with `$ref`",
        )

    def data(self, node: Any, source: str, pointer: str) -> Any:
        """Copy example data as it is (a `$ref` key in it is data); every node still counts."""
        self.count()
        if not isinstance(node, (dict, list)):
            return node
        again = self.enter(node, source, pointer)
        try:
            if isinstance(node, list):
                return [self.data(value, source, join_pointer(pointer, i)) for i, value in enumerate(node)]
            return {key: self.data(value, source, join_pointer(pointer, key)) for key, value in node.items()}
        finally:
            self.leave(again)

    def walk_ref(self, node: dict[str, Any], ref: str, source: str, pointer: str, out: str, active: _Active) -> Any:
        target, _, fragment = ref.partition("#")
        if not target and source == self.entry:
            # Internal reference of the entry document: kept (checked later, may be recursive).
            return {
                str(key): self.walk(value, source, join_pointer(pointer, key), join_pointer(out, key), active)
                for key, value in node.items()
            }
        name = self.display if source == self.entry else source
        referrer = Location(name, join_pointer(pointer, "$ref"), locate_line(source, pointer))
        target_source = self.absolute(source, target, ref, referrer) if target else source
        key = (target_source, fragment)
        inlined_at = dict(active)
        if key in inlined_at:
            # A recursive schema across files: the reference returns to a value being inlined, so
            # it becomes a reference to that copy. (A chain of references that never reaches a
            # value is refused by the check of internal references that follows bundling.)
            return {"$ref": "#" + inlined_at[key]}
        try:
            document = self.load(target_source)
        except SpecError as exc:
            hint = exc.hint
            if exc.problem == "no such file":
                hint = "fix the path (it is relative to the file that contains the `$ref`) or create the file"
            raise SpecError(referrer, f"`$ref` {ref!r} cannot be loaded: {exc.location}: {exc.problem}", hint) from exc
        value, strict = resolve_pointer(document, urllib.parse.unquote(fragment), target_source, referrer)
        self.origins[out] = (target_source, strict)
        return self.walk(value, target_source, strict, out, (*active, (key, out)))


def _internal_refs(node: Any, pointer: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Every mapping with a ``$ref`` string, with its pointer (iterative: documents can be deep)."""
    stack: list[tuple[Any, str]] = [(node, pointer)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item, where
            stack.extend(
                (value, join_pointer(where, key))
                for key, value in reversed(item.items())
                if not holds_data(where.rsplit("/", 1)[-1], key)
            )
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
    # Reading makes an object per node of the document and no reference cycles. In a process with a
    # large heap, copier's, the cyclic collector meanwhile scans that heap again and again: up to
    # a third of the reading time of a 500-channel document, measured. It runs once reading is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_spec(source)
    finally:
        if collecting:
            gc.enable()


def _load_spec(source: str) -> LoadedSpec:
    entry = source if is_url(source) else str(Path(source).resolve())
    bundler = _Bundler(entry, source, sandbox=None if is_url(source) else RefSandbox.for_entry(Path(entry)))
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
    keep_for_locating(loaded)
    return loaded
