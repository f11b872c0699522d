"""Compiled template code kept on disk between copier runs (the user's cache folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncapi_ws_codegen.copier import compile_disk
from asyncapi_ws_codegen.copier.compile_cache import COMPILED, share_compiles
from jinja2 import Environment

SOURCE = "{% for x in items %}{{ x | shout }} {% endfor %}"


def counting_environment(calls: list[str]) -> Environment:
    """An environment whose own compiler records each source it compiles."""
    environment = Environment()
    environment.filters["shout"] = lambda value: f"{value}!"
    original = environment.compile

    def compile_counted(source: object, *args: object, **kwargs: object) -> object:
        calls.append(str(source))
        return original(source, *args, **kwargs)  # type: ignore[arg-type]

    environment.compile = compile_counted  # type: ignore[method-assign,assignment]
    share_compiles(environment)
    return environment


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A new process as far as the cache goes: no code in memory, a cache folder of the test's own."""
    COMPILED.entries.clear()
    folder = tmp_path / "compiled"
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, str(folder))
    return folder


def test_a_later_run_reads_the_code_instead_of_compiling(fresh_process: Path) -> None:
    first_calls: list[str] = []
    assert counting_environment(first_calls).from_string(SOURCE).render(items=[1, 2]) == "1! 2! "
    assert first_calls == [SOURCE]
    assert len(list(fresh_process.glob("*.code"))) == 1
    COMPILED.entries.clear()  # the next copier run: a new process
    later_calls: list[str] = []
    assert counting_environment(later_calls).from_string(SOURCE).render(items=[3]) == "3! "
    assert later_calls == []


def test_another_source_or_configuration_is_compiled_not_read(fresh_process: Path) -> None:
    counting_environment([]).from_string(SOURCE)
    COMPILED.entries.clear()
    calls: list[str] = []
    environment = counting_environment(calls)
    environment.trim_blocks = True
    environment.from_string(SOURCE)
    environment.from_string(SOURCE + "!")
    assert len(calls) == 2


def test_a_damaged_file_is_compiled_again_and_replaced(fresh_process: Path) -> None:
    counting_environment([]).from_string(SOURCE)
    (stored,) = fresh_process.glob("*.code")
    stored.write_bytes(b"\x00not code")
    COMPILED.entries.clear()
    calls: list[str] = []
    assert counting_environment(calls).from_string(SOURCE).render(items=[1]) == "1! "
    assert calls == [SOURCE]
    assert stored.read_bytes() != b"\x00not code"


def test_an_unwritable_folder_or_an_empty_setting_means_no_cache(
    fresh_process: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, str(blocker / "compiled"))  # under a file
    assert counting_environment([]).from_string(SOURCE).render(items=[1]) == "1! "
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, "")
    assert compile_disk.cache_folder() is None
    COMPILED.entries.clear()
    assert counting_environment([]).from_string(SOURCE).render(items=[2]) == "2! "
    assert not fresh_process.exists()


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(compile_disk.CACHE_DIR_VARIABLE)
    folder = compile_disk.cache_folder()
    assert folder is not None and folder.parts[-2:] == ("asyncapi-ws-template", "compiled")
