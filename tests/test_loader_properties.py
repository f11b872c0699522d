"""Random and mutated documents against the loader and the model: only documented outcomes.

Whatever the bytes of a document, reading it (``load_spec``) and building the package model from it
(``build_api``) either succeed or raise :class:`SpecError`, whose message says where and what to do
(docs/supported-asyncapi.md). Never another exception, never a hang. The inputs: random bytes,
random text, text made of YAML's and JSON's own punctuation, random JSON values, and documents of
the real-world corpus with random edits (characters deleted, inserted, lines repeated or swapped).
The examples are bounded so that the file takes about a minute.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asyncapi_ws_codegen.errors import SpecError
from asyncapi_ws_codegen.load.bundler import load_spec
from asyncapi_ws_codegen.normalise.api_builder import build_api
from helpers import REAL_SPECS, SPECS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# YAML's and JSON's punctuation, indentation and a few words: random text that parsers take far.
YAML_ALPHABET = "{}[]:,-&*!|>'\"#%@?~. \n\t\\0123abcxy$/"
YAML_WORDS = st.sampled_from(
    ["asyncapi: 3.0.0\n", "info:\n", "  title: T\n", "  version: '1'\n", "channels:\n", "  c:\n", "    address: c\n",
     "$ref: '#/x'\n", "&a ", "*a", "<<: *a\n", "!!binary ", "!!set ", ".nan", "- ", "? ", "|\n", "---\n", "...\n",
     "\\ud800", "%YAML 1.2\n", "!local ", "1e999", "0x1F", "~"]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
# Documents of the corpus and of the template's own tests that the mutations start from.
SEEDS = sorted(
    path
    for pattern in ("*.yml", "*.yaml", "*.json")
    for path in [*REAL_SPECS.glob(pattern), *SPECS.glob(pattern)]
    if path.stat().st_size < 40_000
)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def outcome(folder: Path, data: bytes, suffix: str = ".yaml") -> Any:
    """Load and build ``data`` as a document file; the model, or the refusal."""
    path = folder / f"doc{suffix}"
    path.write_bytes(data)
    try:
        loaded = load_spec(str(path))
        return build_api(loaded.document, str(path))
    except SpecError as exc:
        assert exc.location.file, "a refusal names the file"
        assert str(exc).startswith(str(path)), str(exc)
        return exc


@EXAMPLES
@given(data=st.binary(max_size=400))
def test_random_bytes(folder: Path, data: bytes) -> None:
    outcome(folder, data)


@EXAMPLES
@given(text=st.text(max_size=300))
def test_random_text(folder: Path, text: str) -> None:
    outcome(folder, text.encode("utf-8", "surrogatepass"))


@EXAMPLES
@given(parts=st.lists(st.text(alphabet=YAML_ALPHABET, max_size=12) | YAML_WORDS, max_size=40))
def test_yaml_punctuation(folder: Path, parts: list[str]) -> None:
    outcome(folder, "".join(parts).encode("utf-8", "surrogatepass"))


@EXAMPLES
@given(value=JSON_VALUES, suffix=st.sampled_from([".json", ".yaml"]))
def test_random_json_values(folder: Path, value: Any, suffix: str) -> None:
    result = outcome(folder, json.dumps(value).encode(), suffix)
    if isinstance(value, dict) and not isinstance(result, SpecError):
        assert value.get("asyncapi") in {f"2.{minor}.0" for minor in range(7)} | {"3.0.0", "3.1.0"}


def mutate(text: str, edits: list[tuple[int, int, int, str]]) -> str:
    """Apply edits (kind, position, length, text) to ``text``: delete, insert, repeat or swap lines."""
    for kind, position, length, inserted in edits:
        at = position % (len(text) + 1)
        if kind == 0:
            text = text[:at] + text[at + length :]
        elif kind == 1:
            text = text[:at] + inserted + text[at:]
        else:
            lines = text.splitlines(keepends=True)
            if len(lines) < 2:
                continue
            first, second = at % len(lines), (at + length) % len(lines)
            if kind == 2:
                lines.insert(second, lines[first])
            else:
                lines[first], lines[second] = lines[second], lines[first]
            text = "".join(lines)
    return text


@pytest.mark.skipif(not SEEDS, reason="no seed documents")
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS or [SPECS / "hostile.yaml"]),
    edits=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 1_000_000),
            st.integers(1, 40),
            st.text(alphabet=YAML_ALPHABET, max_size=8) | YAML_WORDS,
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_documents(folder: Path, seed: Path, edits: list[tuple[int, int, int, str]]) -> None:
    text = mutate(seed.read_text("utf-8"), edits)
    outcome(folder, text.encode("utf-8", "surrogatepass"), seed.suffix)


def paths_in(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) to a node of ``value``."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_in(item, (*path, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``document`` with the node at ``path`` replaced (``...``: removed)."""
    if not path:
        return {} if value is ... else value
    copy: Any = dict(document) if isinstance(document, dict) else list(document)
    head, rest = path[0], path[1:]
    if rest:
        copy[head] = replaced(copy[head], rest, value)
    elif value is ...:
        del copy[head]
    else:
        copy[head] = value
    return copy


# Values that the normaliser meets in unexpected places: wrong types, references, odd schema words.
ODD_VALUES = JSON_VALUES | st.sampled_from(
    [..., {"$ref": "#/components"}, {"$ref": "#/"}, {"$ref": 5}, {"type": "nothing"}, {"oneOf": []}, [], {}, "{x}"]
)


@pytest.mark.skipif(not SEEDS, reason="no seed documents")
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS or [SPECS / "hostile.yaml"]),
    picks=st.lists(st.tuples(st.integers(0), ODD_VALUES), min_size=1, max_size=3),
)
def test_documents_with_values_replaced(folder: Path, seed: Path, picks: list[tuple[int, Any]]) -> None:
    try:
        document: Any = load_spec(str(seed)).document
    except SpecError:
        return  # a seed the generator refuses as it is (out of scope): nothing to mutate
    for index, value in picks:
        paths = list(paths_in(document))
        document = replaced(document, paths[index % len(paths)], value)
    outcome(folder, json.dumps(document).encode(), ".json")
