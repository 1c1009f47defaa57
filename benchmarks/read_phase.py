"""The read phase of a cold build: CPU of the readers per project, and its wall time.

    .venv/bin/python benchmarks/read_phase.py [--corpus DIR] [--runs 5] [--jobs 2]
    .venv/bin/python benchmarks/read_phase.py --loop 5 [--corpus DIR]
    PYTHONPATH=OTHER .venv/bin/python benchmarks/read_phase.py ...   (another checkout)

Builds the corpus cold (no record cache, output to a temporary folder), each
time in a new process as the command line does, ``--runs`` times, and measures
``build.read_projects`` alone: its wall
time, the CPU of the reader processes it forks (``RUSAGE_CHILDREN``, the
renderers are forked later) and the parent's own CPU meanwhile (the theme's
templates are compiled while the readers work, and each record is unpickled
here). With ``--jobs 1`` the projects are read in this process. Prints each run
and the medians; run it in turns with another checkout and compare medians.

``--loop N`` reads every project of the corpus with ``read_project`` in this
process, once to warm up (imports, lexers) and then N times, and prints the
least CPU a project took: the readers' own work, steadier than a whole build
on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".work" / "corpus-1000" / "portfolio"


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--loop", type=int, default=0, help="read_project in this process N times")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # one build, in this process
    args = ap.parse_args()
    if args.one:
        return one(args.one, args.jobs)
    if args.loop:
        return loop(args.corpus.resolve(), args.loop)
    measured = []
    with tempfile.TemporaryDirectory(prefix="read-phase-") as tmp:
        root = Path(tmp) / "portfolio"
        shutil.copytree(args.corpus, root, ignore=shutil.ignore_patterns(".portfolio-cache"))
        for run in range(args.runs):
            shutil.rmtree(root / ".portfolio-cache", ignore_errors=True)
            command = [sys.executable, __file__, "--one", str(root), "--jobs", str(args.jobs)]
            got = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            wall, children, own, n = (float(x) for x in got.split())
            measured.append((wall, children, own, n))
            print(
                f"run {run + 1}: read {wall:.3f} s wall, readers {children:.3f} s CPU "
                f"({children / n * 1000:.3f} ms a project), parent {own:.3f} s CPU"
            )
    walls, readers, parents, n = (statistics.median(x) for x in zip(*measured, strict=True))
    print(
        f"median of {args.runs} ({os.cpu_count()} CPUs, jobs {args.jobs}): read {walls:.3f} s "
        f"wall, readers {readers:.3f} s CPU ({readers / n * 1000:.3f} ms a project), "
        f"parent {parents:.3f} s CPU"
    )
    return 0


def loop(root: Path, rounds: int) -> int:
    from portfolio_gen.config import load_config
    from portfolio_gen.content.projects import ReadSettings, read_project
    from portfolio_gen.content.sources import discover
    from portfolio_gen.diagnostics import Diagnostics

    config = load_config(root, Diagnostics(root), None)
    assert config is not None
    settings = ReadSettings(root, config.levels, config.allow_raw_html)
    paths = discover(root, Diagnostics(root)).projects
    times = []
    for _ in range(rounds + 1):
        start = time.process_time()
        for path in paths:
            read_project(path, settings)
        times.append(time.process_time() - start)
    print(
        f"{len(paths)} projects, {rounds} rounds after one: least "
        f"{min(times[1:]) / len(paths) * 1000:.3f} ms CPU a project "
        f"(median {statistics.median(times[1:]) / len(paths) * 1000:.3f}; first round "
        f"{times[0] / len(paths) * 1000:.3f})"
    )
    return 0


def one(root: Path, jobs: int) -> int:
    """One cold build of ``root`` in this process: prints the read phase's numbers."""
    from portfolio_gen import build

    measured: list[tuple[float, float, float, int]] = []
    original = build.read_projects

    def timed(sources, *rest, **named):  # type: ignore[no-untyped-def]
        wall, children, own = (
            time.perf_counter(),
            cpu(resource.RUSAGE_CHILDREN),
            cpu(resource.RUSAGE_SELF),
        )
        found = original(sources, *rest, **named)
        measured.append(
            (
                time.perf_counter() - wall,
                cpu(resource.RUSAGE_CHILDREN) - children,
                cpu(resource.RUSAGE_SELF) - own,
                len(sources.projects),
            )
        )
        return found

    build.read_projects = timed
    with tempfile.TemporaryDirectory(prefix="read-phase-site-") as out:
        result = build.build(root, build.Options(out=Path(out) / "site", jobs=jobs))
    if result.failed:
        print("the build failed", file=sys.stderr)
        return 1
    print(*measured[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
