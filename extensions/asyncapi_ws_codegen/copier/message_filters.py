"""The Jinja filters of copier.yml's messages and of the README's provenance line.

Installed on copier's environment beside the render filters (``render/filters.py``) by the
ContextHook's entry file; they read the world outside the spec (git, copier's answers), which the
render stage never does.
"""

from __future__ import annotations

from jinja2 import Environment

from .conflicts import unmerged_files
from .provenance import template_home


def install_message_filters(environment: Environment) -> None:
    """``unmerged_files`` (the update's closing message) and ``template_home`` (the README)."""
    environment.filters["unmerged_files"] = unmerged_files
    environment.filters["template_home"] = template_home
