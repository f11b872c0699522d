"""Copy task: put the AsyncAPI document into a freshly copied project at ``spec_path``.

Usage: ``place_spec.py SOURCE SPEC_PATH`` (run by copier with the project as working directory).

A single-file document is copied byte for byte. A multi-file document whose files all sit in the
entry file's folder (or below) is copied with its layout, so relative ``$ref``s keep working. Any
other document (files outside that folder, or URLs) is written bundled: one YAML file with every
external reference inlined.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asyncapi_ws_codegen.errors import SpecError  # noqa: E402
from asyncapi_ws_codegen.hook import resolve_source  # noqa: E402
from asyncapi_ws_codegen.loader import load_spec, read_source  # noqa: E402
from asyncapi_ws_codegen.snapshot import dump_yaml  # noqa: E402


def place(source: str, spec_path: str) -> str:
    """Write the document into the project; returns what was done, for the user."""
    resolved = resolve_source(source)
    loaded = load_spec(resolved)
    target = Path(spec_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = loaded.files
    if len(files) == 1 and "://" not in files[0]:
        target.write_bytes(read_source(files[0]))
        return f"copied {source} to {spec_path}"
    entry_dir = Path(files[0]).parent if "://" not in resolved else None
    entry = Path(resolved).resolve() if entry_dir is not None else None
    if entry is not None and all("://" not in f and Path(f).is_relative_to(entry.parent) for f in files):
        for name in files:
            relative = Path(name).relative_to(entry.parent)
            destination = target if Path(name) == entry else target.parent / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(Path(name).read_bytes())
        return f"copied {source} and the {len(files) - 1} file(s) it references to {target.parent or '.'}"
    target.write_text(dump_yaml(loaded.document), encoding="utf-8")
    return f"wrote {source} bundled (its external references inlined) to {spec_path}"


def main(argv: list[str]) -> int:
    """Entry point."""
    source, spec_path = argv[1], argv[2]
    try:
        print(place(source, spec_path))
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
