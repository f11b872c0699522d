"""Generation benchmark: ``copier copy`` / ``copier update`` of synthetic specs, against a peer.

What one run measures, every command in its own measured subprocess (see :mod:`benchmarks.measure`):

- ``copier copy --trust --defaults`` of a tagged git copy of the template for synthetic specs of
  several sizes (N channels, 2N messages), and of the bundled example;
- ``copier update`` after 2% of the channels were edited (the edit committed first, as a user
  must), at the reference size, as a ratio to the copy of the same spec;
- the floor: ``copier copy`` of a one-file template with no extension (what copier itself costs);
- the peer: ``datamodel-code-generator`` writing dataclass models alone for the same spec's payload
  schemas (extracted into one JSON Schema document).

Cases alternate within each repeat (ours, the peer, ours...) so machine drift hits all of them;
figures are medians. ``--quick`` is a smoke run: tiny specs, one repeat.

    python -m benchmarks.generation_bench            # full run, about four minutes on two cores
    python -m benchmarks.generation_bench --quick    # seconds; numbers meaningless
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks.measure import Sample, measure
from benchmarks.report import format_figures
from benchmarks.synthetic_spec import Shape, build_spec, edit_channels, payload_json_schema, write

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

from helpers import git, make_template_repo  # noqa: E402

sys.path.insert(0, str(REPO_ROOT / "extensions"))
from asyncapi_ws_codegen.copier.compile_disk import CACHE_DIR_VARIABLE  # noqa: E402
from asyncapi_ws_codegen.load.answers_snapshot import (  # noqa: E402
    answers_yaml,
    snapshot_document,
    snapshot_json_text,
)

EDIT_FRACTION = 0.02
PEER = "datamodel-code-generator"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Settings:
    """What to run."""

    sizes: tuple[int, ...] = (10, 100, 500, 1000)
    reference: int = 500
    growth: tuple[int, int] = (100, 1000)
    repeats: int = 3
    fields: int = 8
    parameters: int = 1
    peer: bool = True

    @classmethod
    def quick(cls) -> Settings:
        return cls(sizes=(2, 5), reference=5, growth=(2, 5), repeats=1, fields=3)


@dataclass
class Series:
    """Samples of one case."""

    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    @property
    def median_s(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.peak_rss_mb for s in self.samples)

    @property
    def median_cpu_s(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    def record(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median_s, 4),
            "samples_s": [round(s.seconds, 4) for s in self.samples],
            "median_cpu_s": round(self.median_cpu_s, 4),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def copier_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "copier", *args]


def copy_command(template: Path, destination: Path, spec_source: str | None) -> list[str]:
    data = ["--data", f"spec_source={spec_source}"] if spec_source else []
    return copier_command("copy", "--trust", "--defaults", "--quiet", *data, str(template), str(destination))


def peer_command(schema: Path, output: Path) -> list[str]:
    # Formatters pinned to the tool's long-standing defaults, so a future default change does not
    # silently change what is measured.
    return [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(schema), "--input-file-type", "jsonschema",
        "--output-model-type", "dataclasses.dataclass",
        "--formatters", "black", "isort", "--disable-timestamp",
        "--output", str(output),
    ]  # fmt: skip


def make_floor_template(destination: Path) -> Path:
    """A one-file template without extensions: the cost of copier itself."""
    destination.mkdir(parents=True)
    (destination / "copier.yml").write_text("name:\n  type: str\n  default: floor\n", encoding="utf-8")
    (destination / "README.md.jinja").write_text("# {{ name }}\n", encoding="utf-8")
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "floor")
    git(destination, "tag", "v1")
    return destination


def answers_parse_cost(answers_file: Path) -> dict[str, Any]:
    """What one read of the answers file costs copier, which parses it with PyYAML's pure-Python
    ``safe_load`` (twice per update), against the same answers with the snapshot written as JSON
    text (the form below the compression threshold) and as a YAML mapping (the form of earlier
    releases). A diagnostic for the docs, measured in this process."""
    text = answers_file.read_text("utf-8")
    as_written = _safe_load_seconds(text)
    answers = yaml.safe_load(text)
    document = snapshot_document(answers["asyncapi_spec"])
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    json_text = answers_yaml({**answers, "asyncapi_spec": snapshot_json_text(document)})
    mapping_text = yaml.dump(
        {**answers, "asyncapi_spec": document}, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return {
        "bytes": len(text.encode("utf-8")),
        "pyyaml_safe_load_s": round(as_written, 4),
        "snapshot_as_json_text_bytes": len(json_text.encode("utf-8")),
        "snapshot_as_json_text_safe_load_s": round(_safe_load_seconds(json_text), 4),
        "snapshot_as_mapping_bytes": len(mapping_text.encode("utf-8")),
        "snapshot_as_mapping_safe_load_s": round(_safe_load_seconds(mapping_text), 4),
    }


def _safe_load_seconds(text: str) -> float:
    start = time.perf_counter()
    yaml.safe_load(text)
    return time.perf_counter() - start


def tree_size(root: Path) -> dict[str, int]:
    """Files and lines of a generated project (outside .git)."""
    files = [p for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts]
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    return {"files": len(files), "lines": lines, "bytes": sum(p.stat().st_size for p in files)}


class Bench:
    """One benchmark run in a scratch folder."""

    def __init__(self, settings: Settings, workdir: Path) -> None:
        self.settings = settings
        self.work = workdir
        self.template = make_template_repo(workdir / "template")
        self.floor_template = make_floor_template(workdir / "floor-template")
        self.specs: dict[int, Path] = {}
        self.shapes: dict[int, dict[str, Any]] = {}
        for size in sorted({*settings.sizes, settings.reference}):
            shape = Shape(channels=size, fields=settings.fields, parameters=settings.parameters)
            document = build_spec(shape)
            self.specs[size] = write(document, workdir / "specs" / f"synthetic-{size}.yaml")
            self.shapes[size] = {
                "channels": shape.channels,
                "messages": shape.messages,
                "fields": shape.fields,
                "parameters": shape.parameters,
                "shared_schemas": shape.shared_schemas,
                "spec_bytes": self.specs[size].stat().st_size,
            }
        self.peer_schema = write(
            payload_json_schema(build_spec(Shape(settings.reference, fields=settings.fields))),
            workdir / "specs" / f"payloads-{settings.reference}.json",
        )
        # The template's compiled code (compile_disk.py) in a folder of this run: the copies read it,
        # as a user's copies after the first do; the cold case starts from an empty one each time.
        self.compiled_env = {CACHE_DIR_VARIABLE: str(workdir / "compiled")}
        self.copies: dict[int, Series] = {size: Series() for size in self.specs}
        self.update = Series()
        self.bundled = Series()
        self.bundled_cold = Series()
        self.floor = Series()
        self.peer = Series()
        self.generated: dict[int, dict[str, int]] = {}
        self.peer_output: dict[str, int] = {}
        self.edited_channels = 0
        self.answers_diagnostic: dict[str, Any] = {}
        self._counter = 0

    def scratch(self, name: str) -> Path:
        self._counter += 1
        return self.work / "out" / f"{self._counter:04d}-{name}"

    # -- cases ------------------------------------------------------------------------------------

    def case_copy(self, size: int) -> None:
        destination = self.scratch(f"copy-{size}")
        command = copy_command(self.template, destination, str(self.specs[size]))
        self.copies[size].add(measure(command, env=self.compiled_env))
        self.generated[size] = tree_size(destination)
        if size == self.settings.reference:
            self.case_update(destination)
        shutil.rmtree(destination)

    def case_update(self, project: Path) -> None:
        """Commit the copy, edit 2% of its channels, commit, ``copier update``."""
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "generated")
        spec_file = project / "asyncapi.yaml"
        document = yaml.load(spec_file.read_text("utf-8"), Loader=_YAML_LOADER)
        edited = edit_channels(document, EDIT_FRACTION)
        write(document, spec_file)
        git(project, "commit", "-q", "-am", f"edit {edited} channels")
        self.edited_channels = edited
        update = copier_command("update", "--trust", "--defaults", "--quiet")
        self.update.add(measure(update, cwd=project, env=self.compiled_env))
        status = git(project, "status", "--porcelain")
        if ".rej" in status or "UU " in status:
            raise RuntimeError(f"copier update left conflicts in the benchmark project:\n{status}")
        if not self.answers_diagnostic:
            self.answers_diagnostic = answers_parse_cost(project / ".copier-answers.yml")

    def case_bundled(self) -> None:
        destination = self.scratch("bundled")
        self.bundled.add(measure(copy_command(self.template, destination, None), env=self.compiled_env))
        shutil.rmtree(destination)

    def case_bundled_cold(self) -> None:
        """The bundled example with nothing compiled yet: a user's first copy of a template version."""
        destination, compiled = self.scratch("bundled-cold"), self.scratch("compiled-cold")
        self.bundled_cold.add(
            measure(copy_command(self.template, destination, None), env={CACHE_DIR_VARIABLE: str(compiled)})
        )
        shutil.rmtree(destination)
        shutil.rmtree(compiled, ignore_errors=True)

    def case_floor(self) -> None:
        destination = self.scratch("floor")
        self.floor.add(
            measure(copier_command("copy", "--defaults", "--quiet", str(self.floor_template), str(destination)))
        )
        shutil.rmtree(destination)

    def case_peer(self) -> None:
        output = self.scratch("peer.py")
        output.parent.mkdir(parents=True, exist_ok=True)
        self.peer.add(measure(peer_command(self.peer_schema, output)))
        text = output.read_text("utf-8")
        self.peer_output = {"lines": text.count("\n"), "classes": text.count("\nclass ")}
        output.unlink()

    # -- run --------------------------------------------------------------------------------------

    def cases(self) -> list[tuple[str, Callable[[], None]]]:
        cases: list[tuple[str, Callable[[], None]]] = [
            ("floor", self.case_floor),
            ("bundled example", self.case_bundled),
            ("bundled example, nothing compiled", self.case_bundled_cold),
        ]
        for size in sorted(self.specs):
            cases.append((f"copy {size}", lambda size=size: self.case_copy(size)))
            if size == self.settings.reference and self.settings.peer:
                cases.append((f"peer {size}", self.case_peer))
        return cases

    def run(self, log: Callable[[str], None]) -> dict[str, Any]:
        cases = self.cases()
        # One copy first fills the compile cache, as a user's first copy of a template version does.
        warm_up = self.scratch("warm-up")
        measure(copy_command(self.template, warm_up, None), env=self.compiled_env)
        shutil.rmtree(warm_up)
        for repeat in range(self.settings.repeats):
            # Rotate the order each repeat: no case always runs first (cold caches) or last.
            shift = repeat % len(cases)
            for name, case in cases[shift:] + cases[:shift]:
                log(f"  generation repeat {repeat + 1}/{self.settings.repeats}: {name}")
                case()
        return self.result()

    def result(self) -> dict[str, Any]:
        s = self.settings
        reference = self.copies[s.reference]
        record: dict[str, Any] = {
            "settings": {
                "sizes": list(s.sizes),
                "reference_channels": s.reference,
                "repeats": s.repeats,
                "edit_fraction": EDIT_FRACTION,
            },
            "shapes": {str(k): v for k, v in self.shapes.items()},
            "copy": {str(k): {**v.record(), **self.generated.get(k, {})} for k, v in self.copies.items()},
            "update": {
                **self.update.record(),
                "channels": s.reference,
                "edited_channels": self.edited_channels,
                "answers_file": self.answers_diagnostic,
            },
            "bundled_example_copy": self.bundled.record(),
            "bundled_example_copy_nothing_compiled": self.bundled_cold.record(),
            "copier_floor_copy": self.floor.record(),
        }
        low, high = s.growth
        figures: list[dict[str, Any]] = []
        if low in self.copies and high in self.copies and low != high:
            growth = self.copies[high].median_s / self.copies[low].median_s
            record["growth"] = {
                "from_channels": low,
                "to_channels": high,
                "channel_ratio": high / low,
                "time_ratio": round(growth, 3),
                "cpu_ratio": round(self.copies[high].median_cpu_s / self.copies[low].median_cpu_s, 3),
            }
            figures.append(
                with_cpu(self.copies[high], self.copies[low], figure(
                    f"copy time growth {low} -> {high} channels",
                    self.copies[high].median_s, "s",
                    f"copy {low} channels", self.copies[low].median_s,
                    target=12.0 * (high / low) / 10, target_text=f"<= {1.2 * high / low:g}x",
                ))
            )  # fmt: skip
        for size in sorted(self.copies):
            row = figure(f"copy {size} channels", self.copies[size].median_s, "s", "copier floor", self.floor.median_s)
            figures.append(with_cpu(self.copies[size], self.floor, row))
        figures.append(
            with_cpu(self.bundled, self.floor, figure(
                "copy bundled example", self.bundled.median_s, "s", "copier floor", self.floor.median_s,
                absolute_target=1.2,  # was 2 s before the copy task stopped parsing the spec again
            ))
        )  # fmt: skip
        figures.append(
            with_cpu(self.bundled_cold, self.floor, figure(
                "copy bundled example, nothing compiled yet", self.bundled_cold.median_s, "s",
                "copier floor", self.floor.median_s,
            ))
        )  # fmt: skip
        figures.append(
            with_cpu(self.update, reference, figure(
                f"update after editing {self.edited_channels} of {s.reference} channels",
                self.update.median_s, "s", f"copy {s.reference} channels", reference.median_s, target=2.0,
            ))
        )  # fmt: skip
        if s.peer:
            version = importlib.metadata.version(PEER)
            record["peer"] = {
                "tool": PEER,
                "version": version,
                "channels": s.reference,
                "output": self.peer_output,
                **self.peer.record(),
            }
            figures.append(
                with_cpu(reference, self.peer, figure(
                    f"copy {s.reference} channels (whole package) vs {PEER} {version} (models only)",
                    reference.median_s, "s", f"{PEER} {s.reference} channels", self.peer.median_s,
                    target=1.0, absolute_target=10.0 if s.reference >= 500 else None,
                ))
            )  # fmt: skip
            figures.append(
                figure(
                    f"peak RSS copy {s.reference} channels", reference.peak_rss_mb, "MB",
                    f"{PEER} peak RSS", self.peer.peak_rss_mb,
                )
            )  # fmt: skip
        record["figures"] = figures
        return record


