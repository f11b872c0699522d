"""The Jinja filters the templates use: escaping (the only route for spec text into Python) and
the render stage's layout (lines, wrapping, aliases, import lists).

The ContextHook's entry file installs them on copier's Jinja environment.
"""

from __future__ import annotations

from jinja2 import Environment

from ..load.answers_snapshot import answers_yaml
from ..load.spec_path_rules import spec_path_problem
from ..pytext.escaping import py_comment, py_docstring, py_str, py_summary, toml_str
from ..pytext.identifiers import snake_case
from ..pytext.package_names import default_package_name, package_name_problem
from . import module_imports, payload_lines
from .channels_module import channels_module
from .connections_module import connections_module
from .layout import literal_lines, ruff_wraps, ruff_wraps_with_item
from .payloads_module import payloads_module, type_alias_line
from .sync_module import sync_module
from .test_names import connection_test_name, operation_test_name, parameters_test_name
from .type_layout import annotated_assignment, annotated_def, annotated_parameter, annotated_return

# The layout filters, each registered under its own name: line builders of payloads.py
# (``{{ field | encode_line(8) }}``), import lists (``{{ asyncapi | demo_modules | join(", ") }}``),
# the records of whole modules (``{% set module = asyncapi | channels_module %}``), wrapping.
_LAYOUT = (
    payload_lines.encode_guard_line,
    payload_lines.decode_guard_line,
    payload_lines.encode_line,
    payload_lines.decode_line,
    payload_lines.needs_local,
    payload_lines.local_line,
    payload_lines.class_line,
    payload_lines.schema_pointer_line,
    payload_lines.wrapper_encode_line,
    payload_lines.wrapper_decode_line,
    payload_lines.extra_encode_line,
    payload_lines.extra_decode_line,
    payload_lines.message_alias_line,
    payload_lines.decoder_def_line,
    payload_lines.tag_line,
    payload_lines.match_line,
    payload_lines.return_line,
    type_alias_line,
    module_imports.parameter_parsers,
    module_imports.demo_modules,
    module_imports.header_payload_imports,
    payloads_module,
    channels_module,
    connections_module,
    sync_module,
    parameters_test_name,
    connection_test_name,
    operation_test_name,
    ruff_wraps,
    ruff_wraps_with_item,
    literal_lines,
    annotated_parameter,
    annotated_return,
    annotated_def,
    annotated_assignment,
)


def install_filters(environment: Environment) -> None:
    """Register the escaping filters, copier.yml's (``snake_case``, ``spec_path_problem``, package names),
    the layout filters."""
    environment.filters["py_str"] = py_str
    environment.filters["py_docstring"] = py_docstring
    environment.filters["py_summary"] = py_summary
    environment.filters["py_comment"] = py_comment
    environment.filters["toml_str"] = toml_str
    environment.filters["snake_case"] = snake_case
    environment.filters["answers_yaml"] = answers_yaml
    environment.filters["spec_path_problem"] = spec_path_problem  # copier.yml's validator
    environment.filters["default_package_name"] = default_package_name
    environment.filters["package_name_problem"] = package_name_problem
    for function in _LAYOUT:
        environment.filters[function.__name__] = function
