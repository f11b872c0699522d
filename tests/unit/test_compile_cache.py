"""Jinja code shared between identically configured environments (the template clones of one run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from asyncapi_ws_codegen.copier.compile_cache import COMPILED, share_compiles
from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError
from jinja2.exceptions import TemplateAssertionError

SOURCE = "{% for x in items %}\n  {{ x | shout }}\n{% endfor %}\n"


def shouting(**options: object) -> Environment:
    environment = Environment(**options)  # type: ignore[arg-type]
    environment.filters["shout"] = lambda value: f"{value}!"
    share_compiles(environment)
    return environment


@pytest.fixture(autouse=True)
def empty_store() -> None:
    COMPILED.entries.clear()


def test_a_second_environment_reuses_the_code_and_renders_the_same() -> None:
    first, second = shouting(), shouting()
    assert first.from_string(SOURCE).render(items=[1, 2]) == "\n  1!\n\n  2!\n"
    assert len(COMPILED.entries) == 1
    assert second.from_string(SOURCE).render(items=[1, 2]) == "\n  1!\n\n  2!\n"
    assert len(COMPILED.entries) == 1


def test_options_that_change_parsing_never_share() -> None:
    plain, trimmed = shouting(), shouting(trim_blocks=True, lstrip_blocks=True)
    assert plain.from_string(SOURCE).render(items=[1]) == "\n  1!\n"
    assert trimmed.from_string(SOURCE).render(items=[1]) == "  1!\n"
    assert len(COMPILED.entries) == 2
    other_delimiters = shouting(variable_start_string="[[", variable_end_string="]]")
    assert other_delimiters.from_string("[[ 1 ]]{{ 2 }}").render() == "1{{ 2 }}"


def test_an_environment_without_a_filter_still_refuses_the_source() -> None:
    shouting().from_string(SOURCE)
    without = Environment()
    share_compiles(without)
    with pytest.raises(TemplateAssertionError, match="shout"):
        without.from_string(SOURCE)


def test_file_templates_are_shared_and_name_their_own_file(tmp_path: Path) -> None:
    # Each template clone has its own folder: the shared code is labelled with the asking clone's file.
    for clone in ("one", "two"):
        (tmp_path / clone).mkdir()
        (tmp_path / clone / "a.txt").write_text("{% macro m() %}{{ 1 }}{% endmacro %}{{ m() }}", "utf-8")
    first = shouting(loader=FileSystemLoader(tmp_path / "one"))
    second = shouting(loader=FileSystemLoader(tmp_path / "two"))
    assert first.get_template("a.txt").render() == second.get_template("a.txt").render() == "1"
    assert len(COMPILED.entries) == 1
    code = second.get_template("a.txt").root_render_func.__code__
    assert code.co_filename == str(tmp_path / "two" / "a.txt")
    # The macro's code is nested in the template's: it is re-labelled too.
    macro = second.get_template("a.txt").module.m  # type: ignore[attr-defined]
    assert macro._func.__code__.co_filename == str(tmp_path / "two" / "a.txt")


def test_syntax_errors_are_not_stored() -> None:
    environment = shouting()
    for _ in range(2):
        with pytest.raises(TemplateSyntaxError):
            environment.from_string("{% if %}")
    assert len(COMPILED.entries) == 0
