"""The write stage: stage the new files in a hidden folder inside the output
folder, then move them into place.

A failed or interrupted build never touches the previous site, and
portfolio-gen only ever replaces a folder it created itself (a marker file
tells). Everything (staging, lock) stays inside the output folder, so it works
when that folder is a mount point (a Docker volume, a tmpfs): a rename never
crosses file systems, and nothing is written beside it.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..diagnostics import Diagnostics

MARKER = ".portfolio-gen"
OURS = MARKER + "."  # .portfolio-gen.lock, .portfolio-gen.staging-<pid>: ours, never published
LOCK = OURS + "lock"
STAGING = OURS + "staging-"
PROTECTED = ("content", "badges", "standards", "templates", "static", "themes")


def check_output(root: Path, out: Path, diagnostics: Diagnostics) -> bool:
    """Refuse output folders that would overwrite sources or someone else's files."""
    root, out = root.resolve(), out.resolve()
    where = "--output"
    if out == root or root.is_relative_to(out):
        diagnostics.error(
            where, f"{out} contains the portfolio itself; choose a folder such as {root / 'site'}"
        )
        return False
    for name in PROTECTED:
        if out.is_relative_to(root / name):
            diagnostics.error(
                where, f"{out} is inside the portfolio's {name}/ folder; choose {root / 'site'}"
            )
            return False
    if out.exists() and not out.is_dir():
        diagnostics.error(where, f"{out} is a file, not a folder")
        return False
    if out.is_dir() and not (out / MARKER).exists() and _others(out):
        diagnostics.error(
            where,
            f"{out} is not empty and was not made by portfolio-gen; choose an empty folder or move its files away",
        )
        return False
    return True


def _others(out: Path) -> bool:
    """Whether ``out`` holds anything but a killed build's lock or staging folder."""
    return any(not p.name.startswith(OURS) for p in out.iterdir())


def io_problem(exc: OSError, out: Path) -> tuple[Path, str]:
    """Where an error of the write stage is, and what it means: a file of the site
    that cannot be written (the output folder's fault) or one that cannot be read."""
    name = Path(os.fsdecode(exc.filename)) if exc.filename else out
    if name.is_relative_to(out) or out.is_relative_to(name):
        return out, cannot_write(exc)
    return name, f"cannot be read ({exc.strerror or exc}); fix or remove it, then build again"


