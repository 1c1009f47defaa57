"""What a one-edit build pays before it builds: start-up and imports (issue 17).

    python benchmarks/startup.py PORTFOLIO CHECKOUT [CHECKOUT ...] [--runs 7] [--top 15]

Each CHECKOUT is a source tree holding portfolio_gen/ (e.g. this one and a
``git worktree`` of main). Every checkout builds its own copy of PORTFOLIO
(e.g. benchmarks/.work/corpus-1000/portfolio) once, untimed; then, interleaved
over the checkouts, each run appends a line to the first project and builds
again: the "edit" build of benchmarks/run.py, with bytecode caching on as there.
Prints, per checkout, medians over the runs of wall and CPU (user+sys) of
(and the least CPU, steadier on a busy machine):

    bare     python -c pass
    imports  python -c "import ..." of every module the edit build imported
    edit     the edit build itself
    warm     a build right after it, with nothing changed

and the modules with the most self time under ``-X importtime`` (median).
Run it with the project's interpreter (.venv/bin/python): it builds every
checkout with the interpreter it runs in.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def cpu_of(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """(wall s, CPU s of cmd and its children, stderr); getrusage counts microseconds
    (os.times() only clock ticks, 10 ms)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"`{' '.join(cmd[:6])}` exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portfolio", type=Path)
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="startup-"))
    names = [str(c.resolve()) for c in args.checkouts]
    envs, sources, modules = {}, {}, {}
    for i, name in enumerate(names):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / f"pycache-{i}")
        env["PYTHONPATH"] = name
        src = work / f"portfolio-{i}"
        shutil.copytree(args.portfolio, src, ignore=shutil.ignore_patterns(".portfolio-cache"))
        envs[name], sources[name] = env, src
        cpu_of(build(src, work / f"site-{i}"), src, env)  # cold, untimed: caches filled
    times: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    self_us: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name in names}
    for run_no in range(args.runs + 1):  # run 0 is untimed: it finds the imports
        for i, name in enumerate(names):
            env, src, site = envs[name], sources[name], work / f"site-{i}"
            edit(src, run_no)
            wall, cpu, _ = cpu_of(build(src, site), src, env)
            warm = cpu_of(build(src, site), src, env)[:2]
            edit(src, run_no, again=True)
            _, _, err = cpu_of(
                [sys.executable, "-X", "importtime", *build(src, site)[1:]], src, env
            )
            top = []
            for self_time, _, indent, module in LINE.findall(err):
                self_us[name][module].append(int(self_time))
                if not indent:
                    top.append(module)
            if run_no == 0:
                modules[name] = top
                continue
            times[name, "edit"].append((wall, cpu))
            times[name, "warm"].append(warm)
            times[name, "bare"].append(cpu_of([sys.executable, "-c", "pass"], src, env)[:2])
            imports = f"import {', '.join(modules[name])}"
            times[name, "imports"].append(cpu_of([sys.executable, "-c", imports], src, env)[:2])
    for name in names:
        print(f"\n{name}  (medians of {args.runs} runs, ms)")
        for what in ("bare", "imports", "edit", "warm"):
            walls, cpus = zip(*times[name, what], strict=True)
            wall, cpu = statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3
            print(f"  {what:8} wall {wall:6.1f}  cpu {cpu:6.1f}  (least cpu {min(cpus) * 1e3:.1f})")
        bare = statistics.median(c for _, c in times[name, "bare"])
        imports = statistics.median(c for _, c in times[name, "imports"])
        print(f"  imports beyond bare python: cpu {(imports - bare) * 1e3:.1f}")
        ranked = sorted(self_us[name].items(), key=lambda kv: -statistics.median(kv[1]))
        print(f"  most self time under -X importtime (median µs, {len(ranked)} modules):")
        for module, us in ranked[: args.top]:
            print(f"    {statistics.median(us):7.0f}  {module}")
    shutil.rmtree(work, ignore_errors=True)


def build(src: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "portfolio_gen", "build", str(src), "-o", str(site), "--quiet"]


def edit(src: Path, run_no: int, again: bool = False) -> None:
    """Append a line to the first project, as benchmarks/run.py's edit build does."""
    first = sorted((src / "content" / "projects").iterdir())[0]
    target = first / "index.md" if first.is_dir() else first
    with target.open("a", encoding="utf-8") as f:
        f.write(f"\nOne more thing I noticed on run {run_no}{' again' if again else ''}.\n")


if __name__ == "__main__":
    main()
