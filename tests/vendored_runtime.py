"""The template's vendored runtime (``template/src/{{ package_name }}/_runtime``), importable.

Every generated package carries these files unchanged, so the template's tests check and exercise
them once, here, rather than through each generated copy. The folder's path holds
``{{ package_name }}``, which is no Python name: the runtime is copied into a temporary host
package with a real name, as a generated package holds it, and imported from there.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from helpers import REPO_ROOT

RUNTIME_SOURCE = REPO_ROOT / "template" / "src" / "{{ package_name }}" / "_runtime"
# The generated package's static errors module, which re-exports the runtime's errors.
PUBLIC_ERRORS = RUNTIME_SOURCE.parent / "errors.py"
HOST_PACKAGE = "vendored_host"


def runtime_files(root: Path) -> dict[str, bytes]:
    """The runtime's files under ``root`` (a ``_runtime`` folder) by relative path; no bytecode."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def runtime_digest(root: Path) -> str:
    """One SHA-256 over the names and bytes of the runtime's files under ``root``."""
    digest = hashlib.sha256()
    for name, content in runtime_files(root).items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def copy_runtime(package_dir: Path) -> Path:
    """Put the template's runtime into ``package_dir/_runtime`` (replacing any); return it."""
    target = package_dir / "_runtime"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(RUNTIME_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def restore_runtime(project: Path) -> Path:
    """Put the template's runtime back into a project copied from a golden tree; return it.

    Golden trees leave ``src/<package>/_runtime/`` out (it is the template's folder, byte for byte).
    """
    (package,) = (path for path in (project / "src").iterdir() if (path / "__init__.py").is_file())
    copy_runtime(package)
    return project


def host_package(root: Path, name: str = HOST_PACKAGE) -> Path:
    """A minimal package ``name`` under ``root`` holding the runtime, as a generated one does.

    ``schemas.json`` is empty: the runtime's validation reads it from its host package. The
    package's ``errors`` module is the generated one, the public home of the runtime's errors.
    """
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Host of the vendored runtime under test."""\n', "utf-8")
    (package / "py.typed").write_text("", "utf-8")
    (package / "schemas.json").write_text("{}\n", "utf-8")
    shutil.copyfile(PUBLIC_ERRORS, package / "errors.py")
    copy_runtime(package)
    return package


@functools.cache
def import_runtime() -> ModuleType:
    """The template's runtime imported as ``vendored_host._runtime`` (once per process)."""
    root = Path(tempfile.mkdtemp(prefix="vendored-runtime-"))
    host_package(root)
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{HOST_PACKAGE}._runtime")


def runtime_module(name: str) -> ModuleType:
    """One module of the template's runtime (``"jsontext"``, ``"pointer"`` ...), imported."""
    import_runtime()
    return importlib.import_module(f"{HOST_PACKAGE}._runtime.{name}")
