"""The copy task's work: put the AsyncAPI document into a freshly copied project at ``spec_path``.

A single-file document is copied byte for byte. A multi-file document whose files all sit in the
entry file's folder (or below) is copied with its layout, so relative ``$ref``s keep working. Any
other document (files outside that folder, or URLs) is written bundled: one YAML file with every
external reference inlined.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..load.answers_snapshot import dump_yaml
from ..load.bundler import load_spec
from ..load.file_or_url import read_source
from ..load.spec_source import resolve_source


def place(source: str, spec_path: str) -> str:
    """Write the document into the project; returns what the user should know, or ``""``.

    A plain copy says nothing (it is what the closing message announces); a document kept, copied
    with its referenced files or written bundled is reported.
    """
    target = Path(spec_path)
    if target.exists():
        # Copying into a folder that already has its spec: the generation used that file.
        return f"kept the existing {spec_path} (the package was generated from it)"
    resolved = resolve_source(source)
    loaded = load_spec(resolved)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = loaded.files
    if len(files) == 1 and "://" not in files[0]:
        target.write_bytes(read_source(files[0]))
        return ""
    if "://" not in resolved and _copy_layout(Path(resolved).resolve(), files, target, loaded.document):
        return f"copied {source} and the {len(files) - 1} file(s) it references to {target.parent}"
    target.write_text(dump_yaml(loaded.document), encoding="utf-8")
    return f"wrote {source} bundled (its external references inlined) to {spec_path}"


def _copy_layout(entry: Path, files: tuple[str, ...], target: Path, document: dict[str, Any]) -> bool:
    """Copy a multi-file document keeping its layout, when that is possible and faithful.

    Possible: every file sits in the entry file's folder or below, and none would replace a file
    already in the project. Faithful: the copy, loaded again, bundles to the same document (a file
    that refers back to the entry file by name would not, since the entry is renamed to
    ``spec_path``). Otherwise nothing is left behind and the caller writes the bundled form.
    """
    if any("://" in name or not Path(name).is_relative_to(entry.parent) for name in files):
        return False
    plan = {
        (target if Path(name) == entry else target.parent / Path(name).relative_to(entry.parent)): Path(name)
        for name in files
    }
    if any(destination.exists() for destination in plan):
        return False
    written: list[Path] = []
    created: list[Path] = []
    try:
        for destination, origin in plan.items():
            missing = [d for d in (destination.parent, *destination.parent.parents) if not d.exists()]
            destination.parent.mkdir(parents=True, exist_ok=True)
            created.extend(reversed(missing))
            destination.write_bytes(origin.read_bytes())
            written.append(destination)
        if load_spec(str(target)).document == document:
            return True
    except SpecError:
        pass
    for destination in written:
        destination.unlink()
    for folder in reversed(created):  # deepest first
        folder.rmdir()
    return False
