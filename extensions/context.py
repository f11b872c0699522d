"""Copier entry point of the generator (loaded by copier-template-extensions).

Copier loads this file as an isolated module, so it imports the real package beside it,
:mod:`asyncapi_ws_codegen`, under a name of its own (see :func:`_load_generator`) and hands over to
its ContextHook (``copier/context_hook.py``) and filters (``render/filters.py``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment


def _load_generator() -> str:
    """Import the generator package beside this file; returns the name it is imported under.

    Copier loads this file once per render of an update (the old version's replay, the project,
    the new version's replay), each time from a different clone of the template, and the clones
    may hold different versions of the generator. A plain ``import asyncapi_ws_codegen`` would
    reuse whichever version Python imported first (and its paths into a clone copier has already
    deleted), so each folder's copy is imported under a name of its own.
    """
    folder = Path(__file__).resolve().parent / "asyncapi_ws_codegen"
    name = "asyncapi_ws_codegen_" + hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the template
            raise ImportError(f"cannot load the generator from {folder}")
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        _share_errors(package, folder)
        spec.loader.exec_module(package)
    return name


def _share_errors(package: ModuleType, folder: Path) -> None:
    """Reuse an already imported ``asyncapi_ws_codegen.errors`` when it is the very same file.

    Code that runs copier in-process (a test suite, a tool) catches ``SpecError`` imported under the
    package's own name; a byte-identical errors module is shared so that those ``except`` clauses
    see the errors of a render. A different version is never shared.
    """
    canonical = sys.modules.get("asyncapi_ws_codegen.errors")
    origin = getattr(canonical, "__file__", None)
    if canonical is None or origin is None:
        return
    try:
        same = Path(origin).read_bytes() == (folder / "errors.py").read_bytes()
    except OSError:
        return
    if same:
        sys.modules[f"{package.__name__}.errors"] = canonical
        package.errors = canonical  # type: ignore[attr-defined]


_generator = _load_generator()
_hook = importlib.import_module(f"{_generator}.copier.context_hook")
install_filters = importlib.import_module(f"{_generator}.render.filters").install_filters
share_compiles = importlib.import_module(f"{_generator}.copier.compile_cache").share_compiles
install_message_filters = importlib.import_module(f"{_generator}.copier.message_filters").install_message_filters
remember_attribute_checks = importlib.import_module(f"{_generator}.copier.attribute_checks").remember_attribute_checks
keep_rendered_files = importlib.import_module(f"{_generator}.copier.render_memo").keep_rendered_files
update_context = _hook.update_context


class AsyncAPIContext(ContextHook):
    """Injects the AsyncAPI model as ``asyncapi``, registers the filters, shares compiled templates.

    Also lets the sandbox decide once per kind of attribute read on the model (``attribute_checks.py``).
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        install_filters(environment)
        # The update's closing message names conflicted files; the README links to the template.
        install_message_filters(environment)
        share_compiles(environment)
        remember_attribute_checks(environment)
        # An update renders the new version twice with the same inputs: the second time is a look-up.
        keep_rendered_files(environment)

    def hook(self, context: dict[str, Any]) -> None:
        update_context(context)