def with_cpu(series: Series, baseline: Series, row: dict[str, Any]) -> dict[str, Any]:
    """Add the same ratio in CPU seconds (user + system of the process tree) to a time figure."""
    if baseline.samples and baseline.median_cpu_s:
        row["cpu_ratio"] = round(series.median_cpu_s / baseline.median_cpu_s, 3)
    return row


def figure(
    name: str,
    value: float,
    unit: str,
    baseline_name: str,
    baseline: float,
    *,
    target: float | None = None,
    target_text: str | None = None,
    absolute_target: float | None = None,
) -> dict[str, Any]:
    """One printed figure: a value, its same-run baseline, the ratio, and the target if there is one."""
    ratio = value / baseline if baseline else float("nan")
    row: dict[str, Any] = {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "baseline": baseline_name,
        "baseline_value": round(baseline, 4),
        "ratio": round(ratio, 3),
        # Times and memory: a smaller ratio to the baseline is better.
        "better": "lower",
    }
    checks = []
    texts = []
    if target is not None:
        checks.append(ratio <= target)
        texts.append(target_text or f"ratio <= {target:g}")
        row["target_ratio"] = target
    if absolute_target is not None:
        checks.append(value <= absolute_target)
        texts.append(f"<= {absolute_target:g} {unit}")
    if checks:
        row["target"] = ", ".join(texts)
        row["met"] = all(checks)
    return row


