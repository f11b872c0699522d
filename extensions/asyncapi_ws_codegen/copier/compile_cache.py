"""Jinja compiles shared by the template clones of one copier process.

Copier builds a new Jinja environment for every render (an update renders three clones of the
template: the old replay, the project, the new replay) and compiles every file template and every
path part again each time; compiling is about 40% of a small copy. The compiled code depends only
on the source, the template's name and what the environment's configuration does to parsing, so
it is kept here, keyed by exactly those, for the life of the process, and on disk between runs
(``compile_disk.py``). A hit is re-labelled with the asking clone's file name, so tracebacks name
the file that exists.
"""

from __future__ import annotations

from collections.abc import Callable
from types import CodeType
from typing import Any

from jinja2 import Environment

from .compile_disk import disk_compiles
from .process_store import ProcessStore

# The template has a few dozen sources; a big spec adds one path part per generated file name.
COMPILED = ProcessStore("_asyncapi_ws_codegen_compiled_templates", 4096, "Jinja code shared by template clones.")

Compile = Callable[..., Any]


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
    disk = disk_compiles()

    def compile_shared(
        source: Any, name: str | None = None, filename: str | None = None, raw: bool = False, defer_init: bool = False
    ) -> Any:
        if raw or not isinstance(source, str):  # a parsed tree or a request for Python text: not shared
            return original(source, name, filename, raw, defer_init)
        key = (parsing_fingerprint(environment), source, name, defer_init)
        code = COMPILED.get(key)
        if code is None:
            # Not compiled in this process yet: maybe by an earlier run (compile_disk.py).
            code = disk.load(key) if disk is not None else None
            if code is None:
                code = original(source, name, filename, raw, defer_init)
                if disk is not None:
                    disk.save(key, code)
            COMPILED.put(key, code)
        return _relabelled(code, filename or "<template>")

    environment.compile = compile_shared  # type: ignore[method-assign]
