"""The file policy: what a build may read and publish from a portfolio folder.

A portfolio may come from someone else, so every path read must stay inside
the portfolio's root after following symlinks, and some files are never
published, wherever they are:

- the private files of the root (``portfolio.local.yml``, the build cache,
  an output folder), also when a link points at them;
- dot-files and dot-folders, editor leftovers and system files (``notes.txt~``,
  ``.#notes.txt``, ``#notes.txt#``, ``x.swp``, ``Thumbs.db``, ``desktop.ini``).

``refusal`` says why one path may not be read (``allowed`` is its yes or no); ``walk`` lists the files of a
folder that may be, without following links that leave the root, and survives
link loops. Links that stay inside the root work as their targets would.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Never published, at the top of the root (config.LOCAL_FILE, cache.CACHE_DIR,
# the default output folder); any folder with write.MARKER is an output too.
PRIVATE_TOP = frozenset({"portfolio.local.yml", ".portfolio-cache", "site"})
OUTPUT_MARKER = ".portfolio-gen"
_JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
_JUNK_SUFFIXES = (".swp", ".swo", ".swx")

# Files a browser shows as a document that may run script, with the site's
# origin, when it is opened from the site (hosts pick Content-Type from the
# extension). Bundle files of these types are published with ``.txt`` added
# (``demo.html.txt``: text/plain, shown as text) and offered for download.
# SVG is not here: pictures.py makes it safe.
ACTIVE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mht", ".mhtml", ".xml", ".xsl",
     ".xslt", ".rss", ".atom", ".rdf", ".svgz"}
)  # fmt: skip
ACTIVE_WARNING = "is a web page, which would run on the site's own address"
SAFE_SUFFIX = ".txt"
LOOP = "is a link in a loop (it leads back to itself or to a folder above it); not read"

Report = Callable[[Path, str], None]


def active(name: str) -> bool:
    """Whether a file of this name would be shown as an active document."""
    return os.path.splitext(name.rstrip(". "))[1].lower() in ACTIVE_SUFFIXES


def published_name(name: str) -> str:
    """The name a bundle file is published under: ``demo.html`` -> ``demo.html.txt``."""
    return name + SAFE_SUFFIX if active(name) else name


def skipped(name: str) -> bool:
    """Whether a file or folder name is never published: dot-files, editor
    leftovers, system files and the private local settings."""
    lower = name.lower()
    return (
        name.startswith((".", "#", "~$"))  # .DS_Store, .#lock, #autosave#, ~$office lock
        or name.endswith("~")
        or lower.endswith(_JUNK_SUFFIXES)
        or lower in _JUNK_NAMES
        or lower == "portfolio.local.yml"
    )


def refusal(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be read (None when it may): a link leaving the root
    or pointing at a private file, a link loop. A missing file is not refused."""
    return _checked(Path(root).resolve(), path)[0]


def _checked(root_real: Path, path: Path | str) -> tuple[str | None, Path | None]:
    """``refusal`` with the root already resolved, and the real path (None when missing)."""
    try:
        real = Path(path).resolve(strict=True)
    except FileNotFoundError:
        return None, None  # missing: the caller's own check says so
    except (OSError, RuntimeError):
        return LOOP, None
    try:
        rel = real.relative_to(root_real)
    except ValueError:
        what = "folder" if real.is_dir() else "file"
        return f"is a link to a {what} outside the portfolio; not published", real
    if private(rel.parts, real):
        return f"is a link to {rel.as_posix()}, which is never published; not published", real
    return None, real


def private(parts: tuple[str, ...], real: Path) -> bool:
    """Whether the root-relative ``parts`` of ``real`` name a file never published."""
    return bool(parts) and (
        parts[0] in PRIVATE_TOP
        or any(skipped(part) for part in parts)
        or (real.is_dir() and (real / OUTPUT_MARKER).exists())
    )


RACY_NS = 2_000_000_000  # a folder changed this recently may change again within its time's tick
Stamp = tuple[int, int, int, int]  # a folder's device, inode, change and modification times (ns)


class Listings:
    """What ``walk`` found in each folder last time, reused while the folder's
    stamp is the same: a folder's change time moves whenever an entry is
    added, removed, renamed or replaced in it (and on chmod), never for a
    file's new bytes (on Windows its modification time does). Never
    remembered: a folder holding a link (whose target can change without the
    folder), one with anything reported, one changed within ``RACY_NS`` of the
    walk (a timestamp's tick: two changes in one tick would share a stamp). A
    discovery after one edit lists no folder (content/sources.py: ~10 ms of 14
    at 1,000 projects)."""

    def __init__(self, folders: dict[str, Any] | None = None) -> None:
        # folder path -> (stamp, its entries as walk yields them, its folders as (path, rel, name))
        self.folders: dict[str, tuple[Stamp, list[tuple[str, str]], list[tuple[str, str, str]]]]
        self.folders = folders or {}
        self.changed = False  # a folder listed again, added or gone: worth saving