def run(settings: Settings, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the generation benchmark; returns the JSON-ready record."""
    with tempfile.TemporaryDirectory(prefix="asyncapi-ws-genbench-") as tmp:
        return Bench(settings, Path(tmp)).run(log)


def parse_args(argv: list[str] | None) -> tuple[Settings, argparse.Namespace]:
    parser = argparse.ArgumentParser(description="copier copy/update timings of synthetic specs, against a peer")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return settings_from(args), args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared with ``python -m benchmarks``."""
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny specs, one repeat")
    parser.add_argument("--repeats", type=int, help="runs of every case (median reported); default 3")
    parser.add_argument("--sizes", help="channel counts to copy, comma-separated; default 10,100,500,1000")
    parser.add_argument("--reference", type=int, help="channel count of the update and peer cases; default 500")
    parser.add_argument("--no-peer", action="store_true", help=f"skip {PEER}")


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.quick() if args.quick else Settings()
    changes: dict[str, Any] = {}
    if args.repeats:
        changes["repeats"] = args.repeats
    if args.sizes:
        sizes = tuple(int(part) for part in args.sizes.split(","))
        changes["sizes"] = sizes
        changes["growth"] = (sizes[0], sizes[-1]) if (100 not in sizes or 1000 not in sizes) else (100, 1000)
    if args.reference:
        changes["reference"] = args.reference
    if args.no_peer:
        changes["peer"] = False
    return Settings(**{**settings.__dict__, **changes})


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    settings, _ = parse_args(argv)
    record = run(settings, log=lambda line: print(line, file=sys.stderr))
    print(format_figures(record["figures"]))
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
