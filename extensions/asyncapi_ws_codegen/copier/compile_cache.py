"""Jinja compiles shared by the template clones of one copier process.

Copier builds a new Jinja environment for every render (an update renders three clones of the
template: the old replay, the project, the new replay) and compiles every file template and every
path part again each time; compiling is about 40% of a small copy. The compiled code depends only
on the source, the template's name and what the environment's configuration does to parsing, so
it is kept here, keyed by exactly those, for the life of the process. A hit is re-labelled with the
asking clone's file name, so tracebacks name the file that exists.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable
from types import CodeType, ModuleType
from typing import Any

from jinja2 import Environment

# Not the name of any importable module: a plain namespace that outlives the clones' imports.
_STORE_MODULE = "_asyncapi_ws_codegen_compiled_templates"
# The template has a few dozen sources; a big spec adds one path part per generated file name.
_STORE_SIZE = 4096

Compile = Callable[..., Any]


def shared_entries() -> OrderedDict[tuple[object, ...], CodeType]:
    """The process-wide store: (parsing fingerprint, source, name, defer_init) -> code."""
    module = sys.modules.get(_STORE_MODULE)
    if module is None:
        module = ModuleType(_STORE_MODULE, "Jinja code objects shared by template clones.")
        module.__dict__["entries"] = OrderedDict()
        sys.modules[_STORE_MODULE] = module
    entries: OrderedDict[tuple[object, ...], CodeType] = module.__dict__["entries"]
    return entries


def parsing_fingerprint(environment: Environment) -> tuple[object, ...]:
    """Everything of an environment that can change what a source compiles to."""
    return (
        type(environment).__module__,
        type(environment).__qualname__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        repr(environment.autoescape),
        environment.finalize is not None,
        environment.code_generator_class,
        # Extensions by name: copier's own come from the one installed copier; this template's are
        # context hooks, which change no parsing.
        tuple(sorted(f"{type(ext).__module__}.{type(ext).__qualname__}" for ext in environment.extensions.values())),
        # The compiler refuses unknown filters and tests, so a source compiles only where they exist.
        tuple(sorted(environment.filters)),
        tuple(sorted(environment.tests)),
    )


def _relabelled(code: CodeType, filename: str) -> CodeType:
    """``code`` and every code object nested in it, as compiled from ``filename``."""
    if code.co_filename == filename:
        return code
    constants = tuple(_relabelled(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=constants)


def share_compiles(environment: Environment) -> None:
    """Make ``environment`` reuse code compiled by an identically configured one in this process."""
    original: Compile = environment.compile

    def compile_shared(
        source: Any, name: str | None = None, filename: str | None = None, raw: bool = False, defer_init: bool = False
    ) -> Any:
        if raw or not isinstance(source, str):  # a parsed tree or a request for Python text: not shared
            return original(source, name, filename, raw, defer_init)
        entries = shared_entries()
        key = (parsing_fingerprint(environment), source, name, defer_init)
        code = entries.get(key)
        if code is None:
            code = original(source, name, filename, raw, defer_init)
            entries[key] = code
            while len(entries) > _STORE_SIZE:
                entries.popitem(last=False)
        else:
            entries.move_to_end(key)
        return _relabelled(code, filename or "<template>")

    environment.compile = compile_shared  # type: ignore[method-assign]
