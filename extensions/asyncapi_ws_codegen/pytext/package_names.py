"""Import names a generated package must not take, and the default that avoids them.

A package called ``test`` is shadowed by the standard library's ``test`` package (its own generated
tests then import the wrong one); one called ``websockets`` or ``jsonschema`` hides the library it
runs on. The standard library's names come from the running Python; the dependencies are those of
``template/pyproject.toml.jinja`` (runtime and ``test`` extra) and the packages they import.
"""

from __future__ import annotations

import sys

from .identifiers import snake_case

# Import names of the generated package's dependencies, direct and transitive.
_DEPENDENCIES = frozenset(
    {
        "anyio",
        "attr",
        "attrs",
        "fastapi",
        "fastjsonschema",
        "h11",
        "jsonschema",
        "jsonschema_rs",
        "jsonschema_specifications",
        "msgspec",
        "mypy",
        "pydantic",
        "pytest",
        "pytest_asyncio",
        "redis",
        "referencing",
        "rpds",
        "ruff",
        "starlette",
        "typing_extensions",
        "uvicorn",
        "websockets",
    }
)
# Python's own regression tests: importable, yet left out of ``sys.stdlib_module_names``.
_STDLIB_EXTRA = frozenset({"test"})
# Folders of a generated project that a package of the same name would be confused with.
_PROJECT_FOLDERS = frozenset({"src", "tests"})


def package_name_problem(name: str) -> str:
    """Why ``name`` cannot be the generated package's import name; ``""`` when it can."""
    stem = name.split(".")[0]
    if stem in sys.stdlib_module_names or stem in _STDLIB_EXTRA:
        why = "is a module of Python's standard library"
    elif stem in _DEPENDENCIES:
        why = "is a library the generated package depends on"
    elif stem in _PROJECT_FOLDERS:
        why = "is a folder of the generated project"
    else:
        return ""
    return f"`{stem}` {why}: `import {stem}` could find either. Choose another name, such as {stem}_api."


def default_package_name(title: str) -> str:
    """``info.title`` in snake_case (at most 40 characters), with ``_api`` when that name is taken."""
    name = snake_case(title, fallback="asyncapi_service", max_length=40)
    return f"{name.rstrip('_')}_api" if package_name_problem(name) else name
