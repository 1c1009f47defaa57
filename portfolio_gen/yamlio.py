"""Safe YAML loading that remembers the line of every key and list item.

Values are built by PyYAML's safe constructor (the C one when available);
``lines`` maps a key path such as ``("learner", "name")`` or
``("standards", 2)`` to its 1-based line in the file, so every diagnostic can
point at the exact line.

Within ``remembered(folder)`` (a build), documents parsed before are taken
from ``folder/yaml.pickle`` by their text: a build whose YAML did not change
does not even import PyYAML.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import Any

from . import __version__
from .cache import digest, installed, loads, seal, unseal, write_new
from .lazy_dataclass import dataclass

MAX_YAML_BYTES = 1_000_000
MAX_YAML_NODES = 100_000
MEMO_FILE = "yaml.pickle"
MEMO_FORMAT = "located-2"  # change it whenever Located changes shape
MEMO_SIZE = 128  # documents kept: the portfolio's settings and the sources edited lately

Path_ = tuple[Any, ...]


class YAMLProblem(Exception):
    """Malformed YAML; ``line`` is 1-based within the text given."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """A loaded YAML document and the line of each key path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)  # a key again, its line

    def line(self, *path: Any, default: int | None = None) -> int | None:
        """The line of ``path``, else of its nearest parent, else ``default``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


def load(text: str, line_offset: int = 0, remember: bool = True) -> Located:
    """Parse one YAML document safely; raise YAMLProblem with a line on failure.

    ``remember=False`` keeps the document out of the memo (private settings).
    """
    if len(text) > MAX_YAML_BYTES:
        raise YAMLProblem(f"YAML is larger than {MAX_YAML_BYTES // 1000} kB", line_offset + 1)
    memo = _memo if remember else None
    if memo is None or memo.pid != os.getpid():  # not in worker processes: they read once
        return _parse(text, line_offset)
    key = document_key(text, line_offset)
    found = memo.get(key)
    if found is None:
        found = _parse(text, line_offset)
        memo.put(key, found)
    return found


def document_key(text: str, line_offset: int = 0) -> str:
    """What a parsed document is remembered by: its text, and where it starts."""
    return digest(str(line_offset), text)


def _parse(text: str, line_offset: int) -> Located:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # the C one is much faster
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None)
        lines: dict[Path_, int] = {}
        duplicates: list[tuple[Path_, int]] = []
        try:  # (one pass for the lines and the data: 30 us of 90 saved on a front matter)
            data = _build(loader, yaml, node, (), lines, line_offset, [0], duplicates, set())
        except _Unusual:  # tags, merge keys, aliases of collections: PyYAML's constructor
            lines, duplicates = {}, []
            _walk(yaml, node, (), lines, line_offset, [0], duplicates)
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # The context ("while parsing a flow sequence" at its '[') is where to look;
        # the problem mark is often the line after, where the parser gave up.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise YAMLProblem(f"malformed YAML: {problem}", line) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise YAMLProblem(f"malformed YAML: {exc}", line_offset + 1) from None
    finally:
        loader.dispose()
    return Located(data, lines, duplicates)


def _count(node: Any, count: list[int]) -> None:
    """One more value of the document (``count[0]``), within MAX_YAML_NODES."""
    count[0] += 1
    if count[0] > MAX_YAML_NODES:
        raise YAMLProblem(f"YAML has more than {MAX_YAML_NODES} values", node.start_mark.line + 1)


def _walk(
    yaml: Any,
    node: Any,
    path: Path_,
    lines: dict[Path_, int],
    offset: int,
    count: list[int],
    duplicates: list[tuple[Path_, int]],
) -> None:
    _count(node, count)
    if isinstance(node, yaml.MappingNode):
        seen: set[tuple[str, str]] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if isinstance(key_node, yaml.ScalarNode) and key != "<<":  # (merge keys may repeat)
                if (key_node.tag, key) in seen:
                    duplicates.append((path + (key,), line))
                seen.add((key_node.tag, key))
            lines[path + (key,)] = line
            _walk(yaml, value_node, path + (key,), lines, offset, count, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            _walk(yaml, item, path + (index,), lines, offset, count, duplicates)


_TAG = "tag:yaml.org,2002:"
_SCALARS = {_TAG + name for name in ("int", "float", "bool", "null", "timestamp")}


class _Unusual(Exception):
    """What ``_build`` leaves to PyYAML's constructor."""


