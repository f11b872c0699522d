"""The one benchmark command: generation, payload decoding and runtime, ratios to same-run baselines.

    python -m benchmarks                 # full run; writes benchmarks/results/latest.json and docs/img/benchmarks.png
    python -m benchmarks --quick         # smoke run (seconds to a minute; the figures mean nothing)
    python -m benchmarks --only generation --repeats 5

Every figure is printed as a ratio against a baseline measured in the same run on the same machine
(absolute numbers drift between runs on shared machines; ratios much less). Sections:

- ``generation`` (:mod:`benchmarks.generation_bench`): ``copier copy`` / ``update`` timings and peak
  memory, against copier's own floor and against datamodel-code-generator;
- ``payload`` (``benchmarks/payload_bench.py``): decode + validate against ``jsonschema``;
- ``runtime`` (``benchmarks/runtime_bench.py``): publish/register, request/reply and multiplexed
  subscriptions against raw ``websockets``;
- ``fanout`` (``benchmarks/fanout_bench.py``): ``broadcast_to_*`` to 1,000 local clients against
  ``websockets.broadcast``, and across two processes through Redis against redis-py by hand.

A section module provides ``run(quick: bool) -> dict``; when its record holds a ``figures`` list
(rows with ``name``, ``value``, ``unit``, ``baseline``, ``baseline_value``, ``ratio`` and optionally
``target``, ``target_ratio``, ``better``, ``met``) those rows are printed and plotted. A section whose
module is absent is skipped with a note in the record.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import generation_bench
from benchmarks.report import format_figures

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = REPO_ROOT / "benchmarks" / "results" / "latest.json"
DEFAULT_PLOT = REPO_ROOT / "docs" / "img" / "benchmarks.png"
SECTIONS = ("generation", "payload", "runtime", "fanout")
_OTHER_MODULES = {
    "payload": "benchmarks.payload_bench",
    "runtime": "benchmarks.runtime_bench",
    "fanout": "benchmarks.fanout_bench",
}
_VERSIONS = ("copier", "copier-template-extensions", "jinja2", "pyyaml", "websockets", "jsonschema",
             "fastjsonschema", "datamodel-code-generator", "uvicorn", "starlette", "redis")  # fmt: skip


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    versions = {}
    for name in _VERSIONS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    info["versions"] = versions
    try:
        import yaml

        info["libyaml"] = bool(getattr(yaml, "__with_libyaml__", False))
    except ImportError:  # pragma: no cover - copier depends on PyYAML
        info["libyaml"] = False
    return info


def run_generation(args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    return generation_bench.run(generation_bench.settings_from(args), log=log)


def run_other(section: str, quick: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """Run ``benchmarks/<section>_bench.py`` through its ``run(quick=...)``; a note when it is absent."""
    module_name = _OTHER_MODULES[section]
    if importlib.util.find_spec(module_name) is None:
        return {"skipped": f"{module_name} is not present"}
    module = importlib.import_module(module_name)
    runner = getattr(module, "run", None)
    if runner is None:
        # A script without the run() entry point still runs as a script; its report is kept as text.
        if quick:
            return {"skipped": f"{module_name} has no run(quick=...) function (not run in --quick mode)"}
        log(f"{section}: running {module_name} as a script")
        done = subprocess.run(
            [sys.executable, "-m", module_name], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
        return {"output": done.stdout}
    log(f"{section}: running {module_name}")
    result = runner(quick=quick)
    return result if isinstance(result, dict) else {"result": result}


def format_section(name: str, record: dict[str, Any]) -> str:
    if "skipped" in record:
        return f"== {name}: skipped ({record['skipped']})"
    if "error" in record:
        return f"== {name}: FAILED\n{record['error']}"
    figures = record.get("figures")
    if not figures and isinstance(record.get("output"), str):
        return f"== {name}\n{record['output'].rstrip()}"
    if not figures:
        return f"== {name}\n{json.dumps(record, indent=2)}"
    return f"== {name}\n{format_figures(figures)}"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n", 1)[0])
    generation_bench.add_arguments(parser)
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"record to write (default {DEFAULT_JSON})")
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT, help=f"PNG to write (default {DEFAULT_PLOT})")
    parser.add_argument("--no-plot", action="store_true", help="do not draw the PNG")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    sections = args.only or list(SECTIONS)
    record: dict[str, Any] = {
        "command": "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:]),
        "quick": bool(args.quick),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "sections": {},
    }
    failed = False
    for section in SECTIONS:
        if section not in sections:
            record["sections"][section] = {"skipped": "not selected (--only)"}
            continue
        start = time.perf_counter()
        try:
            quick = bool(args.quick)
            result = run_generation(args, log) if section == "generation" else run_other(section, quick, log)
        except Exception:
            failed = True
            result = {"error": traceback.format_exc()}
        result.setdefault("wall_s", round(time.perf_counter() - start, 2))
        record["sections"][section] = result
        print(format_section(section, result), flush=True)
    record["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"record: {args.json}")
    if not args.no_plot:
        from benchmarks.report import plot

        plot(record, args.plot)
        print(f"plot: {args.plot}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
