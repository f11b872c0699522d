"""Time one command and report the peak memory of its process tree, isolated from everything else.

``resource.getrusage(RUSAGE_CHILDREN)`` only reports the largest resident set of the children a
process has waited for, so each measured command runs under its own small Python process (this
module): what that process reports covers the command and its descendants and nothing else.

Usage (prints one JSON object)::

    python -m benchmarks.measure [--cwd DIR] -- COMMAND [ARG...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """Wall time, CPU time and peak RSS of one command run."""

    seconds: float
    peak_rss_mb: float
    # User + system CPU of the whole process tree: steadier than wall time on a busy machine.
    cpu_seconds: float = 0.0


def main(argv: list[str] | None = None) -> int:
    """Run the command, print ``{"seconds", "cpu_seconds", "peak_rss_mb", "returncode"}``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cwd", type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    start = time.perf_counter()
    result = subprocess.run(command, cwd=args.cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    record = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": peak_mb,
        "returncode": result.returncode,
    }
    if result.returncode != 0:
        record["output"] = (result.stdout + result.stderr)[-4000:]
    print(json.dumps(record))
    return 0


def measure(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run ``command`` under a fresh measuring process; raise with its output when it fails."""
    wrapper = [sys.executable, "-m", "benchmarks.measure"]
    if cwd is not None:
        wrapper += ["--cwd", str(cwd)]
    repo = str(Path(__file__).resolve().parents[1])
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (repo, full_env.get("PYTHONPATH", "")) if p)
    result = subprocess.run([*wrapper, "--", *command], capture_output=True, text=True, env=full_env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"measuring {command} failed:\n{result.stdout}\n{result.stderr}")
    record = json.loads(result.stdout.strip().splitlines()[-1])
    if record["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({record['returncode']}):\n{record.get('output', '')}")
    return Sample(seconds=record["seconds"], peak_rss_mb=record["peak_rss_mb"], cpu_seconds=record["cpu_seconds"])


if __name__ == "__main__":
    sys.exit(main())
