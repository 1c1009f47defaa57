"""Regular expressions compiled by an earlier run, kept beside the user's cache
key for this Python (compiled.py's ``compiled_kept`` turns this on around a command).

Compiling a pattern is parsing it and writing its code, in pure Python (re's
``_parser`` and ``_compiler``, ~0.15 ms a pattern): ~80 patterns, ~12 ms of a
build after an edit, and ~270, ~65 ms, of a cold build's serial start (the
Pygments lexers warmed before the readers fork). What that makes, the
arguments of ``_sre.compile``, depends only on the pattern, its flags and this
Python. While ``start()`` is in force, re's compile step looks them up in a
table kept by an earlier run and has ``_sre.compile`` build the pattern from
them, checking the code as it does for every pattern; a pattern not kept is
compiled the standard way and its arguments are kept. Kept arguments of a
wrong type, or code ``_sre`` refuses: the pattern is compiled the standard way.

The file is sealed with the user's key (cache.py ``seal``) and named for
everything the code depends on: one that does not verify is ignored and made
again. ``stop()`` puts re's own compile step back.
"""

from __future__ import annotations

import marshal
import re
import struct
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .cache import key_file, seal, unseal, write_new

# What a run uses and keeps at most (a portfolio's code blocks can use hundreds
# of Pygments lexers), and the file: past either, only this run's patterns are kept.
MAX_KEPT = 4096  # patterns (the corpus's cold build: ~270)
MAX_KEPT_BYTES = 4 << 20  # of pattern text and code (the corpus's: ~200 KB)

_compiler: Any = re.sre_compile if sys.version_info < (3, 11) else re._compiler  # type: ignore[attr-defined]
_parse = _compiler.sre_parse.parse if sys.version_info < (3, 11) else _compiler._parser.parse
_standard = _compiler.compile
_sre = _compiler._sre
# ``_compile`` copies the steps of ``_compiler.compile`` in 3.10 to 3.13 (3.14's
# are not checked yet), and keeps code as bytes of 4-byte words ("I").
SUPPORTED = (3, 10) <= sys.version_info[:2] <= (3, 13)
SUPPORTED = SUPPORTED and _sre.CODESIZE == struct.calcsize("I") == 4
# Everything the code depends on: the file's name, and in its seal (a file of
# another Python's, renamed, does not verify).
_NAME = "-".join(
    (str(sys.implementation.cache_tag), ".".join(map(str, sys.version_info)),
     f"sre{_sre.MAGIC}", str(_sre.CODESIZE), __version__)
)  # fmt: skip
_LABEL = f"patterns:{_NAME}".encode()

# Kept arguments of _sre.compile, by (pattern, flags), a table per type of pattern:
# (flags | the pattern's own flags, code as bytes, groups, group names -> numbers).
Kept = tuple[int, bytes, int, dict[str, int]]
_tables: dict[type, dict[tuple[Any, int], Kept]] = {str: {}, bytes: {}}
_used: set[tuple[type, tuple[Any, int]]] = set()  # (type, (pattern, flags)) this run compiled
_used_bytes = 0  # their text and code
_changed = False


def patterns_file() -> Path:
    return key_file().parent / "compiled" / f"{_NAME}.patterns"


def start() -> None:
    """Load the kept patterns and put the kept compile step in re."""
    global _changed, _used_bytes
    if not SUPPORTED or _compiler.compile is _compile:
        return
    _tables[str], _tables[bytes] = load()
    _changed, _used_bytes = False, 0
    _used.clear()
    _compiler.compile = _compile


def load() -> tuple[dict[Any, Kept], dict[Any, Kept]]:
    """The tables kept by an earlier run (str patterns, bytes patterns), or empty
    ones: each entry is checked when it is used (``_arguments``)."""
    try:
        data = unseal(_LABEL, patterns_file().read_bytes())
        found = marshal.loads(data) if data is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        found = None
    if type(found) is tuple and len(found) == 2 and all(type(t) is dict for t in found):
        return found
    return {}, {}


def stop() -> None:
    """Put re's own compile step back, and keep the table if this run added to it."""
    global _changed
    if _compiler.compile is not _compile:
        return
    _compiler.compile = _standard
    if not _changed:
        return
    # Copies (each made at once, in C): a server thread may still be compiling.
    tables, used = {kind: dict(table) for kind, table in _tables.items()}, set(_used)
    try:
        data = marshal.dumps((tables[str], tables[bytes]))
        if sum(map(len, tables.values())) > MAX_KEPT or len(data) > MAX_KEPT_BYTES:
            data = marshal.dumps(
                tuple({k: v for k, v in tables[t].items() if (t, k) in used} for t in (str, bytes))
            )
        path = patterns_file()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_new(path, seal(_LABEL, data))
    except (OSError, ValueError):  # (read-only home; a value marshal cannot write)
        return
    _changed = False


