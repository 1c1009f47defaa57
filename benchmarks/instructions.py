"""Instructions of a one-edit build, per checkout, counted by valgrind (issue 17).

    python benchmarks/instructions.py PORTFOLIO CHECKOUT [CHECKOUT ...] [--runs 2]

A count of instructions does not move with the machine's load, while wall and
CPU time on a shared VM vary by a third from one minute to the next: use it
to compare checkouts (it leaves out what instructions do not show: waiting
for the disk, cache misses, a second CPU). Each CHECKOUT (a source tree
holding portfolio_gen/, e.g. a ``git worktree``) builds its own copy of
PORTFOLIO (e.g. benchmarks/.work/corpus-1000/portfolio) twice, untimed; then,
``--runs`` times over the checkouts in turn, a line is appended to the first
project and the build runs under ``valgrind --tool=callgrind`` (every process
it forks too), with bytecode cached as benchmarks/run.py has it and a fixed
hash seed. Prints each build's instructions in millions: a one-edit build
runs in one process. (A forked child's count starts from its parent's at the
fork, so a total over the processes of a cold build counts the parent's work
before each fork again; compare the parent's file alone.) Needs valgrind
(~50 times slower than a build: ~10 s a run at 1,000 projects).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("portfolio", type=Path)
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copies = []
        for i, checkout in enumerate(args.checkouts):
            copy = work / f"portfolio-{i}"
            shutil.copytree(
                args.portfolio, copy, ignore=shutil.ignore_patterns("site", ".portfolio-cache")
            )
            for _ in range(2):
                build(checkout.resolve(), copy, work)
            copies.append(copy)
        counts: dict[Path, list[int]] = {c: [] for c in args.checkouts}
        for run in range(args.runs):
            for checkout, copy in zip(args.checkouts, copies, strict=True):
                first = sorted((copy / "content" / "projects").iterdir())[0]
                source = first / "index.md" if first.is_dir() else first
                with source.open("a", encoding="utf-8") as f:
                    f.write(f"\nOne more line, run {run}.\n")
                counts[checkout].append(build(checkout.resolve(), copy, work, counted=True))
    for checkout, found in counts.items():
        print(f"{checkout}: {', '.join(f'{n / 1e6:.0f} M' for n in found)} instructions")


def build(checkout: Path, portfolio: Path, work: Path, counted: bool = False) -> int:
    """Build ``portfolio`` with ``checkout``'s code; its instructions if ``counted``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(checkout), PYTHONHASHSEED="0")
    env["PYTHONPYCACHEPREFIX"] = str(Path(__file__).resolve().parent / ".work" / "pycache")
    command = [sys.executable, "-m", "portfolio_gen", "build", str(portfolio), "--quiet"]
    out = work / "callgrind"
    if counted:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        command = ["valgrind", "--tool=callgrind", "--trace-children=yes",
                   f"--callgrind-out-file={out}/cg.%p", *command]  # fmt: skip
    # (run from the portfolio: ``-m`` puts the working folder before PYTHONPATH)
    subprocess.run(command, cwd=portfolio, env=env, check=True, capture_output=True)
    if not counted:
        return 0
    total = 0
    for file in out.iterdir():
        for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("summary:"):
                total += int(line.split()[1])
                break
    return total


if __name__ == "__main__":
    main()
