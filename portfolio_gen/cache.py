"""The build cache in ``.portfolio-cache/``: read records keyed by content hash.

A warm build re-reads only the sources whose bytes changed; everything else
comes from here. A file whose size and modification time are unchanged is not
even read again. The cache is a convenience: a missing, corrupt or foreign
cache is ignored and rebuilt, never an error.

A cache is never trusted code: whoever builds a portfolio may have cloned it
with a ``.portfolio-cache/`` someone else made. Every cache file that holds
pickled (or marshalled) data carries an HMAC-SHA256 under a key of the user
building, kept outside the portfolio (``key_file``); a file that does not
verify is ignored and never unpickled, and unpickling (``loads``) only makes
the project's records and the few standard types they hold. A
``.portfolio-cache`` that is a link out of the portfolio is not used at all
(``cache_folder``).
"""

from __future__ import annotations

import atexit
import copyreg
import dataclasses
import enum
import functools
import gc
import hashlib
import hmac
import importlib.util
import io
import marshal
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__
from .paths import Listings
from .pickling import Shared, defaults, plain

CACHE_DIR = ".portfolio-cache"
RECORDS = "records.pickle"
LISTING = "listing.marshal"  # content/'s folders as the last discovery found them (paths.Listings)
LISTING_FORMAT = "listing-1"  # change it whenever paths.Listings.folders changes shape
JOURNAL = "records.journal"  # changes since records.pickle was written, appended
JOURNAL_BATCHES = 8  # then the journal is written again as one batch, each source's last record
FORMAT = "records-14"  # change it whenever what the files hold changes shape
PROTOCOL = pickle.HIGHEST_PROTOCOL
LARGE = "body"  # a record's part left on disk until used, if a dataclass (content.projects.Body)
MAC = 32  # bytes of an HMAC-SHA256
HEADER = 8 + MAC  # bytes: where the index starts in the records file, and the index's MAC
LINKED_OUT = "is a link to a folder outside the portfolio; the build cache is not used"


# ---------------------------------------------------------------- where caches live


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def linked_out(root: Path, *parts: str, fresh: bool = False) -> bool:
    """Whether ``root/.portfolio-cache/parts...`` or a link anywhere in
    ``.portfolio-cache`` (a cache's folder, a records file, a cached picture)
    leads out of ``root``. The links inside are looked for once per build
    (``fresh``: by ``note_linked_cache``, first thing)."""
    real_root = os.path.realpath(root)
    folder = root.joinpath(CACHE_DIR, *parts)
    if not _inside(os.path.realpath(folder), real_root):
        return True
    return _links_out(os.path.join(root, CACHE_DIR), real_root, fresh)


_scanned: dict[tuple[str, str], bool] = {}


def _links_out(folder: str, real_root: str, fresh: bool) -> bool:
    """Whether a link in ``folder`` (at any depth) leads out of ``real_root``
    (thousands of cached files: a few ms, so the answer is remembered)."""
    found = None if fresh else _scanned.get((folder, real_root))
    if found is None:
        found = False
        todo = [folder]
        while todo and not found:
            try:
                with os.scandir(todo.pop()) as entries:
                    for entry in entries:
                        if entry.is_symlink():
                            found = not _inside(os.path.realpath(entry.path), real_root)
                            if found:
                                break
                        elif entry.is_dir(follow_symlinks=False):
                            todo.append(entry.path)
            except OSError:
                pass
        _scanned[(folder, real_root)] = found
    return found


def cache_folder(root: Path, *parts: str) -> Path:
    """``root/.portfolio-cache/parts...``, where every cache of a portfolio is kept.

    The one place that decides it, for every cache user: when the folder (or
    one on the way) is a link out of the portfolio, a private temporary folder
    instead, removed when the process ends, so a build keeps nothing and
    writes nothing through the link (``note_linked_cache`` warns).
    """
    if linked_out(root, *parts):
        return _scratch().joinpath(*parts)
    return root.joinpath(CACHE_DIR, *parts)


