"""The build cache in ``.portfolio-cache/``: read records keyed by content hash.

A warm build re-reads only the sources whose bytes changed; everything else
comes from here. A file whose size and modification time are unchanged is not
even read again. The cache is a convenience: a missing, corrupt or foreign
cache is ignored and rebuilt, never an error.
"""

from __future__ import annotations

import copyreg
import functools
import gc
import hashlib
import importlib.util
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".portfolio-cache"
RECORDS = "records.pickle"
JOURNAL = "records.journal"  # changes since records.pickle was written, appended
FORMAT = "records-9"  # change it whenever what the files hold changes shape
PROTOCOL = pickle.HIGHEST_PROTOCOL
LARGE = ("body_html", "code_html", "front_matter")  # left on disk until a build uses them
HEADER = 8  # bytes: where the index starts in the records file


def digest(*parts: bytes | str) -> str:
    """SHA-1 of the parts, each followed by a NUL byte."""
    if all(type(part) is str for part in parts):  # most keys: one encode, one update
        data = "\0".join(parts).encode("utf-8") + b"\0" if parts else b""
        return hashlib.sha1(data, usedforsecurity=False).hexdigest()
    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def signature(path: Path, listing: tuple[str, ...] = ()) -> str:
    """Size and modification time of a source, and of every file in its bundle:
    ``listing``, the bundle's other files as discovery found them (paths inside
    its folder, content/sources.py)."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    parts = [f"{stat.st_size}:{stat.st_mtime_ns}"]
    folder = path.parent
    for rel in listing:
        try:
            s = os.stat(folder / rel)
        except OSError:
            continue
        parts.append(f"{rel}:{s.st_size}:{s.st_mtime_ns}")
    return "|".join(parts)


def files_signature(paths: tuple[Path, ...]) -> str:
    parts = []
    for path in paths:
        try:
            stat = path.stat()
            parts.append(f"|{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"|{path}:missing")
    return "".join(parts)


def signature_prefix(extra: str) -> str:
    return "|" + extra + "|"


def source_hash(path: Path, sig: str) -> str:
    """The hash of a source: its bytes, plus its bundle's file list (names, sizes, times)."""
    try:
        data = path.read_bytes()
    except OSError:
        return "unreadable"
    return digest(data, sig)


def _renderers() -> str:
    """The libraries that make a record's HTML, as installed."""
    return installed("cmarkgfm", "pygments", "nh3", "latex2mathml")


@functools.cache
def installed(*names: str) -> str:
    """Where these libraries are installed, and when they were: found without
    importing them (a warm build does not)."""
    parts = []
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            parts.append(f"{name}:{origin}:{os.stat(origin).st_mtime_ns}" if origin else name)
        except OSError:
            parts.append(f"{name}:{origin}")
    return "|".join(parts)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickling makes tens of thousands of objects and no garbage; the cycle
    collector would walk them again and again (half of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Stored:
    """A record (a project, the about page) whose large fields may still be on disk.

    A build after an edit renders one page: it needs every record's title and
    links, but the HTML of one body. So the records file keeps the large
    fields (``LARGE``) of each record apart, and a record loaded from it reads
    them on first use. Pickling a record always writes it whole.
    """

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance lacks: a large field not read yet.
        if name in LARGE and "_stored" in self.__dict__:
            self._read_large()
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _read_large(self) -> None:
        state = self.__dict__
        offset, size = state.pop("_stored")
        state.update(state.pop("_store").read(offset, size))

    def __getstate__(self) -> dict[str, Any]:
        if "_stored" in self.__dict__:
            self._read_large()
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        # What pickle does without it, but pickle would first look for it through
        # __getattr__: an AttributeError for each of 1,000 records (2 ms).
        self.__dict__.update(state)


class _Large:
    """The large fields of the records in an open records file (the file may be
    replaced meanwhile: this one stays readable, also from forked workers)."""

    def __init__(self, path: Path) -> None:
        self.fd = -1
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))

    def read(self, offset: int, size: int) -> dict[str, Any]:
        if hasattr(os, "pread"):
            data = os.pread(self.fd, size, offset)
        else:  # pragma: no cover - Windows, where nothing is forked
            os.lseek(self.fd, offset, os.SEEK_SET)
            data = os.read(self.fd, size)
        return pickle.loads(data)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    __del__ = close


def _write_records(f: Any, key: str, entries: dict[str, Any]) -> None:
    """The records file: a header giving where the index starts, each record's
    large fields (one pickle each), then the index: every entry, whose records
    hold where their large fields are instead of them."""
    f.write(bytes(HEADER))
    states: dict[int, dict[str, Any]] = {}  # id(record) -> what the index keeps of it
    kinds: set[type] = set()  # the records' classes, pickled by ``stripped``
    for entry in entries.values():
        record = entry[2]
        if isinstance(record, Stored):
            state = dict(record.__getstate__())
            large = {name: state.pop(name) for name in LARGE if name in state}
            data = pickle.dumps(large, protocol=PROTOCOL)
            state["_stored"] = (f.tell(), len(data))
            states[id(record)] = state
            kinds.add(type(record))
            f.write(data)

    def stripped(record: Stored) -> tuple[Any, ...]:
        return copyreg.__newobj__, (type(record),), states[id(record)]  # type: ignore[attr-defined]

    index = f.tell()
    pickler = pickle.Pickler(f, protocol=PROTOCOL)
    pickler.dispatch_table = dict.fromkeys(kinds, stripped)
    pickler.dump({"key": key, "entries": entries})
    f.seek(0)
    f.write(index.to_bytes(HEADER, "little"))


