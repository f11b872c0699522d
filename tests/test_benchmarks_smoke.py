"""The benchmark command runs end to end in its quickest mode and writes a complete record.

No timing is asserted: benchmarks measure, tests check behaviour. This only proves that the one
documented command (``python -m benchmarks``) still works against the current template.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO_ROOT

pytestmark = pytest.mark.slow


def test_synthetic_spec_is_deterministic_and_shaped(tmp_path: Path) -> None:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from benchmarks.synthetic_spec import Shape, build_spec, edit_channels, payload_json_schema, write

    shape = Shape(channels=3, messages_per_channel=3, fields=4, parameters=2, shared_schemas=2)
    first = write(build_spec(shape), tmp_path / "a.yaml").read_bytes()
    second = write(build_spec(shape), tmp_path / "b.yaml").read_bytes()
    assert first == second
    document = yaml.safe_load(first)
    assert len(document["channels"]) == 3
    assert len(document["components"]["messages"]) == 9
    assert document["channels"]["channel0001"]["address"] == "svc/ch0001/{param0Id}/{param1Id}"
    payload = document["components"]["messages"]["Event0000A"]["payload"]
    assert len(payload["properties"]) == 4
    schema = payload_json_schema(document)
    assert set(schema["$defs"]) >= {"Shared000", "Shared001", "Event0000APayload", "Event0000BPayload"}
    assert "#/components/" not in json.dumps(schema)
    assert edit_channels(document, 0.5) == 2


def test_benchmark_command_quick_record(tmp_path: Path) -> None:
    record_path = tmp_path / "latest.json"
    plot_path = tmp_path / "benchmarks.png"
    result = subprocess.run(
        [
            sys.executable, "-m", "benchmarks", "--quick", "--only", "generation",
            "--json", str(record_path), "--plot", str(plot_path),
        ],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads(record_path.read_text("utf-8"))
    assert record["quick"] is True
    assert {"nproc", "python", "versions", "memory_gib"} <= set(record["machine"])
    assert record["machine"]["versions"]["copier"]
    assert set(record["sections"]) == {"generation", "payload", "runtime", "fanout"}
    generation = record["sections"]["generation"]
    assert set(generation) >= {
        "settings", "shapes", "copy", "update", "bundled_example_copy", "copier_floor_copy",
        "growth", "peer", "figures",
    }  # fmt: skip
    assert set(generation["copy"]) == {"2", "5"}
    for case in (*generation["copy"].values(), generation["update"], generation["peer"]):
        assert case["median_s"] > 0
        assert case["peak_rss_mb"] > 0
    assert generation["copy"]["5"]["files"] > 5
    assert generation["update"]["edited_channels"] == 1
    assert generation["peer"]["output"]["classes"] > 0
    for figure in generation["figures"]:
        assert {"name", "value", "unit", "baseline", "baseline_value", "ratio"} <= set(figure)
        # Every printed figure is a ratio to a baseline of the same run.
        assert figure["name"] in result.stdout
    assert plot_path.read_bytes().startswith(b"\x89PNG")


def quick_record(module: str) -> dict[str, Any]:
    """The record of ``<module>.run(quick=True)``, run in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", f"import json, {module} as b; print(json.dumps(b.run(quick=True)))"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    record: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


def test_fanout_benchmark_quick_gives_both_ratios(redis_server: object) -> None:
    """The fan-out section in its quickest mode: local and Redis figures, each a same-run ratio.

    (``redis_server`` only makes the test skip, saying why, where no redis-server exists; the
    benchmark starts its own.)
    """
    record = quick_record("benchmarks.fanout_bench")
    names = [figure["name"] for figure in record["figures"]]
    assert names == ["broadcast_to_* to 50 local clients", "broadcast_to_* via Redis, 2 processes"]
    for figure in record["figures"]:
        assert figure["value"] > 0 and figure["baseline_value"] > 0 and figure["ratio"] > 0
        assert figure["target"] in (0.9, 0.8)


def test_runtime_benchmark_quick_gives_every_ratio() -> None:
    """The runtime section in its quickest mode: every case measured over real sockets, each ratio
    to its same-run baseline, and the raw loop against itself as the noise floor (no target)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from benchmarks.runtime_bench import RATIOS

    record = quick_record("benchmarks.runtime_bench")
    assert [(f["name"], f["baseline"], f.get("target")) for f in record["figures"]] == RATIOS
    for figure in record["figures"]:
        assert figure["value"] > 0 and figure["baseline_value"] > 0
        low, high = figure["ratio_quartiles"]
        assert 0 < low <= figure["ratio"] <= high
    assert len(record["medians"]) == 15


def test_the_answers_file_diagnostic_reads_a_compressed_snapshot(tmp_path: Path) -> None:
    from asyncapi_ws_codegen.load.answers_snapshot import HEADER, answers_yaml, snapshot_text

    from benchmarks.generation_bench import answers_parse_cost
    from benchmarks.synthetic_spec import Shape, build_spec

    answers = tmp_path / ".copier-answers.yml"
    snapshot = snapshot_text(build_spec(Shape(channels=300)))
    assert snapshot.startswith("bzip2 base64\n")
    answers.write_text(HEADER + answers_yaml({"spec_path": "asyncapi.yaml", "asyncapi_spec": snapshot}), "utf-8")
    cost = answers_parse_cost(answers)
    assert cost["bytes"] * 10 < cost["snapshot_as_json_text_bytes"] < cost["snapshot_as_mapping_bytes"]