def _stamp(folder: str) -> Stamp | None:
    try:
        s = os.stat(folder)
    except OSError:
        return None
    # (on Windows st_ctime is the creation time: there the modification time tells)
    return (s.st_dev, s.st_ino, s.st_ctime_ns, s.st_mtime_ns)


def walk(
    root: Path, top: Path, report: Report | None = None, listings: Listings | None = None
) -> Iterator[tuple[str, str]]:
    """Every file and folder under ``top`` that may be read, as (path relative
    to ``top`` with '/', path), in no particular order; a folder's ends with '/'.

    Skipped names are left out silently; links that may not be followed and
    folders that cannot be read are left out and passed to ``report(path, message)``.
    Strings, not Paths: discovery walks content/ on every build. With
    ``listings`` (the last walk's, updated here), an unchanged folder is not listed.
    """
    root_real = Path(root).resolve()
    problem, top_real = _checked(root_real, top)  # (each path resolved once: walks are many)
    if problem is not None:
        if report is not None:
            report(Path(top), problem)
        return
    if top_real is None or not top_real.is_dir():
        return
    known = listings.folders if listings is not None else {}
    seen: dict[str, tuple[Stamp, list[tuple[str, str]], list[tuple[str, str, str]]]] = {}
    recent = time.time_ns() - RACY_NS
    # (folder, its path from top, the real paths of it and the folders above it)
    pending: list[tuple[str, str, tuple[str, ...]]] = [(str(top), "", (str(top_real),))]
    while pending:
        folder, rel, chain = pending.pop()
        stamp = _stamp(folder) if listings is not None else None  # (before it is listed)
        kept = known.get(folder)
        if stamp is not None and kept is not None and kept[0] == stamp:
            seen[folder] = kept
            yield from kept[1]
            above = chain[-1] + os.sep  # (not os.path.join: ~0.5 ms per 1,000 folders)
            for path, sub, name in kept[2]:
                pending.append((path, sub, (*chain, above + name)))
            continue
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if report is not None:
                report(Path(folder), f"cannot read the folder: {exc.strerror}; not read")
            continue
        found: list[tuple[str, str]] = []
        folders: list[tuple[str, str, str]] = []
        plain = stamp is not None and max(stamp[2:]) < recent  # may be remembered as it is
        for entry in entries:
            name = entry.name
            if skipped(name):
                continue
            real = None  # a linked folder's real path
            try:
                if entry.is_symlink():
                    plain = False
                    problem = _checked(root_real, entry.path)[0]
                    if problem is None and entry.is_dir():
                        real = os.path.realpath(entry.path)
                        if any(a == real or a.startswith(real + os.sep) for a in chain):
                            problem = LOOP
                    if problem is not None:
                        if report is not None:
                            report(Path(entry.path), problem)
                        continue
                if entry.is_dir():
                    real = real or os.path.join(chain[-1], name)
                    pending.append((entry.path, f"{rel}{name}/", (*chain, real)))
                    folders.append((entry.path, f"{rel}{name}/", name))
                    found.append((f"{rel}{name}/", entry.path))
                elif entry.is_file():
                    found.append((rel + name, entry.path))
            except OSError:
                plain = False
                continue
        if plain:
            seen[folder] = (stamp, found, folders)  # type: ignore[assignment]
        yield from found
    if listings is not None and (
        seen.keys() != known.keys() or any(seen[f] is not known[f] for f in seen)
    ):
        listings.folders, listings.changed = seen, True


def files(root: Path, top: Path, report: Report | None = None) -> list[tuple[str, Path]]:
    """The files of ``walk``, sorted by their path from ``top``."""
    return sorted((rel, Path(path)) for rel, path in walk(root, top, report) if rel[-1:] != "/")


def allowed(root: Path, path: Path) -> bool:
    """Whether ``path`` is a file the build may read and publish."""
    return os.path.isfile(path) and refusal(root, path) is None


def read_at_most(path: Path, limit: int) -> bytes | None:
    """A file's bytes, or None when it holds more than ``limit`` (it never reads
    more than one byte past it). Raises OSError as opening and reading do."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    return data if len(data) <= limit else None
