"""The portfolio's self-assessment scale (default: beginning, developing, proficient, extending)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import did_you_mean
from ..lazy_dataclass import dataclass

DEFAULT_LEVELS: tuple[str, ...] = ("beginning", "developing", "proficient", "extending")


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


@dataclass(frozen=True)
class Levels:
    """An ordered scale of levels, lowest first. Matching ignores case and spaces around."""

    names: tuple[str, ...] = DEFAULT_LEVELS

    @classmethod
    def parse(cls, value: object) -> tuple[Levels, list[str]]:
        """The scale a portfolio declares, and what is wrong with the declaration.

        ``None`` gives the default scale. Accepts a list of strings (or numbers,
        for a 1-4 scale). With problems, the default scale is returned alongside
        the messages so a build can go on.
        """
        if value is None:
            return cls(), []
        if not isinstance(value, (list, tuple)):
            return cls(), [f"levels must be a list of level names, not {type(value).__name__}"]
        problems: list[str] = []
        names: list[str] = []
        for index, entry in enumerate(value):
            text = _as_text(entry)
            if text is None:
                problems.append(f"levels[{index}] must be a non-empty string")
            elif text.lower() in (n.lower() for n in names):
                problems.append(f"levels[{index}]: '{text}' is listed twice")
            else:
                names.append(text)
        if not names and not problems:
            problems.append("levels is empty: list at least one level")
        if problems:
            return cls(), problems
        return cls(tuple(names)), []

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, level: object) -> bool:
        return self.normalize(level) is not None

    def normalize(self, level: object) -> str | None:
        """The scale's own spelling of ``level`` ("Proficient" -> "proficient"), or None."""
        text = _as_text(level)
        if text is None:
            return None
        for name in self.names:
            if name.lower() == text.lower():
                return name
        return None

    def rank(self, level: object) -> int | None:
        """0 for the lowest level, len-1 for the highest; None when not on the scale."""
        name = self.normalize(level)
        return None if name is None else self.names.index(name)

    def check(self, level: object) -> str | None:
        """An error message when ``level`` is not on the scale, else None."""
        if self.normalize(level) is not None:
            return None
        scale = ", ".join(self.names)
        text = _as_text(level)
        if text is None:
            kind = "empty" if level is None or level == "" else type(level).__name__
            return f"level must be one of {scale}, not {kind}"
        return f"level '{text}' is not on the scale ({scale}){did_you_mean(text, self.names)}"


def check_level(level: object, scale: Levels | None = None) -> str | None:
    """Shorthand for ``(scale or Levels()).check(level)``."""
    return (scale or Levels()).check(level)
