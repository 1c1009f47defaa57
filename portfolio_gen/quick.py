"""The quick build: a build after edits to projects' text, without the stages
that look at every project (every record, link, the page list, the keys).

A full build keeps what a quick one needs (``keep``: ``.portfolio-cache/
quick.marshal``, sealed with the user's key as every cache file is). The next
build starts with ``build`` here, which leaves it to the full build (returns
None) unless all of these hold:

- the same version of portfolio-gen, root, output, options, environment and
  day (the day the full build started);
- no file the build may read changed but projects' sources: every file of
  the folders the portfolio's build reads (``READ``; not the site, nor names
  the build never reads: ``paths.skipped``), of the built-in theme and of
  portfolio_gen's own code has the stat kept (taken before the full build read
  it), and every folder the names kept (a file saved by moving a new one over
  it changes its folder's stat, not its names);
- the site is as the last build left it: every file it made has the stat kept
  (one changed by hand loses its key in the manifest, so the full build makes
  it again: it trusts a file whose key is unchanged);
- each changed project reads to the same record but for its body
  (``Project.face``), with the same problems and the same answer to whether
  its body embeds (project.html asks), and is not one of the feed's newest;
- the page of each changed project was located: its HTML held the body once.

Then a full build would make the same portfolio but for those bodies, and
would render only those projects' pages (their keys' dependencies:
site/pages.py), where the body is shown in one place and nothing else is
made from it (tests/test_quick_templates.py holds the built-in templates to
that; tests/test_quick.py compares the two builds over many edits). So
the new body is put where the old one was, each page's key and the manifest
are made as the full build makes them, and the last build's problems and
counts are reported again. The records cache is left as it was: the next full
build reads the edited projects again.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from stat import S_ISREG
from typing import Any, NamedTuple

from . import __version__
from .cache import (
    Deferred,
    _Large,
    cache_folder,
    collector_paused,
    digest,
    installed,
    persistent_folder,
    seal,
    signature,
    signature_prefix,
    unseal,
    write_new,
)
from .content.projects import ReadSettings, read_project
from .content.reading import hashed
from .diagnostics import Diagnostic, Diagnostics
from .options import Options, Result
from .paths import RACY_NS, skipped
from .site.write import (
    EMBEDS,
    MARKER,
    Locked,
    check_output,
    manifest_text,
    output_lock,
    read_manifest,
    remove_leftovers,
    replace_file,
)
from .urls import output_path

STATE = "quick.marshal"
# The portfolio's folders a build reads (the avatar may be elsewhere: ``_made`` checks)
READ = frozenset({"content", "badges", "standards", "reviews", "templates", "static", "themes"})
LABEL = b"quick-1"
ENVIRONMENT = ("PORTFOLIO_RECIPIENT", "PORTFOLIO_GEN_CACHE_HOME", "XDG_CACHE_HOME", "HOME", "TZ")
PACKAGE = Path(__file__).resolve().parent
CODE = str(PACKAGE)
# What makes a page's HTML besides portfolio-gen: as installed (found, not imported)
LIBRARIES = installed("cmarkgfm", "pygments", "nh3", "latex2mathml", "jinja2", "markupsafe", "yaml")

Stat = tuple[int, int, int, int, int]  # device, inode, size, modified and changed (ns)


class _Fallback(Exception):
    """The full build is needed."""


class Entry(NamedTuple):
    """What the state keeps of a project (as a plain tuple: marshal)."""

    slug: str
    source: str  # its record cache key
    page: str  # its page's file in the site
    listing: tuple[str, ...]  # its bundle's other files (cache.signature)
    face: str  # Project.face
    problems: str  # digest of its reading's diagnostics
    embeds: bool  # whether its body embeds (project.html asks)
    newest: bool  # one of the feed's (feed.xml shows their bodies)
    at: tuple[int, int]  # where its page's file holds its body: UTF-8 bytes, start and length
    base: str  # its page key's parts (build.page_keys)
    template: str
    url: str
    parts: list[str]
    key: str
    body: tuple[int, int, bytes] | None  # where a body of it is in the records file (cache.where)


def stamp(root: Path, out: Path, options: Options, day: str | None = None) -> str:
    """What a kept state is good for: this version, portfolio, output, options,
    environment and day (a badge's status, and the date pages are made on)."""
    env = [f"{name}={os.environ.get(name)}" for name in ENVIRONMENT]
    day = day or time.strftime("%Y-%m-%d")
    settings = repr((options.base_url, options.drafts))
    return digest(__version__, sys.version, LIBRARIES, str(root), str(out), settings, day, *env)


def _stat(path: str, recent: int = 0) -> Stat | tuple[()] | None:
    """A file's stat, () if there is none, None if it changed so recently that it could
    change again within its clock's tick (then it always counts as changed)."""
    try:
        s = os.stat(path, follow_symlinks=False)
    except OSError:
        return ()
    if recent and (s.st_mtime_ns >= recent or s.st_ctime_ns >= recent):
        return None
    return (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)


def _entries(folder: str, site: str) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` a build may read (every one in badges/: its sidecars
    count, build.read_badges; not the ``site``, which the first build makes), sorted
    by name. A link stops the quick build."""
    everything = os.path.basename(folder) == "badges"
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.path == site or not everything and skipped(entry.name):
                continue
            if entry.is_symlink():
                raise _Fallback(f"{entry.path} is a link")
            if entry.name == "__pycache__" and folder.startswith(CODE):
                continue  # (Python's compiled files beside ours: not read)
            found.append(entry)
    return sorted(found, key=lambda entry: entry.name)


def _names(folder: str, site: str) -> list[str]:
    return [entry.name for entry in _entries(folder, site)]


def _walk(
    tops: Iterable[str],
    leave_out: str,
    recent: int,
    root: str = "",
    read: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The stat of every file under ``tops`` a build may read, and each folder's names
    (in ``root``, only the folders named in ``read`` are walked: the others' names are kept)."""
    files: dict[str, Stat | tuple[()] | None] = {}
    folders: dict[str, tuple[Stat | tuple[()] | None, list[str]]] = {}
    pending = list(tops)
    while pending:
        folder = pending.pop()
        stat = _stat(folder, recent)  # (before it is listed: a change while it is, is seen)
        entries = _entries(folder, leave_out)
        folders[folder] = (stat, [entry.name for entry in entries])
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if folder != root or entry.name in read:
                    pending.append(entry.path)
            else:
                files[entry.path] = _stat(entry.path, recent)
    return {"files": files, "folders": folders, "site": leave_out}


def _changed(kept: dict[str, Any]) -> dict[str, Stat | tuple[()] | None]:
    """The files whose stat is not the one kept, with their stat now (taken before
    they are read); a folder with other names stops the quick build."""
    for folder, (stat, names) in kept["folders"].items():
        if (stat is None or _stat(folder) != stat) and _names(folder, kept["site"]) != names:
            raise _Fallback(f"{folder}: a file was added or removed")
    recent, changed = time.time_ns() - RACY_NS, {}
    for path, stat in kept["files"].items():
        now = _stat(path, recent)
        if stat is None or now != stat:
            changed[path] = now
    return changed


# ---------------------------------------------------------------- a full build keeps


def inputs(root: Path, out: Path) -> dict[str, Any] | None:
    """The stat of every file a build of ``root`` may read, taken before it reads them
    (a file changed while the build runs is then seen as changed by the next): the
    names at the portfolio's top and the folders in ``READ`` (not the site), the
    built-in theme, portfolio_gen's code, the badge documents --online fetched (or
    that there are none), portfolio.local.yml. None where a link is met."""
    from .site.themes import builtin_themes

    day = time.strftime("%Y-%m-%d")  # (the day the build starts: it reads badges after)
    recent = time.time_ns() - RACY_NS
    tops = [str(root), str(builtin_themes()), CODE]
    fetched = cache_folder(root, "badges")  # part of a badge's status: build.read_badges
    if fetched.is_dir():
        tops.append(str(fetched))
    try:
        walked = _walk(tops, str(out), recent, str(root), READ)
    except (_Fallback, OSError):
        return None
    local = str(root / "portfolio.local.yml")  # (read, never published: a skipped name)
    walked["files"][local] = _stat(local, recent)
    walked["day"] = day
    if not fetched.is_dir():  # (its coming is a change: check --online makes it)
        walked["files"][str(fetched)] = _stat(str(fetched), recent)
    return walked


def keep(
    root: Path, out: Path, options: Options, loaded: Any, result: Result, made: Any, walked: Any
) -> None:
    """After a full build: what a quick build needs, if it wrote its site (``made``:
    by write_site) and ``walked`` its inputs first (``inputs``), else nothing."""
    folder = persistent_folder(root)
    if folder is None:
        return
    state = folder / STATE
    try:
        with collector_paused():  # (its ~10,000 tuples would have it walk the whole graph)
            ready = made is not None and walked is not None
            kept = _made(root, out, options, loaded, result, made, walked) if ready else None
    except (_Fallback, OSError):
        kept = None
    try:
        if kept is None:
            state.unlink(missing_ok=True)
        else:
            write_new(state, seal(LABEL, marshal.dumps(kept)))
    except OSError:
        pass


def _made(
    root: Path,
    out: Path,
    options: Options,
    loaded: Any,
    result: Result,
    made: dict[str, Any],
    walked: dict[str, Any],
) -> dict[str, Any] | None:
    from .site.feeds import FEED_SIZE
    from .site.themes import builtin_themes, template_folders, theme_dir

    portfolio, cache = loaded.portfolio, loaded.cache
    config = portfolio.config
    if options.reading_peer:
        return None
    builtin = builtin_themes()
    default = str(builtin / "default" / "templates")
    if (
        options.online
        or options.strict
        or result.diagnostics.errors
        or config.network
        or config.learner.avatar
        and str(root / config.learner.avatar) not in walked["files"]
        or template_folders(config, theme_dir(config)) != (default,)
        or "sources" not in cache.memo
    ):
        return None
    sources = cache.memo["sources"][0]
    paths = dict(zip(sources.keys, sources.paths, strict=True))
    newest = {p.slug for p in portfolio.projects[:FEED_SIZE]}
    located, hashes = made["located"], loaded.hashes
    page_keys = cache.memo["page keys"].keys  # url -> (deps, base, template, key): page_keys
    top = f"{out}{os.sep}"
    site = {rel: _stat(top + rel) for rel in sorted(made["written"])}
    site[MARKER] = _stat(top + MARKER)
    reused = len(located) < len(portfolio.projects)  # pages kept: where the last state said
    before = (_load(root, out, None) if reused else None) or {"projects": {}, "site": {}}
    projects = {}
    for project in portfolio.projects:
        key, url = project.source, project.url
        entry, path, rel = cache.entries.get(key), paths.get(key), output_path(url)
        if path is None or entry is None or entry[4]:
            continue  # (a single-file project showing pictures from elsewhere: its signature has them)
        deps, base, template, page_key = page_keys[url]
        at = located.get(url)  # (start, length, whether it embeds): write.locate
        if url not in located:  # the page was kept: where the last state said, if still so
            last = before["projects"].get(path)
            was = Entry(*last) if last is not None else None
            if (
                was is not None and was.key == page_key and was.page == rel
                and before["site"].get(rel) == site.get(rel)
            ):  # fmt: skip
                at = (*was.at, was.embeds)
        if type(at) is not tuple:
            continue
        start, length, embeds = at
        parts = [f"{t}={hashes.get(t, '')}" for t in sorted(deps)]
        projects[path] = tuple(Entry(
            project.slug, key, rel, sources.bundle_files.get(key, ()), project.face,
            digest(repr(entry[3])), embeds, project.slug in newest,
            (start, length), base, template, url, parts, page_key, cache.where.get(key),
        ))  # fmt: skip
    settings = cache.settings
    return {
        "stamp": stamp(root, out, options, walked["day"]),
        "inputs": walked,
        "projects": projects,
        "site": site,
        "records": (str(cache.path), _stat(str(cache.path))),
        "settings": {
            f.name: getattr(settings, f.name) for f in fields(settings) if f.name != "root"
        },
        "report": (
            [(d.path, d.line, d.severity, d.message) for d in result.diagnostics],
            result.pages,
            result.files,
            result.drafts,
            result.notes,
            result.without_base_url,
        ),
    }


# ---------------------------------------------------------------- a quick build


def _load(root: Path, out: Path, options: Options | None) -> dict[str, Any] | None:
    """The state the last build kept, if it is for this build (for these ``options``;
    with None, for any: where its pages held their bodies is still so while they have
    the stat and key it kept, on another day too)."""
    folder = persistent_folder(root)
    try:
        data = unseal(LABEL, (folder / STATE).read_bytes()) if folder is not None else None
        kept = marshal.loads(data) if data is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(kept, dict):
        return None
    if options is not None and kept.get("stamp") != stamp(root, out, options):
        return None
    return kept


def build(root: Path, options: Options, start: float) -> Result | None:
    """The build after edits to projects' text (see the module's doc), or None:
    then the full build runs (nothing of the site was written but, as a full build
    does, killed builds' staging folders removed and the keys of files changed by
    hand taken out of the manifest)."""
    if not options.quick or options.online or options.strict or options.check_only:
        return None
    if not options.cache or options.reading_peer:
        return None
    out = (options.out or root / "site").resolve()
    folder = persistent_folder(root)
    if folder is None or not (folder / STATE).is_file() or not (out / MARKER).is_file():
        return None
    try:
        with output_lock(out):  # (what is checked stays so until the state is written)
            kept = _load(root, out, options)
            if kept is None or not check_output(root, out, Diagnostics(root)):
                return None
            remove_leftovers(out)
            return _build(root, out, kept, folder, start)
    except (_Fallback, Locked, OSError):
        return None
    except Exception:  # noqa: BLE001 - never worse than the full build, which runs next and
        return None  # makes again a page whose key the manifest does not have (nothing else)


def _build(root: Path, out: Path, kept: dict[str, Any], folder: Path, start: float) -> Result:
    """The quick build, under the output's lock; raises _Fallback if it may not be."""
    projects = kept["projects"]
    changed = _changed(kept["inputs"])
    if any(path not in projects for path in changed):
        raise _Fallback("not a project's text")
    site = kept["site"]
    top = f"{out}{os.sep}"
    stale = [rel for rel, stat in site.items() if _stat(top + rel) != stat]
    if stale:  # changed by hand: the full build makes them again (it trusts their keys)
        manifest = read_manifest(out)
        if any(manifest.get(rel) for rel in stale):
            manifest.update((rel, "") for rel in stale if rel in manifest)
            replace_file(out / MARKER, manifest_text(manifest).encode("utf-8"))
        raise _Fallback("the site changed")
    settings = ReadSettings(root=root, **kept["settings"])
    edits = [_read(Entry(*projects[path]), path, settings, kept["records"]) for path in changed]
    manifest = read_manifest(out)
    done = [_put(out, entry, body, hash_, manifest) for entry, body, hash_ in edits]
    if edits:
        replace_file(out / MARKER, manifest_text(manifest).encode("utf-8"))
    rendered = 0
    for (path, stat), (entry, _, _), now in zip(changed.items(), edits, done, strict=True):
        rendered += now.key != entry.key  # (the full build renders a page whose key changed)
        kept["inputs"]["files"][path] = stat
        projects[path] = tuple(now)
        site[now.page] = _stat(top + now.page)
    if edits:
        site[MARKER] = _stat(str(out / MARKER))
        write_new(folder / STATE, seal(LABEL, marshal.dumps(kept)))
    diagnostics = Diagnostics(root)
    problems, pages, files, drafts, notes, without_base_url = kept["report"]
    for path, line, severity, message in problems:
        diagnostics.add(Diagnostic(path, line, severity, message))
    return Result(
        diagnostics, out=out, pages=pages, rendered=rendered, files=files,
        seconds=time.perf_counter() - start, notes=list(notes), drafts=list(drafts),
        without_base_url=without_base_url,
    )  # fmt: skip


def _read(entry: Entry, path: str, settings: ReadSettings, records: Any) -> tuple[Entry, str, str]:
    """The edited project read again: (its entry, its body's HTML, its hash), if only its body changed."""
    if entry.newest:
        raise _Fallback("the feed shows the newest bodies")
    if not S_ISREG(os.stat(path, follow_symlinks=False).st_mode):
        raise _Fallback(f"{path} is not a file")  # (a FIFO would block the read)
    sig = signature(path, tuple(entry.listing)) + signature_prefix("")
    hash_, data = hashed(
        Path(path), sig
    )  # (the hash its page key is made of, as build.read_projects)
    code = front_matter = None
    if entry.body is not None and _stat(records[0]) == records[1]:  # its code blocks, highlighted
        part = Deferred(_Large(Path(records[0])), tuple(entry.body))  # type: ignore[arg-type]
        code, front_matter = part.code_html, part.front_matter
    project, found = read_project(Path(path), settings, code, front_matter, data)
    if (
        project is None
        or project.slug != entry.slug
        or project.face != entry.face
        or digest(repr(found)) != entry.problems
        or (EMBEDS in project.body_html) != entry.embeds
    ):
        raise _Fallback("more than the body changed")
    return entry, project.body_html, hash_


def _put(out: Path, entry: Entry, body: str, hash_: str, manifest: dict[str, str]) -> Entry:
    """Put the new body in its page and the page's key in the manifest: the entry now."""
    token = f"body:{entry.slug}="
    parts = [token + hash_ if part.startswith(token) else part for part in entry.parts]
    key = digest(entry.base, entry.template, entry.url, *parts)
    page = out / entry.page
    old = page.read_bytes()
    start, length = entry.at
    text = body.encode("utf-8")
    new = old[:start] + text + old[start + length :]
    if new != old:
        replace_file(page, new)
    manifest[entry.page] = key
    return entry._replace(at=(start, len(text)), parts=parts, key=key)
