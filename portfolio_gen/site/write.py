"""The write stage: build into a fresh folder beside the target, then swap it in.

A failed or interrupted build never touches the previous site, and
portfolio-gen only ever replaces a folder it created itself (a marker file
tells).
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..diagnostics import Diagnostics

MARKER = ".portfolio-gen"
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
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        diagnostics.error(
            where,
            f"{out} is not empty and was not made by portfolio-gen; choose an empty folder or move its files away",
        )
        return False
    return True


class Locked(Exception):
    """Another build is writing the same output folder."""


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for one build; raise Locked if another holds it.

    The lock file sits beside the output (``.<name>.lock``); the operating
    system releases the lock when the process ends, even if it is killed.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    handle = open(path, "a+b")  # noqa: SIM115 - held for the duration of the build
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            raise Locked(str(out)) from None
        yield
    finally:
        handle.close()
        try:
            path.unlink()
        except OSError:
            pass


def remove_leftovers(out: Path) -> None:
    """Remove the temporary folders of builds that were killed (only call under the lock)."""
    out = out.resolve()
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


class SiteWriter:
    """Collects the files of one build in a temporary folder next to ``out``.

    Each file may carry a key (a hash of everything it was made from); the
    keys are kept in the marker file, and a file whose key is unchanged is
    hard-linked from the previous build instead of being made again, so an
    unchanged file keeps its bytes, its inode and its modification time.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.dest = self.out.parent / f".{self.out.name}.building-{os.getpid()}"
        if self.dest.exists():
            shutil.rmtree(self.dest)
        self.dest.mkdir()
        self.written: set[str] = set()
        self.keys: dict[str, str] = {}
        self.previous = read_manifest(self.out)

    def reuse(self, rel: str, key: str) -> bool:
        """Take ``rel`` from the previous build if it was made from the same inputs."""
        old = self.out / rel
        if self.previous.get(rel) != key or not old.is_file():
            return False
        target = self._target(rel)
        try:
            os.link(old, target)
        except OSError:
            shutil.copy2(old, target)
        self.keys[rel] = key
        return True

    def _target(self, rel: str) -> Path:
        normal = posixpath.normpath(rel)
        if normal.startswith(("../", "/")) or normal in ("..", ".", MARKER) or "\\" in rel:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        self.written.add(normal)
        target = self.dest / normal
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: str | bytes, key: str | None = None) -> None:
        target = self._target(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        target.write_bytes(data)
        if key is not None:
            self.keys[rel] = key

    def copy(self, source: Path, rel: str, key: str | None = None) -> None:
        shutil.copyfile(source, self._target(rel))
        if key is not None:
            self.keys[rel] = key

    def __contains__(self, rel: str) -> bool:
        return posixpath.normpath(rel) in self.written

    def _manifest(self) -> str:
        manifest = {
            "generator": "portfolio-gen",
            "note": "replaced on each build",
            "files": self.keys,
        }
        return json.dumps(manifest, indent=0, sort_keys=True) + "\n"

    def commit(self) -> None:
        (self.dest / MARKER).write_text(self._manifest())
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.replace(self.out, old)
        os.replace(self.dest, self.out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.dest, ignore_errors=True)


class LiveWriter(SiteWriter):
    """Writes into ``out`` in place, one file at a time (for the live preview).

    Only files whose bytes change are replaced (each by an atomic rename), and
    ``changed`` lists them, so the preview knows what a rebuild changed.
    """

    def __init__(self, out: Path) -> None:
        self.out = self.dest = out.resolve()
        self.out.mkdir(parents=True, exist_ok=True)
        self.written = set()
        self.keys = {}
        self.previous = read_manifest(self.out)
        self.changed: list[str] = []

    def reuse(self, rel: str, key: str) -> bool:
        if self.previous.get(rel) != key or not (self.out / rel).is_file():
            return False
        self._target(rel)
        self.keys[rel] = key
        return True

    def write(self, rel: str, data: str | bytes, key: str | None = None) -> None:
        target = self._target(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if key is not None:
            self.keys[rel] = key
        try:
            if target.read_bytes() == data:
                return
        except OSError:
            pass
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.changed.append(posixpath.normpath(rel))

    def copy(self, source: Path, rel: str, key: str | None = None) -> None:
        self.write(rel, source.read_bytes(), key)

    def commit(self) -> None:
        for path in sorted(self.out.rglob("*"), reverse=True):
            rel = path.relative_to(self.out).as_posix()
            if path.is_file() and rel not in self.written and rel != MARKER:
                path.unlink()
                self.changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        (self.out / MARKER).write_text(self._manifest())

    def abort(self) -> None:
        pass


def read_manifest(out: Path) -> dict[str, str]:
    """The file keys recorded by the previous build in ``out`` (empty if none)."""
    try:
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
        files = data.get("files", {}) if isinstance(data, dict) else {}
        return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError):
        return {}
