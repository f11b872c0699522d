"""Describe the public API of an importable package as plain JSON data: names, kinds, signatures.

Run as ``python public_api.py PACKAGE`` with the package importable; prints the description. Used by
``tests/test_public_api.py`` in a subprocess, so that each generated package is imported fresh.

What counts as public: the package's own ``__init__`` and every submodule whose name does not start
with an underscore (``__main__`` is a command, not an import path); in each, ``__all__`` or else the
names the module defines itself without a leading underscore. Where a name is defined (a vendored
runtime module or the public one) is deliberately not recorded: moving code behind a public name
does not change the API.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import pkgutil
import sys
from types import ModuleType
from typing import Any


def signature_of(obj: Any) -> str:
    """``inspect.signature`` as text, or ``"?"`` where Python cannot tell (some builtins)."""
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "?"


def describe_member(value: Any) -> dict[str, Any]:
    """A class attribute: method (with signature), property, or the type of a plain value."""
    if isinstance(value, (classmethod, staticmethod)):
        return {"kind": type(value).__name__, "signature": signature_of(value.__func__)}
    if isinstance(value, property):
        return {"kind": "property"}
    if inspect.isfunction(value):
        return {"kind": "method", "signature": signature_of(value)}
    return {"kind": "value", "type": type(value).__name__}


def describe_class(cls: type) -> dict[str, Any]:
    """Bases and hierarchy by name, constructor signature, public members (inherited ones too)."""
    members: dict[str, Any] = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), None)
        if owner is None or owner.__module__ == "builtins":
            continue  # what Exception, object and the like provide is Python's, not the package's
        members[name] = describe_member(vars(owner)[name])
    described: dict[str, Any] = {
        "kind": "class",
        "mro": [klass.__name__ for klass in cls.__mro__[1:] if not klass.__name__.startswith("_")],
        "members": members,
    }
    if issubclass(cls, enum.Enum):
        described["enum"] = {member.name: repr(member.value) for member in cls}
    else:
        described["signature"] = signature_of(cls)
    return described


def describe(value: Any) -> dict[str, Any]:
    """One public name of a module."""
    if inspect.isclass(value):
        return describe_class(value)
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        kind = "async function" if inspect.iscoroutinefunction(value) else "function"
        return {"kind": kind, "signature": signature_of(value)}
    if isinstance(value, ModuleType):
        return {"kind": "module"}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return {"kind": "constant", "value": repr(value)}
    return {"kind": "value", "type": type(value).__name__}


def public_names(module: ModuleType) -> list[str]:
    """``__all__``, or the names the module itself defines without a leading underscore."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return sorted(declared)
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
    )


def describe_package(package_name: str) -> dict[str, Any]:
    """Every public module of the package with every public name in it."""
    package = importlib.import_module(package_name)
    modules = [package_name]
    modules += sorted(
        f"{package_name}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )
    api: dict[str, Any] = {}
    for name in modules:
        module = importlib.import_module(name)
        api[name.removeprefix(package_name) or "."] = {
            attribute: describe(getattr(module, attribute)) for attribute in public_names(module)
        }
    return api


if __name__ == "__main__":
    json.dump(describe_package(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
