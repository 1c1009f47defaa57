"""Worker processes that never outlive the command that started them.

Every pool (render workers, project readers, hub members) starts its workers
with ``init_worker`` as initializer: a worker ignores Ctrl-C (the terminal
sends it to the whole process group; the parent answers it with one line) and
dies with its parent, even when the parent is killed with SIGKILL. On Linux
the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere a thread
checks twice a second that the parent is still there.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_INTERVAL = 0.5  # seconds, where the kernel cannot watch


def init_worker(parent: int, then: Callable[..., Any] | None = None, *args: Any) -> None:
    """Initializer of every worker process: ``parent`` is the pid it must not outlive;
    ``then(*args)`` is the pool's own initializer, if any."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _die_with_parent():
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker could ask
        os._exit(1)
    if then is not None:
        then(*args)


def _die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no libc, or no prctl in it
        return False


def _watch(parent: int) -> None:  # pragma: no cover - only where prctl is missing
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)


@contextmanager
def no_sigint_while_starting() -> Iterator[None]:
    """Start workers inside this: they are born ignoring Ctrl-C, so one pressed while
    they start prints no traceback from them (the main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