def persistent_folder(root: Path, *parts: str) -> Path | None:
    """``cache_folder``, or None when it would be a temporary one."""
    return None if linked_out(root, *parts) else root.joinpath(CACHE_DIR, *parts)


def note_linked_cache(root: Path, diagnostics: Any) -> None:
    """The one warning for a ``.portfolio-cache`` that links out of the portfolio."""
    if linked_out(root, fresh=True):
        diagnostics.warning(CACHE_DIR, LINKED_OUT)


@functools.cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="portfolio-gen-cache-"))
    pid = os.getpid()

    def remove() -> None:
        if os.getpid() == pid:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def write_new(path: Path, data: bytes) -> None:
    """Replace ``path`` by a file holding ``data``, written under a fresh random
    name beside it (never through a link someone left at a predictable name)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_listings(root: Path) -> Listings:
    """The folder listings of the last discovery, if sealed by this user for this version."""
    folder = persistent_folder(root)
    try:
        data = unseal(b"listing", (folder / LISTING).read_bytes()) if folder else None
        with collector_paused():  # (~40,000 objects, all kept: ~6 young collections)
            stored = marshal.loads(data) if data is not None else None  # (ints, strs, lists)
        if isinstance(stored, tuple) and stored[0] == _listing_stamp(root):
            return Listings(stored[1])
    except Exception:  # noqa: BLE001 - a missing or damaged file: every folder is listed
        pass
    return Listings()


def save_listings(root: Path, listings: Listings) -> None:
    folder = persistent_folder(root)
    if folder is None or not listings.changed:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps((_listing_stamp(root), listings.folders))
        write_new(folder / LISTING, seal(b"listing", data))
        listings.changed = False
    except (OSError, ValueError):
        pass  # a read-only checkout still builds, listing every folder


def _listing_stamp(root: Path) -> str:
    return digest(__version__, LISTING_FORMAT, str(root))


# ---------------------------------------------------------------- authenticated data


def key_file() -> Path:
    """The user's cache key: in ``$PORTFOLIO_GEN_CACHE_HOME``, else the user's
    cache folder (``$XDG_CACHE_HOME/portfolio-gen``, ``~/.cache/portfolio-gen``).
    A relative folder is ignored (as the XDG spec says): it would be found from
    the working folder, which is often a portfolio, where a key can be planted."""
    env = os.environ
    where = (env.get("PORTFOLIO_GEN_CACHE_HOME"), env.get("XDG_CACHE_HOME"), env.get("HOME"))
    path = _key_files.get(where)  # asked once per record sealed: remembered per environment
    if path is None:
        home, xdg = (w if w and os.path.isabs(w) else None for w in where[:2])
        if not home:
            base = xdg or os.path.join(os.path.expanduser("~"), ".cache")
            home = os.path.join(base, "portfolio-gen")
        path = _key_files[where] = Path(home) / "key"
    return path


_key_files: dict[tuple[str | None, str | None, str | None], Path] = {}
_keys: dict[Path, bytes] = {}


def secret_key() -> bytes:
    """32 random bytes, made once per user (mode 0600). Without a usable key
    file (read-only home, a file others can write) a key for this process only:
    the caches it writes are simply not used again."""
    path = key_file()
    key = _keys.get(path)
    if key is None:
        key = _keys[path] = _read_key(path) or os.urandom(32)
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return _make_key(path)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        stat = os.fstat(f.fileno())
        key = f.read(33)
    if hasattr(os, "getuid") and (stat.st_uid != os.getuid() or stat.st_mode & 0o077):
        # someone else could have written or read it (then sealed a file for this
        # user); and a file from a clone or download is never 0600, as a made key is
        return None
    return key if len(key) == 32 else None


def _make_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="key.tmp-")  # mode 0600
        try:
            os.write(fd, os.urandom(32))
            os.close(fd)
            os.link(tmp, path)  # atomic: a key another build made first wins
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    except OSError:
        return None
    return _read_key(path)


def mac(label: bytes, data: bytes | memoryview) -> bytes:
    """The HMAC-SHA256 of a cache file's ``data``; ``label`` says what it is
    (no file can pass for another kind)."""
    key = secret_key()
    start = _started.get((key, label))
    if start is None:
        start = _started[key, label] = hmac.new(key, label + b"\0", hashlib.sha256)
    h = start.copy()
    h.update(data)
    return h.digest()


_started: dict[tuple[bytes, bytes], hmac.HMAC] = {}  # the HMAC of a key and label, begun


def seal(label: bytes, data: bytes) -> bytes:
    return mac(label, data) + data


def unseal(label: bytes, blob: bytes) -> bytes | None:
    """The data of a sealed blob, or None if it was not made with this key."""
    data = memoryview(blob)[MAC:]
    if len(blob) < MAC or not hmac.compare_digest(blob[:MAC], mac(label, data)):
        return None
    return data.tobytes()


# What a cache may hold besides built-in values: the project's record classes
# (dataclasses, enums) and these.
SAFE_GLOBALS = frozenset(
    {
        ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
        ("datetime", "timedelta"), ("datetime", "timezone"),
        ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"),
        ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath"),
        ("pathlib._local", "PosixPath"), ("pathlib._local", "WindowsPath"),
        ("markupsafe", "Markup"), ("collections", "OrderedDict"),
    }
)  # fmt: skip


class _Unpickler(pickle.Unpickler):
    """Makes only record classes and ``SAFE_GLOBALS``: no function is ever called."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_GLOBALS:
            return super().find_class(module, name)
        if module.split(".")[0] == "portfolio_gen" and "__" not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"a cache may not hold {module}.{name}")


