"""Safe YAML loading that remembers the line of every key and list item.

Values are built by PyYAML's safe constructor (the C one when available);
``lines`` maps a key path such as ``("learner", "name")`` or
``("standards", 2)`` to its 1-based line in the file, so every diagnostic can
point at the exact line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back silently
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_YAML_BYTES = 1_000_000
MAX_YAML_NODES = 100_000

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

    def line(self, *path: Any, default: int | None = None) -> int | None:
        """The line of ``path``, else of its nearest parent, else ``default``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


def load(text: str, line_offset: int = 0) -> Located:
    """Parse one YAML document safely; raise YAMLProblem with a line on failure."""
    if len(text) > MAX_YAML_BYTES:
        raise YAMLProblem(f"YAML is larger than {MAX_YAML_BYTES // 1000} kB", line_offset + 1)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None)
        lines: dict[Path_, int] = {}
        _walk(node, (), lines, line_offset, [0])
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
    return Located(data, lines)


def _walk(node: Any, path: Path_, lines: dict[Path_, int], offset: int, count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_YAML_NODES:
        raise YAMLProblem(f"YAML has more than {MAX_YAML_NODES} values", node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            lines[path + (key,)] = key_node.start_mark.line + 1 + offset
            _walk(value_node, path + (key,), lines, offset, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1 + offset
            _walk(item, path + (index,), lines, offset, count)


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
    if located.data is None:
        located.data = {}
    if not isinstance(located.data, dict):
        diagnostics.error(path, f"expected a mapping ({expected}), got {describe(located.data)}", 1)
        return None
    return located
