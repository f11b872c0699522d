"""The spec snapshot kept in ``.copier-answers.yml`` (answer ``asyncapi_spec``).

The snapshot is the bundled document as JSON text, stored in the answers file as a YAML literal
block. Copier parses the answers file with PyYAML's pure-Python loader twice per update; a
document written as a YAML mapping costs that loader seconds per read for a large spec, a block of
text a fraction of that (the ``json`` question type then decodes it with the C JSON parser). The
text lists one channel, operation, message or schema a line, so the answers file's diff after an
update names what changed in the spec.

A document over ``COMPRESS_FROM`` characters of that text (a few hundred channels) is kept compressed
instead: copier reads the answers file with the pure-Python loader, about a third of a second per
megabyte, and a spec that large shows its changes in its own diff. bzip2, because it gives the same
bytes on every machine (zlib's output differs between zlib and zlib-ng builds), so the answers file
changes only when the spec does.
"""

from __future__ import annotations

import base64
import bz2
import json
from typing import Any

import yaml

HEADER = "# Written by copier: the answers and the spec snapshot of the last generation. Do not edit by hand.\n"

# What the update's migration writes as ``asyncapi_spec`` until the project's render replaces it
# with the new snapshot (copier/update_migration.py); a snapshot is JSON text, never starting so.
UPDATE_MARK = "update in progress "

COMPRESS_FROM = 256 * 1024
# The first line of a compressed snapshot; base64 lines follow. JSON text starts with "{".
COMPRESSED = "bzip2 base64\n"
_BASE64_LINE = 76

# libyaml's emitter and parser (PyYAML wheels ship them) give the same text and data as the pure-Python
# ones, 3 to 5 times faster: the answers file of a big spec is megabytes, written on every render.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# How deep the snapshot text puts one member a line: the top level, then each entry of its
# mappings (one channel, one operation a line), and one level more under `components`.
_LINE_DEPTH = {"components": 2}
_DEFAULT_LINE_DEPTH = 1


class _AnswersDumper(_Dumper):  # type: ignore[misc]
    """Writes multi-line text as a literal block, which copier's pure-Python loader reads fast."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_AnswersDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text keeping key order (spec order matters for a clean 3-way merge)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, indent=2, width=100)


def answers_yaml(data: Any) -> str:
    """The answers file body: answers in their order, the snapshot text as a literal block."""
    return yaml.dump(
        data, Dumper=_AnswersDumper, sort_keys=False, allow_unicode=True, indent=2, default_flow_style=False
    )


def snapshot_text(document: dict[str, Any]) -> str:
    """The document as the snapshot's text: its JSON text, compressed when that is long."""
    text = snapshot_json_text(document)
    if len(text) < COMPRESS_FROM:
        return text
    packed = base64.b64encode(bz2.compress(text.encode("ascii"), 9)).decode("ascii")
    return COMPRESSED + "\n".join(packed[i : i + _BASE64_LINE] for i in range(0, len(packed), _BASE64_LINE))


def snapshot_json_text(document: dict[str, Any]) -> str:
    """The document as JSON text: deterministic, ASCII, one entry a line.

    ASCII (``\\uXXXX`` escapes) keeps characters that YAML treats as line breaks (U+2028, U+0085)
    out of the literal block; no line ends in a space, so the block style always applies.
    """
    lines: list[str] = []
    _layout(document, 1, 0, "", lines)
    return "\n".join(lines)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _layout(value: Any, depth: int, indent: int, prefix: str, lines: list[str]) -> None:
    """Append ``value`` as lines; mappings above the line depth get one member a line."""
    pad = " " * indent
    if not isinstance(value, dict) or not value or depth < 1:
        lines.append(pad + prefix + _compact(value))
        return
    lines.append(pad + prefix + "{")
    last = len(value) - 1
    for index, (key, member) in enumerate(value.items()):
        child_depth = _LINE_DEPTH.get(key, _DEFAULT_LINE_DEPTH) if indent == 0 else depth - 1
        _layout(member, child_depth, indent + 1, _compact(key) + ":", lines)
        if index != last:
            lines[-1] += ","
    lines.append(pad + "}")


def is_update_mark(value: object) -> bool:
    """Whether an ``asyncapi_spec`` answer is the mark of an update in progress, not a snapshot."""
    return isinstance(value, str) and value.startswith(UPDATE_MARK)


def snapshot_document(value: object) -> dict[str, Any]:
    """The document of an ``asyncapi_spec`` answer: JSON text, or a mapping (older answers files)."""
    if is_update_mark(value):
        raise ValueError("the mark of an update in progress holds no document")
    if isinstance(value, str) and value.startswith(COMPRESSED):
        try:
            value = bz2.decompress(base64.b64decode(value[len(COMPRESSED) :])).decode("ascii")
        except (ValueError, OSError, EOFError) as exc:
            raise ValueError(f"the compressed spec snapshot is damaged ({exc})") from exc
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    return value if isinstance(value, dict) else {}
