"""What the ContextHook does: pick the spec, build the model once, expose it to the templates.

Which spec a render uses (see docs/updating.md for why):

1. the live file at ``<dst_path>/<spec_path>`` when it exists (the project, on copy and update);
2. else the snapshot stored in the answers (``asyncapi_spec``): copier's replay of the last
   generation, which sees nothing of the project but its answers; in the replay of the new template
   version the answer is the update's mark instead, and the document is the one the project's
   render read (copier/update_migration.py);
3. else, only when there is no snapshot yet (the first copy), ``spec_source``.

A first copy into a folder that already has a document at ``spec_path`` uses that document and
never replaces it; an explicit, different ``spec_source`` is refused.

The spec that was used is written back into ``_copier_answers`` so the answers file always records
the spec that produced the files beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..errors import Location, SpecError
from ..ir import Api
from ..load.answers_snapshot import is_update_mark, snapshot_document, snapshot_text
from ..load.bundler import load_spec
from ..load.file_or_url import no_such_file
from ..load.spec_path_rules import inside_project
from ..load.spec_source import BUNDLED_EXAMPLE, resolve_source
from ..normalise.api_builder import Options, build_api
from . import clone_memo
from .model_records import keep_model, model_name, replayed_model
from .render_memo import name_model
from .update_migration import restore_answers

# The hook runs for every Jinja context copier creates, about three per rendered file, so the spec
# is parsed and the model built once, not each time. Parsed files and models are shared by the
# template clones of one copier process (see clone_memo.py); the identity caches below spare the hook
# even the look-up there.
# Models by the identity of the document object (the snapshot answer or a cached file), which
# the entry keeps alive so that the id cannot be reused. A handful is enough for one render.
_api_cache: dict[tuple[int, str], tuple[dict[str, Any], Api, str]] = {}
_IDENTITY_CACHE_SIZE = 8
# Snapshot texts recorded in the answers, by the identity of the document they were made from.
_text_cache: dict[int, tuple[dict[str, Any], str]] = {}
# Downloaded documents (first copy from a URL), so that the URL is fetched once per render.
_url_cache: dict[str, dict[str, Any]] = {}
_busy: list[bool] = []
# Update marks whose answers file was put back after the project's render refused the spec.
_restored: set[str] = set()


def _stamps(files: tuple[str, ...]) -> tuple[tuple[str, int, int], ...] | None:
    """(path, mtime, size) of each local file of a document; ``None`` when one is gone."""
    stamps = []
    for name in files:
        if "://" in name:  # a referenced URL cannot be checked cheaply: treat it as unchanged
            continue
        try:
            stat = Path(name).stat()
        except OSError:
            return None
        stamps.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def load_cached(path: Path) -> dict[str, Any]:
    """Load and bundle a spec file, memoized while none of its files changes.

    Valid while every file of the document keeps its (mtime, size): a multi-file spec is re-read
    when a referenced file changes, not only the entry file.
    """
    key = str(path)
    cached = clone_memo.recall("file", key)
    if cached is not None and _stamps(tuple(name for name, _, _ in cached[0])) == cached[0]:
        return cached[1]  # type: ignore[no-any-return]
    loaded = load_spec(key)
    # Stamped after reading (only then are the referenced files known); nothing edits the spec
    # during a render, the stamps catch edits between two renders in one process.
    stamps = _stamps(loaded.files) or ()
    return clone_memo.remember((stamps, loaded.document, loaded.files), "file", key)[1]  # type: ignore[no-any-return]


def read_as_one_file(source: str) -> bool:
    """Whether this render read ``spec_source`` as one local file with no reference to another.

    Tells the copy task that the document can be copied byte for byte without reading it again
    (for a large document, reading is most of that process's time).
    """
    resolved = resolve_source(source)
    if "://" in resolved:
        return False
    key = str(Path(resolved).resolve())
    cached = clone_memo.recall("file", key)
    return cached is not None and cached[2] == (key,)


def _bounded(cache: dict[Any, Any]) -> None:
    while len(cache) > _IDENTITY_CACHE_SIZE:
        del cache[next(iter(cache))]


def model_for(document: dict[str, Any], origin: str, perspective: str, replay: bool = False) -> Api:
    """Build the model once per document content (the live file and its snapshot share one).

    ``replay``: the document is the snapshot of the last generation, whose render recorded its
    model and its files on disk (model_records.py, render_memo.py); every other render records
    the model it builds.
    """
    key = (id(document), perspective)
    cached = _api_cache.get(key)
    if cached is None or cached[0] is not document:
        text = recorded_text(document)
        api = clone_memo.recall("model", perspective, text)
        if api is None:
            api = replayed_model(text, perspective) if replay else None
            if not isinstance(api, Api):
                api = build_api(document, origin, Options(perspective=perspective))
                if not replay:
                    keep_model(text, perspective, api)
            api = clone_memo.remember(api, "model", perspective, text)
        cached = (document, api, model_name(text, perspective))
        _api_cache[key] = cached
        _bounded(_api_cache)
    # Named on every use: whether this render is a replay decides where its files may come from.
    name_model(cached[1], cached[2], replayed=replay)
    return cached[1]


def snapshot_cached(value: object) -> dict[str, Any]:
    """The snapshot answer as a document, decoded once when it arrives as text."""
    if not isinstance(value, str):
        return snapshot_document(value)
    document = clone_memo.recall("snapshot", value)
    if document is None:
        document = clone_memo.remember(snapshot_document(value), "snapshot", value)
        # The text is what the document came from: the same text, not made again, names it.
        _text_cache[id(document)] = (document, value)
        _bounded(_text_cache)
    return document  # type: ignore[no-any-return]


def recorded_text(document: dict[str, Any]) -> str:
    """The snapshot text of a document, made once per document object."""
    cached = _text_cache.get(id(document))
    if cached is None or cached[0] is not document:
        cached = (document, snapshot_text(document))
        _text_cache[id(document)] = cached
        _bounded(_text_cache)
    return cached[1]


class Picked(NamedTuple):
    """The spec a render uses."""

    document: dict[str, Any]
    origin: str  # its name in messages
    replay: bool  # the snapshot of the last generation


def pick_spec(context: dict[str, Any]) -> Picked | None:
    """The spec for this render; ``None`` before it is known."""
    spec_path = context.get("spec_path")
    conf = context["_copier_conf"]
    answer = context.get("asyncapi_spec")
    mark = answer if is_update_mark(answer) else None
    snapshot = {} if mark else snapshot_cached(answer)
    first_copy = not snapshot and mark is None
    source = context.get("spec_source")
    if isinstance(spec_path, str) and spec_path:
        project = Path(str(conf["dst_path"])).absolute()
        live = project / spec_path
        if str(context.get("_copier_phase")) == "render":
            # Before the first file is written: a symlink leading out of the project, or a folder
            # at spec_path, would only be found by the copy task, beside a written project.
            inside_project(project, spec_path)
        if live.is_file():
            document = load_cached(live)
            if mark is not None:  # the project's render of an update: the new version's replay follows
                clone_memo.remember(document, "update", mark)
            # Checked while rendering files only: raised while copier asks its questions, the
            # message would come wrapped in a "validation error" traceback.
            if first_copy and isinstance(source, str) and str(context.get("_copier_phase")) == "render":
                _check_existing(live, spec_path, document, source)
            return Picked(document, spec_path, replay=False)
    if mark is not None:
        return Picked(_updated_document(mark, conf), str(spec_path or "asyncapi.yaml"), replay=False)
    if not first_copy:
        return Picked(snapshot, f"{spec_path or 'asyncapi.yaml'} (snapshot in .copier-answers.yml)", replay=True)
    if isinstance(source, str):
        return Picked(load_source(source), source, replay=False)
    return None


def _updated_document(mark: str, conf: Any) -> dict[str, Any]:
    """The document the project's render of this update read, for the replay of the new version."""
    document = clone_memo.recall("update", mark)
    if document is None:
        answers_file = str(conf.get("answers_file") or ".copier-answers.yml")
        raise SpecError(
            Location(answers_file, pointer="/asyncapi_spec"),
            "the answers file holds the mark of an unfinished update, not the snapshot of the spec "
            "the project was generated from",
            f"put back the committed answers file (`git checkout HEAD -- {answers_file}`; if the mark was "
            "committed, take the file from the commit before) and run the update again",
        )
    return document  # type: ignore[no-any-return]


def _undo_mark(context: dict[str, Any]) -> str:
    """After the project's render of an update refused the spec: the answers file as it was.

    Returns what the user must do when the file could not be put back, else nothing.
    """
    answer = context.get("asyncapi_spec")
    conf = context["_copier_conf"]
    spec_path = context.get("spec_path")
    if not is_update_mark(answer) or not isinstance(spec_path, str) or not spec_path:
        return ""
    project = Path(str(conf["dst_path"])).absolute()
    if not (project / spec_path).is_file():  # a replay: the project is not this folder
        return ""
    answers_file = str(conf.get("answers_file") or ".copier-answers.yml")
    if answer in _restored or restore_answers(project, answers_file):
        _restored.add(str(answer))
        return ""
    return f"then put back the answers file the update marked (`git checkout -- {answers_file}`)"


def load_source(source: str) -> dict[str, Any]:
    """The document named by ``spec_source`` (first copy only), memoized."""
    resolved = resolve_source(source)
    if "://" in resolved:
        if resolved not in _url_cache:
            _url_cache[resolved] = load_spec(resolved).document
        return _url_cache[resolved]
    path = Path(resolved)
    if not path.is_file():
        raise no_such_file(source)
    return load_cached(path.resolve())


def _check_existing(live: Path, spec_path: str, document: dict[str, Any], source: str) -> None:
    """First copy into a folder that already has a document at ``spec_path``: never replace it.

    It is used as the project's spec (the copy task leaves it alone). With the default
    ``spec_source`` that is what the user wants; an explicit, different ``spec_source`` is a
    contradiction we refuse rather than pick one of the two silently.
    """
    if source in ("", BUNDLED_EXAMPLE):
        return
    resolved = resolve_source(source)
    if "://" not in resolved and Path(resolved).resolve() == live.resolve():
        return
    if load_source(source) != document:
        raise SpecError(
            Location(str(live)),
            f"the destination already has an AsyncAPI document at {spec_path}, different from {source}",
            f"to generate from the existing file, leave out spec_source (or pass spec_source={spec_path}); "
            f"to use {source}, move the existing file away first",
        )


class _Unreadable:
    """The model of a spec that could not be read: any use of it raises the spec's error."""

    def __init__(self, error: SpecError) -> None:
        self._error = error

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # Python's own protocol look-ups (hasattr, copy) find nothing
            raise AttributeError(name)
        raise self._error


def update_context(context: dict[str, Any]) -> None:
    """The ContextHook body: inject ``asyncapi`` and record the snapshot."""
    if _busy:  # rendering a lazy value re-enters the hook; the outer call does the work
        return
    _busy.append(True)
    try:
        source = context.get("spec_source")
        if isinstance(source, str):
            resolved = resolve_source(source)
            context["spec_source_resolved"] = resolved if "://" in resolved else str(Path(resolved).absolute())
            if str(context.get("_copier_phase")) == "tasks":  # only the copy task's command uses it
                context["spec_source_layout"] = "one-file" if read_as_one_file(source) else ""
        try:
            picked = pick_spec(context)
            if picked is None:
                return
            document, origin, replay = picked
            perspective = context.get("perspective")
            # Before the question is answered (the defaults of earlier questions), the default answer.
            api = model_for(document, origin, perspective if isinstance(perspective, str) else "auto", replay)
        except SpecError as exc:
            error = exc.shown_from(str(context["_copier_conf"]["dst_path"]))
            still_to_do = _undo_mark(context)
            if still_to_do:
                error = SpecError(error.location, error.problem, f"{error.hint}; {still_to_do}".lstrip("; "))
            if str(context.get("_copier_phase")) != "prompt":
                raise error from None
            # Copier renders each answer's validator with this hook too, and turns whatever a
            # validator raises into "Validation error for question ..." with a traceback. The
            # error waits, instead, for the first use of the model (a question's default), where
            # copier shows it as it is.
            context["asyncapi"] = _Unreadable(error)
            return
        context["asyncapi"] = api
        answers = context.get("_copier_answers")
        if isinstance(answers, dict) and "asyncapi_spec" in answers:
            answers["asyncapi_spec"] = recorded_text(document)
    finally:
        _busy.pop()