def loads(data: bytes) -> Any:
    """Unpickle cache data: only what ``_Unpickler`` allows."""
    return _Unpickler(io.BytesIO(data)).load()


def digest(*parts: bytes | str) -> str:
    """SHA-1 of the parts, each followed by a NUL byte."""
    if parts and type(parts[0]) is not bytes:  # (a file's bytes come first: no failed join)
        try:  # most keys, all text: one join, one encode, one update (join refuses bytes)
            data = "\0".join(parts).encode("utf-8") + b"\0"  # type: ignore[arg-type]
            return hashlib.sha1(data, usedforsecurity=False).hexdigest()
        except TypeError:  # (asking each part's type first cost as much as the hash: ~0.6 µs)
            pass
    h = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def signature(path: Path | str, listing: tuple[str, ...] = ()) -> str:
    """Size and modification time of a source, and of every file in its bundle:
    ``listing``, the bundle's other files as discovery found them (paths inside
    its folder, content/sources.py)."""
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    if not listing:  # (most sources: one stat, one string)
        return f"{stat.st_size}:{stat.st_mtime_ns}"
    parts = [f"{stat.st_size}:{stat.st_mtime_ns}"]
    folder = os.path.dirname(path)
    for rel in listing:
        try:
            s = os.stat(os.path.join(folder, rel))
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