class RecordCache:
    """source path -> (signature, hash, record, diagnostics), for one set of read settings.

    On disk: every entry in ``records.pickle`` (the large fields of its records
    read only when used: ``Stored``), and the entries changed since in
    ``records.journal``, one pickled batch appended per build, so a build after
    one edit writes one record, not all of them. When the journal grows past a
    quarter of the records file, both are replaced by a new records file. A
    batch cut short (a build killed while appending) is ignored: the files it
    was about are older in the records file, so they are simply read again.
    """

    def __init__(self, root: Path, settings: Any, persistent: bool = True) -> None:
        self.path = root / CACHE_DIR / RECORDS
        self.journal = root / CACHE_DIR / JOURNAL
        self.key = self.key_for(settings)
        self.persistent = persistent
        self.entries: dict[str, tuple[str, str, Any, list[Any]]] = {}
        self.dirty = False
        self.changed: set[str] = set()  # sources put or removed since the last save
        self.compact = True  # write a new records file (no journal) on the next save
        # For a live preview: a test of whether a path is known unchanged since
        # the last build (then it is not even looked at), and in-memory results
        # of other stages (discovery, frameworks). Neither is saved to disk.
        self.unchanged: Callable[[Path], bool] | None = None
        self.memo: dict[str, Any] = {}
        self.large: _Large | None = None  # the records file, open while records need it
        if not persistent:
            return
        try:
            with open(self.path, "rb") as f, _no_gc():
                f.seek(int.from_bytes(f.read(HEADER), "little"))
                stored = pickle.load(f)
            if isinstance(stored, dict) and stored.get("key") == self.key:
                self.large = _Large(self.path)
                for entry in stored["entries"].values():
                    if isinstance(entry[2], Stored):
                        entry[2].__dict__["_store"] = self.large
                self.entries = stored["entries"]
                self.compact = False
        except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
            self.entries = {}
        if not self.compact:
            self._replay()

    def _replay(self) -> None:
        try:
            size = self.journal.stat().st_size
        except OSError:
            return
        try:
            with open(self.journal, "rb") as f, _no_gc():
                while f.tell() < size:
                    key, put, removed = pickle.load(f)
                    if key != self.key:
                        raise ValueError("a batch for other settings")
                    self.entries.update(put)
                    for source in removed:
                        self.entries.pop(source, None)
        except Exception:  # noqa: BLE001 - a damaged batch and those after it are left out
            self.compact = True
        if size * 4 > self.path.stat().st_size:
            self.compact = True

    @staticmethod
    def key_for(settings: Any) -> str:
        """Records are only valid for the same version, read settings and
        installed renderers (an upgraded Python-Markdown, Pygments or nh3 may
        make other HTML)."""
        return digest(__version__, FORMAT, repr(settings), _renderers())

    def lookup(
        self,
        source: str,
        path: Path,
        extra: str = "",
        listing: tuple[str, ...] = (),
        hash_new: bool = True,
    ) -> tuple[str, str | None, tuple[Any, list[Any]] | None]:
        """(signature, hash, cached (record, diagnostics) or None) for a source file.

        ``extra`` names anything else the record depends on (e.g. the date,
        for a badge that may have expired). With ``hash_new=False`` a source
        the cache has no entry for is not read here: its hash is None, and
        whoever reads it hashes it (``source_hash``).
        """
        entry = self.entries.get(source)
        deps = entry[4] if entry is not None and len(entry) > 4 else ()
        if (
            entry is not None
            and self.unchanged is not None
            and self.unchanged(path)
            and not any(not self.unchanged(d) for d in deps)
            and signature_prefix(extra) in entry[0]
        ):
            return entry[0], entry[1], (entry[2], entry[3])
        sig = signature(path, listing) + signature_prefix(extra) + files_signature(deps)
        if entry is not None and entry[0] == sig:
            return sig, entry[1], (entry[2], entry[3])
        if entry is None and not hash_new:
            return sig, None, None
        hash_ = source_hash(path, sig)
        if entry is not None and entry[1] == hash_:
            self.entries[source] = (sig, hash_, entry[2], entry[3], deps)
            self.changed.add(source)
            self.dirty = True
            return sig, hash_, (entry[2], entry[3])
        return sig, hash_, None

    def previous(self, source: str) -> Any:
        """The record stored for ``source``, even if the file has changed since."""
        entry = self.entries.get(source)
        return entry[2] if entry is not None else None

    def put(
        self,
        source: str,
        sig: str,
        hash_: str,
        record: Any,
        diagnostics: list[Any],
        deps: tuple[Path, ...] = (),
    ) -> None:
        """Store a record; ``deps`` are other files it was made from (a picture
        outside a single-file project's folder), checked on each lookup."""
        if deps:
            sig = sig + files_signature(deps)
        self.entries[source] = (sig, hash_, record, diagnostics, deps)
        self.changed.add(source)
        self.dirty = True

    def keep_only(self, sources: set[str]) -> None:
        for gone in set(self.entries) - sources:
            del self.entries[gone]
            self.changed.add(gone)
            self.dirty = True

    def save(self) -> None:
        if not self.dirty or not self.persistent:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.compact:
                tmp = self.path.with_suffix(f".tmp-{os.getpid()}")
                with open(tmp, "wb") as f:
                    _write_records(f, self.key, self.entries)  # reads every large field
                if self.large is not None:
                    self.large.close()  # (Windows replaces no open file)
                    self.large = None
                os.replace(tmp, self.path)
                self.journal.unlink(missing_ok=True)
                self.compact = False
            else:
                put = {s: self.entries[s] for s in self.changed if s in self.entries}
                removed = [s for s in self.changed if s not in self.entries]
                with open(self.journal, "ab") as f:
                    pickle.dump((self.key, put, removed), f, protocol=PROTOCOL)
            self.changed.clear()
            self.dirty = False
        except OSError:
            pass  # a read-only checkout still builds, just without a warm cache
