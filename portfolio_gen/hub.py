"""``portfolio-gen hub HUB.yml``: one site over many learners' portfolios.

A club, library or class lists its members' portfolios in HUB.yml::

    title: Hive Maker Club                 # required
    description: Who we are, in a sentence or two.
    members:                               # required: who opted in
      - ../maya                            # a portfolio folder, relative to HUB.yml
      - https://jay.example.org/portfolio.json   # a published portfolio.json (--online)
    goals: [MS-ETS1-4, CCSS.Math.Content.7.RP.A.2]
    language: en
    member_timeout: 120                    # seconds a member's build may take (default)
    member_max_size: 500 MB                # how large a member's site may grow (default)

The hub builds each local member's portfolio (in parallel, one process per
member) into ``members/<slug>/``, then reads *only* each member's published
``portfolio.json`` (never their sources) to make its own pages: the members,
their interests, badges by issuer, and the standards x learners table a
teacher wants, with the gaps against the hub's goals. It writes ``hub.json``
too. See docs/hubs.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import shutil
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import __version__, yamlio
from . import validate as v
from .cache import cache_folder
from .contract import (
    NotASummary,
    Summary,
    SummaryBadge,
    fetch_summary,
    load_summary_file,
    summary_url,
)
from .diagnostics import ERROR, WARNING, Diagnostic, Diagnostics
from .entries import portfolio_entries
from .schema import Key, Schema
from .schema import Reporter as _Reporter
from .site.hubpages import PAGES
from .urls import output_path, relative_url

HUB_SCHEMA = "portfolio-gen-hub/1"
HUB = Schema(  # HUB.yml (its checkers are in load_hub_config)
    "HUB.yml",
    (
        Key("title", doc="the club, library or class", required=True, example="Hive Maker Club"),
        Key("description", doc="a line about it"),
        Key(
            "members",
            doc="who opted in: portfolio folders (relative to HUB.yml), "
            "portfolio.json or site addresses",
            required=True,
            example="[../maya, ../jay]",
        ),
        Key("goals", doc="standard codes the club works towards", default=()),
        Key("standards", doc="which built-in schemes the goals use", shown="all built-in"),
        Key("language", doc="the hub pages' language (theme strings)", default="en"),
        Key("member_timeout", doc="seconds one member's build may take", shown="`120`"),
        Key("member_max_size", doc="how large one member's site may grow", shown="`500 MB`"),
    ),
)
HUB_KEYS = HUB.names
MEMBERS_DIR = "members"


# ----------------------------------------------------------------- HUB.yml


@dataclass(frozen=True)
class HubConfig:
    path: Path
    title: str
    description: str = ""
    members: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()  # identifier schemes for the goals; default: all built-in
    language: str = "en"
    member_timeout: float = 120.0  # seconds
    member_max_size: int = 500_000_000  # bytes
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line(self, *key: Any) -> int | None:
        return self.lines.get(key)


def load_hub_config(path: Path, diagnostics: Diagnostics) -> HubConfig | None:
    """Read HUB.yml; every bad key reported at its line; None when it cannot be used."""
    located = yamlio.load_mapping(
        path,
        diagnostics,
        missing="no such file; a hub needs a HUB.yml with title and members",
        expected="title: ..., members: ...",
    )
    if located is None:
        return None
    data = located.data
    report = _Reporter(path, located, diagnostics)
    values: dict[str, Any] = {}
    checks = {
        "title": v.text,
        "description": v.text,
        "goals": v.text_list,
        "standards": v.text_list,
        "language": v.text,
        "member_timeout": _seconds,
        "member_max_size": _size,
    }
    for key, value in data.items():
        if key in checks:
            try:
                values[key] = checks[key](value)
            except v.Invalid as exc:
                report.bad((key,), str(exc))
        elif key == "members":
            values["members"] = _members(value, report)
        else:
            report.unknown((), key, HUB)
    for key, example in (("title", "Hive Maker Club"), ("members", "[../maya, ../jay]")):
        if key not in data:
            diagnostics.error(path, f"{key}: required; add a line like '{key}: {example}'", 1)
    if "title" not in values or "members" not in data:
        return None
    for key in ("goals", "standards"):
        if key in values:
            values[key] = tuple(values[key])
    return HubConfig(path=path, lines=located.lines, **values)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise v.Invalid(f"expected a number of seconds such as 120, got {v.describe(value)}")
    return float(value)


_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9}


def _size(value: Any) -> int:
    """A size: '500 MB', '2 GB' (or a number of bytes)."""
    number, unit = value, "B"
    if isinstance(value, str):
        number, _, unit = value.strip().partition(" ")
        unit = unit.strip().upper() or "B"
        try:
            number = float(number)
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, (int, float)) or unit not in _UNITS:
        raise v.Invalid(f"expected a size such as '500 MB', got {v.describe(value)}")
    if not number > 0:
        raise v.Invalid(f"expected a size above 0, such as '500 MB', got {value!r}")
    return int(number * _UNITS[unit])


def _members(value: Any, report: _Reporter) -> tuple[str, ...]:
    expected = "portfolio folders or portfolio.json addresses"
    return portfolio_entries(value, report, "members", expected)


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
    from .build import Options, build

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
    from .workers import init_worker

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

    from .workers import start_workers

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
    from .site.write import MARKER

    folder = out / MEMBERS_DIR
    if not folder.is_dir():
        return
    keep = {m.slug for m in members if m.local}
    for path in folder.iterdir():
        if path.is_dir() and path.name not in keep and (path / MARKER).is_file():
            shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------ the hub's view


@dataclass
class Cell:
    member: Member
    count: int
    url: str | None
    gap: bool  # a goal this member has no evidence for
    reviews: tuple[Any, ...] = ()  # teacher reviews from the member's portfolio.json

    @property
    def review(self) -> Any:
        """The most advanced teacher review of the standard, if any (standards/reviews.py)."""
        return max(self.reviews, key=lambda r: (r.rank, r.date or ""), default=None)


@dataclass
class Row:
    code: str
    framework: str | None
    statement: str | None
    url: str | None
    goal: bool
    cells: list[Cell]

    @property
    def learners(self) -> int:
        return sum(1 for c in self.cells if c.count)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def gap(self) -> bool:
        return self.goal and not self.learners


@dataclass
class HubView:
    config: HubConfig
    members: list[Member]
    rows: list[Row]
    interests: list[tuple[str, list[Member]]]
    issuers: list[tuple[str, str | None, list[tuple[Member, SummaryBadge]]]]
    goals: list[str]  # canonical codes

    @property
    def published(self) -> list[Member]:
        return [m for m in self.members if m.summary is not None]

    @property
    def projects(self) -> int:
        return sum(len(m.summary.projects) for m in self.published if m.summary)

    @property
    def badges(self) -> int:
        return sum(len(m.summary.badges) for m in self.published if m.summary)

    @property
    def evidence(self) -> dict[str, int]:
        """Pieces of evidence per learner (slug), over every row."""
        totals = {m.slug: 0 for m in self.published}
        for row in self.rows:
            for cell in row.cells:
                totals[cell.member.slug] += cell.count
        return totals

    @property
    def goals_met(self) -> dict[str, int]:
        """Goals each learner (slug) has evidence for."""
        met = {m.slug: 0 for m in self.published}
        for row in self.rows:
            if row.goal:
                for cell in row.cells:
                    met[cell.member.slug] += bool(cell.count)
        return met


def make_view(config: HubConfig, members: list[Member], diagnostics: Diagnostics) -> HubView:
    from .standards import load_frameworks

    catalog, found = load_frameworks(config.folder, schemes=config.standards or None)
    diagnostics.extend(found)
    goals: list[str] = []
    info: dict[str, dict[str, Any]] = {}
    for i, goal in enumerate(config.goals):
        standard = catalog.resolve(goal)
        if standard is None:
            diagnostics.warning(
                config.path, f"goals[{i}]: {catalog.unknown_message(goal)}", config.line("goals", i)
            )
            continue
        if standard.key not in goals:
            goals.append(standard.key)
            info[standard.key] = {
                "framework": standard.framework,
                "statement": standard.statement,
                "url": standard.url,
            }
    published = [m for m in members if m.summary is not None]
    counts: dict[str, dict[str, tuple[int, str]]] = {}
    reviews: dict[str, dict[str, tuple[Any, ...]]] = {}  # code -> member -> teacher reviews
    for member in published:
        assert member.summary is not None
        for s in member.summary.standards:
            reviews.setdefault(s.code, {})[member.slug] = s.reviews
            if not s.evidence:
                continue  # a goal of the member's own, with no evidence yet
            counts.setdefault(s.code, {})[member.slug] = (len(s.evidence), member.link(s.page))
            known = info.setdefault(s.code, {"framework": None, "statement": None, "url": None})
            for key in ("framework", "statement", "url"):
                known[key] = known[key] or getattr(s, key)
    codes = goals + sorted((c for c in counts if c not in goals), key=str.lower)
    rows = []
    for code in codes:
        cells = []
        for member in published:
            count, url = counts.get(code, {}).get(member.slug, (0, None))
            shown = reviews.get(code, {}).get(member.slug, ())
            gap = code in goals and not count
            cells.append(Cell(member, count, url if count else None, gap, shown))
        rows.append(
            Row(
                code,
                info[code]["framework"],
                info[code]["statement"],
                info[code]["url"],
                code in goals,
                cells,
            )
        )

    by_interest: dict[str, tuple[str, list[Member]]] = {}
    for member in published:
        assert member.summary is not None
        for name in member.summary.interests:
            key = v.slugify(name)
            entry = by_interest.setdefault(key, (name, []))
            if member not in entry[1]:
                entry[1].append(member)
    interests = sorted(by_interest.values(), key=lambda x: (-len(x[1]), x[0].lower()))

    by_issuer: dict[str, tuple[str, str | None, list[tuple[Member, SummaryBadge]]]] = {}
    for member in published:
        assert member.summary is not None
        for badge in member.summary.badges:
            entry = by_issuer.setdefault(badge.issuer.lower(), (badge.issuer, badge.issuer_url, []))
            entry[2].append((member, badge))
    issuers = sorted(by_issuer.values(), key=lambda x: x[0].lower())
    for _, _, items in issuers:
        items.sort(key=lambda x: (x[1].name.lower(), x[0].name.lower()))
    return HubView(config, members, rows, interests, issuers, goals)


def hub_json(view: HubView) -> dict[str, Any]:
    """hub.json: the members with their portfolio.json summaries, and per standard who has evidence."""
    members = []
    for m in view.members:
        s = m.summary
        members.append(
            {
                "slug": m.slug,
                "site": m.site or None,
                "portfolio": m.json_url,
                "available": s is not None,
                "summary": None
                if s is None
                else {
                    "title": s.title,
                    "learner": {"name": s.name, "bio": s.bio},
                    "interests": list(s.interests),
                    "projects": len(s.projects),
                    "badges": len(s.badges),
                    "standards": sorted(x.code for x in s.standards),
                    "feedback": s.feedback,
                },
            }
        )
    return {
        "schema": HUB_SCHEMA,
        "generator": f"portfolio-gen {__version__}",
        "title": view.config.title,
        "description": view.config.description,
        "goals": view.goals,
        "members": members,
        "standards": [
            {
                "code": row.code,
                "framework": row.framework,
                "statement": row.statement,
                "goal": row.goal,
                "members": [
                    {
                        "slug": c.member.slug,
                        "evidence": c.count,
                        "url": c.url,
                        "reviews": [asdict(r) for r in c.reviews],
                    }  # teacher reviews: additive
                    for c in row.cells
                    if c.count
                ],
            }
            for row in view.rows
        ],
    }


# ----------------------------------------------------------------- render


def render_hub(view: HubView, writer: Any, diagnostics: Diagnostics | None = None) -> bool:
    """Write the hub's pages; False (and an error at the template's line) when a
    template fails."""
    from .build import _template_location
    from .site.i18n import Catalog
    from .site.render import sandbox
    from .site.themes import builtin_themes

    theme = builtin_themes() / "default"
    folders = [view.config.folder / "templates", theme / "templates"]
    # The hub's templates (and HUB.yml's folder) may not be the builder's: sandboxed.
    env = sandbox(
        [str(f) for f in folders if f.is_dir()],
        auto_reload=False,  # one build: the templates do not change while it runs
    )
    t = Catalog(theme, view.config.language)

    @jinja2.pass_context
    def url(context: Any, target: str) -> str:
        if "://" in target:
            return target
        return relative_url(context["page"].url, target)

    @jinja2.pass_context
    def asset(context: Any, name: str) -> str:
        return relative_url(context["page"].url, "static/" + name)

    env.globals.update(
        hub=view, config=view.config, t=t, url=url, asset=asset, pages=PAGES, slugify=v.slugify
    )
    env.filters["date"] = lambda d: t.date(_dt.date.fromisoformat(d)) if d else ""
    for page in PAGES:
        try:
            html = env.get_template(page.template).render(page=page)
        except jinja2.TemplateError as exc:
            if diagnostics is None:
                raise
            where, line = _template_location(exc, view.config.folder)
            diagnostics.error(where, f"template error: {exc.message or exc}", line)
            return False
        writer.write(output_path(page.url), html)
    for name in ("style.css", "connected.css"):
        writer.copy(theme / "static" / name, f"static/{name}")
    writer.write("hub.json", json.dumps(hub_json(view), indent=2, ensure_ascii=False) + "\n")
    return True


# ---------------------------------------------------------------- command


@dataclass
class HubResult:
    diagnostics: Diagnostics
    out: Path | None = None
    members: int = 0
    built: int = 0
    seconds: float = 0.0
    view: HubView | None = None

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors)


def build_hub(
    hub_file: Path,
    out: Path | None = None,
    *,
    online: bool = False,
    jobs: int | None = None,
    progress: Any = None,
) -> HubResult:
    """Build the members' sites and the hub site; nothing private of a member crosses over."""
    from .site.write import (
        MARKER,
        Locked,
        SiteWriter,
        check_output,
        io_problem,
        output_lock,
        remove_leftovers,
    )

    start = time.perf_counter()
    hub_file = hub_file.resolve()
    diagnostics = Diagnostics(hub_file.parent)
    result = HubResult(diagnostics)
    config = load_hub_config(hub_file, diagnostics)
    if config is None:
        result.seconds = time.perf_counter() - start
        return result
    out = (out or config.folder / "site").resolve()
    members = plan_members(config, diagnostics)
    result.members = len(members)
    if diagnostics.errors:
        result.seconds = time.perf_counter() - start
        return result
    for root in [config.folder] + [m.root for m in members if m.root is not None]:
        if not check_output(root, out, diagnostics):
            result.seconds = time.perf_counter() - start
            return result
    try:
        with output_lock(out):
            remove_leftovers(out)
            out.mkdir(parents=True, exist_ok=True)
            if not (out / MARKER).exists():  # ours from now on, even if this build stops early
                (out / MARKER).write_text('{"files": {}, "generator": "portfolio-gen"}\n')
            build_members(
                members, out, online, jobs or os.cpu_count() or 1, diagnostics, progress, config
            )
            remove_old_members(out, members)
            read_members(config, members, out, online, diagnostics)
            view = make_view(config, members, diagnostics)
            writer = SiteWriter(out)
            try:
                if render_hub(view, writer, diagnostics):
                    writer.commit()
                else:  # a template error, reported: the previous hub site stays
                    writer.abort()
            except BaseException:
                writer.abort()
                raise
            result.view, result.out = view, out
            result.built = sum(1 for m in members if m.summary is not None)
    except Locked:
        diagnostics.error("--output", f"another build is writing {out} right now; try again later")
    except OSError as exc:  # full, read-only, not writable
        diagnostics.error(*io_problem(exc, out))
    result.seconds = time.perf_counter() - start
    return result


