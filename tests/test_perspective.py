"""The ``perspective`` answer ``auto``: each rule, the hand labels of the real-world corpus, and what
copier says about it on a real copy and update.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import Options, build_api
from asyncapi_ws_codegen.normalise.perspective import read_perspective
from corpus import REF_MAP, corpus_entries
from helpers import EXAMPLE_SPEC, REAL_SPECS, REPO_ROOT, generate, git

LABELS_PAGE = REPO_ROOT / "docs" / "supported-asyncapi.md"
needs_corpus = pytest.mark.skipif(
    not REAL_SPECS.is_dir(), reason=f"the real-world corpus is not available at {REAL_SPECS}"
)


def hand_labels() -> dict[str, str]:
    """The table of docs/supported-asyncapi.md: document -> the side it is written from."""
    rows = re.findall(r"^\| `([^`]+)` \| (client|server) \| [^|]+ \|$", LABELS_PAGE.read_text("utf-8"), re.MULTILINE)
    return dict(rows)


def side_of(document: dict[str, Any]) -> str:
    return read_perspective(document, "auto").side


def v3(title: str, operations: dict[str, Any], **messages: Any) -> dict[str, Any]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": "1.0.0"},
        "channels": {"c": {"address": "c", "messages": messages}},
        "operations": operations,
    }


def op(action: str, *names: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": "#/channels/c"},
        "messages": [{"$ref": f"#/channels/c/messages/{name}"} for name in names],
        **extra,
    }


# -- the rules, one by one ---------------------------------------------------------------------


def test_without_evidence_auto_keeps_the_reference_reading() -> None:
    doc = v3("Shop", {"sendOrder": op("send", "order")}, order={"payload": {"type": "object"}})
    reading = read_perspective(doc, "auto")
    assert (reading.side, reading.decided) == ("client", True)
    assert "nothing in the document says" in reading.reason


def test_answered_sides_are_kept_whatever_the_document_says() -> None:
    doc = v3("Echo Server", {"receivePing": op("receive", "ping")}, ping={"payload": {}})
    assert read_perspective(doc, "client").side == "client"
    assert read_perspective(doc, "client").decided is False
    assert read_perspective(doc, "auto").side == "server"


@pytest.mark.parametrize(
    ("title", "side"), [("Chat Client", "client"), ("Chat Server", "server"), ("Chat Backend", "server")]
)
def test_the_title_names_the_role(title: str, side: str) -> None:
    doc = v3(title, {"go": op("send", "m")}, m={"payload": {}})
    reading = read_perspective(doc, "auto")
    assert reading.side == side
    assert repr(title) in reading.reason


def test_stated_senders_count_for_the_side_they_imply() -> None:
    said = {"description": "Sent from the server to every connected client.", "payload": {}}
    assert side_of(v3("T", {"push": op("send", "m")}, m=said)) == "server"
    assert side_of(v3("T", {"take": op("receive", "m")}, m=said)) == "client"
    asked = {"summary": "Client message that asks for a refresh.", "payload": {}}
    assert side_of(v3("T", {"take": op("receive", "m")}, m=asked)) == "server"


def test_a_summary_against_the_action_means_the_server_is_described() -> None:
    gemini = op("send", "m", summary="Receive market updates on a given symbol")
    assert side_of(v3("T", {"sendData": gemini}, m={"payload": {}})) == "server"
    agreeing = op("send", "m", summary="Send a data point")
    assert side_of(v3("T", {"sendData": agreeing}, m={"payload": {}})) == "client"
    v2 = {
        "asyncapi": "2.6.0",
        "info": {"title": "T", "version": "1"},
        "channels": {"/ws": {"publish": {"operationId": "sendMessage", "message": {"payload": {}}}}},
    }
    assert side_of(v2) == "server"


def test_replies_say_who_asks() -> None:
    reply = {"reply": {"messages": [{"$ref": "#/channels/c/messages/m"}]}}
    assert side_of(v3("T", {"ask": op("send", "m", **reply)}, m={"payload": {}})) == "client"
    assert side_of(v3("T", {"answer": op("receive", "m", **reply)}, m={"payload": {}})) == "server"


def test_message_kinds_only_one_side_sends() -> None:
    tagged = {"payload": {"type": "object", "properties": {"event": {"const": "subscribe"}}}}
    assert side_of(v3("T", {"take": op("receive", "m")}, m=tagged)) == "server"
    assert side_of(v3("T", {"give": op("send", "heartbeat")}, heartbeat={"payload": {}})) == "server"
    assert side_of(v3("T", {"take": op("receive", "heartbeat")}, heartbeat={"payload": {}})) == "client"
    # Both kinds in one name say nothing: a "ConfigureSuccess" is the server's answer to a configure.
    both = {"name": "ConfigureSuccess", "payload": {}}
    assert side_of(v3("T", {"take": op("receive", "m")}, m=both)) == "client"


def test_auto_flips_the_functions_and_records_why(tmp_path: Path) -> None:
    path = tmp_path / "asyncapi.yaml"
    doc = v3("Ticker Server", {"sendTick": op("send", "tick")}, tick={"payload": {"type": "number"}})
    path.write_text(yaml.safe_dump(doc), "utf-8")
    api = build_api(load_spec(str(path)).document, str(path), Options(perspective="auto"))
    assert [(o.snake, o.client_sends) for o in api.operations] == [("send_tick", False)]
    assert api.perspective == "server"
    assert api.perspective_line.startswith("Perspective: server (`auto`: the title 'Ticker Server' names")
    assert "The client sends nothing and receives Tick." in api.perspective_line
    assert api.perspective_line.endswith("copier update --trust --defaults --data perspective=client")


# -- the documents the reference generator was written for keep their reading -----------------


def test_the_bundled_example_is_read_from_the_client() -> None:
    assert side_of(load_spec(str(EXAMPLE_SPEC)).document) == "client"


@needs_corpus
@pytest.mark.parametrize("name", [name for name in corpus_entries() if name.startswith("v3__codegen-")])
def test_the_codegen_fixtures_are_read_from_the_client(name: str) -> None:
    assert side_of(load_spec(str(REAL_SPECS / name)).document) == "client"


# -- the real-world corpus: auto against the hand labels ---------------------------------------


@needs_corpus
def test_every_corpus_document_has_a_hand_label() -> None:
    assert sorted(hand_labels()) == sorted(corpus_entries())


@needs_corpus
def test_auto_agrees_with_at_least_90_percent_of_the_hand_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASYNCAPI_WS_REF_MAP", REF_MAP)
    labels = hand_labels()
    misses = []
    for name, label in labels.items():
        reading = read_perspective(load_spec(str(REAL_SPECS / name)).document, "auto")
        if reading.side != label:
            misses.append(f"{name}: labelled {label}, auto says {reading.side} ({reading.reason})")
    agreed = len(labels) - len(misses)
    assert agreed >= 0.9 * len(labels), "auto misses:\n" + "\n".join(misses)
    # The page states the figure; it must stay true.
    assert f"agrees with {agreed} of {len(labels)}" in LABELS_PAGE.read_text("utf-8"), "\n".join(misses)


# -- what copier says, on a real copy and update -----------------------------------------------


def copier_cli(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "copier", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def channels_of(project: Path, package: str) -> str:
    return (project / "src" / package / "channels.py").read_text("utf-8")


@needs_corpus
@pytest.mark.slow
def test_copy_and_update_say_which_side_was_used(template_v1: Path, tmp_path: Path) -> None:
    source = REAL_SPECS / "v3__spec-websocket-gemini.yml"
    output = copier_cli(
        "copy", "--trust", "--defaults", "--data", f"spec_source={source}", str(template_v1), "p", cwd=tmp_path
    )
    project = tmp_path / "p"
    line = next(line for line in output.splitlines() if line.startswith("Perspective:"))
    assert line.startswith("Perspective: server (`auto`: operation 'sendMarketData' sends messages, yet says")
    assert "The client sends nothing and receives " in line
    assert line.endswith("If that is backwards: copier update --trust --defaults --data perspective=client")
    package = "gemini_market_data_websocket_api"
    # The client subscribes to the market data instead of publishing it.
    assert "def subscribe_to_send_market_data(" in channels_of(project, package)
    assert "perspective: auto" in (project / ".copier-answers.yml").read_text("utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generate")
    output = copier_cli("update", "--trust", "--defaults", "--data", "perspective=client", cwd=project)
    assert "Perspective: client (your answer). The client sends " in output
    assert "--data perspective=server" in output
    assert "def subscribe_to_send_market_data(" not in channels_of(project, package)


@needs_corpus
@pytest.mark.slow
def test_a_project_answered_client_stays_client_on_update(template_v1: Path, tmp_path: Path) -> None:
    """Projects generated before `auto` recorded `perspective: client`; updates keep it."""
    source = REAL_SPECS / "v3__spec-kraken-websocket-request-reply-multiple-channels.yml"
    project = generate(template_v1, tmp_path / "p", spec_source=str(source), perspective="client")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generate")
    before = channels_of(project, "kraken_websockets_api")
    output = copier_cli("update", "--trust", "--defaults", cwd=project)
    assert "Perspective: client (your answer)." in output
    assert channels_of(project, "kraken_websockets_api") == before
    assert "perspective: client" in (project / ".copier-answers.yml").read_text("utf-8")
