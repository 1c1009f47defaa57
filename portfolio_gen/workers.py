"""Worker processes that never outlive the command that started them.

Every pool (render workers, project readers, hub members) starts its workers
with ``init_worker`` as initializer: a worker ignores Ctrl-C (the terminal
sends it to the whole process group; the parent answers it with one line) and
dies with its parent, even when the parent is killed with SIGKILL. On Linux
the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere a thread
checks twice a second that the parent is still there.
"""

from __future__ import annotations

import multiprocessing.pool  # (this module is imported only to start workers)
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_INTERVAL = 0.5  # seconds, where the kernel cannot watch


def init_worker(parent: int) -> None:
    """Initializer of every worker process: ``parent`` is the pid it must not outlive."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked while it started (start_workers)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if not _die_with_parent():
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker could ask
        os._exit(1)


def _die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc, or no prctl in it
        return False


def _watch(parent: int) -> None:  # pragma: no cover - only where prctl is missing
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


class _QuietPool(multiprocessing.pool.Pool):
    """``workers.pool``'s pool: its manager thread does not wait on the results pipe."""

    def _get_sentinels(self) -> list[Any]:
        return [self._change_notifier._reader]  # type: ignore[attr-defined]


def pool(processes: int, context: Any = None) -> multiprocessing.pool.Pool:
    """A ``multiprocessing`` pool of ``processes`` workers started with ``init_worker``,
    whose manager thread wakes only when a worker ends or the pool changes state.

    The standard pool's manager thread also waits on the results pipe (Python 3.8
    to 3.13, ``Pool._get_sentinels``), so while a result is in the pipe and not yet
    read it loops without blocking: 3,600 turns, about 0.1 s of the parent's CPU,
    while the readers of a cold build send it 8 MB of pages, CPU the readers
    needed (docs/decisions.md). A worker's end still wakes it (its own sentinels),
    and so do ``close`` and ``terminate`` (the change notifier)."""
    return _QuietPool(
        processes,
        initializer=init_worker,
        initargs=(os.getpid(),),
        context=context or multiprocessing.get_context(),
    )


def start_workers(start: Callable[[], T], stop: Callable[[T], Any]) -> T:
    """``start()`` (a pool, a process) with Ctrl-C held back, so its workers are
    born with it blocked and never see it before ``init_worker`` ignores it. A
    Ctrl-C pressed meanwhile is raised once they run, after ``stop(what)``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        return start()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        started = start()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # raises a held Ctrl-C
    except BaseException:
        stop(started)
        raise
    return started