def source_hash(path: Path | str, sig: str) -> str:
    """The hash of a source: its bytes, plus its bundle's file list (names, sizes, times)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
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
def collector_paused() -> Iterator[None]:
    """For work that makes tens of thousands of objects and little garbage
    (unpickling records, linking, the page list): the cycle collector would
    walk them again and again (half of an index's load time). After, they are
    moved to its oldest generation at once (freeze, then unfreeze), or its
    next young collections would walk them all twice on the way there. A
    one-edit build at 1,000 projects: ~10 ms of collections -> ~4."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count() > 0
    gc.disable()
    try:
        yield
    finally:
        if not frozen:  # (unfreeze moves every frozen object: never undo another's freeze)
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


class Deferred:
    """A record's large part (``LARGE``: a project's HTML) still in the records file.

    A build after an edit renders one page: it needs every record's title and
    links, but the HTML of one body. So the records file keeps each record's
    large part apart, and a record loaded from it holds this stand-in instead,
    which reads the part on first use and then answers for it. Pickling a
    stand-in (the journal, a copy) writes the part itself: a record pickled
    is always whole.
    """

    __slots__ = ("_store", "_at", "_value")

    def __init__(self, store: _Large, at: tuple[int, int, bytes]) -> None:
        self._store = store
        self._at = at  # offset, size and MAC of its pickle in the records file
        self._value: Any = None

    def get(self) -> Any:
        if self._value is None:
            self._value = self._store.read(*self._at)
        return self._value

    def __getattr__(self, name: str) -> Any:  # reached only for the part's own attributes
        return getattr(self.get(), name)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # Outside the cache's own files (``_Whole``): the part, made from its fields.
        value = self.get()
        return type(value), tuple(getattr(value, f.name) for f in dataclasses.fields(value))

    def __eq__(self, other: object) -> bool:
        return bool(self.get() == (other.get() if isinstance(other, Deferred) else other))

    __hash__ = None  # type: ignore[assignment]


def _lean(
    defaults: dict[str, Any],
    obj: Any,
    parted: set[int] | frozenset[int] = frozenset(),
    shared: Shared | None = None,
) -> tuple[Any, ...]:
    """A record as its class would pickle it, without the fields at their default
    (``pickling.defaults``) and, if in ``parted`` (ids), without its large part; with
    ``shared``, each field's value as the first equal one in the file.

    Unpickled, the class attribute answers for a field left out, as for a field
    never set. A project holds ~12 of its ~27 fields at their default: the index
    of 1,000 projects is 5% smaller and loads ~10% faster. Only the records'
    own classes are pickled so (a Python call each: the records file of 1,000
    projects is written in the same time as before)."""
    state = {
        name: value if shared is None else shared(value)
        for name, value in vars(obj).items()
        if name not in defaults
        or type(value) is not type(defaults[name])
        or value != defaults[name]
    }
    if id(obj) in parted:
        state[LARGE] = None
    return copyreg.__newobj__, (type(obj),), state  # type: ignore[attr-defined]


class _Whole(pickle.Pickler):
    """Pickles a record holding a ``Deferred`` with the part it stands for, as
    its record class would (so loading it makes objects, calls nothing)."""

    def reducer_override(self, obj: Any) -> Any:
        state = getattr(obj, "__dict__", None)
        if state is None or type(state.get(LARGE)) is not Deferred:
            return NotImplemented
        state = dict(state)
        state[LARGE] = state[LARGE].get()
        return copyreg.__newobj__, (type(obj),), state  # type: ignore[attr-defined]


class _Large:
    """The large fields of the records in an open records file (the file may be
    replaced meanwhile: this one stays readable, also from forked workers)."""

    def __init__(self, path: Path) -> None:
        self.fd = -1
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))

    def read(self, offset: int, size: int, tag: bytes = b"") -> Any:
        if hasattr(os, "pread"):
            data = os.pread(self.fd, size, offset)
        else:  # pragma: no cover - Windows, where nothing is forked
            os.lseek(self.fd, offset, os.SEEK_SET)
            data = os.read(self.fd, size)
        # ``tag`` is from the index, which was verified: this is the blob written then
        if not hmac.compare_digest(tag, mac(b"large", data)):
            raise OSError(f"{CACHE_DIR}/{RECORDS} was changed while the build read it")
        return loads(data)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    __del__ = close


