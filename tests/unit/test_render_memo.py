"""Rendered file templates reused by a render with the very same inputs (an update's two renders of
the new version), and never by one whose inputs differ in anything a template can read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asyncapi_ws_codegen.copier import compile_disk, render_memo
from asyncapi_ws_codegen.copier.render_memo import UNREAD_VARIABLES, keep_rendered_files
from asyncapi_ws_codegen.errors import Location
from helpers import REPO_ROOT
from jinja2 import FileSystemLoader, nodes
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE = "{% from 'template/_macros/m.jinja' import shout %}{{ shout(name) }} {{ place.file }} {{ name | counted }}"


@pytest.fixture(autouse=True)
def empty_store() -> None:
    render_memo._RENDERED.entries.clear()


class Renders:
    """A template folder and environments on it like copier's, counting the renders that ran."""

    def __init__(self, folder: Path, macro: str = "{% macro shout(x) %}{{ x | upper }}!{% endmacro %}") -> None:
        (folder / "template" / "_macros").mkdir(parents=True)
        (folder / "template" / "page.txt.jinja").write_text(TEMPLATE, "utf-8")
        (folder / "template" / "_macros" / "m.jinja").write_text(macro, "utf-8")
        (folder / "copier.yml").write_text("_subdirectory: template\n", "utf-8")
        self.folder = folder
        self.ran = 0

    def counted(self, _: object) -> int:
        self.ran += 1
        return self.ran

    def render(self, **variables: Any) -> str:
        environment = SandboxedEnvironment(loader=FileSystemLoader(self.folder))
        environment.filters["counted"] = self.counted  # a filter, as the generator's: not a variable
        keep_rendered_files(environment)
        defaults: dict[str, Any] = {"name": "ada", "place": Location("a.yaml")}
        return environment.get_template("template/page.txt.jinja").render(**{**defaults, **variables})


def test_the_same_inputs_in_another_environment_are_a_look_up(tmp_path: Path) -> None:
    renders = Renders(tmp_path / "t")
    place = Location("a.yaml")
    first = renders.render(place=place, _copier_conf={"dst_path": "/project"}, _folder_name="project")
    # The replay: another environment, another destination, the same answers and model object.
    second = renders.render(place=place, _copier_conf={"dst_path": "/tmp/replay"}, _folder_name="replay")
    assert first == second == "ADA! a.yaml 1"
    assert renders.ran == 1


def test_any_other_input_renders_again(tmp_path: Path) -> None:
    renders = Renders(tmp_path / "t")
    place = Location("a.yaml")
    renders.render(place=place)
    assert renders.render(place=place, name="bob").startswith("BOB!")  # another answer
    # An equal model that is another object: a model is one object per document and process.
    renders.render(place=Location("a.yaml"))
    assert renders.ran == 3
    # Another version of a file the template imports, the template file itself unchanged.
    other = Renders(tmp_path / "other", macro="{% macro shout(x) %}{{ x | lower }}?{% endmacro %}")
    other.ran = renders.ran
    assert other.render(place=place) == "ada? a.yaml 4"


def test_a_value_of_an_unknown_kind_is_never_kept(tmp_path: Path) -> None:
    renders = Renders(tmp_path / "t")
    place = Location("a.yaml")
    for _ in range(2):
        renders.render(place=place, unknown=object())
    assert renders.ran == 2 and not render_memo._RENDERED.entries


def test_file_templates_never_read_the_variables_left_out_of_the_key() -> None:
    environment = SandboxedEnvironment()
    template_files = sorted((REPO_ROOT / "template").rglob("*.jinja"))
    assert len(template_files) > 10
    for path in template_files:
        # Every name a template loads (its own local names too: enough to show these are not among them).
        tree = environment.parse(path.read_text("utf-8"))
        read = {name.name for name in tree.find_all(nodes.Name) if name.ctx == "load"}
        assert not read & UNREAD_VARIABLES, f"{path.relative_to(REPO_ROOT)} reads {sorted(read & UNREAD_VARIABLES)}"


def test_the_replay_of_a_generation_reads_the_texts_its_render_kept_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    renders = Renders(tmp_path / "t")
    generated = Location("a.yaml")  # stands for the model: named by the ContextHook from its document
    render_memo.name_model(generated, "document-1", replayed=False)
    first = renders.render(place=generated)
    (kept,) = (tmp_path / "cache" / "rendered").glob("*.text")

    def later_process(name: str, *, replayed: bool) -> str:
        render_memo._RENDERED.entries.clear()
        model = Location("a.yaml")
        render_memo.name_model(model, name, replayed=replayed)
        return renders.render(place=model)

    assert later_process("document-1", replayed=True) == first and renders.ran == 1  # read back
    assert later_process("document-1", replayed=False) == "ADA! a.yaml 2"  # a copy renders
    assert later_process("document-2", replayed=True) == "ADA! a.yaml 3"  # another document
    kept.write_bytes(b"damaged")
    assert later_process("document-1", replayed=True) == "ADA! a.yaml 4"


def test_no_cache_folder_means_nothing_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(compile_disk.CACHE_DIR_VARIABLE, "")
    renders = Renders(tmp_path / "t")
    model = Location("a.yaml")
    render_memo.name_model(model, "document-1", replayed=False)
    renders.render(place=model)
    render_memo._RENDERED.entries.clear()
    render_memo.name_model(model, "document-1", replayed=True)
    renders.render(place=model)
    assert renders.ran == 2 and not list(tmp_path.rglob("*.text"))
