"""The build cache in ``.portfolio-cache/``: read records keyed by content hash.

A warm build re-reads only the sources whose bytes changed; everything else
comes from here. The cache is a convenience: a missing, corrupt or foreign
cache is ignored and rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".portfolio-cache"
RECORDS = "records.pickle"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def source_hash(path: Path) -> str:
    """The hash of a project source: its bytes, plus its bundle's file list."""
    try:
        data = path.read_bytes()
    except OSError:
        return "unreadable"
    parts: list[bytes | str] = [data]
    if path.name == "index.md":
        for file in sorted(path.parent.rglob("*")):
            if file.is_file() and file != path:
                stat = file.stat()
                parts.append(
                    f"{file.relative_to(path.parent).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}"
                )
    return digest(*parts)


class RecordCache:
    """source path -> (hash, record, diagnostics), for one set of read settings."""

    def __init__(self, root: Path, settings_key: str) -> None:
        self.path = root / CACHE_DIR / RECORDS
        self.key = digest(__version__, settings_key)
        self.entries: dict[str, tuple[str, Any, list[Any]]] = {}
        self.dirty = False
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
            if isinstance(stored, dict) and stored.get("key") == self.key:
                self.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
            self.entries = {}

    def get(self, source: str, hash_: str) -> tuple[Any, list[Any]] | None:
        entry = self.entries.get(source)
        if entry is not None and entry[0] == hash_:
            return entry[1], entry[2]
        return None

    def put(self, source: str, hash_: str, record: Any, diagnostics: list[Any]) -> None:
        self.entries[source] = (hash_, record, diagnostics)
        self.dirty = True

    def keep_only(self, sources: set[str]) -> None:
        for gone in set(self.entries) - sources:
            del self.entries[gone]
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".tmp-{os.getpid()}")
            with open(tmp, "wb") as f:
                pickle.dump(
                    {"key": self.key, "entries": self.entries}, f, protocol=pickle.HIGHEST_PROTOCOL
                )
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            pass  # a read-only checkout still builds, just without a warm cache
