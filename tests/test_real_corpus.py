"""Every real-world entry document in ../shared/specs/real generates a package that passes its own
checks (ruff, ruff format, mypy --strict, its tests), or is refused for a documented reason.

Run in parallel: ``pytest -n auto -m corpus``. Each case is independent, so xdist spreads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncapi_ws_codegen.errors import SpecError
from corpus import OUT_OF_SCOPE, REF_MAP, corpus_entries
from helpers import REAL_SPECS, check_package, generate

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not REAL_SPECS.is_dir(), reason=f"the real-world corpus is not available at {REAL_SPECS}"),
]

# Documents whose package is known to fail its checks, with the precise reason (none today: a new
# entry here needs an issue and a line in docs/supported-asyncapi.md).
KNOWN_FAILURES: dict[str, str] = {}


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
    assert set(KNOWN_FAILURES) <= set(entries)


@pytest.mark.parametrize("name", _cases())
def test_document_generates_a_working_package(
    name: str, template_v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Adeo example references its Avro schemas by https URL; they are read from local copies.
    monkeypatch.setenv("ASYNCAPI_WS_REF_MAP", REF_MAP)
    destination = tmp_path / "project"
    # Default answers: `perspective` is `auto` (tests/test_perspective.py checks what it decides).
    data = {"spec_source": str(REAL_SPECS / name)}
    if name in OUT_OF_SCOPE:
        with pytest.raises(SpecError) as caught:
            generate(template_v1, destination, **data)
        assert OUT_OF_SCOPE[name] in str(caught.value)
        assert "What to do:" in str(caught.value)
        assert not destination.exists()
        return
    generate(template_v1, destination, **data)
    check_package(destination)