def _bytes(p: str | bytes) -> int:
    """The size of a pattern's text in the file (marshal writes a str as UTF-8)."""
    return len(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p)


def unkept(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, never kept (nor in re's own cache): for a
    pattern made from private text, such as the learner's e-mail address."""
    return _standard(pattern, flags)  # type: ignore[no-any-return]


def _compile(p: Any, flags: int = 0) -> re.Pattern[Any]:
    """re's compile step (``re._compiler.compile``, 3.10 ``sre_compile.compile``)
    with the kept arguments: made as it makes them when they are not kept."""
    global _changed, _used_bytes
    table = _tables.get(type(p)) if isinstance(flags, int) else None
    key = (p, int(flags) if table is not None else 0)  # (3.13 passes 0 as an int subclass)
    if table is not None:
        kept = table.get(key)
        if kept is not None:
            try:
                pattern = _sre.compile(p, *_arguments(kept))
            except Exception:  # noqa: BLE001 - anything wrong with them: made below
                table.pop(key, None)
                _changed = True
            else:
                _used.add((type(p), key))
                _used_bytes += _bytes(p) + len(kept[1])
                return pattern  # type: ignore[no-any-return]
    if not _compiler.isstring(p):  # (a pattern re.Scanner parsed)
        return _standard(p, flags)  # type: ignore[no-any-return]
    # The standard steps, here and not called, so that a warning the parser gives
    # names the same line of the caller.
    parsed = _parse(p, flags)
    code = _compiler._code(parsed, flags)
    if flags & re.DEBUG:
        print()
        _compiler.dis(code)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    final_flags, groups = flags | parsed.state.flags, parsed.state.groups - 1
    size = _bytes(p) + 4 * len(code)
    if table is not None and len(_used) < MAX_KEPT and _used_bytes + size <= MAX_KEPT_BYTES:
        if not flags & re.DEBUG and _keepable(p):
            code_bytes = struct.pack(f"{len(code)}I", *code)
            table[key] = (int(final_flags), code_bytes, groups, groupindex)
            _used.add((type(p), key))
            _used_bytes += size
            _changed = True
    return _sre.compile(p, final_flags, code, groups, groupindex, tuple(indexgroup))  # type: ignore[no-any-return]


def _arguments(kept: Kept) -> tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]:
    """The arguments of ``_sre.compile`` after the pattern, from kept ones of the
    right types only (ValueError); the code itself is checked by ``_sre``."""
    flags, code, groups, groupindex = kept
    if type(flags) is not int or type(code) is not bytes or type(groups) is not int:
        raise ValueError(kept)
    if type(groupindex) is not dict or not 0 <= groups <= len(code):
        raise ValueError(kept)
    indexgroup: list[str | None] = [None] * (groups + 1)
    for name, i in groupindex.items():
        if type(name) is not str or type(i) is not int or not 0 < i <= groups:
            raise ValueError(kept)
        indexgroup[i] = name
    return flags, memoryview(code).cast("I").tolist(), groups, groupindex, tuple(indexgroup)


# What may make the parser warn: "[[" (a FutureWarning: it may one day be a
# nested set), a doubled "-", "&", "~" or "|" (set operations), "(?(" and a
# bytes pattern's non-ASCII group name (a DeprecationWarning); in 3.10, global
# flags after the start. A pattern that may warn is never kept, so it warns each
# time it is compiled: told by its text alone (a few patterns that would not
# warn are not kept either: ~6 of ~270 in a build).
_WARNS = ("[[", "--", "&&", "~~", "||", "(?(")
_FLAGS = tuple("aiLmsux")


def _keepable(p: str | bytes) -> bool:
    text = p.decode("latin-1") if isinstance(p, bytes) else p
    if isinstance(p, bytes) and not p.isascii() and "(?P" in text:
        return False
    if any(w in text for w in _WARNS):
        return False
    return sys.version_info >= (3, 11) or not _late_flags(text)


def _late_flags(text: str) -> bool:
    """Whether ``text`` has global flags, "(?i)", after its start (3.10 warns)."""
    i = text.find("(?", 1)
    while i != -1:
        i += 2
        while text[i : i + 1] in _FLAGS:
            i += 1
        if text[i : i + 1] == ")":
            return True
        i = text.find("(?", i)
    return False
