"""Worker processes die with the build that started them; Ctrl-C is one clean line.

A real ``portfolio-gen build`` of a corpus big enough to have workers (the
benchmark's generator), killed while its workers read or render.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.helpers import tree_bytes

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
    reason="needs /proc and two cores (with one there are no workers)",
)


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (psutil is not a dependency)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(n) for n in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A portfolio of 250 projects (500 pages), built once."""
    from support import corpus as generator

    root = tmp_path_factory.mktemp("workers") / "portfolio"
    generator.write_portfolio(root, generator.make_projects(250))
    built = subprocess.run(command(root), capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    return root


def command(root: Path) -> list[str]:
    return [sys.executable, "-m", "portfolio_gen", "build", str(root), "--quiet", "--jobs", "2"]


def start_with_workers(root: Path, stage: str) -> tuple[subprocess.Popen, list[int]]:
    """A build whose workers are at work: reading (a cold cache) or rendering (a
    title change: every page again, no source read again)."""
    config = root / "portfolio.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    lines[0] = f"title: Portfolio {time.time_ns()}"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if stage == "reading":
        subprocess.run(["rm", "-rf", str(root / ".portfolio-cache")], check=True)
    build = subprocess.Popen(
        command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    # two readers; renderers: one fewer than the cores (the build renders too)
    wanted = 2 if stage == "reading" else min(os.cpu_count() or 1, 8) - 1
    end = time.monotonic() + 60
    while time.monotonic() < end and build.poll() is None:
        workers = children(build.pid)
        if len(workers) >= wanted:
            return build, workers
        time.sleep(0.002)
    build.kill()
    build.communicate()
    pytest.fail(f"the build had no workers while {stage}")


def published(site: Path) -> dict[str, bytes]:
    """The site's files, without what a killed build leaves for the next to remove
    (its lock and staging folder, hidden inside the output folder)."""
    return {k: v for k, v in tree_bytes(site).items() if not k.startswith(".portfolio-gen.")}


def wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    end = time.monotonic() + seconds
    left = pids
    while left and time.monotonic() < end:
        left = [pid for pid in left if alive(pid)]
        time.sleep(0.02)
    return left


@pytest.mark.parametrize("stage", ["reading", "rendering"])
def test_kill_9_of_a_build_leaves_no_worker(corpus, stage):
    before = published(corpus / "site")
    build, workers = start_with_workers(corpus, stage)
    os.kill(build.pid, signal.SIGKILL)
    _, err = build.communicate(timeout=30)  # returns only once no worker holds stderr open
    assert build.returncode == -signal.SIGKILL
    assert wait_gone(workers) == []
    assert err == b""  # no BrokenPipeError from a worker
    assert published(corpus / "site") == before
    again = subprocess.run(command(corpus), capture_output=True)
    assert again.returncode == 0 and again.stderr == b""
    assert not [p for p in (corpus / "site").iterdir() if p.name.startswith(".portfolio-gen.")]


@pytest.mark.parametrize("stage", ["reading", "rendering"])
def test_ctrl_c_is_one_line_and_exit_130(corpus, stage):
    before = published(corpus / "site")
    build, workers = start_with_workers(corpus, stage)
    os.killpg(build.pid, signal.SIGINT)  # as a terminal does: to every process of the group
    out, err = build.communicate(timeout=30)
    assert (build.returncode, out, err) == (
        130, b"", b"interrupted; the previous site is unchanged\n"
    )  # fmt: skip
    assert wait_gone(workers) == []
    assert tree_bytes(corpus / "site") == before  # nothing left behind either


def _big_result(i: int) -> bytes:
    return bytes([i % 256]) * 1_000_000


@pytest.mark.parametrize("quiet", [True, False])
def test_the_pools_manager_thread_sleeps_while_results_wait_in_the_pipe(monkeypatch, quiet):
    """The standard pool's manager thread also waits on the results pipe, so it
    turns without blocking while a result sits there unread (CPU the workers
    need); workers.pool's wakes only when a worker ends or the pool changes."""
    import multiprocessing.pool

    from portfolio_gen.workers import pool

    turns = []
    wait = multiprocessing.pool.Pool._wait_for_updates

    def counted(*args, **kwargs):
        turns.append(1)
        return wait(*args, **kwargs)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_wait_for_updates", staticmethod(counted))
    workers = pool(2) if quiet else multiprocessing.pool.Pool(2)
    with workers:
        results = list(workers.imap(_big_result, range(40), chunksize=1))
        workers.close()
        workers.join()
    assert [r[0] for r in results] == [i % 256 for i in range(40)]
    if quiet:
        assert len(turns) <= 4, f"{len(turns)} turns"
    else:  # what the standard pool does, so that the test above can fail
        assert len(turns) > 40, f"{len(turns)} turns"
