"""Small documents at the edges of the spec: each generates a package that passes its own checks."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SPECS, check_package, generate, run


@pytest.mark.slow
def test_message_without_payload_carries_any_json(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "no-payload.yaml"))
    check_package(project)
    code = (
        "from heartbeat.payloads import Ping\n"
        "import json\n"
        "for value in ({'any': [1, 2]}, 'text', 3, None):\n"
        "    print(json.dumps(Ping.unmarshal(json.dumps(value)).to_json_data()))\n"
    )
    output = run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")})
    assert [json.loads(line) for line in output.splitlines()] == [{"any": [1, 2]}, "text", 3, None]


@pytest.mark.slow
def test_document_without_operations_generates_models_and_a_router(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "no-operations.yaml"))
    check_package(project)
    channels = (project / "src" / "models_only" / "channels.py").read_text("utf-8")
    assert "def publish_to_" not in channels
    assert '"Router",' in channels
    code = 'from models_only.payloads import Item\nprint(Item.unmarshal(\'{"title": "t"}\').title)\n'
    assert run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")}).strip() == "t"


def long_names_spec() -> str:
    """Channels whose generated constants straddle the lengths where ruff starts wrapping lines."""
    lines = ["asyncapi: 3.0.0", "info: {title: Long Names, version: 1.0.0}", "channels:"]
    operations = ["operations:"]
    for length in (60, 69, 70, 78, 79, 86, 87, 90, 96):
        channel = "c" * (length - 2) + f"{length:02d}"
        address = f"{channel[:40]}/{{id}}" if length % 2 else "a" * min(length + 10, 97)
        lines += [f"  {channel}:", f"    address: '{address}'", "    messages:", "      m:", "        payload:"]
        lines += ["          type: object", "          properties: {id: {type: string}}"]
        if "{id}" in address:
            lines += ["    parameters:", "      id: {}"]
        operations += [f"  send{length}:", "    action: send", f"    channel: {{$ref: '#/channels/{channel}'}}"]
        operations += [f"  receive{length}:", "    action: receive", f"    channel: {{$ref: '#/channels/{channel}'}}"]
    return "\n".join(lines + operations) + "\n"


@pytest.mark.slow
def test_long_channel_names_generate_code_formatted_as_ruff_would(template_v1: Path, tmp_path: Path) -> None:
    spec = tmp_path / "long-names.yaml"
    spec.write_text(long_names_spec(), "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    channels = (project / "src" / "long_names" / "channels.py").read_text("utf-8")
    assert "\n_" + "C" * 68 + "70_ADDRESS_PATTERN = (\n" in channels  # wrapped: the opening line fits
    assert "\n_" + "C" * 85 + "87_ADDRESS_PATTERN = re.compile(\n" in channels  # too long to wrap
    check_package(project)


def long_unions_spec() -> str:
    """One channel whose operations send, receive and reply with several messages of long names."""
    names = [f"{word}{'Payload' * 6}" for word in ("Alpha", "Bravo", "Charlie", "Delta", "Echo")]
    lines = ["asyncapi: 3.0.0", "info: {title: Long Unions, version: 1.0.0}", "channels:"]
    lines += ["  " + "room" * 12 + ":", "    address: 'rooms/{roomId}'", "    parameters: {roomId: {}}"]
    lines += ["    messages:"]
    for index, name in enumerate(names):
        lines += [f"      {name}:", "        payload:", "          type: object", "          required: [kind]"]
        lines += [f"          properties: {{kind: {{const: k{index}}}, id: {{type: string}}}}"]
    ref = "#/channels/" + "room" * 12
    lines += ["operations:"]
    lines += ["  ask:", "    action: send", f"    channel: {{$ref: '{ref}'}}", "    messages:"]
    lines += [f"      - $ref: '{ref}/messages/{name}'" for name in names[:3]]
    lines += ["    reply:", "      messages:"]
    lines += [f"      - $ref: '{ref}/messages/{name}'" for name in names[3:]]
    lines += ["  listen:", "    action: receive", f"    channel: {{$ref: '{ref}'}}", "    messages:"]
    lines += [f"      - $ref: '{ref}/messages/{name}'" for name in names[3:]]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_signatures_name_the_message_classes_however_long(template_v1: Path, tmp_path: Path) -> None:
    """No private alias stands for a message type in a public signature: ``help()`` shows the classes."""
    spec = tmp_path / "long-unions.yaml"
    spec.write_text(long_unions_spec(), "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    check_package(project)  # ruff format included: the long unions are laid out as ruff would
    code = (
        "import inspect\n"
        "from long_unions import channels, connections, sync\n"
        "for module in (channels, connections, sync):\n"
        "    for name in module.__all__:\n"
        "        item = getattr(module, name)\n"
        "        members = vars(item).items() if inspect.isclass(item) else [(name, item)]\n"
        "        for member, function in members:\n"
        "            public = not member.startswith('_') or member in ('__aiter__', '__iter__')\n"
        "            if inspect.isfunction(function) and public:\n"
        "                print(module.__name__, function.__qualname__, inspect.signature(function))\n"
    )
    output = run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")})
    assert not re.findall(r"\b_[A-Za-z]+[0-9]+\b", output), output
    alpha, bravo, charlie, delta, echo = (
        f"{word}{'Payload' * 6}" for word in ("Alpha", "Bravo", "Charlie", "Delta", "Echo")
    )
    signatures = {" ".join(line.split()[:2]): line for line in output.splitlines()}
    assert f"message: '{alpha} | {bravo} | {charlie}'" in signatures["long_unions.channels publish_to_ask"]
    assert signatures["long_unions.channels request_ask"].endswith(f"-> '{delta} | {echo}'")
    assert f"Subscription[{delta} | {echo}, " in signatures["long_unions.channels subscribe_to_listen"]
    assert f"MessageCallback[{alpha} | {bravo} | {charlie}, " in signatures["long_unions.channels register_ask"]
    assert f"AsyncIterator[payloads.{delta} | payloads.{echo}]" in output
    assert f"-> 'payloads.{delta} | payloads.{echo}'" in signatures["long_unions.sync request_ask"]


LONG_OPERATION = "sendTheMessageThatSomeoneSaidSomethingInTheRoomToEveryoneElseWhoIsListeningThereRightNow"


@pytest.mark.slow
def test_an_operation_name_of_any_length_gives_tests_that_format_clean(template_v1: Path, tmp_path: Path) -> None:
    # The generated tests name their helpers and tests after the operation (`url_<op>`, `test_<op>_...`):
    # a name too long for those lines is replaced by the operation's number there, nowhere else.
    spec = tmp_path / "long-operation.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\n"
        "info: {title: Long Operation, version: 1.0.0}\n"
        "channels:\n"
        "  room:\n"
        "    address: rooms/{roomId}\n"
        "    parameters: {roomId: {}}\n"
        "    messages:\n"
        "      said: {payload: {type: object, properties: {text: {type: string}}, examples: [{text: hi}]}}\n"
        "operations:\n"
        f"  {LONG_OPERATION}: &op\n"
        "    action: send\n"
        "    channel: {$ref: '#/channels/room'}\n"
        "    messages: [{$ref: '#/channels/room/messages/said'}]\n"
        "  shout: *op\n",
        "utf-8",
    )
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    check_package(project)  # ruff format --check included, and the tests pass
    tests = (project / "tests" / "test_channels.py").read_text("utf-8")
    long_name = re.sub(r"(?<!^)(?=[A-Z])", "_", LONG_OPERATION).lower()
    assert "def test_operation_1_over_a_socket(" in tests and "def url_operation_1(port: int)" in tests
    assert "def test_shout_over_a_socket(" in tests and "def url_shout(port: int)" in tests
    assert f"channels.publish_to_{long_name}(" in tests  # the package's functions keep the name
    assert f"def test_{long_name}" not in tests


@pytest.mark.slow
def test_a_query_class_never_takes_a_payload_class_name(template_v1: Path, tmp_path: Path) -> None:
    # `channels` imports payload and query classes side by side: the same name twice would shadow one.
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "query-name-clash.yaml"))
    check_package(project)
    code = (
        "from query_clash import payloads, servers\n"
        "print(payloads.RoomQuery(text='t').marshal())\n"
        "print(sorted(name for name in servers.__all__ if name.startswith('RoomQuery')))\n"
    )
    output = run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")}).splitlines()
    assert output == ['{"text":"t"}', "['RoomQuery_2']"]


@pytest.fixture(scope="module")
def naming_project(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/specs/naming-edges.yaml generated with default answers."""
    return generate(
        template_v1, tmp_path_factory.mktemp("naming") / "svc", spec_source=str(SPECS / "naming-edges.yaml")
    )


