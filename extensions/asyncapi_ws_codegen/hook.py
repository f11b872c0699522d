"""What the ContextHook does: pick the spec, build the model once, expose it to the templates.

Which spec a render uses (see docs/updating.md for why):

1. the live file at ``<dst_path>/<spec_path>`` when it exists (the project, on copy and update);
2. else the snapshot stored in the answers (``asyncapi_spec``): copier's replays of the old and the
   new template version, which see nothing of the project but its answers;
3. else, only when there is no snapshot yet (the first copy), ``spec_source``.

The spec that was used is written back into ``_copier_answers`` so the answers file always records
the spec that produced the files beside it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .errors import Location, SpecError
from .ir import Api
from .loader import load_spec
from .normalise import Options, build_api
from .naming import snake_case
from .textfilters import py_comment, py_docstring, py_str, py_summary

BUNDLED_EXAMPLE = "bundled-example"
_EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "examples" / "user-service.asyncapi.yaml"

# Caches live as long as this module, i.e. one copier worker (copier re-imports extensions per worker).
_file_cache: dict[tuple[str, int, int], dict[str, Any]] = {}
_api_cache: dict[tuple[int, str], tuple[dict[str, Any], Api]] = {}
_busy: list[bool] = []


def install_filters(environment: Environment) -> None:
    """Register the escaping filters, the only route for spec text into Python."""
    environment.filters["py_str"] = py_str
    environment.filters["py_docstring"] = py_docstring
    environment.filters["py_summary"] = py_summary
    environment.filters["py_comment"] = py_comment
    environment.filters["snake_case"] = snake_case


def resolve_source(source: str) -> str:
    """Map the ``spec_source`` answer to a path or URL."""
    if source in ("", BUNDLED_EXAMPLE):
        return str(_EXAMPLE_PATH)
    return os.path.expanduser(source)


def load_cached(path: Path) -> dict[str, Any]:
    """Load and bundle a spec file, memoized on (path, mtime, size)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _file_cache:
        _file_cache[key] = load_spec(str(path)).document
    return _file_cache[key]


def model_for(document: dict[str, Any], origin: str, perspective: str) -> Api:
    """Build the model once per document object."""
    key = (id(document), perspective)
    cached = _api_cache.get(key)
    if cached is None or cached[0] is not document:
        cached = (document, build_api(document, origin, Options(perspective=perspective)))
        _api_cache[key] = cached
    return cached[1]


def pick_spec(context: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The spec for this render and a name for it in messages; ``None`` before it is known."""
    spec_path = context.get("spec_path")
    conf = context["_copier_conf"]
    if isinstance(spec_path, str) and spec_path:
        live = Path(str(conf["dst_path"])).absolute() / spec_path
        if live.is_file():
            return load_cached(live), spec_path
    snapshot = context.get("asyncapi_spec")
    if isinstance(snapshot, dict) and snapshot:
        return snapshot, f"{spec_path or 'asyncapi.yaml'} (snapshot in .copier-answers.yml)"
    source = context.get("spec_source")
    if isinstance(source, str):
        resolved = resolve_source(source)
        if "://" in resolved:
            return load_spec(resolved).document, resolved
        path = Path(resolved)
        if not path.is_file():
            raise SpecError(
                Location(source),
                "no such file",
                "give the path of an AsyncAPI document (absolute, or relative to where you run copier)",
            )
        return load_cached(path.resolve()), source
    return None


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
        picked = pick_spec(context)
        if picked is None:
            return
        document, origin = picked
        perspective = context.get("perspective")
        api = model_for(document, origin, perspective if isinstance(perspective, str) else "client")
        context["asyncapi"] = api
        answers = context.get("_copier_answers")
        if isinstance(answers, dict) and "asyncapi_spec" in answers:
            answers["asyncapi_spec"] = document
    finally:
        _busy.pop()
