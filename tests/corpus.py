"""The real-world corpus in ``../shared/specs/real`` and what this project does with each document.

Shared by the corpus test (every entry document generates a package that passes its checks) and the
differential test against the official AsyncAPI JSON Schemas.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import REAL_SPECS, SPECS

# Offline stand-ins for the URLs one corpus document references (see loader.REF_MAP_ENV).
REF_MAP = f"https://www.asyncapi.com/={REAL_SPECS / 'remote-ref-targets' / 'www.asyncapi.com'}/"

# Entry documents refused on purpose, with the reason docs/supported-asyncapi.md gives and a piece of
# the message the refusal must contain.
OUT_OF_SCOPE = {
    "v3__spec-adeo-kafka-request-reply.yml": "is written in Avro",
    "v2__protobuf-schema-parser-realworld-train-run.yaml": "is written in Protobuf",
}


def corpus_entries() -> list[str]:
    """The entry documents listed in INDEX.md (paths relative to REAL_SPECS)."""
    index = REAL_SPECS / "INDEX.md"
    if not index.is_file():
        return []
    return re.findall(r"^\| `([^`]+)`", index.read_text("utf-8"), flags=re.MULTILINE)


def invalid_fixtures() -> list[Path]:
    """This project's own refused documents."""
    return sorted(path for path in (SPECS / "invalid").iterdir() if path.is_file())
