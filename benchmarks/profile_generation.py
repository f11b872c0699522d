"""Profile one ``copier copy`` (and optionally the ``copier update`` after it) with cProfile.

Runs copier in this process on a tagged git copy of the working tree's template and a synthetic
spec, then prints the functions that take the most time. Subprocesses copier starts (git, the
copy task, the update migration) appear as time spent waiting for them.

    python -m benchmarks.profile_generation --channels 500
    python -m benchmarks.profile_generation --channels 500 --update --sort tottime -o /tmp/update.prof
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

import copier
import yaml

from benchmarks.generation_bench import EDIT_FRACTION
from benchmarks.synthetic_spec import Shape, build_spec, edit_channels, write

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers import git, make_template_repo


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--fields", type=int, default=8)
    parser.add_argument("--update", action="store_true", help="profile the update after a 2%% edit instead")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--limit", type=int, default=40, help="rows to print")
    parser.add_argument("-o", "--output", type=Path, help="also save the raw profile here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="asyncapi-ws-profile-") as tmp:
        work = Path(tmp)
        template = make_template_repo(work / "template")
        spec = write(build_spec(Shape(channels=args.channels, fields=args.fields)), work / "spec.yaml")
        project = work / "project"
        profiler = cProfile.Profile()

        def copy() -> None:
            copier.run_copy(
                str(template), str(project), data={"spec_source": str(spec)}, defaults=True, unsafe=True, quiet=True
            )

        if args.update:
            copy()
            git(project, "init", "-q", "-b", "main")
            git(project, "add", "-A")
            git(project, "commit", "-q", "-m", "generated")
            document = yaml.safe_load((project / "asyncapi.yaml").read_text("utf-8"))
            edit_channels(document, EDIT_FRACTION)
            write(document, project / "asyncapi.yaml")
            git(project, "commit", "-q", "-am", "edit")
            profiler.runcall(copier.run_update, str(project), defaults=True, overwrite=True, unsafe=True, quiet=True)
        else:
            profiler.runcall(copy)
    if args.output:
        profiler.dump_stats(args.output)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.limit)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
