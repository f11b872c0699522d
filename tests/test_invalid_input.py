"""Refused documents: every refusal names the file, the line and the JSON pointer, says what is
wrong and what to do, shows no traceback, and leaves nothing half-generated behind."""

from __future__ import annotations

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
