"""Local ``$ref``s read only the entry document's repository: no absolute paths, no ``file:`` URLs,
no ``..`` (plain, percent-encoded or through a symlink) out of it, no escape from an
``ASYNCAPI_WS_REF_MAP`` folder; ``ASYNCAPI_WS_REF_ROOTS`` allows more. A ``$ref`` key inside example
data is data. Every refusal names the referring file, line and pointer, and never shows the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from helpers import generate, git

SECRET = "TOPSECRET-d41d8cd9"

ENTRY = """\
asyncapi: 3.0.0
info: {title: Refs, version: 1.0.0}
channels:
  c:
    address: c
    messages:
      m:
        payload:
          $ref: 'TARGET'
"""


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every document's repository, shaped like a schema so that inlining would work."""
    folder = tmp_path / "outside"
    folder.mkdir()
    path = folder / "secret.yaml"
    path.write_text(f"type: object\ndescription: {SECRET}\n", "utf-8")
    return path


def entry_at(folder: Path, target: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "asyncapi.yaml"
    path.write_text(ENTRY.replace("TARGET", target), "utf-8")
    return path


def refusal(path: Path) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    error = caught.value
    assert SECRET not in str(error)
    assert error.location.pointer == "/channels/c/messages/m/payload/$ref"
    assert error.location.line == 9
    return error


def test_an_absolute_path_is_refused(secret: Path, tmp_path: Path) -> None:
    error = refusal(entry_at(tmp_path / "project" / "api", str(secret)))
    assert "may read any file of the machine" in error.problem
    assert "ASYNCAPI_WS_REF_ROOTS" in error.hint


def test_a_file_url_is_refused(secret: Path, tmp_path: Path) -> None:
    error = refusal(entry_at(tmp_path / "project" / "api", secret.as_uri()))
    assert "may read any file of the machine" in error.problem


@pytest.mark.parametrize("target", ["../../outside/secret.yaml", "%2E%2E/%2E%2E/outside/secret.yaml"])
def test_a_relative_path_out_of_the_folder_above_the_entry_is_refused(
    target: str, secret: Path, tmp_path: Path
) -> None:
    # No git: the entry's folder's parent (tmp/project) is the root; tmp/outside is beyond it.
    error = refusal(entry_at(tmp_path / "project" / "api", target))
    assert f"outside {tmp_path / 'project'}" in error.problem


def test_a_symlink_out_of_the_repository_is_refused(secret: Path, tmp_path: Path) -> None:
    folder = tmp_path / "project" / "api"
    entry = entry_at(folder, "./shared/secret.yaml")
    (folder / "shared").symlink_to(secret.parent, target_is_directory=True)
    error = refusal(entry)
    assert str(secret) in error.problem


def test_the_common_folder_layout_is_read(tmp_path: Path) -> None:
    entry = entry_at(tmp_path / "project" / "api", "../common/schemas.yaml#/Payload")
    (tmp_path / "project" / "common").mkdir()
    (tmp_path / "project" / "common" / "schemas.yaml").write_text("Payload: {type: object}\n", "utf-8")
    assert load_spec(str(entry)).document["channels"]["c"]["messages"]["m"]["payload"] == {"type": "object"}


def test_the_git_work_tree_is_the_root(secret: Path, tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    git(repository, "init", "-q")
    (repository / "shared").mkdir()
    (repository / "shared" / "schemas.yaml").write_text("Payload: {type: object}\n", "utf-8")
    deep = entry_at(repository / "services" / "chat" / "api", "../../../shared/schemas.yaml#/Payload")
    assert load_spec(str(deep)).document["channels"]["c"]["messages"]["m"]["payload"] == {"type": "object"}
    escaping = entry_at(repository / "services" / "news", "../../../outside/secret.yaml")
    assert f"outside {repository}" in refusal(escaping).problem


def test_the_roots_variable_allows_more(secret: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNCAPI_WS_REF_ROOTS", os.pathsep.join([str(tmp_path / "elsewhere"), str(secret.parent)]))
    for target in (str(secret), secret.as_uri(), "../../outside/secret.yaml"):
        entry = entry_at(tmp_path / "project" / "api", target)
        payload = load_spec(str(entry)).document["channels"]["c"]["messages"]["m"]["payload"]
        assert payload["description"] == SECRET


def test_a_ref_map_folder_cannot_be_left(secret: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mapped = tmp_path / "mapped"
    mapped.mkdir()
    (mapped / "ok.yaml").write_text("type: object\n", "utf-8")
    monkeypatch.setenv("ASYNCAPI_WS_REF_MAP", f"https://schemas.example.com/={mapped}")
    ok = entry_at(tmp_path / "project" / "api", "https://schemas.example.com/ok.yaml")
    assert load_spec(str(ok)).document["channels"]["c"]["messages"]["m"]["payload"] == {"type": "object"}
    for target in (
        "https://schemas.example.com/%2E%2E/outside/secret.yaml",
        "https://schemas.example.com/..%2Foutside/secret.yaml",
    ):
        with pytest.raises(SpecError) as caught:
            load_spec(str(entry_at(tmp_path / "project" / "api", target)))
        assert "outside the mapped folder" in caught.value.problem
        assert SECRET not in str(caught.value)


def test_other_schemes_are_refused(tmp_path: Path) -> None:
    error = refusal(entry_at(tmp_path / "project" / "api", "ftp://example.com/schema.yaml"))
    assert "ftp: references are not supported" in error.problem


EXAMPLES = """\
asyncapi: 3.0.0
info: {title: Data, version: 1.0.0}
channels:
  c:
    address: c
    messages:
      m:
        examples:
          - payload: {$ref: '/etc/passwd'}
        payload:
          type: object
          default: {$ref: '#/nowhere'}
          examples: [{$ref: 'file:///etc/passwd'}]
          properties:
            link:
              const: {$ref: '../../x.yaml'}
            choice:
              enum: [{$ref: '#/nowhere'}, 1]
            default:
              $ref: '#/components/schemas/Named'
components:
  schemas:
    Named: {type: string}
"""


def test_a_ref_key_in_example_data_is_data(tmp_path: Path) -> None:
    path = tmp_path / "project" / "api" / "asyncapi.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(EXAMPLES, "utf-8")
    document = load_spec(str(path)).document
    message = document["channels"]["c"]["messages"]["m"]
    assert message["examples"] == [{"payload": {"$ref": "/etc/passwd"}}]
    payload = message["payload"]
    assert payload["default"] == {"$ref": "#/nowhere"}
    assert payload["examples"] == [{"$ref": "file:///etc/passwd"}]
    assert payload["properties"]["link"]["const"] == {"$ref": "../../x.yaml"}
    assert payload["properties"]["choice"]["enum"] == [{"$ref": "#/nowhere"}, 1]
    # A property called `default` is a schema, and its reference a reference.
    assert payload["properties"]["default"] == {"$ref": "#/components/schemas/Named"}
    build_api(document, str(path))


def test_copier_refuses_and_writes_nothing_of_the_file(secret: Path, template_v1: Path, tmp_path: Path) -> None:
    entry = entry_at(tmp_path / "project" / "api", "../../outside/secret.yaml")
    destination = tmp_path / "svc"
    with pytest.raises(SpecError, match="is refused: it resolves to"):
        generate(template_v1, destination, spec_source=str(entry))
    assert not destination.exists()
