"""The write stage: build into a fresh folder beside the target, then swap it in.

A failed or interrupted build never touches the previous site, and
portfolio-gen only ever replaces a folder it created itself (a marker file
tells).
"""

from __future__ import annotations

import os
import posixpath
import shutil
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


class SiteWriter:
    """Collects the files of one build in a temporary folder next to ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.out.parent / f".{self.out.name}.building-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self.written: set[str] = set()

    def _target(self, rel: str) -> Path:
        normal = posixpath.normpath(rel)
        if normal.startswith(("../", "/")) or normal in ("..", ".") or "\\" in rel:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        self.written.add(normal)
        target = self.tmp / normal
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: str | bytes) -> None:
        target = self._target(rel)
        if isinstance(data, str):
            data = data.encode("utf-8")
        target.write_bytes(data)

    def copy(self, source: Path, rel: str) -> None:
        shutil.copyfile(source, self._target(rel))

    def __contains__(self, rel: str) -> bool:
        return posixpath.normpath(rel) in self.written

    def commit(self) -> None:
        (self.tmp / MARKER).write_text(
            "This folder is written by portfolio-gen; it replaces it on each build.\n"
        )
        old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            os.replace(self.out, old)
        os.replace(self.tmp, self.out)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
