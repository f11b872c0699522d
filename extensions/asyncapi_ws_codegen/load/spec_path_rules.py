"""Where the AsyncAPI document may live inside the project: the rules for the ``spec_path`` answer.

The copy task writes the document at ``spec_path`` and every render reads it back from there, so
the answer must name a YAML or JSON file of the project's own: not a folder (``src``, ``.``), not a
file or folder the template generates (``README.md``, ``src/...``, ``.github/...``, the answers
file), nothing inside ``.git``, and nothing outside the project (``..``, absolute paths, or a
symlink in the destination that leads out of it).

:func:`spec_path_problem` is copier.yml's validator (as a Jinja filter); :func:`inside_project` is
checked again where the document is written, since only then is the destination's content known.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, SpecError

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
# Top-level folders the template generates into: a document there would share them with generated
# files (``src/<package>/schemas.json`` is one) that every update rewrites.
_GENERATED_FOLDERS = ("src", ".github")
# The longest name most file systems accept for one part of a path, in bytes.
_MAX_NAME_BYTES = 255
_EXAMPLE = "such as asyncapi.yaml or spec/asyncapi.yaml"


def spec_path_problem(spec_path: object, answers_file: object = ".copier-answers.yml", snapshot: object = "") -> str:
    """Why ``spec_path`` cannot name the project's document; empty when it can.

    Once the project exists (``snapshot``, the ``asyncapi_spec`` answer of its last generation, is
    set) only the path's shape is checked, inside the project and out of ``.git``: a project
    generated before the other rules existed may keep its document at, say, ``spec/api``.
    """
    if not isinstance(spec_path, str) or not spec_path.strip():
        return f"Give the path of the document inside the project, {_EXAMPLE}."
    if spec_path != spec_path.strip():
        return "Remove the spaces around the path."
    if spec_path.startswith(("/", "~")) or "\\" in spec_path or ":" in spec_path:
        return f"Must be a relative path inside the project, {_EXAMPLE}."
    parts = spec_path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"Must be a plain relative path to a file (no '.', '..', '//' or trailing '/'), {_EXAMPLE}."
    folded = [part.casefold() for part in parts]
    if ".git" in folded:
        return f"Must not be inside .git (git's own files); choose a path {_EXAMPLE}."
    if snapshot:
        return ""
    if not folded[-1].endswith(SPEC_SUFFIXES):
        return f"Must name a YAML or JSON file (ending in .yaml, .yml or .json), {_EXAMPLE}."
    if folded[0] in _GENERATED_FOLDERS:
        return f"{parts[0]}/ holds generated files; keep the document outside it, {_EXAMPLE}."
    if spec_path.casefold() == str(answers_file).casefold():
        return f"{spec_path} is copier's answers file; choose another path, {_EXAMPLE}."
    if any(len(part.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES for part in parts):
        return f"A part of the path is longer than {_MAX_NAME_BYTES} bytes; choose a shorter path, {_EXAMPLE}."
    return ""


def inside_project(project: Path, spec_path: str) -> Path:
    """The file ``spec_path`` names in ``project``; refused when it is no file or would be elsewhere.

    An existing file is the user's document, which is only read. Otherwise the document will be
    written there, and a symlink on the way (``spec`` linking to a folder outside the project) or at
    the file itself (dangling) would make the write go through it: refused unless it resolves inside.
    """
    target = project / spec_path
    if target.is_file():  # the user's document, read and never written: it may be a symlink
        return target
    try:
        escapes = not target.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        escapes = True
    if escapes:
        raise SpecError(
            Location(str(target)),
            "spec_path leads outside the project through a symlink in the destination",
            "remove the symlink, or choose a spec_path that is a plain file inside the project",
        )
    if target.exists():
        raise SpecError(
            Location(str(target)),
            "spec_path names a folder (or something else that is not a file) in the destination",
            "choose a spec_path that names a file, such as asyncapi.yaml or spec/asyncapi.yaml",
        )
    return target


def checked_spec_path(spec_path: str) -> None:
    """Refuse a ``spec_path`` that breaks the rules of :func:`spec_path_problem`."""
    problem = spec_path_problem(spec_path)
    if problem:
        raise SpecError(Location(spec_path), f"spec_path {spec_path!r} cannot be used", problem)