def register(subparsers: Any) -> None:
    """Add ``hub`` to an ``ArgumentParser.add_subparsers()`` object."""
    parser = subparsers.add_parser(
        "hub",
        help="build a hub site over many learners' portfolios (a club, library or class)",
        description=(
            "Build each local member's portfolio into DIR/members/<slug>/ (in parallel), read "
            "each member's published portfolio.json, and write a hub site: members, interests, "
            "badges by issuer, and the standards x learners table with gaps against the goals. "
            "See docs/hubs.md."
        ),
    )
    parser.add_argument("hub_file", type=Path, metavar="HUB.yml", help="the hub's settings")
    parser.add_argument(
        "-o", "--output", type=Path, help="output folder (default: site/ beside HUB.yml)"
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="allow network requests (published members' portfolio.json, badge checks)",
    )
    parser.add_argument("--jobs", type=_positive, help="member builds at once (default: all cores)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.set_defaults(func=run_hub)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def run_hub(args: argparse.Namespace) -> int:
    from .build import stderr_progress

    progress = stderr_progress(args.quiet)
    result = build_hub(
        args.hub_file, args.output, online=args.online, jobs=args.jobs, progress=progress
    )
    if progress is not None:
        sys.stderr.write("\r\033[K")
    for diagnostic in result.diagnostics.sorted():  # a name that is not UTF-8 shown escaped
        print(str(diagnostic).encode("utf-8", "backslashreplace").decode(), file=sys.stderr)
    strict_failed = args.strict and bool(result.diagnostics.warnings)
    if strict_failed:
        print("error: warnings are errors with --strict", file=sys.stderr)
    if result.out is None:
        print("hub failed: nothing was written", file=sys.stderr)
        return 1
    if not args.quiet:
        print(
            f"hub of {result.members} member(s), {result.built} with a published portfolio, "
            f"in {result.seconds:.2f} s, {len(result.diagnostics.warnings)} warning(s) -> {result.out}"
        )
    return 1 if result.failed or strict_failed else 0
