"""Rendered files reused by a later render with the very same inputs.

``copier update`` renders the new template version twice with the same answers and the same spec:
into the project, then into an empty folder ("the new replay") to tell its own changes from the
user's. The second render of each file template is the first one's text again, so it is kept in
memory and returned instead of rendering again.

Every update also starts by rendering the *last* generation again ("the old replay"), from the
snapshot in the answers file: the files the render that generated the project wrote, byte for
byte. That render kept its texts on disk, in the user's cache folder beside the compiled template
code (``compile_disk.py``), and the old replay reads them back. Only a render whose model is the
replay of a snapshot (``name_model(..., replayed=True)``) reads texts from disk: a copy, or the
project's own render, always renders.

A rendered file is a function of the template's sources (every file of its folder: a template
imports macros; and copier.yml, whose Jinja options shape the text), the generator's code (its
filters), the versions of Python and of the libraries that render, and the variables the render
sees. The key holds them all: sources and code by digest, every variable by value, except the
ones no file template reads (``UNREAD_VARIABLES``: the render's folders and copier's helpers;
tests/unit/test_render_memo.py checks that no file template reads them); the spec's model by the
name the ContextHook gives it (a digest of the document and the perspective; the model is a
function of those and the generator's code), and any other object of the generator by identity
(in memory only). A variable that is none of these makes the render not kept.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, Template

from .clone_memo import CODE_DIGEST
from .compile_cache import parsing_fingerprint
from .compile_disk import cache_folder, write_whole
from .process_store import ProcessStore

# Copier's configuration (the destination and template folders among it), the destination's name,
# the Python that runs the tasks, copier's helper functions (made anew for each render) and the
# snapshot answer itself (a project's render sees the update's mark, or nothing on a first copy,
# where the replay sees the snapshot; the templates read the snapshot through `_copier_answers`):
# they differ between renders of the same generation, and no file template reads them. The
# generator's task arguments are set by the ContextHook from the same.
UNREAD_VARIABLES = frozenset(
    {
        "_copier_conf",
        "_folder_name",
        "_copier_python",
        "_external_data",
        "pathjoin",
        "now",
        "make_secret",
        "asyncapi_spec",
        "spec_source_resolved",
        "spec_source_layout",
    }
)
# Where the template's files are, in its repository (copier.yml's `_subdirectory`), and the files
# beside it that shape rendering.
TEMPLATE_FOLDER = "template"
TEMPLATE_SETTINGS = ("copier.yml", "copier.yaml")
# What renders besides the generator: a new version of any may render differently.
_RENDERING_LIBRARIES = ("copier", "jinja2", "copier-template-extensions", "jinja2-ansible-filters", "pyyaml")

# One update's files: a big spec renders a few dozen file templates.
_RENDERED = ProcessStore(
    "_asyncapi_ws_codegen_rendered_files", 256, "Rendered file templates shared by template clones."
)
# Texts on disk: a few dozen per generation, the most recently used kept.
KEPT_ON_DISK = 512
_SUFFIX = ".text"
# Longer texts (the spec snapshot answer) are keyed by a digest, made once per text object.
_DIGEST_FROM = 4096
_text_digests: dict[int, tuple[str, str]] = {}
# The models the ContextHook named: id -> (model, name, replayed).
_named_models: dict[int, tuple[object, str, bool]] = {}


class _NotKeptError(Exception):
    """A variable whose value cannot be part of a key."""


class RenderKey(NamedTuple):
    """What one render of a file template depends on."""

    key: tuple[Any, ...]
    alive: list[Any]  # objects the key names by identity, held so that their ids are not reused
    stable: bool  # the key means the same in another process (no identities in it)
    replayed: bool  # the model is the replay of a snapshot: its texts may be read from disk


def name_model(model: object, name: str, *, replayed: bool) -> None:
    """Name ``model`` in keys by ``name`` (a digest of what it is built from), not by identity."""
    _named_models[id(model)] = (model, name, replayed)
    while len(_named_models) > 16:
        del _named_models[next(iter(_named_models))]


class _KeyParts:
    """The state of making one key: objects kept alive, whether the key holds an identity."""

    def __init__(self) -> None:
        self.alive: list[Any] = []
        self.stable = True
        self.replayed = False

    def of(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, float)):
            return (type(value).__name__, value)
        if isinstance(value, str):
            return _text_key(value) if len(value) >= _DIGEST_FROM else value
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, *(self.of(item) for item in value))
        if isinstance(value, dict):
            return ("dict", *((key, self.of(item)) for key, item in value.items()))
        named = _named_models.get(id(value))
        if named is not None and named[0] is value:
            self.replayed = self.replayed or named[2]
            return ("model", named[1])
        module = str(getattr(value, "__module__", ""))
        if (isinstance(value, type) or callable(value)) and module.split(".")[0] in ("builtins", "jinja2"):
            # Jinja's default globals (range, dict, cycler...): module-level functions and classes.
            return ("global", module, getattr(value, "__qualname__", ""))
        if type(value).__module__.startswith("asyncapi_ws_codegen"):
            self.alive.append(value)
            self.stable = False
            return ("object", id(value))
        raise _NotKeptError(type(value).__qualname__)


def _text_key(text: str) -> tuple[str, str]:
    cached = _text_digests.get(id(text))
    if cached is None or cached[0] is not text:
        cached = (text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        _text_digests[id(text)] = cached
        if len(_text_digests) > 64:
            del _text_digests[next(iter(_text_digests))]
    return ("text", cached[1])


def _library_versions() -> tuple[str, ...]:
    versions = [sys.version]
    for name in _RENDERING_LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return tuple(versions)


def _sources_digest(environment: Environment) -> str | None:
    """Digest of what renders besides the variables: template files, settings, code, versions."""
    cached = getattr(environment, "_asyncapi_ws_sources_digest", None)
    if cached is not None:
        return str(cached)
    roots = [Path(root) for root in getattr(environment.loader, "searchpath", ())]
    if len(roots) != 1 or not (roots[0] / TEMPLATE_FOLDER).is_dir():
        return None
    root = roots[0]
    digest = hashlib.sha256(repr((CODE_DIGEST, _library_versions(), parsing_fingerprint(environment))).encode())
    settings = [root / name for name in TEMPLATE_SETTINGS if (root / name).is_file()]
    for path in [*settings, *sorted(_files(root / TEMPLATE_FOLDER))]:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    value = digest.hexdigest()
    environment._asyncapi_ws_sources_digest = value  # type: ignore[attr-defined]
    return value


def _files(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file():
            yield path


def render_key(template: Template, variables: Mapping[str, Any]) -> RenderKey | None:
    """The key of one render of a file template; ``None``: not kept."""
    if template.name is None:  # a string template (a path, a question's default): cheap, not kept
        return None
    sources = _sources_digest(template.environment)
    if sources is None:
        return None
    parts = _KeyParts()
    try:
        # By name: the order copier gathers variables in can differ between two renders (a variable's
        # value is what a template sees; a mapping inside one keeps its order, which output may follow).
        values = tuple((name, parts.of(variables[name])) for name in sorted(variables) if name not in UNREAD_VARIABLES)
    except _NotKeptError:
        return None
    return RenderKey((sources, template.name, values), parts.alive, parts.stable, parts.replayed)


def _disk_path(key: RenderKey) -> Path | None:
    folder = cache_folder()
    if folder is None or not key.stable:
        return None
    return folder / "rendered" / (hashlib.sha256(repr(key.key).encode()).hexdigest() + _SUFFIX)


def recall(key: RenderKey) -> str | None:
    """The text rendered earlier under ``key`` in this process, or for a replay, on disk; else ``None``."""
    entry = _RENDERED.get(key.key)
    if entry is not None:
        return str(entry[0])
    path = _disk_path(key) if key.replayed else None
    if path is None:
        return None
    try:
        text = zlib.decompress(path.read_bytes()).decode("utf-8", "surrogatepass")
        path.touch()  # recently used: kept the longest
    except (OSError, zlib.error, UnicodeDecodeError):
        return None
    _RENDERED.put(key.key, (text, key.alive))
    return text


def remember(key: RenderKey, text: str) -> None:
    """Keep ``text`` under ``key``: in memory, and on disk when another process can use it."""
    _RENDERED.put(key.key, (text, key.alive))
    path = _disk_path(key)
    if path is None or key.replayed or path.exists():
        return
    if write_whole(path, zlib.compress(text.encode("utf-8", "surrogatepass"), 1)):
        _forget_the_oldest(path.parent)


def _forget_the_oldest(folder: Path) -> None:
    try:
        texts = list(folder.glob("*" + _SUFFIX))
        if len(texts) <= KEPT_ON_DISK:
            return
        texts.sort(key=lambda path: path.stat().st_mtime_ns)
        for path in texts[:-KEPT_ON_DISK]:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def keep_rendered_files(environment: Environment) -> None:
    """Make ``environment``'s file templates reuse the text of an identical earlier render."""
    base: type[Template] = environment.template_class

    class KeptTemplate(base):  # type: ignore[valid-type,misc]
        def render(self, *args: Any, **kwargs: Any) -> str:
            if self.environment.is_async:
                return super().render(*args, **kwargs)  # type: ignore[no-any-return]
            context = self.new_context(dict(*args, **kwargs))  # runs the ContextHook
            found = render_key(self, context.parent)
            if found is not None:
                kept = recall(found)
                if kept is not None:
                    return kept
            try:
                text: str = self.environment.concat(self.root_render_func(context))
            except Exception:
                self.environment.handle_exception()
            if found is not None:
                remember(found, text)
            return text

    environment.template_class = KeptTemplate
