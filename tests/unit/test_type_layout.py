"""Annotations laid out by the generator are exactly what ``ruff format`` makes of them."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from asyncapi_ws_codegen.render.type_layout import (
    Name,
    Subscript,
    UnionOf,
    annotated_assignment,
    annotated_def,
    annotated_parameter,
    annotated_return,
    parse,
)


def test_parse_reads_names_unions_and_subscripts() -> None:
    assert parse("payloads.Say") == Name("payloads.Say")
    assert parse("DataCallback[A | B, None] | None") == UnionOf(
        (Subscript("DataCallback", (UnionOf((Name("A"), Name("B"))), Name("None"))), Name("None"))
    )


@pytest.mark.parametrize("bad", ["A |", "A[B", "A B", "", "A[B,]]"])
def test_parse_refuses_what_is_not_a_type(bad: str) -> None:
    with pytest.raises((ValueError, IndexError)):
        parse(bad)


def test_short_annotations_stay_on_one_line() -> None:
    assert annotated_parameter("message", "Say | Join") == "    message: Say | Join,"
    assert (
        annotated_parameter("parameters", "RoomParameters | None", "None")
        == "    parameters: RoomParameters | None = None,"
    )
    assert annotated_return("Subscription[Say, None]") == ") -> Subscription[Say, None]:"
    assert annotated_def("def __aiter__", ("self",), "AsyncIterator[Say]", 4) == (
        "    def __aiter__(self) -> AsyncIterator[Say]:"
    )
    assert annotated_assignment("reply", "Ack | Nack", "await f(") == "    reply: Ack | Nack = await f("


def test_a_long_union_parameter_takes_one_member_a_line_at_the_parameter_indent() -> None:
    members = [f"Message{'x' * 30}{n}" for n in range(3)]
    assert annotated_parameter("message", " | ".join(members)).splitlines() == [
        f"    message: {members[0]}",
        f"    | {members[1]}",
        f"    | {members[2]},",
    ]


def _random_name(rng: random.Random, longest: int) -> str:
    length = rng.choice([rng.randint(1, 12), rng.randint(10, 40), rng.randint(30, longest)])
    return "N" + "".join(rng.choice("abcdefgh_0123456789") for _ in range(length))


def _random_union(rng: random.Random, longest: int = 60) -> str:
    return " | ".join(_random_name(rng, longest) for _ in range(rng.choice([1, 1, 2, 3, 5])))


def _cases(rng: random.Random) -> list[str]:
    """Function definitions with random annotations, laid out by the generator."""
    cases = []
    for number in range(150):
        message, params, reply = _random_union(rng), _random_name(rng, 90), _random_union(rng)
        params_or_none = rng.choice([params, "None"])
        body = [
            annotated_parameter("message", message),
            annotated_parameter("on_data_callback", f"DataCallback[{message}, {params_or_none}] | None", "None"),
            annotated_parameter(
                "on_message", f"MessageCallback[{message}, {params_or_none}, {reply} | None] | None", "None"
            ),
            annotated_parameter("parameters", f"{params} | None", "None"),
            annotated_parameter("on_error", f"ErrorCallback[{params_or_none}] | None", "None"),
        ]
        annotation = rng.choice([f"Subscription[{message}, {params_or_none}]", reply, "None"])
        cases.append("\n".join([f"async def f{number}(", "    *,", *body, annotated_return(annotation), "    pass"]))
        reply_line = annotated_assignment("reply", reply, "await request(")
        cases.append("\n".join([f"async def g{number}() -> None:", reply_line, "        x,", "    )", "    pass"]))
        for iterator in ("AsyncIterator", "Iterator"):
            method = annotated_def("def __aiter__", ("self",), f"{iterator}[{_random_union(rng, 90)}]", 4)
            cases.append("\n".join([f"class C{number}{iterator}:", method, "        pass"]))
        keywords = ("*", f"message_{'m' * rng.randint(1, 40)}: object", "**_: object")
        callback = annotated_def(f"def h{number}", keywords, rng.choice([reply, _random_name(rng, 99)]), 4)
        cases.append("\n".join([f"def k{number}() -> None:", callback, "        pass"]))
    return cases


def test_random_annotations_are_laid_out_as_ruff_formats_them(tmp_path: Path) -> None:
    rendered = "\n\n\n".join(_cases(random.Random(20261205))) + "\n"
    source = tmp_path / "annotations.py"
    source.write_text(rendered, "utf-8")
    (tmp_path / "ruff.toml").write_text("line-length = 100\n", "utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "--no-cache", str(source)], check=True, cwd=tmp_path)
    formatted = source.read_text("utf-8")
    mismatches = [
        (mine, theirs)
        for mine, theirs in zip(rendered.split("\n\n\n"), formatted.split("\n\n\n"), strict=True)
        if mine != theirs
    ]
    assert not mismatches, (
        f"{len(mismatches)} differ; first, generated then ruff:\n{mismatches[0][0]}\n---\n{mismatches[0][1]}"
    )
