"""Theme strings in the portfolio's language: ``i18n/<language>.yml`` of the
default theme and of the portfolio's theme. Kept apart from the renderer (and
Jinja) because reading a source needs a few of them too (alert titles)."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import yamlio
from .themes import builtin_themes

# Languages written right to left, when a catalog does not say (_direction).
RTL_LANGUAGES = frozenset({"ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category of a whole number: one, two, few, many, zero or other.

    Only the rules of the languages the default theme ships or is likely to get;
    every other language has English's (one for 1, other for the rest).
    """
    base = language.split("-")[0].lower()
    n = abs(count)
    if base == "ar":
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        if 3 <= n % 100 <= 10:
            return "few"
        return "many" if 11 <= n % 100 <= 99 else "other"
    if base in ("fr", "pt"):
        return "one" if n in (0, 1) else "other"
    if base in ("ja", "ko", "zh", "vi", "th", "id", "ms"):
        return "other"
    return "one" if n == 1 else "other"


class Translations:
    """Theme strings for one language: English text is the key.

    ``i18n/<language>.yml`` maps English text to its translation, plus settings
    whose names start with ``_``: ``_direction`` (ltr or rtl), ``_months``
    (twelve names) and ``_date`` (``"{day} de {month} de {year}"``). A plural
    (``t.plural(n, "{n} badge", "{n} badges")``) is translated under both
    English keys, or under the plural key as a mapping of CLDR categories
    (``{zero: ..., one: ..., two: ..., few: ..., many: ..., other: ...}``).
    A string with no translation falls back to English and is remembered in
    ``missing``.
    """

    def __init__(self, theme: Path, language: str) -> None:
        self.language = language
        self.strings: dict[str, Any] = {}
        for folder in (builtin_themes() / "default", theme):
            for name in dict.fromkeys((language.split("-")[0], language)):
                path = folder / "i18n" / f"{name}.yml"
                if path.is_file():
                    data = yamlio.load(path.read_text(encoding="utf-8")).data or {}
                    if isinstance(data, dict):
                        self.strings.update(data)
        base = language.split("-")[0].lower()
        default = "rtl" if base in RTL_LANGUAGES else "ltr"
        direction = self.strings.get("_direction", default)
        self.direction = direction if direction in ("ltr", "rtl") else default
        self.english = base == "en"
        self.missing: set[str] = set()

    def _lookup(self, text: str) -> Any:
        found = self.strings.get(text)
        if found is None and not self.english:
            self.missing.add(text)
        return found

    def _format(self, text: str, fallback: str, values: dict[str, Any]) -> str:
        """``text`` with its ``{values}``; HTML (Markup, escaped) when a value is
        markup, such as a ``<bdi>``-isolated name or number (the ``bdi`` filter)."""
        if not values:
            return text
        if any(isinstance(v, Markup) for v in values.values()):
            text, fallback = escape(text), escape(fallback)
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation naming the wrong {value}
            return fallback.format(**values)

    def __call__(self, text: str, **values: Any) -> str:
        found = self._lookup(text)
        if isinstance(found, dict):  # a plural mapping used without a count
            found = found.get("other")
        return self._format(found if isinstance(found, str) else text, text, values)

    def plural(self, count: int, one: str, many: str, **values: Any) -> str:
        """``one`` or ``many`` (English text with ``{n}``) in this language's form for
        ``count``; ``values`` fill other ``{names}``, or ``{n}`` as markup (``n=count | bdi``)."""
        category = plural_category(self.language, count)
        found = self._lookup(many)
        if isinstance(found, dict):
            text = found.get(category) or found.get("other")
        else:
            text = self._lookup(one) if category == "one" else found
        english = one if count == 1 else many
        values = {"n": count, **values}
        return self._format(text if isinstance(text, str) else english, english, values)

    def date(self, value: _dt.date | None) -> str:
        """A date as this language writes it: "March 14, 2026", "14 de marzo de 2026"."""
        if value is None:
            return ""
        months = self.strings.get("_months")
        if not (isinstance(months, list) and len(months) == 12):
            months = ENGLISH_MONTHS
        pattern = self.strings.get("_date")
        if not isinstance(pattern, str):
            pattern = "{month} {day}, {year}"
        month = str(months[value.month - 1])
        return self._format(
            pattern, "{month} {day}, {year}", {"month": month, "day": value.day, "year": value.year}
        )


def bdi(value: Any) -> Markup:
    """``value`` isolated from the text around it (``<bdi>``), for ``t()``: a name,
    number, code or date keeps its own direction inside a right-to-left sentence."""
    return Markup("<bdi>{}</bdi>").format(value)
