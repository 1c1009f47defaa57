"""The render phase of cold builds, checkouts interleaved (issue 17).

    python benchmarks/render_phase.py PORTFOLIO CHECKOUT [CHECKOUT ...] [--runs 5] [--sites DIR]

Builds PORTFOLIO cold (its .portfolio-cache and the last output set aside, not
deleted, so no build pays for freeing them) with each checkout in turn, --runs
rounds, each in a fresh process with PYTHONPATH set to the checkout and
bytecode caching on. Prints per checkout the medians of the whole build's wall
and CPU (user+sys, with its workers) and of the render phase
(``site.parallel.render_pages``: its wall, and the CPU of this process and the
render workers while it ran). ``--sites`` on a tmpfs (/dev/shm/x) leaves the
disk's cost of creating files out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(src: Path, out: Path) -> None:
    """One cold build in this process; prints its timings as JSON."""
    start = time.perf_counter()
    from portfolio_gen import build
    from portfolio_gen.site import parallel

    phase: dict[str, float] = {}
    render_pages = parallel.render_pages

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        before, wall = os.times(), time.perf_counter()
        try:
            return render_pages(*args, **kwargs)
        finally:
            after = os.times()
            phase["render_wall"] = time.perf_counter() - wall
            phase["render_cpu"] = sum(after[:4]) - sum(before[:4])

    parallel.render_pages = timed  # (build imports it when it renders)
    result = build.build(src, build.Options(out=out))
    assert not result.diagnostics.errors, "the build failed"
    done = os.times()
    phase["wall"] = time.perf_counter() - start
    phase["cpu"] = sum(done[:4])
    print(json.dumps(phase))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portfolio", type=Path)
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sites", type=Path)
    args = parser.parse_args()
    src = args.portfolio.resolve()
    sites = Path(tempfile.mkdtemp(dir=args.sites))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(sites / "pycache"))
    got: dict[Path, list[dict[str, float]]] = {c: [] for c in args.checkouts}
    try:
        for run in range(args.runs + 1):  # the first round compiles bytecode: not counted
            for checkout in args.checkouts:
                out = sites / "site"
                for stale in (out, src / ".portfolio-cache"):
                    if stale.exists():
                        stale.rename(sites / f"trash-{time.time_ns()}")
                os.sync()
                command = [sys.executable, __file__, "--child", str(src), str(out)]
                env["PYTHONPATH"] = str(checkout.resolve())
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                if run:
                    got[checkout].append(json.loads(done.stdout.splitlines()[-1]))
    finally:
        shutil.rmtree(sites, ignore_errors=True)
    for checkout, runs in got.items():
        median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{checkout}: build {median['wall']:.3f} s wall, {median['cpu']:.3f} s CPU; "
            f"render phase {median['render_wall']:.3f} s wall, {median['render_cpu']:.3f} s CPU"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
