"""The copy task's work: put the AsyncAPI document into a freshly copied project at ``spec_path``.

A single-file document is copied byte for byte. A multi-file document whose files all sit in the
entry file's folder (or below) is copied with its layout, so relative ``$ref``s keep working. Any
other document (files outside that folder, or URLs) is written bundled: one YAML file with every
external reference inlined.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..errors import SpecError
from ..load.answers_snapshot import YAML_LOADER, dump_yaml, snapshot_document
from ..load.file_or_url import is_url, read_source
from ..load.spec_path_rules import checked_spec_path, inside_project
from ..load.spec_source import resolve_source


def place(source: str, spec_path: str, answers_file: str = ".copier-answers.yml", layout: str = "") -> str:
    """Write the document into the project (the current folder); returns news for the user, or ``""``.

    A plain copy says nothing (it is what the closing message announces); a document kept, copied
    with its referenced files or written bundled is reported. ``layout`` is ``one-file`` when the
    render that ran just before read the source as one local file with no reference to another
    (``spec_source_layout``): it is then copied without being read again.
    """
    checked_spec_path(spec_path)
    project = Path.cwd()
    target = inside_project(project, spec_path)
    if target.exists():
        # Copying into a folder that already has its spec: the generation used that file.
        return f"kept the existing {spec_path} (the package was generated from it)"
    resolved = resolve_source(source)
    if is_url(resolved):
        # The package was generated from the document as downloaded then; a second download could
        # fail, hang or bring another document. The answers file beside it holds that very one.
        document = recorded_snapshot(project / answers_file)
        if document:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump_yaml(document), encoding="utf-8")
            return f"wrote {source} bundled (its external references inlined) to {spec_path}"
    if layout == "one-file" and not is_url(resolved):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_source(resolved))
        return ""
    from ..load.bundler import load_spec  # only now: the plain copy above needs none of the loader

    loaded = load_spec(resolved)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = loaded.files
    if len(files) == 1 and "://" not in files[0]:
        target.write_bytes(read_source(files[0]))
        return ""
    if "://" not in resolved and _copy_layout(Path(resolved).resolve(), files, target, loaded.document, project):
        return f"copied {source} and the {len(files) - 1} file(s) it references to {target.parent}"
    # The bundled form keeps the format that `spec_path` names: a .json file holds JSON.
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(loaded.document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        target.write_text(dump_yaml(loaded.document), encoding="utf-8")
    return f"wrote {source} bundled (its external references inlined) to {spec_path}"


def _copy_layout(entry: Path, files: tuple[str, ...], target: Path, document: dict[str, Any], project: Path) -> bool:
    """Copy a multi-file document keeping its layout, when that is possible and faithful.

    Possible: every file sits in the entry file's folder or below, and none would replace a file
    already in the project or be written outside it (through a symlinked folder). Faithful: the
    copy, loaded again, bundles to the same document (a file that refers back to the entry file by
    name would not, since the entry is renamed to ``spec_path``). Otherwise nothing is left behind
    and the caller writes the bundled form.
    """
    if any("://" in name or not Path(name).is_relative_to(entry.parent) for name in files):
        return False
    plan = {
        (target if Path(name) == entry else target.parent / Path(name).relative_to(entry.parent)): Path(name)
        for name in files
    }
    root = project.resolve()
    if any(destination.exists() or not destination.resolve().is_relative_to(root) for destination in plan):
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
        from ..load.bundler import load_spec

        if load_spec(str(target)).document == document:
            return True
    except SpecError:
        pass
    for destination in written:
        destination.unlink()
    for folder in reversed(created):  # deepest first
        folder.rmdir()
    return False


def recorded_snapshot(answers_file: Path) -> dict[str, Any]:
    """The document of the ``asyncapi_spec`` answer in ``answers_file``; empty when there is none."""
    try:
        answers = yaml.load(answers_file.read_text("utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return snapshot_document(answers.get("asyncapi_spec")) if isinstance(answers, dict) else {}
