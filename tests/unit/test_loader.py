"""Loader: YAML/JSON, relative and URL references, the URL prefix map, lenient pointers, lines."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.load.file_or_url import REF_MAP_ENV
from asyncapi_ws_codegen.load.line_numbers import locate_line
from asyncapi_ws_codegen.load.loaded_spec import locate
from asyncapi_ws_codegen.load.yaml_json import parse_text

HEADER = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def http_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 serving a folder, loopback allowed; yields (base URL, folder)."""
    monkeypatch.setenv("ASYNCAPI_WS_URL_ALLOW", "127.0.0.1")
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_yaml_keeps_dates_and_versions_as_text(tmp_path: Path) -> None:
    spec = write(tmp_path / "a.yaml", HEADER + "x-when: 2024-01-02\n")
    assert load_spec(str(spec)).document["x-when"] == "2024-01-02"


def test_yaml_reads_booleans_as_yaml_1_2_does(tmp_path: Path) -> None:
    # YAML 1.1 would turn the streetlights examples' `enum: [on, off]` into booleans.
    spec = write(tmp_path / "a.yaml", HEADER + "x-enum: [on, off, yes, no, true, False]\n")
    assert load_spec(str(spec)).document["x-enum"] == ["on", "off", "yes", "no", True, False]


def test_json_document(tmp_path: Path) -> None:
    spec = write(tmp_path / "a.json", '{"asyncapi": "2.6.0", "info": {"title": "T", "version": "1"}, "channels": {}}')
    assert load_spec(str(spec)).document["asyncapi"] == "2.6.0"


def test_yaml_flow_document_starting_with_a_brace(tmp_path: Path) -> None:
    spec = write(tmp_path / "a.yaml", "{asyncapi: 3.0.0, info: {title: T, version: '1'}}\n")
    assert load_spec(str(spec)).document["info"]["title"] == "T"


def test_relative_refs_in_nested_folders_are_bundled(tmp_path: Path) -> None:
    write(
        tmp_path / "common" / "schemas" / "user.yaml", "User:\n  type: object\n  properties:\n    id: {type: string}\n"
    )
    write(
        tmp_path / "common" / "messages.yaml",
        "UserSignedUp:\n  payload:\n    $ref: './schemas/user.yaml#/User'\n",
    )
    spec = write(
        tmp_path / "api" / "asyncapi.yaml",
        HEADER + "channels:\n  users:\n    address: users\n    messages:\n"
        "      signedUp:\n        $ref: '../common/messages.yaml#/UserSignedUp'\n",
    )
    loaded = load_spec(str(spec))
    message = loaded.document["channels"]["users"]["messages"]["signedUp"]
    assert message["payload"]["properties"]["id"] == {"type": "string"}
    assert len(loaded.files) == 3
    # Errors inside inlined parts point at the file they came from.
    where = loaded.locate("/channels/users/messages/signedUp/payload/properties/id")
    assert where.file.endswith("user.yaml")
    assert where.pointer == "/User/properties/id"
    assert where.line == 4


def test_internal_refs_are_kept_for_recursion(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "a.yaml",
        HEADER + "components:\n  schemas:\n    Node:\n      type: object\n      properties:\n"
        "        next: {$ref: '#/components/schemas/Node'}\n",
    )
    document = load_spec(str(spec)).document
    assert document["components"]["schemas"]["Node"]["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def test_unescaped_slash_in_component_key_resolves_leniently(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "a.yaml",
        HEADER + "channels:\n  c:\n    address: c\n    messages:\n"
        "      m: {$ref: '#/components/messages/group/v1.hello'}\n"
        "components:\n  messages:\n    group/v1.hello:\n      payload: {type: string}\n",
    )
    document = load_spec(str(spec)).document
    # Rewritten to the RFC 6901 form so every later stage can follow it strictly.
    assert document["channels"]["c"]["messages"]["m"] == {"$ref": "#/components/messages/group~1v1.hello"}


def test_ambiguous_lenient_pointer_is_refused(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "a.yaml",
        HEADER + "x-ref: {$ref: '#/x-a/b/c'}\nx-a:\n  b/c: 1\n  b:\n    c: 2\n",
    )
    # The strict reading exists, so it wins without ambiguity.
    assert load_spec(str(spec)).document["x-ref"] == {"$ref": "#/x-a/b/c"}
    spec = write(
        tmp_path / "b.yaml",
        HEADER + "x-ref: {$ref: '#/x-a/b/c/d'}\nx-a:\n  b/c:\n    d: 1\n  b:\n    c/d: 2\n",
    )
    with pytest.raises(SpecError, match="ambiguous"):
        load_spec(str(spec))


def test_http_ref_is_fetched(tmp_path: Path, http_folder: tuple[str, Path]) -> None:
    base, folder = http_folder
    write(folder / "schemas" / "price.yaml", "Price:\n  type: number\n  minimum: 0\n")
    spec = write(
        tmp_path / "a.yaml",
        HEADER + f"components:\n  schemas:\n    Price:\n      $ref: '{base}schemas/price.yaml#/Price'\n",
    )
    loaded = load_spec(str(spec))
    assert loaded.document["components"]["schemas"]["Price"] == {"type": "number", "minimum": 0}
    assert f"{base}schemas/price.yaml" in loaded.files


def test_http_entry_document_with_relative_ref(http_folder: tuple[str, Path]) -> None:
    base, folder = http_folder
    write(folder / "api" / "asyncapi.yaml", HEADER + "components:\n  schemas:\n    A: {$ref: '../s.yaml#/A'}\n")
    write(folder / "s.yaml", "A: {type: string}\n")
    assert load_spec(f"{base}api/asyncapi.yaml").document["components"]["schemas"]["A"] == {"type": "string"}