@pytest.mark.slow
def test_names_python_reads_otherwise_get_names_of_their_own(naming_project: Path) -> None:
    """Title `Test` (the standard library's `test`), properties `l`, `O`, `I` (ruff E741)."""
    project = naming_project
    assert (project / "src" / "test_api").is_dir()  # `test` would import Python's own test package
    check_package(project)  # ruff included: no E741/E742
    code = (
        "from test_api.payloads import I_\n"
        'msg = I_.unmarshal(\'{"l": 1.5, "O": 2, "I": "O"}\')\n'
        "print(msg.l_, msg.o, msg.i, msg.marshal())\n"
    )
    output = run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")})
    assert output.strip() == '1.5 2 O {"l":1.5,"O":2,"I":"O"}'


@pytest.mark.slow
def test_enum_channel_parameters_are_literal_types(naming_project: Path, tmp_path: Path) -> None:
    parameters = (naming_project / "src" / "test_api" / "parameters.py").read_text("utf-8")
    assert '    interval: Literal["1m", "5m"]\n' in parameters
    use = tmp_path / "use.py"
    use.write_text(
        "from test_api.parameters import CandlesParameters\n"
        'CandlesParameters(interval="5m")\n'
        'CandlesParameters(interval="2h")\n',
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(use)],
        cwd=naming_project,
        env={**os.environ, "MYPYPATH": str(naming_project / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    # The type checker, not only the run-time check, refuses a value the enum does not list.
    assert result.returncode == 1, result.stdout
    assert "use.py:3:" in result.stdout and "Literal['1m', '5m']" in result.stdout, result.stdout
    assert "use.py:2:" not in result.stdout


@pytest.mark.slow
def test_an_address_starting_with_a_slash_gives_one_slash_in_urls(naming_project: Path) -> None:
    project = naming_project
    output = run([sys.executable, "-m", "test_api", "demo"], project, env={"PYTHONPATH": str(project / "src")})
    connects = [line for line in output.splitlines() if line.startswith("client connects to ")]
    assert connects and all(
        re.fullmatch(r"client connects to ws://127\.0\.0\.1:\d+/v1/candles/1m", c) for c in connects
    )
    # The README's example leaves the joining to the package (no `{port}/{path}` of its own).
    readme = (project / "README.md").read_text("utf-8")
    assert 'url=f"ws://127.0.0.1:{port}"' in readme and "{port}/{path}" not in readme


def test_a_package_name_that_hides_a_library_is_refused_saying_why(template_v1: Path, tmp_path: Path) -> None:
    for name, why in (("websockets", "depends on"), ("test", "standard library"), ("json", "standard library")):
        with pytest.raises(ValueError, match=f"`{name}` .*{why}.*such as {name}_api"):
            generate(template_v1, tmp_path / name, package_name=name)
        assert not (tmp_path / name).exists()


# The functions generated per operation (the connection layer's ``connect_*`` are not among them).
_OPERATION_FUNCTIONS = ("publish_to_", "subscribe_to_", "request_", "register_", "broadcast_to_")


@pytest.mark.slow
@pytest.mark.parametrize("case", ["user-service", "chat-2.6"])
def test_every_docstring_example_of_the_functions_is_run_by_the_package_tests(
    golden_projects: dict[str, Path], case: str
) -> None:
    """No example is skipped, and the generated tests run each one (they pass: test_golden.py)."""
    project = golden_projects[case]
    package = next((project / "src").iterdir())
    tests = (project / "tests" / "test_channels.py").read_text("utf-8")
    for module in ("channels", "sync"):
        tree = ast.parse((package / f"{module}.py").read_text("utf-8"))
        for node in tree.body:
            doc = ast.get_docstring(node) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None
            if doc is None or "Example:" not in doc or not node.name.startswith(_OPERATION_FUNCTIONS):
                continue
            assert "doctest: +SKIP" not in doc, f"{module}.{node.name}"
            runner = "run_example" if module == "channels" else "run_blocking_example"
            assert f"{runner}(\n" in tests and f"    {module}.{node.name},\n" in tests, f"{module}.{node.name}"
