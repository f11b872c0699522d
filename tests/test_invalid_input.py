"""Refused documents: every refusal names the file, the line and the JSON pointer, says what is
wrong and what to do, shows no traceback, and leaves nothing half-generated behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from corpus import invalid_fixtures
from helpers import REPO_ROOT, SPECS, generate

INVALID = SPECS / "invalid"

# fixture -> (line, JSON pointer, a piece of the problem). Line/pointer None: the file has none.
EXPECTED: dict[str, tuple[int | None, str, str]] = {
    "address-with-query.yaml": (7, "/channels/chat/address", "channel address '/chat?room=1' contains ?"),
    "address-with-query-2.6.yaml": (7, "/channels/~1chat?room=main", "contains ?; an address is a path"),
    "channel-unknown-server.yaml": (
        13,
        "/channels/chat/servers/0/$ref",
        "lists server '#/components/servers/staging', which is not a server of the top-level `servers`",
    ),
    "channel-unknown-server-2.6.yaml": (12, "/channels/chat/servers/0", "names server 'staging', which is not in"),
    "duplicate-message-id.yaml": (9, "/channels/chat/subscribe/message/messageId", "messageId 'said' is used by two"),
    "operation-foreign-message.yaml": (
        24,
        "/operations/say/messages/0/$ref",
        "message #/channels/news/messages/headline, which is not a message of its channel #/channels/chat",
    ),
    "operation-ref-2.6.yaml": (8, "/channels/chat/subscribe/$ref", "a 2.x `subscribe` operation cannot be a `$ref`"),
    "schema-cycle.yaml": (
        21,
        "/components/schemas/Employer/allOf/0/$ref",
        "applies itself to the same value without end: #/components/schemas/Worker -> "
        "#/components/schemas/Worker/oneOf/1 -> #/components/schemas/Employer",
    ),
    "server-undeclared-variable.yaml": (
        7,
        "/servers/production/host",
        "uses {region} in `host`, which is not declared",
    ),
    "server-without-host.yaml": (7, "/servers/production", "server 'production' has no `host`"),
    "avro-payload.yaml": (11, "/channels/prices/messages/priceChanged/payload/schemaFormat", "written in Avro"),
    "bad-action.yaml": (10, "/operations/say/action", "must be `send` or `receive`, found 'publish'"),
    "bad-properties.yaml": (
        12,
        "/channels/chat/subscribe/message/payload/properties",
        "`properties` must be a mapping",
    ),
    "bad-required.yaml": (11, "/channels/chat/publish/message/payload/required", "`required` must be a list"),
    "bad-schema-type.yaml": (
        14,
        "/channels/chat/messages/said/payload/properties/text/type",
        "unknown schema type 'strnig'",
    ),
    "dangling-ref.yaml": (10, "/channels/chat/messages/said/$ref", "did you mean 'Sayd'?"),
    "duplicate-key.yaml": (15, "", "duplicate key 'userId'"),
    "duplicate-operation-id.yaml": (14, "/channels/news/publish/operationId", "operationId 'chat' is used twice"),
    "empty.yaml": (None, "", "the file is empty"),
    "missing-file-ref.yaml": (10, "/channels/chat/messages/said/$ref", "messages.yaml: no such file"),
    "missing-info.yaml": (1, "", "no `info` mapping"),
    "missing-version.yaml": (1, "/asyncapi", "the `asyncapi` version field is missing"),
    "openapi.yaml": (1, "/openapi", "this is an OpenAPI document (`openapi: 3.1.0`); this template needs AsyncAPI"),
    "swagger.json": (2, "/swagger", "a Swagger (OpenAPI 2) document (`swagger: 2.0`); this template needs AsyncAPI"),
    "not-a-mapping.yaml": (1, "", "the document is a list, not a mapping"),
    "operation-missing-channel.yaml": (16, "/operations/say/channel/$ref", "#/channels/chatroom, which does not exist"),
    "operation-without-channel.yaml": (10, "/operations/say", "the operation has no `channel`"),
    "protobuf-payload.yaml": (10, "/channels/prices/subscribe/message/schemaFormat", "written in Protobuf"),
    "ref-cycle.yaml": (11, "/channels/chat/messages/said/payload/$ref", "chain never reaches a value"),
    "syntax-error.json": (4, "", "invalid JSON"),
    "syntax-error.yaml": (8, "", "invalid YAML"),
    "traits-not-a-list.yaml": (11, "/channels/chat/messages/said/traits", "`traits` must be a list"),
    "undeclared-placeholder.yaml": (7, "/channels/room/address", "uses {roomId}, which is not declared"),
    "unknown-version.yaml": (1, "/asyncapi", "AsyncAPI version '4.0.0' is not supported"),
    "version-not-a-string.yaml": (1, "/asyncapi", "quote it"),
}


def refusal(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        build_api(load_spec(str(path)).document, str(path))
    return caught.value


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in invalid_fixtures()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refusal_names_file_line_pointer_problem_and_remedy(name: str) -> None:
    line, pointer, problem = EXPECTED[name]
    error = refusal(INVALID / name)
    text = str(error)
    assert error.location.file.endswith(name)
    assert error.location.line == line
    assert error.location.pointer == pointer
    assert problem in text
    assert error.hint, "every refusal says what to do"
    where = f"{name}:{line}" if line is not None else name
    assert where in text
    assert "What to do:" in text


def test_copier_refuses_and_leaves_no_destination(template_v1: Path, tmp_path: Path) -> None:
    destination = tmp_path / "svc"
    with pytest.raises(SpecError) as caught:
        generate(template_v1, destination, spec_source=str(INVALID / "dangling-ref.yaml"))
    assert "did you mean 'Sayd'?" in str(caught.value)
    assert not destination.exists()


@pytest.mark.slow
def test_copier_cli_prints_the_message_without_traceback(template_v1: Path, tmp_path: Path) -> None:
    destination = tmp_path / "svc"
    result = subprocess.run(
        [
            sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet",
            "--data", f"spec_source={INVALID / 'undeclared-placeholder.yaml'}",
            str(template_v1), str(destination),
        ],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "undeclared-placeholder.yaml:7 at /channels/room/address" in output
    assert "What to do:" in output
    assert "Traceback" not in output
    assert not destination.exists()


def _load_in_subprocess(path: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Load a document in a child process with a memory cap, so a runaway input cannot hurt the run."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
        sys.path.insert(0, {str(REPO_ROOT / "extensions")!r})
        from asyncapi_ws_codegen.errors import SpecError
        from asyncapi_ws_codegen.load.bundler import load_spec
        try:
            load_spec({str(path)!r})
        except SpecError as exc:
            print("REFUSED", exc)
        else:
            print("LOADED")
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=os.environ.copy(),
    )


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = [
        "asyncapi: 3.0.0",
        "info: {title: laughs, version: '1'}",
        "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"x-{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", "utf-8")
    result = _load_in_subprocess(bomb)
    assert result.returncode == 0, result.stderr
    assert "REFUSED" in result.stdout
    assert "nodes" in result.stdout


def nested_alias_schemas(levels: int) -> str:
    """A document well under 1 KB whose schemas alias the level below nine times, ``levels`` deep."""
    lines = [
        "asyncapi: 3.0.0",
        "info: {title: Laughs, version: 1.0.0}",
        "components:",
        "  schemas:",
        "    a: &a {type: object, properties: {x: {type: string}, y: {type: integer}}}",
    ]
    previous = "a"
    for level in "bcdefgh"[:levels]:
        members = ", ".join(f"{previous}{i}: *{previous}" for i in range(9))
        lines.append(f"    {level}: &{level} {{type: object, properties: {{{members}}}}}")
        previous = level
    return "\n".join(lines) + "\n"


def test_nested_aliases_that_would_generate_a_huge_package_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(nested_alias_schemas(4), "utf-8")
    assert bomb.stat().st_size < 1024  # it would be some 46,000 nodes, thousands of payload classes
    with pytest.raises(SpecError) as caught:
        load_spec(str(bomb))
    error = caught.value
    assert "repeat more than 20,000 nodes" in error.problem
    assert error.location.pointer.startswith("/components/schemas/e/properties/")
    assert "$ref: '#/components/" in error.hint


def test_aliases_of_shared_parts_are_fine(tmp_path: Path) -> None:
    shared = tmp_path / "shared.yaml"
    shared.write_text(nested_alias_schemas(2), "utf-8")
    schemas = load_spec(str(shared)).document["components"]["schemas"]
    assert schemas["c"]["properties"]["b8"]["properties"]["a8"] == schemas["a"]


def test_document_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("w", encoding="utf-8") as stream:
        stream.write("asyncapi: 3.0.0\ninfo: {title: huge, version: '1'}\nx-padding: |\n")
        chunk = "  " + "x" * 1022 + "\n"
        for _ in range(33 * 1024):
            stream.write(chunk)
    result = _load_in_subprocess(huge)
    assert "REFUSED" in result.stdout
    assert "larger than 32 MiB" in result.stdout


def test_deeply_nested_document_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"asyncapi": "3.0.0", "x": ' + "[" * 200_000 + "]" * 200_000 + "}", "utf-8")
    result = _load_in_subprocess(deep)
    assert result.returncode == 0, result.stderr
    assert "REFUSED" in result.stdout
    assert "nested too deeply" in result.stdout


# -- spec_path: a YAML or JSON file of the project's own ------------------------------------------


@pytest.mark.parametrize(
    ("spec_path", "problem"),
    [
        ("src", "Must name a YAML or JSON file"),
        (".", "Must be a plain relative path to a file"),
        ("src/", "Must be a plain relative path to a file"),
        ("spec//api.yaml", "Must be a plain relative path to a file"),
        ("../api.yaml", "Must be a plain relative path to a file"),
        ("/tmp/api.yaml", "Must be a relative path inside the project"),
        (".git/config", "Must not be inside .git"),
        (".git/api.yaml", "Must not be inside .git"),
        ("README.md", "Must name a YAML or JSON file"),
        ("pyproject.toml", "Must name a YAML or JSON file"),
        ("src/api.yaml", "src/ holds generated files"),
        (".github/workflows/ci.yml", ".github/ holds generated files"),
        (".copier-answers.yml", "copier's answers file"),
        ("x" * 256 + ".yaml", "longer than 255 bytes"),
    ],
)
def test_spec_path_that_is_no_file_of_the_project_is_refused(
    spec_path: str, problem: str, template_v1: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "svc"
    with pytest.raises(ValueError, match="Validation error for question 'spec_path'") as caught:
        generate(template_v1, destination, spec_path=spec_path)
    assert problem in str(caught.value)
    assert not destination.exists()


@pytest.mark.parametrize("spec_path", ["asyncapi.yaml", "spec/api.yml", "api/v1/events.json", "docs/API.YAML"])
def test_spec_paths_inside_the_project_are_accepted(spec_path: str) -> None:
    from asyncapi_ws_codegen.load.spec_path_rules import spec_path_problem

    assert spec_path_problem(spec_path) == ""


def test_a_project_made_before_the_spec_path_rules_keeps_its_path() -> None:
    from asyncapi_ws_codegen.load.spec_path_rules import spec_path_problem

    assert spec_path_problem("spec/api", snapshot='{"asyncapi": "3.0.0"}') == ""
    assert "Must not be inside .git" in spec_path_problem(".git/api", snapshot='{"asyncapi": "3.0.0"}')


# -- an existing destination: a refusal leaves only the user's files ------------------------------


def user_folder(path: Path) -> Path:
    path.mkdir()
    (path / "notes.txt").write_text("mine\n", "utf-8")
    (path / "docs").mkdir()
    (path / "docs" / "design.md").write_text("# design\n", "utf-8")
    return path


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_symlink_in_the_destination_never_leads_a_write_outside(template_v1: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    destination = user_folder(tmp_path / "svc")
    (destination / "spec").symlink_to(outside, target_is_directory=True)
    before = listing(destination)
    with pytest.raises(SpecError) as caught:
        generate(template_v1, destination, spec_path="spec/asyncapi.yaml")
    assert "leads outside the project through a symlink" in caught.value.problem
    assert caught.value.location.file == "spec/asyncapi.yaml"  # inside the project: named relative to it
    assert list(outside.iterdir()) == []
    assert listing(destination) == before


def test_dangling_symlink_at_spec_path_is_refused(template_v1: Path, tmp_path: Path) -> None:
    destination = user_folder(tmp_path / "svc")
    (destination / "asyncapi.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    before = listing(destination)
    with pytest.raises(SpecError, match="leads outside the project"):
        generate(template_v1, destination)
    assert not (tmp_path / "elsewhere.yaml").exists()
    assert listing(destination) == before


def test_a_folder_at_spec_path_is_refused_not_kept(template_v1: Path, tmp_path: Path) -> None:
    destination = user_folder(tmp_path / "svc")
    (destination / "api.yaml").mkdir()
    before = listing(destination)
    with pytest.raises(SpecError, match="spec_path names a folder"):
        generate(template_v1, destination, spec_path="api.yaml")
    assert listing(destination) == before


def test_refused_document_into_an_existing_folder_leaves_only_the_users_files(
    template_v1: Path, tmp_path: Path
) -> None:
    destination = user_folder(tmp_path / "svc")
    before = listing(destination)
    with pytest.raises(SpecError, match="did you mean 'Sayd'"):
        generate(template_v1, destination, spec_source=str(INVALID / "dangling-ref.yaml"))
    assert listing(destination) == before


def test_a_title_too_long_for_a_folder_name_gives_a_shortened_package_name(template_v1: Path, tmp_path: Path) -> None:
    spec = tmp_path / "long.yaml"
    title = " ".join(["Extraordinarily"] * 40)
    spec.write_text((SPECS / "no-operations.yaml").read_text("utf-8").replace("title: Models only", f"title: {title}"))
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    (package,) = (project / "src").iterdir()
    assert package.name == "_".join(["extraordinarily"] * 2)
    with pytest.raises(ValueError, match="at most 100 characters"):
        generate(template_v1, tmp_path / "other", spec_source=str(spec), package_name="p" * 101)


def test_nesting_past_the_limit_is_refused_where_it_happens(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"asyncapi": "3.0.0", "x-deep": ' + "[" * 460 + "]" * 460 + "}", "utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(str(deep))
    assert "nested more than 256 levels deep" in caught.value.problem
    assert caught.value.location.pointer == "/x-deep" + "/0" * 255
    assert "components" in caught.value.hint


def test_nesting_within_the_limit_goes_through_every_stage(template_v1: Path, tmp_path: Path) -> None:
    # 120 levels of object schemas: 240 of mappings inside the message. Past about 50, the code
    # fastjsonschema writes is too deeply indented for Python; the package checks with jsonschema.
    schema: dict[str, object] = {"type": "string"}
    for level in range(120):
        schema = {"type": "object", "properties": {f"p{level}": schema}}
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "Deep", "version": "1.0.0"},
        "channels": {"c": {"address": "c", "messages": {"m": {"payload": schema}}}},
        "operations": {"s": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
    }
    spec = tmp_path / "deep.json"
    spec.write_text(json.dumps(document), "utf-8")
    project = generate(template_v1, tmp_path / "svc", spec_source=str(spec))
    assert "p119" in (project / "src" / "deep" / "payloads.py").read_text("utf-8")
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    probe = (
        "from deep._runtime.validation import SchemaValidator\n"
        "import json, sys\n"
        "schema = json.loads(sys.argv[1])\n"
        "check = SchemaValidator(schema)\n"
        "print(check.is_valid(json.loads(sys.argv[2])), check.is_valid(json.loads(sys.argv[3])))\n"
    )
    good: object = "text"
    bad: object = 5
    for level in range(120):
        good, bad = {f"p{level}": good}, {f"p{level}": bad}
    verdicts = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(schema), json.dumps(good), json.dumps(bad)],
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verdicts.stdout.split() == ["True", "False"], verdicts.stderr


def test_a_2x_channel_server_that_is_not_a_name_is_refused_where_it_stands() -> None:
    # A 2.x channel lists server names; a mapping there (a 3.x-style `$ref`) is refused, not a TypeError.
    document = {
        "asyncapi": "2.6.0",
        "info": {"title": "T", "version": "1"},
        "servers": {"production": {"url": "example.com", "protocol": "wss"}},
        "channels": {"chat": {"servers": [{"$ref": "#/servers/production"}], "subscribe": {"message": {}}}},
    }
    with pytest.raises(SpecError) as caught:
        build_api(document, "api.yaml")
    assert caught.value.location.pointer == "/channels/chat/servers/0"
    assert "names its servers as strings, not dict" in str(caught.value)
    assert "top-level `servers`" in str(caught.value)