def _write_records(f: Any, key: str, entries: dict[str, Any]) -> dict[str, tuple[int, int, bytes]]:
    """The records file: a header giving where the index starts and the index's
    MAC, each record's large part (one pickle each), then the index: every
    entry, its records without their large part, and where each part is
    (with its MAC), which loading makes a ``Deferred``."""
    f.write(bytes(HEADER))
    parted: set[int] = set()  # id(record) of each record whose large part is apart
    kinds: set[type] = set()  # their classes
    where: dict[str, tuple[int, int, bytes]] = {}  # source -> its record's part: offset, size, MAC
    for source, entry in entries.items():
        record = entry[2]
        large = (
            getattr(record, "__dict__", {}).get(LARGE) if dataclasses.is_dataclass(record) else None
        )
        large = large.get() if type(large) is Deferred else large
        if dataclasses.is_dataclass(large):  # (a record's part, as content.projects.Body)
            data = pickle.dumps(large, protocol=PROTOCOL)
            where[source] = (f.tell(), len(data), mac(b"large", data))
            parted.add(id(record))
            kinds.add(type(record))
            f.write(data)
    index = f.tell()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=PROTOCOL)
    shared = Shared()
    pickler.dispatch_table = {  # (record classes: dataclasses, as content.projects.Project)
        kind: functools.partial(
            _lean, defaults(kind) if plain(kind) else {}, parted=parted, shared=shared
        )
        for kind in kinds
    }
    pickler.dump({"key": key, "entries": entries, "large": where})
    view = buffer.getbuffer()
    f.write(view)
    f.seek(0)
    f.write(index.to_bytes(8, "little") + mac(b"records", view))
    return where


