"""The render stage on its own: ruff's wrapping rule, channels.py's aliases and imports, names,
and the filters the templates use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from asyncapi_ws_codegen.copier.message_filters import install_message_filters
from asyncapi_ws_codegen.ir import Api
from asyncapi_ws_codegen.normalise.api_builder import build_api
from asyncapi_ws_codegen.render.channels_module import channels_module
from asyncapi_ws_codegen.render.filters import install_filters
from asyncapi_ws_codegen.render.layout import LINE_LENGTH, ruff_wraps, ruff_wraps_with_item
from asyncapi_ws_codegen.render.module_imports import demo_modules
from asyncapi_ws_codegen.render.test_names import parameters_test_name
from jinja2 import Environment, nodes


@pytest.mark.parametrize(
    ("first_line", "head", "wraps"),
    [
        ('"short"', "X = ", False),
        # Too long on one line, fits one level in: wrapped.
        ("x" * 90, "LONG_NAME = ", True),
        # Too long even one level in: ruff leaves it (the caller marks it instead).
        ("x" * 97, "LONG_NAME = ", False),
        # The indentation of the statement counts for the value's own line.
        ("x" * 88, "        path = ", True),
        ("x" * 89, "        path = ", False),
        # The opening line itself would not fit: no wrapping.
        ("re.compile(", "_" + "N" * 88 + "_PATTERN = ", False),
        ("re.compile(", "_" + "N" * 78 + "_PATTERN = ", True),
    ],
)
def test_ruff_wraps_follows_ruff_format(first_line: str, head: str, wraps: bool) -> None:
    assert ruff_wraps(first_line, head) is wraps


def _ruff_changes(source: str) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", f"--line-length={LINE_LENGTH}", "--target-version=py311", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout != source


@pytest.mark.parametrize("inner", [40, 84, 85])
@pytest.mark.parametrize("overshoot", range(-3, 13))
def test_with_item_and_assignment_wrapping_agree_with_ruff_at_the_boundary(overshoot: int, inner: int) -> None:
    # Around the line length, ask ruff itself: a with item wraps whenever its first line is too
    # long; an assignment's value only when all of it then fits one level in (the argument line
    # is 96, 100 or 101 characters long wrapped).
    with_head, assignment_head = "        async with ", "        connection_1 = "
    call = "connections.connect_" + "c" * (LINE_LENGTH + overshoot - len(with_head + "connections.connect_("))
    call += "(\n            parameters=" + "p" * inner + "(),\n        )"
    with_statement = f"async def f() -> None:\n    if x:\n{with_head}{call} as conn:\n            pass\n"
    assignment = f"def f() -> None:\n    if x:\n{assignment_head}{call}\n"
    assert ruff_wraps_with_item(call.splitlines()[0], with_head) is _ruff_changes(with_statement)
    assert ruff_wraps(call, assignment_head) is _ruff_changes(assignment)


def _api(channels: dict[str, Any], operations: dict[str, Any], schemas: dict[str, Any] | None = None) -> Api:
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas or {}},
    }
    return build_api(document, "test.yaml")


def _message(name: str) -> dict[str, Any]:
    return {"payload": {"type": "object", "properties": {"kind": {"const": name}}}}


def test_long_parameter_classes_are_named_as_they_are() -> None:
    long_id = "a-channel-whose-identifier-is-rather-long"
    api = _api(
        {
            long_id: {"address": "x/{id}", "parameters": {"id": {}}, "messages": {"M": _message("m")}},
            "short": {"address": "y/{id}", "parameters": {"id": {}}, "messages": {"N": _message("n")}},
        },
        {
            "sendM": {"action": "send", "channel": {"$ref": f"#/channels/{long_id}"}},
            "sendN": {"action": "send", "channel": {"$ref": "#/channels/short"}},
        },
    )
    module = channels_module(api)
    long_class = "AChannelWhoseIdentifierIsRatherLongParameters"
    assert module.parameter_imports == (long_class, "ShortParameters")
    assert [t.parameters for t in module.operations] == [long_class, "ShortParameters"]
    assert module.isort_off
    assert demo_modules(api) == ("channels", "connections", "parameters", "payloads")


def test_operation_types_name_the_message_classes_themselves() -> None:
    long_name = "M" * 70
    api = _api(
        {
            "c": {"address": "c", "messages": {"A": _message("a"), "B": _message("b"), long_name: _message("l")}},
        },
        {
            "both": {
                "action": "receive",
                "channel": {"$ref": "#/channels/c"},
                "messages": [{"$ref": "#/channels/c/messages/A"}, {"$ref": "#/channels/c/messages/B"}],
            },
            "long": {
                "action": "receive",
                "channel": {"$ref": "#/channels/c"},
                "messages": [{"$ref": f"#/channels/c/messages/{long_name}"}],
            },
            "one": {
                "action": "receive",
                "channel": {"$ref": "#/channels/c"},
                "messages": [{"$ref": "#/channels/c/messages/A"}],
            },
        },
    )
    both, long, one = channels_module(api).operations
    assert (both.message, long.message, one.message) == ("A | B", long_name, "A")
    assert (one.parameters_or_none, one.reply_or_none) == ("None", "None")


def test_sibling_imports_are_listed_ignoring_case() -> None:
    api = _api(
        {"c": {"address": "c", "messages": {"beta": _message("b"), "Alpha": _message("a"), "alpha2": _message("c")}}},
        {"send": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
    )
    assert channels_module(api).payload_imports == ("Alpha", "Alpha2", "Beta")


def test_parameter_test_names_are_numbered_when_too_long() -> None:
    api = _api(
        {
            "room": {"address": "r/{id}", "parameters": {"id": {}}},
            "x" * 70: {"address": "x/{id}", "parameters": {"id": {}}},
        },
        {},
    )
    room, long = api.parameterised_channels
    assert parameters_test_name(room, 1) == "room_parameters"
    assert parameters_test_name(long, 2) == "channel_2_parameters"


def test_every_filter_the_templates_use_is_installed() -> None:
    # A filter missing from install_filters only shows when copier renders the file that uses it.
    root = Path(__file__).resolve().parents[2]
    # Copier's own environment adds Ansible's core filters (copier.yml uses regex_search).
    environment = Environment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])
    install_filters(environment)
    install_message_filters(environment)
    sources = [path.read_text("utf-8") for path in sorted((root / "template").rglob("*.jinja"))]
    sources.append((root / "copier.yml").read_text("utf-8"))
    used = {node.name for text in sources for node in environment.parse(text).find_all(nodes.Filter)}
    assert used, "no filters found"
    assert used <= set(environment.filters), sorted(used - set(environment.filters))