def _build(
    loader: Any,
    yaml: Any,
    node: Any,
    path: Path_,
    lines: dict[Path_, int],
    offset: int,
    count: list[int],
    duplicates: list[tuple[Path_, int]],
    seen: set[int],
) -> Any:
    """``_walk`` and PyYAML's safe constructor in one pass, for what documents are
    made of: mappings with string keys, lists, and scalars of the core types (made
    by PyYAML's own functions). Raises _Unusual at anything else (tags, merge keys,
    a list or mapping named twice with an alias): the caller takes the long way."""
    _count(node, count)
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _TAG + "str":
            return node.value
        if tag in _SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        raise _Unusual
    if _again(node, seen):
        raise _Unusual  # an alias: the same object twice, or inside itself
    if isinstance(node, yaml.MappingNode) and tag == _TAG + "map":
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not _string(yaml, key_node):
                raise _Unusual  # (a merge key "<<" is tagged merge)
            key = key_node.value
            if key in mapping and key != "<<":
                duplicates.append((path + (key,), key_node.start_mark.line + 1 + offset))
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
            mapping[key] = _build(
                loader, yaml, value_node, path + (key,), lines, offset, count, duplicates, seen
            )
        return mapping
    if isinstance(node, yaml.SequenceNode) and tag == _TAG + "seq":
        items = []
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            items.append(
                _build(loader, yaml, item, path + (index,), lines, offset, count, duplicates, seen)
            )
        return items
    raise _Unusual


def _again(node: Any, seen: set[int]) -> bool:
    """Whether ``node`` was built before (the composer gives an alias the same node)."""
    again = id(node) in seen
    seen.add(id(node))
    return again


def _string(yaml: Any, node: Any) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str"


def report_duplicates(located: Located, path: Any, diagnostics: Any) -> None:
    """A warning for each key given twice in one mapping (YAML keeps the later value)."""
    for keys, line in located.duplicates:
        name = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
        diagnostics.warning(path, f"'{name}' is given twice; the later value is used", line)


class Memo:
    """Parsed documents by the digest of their text, most recently parsed last.

    Kept pickled, and unpickled on each use, so every caller gets its own copy.
    A memo written by another version of portfolio-gen or PyYAML, or that is
    not sealed with the user's cache key (cache.py), is ignored.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid = os.getpid()
        self.stamp = digest(__version__, MEMO_FORMAT, installed("yaml"))
        self.documents: dict[str, bytes] = {}
        self.dirty = False
        try:
            data = unseal(b"yaml", path.read_bytes())
            stored = loads(data) if data is not None else None
            if isinstance(stored, dict) and stored.get("stamp") == self.stamp:
                self.documents = stored["documents"]
        except Exception:  # noqa: BLE001 - a missing or damaged memo is simply rebuilt
            self.documents = {}

    def get(self, key: str) -> Located | None:
        blob = self.documents.get(key)
        return loads(blob) if blob is not None else None

    def put(self, key: str, located: Located) -> None:
        self.documents[key] = pickle.dumps(located, protocol=pickle.HIGHEST_PROTOCOL)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        keep = dict(list(self.documents.items())[-MEMO_SIZE:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = pickle.dumps({"stamp": self.stamp, "documents": keep}, pickle.HIGHEST_PROTOCOL)
            write_new(self.path, seal(b"yaml", data))
        except OSError:
            pass  # a read-only checkout still builds, just without the memo
        self.dirty = False


_memo: Memo | None = None


@contextmanager
def remembered(folder: Path | None) -> Iterator[None]:
    """Within: parsed documents are remembered in ``folder`` (None: not at all)."""
    global _memo
    if folder is None or (_memo is not None and _memo.path == folder / MEMO_FILE):
        yield  # not remembered, or already (a build loads, then renders)
        return
    previous, _memo = _memo, Memo(folder / MEMO_FILE)
    try:
        yield
    finally:
        _memo.save()
        _memo = previous


def load_mapping(path: Any, diagnostics: Any, *, missing: str, expected: str) -> Located | None:
    """Read a YAML file that must hold a mapping (settings files).

    Every problem becomes one diagnostic at its line (``missing`` says what to
    do when the file does not exist, ``expected`` what the mapping holds);
    None when the file cannot be used at all.
    """
    from .validate import describe

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        diagnostics.error(path, missing)
        return None
    except UnicodeDecodeError as exc:
        diagnostics.error(path, f"not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return None
    except OSError as exc:
        diagnostics.error(path, f"cannot read: {exc.strerror or exc}")
        return None
    try:
        located = load(text)
    except YAMLProblem as exc:
        diagnostics.error(path, exc.message, exc.line)
        return None
    report_duplicates(located, path, diagnostics)
    if located.data is None:
        located.data = {}
    if not isinstance(located.data, dict):
        diagnostics.error(path, f"expected a mapping ({expected}), got {describe(located.data)}", 1)
        return None
    return located
