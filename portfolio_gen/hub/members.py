"""A hub's members: planned from HUB.yml, built in parallel, their portfolio.json read."""

from __future__ import annotations

import gc
import os
import shutil
import time
import urllib.parse
from pathlib import Path
from typing import Any

from .. import validate as v
from ..cache import cache_folder
from ..contract import (
    NotASummary,
    Summary,
    fetch_summary,
    load_summary_file,
    summary_url,
)
from ..diagnostics import ERROR, WARNING, Diagnostic, Diagnostics
from ..lazy_dataclass import dataclass
from .settings import MEMBERS_DIR, HubConfig

# ----------------------------------------------------------------- members


@dataclass
class Member:
    entry: str  # as written in HUB.yml
    index: int
    slug: str
    root: Path | None  # a local portfolio folder; None for a published portfolio.json
    site: str = ""  # where the member's site is: members/<slug>/ or a web address
    summary: Summary | None = None
    note: str = ""  # what went wrong, for the hub page
    json_url: str | None = None

    @property
    def local(self) -> bool:
        return self.root is not None

    def link(self, url: str) -> str:
        """A page of the member's site, as the hub links it (site-relative or absolute)."""
        if self.local:
            return self.site + url
        return urllib.parse.urljoin(self.site, url)

    @property
    def name(self) -> str:
        return self.summary.name if self.summary else self.slug


def _slug_for(entry: str, root: Path | None) -> str:
    if root is not None:
        return v.slugify(root.name)
    parts = urllib.parse.urlsplit(summary_url(entry))
    path = parts.path.rsplit("/", 1)[0] if parts.path.endswith(".json") else parts.path
    return v.slugify(parts.netloc.split(":")[0] + " " + path)


def plan_members(config: HubConfig, diagnostics: Diagnostics) -> list[Member]:
    members: list[Member] = []
    seen: set[str] = set()
    slugs: set[str] = set()
    for i, entry in enumerate(config.members):
        line = config.line("members", i)
        root = None
        if "://" not in entry:
            root = (config.folder / entry).resolve()
            if not (root / "portfolio.yml").is_file():
                what = "no folder" if not root.is_dir() else "no portfolio.yml in"
                diagnostics.error(config.path, f"members[{i}]: {what} {entry}", line)
                continue
        key = str(root) if root else summary_url(entry)
        if key in seen:
            diagnostics.warning(config.path, f"members[{i}]: {entry} is listed twice", line)
            continue
        seen.add(key)
        slug = base = _slug_for(entry, root)
        n = 2
        while slug in slugs or slug == "static":
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        members.append(Member(entry, i, slug, root))
    return members


def _build_member(root: str, out: str, online: bool) -> dict[str, Any]:
    """Build one member's portfolio (in a worker process); a small, picklable report."""
    from ..build import Options, build

    # The hub's own recipient identities (PORTFOLIO_RECIPIENT) are not the member's.
    saved = os.environ.pop("PORTFOLIO_RECIPIENT", None)
    try:
        result = build(Path(root), Options(out=Path(out), online=online, jobs=1))
    finally:
        if saved is not None:
            os.environ["PORTFOLIO_RECIPIENT"] = saved
    return {
        "errors": [(d.path, d.line, d.message) for d in result.diagnostics.sorted() if d.is_error],
        "warnings": len(result.diagnostics.warnings),
        "pages": result.pages,
        "failed": result.failed,
    }


def _member_worker(conn: Any, parent: int) -> None:
    """A worker process: builds the members it is sent, one after the other, until
    it is sent None (or killed: a build over its budget is stopped with its worker)."""
    from ..workers import init_worker

    init_worker(parent)
    # It builds member after member, and each build leaves cycles (its Markdown
    # and Jinja objects): collected every 20,000 new objects rather than the
    # command's 100,000 (__main__.py), a worker peaks at 48 MB, not 73.
    gc.set_threshold(20_000, 50, 100)
    while (job := conn.recv()) is not None:
        try:
            report: dict[str, Any] = _build_member(*job)
        except Exception as exc:  # noqa: BLE001 - a bug in one member's build stops only that member
            report = {"crashed": f"{type(exc).__name__}: {exc}"}
        conn.send(report)


