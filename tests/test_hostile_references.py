"""Local ``$ref``s read only the entry document's repository: no absolute paths, no ``file:`` URLs,
no ``..`` (plain, percent-encoded or through a symlink) out of it, no escape from an
``ASYNCAPI_WS_REF_MAP`` folder; ``ASYNCAPI_WS_REF_ROOTS`` allows more. A ``$ref`` key inside example
data is data. Every refusal names the referring file, line and pointer, and never shows the file."""

from __future__ import annotations

import http.server
import ipaddress
import os
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

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


# -- remote documents and references: public hosts only, one deadline ------------------------------


class Site:
    """A real HTTP server on 127.0.0.1 with a few hostile pages; counts the requests per path."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                page = PAGES.get(self.path)
                if page is not None:
                    self.answer(200, page.replace("PORT", str(site.port)).encode())
                elif self.path == "/to-metadata":
                    self.send_response(302)
                    self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                    self.end_headers()
                elif self.path == "/dribble-body":
                    self.send_response(200)
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.dribble(b"x")
                elif self.path == "/dribble-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    self.dribble(b"X")
                else:
                    self.answer(404, b"no such page")

            def answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def dribble(self, byte: bytes) -> None:
                # One byte at a time, each well within any per-read timeout, until the client leaves.
                while not site.stop.wait(0.2):
                    try:
                        self.wfile.write(byte)
                        self.wfile.flush()
                    except OSError:
                        return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


PAGES = {
    "/api.yaml": "asyncapi: 3.0.0\ninfo: {title: Remote, version: 1.0.0}\n"
    "channels:\n  c:\n    address: c\n    messages:\n      m:\n        payload: {$ref: 'schemas.yaml#/P'}\n"
    "operations:\n  s:\n    action: send\n    channel: {$ref: '#/channels/c'}\n",
    "/schemas.yaml": "P: {type: object, properties: {n: {type: integer}}}\n",
    "/file-ref.yaml": "asyncapi: 3.0.0\ninfo: {title: R, version: 1.0.0}\nx-secret: {$ref: 'file:///etc/passwd'}\n",
    "/to-private.yaml": "asyncapi: 3.0.0\ninfo: {title: R, version: 1.0.0}\n"
    "x-internal: {$ref: 'http://10.0.0.1/x.yaml'}\n",
}


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    served.thread.start()
    try:
        yield served
    finally:
        served.stop.set()
        served.server.shutdown()
        served.server.server_close()


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNCAPI_WS_URL_ALLOW", "127.0.0.1")


def download_refusal(source: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        load_spec(source)
    return caught.value


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_document_is_refused_without_the_opt_in(
    host: str, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASYNCAPI_WS_URL_ALLOW", raising=False)
    error = download_refusal(site.url("/api.yaml", host))
    assert "a loopback address" in error.problem
    assert "ASYNCAPI_WS_URL_ALLOW" in error.hint
    assert site.hits == {}  # refused before connecting


def test_a_loopback_reference_is_refused_where_it_is_written(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASYNCAPI_WS_URL_ALLOW", raising=False)
    error = refusal(entry_at(tmp_path / "project" / "api", site.url("/schemas.yaml") + "#/P"))
    assert "cannot download" in error.problem and "a loopback address" in error.problem
    assert site.hits == {}


@pytest.mark.usefixtures("loopback_allowed")
def test_the_opt_in_allows_the_listed_host(site: Site) -> None:
    document = load_spec(site.url("/api.yaml")).document
    assert document["channels"]["c"]["messages"]["m"]["payload"]["properties"] == {"n": {"type": "integer"}}
    assert site.hits == {"/api.yaml": 1, "/schemas.yaml": 1}


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/to-metadata", "169.254.169.254, a link-local address"),
        ("/to-private.yaml", "10.0.0.1, a private address"),
        ("/file-ref.yaml", "a document downloaded from a URL may refer to URLs only"),
    ],
)
def test_an_allowed_host_cannot_lead_elsewhere(path: str, problem: str, site: Site) -> None:
    error = download_refusal(site.url(path))
    assert problem in error.problem
    assert "root:" not in str(error)


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.parametrize("path", ["/dribble-body", "/dribble-headers"])
def test_a_dribbling_server_is_cut_off_at_the_deadline(path: str, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNCAPI_WS_HTTP_TIMEOUT", "1.5")
    error = download_refusal(site.url(path))
    assert "no complete answer within 1.5 s" in error.problem
    assert "ASYNCAPI_WS_HTTP_TIMEOUT" in error.hint


class ForwardProxy(http.server.BaseHTTPRequestHandler):
    """A plain HTTP proxy: GET of an absolute URL, answered with what that URL gives."""

    seen: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        ForwardProxy.seen.append(self.path)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.path, timeout=10) as answer:
            body = answer.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.usefixtures("loopback_allowed")
def test_downloads_go_through_the_environments_proxy(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ForwardProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.server_address[1]}")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        document = load_spec(site.url("/api.yaml")).document
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert document["channels"]["c"]["messages"]["m"]["payload"]["type"] == "object"
    assert ForwardProxy.seen == [site.url("/api.yaml"), site.url("/schemas.yaml")]
    # The target is checked even through a proxy.
    monkeypatch.delenv("ASYNCAPI_WS_URL_ALLOW")
    assert "a loopback address" in download_refusal(site.url("/api.yaml")).problem


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "non-public"),
        ("224.0.0.1", "non-public"),
        ("0.0.0.0", "private"),
        ("93.184.215.14", ""),
        ("2606:4700::1111", ""),
    ],
)
def test_address_kinds(address: str, kind: str) -> None:
    from asyncapi_ws_codegen.load.http_fetch import _kind

    assert _kind(ipaddress.ip_address(address)) == kind


@pytest.mark.usefixtures("loopback_allowed")
def test_copier_downloads_a_url_document_once(site: Site, template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=site.url("/api.yaml"))
    assert site.hits == {"/api.yaml": 1, "/schemas.yaml": 1}
    written = (project / "asyncapi.yaml").read_text("utf-8")
    assert "$ref: '#/channels/c'" in written and "integer" in written  # bundled: the file inlined