def test_unreachable_url_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REF_MAP_ENV, raising=False)
    monkeypatch.setenv("ASYNCAPI_WS_URL_ALLOW", "127.0.0.1")
    url = f"http://127.0.0.1:{closed_port()}/schemas/price.yaml"
    spec = write(tmp_path / "a.yaml", HEADER + f"components:\n  schemas:\n    Price:\n      $ref: '{url}#/Price'\n")
    with pytest.raises(SpecError) as caught:
        load_spec(str(spec))
    text = str(caught.value)
    assert f"a.yaml:6 at /components/schemas/Price/$ref: `$ref` '{url}#/Price' cannot be loaded" in text
    assert "cannot download" in text
    assert REF_MAP_ENV in text  # the way to work offline


def test_ref_map_serves_urls_from_a_local_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "mirror" / "schemas" / "price.yaml", "Price: {type: number}\n")
    monkeypatch.setenv(
        REF_MAP_ENV, f"https://other.example/=/nowhere; https://schemas.example/v1/={tmp_path / 'mirror'}"
    )
    spec = write(
        tmp_path / "a.yaml",
        HEADER + "components:\n  schemas:\n    Price: {$ref: 'https://schemas.example/v1/schemas/price.yaml#/Price'}\n",
    )
    assert load_spec(str(spec)).document["components"]["schemas"]["Price"] == {"type": "number"}


def test_ref_map_to_a_missing_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REF_MAP_ENV, f"https://schemas.example/={tmp_path}")
    spec = write(tmp_path / "a.yaml", HEADER + "x-a: {$ref: 'https://schemas.example/none.yaml'}\n")
    with pytest.raises(SpecError, match=f"{REF_MAP_ENV} maps this URL to"):
        load_spec(str(spec))


def test_reference_chain_across_files_without_a_value_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "b.yaml", "B: {$ref: './c.yaml#/C'}\n")
    write(tmp_path / "c.yaml", "C: {$ref: './b.yaml#/B'}\n")
    spec = write(tmp_path / "a.yaml", HEADER + "x-a: {$ref: './b.yaml#/B'}\n")
    with pytest.raises(SpecError, match="chain never reaches a value") as caught:
        load_spec(str(spec))
    assert caught.value.location.file.endswith("c.yaml")
    assert caught.value.location.pointer == "/C/$ref"


def test_recursive_schema_across_files_is_bundled_as_a_local_reference(tmp_path: Path) -> None:
    # Node (schemas.yaml) refers to itself and, through Tree (tree.yaml), back to itself.
    write(
        tmp_path / "schemas.yaml",
        "Node:\n  type: object\n  properties:\n    next: {$ref: '#/Node'}\n    tree: {$ref: './tree.yaml#/Tree'}\n",
    )
    write(tmp_path / "tree.yaml", "Tree:\n  type: array\n  items: {$ref: './schemas.yaml#/Node'}\n")
    spec = write(tmp_path / "a.yaml", HEADER + "components:\n  schemas:\n    Node: {$ref: './schemas.yaml#/Node'}\n")
    node = load_spec(str(spec)).document["components"]["schemas"]["Node"]
    assert node["properties"]["next"] == {"$ref": "#/components/schemas/Node"}
    assert node["properties"]["tree"] == {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}


def test_pointer_through_a_reference_is_followed(tmp_path: Path) -> None:
    # `#/channels/chat/messages/said` passes through `/channels/chat`, itself a `$ref`: the AsyncAPI
    # parser resolves it at the reference's target, and so does the loader.
    spec = write(
        tmp_path / "a.yaml",
        HEADER + "channels:\n  chat: {$ref: '#/components/channels/chat'}\n"
        "operations:\n  say:\n    action: send\n    channel: {$ref: '#/channels/chat'}\n"
        "    messages: [{$ref: '#/channels/chat/messages/said'}]\n"
        "components:\n  channels:\n    chat:\n      address: chat\n      messages:\n"
        "        said: {payload: {type: string}}\n",
    )
    document = load_spec(str(spec)).document
    assert document["operations"]["say"]["messages"] == [{"$ref": "#/components/channels/chat/messages/said"}]
    with pytest.raises(SpecError, match="#/channels/chat/messages/sad, which does not exist"):
        load_spec(str(write(tmp_path / "b.yaml", spec.read_text().replace("messages/said'}]", "messages/sad'}]"))))


def test_self_reference_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path / "a.yaml", HEADER + "x-a: {$ref: '#/x-a'}\n")
    with pytest.raises(SpecError, match="never reaches a value: #/x-a -> #/x-a"):
        load_spec(str(spec))


def test_duplicate_json_key_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path / "a.json", '{"asyncapi": "3.0.0", "asyncapi": "2.6.0"}')
    with pytest.raises(SpecError, match="duplicate key 'asyncapi'"):
        load_spec(str(spec))


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="not UTF-8"):
        parse_text(b"asyncapi: \xff\xfe\n", "x.yaml")


def test_locate_line_in_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = write(tmp_path / "a.yaml", "a:\n  b:\n    - x\n    - y: 1\n")
    assert locate_line(str(yaml_file), "/a/b/1/y") == 4
    json_file = write(tmp_path / "a.json", '{\n  "a": {\n    "b~c/d": 1\n  }\n}\n')
    assert locate_line(str(json_file), "/a/b~0c~1d") == 3
    # Deeper than the file goes: the deepest existing node.
    assert locate_line(str(yaml_file), "/a/b/0/nothing") == 3


def test_locate_for_documents_not_from_a_file() -> None:
    where = locate({"asyncapi": "3.0.0"}, "/asyncapi", "snapshot")
    assert (where.file, where.pointer, where.line) == ("snapshot", "/asyncapi", None)
