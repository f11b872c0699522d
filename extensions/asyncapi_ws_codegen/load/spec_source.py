"""Where the first copy's document comes from: the ``spec_source`` answer as a path or URL.

Kept apart from the ContextHook so that the copy task, a process of its own, imports only this and
the loader, not the model, the templates' filters and Jinja.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_EXAMPLE = "bundled-example"
# This file is <template>/extensions/asyncapi_ws_codegen/load/spec_source.py.
EXAMPLE_PATH = Path(__file__).resolve().parents[3] / "examples" / "user-service.asyncapi.yaml"


def resolve_source(source: str) -> str:
    """Map the ``spec_source`` answer to a path or URL."""
    if source in ("", BUNDLED_EXAMPLE):
        return str(EXAMPLE_PATH)
    # Only a leading ~ is expanded: a URL must reach the loader untouched.
    return str(Path(source).expanduser()) if source.startswith("~") else source
