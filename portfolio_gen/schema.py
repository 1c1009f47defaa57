"""One declarative schema per YAML format, and the one reporter that checks a mapping.

A ``Schema`` lists a format's keys (``Key``: its name, its checker from
validate.py, its default, a line of documentation, the names other tools give
it). From it come the validation (``Reporter.fields``), the defaults, the
did-you-mean of an unknown key and the key tables in the docs
(``Schema.table``; tests/test_schema.py holds the docs to them).

``Reporter`` turns every problem into a diagnostic at its key's line
(``path:line: error: learner.links[0].url: expected a web address ...``):
collected, never raised. The formats: portfolio.yml (config.py), front matter
(content/projects.py), reviews (standards/reviews.py), frameworks
(standards/yaml_framework.py), HUB.yml (hub.py). JSON documents are read through
the same Reporter: ``load_json`` gives them the lines a YAML document has
(CASE packages, standards/case.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from . import validate as v
from .diagnostics import Diagnostics, InputError, did_you_mean
from .lazy_dataclass import dataclass
from .patterns import lazy_compile
from .yamlio import Located

Checker = Callable[[Any], Any]
KeyPath = tuple[Any, ...]


@dataclass(frozen=True)
class Key:
    """One key of a format.

    ``check`` is None when the key is read by its format's own code (a nested
    mapping, a list of records); ``shown`` is the default as the docs show it.
    """

    name: str
    check: Checker | None = None
    doc: str = ""
    default: Any = None
    required: bool = False
    example: str = ""  # for "required; add a line like 'title: ...'" and the docs
    synonyms: tuple[str, ...] = ()  # what other tools call it (for the did-you-mean)
    shown: str = ""


@dataclass(frozen=True)
class Schema:
    """The keys of one YAML mapping, in the order the docs show them.

    ``unknown`` is how an unknown key's warning ends ("is ignored", "is kept
    for templates"); None makes an unknown key an error.
    """

    name: str
    keys: tuple[Key, ...]
    unknown: str | None = "is ignored"

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    @cached_property
    def _by_name(self) -> dict[str, Key]:
        return {key.name: key for key in self.keys}

    def __getitem__(self, name: str) -> Key:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._by_name

    def defaults(self) -> dict[str, Any]:
        return {key.name: key.default for key in self.keys if key.default is not None}

    def hint(self, word: str) -> str:
        """`` (did you mean 'x'?)``: another tool's name for a key first, then spelling."""
        lowered = word.lower()
        for key in self.keys:
            if lowered in key.synonyms:
                return f" (did you mean '{key.name}'?)"
        return did_you_mean(word, self.names)

    def unknown_error(self, where: str, key: str) -> str:
        """The error for an unknown key under ``where`` (a format where it is one)."""
        prefix = f"{where}: " if where else ""
        hint = self.hint(key) or f" (allowed: {', '.join(self.names)})"
        return f"{prefix}unknown key '{key}'{hint}"

    def table(self) -> str:
        """The Markdown table of the keys, as the docs show it."""
        rows = ["| key | what | default |", "|---|---|---|"]
        for key in self.keys:
            default = "required" if key.required else key.shown or _shown(key.default)
            doc = key.doc.replace("|", "\\|")
            rows.append(f"| `{key.name}` | {doc} | {default} |")
        return "\n".join(rows) + "\n"


def _shown(default: Any) -> str:
    if default is None or default == () or default == "":
        return ""
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, tuple):
        return "`[" + ", ".join(map(str, default)) + "]`"
    return f"`{default}`"