def cannot_write(exc: OSError) -> str:
    """What an error writing the output folder means, and how to fix it."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "no space left on the disk of the output folder; free some space or choose another --output"
    if code == errno.EROFS:
        return "the output folder is on a read-only file system; choose another --output"
    if code in (errno.EACCES, errno.EPERM):
        return (
            "permission denied writing the output folder; make it writable "
            "(chmod u+w) or choose another --output"
        )
    return f"cannot write the output folder ({exc.strerror or exc}); check it or choose another --output"


class Locked(Exception):
    """Another build is writing the same output folder."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for one build; raise Locked if another holds it.

    The lock file sits inside the output (``.portfolio-gen.lock``, made with
    the folder if need be); the operating system releases the lock when the
    process ends, even if it is killed.
    """
    out = out.resolve()
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    handle = open(path, "a+b")  # noqa: SIM115 - held for the duration of the build
    try:
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise Locked(str(out)) from None
        yield
    finally:
        handle.close()
        try:
            path.unlink()
            if created:  # a first build that wrote nothing leaves no empty folder
                out.rmdir()
        except OSError:
            pass


def remove_leftovers(out: Path) -> None:
    """Remove the temporary folders of builds that were killed (only call under the lock)."""
    out = out.resolve()
    for stale in out.glob(STAGING + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):  # from versions that staged beside
        shutil.rmtree(stale, ignore_errors=True)


class SiteWriter:
    """Writes one build: changed files are staged inside ``out``, then moved in.

    Nothing in ``out`` changes until ``commit``, so a build that fails (bad
    content, a template error, Ctrl-C, a crash) leaves the previous site as it
    was. ``commit`` moves each staged file into place with an atomic rename,
    then removes files the new build no longer has. A file whose inputs are
    unchanged (the same key in the marker file) or whose bytes are identical
    is not touched at all: it keeps its inode and modification time, which
    keeps warm builds and rsync-style deploys cheap.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out_text = str(self.out)
        self.created = not self.out.exists()
        self.out.mkdir(parents=True, exist_ok=True)
        self.dest = self.out / f"{STAGING}{os.getpid()}"
        if self.dest.exists():
            shutil.rmtree(self.dest)
        self.dest.mkdir()
        self.folders: set[str] = {str(self.dest)}  # staging folders made (by this process)
        self.written: set[str] = set()  # every file of the new site
        self.staged: set[str] = set()  # the files that must be moved into out
        self.keys: dict[str, str] = {}
        self.previous = read_manifest(self.out)
        self.trusted = False  # whether the files ``previous`` names are surely there
        self.changed: list[str] = []  # files added, replaced or removed by commit
        self.problems: list[tuple[str, str]] = []  # (file, message): files that could not be made
        self._links: dict[str, bool] = {}  # a folder of out -> whether it is a link
        self.fresh = not self.previous and not _others(self.out)  # nothing in out yet

    def _check(self, rel: str) -> str:
        if _plain(rel):  # (most names: normpath is ~1 µs, ~1 ms per 1,000 pages)
            self.written.add(rel)
            return rel
        normal = posixpath.normpath(rel)
        if _leaves(normal) or "\\" in rel:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        self.written.add(normal)
        return normal

    def reuse(self, rel: str, key: str) -> bool:
        """Keep ``rel`` from the previous build if it was made from the same inputs."""
        return self.reuse_all([rel], [key])[0]

    def reuse_all(self, files: list[str], keys: list[str]) -> list[bool]:
        """``reuse`` of each file with its key: one call for a build's pages
        (its lookups hoisted: ~2 ms less at 1,000 pages than a call per page; the
        folder's text made once: a Path in os.path.join is ~1 ms per 1,000)."""
        previous, kept = self.previous, self.keys
        folder, look = f"{self.out_text}{os.sep}", not self.trusted
        isfile, check = os.path.isfile, self._check
        reused = []
        for rel, key in zip(files, keys, strict=True):
            if previous.get(rel) != key or (look and not isfile(folder + rel)):
                reused.append(False)
                continue
            check(rel)
            kept[rel] = key
            reused.append(True)
        return reused

    def stage(self, rel: str, data: bytes) -> None:
        """Write the new bytes of ``rel`` into the staging folder (also called by
        render workers that write their pages themselves)."""
        normal = self._check(rel)
        self.staged.add(normal)
        create(os.path.join(self.dest, normal), data, self.folders)

    def mark_staged(self, rel: str) -> None:
        """Record a file another process wrote with ``stage(rel, ...)``."""
        self.staged.add(self._check(rel))

    def write(self, rel: str, data: str | bytes, key: str | None = None) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if key is not None:
            self.keys[rel] = key
        current = self.out / rel
        try:
            if current.stat().st_size == len(data) and current.read_bytes() == data:
                self._check(rel)
                return
        except OSError:
            pass
        try:
            self._put(rel, data)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
            self.written.discard(posixpath.normpath(rel))
            self.staged.discard(posixpath.normpath(rel))
            size = len(posixpath.basename(rel).encode("utf-8", "surrogateescape"))
            self.problems.append(
                (
                    rel,
                    f"the name is too long for the output folder's file system ({size} bytes; "
                    "most allow 255); give the file it is made from a shorter name",
                )
            )

    def _put(self, rel: str, data: bytes) -> None:
        self.stage(rel, data)

    def copy(self, source: Path, rel: str, key: str | None = None) -> None:
        self.write(rel, source.read_bytes(), key)

    def _manifest(self) -> str:
        return manifest_text({rel: self.keys.get(rel, "") for rel in self.written})

    def commit(self) -> None:
        if self.fresh:  # a first build: a rename per top entry
            for entry in sorted(self.dest.iterdir()):
                _move(entry, self.out / entry.name)
            self.changed = sorted(self.staged)
        else:
            for rel in sorted(self.staged):
                target = self.out / rel
                if not target.parent.is_dir():
                    target.parent.mkdir(parents=True)
                _move(self.dest / rel, target)
                self.changed.append(rel)
        self._remove_stale()
        replace_file(self.out / MARKER, self._manifest().encode("utf-8"))
        shutil.rmtree(self.dest, ignore_errors=True)

    def linked(self, rel: str) -> str | None:
        """The first folder on the way to ``rel`` in ``out`` that is a link (planted:
        a site's folder is made by builds, which make none), or None."""
        folder = ""
        for part in rel.split("/")[:-1]:
            folder = f"{folder}/{part}" if folder else part
            link = self._links.get(folder)
            if link is None:
                link = self._links[folder] = os.path.islink(f"{self.out_text}{os.sep}{folder}")
            if link:
                return folder
        return None

    def all_problems(self) -> list[tuple[str, str]]:
        """``problems``, and a file to be moved into a folder that is a link (it would
        land wherever the link leads): checked before ``commit``."""
        if self.fresh:  # (a first build: no folder to check)
            return self.problems
        found = dict.fromkeys(f for f in map(self.linked, sorted(self.staged)) if f is not None)
        message = (
            "is a link; remove it (the site's folders are made by portfolio-gen), then build again"
        )
        return self.problems + [(folder, message) for folder in found]

    def _remove_stale(self) -> None:
        """Remove the files of the previous build that this one did not make."""
        folders: set[Path] = set()
        for rel in sorted(set(self.previous) - self.written):
            if self.linked(rel) is not None:  # (never a file through a link)
                continue
            path = self.out / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                self.changed.append(rel)
            folders.update(p for p in path.parents if p.is_relative_to(self.out) and p != self.out)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def abort(self) -> None:
        shutil.rmtree(self.dest, ignore_errors=True)
        if self.created:
            try:
                self.out.rmdir()  # only if empty
            except OSError:
                pass


