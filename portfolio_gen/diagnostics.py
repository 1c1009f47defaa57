"""One Diagnostic type (path, line, severity, message), used by every stage.

Stages never raise on bad input: they return records plus diagnostics, and the
command line prints them all at once as ``path:line: severity: message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from .lazy_dataclass import dataclass

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


class InputError(ValueError):
    """Bad input found by a reader: a one-sentence message for the learner, and
    the line if known (the caller knows the file and makes the Diagnostic)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a file: where, how bad, and what to do about it."""

    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class Diagnostics:
    """An ordered collection of diagnostics; paths are shown relative to ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._items: list[Diagnostic] = []

    def _where(self, path: Path | str) -> str:
        if isinstance(path, Path) and self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                return str(path)
        return str(path)

    def error(self, path: Path | str, message: str, line: int | None = None) -> None:
        self._items.append(Diagnostic(self._where(path), line, ERROR, message))

    def warning(self, path: Path | str, message: str, line: int | None = None) -> None:
        self._items.append(Diagnostic(self._where(path), line, WARNING, message))

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics, ordered by path and line, for stable output."""
        return sorted(set(self._items), key=lambda d: (d.path, d.line or 0, d.severity, d.message))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    import difflib

    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""
