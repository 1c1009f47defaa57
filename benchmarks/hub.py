"""Benchmark ``portfolio-gen hub``: N generated learners x M projects each.

    .venv/bin/python benchmarks/hub.py [--learners 200] [--projects 20] [--jobs J] [--json FILE]

Each learner is a portfolio made with benchmarks/corpus.py's generator (a
different seed per learner, its own name and base_url); HUB.yml lists them all
with a few goals. The hub is built three ways (``--repeat`` times each, medians shown) in a
separate process, timed by wall clock, with the peak resident memory of its whole process tree (the hub
plus its member-building workers) sampled from /proc every 50 ms:

- cold: no output and no member caches (every member read and rendered);
- warm: the same again, nothing changed (every member reuses its pages);
- edit: after one sentence is added to one learner's project.

Everything lives in benchmarks/.work/hub-<N>x<M>/ (git-ignored). See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

FIRST = ["Maya", "Jay", "Amara", "Leo", "Priya", "Tomás", "Mei", "Sam", "Noor", "Ezra", "Lina"]
GOALS = ["MS-ETS1-4", "MS-ETS1-1", "CCSS.Math.Content.7.RP.A.2", "MS-LS2-5", "HS-ETS1-2"]


def make_hub(root: Path, learners: int, projects: int) -> Path:
    """root/learners/<slug>/ portfolios and root/HUB.yml; made once per size."""
    stamp = root / "recipe.json"
    recipe = {"learners": learners, "projects": projects, "version": 1}
    if stamp.is_file() and json.loads(stamp.read_text()) == recipe:
        return root / "HUB.yml"
    shutil.rmtree(root, ignore_errors=True)
    members = []
    for i in range(learners):
        name = f"{FIRST[i % len(FIRST)]} {chr(65 + (i // len(FIRST)) % 26)}."
        slug = f"learner-{i + 1:03d}"
        folder = root / "learners" / slug
        folder.mkdir(parents=True)
        corpus.write_portfolio(folder, corpus.make_projects(projects, seed=i + 1))
        config = {
            "title": f"{name}'s Portfolio",
            "learner": {"name": name, "bio": "I build, write and measure things."},
            "interests": sorted({t[0][0] for t in corpus.TOPICS.values()})[i % 3 :][:3],
            "base_url": f"https://{slug}.example.org/",
        }
        (folder / "portfolio.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
        members.append(f"learners/{slug}")
    hub = {"title": "Benchmark Club", "members": members, "goals": GOALS}
    (root / "HUB.yml").write_text(yaml.safe_dump(hub, sort_keys=False), "utf-8")
    stamp.write_text(json.dumps(recipe))
    return root / "HUB.yml"


def tree_rss_mb(root: int) -> float:
    """RSS of process ``root`` and its descendants, in MB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * page
    tree, todo = {root}, [root]
    while todo:
        current = todo.pop()
        for pid, parent in parents.items():
            if parent == current and pid not in tree:
                tree.add(pid)
                todo.append(pid)
    return sum(rss.get(pid, 0) for pid in tree) / 1e6


def run(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak tree RSS MB, largest single process MB) of one command."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "1"}
    env.pop("PORTFOLIO_RECIPIENT", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise SystemExit(
            f"`{' '.join(cmd)}` exited {code}:\n{out.decode(errors='replace')[-3000:]}"
        )
    return wall, peak, usage.ru_maxrss / 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--projects", type=int, default=20, help="projects per learner")
    ap.add_argument("--jobs", type=int, help="member builds at once (default: all cores)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each build; medians shown")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    root = WORK / f"hub-{args.learners}x{args.projects}"
    print(f"making {args.learners} learners x {args.projects} projects in {root} ...", flush=True)
    hub = make_hub(root, args.learners, args.projects)
    out = root / "site"
    cmd = [sys.executable, "-m", "portfolio_gen", "hub", str(hub), "-o", str(out), "--quiet"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    runs: dict[str, list[tuple[float, float, float]]] = {"cold": [], "warm": [], "edit": []}
    edited = sorted(root.glob("learners/*/content/projects/*.md"))[0]
    original = edited.read_text("utf-8")
    for i in range(args.repeat):
        shutil.rmtree(out, ignore_errors=True)
        for cache in root.glob("learners/*/.portfolio-cache"):
            shutil.rmtree(cache)
        runs["cold"].append(run(cmd))
        runs["warm"].append(run(cmd))
        try:
            edited.write_text(original + f"\nOne more sentence for the benchmark ({i}).\n", "utf-8")
            runs["edit"].append(run(cmd))
        finally:
            edited.write_text(original, "utf-8")
    results = {
        name: (
            statistics.median(r[0] for r in found),
            max(r[1] for r in found),
            max(r[2] for r in found),
        )
        for name, found in runs.items()
    }
    pages = sum(1 for _ in out.rglob("*.html"))
    projects = args.learners * args.projects
    print(
        f"\nhub of {args.learners} learners x {args.projects} projects = {projects} projects, "
        f"{pages} pages, {os.cpu_count()} cores"
    )
    load = os.getloadavg()[0]
    print(f"median of {args.repeat} run(s) each; load average {load:.1f} at the end")
    print(
        f"{'build':<6}{'wall s':>9}{'ms/learner':>12}{'peak tree MB':>14}{'largest process MB':>20}"
    )
    for name, (wall, peak, largest) in results.items():
        print(
            f"{name:<6}{wall:>9.2f}{wall * 1000 / args.learners:>12.1f}{peak:>14.0f}{largest:>20.0f}"
        )
    if args.json:
        figures = {
            "learners": args.learners, "projects_per_learner": args.projects, "pages": pages,
            "cores": os.cpu_count(), "load_average": load,
            "builds": {k: {"wall_s": w, "peak_tree_mb": p, "largest_process_mb": m,
                           "runs_s": [r[0] for r in runs[k]]} for k, (w, p, m) in results.items()},
        }  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
