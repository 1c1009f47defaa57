"""The code of the methods the dataclass decorator writes (lazy_dataclass.compiled),
kept between runs beside the user's cache key, for this Python.

Compiling is most of what making a dataclass method costs (~0.1 ms each): a
build after an edit makes ~90 of them, ~10 ms. The file is sealed with the
user's key like every cache file that is run (cache.py ``seal``): a file that
does not verify, or holds anything but source texts and code, is ignored and
made again. A code object is only ever run for the very source text it was
compiled from.
"""

from __future__ import annotations

import importlib.util
import marshal
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__, kept_patterns
from .cache import key_file, seal, unseal, write_new
from .lazy_dataclass import compiled, used

MAX_KEPT = 4096  # sources: more (old versions' classes) and only this run's are kept

_COMPILED_LABEL = b"compiled:" + importlib.util.MAGIC_NUMBER
_compiled_loaded = 0


def compiled_file() -> Path:
    name = f"{sys.implementation.cache_tag}-{__version__}.marshal"
    return key_file().parent / "compiled" / name


def load_compiled() -> None:
    """Fill ``lazy_dataclass.compiled`` with what an earlier run kept (nothing
    that does not verify: it is made again)."""
    global _compiled_loaded
    try:
        data = unseal(_COMPILED_LABEL, compiled_file().read_bytes())
        found = marshal.loads(data) if data is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return
    if isinstance(found, dict):
        compiled.update(
            (k, v) for k, v in found.items() if type(k) is str and type(v) is types.CodeType
        )
    _compiled_loaded = len(compiled)


@contextmanager
def compiled_kept() -> Iterator[None]:
    """``load_compiled`` now and ``save_compiled`` at the end: around a command.
    Regular expressions too, in the same folder: kept_patterns.py."""
    load_compiled()
    kept_patterns.start()
    try:
        yield
    finally:
        try:
            kept_patterns.stop()
        finally:
            save_compiled()


def save_compiled() -> None:
    """Keep ``lazy_dataclass.compiled`` if this run added to it."""
    global _compiled_loaded
    if len(compiled) == _compiled_loaded:
        return
    path = compiled_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        kept = compiled if len(compiled) <= MAX_KEPT else {k: compiled[k] for k in used}
        write_new(path, seal(_COMPILED_LABEL, marshal.dumps(dict(kept))))
    except (OSError, ValueError):  # (read-only home; a code object marshal cannot write)
        return
    _compiled_loaded = len(compiled)
