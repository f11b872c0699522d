"""Every filter copier's Jinja environment needs: the render stage's, and copier's own."""

from __future__ import annotations

from jinja2 import Environment

from ..render.filters import install_filters
from .conflicts import unmerged_files
from .provenance import template_home


def install_all_filters(environment: Environment) -> None:
    """The render filters, plus the two that ask git or copier about the project being made."""
    install_filters(environment)
    # copier.yml's closing message of an update names the files left in conflict.
    environment.filters["unmerged_files"] = unmerged_files
    # The generated README links to where the template came from (copier records it).
    environment.filters["template_home"] = template_home
