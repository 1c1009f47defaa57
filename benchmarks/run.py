"""Build the same Markdown corpus with portfolio-gen, Pelican and MkDocs; compare.

    python benchmarks/run.py --projects 1000 [--repeat 3] [--only portfolio-gen,pelican,mkdocs]
                             [--images] [--json FILE]

Run it with the project's interpreter (.venv/bin/python): portfolio-gen is
built with that interpreter, Pelican and MkDocs with a separate venv made once
under benchmarks/.work/venv. The corpus is generated once per N under
benchmarks/.work/corpus-N/. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VENV = WORK / "venv"
REQUIREMENTS = ["pelican==4.12.*", "markdown", "mkdocs==1.6.*"]
TOOLS = ["portfolio-gen", "pelican", "mkdocs"]


class Failed(Exception):
    """A step failed; the message says which and why."""


@dataclass
class Result:
    tool: str
    build: str  # cold | warm | edit
    pages: int
    wall_s: float  # median
    peak_rss_mb: float  # largest over the runs
    runs_s: list[float]

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0


def ensure_venv() -> Path:
    """The venv holding Pelican and MkDocs, created once; returns its bin/."""
    stamp = VENV / "bench-requirements.txt"
    wanted = "\n".join(REQUIREMENTS)
    if stamp.exists() and stamp.read_text() == wanted:
        return VENV / "bin"
    print(f"creating {VENV} with {', '.join(REQUIREMENTS)} ...", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    for cmd in (
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", *REQUIREMENTS],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            raise Failed(f"`{' '.join(cmd)}` failed:\n{_tail(proc.stdout + proc.stderr)}")
    stamp.write_text(wanted)
    return VENV / "bin"


def ensure_corpus(n: int, images: bool, seed: int) -> Path:
    """benchmarks/.work/corpus-N[-images]/, regenerated only when its recipe changed."""
    root = WORK / f"corpus-{n}{'-images' if images else ''}"
    recipe = {
        "projects": n,
        "seed": seed,
        "images": images,
        "generator": hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest(),
    }
    stamp = root / "corpus.json"
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return root
    print(f"generating {n} projects in {root} ...", flush=True)
    corpus.generate(root, n, seed, images)
    stamp.write_text(json.dumps(recipe))
    return root


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


def tree_rss_mb(root: int) -> float:
    """Current RSS of process root plus all its descendants, in MB, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()  # after "pid (comm)"
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)  # ppid
        rss[pid] = int(fields[21])  # rss, in pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run cmd; return (wall seconds, peak RSS in MB of its process tree)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        peak, done = 0.0, threading.Event()

        def sample() -> None:  # the tree's total, every 50 ms (worker processes included)
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_rss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this run's own ru_maxrss: the largest single process, exact
        # even when the run is shorter than one sampling interval.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            log.seek(0)
            out = log.read().decode("utf-8", "replace")
            raise Failed(f"`{' '.join(cmd)}` exited {proc.returncode}:\n{_tail(out)}")
    return wall, max(peak, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


SOURCES = {"portfolio-gen": "portfolio", "pelican": "pelican", "mkdocs": "mkdocs"}


def tool_command(tool: str, src: Path, out: Path, bin_dir: Path) -> list[str]:
    """The command that builds the tool's copy of the corpus (in src, the cwd) into out."""
    commands = {
        "portfolio-gen": [
            sys.executable,
            "-m",
            "portfolio_gen",
            "build",
            src,
            "-o",
            out,
            "--quiet",
        ],
        "pelican": [bin_dir / "pelican", "content", "-s", "pelicanconf.py", "-o", out, "-q"],
        "mkdocs": [bin_dir / "mkdocs", "build", "-f", "mkdocs.yml", "-d", out, "-q"],
    }
    return [str(arg) for arg in commands[tool]]


def edit_target(src: Path) -> Path:
    """The Markdown file of the project that the one-edit build changes."""
    first = sorted((src / "content" / "projects").iterdir())[0]
    return first / "index.md" if first.is_dir() else first


def child_env(tool: str) -> dict[str, str]:
    """The environment every build runs in: normal bytecode caching, kept in .work/."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    if tool == "portfolio-gen":  # run from this source tree even when it is not pip-installed
        env["PYTHONPATH"] = str(HERE.parent)
    return env


def warm_up(tool: str, warmup: Path, bin_dir: Path, sites: Path) -> None:
    """One untimed build of a tiny corpus, so every module's bytecode is cached
    (as after a pip install) and no timed run pays for compiling the tool."""
    src, out = warmup / SOURCES[tool], sites / "warmup" / tool
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(src / ".portfolio-cache", ignore_errors=True)
    measure(tool_command(tool, src, out, bin_dir), src, child_env(tool))


TRASH = ".trash"  # previous outputs, set aside during a benchmark and deleted after it


def set_aside(path: Path, trash: Path) -> None:
    """Move a previous output out of the way without deleting it yet.

    Deleting it just before a timed build made that build pay for it: on a file
    system mounted with online discard (as the machine in docs/benchmarks.md),
    the freed blocks are trimmed while the next build allocates, and the next
    build in turn was the one after MkDocs, whose site is 200 MB. A rename frees
    nothing; ``bench`` deletes the trash when every timed build is done.
    """
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{len(os.listdir(trash))}-{path.name}")


def run_once(
    tool: str, root: Path, bin_dir: Path, run: int, sites: Path
) -> dict[str, tuple[float, float]]:
    """A cold build; for portfolio-gen also a warm build and one after a one-file edit."""
    src, out = root / SOURCES[tool], sites / tool
    cmd, env = tool_command(tool, src, out, bin_dir), child_env(tool)
    set_aside(out, sites / TRASH)
    set_aside(src / ".portfolio-cache", root / TRASH)
    os.sync()  # what the tool before wrote reaches the disk now, not during this build
    got = {"cold": measure(cmd, src, env)}
    if tool == "portfolio-gen":
        got["warm"] = measure(cmd, src, env)
        edited = edit_target(src)
        original = edited.read_text("utf-8")
        try:
            edited.write_text(original + f"\nOne more thing I noticed on run {run}.\n", "utf-8")
            got["edit"] = measure(cmd, src, env)
        finally:
            edited.write_text(original, "utf-8")
    return got


def bench(
    tools: list[str], root: Path, warmup: Path, bin_dir: Path, repeat: int, sites: Path
) -> list[Result]:
    """Run the tools in turn, repeat times, so background load falls on all of them alike."""
    trash = (sites / TRASH, root / TRASH)
    for folder in trash:  # left by an interrupted run
        shutil.rmtree(folder, ignore_errors=True)
    for tool in tools:
        warm_up(tool, warmup, bin_dir, sites)
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for i in range(1, repeat + 1):
            for tool in tools:
                print(f"  run {i}/{repeat}: {tool}", flush=True)
                for build, measured in run_once(tool, root, bin_dir, i, sites).items():
                    runs.setdefault((tool, build), []).append(measured)
    finally:
        for folder in trash:
            shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            tool,
            build,
            count_pages(sites / tool),
            wall_s=statistics.median(w for w, _ in got),
            peak_rss_mb=max(m for _, m in got),
            runs_s=[round(w, 4) for w, _ in got],
        )
        for (tool, build), got in runs.items()
    ]


def markdown_floors(root: Path, repeat: int) -> tuple[dict[str, float], int]:
    """Seconds to convert every project body with Python-Markdown in this process, alone:
    with the extensions every tool uses, and without smarty (the costliest of them)."""
    import markdown

    bodies = []
    for path in sorted((root / "portfolio" / "content" / "projects").rglob("*.md")):
        text = path.read_text("utf-8")
        bodies.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    floors = {}
    for name, drop in [("markdown floor", None), ("floor w/o smarty", "smarty")]:
        md = markdown.Markdown(
            extensions=[e for e in corpus.MARKDOWN_EXTENSIONS if e != drop],
            extension_configs=corpus.MARKDOWN_CONFIGS,
        )
        md.convert(bodies[0])  # pay the one-off imports (Pygments lexers) outside the timing
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            for body in bodies:
                md.reset().convert(body)
            times.append(time.perf_counter() - start)
        floors[name] = statistics.median(times)
    return floors, len(bodies)


def versions(bin_dir: Path | None) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version(), "markdown": version("markdown")}
    try:
        found["portfolio-gen"] = version("portfolio-gen")
    except PackageNotFoundError:
        found["portfolio-gen"] = "(not installed)"
    git = ["git", "-C", str(HERE.parent), "describe", "--always", "--dirty"]
    commit = subprocess.run(git, capture_output=True, text=True).stdout.strip()
    found["portfolio-gen"] += f" ({commit or 'no git'})"
    if bin_dir:
        code = "from importlib.metadata import version as v; print(v('pelican'), v('mkdocs'))"
        got = subprocess.run([str(bin_dir / "python"), "-c", code], capture_output=True, text=True)
        found["pelican"], found["mkdocs"] = got.stdout.split()
    return found


def ratios(results: list[Result], floors: dict[str, float]) -> dict[str, float]:
    by = {(r.tool, r.build): r.wall_s for r in results}
    pairs = [
        (("portfolio-gen", "cold"), ("pelican", "cold")),
        (("portfolio-gen", "cold"), ("mkdocs", "cold")),
        (("portfolio-gen", "warm"), ("pelican", "cold")),
        (("portfolio-gen", "edit"), ("portfolio-gen", "cold")),
        (("pelican", "cold"), ("mkdocs", "cold")),
    ]
    found = {
        f"{a[0]} {a[1]} / {b[0]} {b[1]}": by[a] / by[b] for a, b in pairs if a in by and b in by
    }
    if ("portfolio-gen", "cold") in by:
        for name, seconds in floors.items():
            found[f"portfolio-gen cold / {name}"] = by["portfolio-gen", "cold"] / seconds
    return found


def report(
    results: list[Result], floors: dict[str, float], bodies: int, found: dict[str, float]
) -> None:
    print(f"\n{'tool':<15}{'build':<7}{'pages':>7}{'wall s':>9}{'pages/s':>9}{'peak RSS MB':>13}")
    for r in results:
        print(
            f"{r.tool:<15}{r.build:<7}{r.pages:>7}{r.wall_s:>9.3f}{r.pages_per_s:>9.0f}"
            f"{r.peak_rss_mb:>13.0f}"
        )
    for name, seconds in floors.items():
        print(f"{name:<22}{bodies:>7}{seconds:>9.3f}{bodies / seconds:>9.0f}   (one process)")
    print()
    for name, value in found.items():
        print(f"{name} = {value:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--projects", type=int, default=1000, help="N projects (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per build; medians (default 3)")
    ap.add_argument("--only", default=",".join(TOOLS), help="comma-separated subset of tools")
    ap.add_argument("--images", action="store_true", help="give about 30%% of projects a PNG")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    ap.add_argument(
        "--sites",
        type=Path,
        metavar="DIR",
        help="where the tools write their sites (default: corpus-N/site/); "
        "a tmpfs such as /dev/shm/bench leaves the disk out of the timings",
    )
    args = ap.parse_args()
    tools = [t.strip() for t in args.only.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown or not tools:
        ap.error(f"--only: unknown tool(s) {', '.join(sorted(unknown))}; choose from {TOOLS}")
    if args.projects < 2 or args.repeat < 1:
        ap.error("--projects must be at least 2 and --repeat at least 1")

    WORK.mkdir(parents=True, exist_ok=True)
    lock = (WORK / "run.lock").open("w")
    try:  # two runs at once would share the corpus and the output folders
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"benchmark failed: another run.py is using {WORK}", file=sys.stderr)
        return 1
    try:
        bin_dir = ensure_venv() if {"pelican", "mkdocs"} & set(tools) else None
        root = ensure_corpus(args.projects, args.images, args.seed)
        warmup = ensure_corpus(5, args.images, args.seed)
        found_versions = versions(bin_dir)
        print(
            f"{args.projects} projects, {args.repeat} run(s) each, {os.cpu_count()} CPUs, "
            + ", ".join(f"{k} {v}" for k, v in found_versions.items()),
            flush=True,
        )
        load = os.getloadavg()[0]
        if load > 0.5:
            print(f"warning: load average {load:.1f}: other processes are busy; timings are noisy")
        sites = (args.sites.resolve() / f"corpus-{args.projects}") if args.sites else root / "site"
        results = bench(tools, root, warmup, bin_dir or VENV / "bin", args.repeat, sites)
        floors, bodies = markdown_floors(root, args.repeat)
    except Failed as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1

    found = ratios(results, floors)
    report(results, floors, bodies, found)
    if args.json:
        data = {
            "projects": args.projects,
            "repeat": args.repeat,
            "images": args.images,
            "cpus": os.cpu_count(),
            "load_average_at_start": load,
            "sites": str(sites),
            "platform": platform.platform(),
            "versions": found_versions,
            "results": [asdict(r) | {"pages_per_s": r.pages_per_s} for r in results],
            "markdown_floors_s": floors,
            "ratios": found,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
