"""The Jinja filters the templates use: escaping (the only route for spec text into Python), naming.

The ContextHook's entry file installs them on copier's Jinja environment.
"""

from __future__ import annotations

from jinja2 import Environment

from ..load.answers_snapshot import answers_yaml
from ..pytext.escaping import py_comment, py_docstring, py_str, py_summary, toml_str
from ..pytext.identifiers import snake_case


def install_filters(environment: Environment) -> None:
    """Register the escaping filters, the only route for spec text into Python."""
    environment.filters["py_str"] = py_str
    environment.filters["py_docstring"] = py_docstring
    environment.filters["py_summary"] = py_summary
    environment.filters["py_comment"] = py_comment
    environment.filters["toml_str"] = toml_str
    environment.filters["snake_case"] = snake_case
    environment.filters["answers_yaml"] = answers_yaml