EMBEDS = "data-embed="  # what project.html asks of a body besides showing it


def locate(html: str, body: str) -> tuple[int, int, bool] | None:
    """Where ``body`` is in a page's HTML as its file holds it (UTF-8 bytes: start,
    length), if it is there once, and whether it embeds (a quick build puts an
    edited body there: quick.py)."""
    at = html.find(body)
    if not body or at < 0 or html.find(body, at + 1) >= 0:
        return None
    return len(html[:at].encode("utf-8")), len(body.encode("utf-8")), EMBEDS in body


def manifest_text(files: dict[str, str]) -> str:
    """The marker file: every file of the site, with its key ("" when it has none):
    the next build removes the ones it no longer makes without walking the tree."""
    # json.dumps(manifest, indent=0, sort_keys=True), made by json's C encoder
    # (with indent, json encodes in Python: ~0.7 ms at 1,000 pages): its items
    # (sorted) one a line; no item holds a newline (json escapes it).
    items = json.dumps(dict(sorted(files.items())), separators=(",\n", ": "))[1:-1]
    return (
        f'{{\n"files": {{\n{items}\n}},\n' if files else '{\n"files": {},\n'
    ) + '"generator": "portfolio-gen",\n"note": "replaced on each build"\n}\n'


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` with a rename: a link left there is replaced, not followed."""
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    create(str(tmp), data, {str(path.parent)})
    os.replace(tmp, path)


def _plain(rel: str) -> bool:
    """Whether ``rel`` is surely a normal path inside the folder, as ``normpath``
    leaves it: no empty, '.' or '..' part (no part starts with '.'), no '\\'."""
    return (
        rel != "" and rel[0] not in "./" and rel[-1] != "/" and "/." not in rel
        and "//" not in rel and "\\" not in rel
    )  # fmt: skip


def create(path: str, data: bytes, folders: set[str]) -> None:
    """Write a new file, making its folder first unless ``folders`` (the folders
    known to exist) has it. With os calls, not pathlib's: a cold build writes a
    thousand pages, each in a folder of its own (pathlib's mkdir and write_text
    cost ~20 us more a file, measured: ~25 ms of a cold build's CPU at 1,000 projects)."""
    folder = os.path.dirname(path)
    if folder not in folders:
        try:
            os.mkdir(folder)  # (a page's own folder: its parent is there)
        except FileExistsError:
            if not os.path.isdir(folder):  # (a file: as pathlib's mkdir(exist_ok=True) says)
                raise
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o666)  # (as open(path, "wb"))
    try:
        view = memoryview(data)
        while view:  # (a regular file takes it in one write; a short one goes on)
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` (atomically); across file systems (a mount
    inside the output folder), copy beside the target first, then rename."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        if source.is_dir():
            shutil.copytree(source, tmp)
        else:
            shutil.copy2(source, tmp)
        os.replace(tmp, target)
        shutil.rmtree(source) if source.is_dir() else source.unlink()


class LiveWriter(SiteWriter):
    """Writes into ``out`` in place, one atomic rename per file (the live preview).

    ``previous`` is the last writer's ``manifest()``: the preview keeps it in
    memory (its folder is its own), so no manifest file is read or written."""

    def __init__(self, out: Path, previous: dict[str, str] | None = None) -> None:
        self.out = self.dest = out.resolve()
        self.out_text = str(self.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.written = set()
        self.staged = set()
        self.keys = {}
        self.previous = read_manifest(self.out) if previous is None else previous
        self.trusted = previous is not None  # its files are the ones it names
        self.changed = []
        self.problems = []
        self.folders = {self.out_text}
        self._links = {}

    def all_problems(self) -> list[tuple[str, str]]:
        return self.problems  # (its folder is the preview's own: no link is planted in it)

    def _put(self, rel: str, data: bytes) -> None:
        normal = self._check(rel)
        target = self.out / normal
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.changed.append(normal)

    def commit(self) -> None:
        self._remove_stale()

    def manifest(self) -> dict[str, str]:
        """Every file of the preview with its key, for the next build's writer."""
        return {rel: self.keys.get(rel, "") for rel in self.written}

    def abort(self) -> None:
        pass


def read_manifest(out: Path) -> dict[str, str]:
    """The file keys recorded by the previous build in ``out`` (empty if none)."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
        files = data.get("files", {}) if isinstance(data, dict) else {}
        # A name that leaves the folder (planted: "../x", "/x") is no file of ours.
        return {k: v for k, v in files.items() if _inside(k) and isinstance(v, str)}
    except (OSError, ValueError):
        return {}


def _inside(rel: object) -> bool:
    """Whether ``rel`` names a file inside the output folder, as ``_check`` allows."""
    if not isinstance(rel, str) or "\\" in rel or "\0" in rel:
        return False
    return posixpath.normpath(rel) == rel and not _leaves(rel)


def _leaves(normal: str) -> bool:
    """Whether a normalised name leaves the output folder, or is its marker file."""
    return normal.startswith(("../", "/", MARKER)) or normal in ("..", ".")