STOPPED_TIME, STOPPED_SIZE = "time", "size"
WATCH_EVERY = 0.5  # seconds between two checks of the running builds' sizes


def build_members(
    members: list[Member],
    out: Path,
    online: bool,
    jobs: int,
    diagnostics: Diagnostics,
    progress: Any = None,
    config: HubConfig | None = None,
) -> None:
    """Build every local member into ``out/members/<slug>/``, each in a process of
    its own, ``jobs`` at once. A build that takes longer than ``member_timeout``
    or whose folder grows past ``member_max_size`` is killed, its folder removed,
    and the member left out; the others are built."""
    local = [m for m in members if m.local]
    timeout = config.member_timeout if config else HubConfig.member_timeout
    max_size = config.member_max_size if config else HubConfig.member_max_size
    targets = [out / MEMBERS_DIR / m.slug for m in local]
    calls = [(str(m.root), str(t), online) for m, t in zip(local, targets, strict=True)]
    reports = _run_builds(calls, targets, jobs, timeout, max_size, progress)
    for member, target, report in zip(local, targets, reports, strict=True):
        line = config.line("members", member.index) if config else None
        where: Path | str = config.path if config else member.entry
        if isinstance(report, str):  # stopped
            shutil.rmtree(target, ignore_errors=True)
            if report == STOPPED_TIME:
                why = f"took longer than {timeout:g} s to build"
                fix = "raise member_timeout in HUB.yml if it needs more"
            else:
                why = f"made a site larger than {max_size / 1e6:g} MB"
                fix = "raise member_max_size in HUB.yml if it needs more"
            diagnostics.error(where, f"member '{member.entry}' {why}; it is left out ({fix})", line)
            member.note = f"its build {why}"
            continue
        if "crashed" in report:
            diagnostics.error(
                where,
                f"member '{member.entry}' could not be built (internal error: "
                f"{report['crashed']}); run 'portfolio-gen build {member.entry} --debug'",
                line,
            )
            member.note = "its build failed, so it was not rebuilt"
            continue
        for path, pline, message in report["errors"]:
            diagnostics.add(Diagnostic(f"{member.entry}/{path}", pline, ERROR, message))
        if report["warnings"]:
            diagnostics.add(
                Diagnostic(
                    member.entry,
                    None,
                    WARNING,
                    f"{report['warnings']} warning(s) in this portfolio; run "
                    f"'portfolio-gen check {member.entry}' to see them",
                )
            )
        if report["failed"]:
            member.note = "its portfolio has errors, so it was not rebuilt"