class RecordCache:
    """source path -> (signature, hash, record, diagnostics, deps), for one set of read settings.

    On disk: every entry in ``records.pickle`` (the large part of its records
    read only when used: ``Deferred``), and the entries changed since in
    ``records.journal``, one pickled batch appended per build, so a build after
    one edit writes one record, not all of them. When the journal grows past a
    quarter of the records file, both are replaced by a new records file. A
    batch cut short (a build killed while appending) is ignored: the files it
    was about are older in the records file, so they are simply read again.
    """

    def __init__(self, root: Path, settings: Any, persistent: bool = True) -> None:
        folder = persistent_folder(root) if persistent else None
        self.path = (folder or root / CACHE_DIR) / RECORDS
        self.journal = (folder or root / CACHE_DIR) / JOURNAL
        self.key = self.key_for(settings)
        self.settings = settings
        # source -> where a large part of its record is in the records file (offset, size,
        # MAC): the last record's, or an earlier one's if the journal has a later record
        # (quick.py reuses its code blocks and front matter, which are kept by their text)
        self.where: dict[str, tuple[int, int, bytes]] = {}
        self.persistent = folder is not None
        # source -> (signature, hash, record, diagnostics, other files it was made from)
        self.entries: dict[str, tuple[str, str, Any, list[Any], tuple[Path, ...]]] = {}
        self.dirty = False
        self.changed: set[str] = set()  # sources put or removed since the last save
        self.journaled: set[str] = set()  # sources put or removed by the journal's batches
        self.batches = 0  # in the journal
        self.compact = True  # write a new records file (no journal) on the next save
        # For a live preview: a test of whether a path is known unchanged since
        # the last build (then it is not even looked at), and in-memory results
        # of other stages (discovery, frameworks). Neither is saved to disk.
        self.unchanged: Callable[[Path | str], bool] | None = None
        self.memo: dict[str, Any] = {}
        self.large: _Large | None = None  # the records file, open while records need it
        if not self.persistent:
            return
        large = None
        try:
            large = _Large(self.path)  # the index is read through the fd kept for the rest
            stored = self._index(large.fd)
            if isinstance(stored, dict) and stored.get("key") == self.key:
                self.large, large = large, None
                entries = stored["entries"]
                for source, at in stored["large"].items():  # see _write_records
                    vars(entries[source][2])[LARGE] = Deferred(self.large, at)
                self.entries = entries
                self.where = stored["large"]
                self.compact = False
        except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
            self.entries = {}
        if large is not None:
            large.close()
        if not self.compact:
            self._replay()

    @staticmethod
    def _index(fd: int) -> Any:
        """The records file's index, if its MAC verifies (else None): nothing
        else of the file is read now."""
        size = os.fstat(fd).st_size
        with os.fdopen(os.dup(fd), "rb") as f:
            header = f.read(HEADER)
            start = int.from_bytes(header[:8], "little")
            if len(header) < HEADER or not HEADER <= start <= size:
                return None
            f.seek(start)
            data = f.read()
        if not hmac.compare_digest(header[8:], mac(b"records", data)):
            return None
        with collector_paused():
            return loads(data)

    def _replay(self) -> None:
        try:
            data = self.journal.read_bytes()
        except OSError:
            return
        view, at = memoryview(data), 0
        try:
            with collector_paused():
                while at < len(data):  # each batch: its size, its MAC, its pickle
                    size = int.from_bytes(view[at : at + 8], "little")
                    batch = unseal(b"journal", view[at + 8 : at + 8 + MAC + size].tobytes())
                    if batch is None:
                        raise ValueError("a batch cut short, or not written by this user")
                    key, put, removed = loads(batch)
                    if key != self.key:
                        raise ValueError("a batch for other settings")
                    self.entries.update(put)
                    for source in removed:
                        self.entries.pop(source, None)
                    self.journaled.update(put, removed)
                    self.batches += 1
                    at += 8 + MAC + size
        except Exception:  # noqa: BLE001 - a damaged batch and those after it are left out
            self.compact = True
        if len(data) * 4 > self.path.stat().st_size:
            self.compact = True

    @staticmethod
    def key_for(settings: Any) -> str:
        """Records are only valid for the same version, read settings and
        installed renderers (an upgraded cmark-gfm, Pygments or nh3 may
        make other HTML)."""
        return digest(__version__, FORMAT, repr(settings), _renderers())

    def lookup(
        self,
        source: str,
        path: Path | str,
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
        # The source's own signature makes its hash (as when it is read the first time,
        # with no record yet); the files it shows from elsewhere are in the entry's
        # (and in its page's key: build.read_projects).
        own = signature(path, listing) + signature_prefix(extra)
        outside = files_signature(deps) if deps else ""
        sig = own + outside
        if entry is not None and entry[0] == sig:
            return sig, entry[1], (entry[2], entry[3])
        if entry is None and not hash_new:
            return own, None, None
        hash_ = source_hash(path, own)
        if entry is not None and entry[1] == hash_ and entry[0].endswith(outside):
            self.entries[source] = (sig, hash_, entry[2], entry[3], deps)
            self.changed.add(source)
            self.dirty = True
            return sig, hash_, (entry[2], entry[3])
        return own, hash_, None  # (``put`` adds the files the new record shows)

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
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=RECORDS + ".tmp-")
                try:
                    with os.fdopen(fd, "wb") as f:
                        where = _write_records(f, self.key, self.entries)  # reads every large part
                    if self.large is not None:
                        self.large.close()  # (Windows replaces no open file)
                        self.large = None
                    os.replace(tmp, self.path)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                self.where = where
                self.journal.unlink(missing_ok=True)
                self.compact = False
                self.journaled, self.batches = set(), 0
            else:
                # A journal of many batches is written again as one, holding each
                # source's last record only: an edited project's every earlier
                # record (with its HTML) is not loaded again on every build.
                again = self.batches >= JOURNAL_BATCHES
                sources = self.changed | self.journaled if again else self.changed
                put = {s: self.entries[s] for s in sources if s in self.entries}
                removed = [s for s in sources if s not in self.entries]
                buffer = io.BytesIO()
                _Whole(buffer, protocol=PROTOCOL).dump((self.key, put, removed))
                batch = buffer.getvalue()
                sealed = len(batch).to_bytes(8, "little") + seal(b"journal", batch)
                if again:
                    write_new(self.journal, sealed)
                    self.journaled, self.batches = set(), 0
                else:
                    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                    fd = os.open(self.journal, flags | getattr(os, "O_BINARY", 0), 0o600)
                    try:  # one write: a batch is whole, or cut short and then ignored
                        os.write(fd, sealed)
                    finally:
                        os.close(fd)
                self.journaled |= sources
                self.batches += 1
            self.changed.clear()
            self.dirty = False
        except OSError:
            pass  # a read-only checkout still builds, just without a warm cache
