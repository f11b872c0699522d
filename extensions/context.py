"""Copier entry point of the generator (loaded by copier-template-extensions).

Copier loads this file as an isolated module, so it only puts its own folder on ``sys.path`` and
hands over to the real package, :mod:`asyncapi_ws_codegen`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asyncapi_ws_codegen.hook import install_filters, update_context  # noqa: E402
from copier_template_extensions import ContextHook  # noqa: E402
from jinja2 import Environment  # noqa: E402


class AsyncAPIContext(ContextHook):
    """Injects the AsyncAPI model as ``asyncapi`` and registers the escaping filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        install_filters(environment)

    def hook(self, context: dict[str, Any]) -> None:
        update_context(context)
