"""One build: config -> read -> link -> pages -> render -> write."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .badges import is_badge_file, read_badge
from .config import Config, load_config
from .content.projects import About, Project, ReadSettings, read_about, read_project
from .content.sources import Sources, discover, inside
from .diagnostics import Diagnostic, Diagnostics
from .site import feeds, summary
from .site.graph import Portfolio, link, sort_projects
from .site.images import ImageProblem, publishable_image
from .site.pages import Page, build_pages
from .site.render import Renderer
from .site.write import SiteWriter, check_output
from .standards import load_frameworks
from .urls import output_path

PARALLEL_THRESHOLD = 64  # below this many projects, worker start-up costs more than it saves
CACHE_DIR = ".portfolio-cache"
Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    online: bool = False
    jobs: int | None = None
    check_only: bool = False


@dataclass
class Result:
    diagnostics: Diagnostics
    out: Path | None = None
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    portfolio: Portfolio | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors) or self.strict_failed

    strict_failed: bool = False


def load(
    root: Path, options: Options, progress: Progress | None = None
) -> tuple[Result, Portfolio | None]:
    """Read and link everything a build needs; nothing is written."""
    diagnostics = Diagnostics(root)
    result = Result(diagnostics)
    config = load_config(root, diagnostics, options.base_url)
    if config is None:
        return result, None
    sources = discover(root, diagnostics)
    settings = ReadSettings(root, config.levels, config.allow_raw_html)
    projects = read_projects(sources, settings, diagnostics, options.jobs, progress)
    about: About | None = None
    if sources.about is not None:
        about, found = read_about(sources.about, settings)
        diagnostics.extend(found)
    badges = read_badges(root, config, options, diagnostics)
    catalog, found = load_frameworks(root)
    diagnostics.extend(found)
    if config.learner.avatar:
        avatar = root / config.learner.avatar
        if not avatar.is_file() or not inside(avatar, root):
            diagnostics.error(
                config.path, f"learner.avatar: no file {config.learner.avatar} in the portfolio"
            )
    portfolio = link(
        config, sort_projects(projects), about, badges, catalog, sources, diagnostics,
        drafts=options.drafts, unknown_standard_is_error=options.check_only,
    )  # fmt: skip
    return result, portfolio


def read_projects(
    sources: Sources,
    settings: ReadSettings,
    diagnostics: Diagnostics,
    jobs: int | None,
    progress: Progress | None,
) -> list[Project]:
    paths = sources.projects
    jobs = jobs or os.cpu_count() or 1
    results: list[tuple[Project | None, list[Diagnostic]]] = []
    if jobs > 1 and len(paths) >= PARALLEL_THRESHOLD:
        chunk = max(8, len(paths) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, item in enumerate(
                pool.map(read_project, paths, [settings] * len(paths), chunksize=chunk)
            ):
                results.append(item)
                if progress and i % 50 == 0:
                    progress("reading", i, len(paths))
    else:
        for i, path in enumerate(paths):
            results.append(read_project(path, settings))
            if progress and i % 50 == 0:
                progress("reading", i, len(paths))
    projects = []
    for project, found in results:
        diagnostics.extend(found)
        if project is not None:
            projects.append(project)
    return projects


def read_badges(
    root: Path, config: Config, options: Options, diagnostics: Diagnostics
) -> list[Any]:
    folder = root / "badges"
    if not folder.is_dir():
        return []
    badges = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not is_badge_file(path):
            continue
        if not inside(path, root):
            diagnostics.error(path, "is a link to a place outside the portfolio and is not read")
            continue
        badge, found = read_badge(
            path, root=root, identities=config.identities, online=options.online,
            cache_dir=root / CACHE_DIR / "badges",
        )  # fmt: skip
        diagnostics.extend(found)
        badges.append(badge)
    return sorted(badges, key=lambda b: (b.issued_on is None, b.issued_on or 0, b.slug))


def build(root: Path, options: Options, progress: Progress | None = None) -> Result:
    start = time.perf_counter()
    root = root.resolve()
    out = (options.out or root / "site").resolve()
    result, portfolio = load(root, options, progress)
    result.portfolio = portfolio
    diagnostics = result.diagnostics
    if portfolio is None or options.check_only:
        result.strict_failed = options.strict and bool(diagnostics.warnings)
        result.seconds = time.perf_counter() - start
        return result
    if not check_output(root, out, diagnostics) or diagnostics.errors:
        result.seconds = time.perf_counter() - start
        return result
    if options.strict and diagnostics.warnings:
        result.strict_failed = True
        result.seconds = time.perf_counter() - start
        return result

    writer = SiteWriter(out)
    try:
        write_site(portfolio, writer, result, progress)
        if diagnostics.errors:
            writer.abort()
        else:
            writer.commit()
            result.out = out
    except BaseException:
        writer.abort()
        raise
    result.seconds = time.perf_counter() - start
    return result


def write_site(
    portfolio: Portfolio, writer: SiteWriter, result: Result, progress: Progress | None
) -> None:
    config = portfolio.config
    root = config.root
    diagnostics = result.diagnostics
    renderer = Renderer(portfolio)
    pages = build_pages(portfolio)
    bodies: dict[str, str] = {}
    for i, page in enumerate(pages):
        try:
            html = renderer.render(page)
        except jinja2.TemplateError as exc:
            where, line = _template_location(exc, root)
            diagnostics.error(where, f"template error: {exc.message}", line)
            return
        writer.write(output_path(page.url), html)
        if page.kind == "project":
            bodies[page.url] = page.context["project"].body_html
        if progress and i % 50 == 0:
            progress("writing", i, len(pages))
    result.pages = len(pages)

    publish_static(renderer.theme, root, writer)
    publish_media(portfolio, writer, diagnostics)
    for badge in portfolio.badges:
        writer.copy(root / "badges" / badge.file, f"badges/{badge.slug}/{badge.file}")
    for name, text in (
        ("sitemap.xml", feeds.sitemap(portfolio, pages)),
        ("feed.xml", feeds.feed(portfolio, bodies)),
        ("robots.txt", feeds.robots(portfolio)),
        ("portfolio.json", summary.dumps(summary.portfolio_json(portfolio))),
    ):
        if text is not None:
            writer.write(name, text)
    if config.base_url is None:
        result.notes.append("no base_url: sitemap.xml and feed.xml need one and were left out")
    result.files = len(writer.written)


def publish_static(theme: Path, root: Path, writer: SiteWriter) -> None:
    """Theme static files, overridden or extended by the portfolio's static/."""
    for folder in (root / "static", theme / "static"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = "static/" + path.relative_to(folder).as_posix()
            if path.is_file() and rel not in writer and inside(path, folder):
                writer.copy(path, rel)


def publish_media(portfolio: Portfolio, writer: SiteWriter, diagnostics: Diagnostics) -> None:
    """Bundle files and linked content files, images without private metadata."""
    root = portfolio.config.root
    content = root / "content"
    wanted: dict[str, str] = {}
    for project in portfolio.projects:
        for media in project.media:
            wanted[media.path] = media.url
        for target in project.links + project.images:
            if target.kind == "file":
                wanted[target.key] = target.url
    if portfolio.about:
        for target in portfolio.about.links + portfolio.about.images:
            if target.kind == "file":
                wanted[target.key] = target.url
    files = [(content / path, url) for path, url in sorted(wanted.items())]
    if portfolio.config.learner.avatar:
        files.append((root / portfolio.config.learner.avatar, portfolio.config.avatar_url))
    strip = portfolio.config.privacy.strip_metadata
    for source, url in files:
        if not source.is_file() or not inside(source, root):
            continue
        try:
            if source.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
                writer.write(url, publishable_image(source, strip))
            else:
                writer.copy(source, url)
        except ImageProblem as exc:
            diagnostics.warning(source, f"{exc}; it is not published")


def _template_location(exc: jinja2.TemplateError, root: Path) -> tuple[str, int | None]:
    """The template file and line of a Jinja error (Jinja maps frames to template lines)."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt")):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if name is None:
        return "templates", None
    try:
        return Path(name).resolve().relative_to(root).as_posix(), line
    except ValueError:
        return str(name), line


def stderr_progress(quiet: bool) -> Progress | None:
    """A one-line progress display on a terminal; silent in CI and with --quiet."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(stage: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{stage} {done}/{total}   ")
        sys.stderr.flush()

    return show


__all__ = ["Options", "Result", "build", "load", "Page"]
