"""One build: config -> read -> link -> pages -> render -> write.

Every stage is incremental: sources are read again only when their bytes
change (the record cache), and a page is rendered again only when one of its
inputs changed (its key); otherwise its file is taken from the previous build.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from . import __version__, quick, yamlio
from .badges.files import is_badge_file
from .badges.files import published as badge_files
from .cache import (
    RecordCache,
    cache_folder,
    collector_paused,
    digest,
    files_signature,
    load_listings,
    note_linked_cache,
    persistent_folder,
    save_listings,
)
from .config import Config, load_config
from .content.alerts import RENDERER_STRINGS
from .content.projects import About, Project, ReadSettings, read_about, read_project
from .content.reading import before_readers_fork, hashed
from .content.sources import Sources, discover
from .diagnostics import Diagnostic, Diagnostics
from .lazy_dataclass import dataclass
from .options import Options, Result
from .paths import ACTIVE_WARNING, Listings, active, allowed, files, refusal
from .scaffold import name_placeholder
from .site import feeds, network, summary
from .site.graph import Portfolio, link, sort_projects
from .site.pages import Page, build_pages
from .site.themes import (
    TemplateHashes,
    builtin_themes,
    template_folders,
    theme_dir,
    theme_problems,
)
from .site.write import (
    Locked,
    SiteWriter,
    check_output,
    io_problem,
    output_lock,
    remove_leftovers,
)
from .standards import load_frameworks
from .urls import output_path

PARALLEL_THRESHOLD = 64  # changed projects; below this, worker start-up costs more than it saves
Progress = Callable[[str, int, int], None]


@dataclass
class Loaded:
    """Everything read and linked, with the hashes that page keys are made of."""

    portfolio: Portfolio
    hashes: dict[str, str]  # dependency token -> hash (see site/pages.py)
    base: str  # hash of what every page depends on
    cache: RecordCache  # the records read, for the next build of a live preview


@dataclass
class Changes:
    """What changed since the last build of a live preview (from file events)."""

    paths: set[Path]
    structural: bool  # a file or folder was created, deleted or moved
    # every changed path, and with each folder it is in, as text: one set look-up
    # of a string per source (asked for each of the portfolio's sources on every
    # rebuild; a Path's text is kept, its hash and parent are made each time)
    named: set[str] = field(init=False)
    within: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.named = {str(p) for p in self.paths}
        self.within = self.named | {str(q) for p in self.paths for q in p.parents}

    def touches(self, path: Path | str) -> bool:
        """Whether ``path`` (or, for a bundle's index.md, anything in its folder) changed."""
        text = os.fspath(path)
        if os.path.basename(text) == "index.md":  # (the file itself is in its folder)
            return os.path.dirname(text) in self.within
        return text in self.named


def load(
    root: Path,
    options: Options,
    progress: Progress | None = None,
    cache: RecordCache | None = None,
    changes: Changes | None = None,
    meanwhile: Callable[[Config], None] | None = None,
    save: bool = True,
) -> tuple[Result, Loaded | None]:
    """Read and link everything a build needs; nothing is written but the cache
    (unless ``save`` is false: then the caller saves ``Loaded.cache``).

    ``cache`` is the record cache to use (``serve`` keeps one in memory);
    by default the one in ``.portfolio-cache/``. ``changes`` (from ``serve``)
    says which files changed since that cache was filled, so nothing else is
    even looked at. ``meanwhile(config)`` is work for this process while worker
    processes read (if they do).
    """
    with yamlio.remembered(persistent_folder(root) if options.cache else None):
        return _load(root, options, progress, cache, changes, meanwhile, save)


def _load(
    root: Path,
    options: Options,
    progress: Progress | None,
    cache: RecordCache | None,
    changes: Changes | None,
    meanwhile: Callable[[Config], None] | None,
    save: bool = True,
) -> tuple[Result, Loaded | None]:
    diagnostics = Diagnostics(root)
    note_linked_cache(root, diagnostics)
    result = Result(diagnostics)
    config = load_config(root, diagnostics, options.base_url)
    if config is None:
        return result, None
    problems = theme_problems(config)  # templates Jinja would read from outside: paths.py
    for path, message in problems:
        diagnostics.error(path, message)
    settings = ReadSettings(
        root,
        config.levels,
        config.allow_raw_html,
        image_hosts=config.allow_images_from,
        publish_html=config.publish_html,
        alert_titles=alert_titles(config),
    )
    if cache is None or cache.key != RecordCache.key_for(settings):
        cache, changes = RecordCache(root, settings, persistent=options.cache), None
    cache.unchanged = (lambda path: not changes.touches(path)) if changes is not None else None
    memo = cache.memo
    if changes is not None and not changes.structural and "sources" in memo:
        sources, found = memo["sources"]
    else:
        found = Diagnostics(root)
        listings = memo.get("listing")  # (serve keeps them in memory)
        if listings is None:
            listings = load_listings(root) if cache.persistent else Listings()
        sources = discover(root, found, listings)
        memo["listing"] = listings
        if cache.persistent:
            save_listings(root, listings)
        leave_out_undecodable(sources, found)
        memo["sources"] = (sources, found)
    diagnostics.extend(found)
    projects, body_hashes = read_projects(
        sources, settings, cache, diagnostics, options.jobs, progress,
        meanwhile=(lambda: meanwhile(config)) if meanwhile and not problems else None,
    )  # fmt: skip
    about: About | None = None
    about_hash = ""
    if sources.about is not None:
        key = sources.about.relative_to(root).as_posix()
        sig, hashed, hit = cache.lookup(key, sources.about)
        about_hash = hashed or ""  # (always a hash: lookup hashes what it reads)
        if hit is None:
            hit = read_about(sources.about, settings)
            cache.put(key, sig, about_hash, *hit)
        about, found = hit
        diagnostics.extend(found)
    badges, badge_hashes = read_badges(root, config, options, cache, diagnostics)
    # every badge file read, also those combined into another badge or read as endorsements
    folder = root / "badges"
    kept = {f"badges/{p.name}" for p in folder.iterdir() if is_badge_file(p)} if badges else set()
    cache.keep_only(set(sources.keys) | kept | {"content/about.md"})
    tree = _tree_hash(config)  # translations and frameworks: every page depends on them
    frameworks = (tuple(config.standards), tree)
    if memo.get("catalog", (None,))[0] != frameworks:
        memo["catalog"] = (frameworks, *load_frameworks(root, schemes=config.standards or None))
    _, catalog, found = memo["catalog"]
    diagnostics.extend(found)
    if cache.persistent and save:
        cache.save()
    if config.learner.avatar:
        avatar = root / config.learner.avatar
        if not allowed(root, avatar):
            diagnostics.error(
                config.path, f"learner.avatar: no file {config.learner.avatar} in the portfolio"
            )
    peers = (
        []
        if options.reading_peer
        else network.read_peers(config, options.online, diagnostics, read_peer)
    )
    with collector_paused():  # (~100,000 objects made, nearly all kept)
        portfolio = link(
            config, sort_projects(projects), about, badges, catalog, sources, diagnostics,
            drafts=options.drafts, peers=peers, memo=cache.memo,
        )  # fmt: skip
    reviews: list[Any] = []  # teacher reviews (reviews/*.yml): standards/reviews.py is
    if (root / "reviews").is_dir():  # imported only if the folder is there (-1.5 ms)
        from .standards import reviews as teacher_reviews

        reviews = teacher_reviews.read_reviews(root, diagnostics)
        teacher_reviews.attach(portfolio, reviews, catalog, diagnostics)
    if not options.drafts:
        result.drafts = sorted(p.source for p in projects if p.draft)
    name_placeholder(config, diagnostics)  # the scaffold's (the others: when read)
    hashes, base = _hashes(portfolio, body_hashes, badge_hashes, about_hash, tree)
    base = digest(base, digest(*(repr(r) for r in reviews)))  # reviews show on many pages
    network.extend_hashes(portfolio, hashes)  # feedback and peers: site/network.py
    return result, Loaded(portfolio, hashes, base, cache)


def read_peer(folder: Path) -> tuple[dict[str, Any] | None, int]:
    """A local peer for site/network.py: its portfolio.json data (read offline, in memory,
    one process, no cache written, its own network not read), and its error count."""
    result, loaded = load(folder, Options(cache=False, jobs=1, reading_peer=True))
    errors = len(result.diagnostics.errors)
    return (summary.portfolio_json(loaded.portfolio) if loaded and not errors else None), errors


UNDECODABLE = (
    "the file name is not UTF-8 text, so it cannot be published; rename it "
    "(for example with 'convmv -f latin1 -t utf8')"
)


def leave_out_undecodable(sources: Sources, diagnostics: Diagnostics) -> None:
    """A file name that is not UTF-8 (copied from an old system: b'caf\\xe9.png')
    cannot be in a page, a URL or JSON, which are UTF-8: each is reported and left out."""
    bad = sorted(rel for rel in sources.files if not _utf8(rel))
    for rel in bad:
        shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
        diagnostics.error(f"content/{shown}", UNDECODABLE)
    if bad:
        sources.files.difference_update(bad)
        kept = [(k, p) for k, p in zip(sources.keys, sources.paths, strict=True) if _utf8(k)]
        sources.keys, sources.paths = [k for k, _ in kept], [p for _, p in kept]
        sources.bundle_files = {
            key: tuple(f for f in files if _utf8(f))
            for key, files in sources.bundle_files.items()
            if _utf8(key)
        }


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:  # undecodable bytes, kept by os as lone surrogates
        return False


def alert_titles(config: Config) -> tuple[str, ...]:
    """GitHub alerts' titles, then a heading link's (content/alerts.py), in the site's language."""
    if config.language.split("-")[0].lower() == "en" and config.theme == "default":
        return ()  # the renderer's own English
    from .site.i18n import Translations

    t = Translations(theme_dir(config), config.language)
    return tuple(t(title) for title in RENDERER_STRINGS)


def read_projects(
    sources: Sources,
    settings: ReadSettings,
    cache: RecordCache,
    diagnostics: Diagnostics,
    jobs: int | None,
    progress: Progress | None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[Project], dict[str, str]]:
    """Read every project source, from the cache when it is unchanged."""
    root = settings.root
    keys = sources.keys
    hashes: dict[str, str] = {}
    results: dict[str, tuple[Project | None, list[Diagnostic]]] = {}
    missing = []
    for key, path in zip(keys, sources.paths, strict=True):
        listing = sources.bundle_files.get(key, ())
        sig, hash_, hit = cache.lookup(key, path, listing=listing, hash_new=False)
        if hit is None:  # (a new source is hashed where it is read: in parallel)
            missing.append((key, sig, hash_, Path(path)))
        else:
            hashes[key] = hash_ or ""
            results[key] = hit
    calls = [
        (path, sig, hash_, settings, *_earlier(cache, key)) for key, sig, hash_, path in missing
    ]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(missing) >= PARALLEL_THRESHOLD:
        from .workers import pool as worker_pool
        from .workers import start_workers

        chunk = max(4, len(missing) // (jobs * 32))  # small: no worker is left alone at the end
        before_readers_fork(settings, (path for _, _, _, path in missing))
        pool = start_workers(lambda: worker_pool(jobs), lambda pool: pool.terminate())
        with pool, collector_paused():  # (the records unpickled here are kept)
            read = pool.imap(_read_call, calls, chunksize=chunk)
            if meanwhile is not None:  # every chunk is queued: the workers are busy
                meanwhile()
            done = list(_stored(cache, missing, read, root, progress))
    else:
        done = list(_stored(cache, missing, (_read(*call) for call in calls), root, progress))
    for key, hash_, item in done:
        hashes[key], results[key] = hash_, item
    projects = []
    body_hashes = {}
    for key in keys:
        project, found = results[key]
        diagnostics.extend(found)
        if project is not None:
            projects.append(project)
            entry = cache.entries.get(key)
            outside = entry[4] if entry is not None else ()
            # its pictures from elsewhere too (cache.lookup hashes the source alone)
            made = digest(hashes[key], files_signature(outside)) if outside else hashes[key]
            body_hashes[project.slug] = made
    return projects, body_hashes


def _read(
    path: Path, sig: str, hash_: str | None, settings: ReadSettings, code: Any, front_matter: Any
) -> tuple[str, tuple[Project | None, list[Diagnostic]]]:
    """read_project, with the source's hash when the cache had none yet."""
    if hash_:
        return hash_, read_project(path, settings, code, front_matter)
    hash_, data = hashed(path, sig)  # (the file read once for its hash and its record)
    return hash_, read_project(path, settings, code, front_matter, data)


def _read_call(call: tuple[Any, ...]) -> tuple[str, tuple[Project | None, list[Diagnostic]]]:
    return _read(*call)


def _stored(
    cache: RecordCache,
    missing: list[tuple[str, str, str | None, Path]],
    read: Iterable[tuple[str, tuple[Project | None, list[Diagnostic]]]],
    root: Path,
    progress: Progress | None,
) -> Iterator[tuple[str, str, tuple[Project | None, list[Diagnostic]]]]:
    """Put each source's new record in the cache as it arrives: (key, hash, record)."""
    for i, ((key, sig, _, _), (hash_, item)) in enumerate(zip(missing, read, strict=True)):
        cache.put(key, sig, hash_, *item, deps=_outside_files(item[0], root))
        if progress and i % 50 == 0:
            progress("reading", i, len(missing))
        yield key, hash_, item


def _earlier(cache: RecordCache, key: str) -> tuple[Any, Any]:
    """From a project's previous record, what reading it again may reuse: the HTML
    of its code blocks (content/fences.py) and its parsed front matter."""
    previous = cache.previous(key)
    if not isinstance(previous, Project):
        return None, None
    return previous.code_html, previous.front_matter


def _outside_files(project: Project | None, root: Path) -> tuple[Path, ...]:
    """Files a single-file project shows from elsewhere (its bundle's are in its signature)."""
    if project is None or project.bundle:
        return ()
    return tuple(
        root / "content" / t.key
        for t in project.images
        if t.kind == "file" and (root / "content" / t.key).is_file()
    )


def read_badges(
    root: Path, config: Config, options: Options, cache: RecordCache, diagnostics: Diagnostics
) -> tuple[list[Any], dict[str, str]]:
    """Read and verify every badge file; offline results are cached for the day."""
    folder = root / "badges"
    if not folder.is_dir():
        return [], {}
    problem = refusal(root, folder)
    if problem is not None:
        diagnostics.warning(folder, problem)
        return [], {}
    badges, hashes = [], {}
    # A badge's status depends on its file, its sidecars, the learner's identities and the date.
    sidecars = digest(
        *(
            f"{p.name}:{p.stat().st_mtime_ns}"
            for p in sorted(folder.iterdir())
            if p.is_file() and not is_badge_file(p)
        )
    )
    kept = cache_folder(root, "badges")  # what --online fetched (issue 19): part of a status
    extra = digest(sidecars, *config.identities, _dt.date.today().isoformat(), _stamp(kept))
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not is_badge_file(path):
            continue
        if not _utf8(path.name):
            shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
            diagnostics.error(f"badges/{shown}", UNDECODABLE)
            continue
        problem = refusal(root, path)
        if problem is not None:
            diagnostics.warning(path, problem)
            continue
        key = path.relative_to(root).as_posix()
        sig, hash_, hit = cache.lookup(key, path, extra)
        if hit is None or options.online:
            from .badges import read_badge  # imported here: only a badge read again needs it

            hit = read_badge(
                path, root=root, identities=config.identities, online=options.online,
                cache_dir=cache_folder(root, "badges"),
            )  # fmt: skip
            if not options.online and hash_ is not None:
                cache.put(key, sig, hash_, *hit)
        badge, found = hit
        diagnostics.extend(found)
        badges.append(badge)
    from .badges.combine import combine  # copies of one credential, endorsement files

    badges, found = combine(badges)
    diagnostics.extend(found)
    # Pages show the day a badge was checked (site/badgeview.py): they are made again each day
    today = _dt.date.today().isoformat()
    hashes = {badge.slug: digest(repr(badge), today) for badge in badges}
    badges.sort(key=lambda b: (b.issued_on is None, b.issued_on or 0, b.slug))
    return badges, hashes


def _stamp(folder: Path) -> str:
    """The names, sizes and times of the badge cache's documents, answers and pictures."""
    parts = []
    for kind in ("documents", "responses", "images"):
        try:
            with os.scandir(folder / kind) as entries:
                parts += [f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in entries]
        except OSError:
            continue
    return digest(*sorted(parts))


def _hashes(
    portfolio: Portfolio, bodies: dict[str, str], badges: dict[str, str], about: str, tree: str
) -> tuple[dict[str, str], str]:
    hashes: dict[str, str] = {"about": about}  # (by comprehensions: ~0.5 ms less at 1,000)
    slugs, made = [p.slug for p in portfolio.projects], [p.card for p in portfolio.projects]
    hashes.update(zip([f"card:{slug}" for slug in slugs], made, strict=True))  # made when read
    hashes.update({f"body:{slug}": bodies.get(slug, "") for slug in slugs})
    cards = [f"{slug}={card}" for slug, card in zip(slugs, made, strict=True)]
    for slug, value in badges.items():
        hashes[f"badge:{slug}"] = value
    hashes["cards"] = digest(*cards)
    hashes["badges"] = digest(*(f"{k}={v}" for k, v in sorted(badges.items())))
    config = portfolio.config
    return hashes, digest(__version__, repr(config), tree)


def _tree_hash(config: Config) -> str:
    """What every page depends on besides its template: translations and frameworks."""
    parts = []
    root = config.root
    builtin = builtin_themes()
    for folder in (theme_dir(config) / "i18n", builtin / "default" / "i18n", root / "standards"):
        for _, path in files(builtin if folder.is_relative_to(builtin) else root, folder):
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


def page_keys(pages: list[Page], loaded: Loaded, template_hash: Callable[[str], str]) -> list[str]:
    """Each page's key: everything its output is made from (see site/pages.py), with
    ``template_hash(template)`` (asked once a template); one call for every page.
    A live preview keeps the keys of its last write (in the record cache's memo):
    a page whose URL, dependencies, base and template hash are the same and none
    of whose dependencies' hashes changed since keeps its key."""
    kept: KeptKeys = loaded.cache.memo.setdefault("page keys", KeptKeys())
    hashes, base = loaded.hashes, loaded.base
    kept.start(hashes)
    previous, changed, made = kept.previous, kept.changed, kept.keys
    templates: dict[str, str] = {}
    keys = []
    for page in pages:
        url, deps, name = page.url, page.deps, page.template
        with_template = templates.get(name) or templates.setdefault(name, template_hash(name))
        old = previous.get(url)
        if (
            old is not None and old[0] == deps and old[1] == base
            and old[2] == with_template and deps.isdisjoint(changed)
        ):  # fmt: skip
            key = old[3]
        else:
            made_of = [f"{t}={hashes.get(t, '')}" for t in sorted(deps)]
            key = digest(base, with_template, url, *made_of)
        made[url] = (deps, base, with_template, key)
        keys.append(key)
    return keys


class KeptKeys:
    """The page keys of a live preview's last write, and which dependency
    hashes changed since they were made."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}  # what the kept keys were made with
        # url -> (deps, base, template hash, key): the last write's, this write's
        self.previous: dict[str, tuple[frozenset[str], str, str, str]] = {}
        self.keys: dict[str, tuple[frozenset[str], str, str, str]] = {}
        self.changed: set[str] = set()

    def start(self, hashes: dict[str, str]) -> None:
        """At a write's keys: what changed since the last write's (whose keys only are kept)."""
        if hashes is self.hashes:
            return
        old = self.hashes  # (from the tokens kept the same: none in a build of its own, ~0.4 ms)
        same = {t for t, h in old.items() if hashes.get(t) == h}
        self.changed = (hashes.keys() - same) | (old.keys() - hashes)
        self.previous, self.keys, self.hashes = self.keys, {}, hashes


def build(
    root: Path, options: Options, progress: Progress | None = None, tried_quick: bool = False
) -> Result:
    """Build the site (``tried_quick``: the quick build was tried already)."""
    start = time.perf_counter()
    root = root.resolve()
    quickly = None if tried_quick else quick.build(root, options, start)  # after text edits
    if quickly is not None:
        return quickly
    with yamlio.remembered(
        persistent_folder(root) if options.cache else None
    ):  # settings, catalogs
        return _build(root, options, progress, start)


def _build(root: Path, options: Options, progress: Progress | None, start: float) -> Result:
    out = (options.out or root / "site").resolve()
    keeping = options.quick and options.cache and not options.check_only
    walked = quick.inputs(root, out) if keeping else None  # (before anything is read)
    bytecode = _bytecode_dir(root, options.cache)
    result, loaded = load(
        root, options, progress, meanwhile=lambda config: _precompile(config, bytecode), save=False
    )
    # The record cache is saved while workers render (or at the end): not in the build's way.
    pending = [loaded.cache.save] if loaded is not None and loaded.cache.persistent else []

    def save_cache() -> None:
        while pending:
            pending.pop()()

    def keep() -> None:  # under the output's lock, after the site is committed
        assert loaded is not None
        made = loaded.cache.memo.pop("written", None)  # (by write_site)
        quick.keep(root, out, options, loaded, result, made, walked)

    kept = keep if loaded is not None and keeping else None
    try:
        result = _write(root, out, options, progress, start, result, loaded, save_cache, kept)
    finally:
        save_cache()
    if kept is not None and result.out is None:
        quick.keep(root, out, options, loaded, result, None, walked)  # (no state)
    return result


def _write(
    root: Path,
    out: Path,
    options: Options,
    progress: Progress | None,
    start: float,
    result: Result,
    loaded: Loaded | None,
    save_cache: Callable[[], None],
    kept: Callable[[], None] | None = None,
) -> Result:
    diagnostics = result.diagnostics
    if loaded is not None:
        result.portfolio = loaded.portfolio
    if loaded is None or options.check_only:
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

    try:
        with output_lock(out):
            remove_leftovers(out)
            writer = SiteWriter(out)
            try:
                write_site(loaded, writer, result, progress, options.jobs, also=save_cache)
                if diagnostics.errors:
                    writer.abort()
                else:
                    writer.commit()
                    result.out = out
            except BaseException:
                writer.abort()
                raise
            if kept is not None and result.out is not None:
                kept()  # (under the lock: no other build writes the site before it is kept)
    except Locked:
        diagnostics.error(
            "--output",
            f"another build is writing {out} right now; wait for it to finish, then build again",
        )
    except OSError as exc:  # full, read-only, not writable: nothing of the previous site changed
        diagnostics.error(*io_problem(exc, out))
    result.seconds = time.perf_counter() - start
    return result


def write_site(
    loaded: Loaded,
    writer: SiteWriter,
    result: Result,
    progress: Progress | None,
    jobs: int | None = None,
    fingerprint: bool = True,
    also: Callable[[], None] | None = None,
) -> None:
    """Render, write and copy the site; ``also()`` is more work for this
    process, done while workers render if they do."""
    portfolio = loaded.portfolio
    config = portfolio.config
    root = config.root
    diagnostics = result.diagnostics
    static = static_files(theme_dir(config), root, diagnostics)
    assets = fingerprints(static) if fingerprint else {name: "static/" + name for name in static}
    assets_key = digest(*(f"{k}={v}" for k, v in sorted(assets.items())))
    template_hash = TemplateHashes(template_folders(config, theme_dir(config)))
    with collector_paused():  # (a page, its key: kept)
        pages = build_pages(portfolio, loaded.cache.memo)
        paths = [output_path(page.url) for page in pages]
        keys = page_keys(pages, loaded, lambda name: template_hash(name) + assets_key)
        made = zip(pages, paths, keys, writer.reuse_all(paths, keys), strict=True)
        todo: list[tuple[Page, str, str]] = [(p, at, key) for p, at, key, kept in made if not kept]
    hashes = loaded.hashes
    by_url = {project.url: project for project in portfolio.projects}  # where bodies are: quick.py
    located: dict[str, Any] = {p.url: by_url[p.url] for p, _, _ in todo if p.kind == "project"}

    def site_files() -> None:
        # The site-wide files depend on every project's card and every badge (the
        # lists' key), portfolio.json also on the projects' collaborators, and the
        # feed on the newest bodies too: an edit to a new project's text remakes
        # the feed alone (portfolio.json and the sitemap: ~40 ms at 1,000 projects).
        projects = portfolio.projects[: feeds.FEED_SIZE]
        newest = [hashes.get(f"body:{p.slug}", "") for p in projects]
        made_with = [f"{p.slug}={p.collaborators!r}" for p in portfolio.projects if p.collaborators]
        key = digest(loaded.base, hashes["cards"], hashes["badges"], *made_with)
        keys = {"feed.xml": digest(key, *newest)}
        makers = {
            "sitemap.xml": lambda: feeds.sitemap(portfolio, pages),
            "feed.xml": lambda: feeds.feed(
                portfolio, {p.url: p.body_html + p.reflection_html for p in projects}
            ),
            "robots.txt": lambda: feeds.robots(portfolio),
            "portfolio.json": lambda: summary.dumps(summary.portfolio_json(portfolio)),
        }
        for name, make in makers.items():
            if not writer.reuse(name, keys.get(name, key)):
                text = make()
                if text is not None:
                    writer.write(name, text, keys.get(name, key))
        if also is not None:
            also()

    if todo:  # Jinja is imported only when there is something to render
        from .site.parallel import render_pages
        from .site.render import Renderer

        renderer = Renderer(
            portfolio,
            assets=assets,
            env_cache=loaded.cache.memo if loaded.cache.unchanged else None,
            bytecode_dir=_bytecode_dir(root, loaded.cache.persistent),
        )
        error = render_pages(
            renderer, todo, writer, progress, meanwhile=site_files, located=located
        )
        if error is not None:
            where, line, message = error
            diagnostics.error(where, f"template error: {message}", line)
            return
    else:
        site_files()
    result.rendered = len(todo)
    result.pages = len(pages)

    builtin = builtin_themes()
    for name, source in static.items():
        # A built-in theme's file is only used by its fingerprinted name (no
        # url() in its stylesheets); the portfolio's own keep their plain name too.
        if assets[name] == "static/" + name or not source.is_relative_to(builtin):
            writer.copy(source, "static/" + name)
        if assets[name] != "static/" + name:
            writer.copy(source, assets[name])
    publish_media(portfolio, writer, diagnostics, jobs)
    for badge in portfolio.badges:  # the exact file, and a sanitized copy to show an SVG
        for i, file in enumerate(badge.files):  # the first file's picture is shown
            for name, data in badge_files(root / "badges" / file, image=i == 0):
                writer.write(f"badges/{badge.slug}/{name}", data)
        if badge.issuer_image:  # checked and sanitized when read (badges/images.py)
            writer.write(f"badges/{badge.slug}/{badge.issuer_image[0]}", badge.issuer_image[1])
    for rel, message in writer.all_problems():
        diagnostics.error(writer.out / rel, message)
    if config.base_url is None:
        result.notes.append("no base_url: sitemap.xml and feed.xml need one and were left out")
        result.without_base_url = True
    result.files = len(writer.written)
    loaded.cache.memo["written"] = {"located": located, "written": set(writer.written)}


def _bytecode_dir(root: Path, cache: bool) -> Path | None:
    """Where compiled templates are kept between builds (none without the cache)."""
    return persistent_folder(root, "jinja") if cache else None


def _precompile(config: Config, bytecode: Path | None) -> None:
    from .site.render import precompile

    precompile(config, bytecode)


def static_files(
    theme: Path, root: Path, diagnostics: Diagnostics | None = None
) -> dict[str, Path]:
    """The theme's static files, overridden or extended by the portfolio's static/.

    The portfolio's own files (its static/, a theme inside it) follow the file
    policy (paths.py) and are never web pages: those would run on the site's origin."""
    report = diagnostics.warning if diagnostics is not None else None
    builtin = builtin_themes()
    found: dict[str, Path] = {}
    for folder in (root / "static", theme / "static"):
        own = not folder.is_relative_to(builtin)
        for name, path in files(root if own else builtin, folder, report if own else None):
            if own and active(name):
                if report is not None:
                    report(
                        path, f"{ACTIVE_WARNING}; static/ is published as it is, so not published"
                    )
            elif name not in found:
                found[name] = path
    return dict(sorted(found.items()))


def fingerprints(static: dict[str, Path]) -> dict[str, str]:
    """Where each static file is also published under a name that changes with
    its content (``assets/style.1a2b3c4d.css``), so hosts can cache it forever.
    Pages link to these; the plain ``static/`` copies of the portfolio's own
    files (and of a theme of its own) stay for anything that refers to a file by
    its own name (a ``url()`` in a stylesheet)."""
    result = {}
    for name, path in static.items():
        stem, dot, suffix = name.rpartition(".")
        hashed = digest(path.read_bytes())[:10]
        result[name] = f"assets/{stem}.{hashed}.{suffix}" if dot else f"assets/{name}.{hashed}"
    return result


def publish_media(
    portfolio: Portfolio, writer: SiteWriter, diagnostics: Diagnostics, jobs: int | None = None
) -> None:
    """Bundle files, linked files and pictures (originals without private metadata,
    responsive sizes, social cards): see site/media.py."""
    from .site import media

    media.publish(portfolio, writer, diagnostics, jobs=jobs)


def stderr_progress(quiet: bool) -> Progress | None:
    """A one-line progress display on a terminal; silent in CI and with --quiet."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(stage: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{stage} {done}/{total}   ")
        sys.stderr.flush()

    return show