def _run_builds(
    calls: list[tuple[str, str, bool]],
    targets: list[Path],
    jobs: int,
    timeout: float,
    max_size: int,
    progress: Any,
) -> list[dict[str, Any] | str]:
    """Run ``_build_member(*call)`` for each call in ``jobs`` worker processes: each
    one's report, or STOPPED_TIME / STOPPED_SIZE for a build that was stopped (its
    worker killed, and a new one started for the next member)."""
    import multiprocessing  # imported here: a hub's build only
    from multiprocessing.connection import wait

    from ..workers import start_workers

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)

    def new_worker() -> tuple[Any, Any]:
        mine, theirs = context.Pipe()
        process = context.Process(target=_member_worker, args=(theirs, os.getpid()))
        start_workers(lambda: _started(process), lambda p: p.kill())
        theirs.close()
        return process, mine

    results: list[dict[str, Any] | str | None] = [None] * len(calls)
    waiting = list(range(len(calls)))
    idle: list[tuple[Any, Any]] = []
    busy: dict[int, tuple[tuple[Any, Any], float]] = {}  # index -> (worker, deadline)
    try:
        while waiting or busy:
            while waiting and (idle or len(busy) < max(1, jobs)):
                worker = idle.pop() if idle else new_worker()
                i = waiting.pop(0)
                worker[1].send(calls[i])
                busy[i] = (worker, time.monotonic() + timeout)
            soonest = min(deadline for _, deadline in busy.values())
            pause = max(0.0, min(WATCH_EVERY, soonest - time.monotonic()))
            ready = wait([conn for (_, conn), _ in busy.values()], timeout=pause)
            now = time.monotonic()
            for i, (worker, deadline) in list(busy.items()):
                process, conn = worker
                result: dict[str, Any] | str | None = None
                if conn in ready:
                    try:
                        result = conn.recv()
                        idle.append(worker)
                    except (EOFError, OSError):  # it died without a word (out of memory)
                        result = {
                            "crashed": f"the build process ended with code {process.exitcode}"
                        }
                    if _size_of(targets[i]) > max_size:  # it grew too large between two checks
                        result = STOPPED_SIZE
                    elif now >= deadline:  # done, but past its budget: the same for every run
                        result = STOPPED_TIME
                elif now >= deadline:
                    result = STOPPED_TIME
                elif _size_of(targets[i]) > max_size:
                    result = STOPPED_SIZE
                if result is None:
                    continue
                if worker not in idle:
                    process.kill()
                    process.join()
                    conn.close()
                del busy[i]
                results[i] = result
                if progress:
                    progress("building members", sum(r is not None for r in results), len(calls))
    finally:
        stopped = [worker for worker, _ in busy.values()]  # Ctrl-C, an error: stop them now
        for process, conn in idle + stopped:
            if (process, conn) in idle:
                try:
                    conn.send(None)  # done: it ends by itself
                except OSError:
                    process.kill()
            else:
                process.kill()
            process.join()
            conn.close()
    return [r for r in results if r is not None]


def _started(process: Any) -> Any:
    process.start()
    return process


def _size_of(folder: Path) -> int:
    """The bytes of every file under ``folder`` (links not followed)."""
    total = 0
    stack = [str(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
    return total


def read_members(
    config: HubConfig, members: list[Member], out: Path, online: bool, diagnostics: Diagnostics
) -> None:
    """Each member's published portfolio.json, and nothing else of theirs."""
    cache = cache_folder(config.folder)
    for member in members:
        line = config.line("members", member.index)
        if member.local:
            member.site = f"{MEMBERS_DIR}/{member.slug}/"
            member.json_url = member.site + "portfolio.json"
            path = out / MEMBERS_DIR / member.slug / "portfolio.json"
            if not path.is_file():
                member.note = member.note or "its site has not been built"
                continue
            try:
                member.summary = load_summary_file(path)
            except NotASummary as exc:
                member.note = f"its portfolio.json cannot be read: {exc}"
                diagnostics.warning(config.path, f"members[{member.index}]: {member.note}", line)
                continue
            for problem in member.summary.problems:
                diagnostics.warning(path, problem)
            if member.note:
                member.note += "; its last good build is shown"
        else:
            url = summary_url(member.entry)
            member.json_url = url
            member.site = urllib.parse.urljoin(url, ".")
            member.summary, note = fetch_summary(url, cache, online)
            for problem in member.summary.problems if member.summary else ():
                diagnostics.warning(url, problem)
            if note:
                diagnostics.warning(config.path, f"members[{member.index}]: {note}", line)
                if member.summary is None:
                    member.note = note


def remove_old_members(out: Path, members: list[Member]) -> None:
    """Member sites of people no longer listed (made by portfolio-gen) are removed."""
    from ..site.write import MARKER

    folder = out / MEMBERS_DIR
    if not folder.is_dir():
        return
    keep = {m.slug for m in members if m.local}
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep and (path / MARKER).is_file():
            shutil.rmtree(path, ignore_errors=True)