def key_name(path: KeyPath) -> str:
    """``("learner", "links", 0, "url")`` -> ``learner.links[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


class Reporter:
    """Checks mappings of one YAML file against schemas; every problem at its line."""

    def __init__(self, path: Path | str, located: Located, diagnostics: Diagnostics) -> None:
        self.path, self.located, self.diagnostics = path, located, diagnostics

    def line(self, path: KeyPath, default: int | None = None) -> int | None:
        return self.located.line(*path, default=default)

    def bad(self, path: KeyPath, message: str, default_line: int | None = None) -> None:
        """``learner.name: <message>`` at the key's line."""
        where = f"{key_name(path)}: " if path else ""
        self.diagnostics.error(self.path, where + message, self.line(path, default_line))

    def warn(self, path: KeyPath, message: str) -> None:
        where = f"{key_name(path)}: " if path else ""
        self.diagnostics.warning(self.path, where + message, self.line(path))

    def error_at(self, path: KeyPath, message: str, default_line: int | None = None) -> None:
        """``message`` as written (it names what it is about), at the line of ``path``."""
        self.diagnostics.error(self.path, message, self.line(path, default_line))

    def warning_at(self, path: KeyPath, message: str) -> None:
        self.diagnostics.warning(self.path, message, self.line(path))

    def unknown(self, where: KeyPath, key: Any, schema: Schema) -> None:
        """An unknown key: a warning naming what happens to it, or an error."""
        name, line = str(key), self.line((*where, key))
        hint = schema.hint(name)
        if schema.unknown is not None:
            message = f"unknown key '{key_name((*where, name))}' {schema.unknown}{hint}"
            self.diagnostics.warning(self.path, message, line)
        else:
            self.diagnostics.error(self.path, schema.unknown_error(key_name(where), name), line)

    def value(self, path: KeyPath, check: Checker, value: Any, default: Any = None) -> Any:
        """``check(value)``, or ``default`` and an error at the key's line."""
        try:
            return check(value)
        except v.Invalid as exc:
            self.bad(path, str(exc))
            return default

    def fields(
        self,
        mapping: Mapping[Any, Any],
        where: KeyPath,
        schema: Schema,
        *,
        empty_is_missing: bool = False,
        required_line: int | None = None,
    ) -> dict[str, Any]:
        """The checked values of the keys that have a checker; problems reported.

        Unknown keys are reported (``schema.unknown``); keys without a checker
        are left to the caller; a required key that is missing is an error
        (at ``required_line`` when the mapping has no line of its own).
        With ``empty_is_missing``, ``key:`` with no value is the same as no key.
        """
        got: dict[str, Any] = {}
        for name, value in mapping.items():
            if name not in schema:
                self.unknown(where, name, schema)
                continue
            key = schema[name]
            if key.check is None or (empty_is_missing and value is None):
                continue
            try:
                got[name] = key.check(value)
            except v.Invalid as exc:
                self.bad((*where, name), str(exc))
        for key in schema.keys:
            if key.required and (
                mapping.get(key.name) is None if empty_is_missing else key.name not in mapping
            ):
                self.required(where, key, required_line)
        return got

    def required(self, where: KeyPath, key: Key, default_line: int | None = None) -> None:
        """``learner.links[0].url: required`` (and an example), at the mapping's line."""
        example = f"; add a line like '{key.name}: {key.example}'" if key.example else ""
        self.bad((*where, key.name), f"required{example}", default_line)


# --------------------------------------------------------------------------- JSON documents

_JSON = json.JSONDecoder()
_SPACE = lazy_compile(r"[ \t\n\r]*")


def load_json(text: str, depth: int | Callable[[Any], int]) -> Located:
    """A JSON document and the line of each value down to ``depth`` keys or indexes.

    So a JSON file is checked with a Reporter like a YAML one: the path
    ``("CFItems", 3)`` finds the line of that item's ``{``. Deeper values are
    skipped whole (one decode each), so ``depth`` (a number, or a function of
    the parsed data) is as small as the checks allow. Raises InputError (with
    the line) for text that is not JSON.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise InputError("the JSON is nested too deeply to read") from None
    levels = depth(data) if callable(depth) else depth
    lines: dict[KeyPath, int] = {}
    seen = [0, 1]  # an offset and its line: the walk only goes forward

    def walk(i: int, path: KeyPath) -> int:
        """Record the lines under the value at ``i``; the offset after it."""
        seen[1] += text.count("\n", seen[0], i)
        seen[0] = i
        if path:  # the document itself has no line: its problems are the whole file's
            lines[path] = seen[1]
        opener = text[i]
        if len(path) >= levels or opener not in "{[":
            return _JSON.raw_decode(text, i)[1]
        closer = "}" if opener == "{" else "]"
        i, index = _skip(text, i + 1), 0
        while text[i] != closer:
            if opener == "{":
                key, i = _JSON.raw_decode(text, i)
                i = _skip(text, _skip(text, i) + 1)  # past ':'
            else:
                key, index = index, index + 1
            i = _skip(text, walk(i, (*path, key)))
            if text[i] == ",":
                i = _skip(text, i + 1)
        return i + 1

    walk(_skip(text, 0), ())
    return Located(data, lines)


def _skip(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i
