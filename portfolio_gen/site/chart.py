"""The chart on the standards page: evidence per subject and grade band, by setting.

A horizontal stacked bar chart drawn as inline SVG at build time, so it needs
no JavaScript and nothing from other hosts. Each bar is one subject and grade
band; its segments are the settings the evidence comes from. Settings are told
apart by pattern (solid, stripes, dots, grid, bands, outline), by the legend's
words and by the numbers written in each segment, never by colour alone; the
colours come from CSS custom properties so the chart follows light, dark and
print styles. The text alternative is the SVG's ``<title>`` and ``<desc>``
(``role="img"``), and the standards page also gives the numbers as a table.

Strings go through the theme's ``t()``: templates call ``chart.svg(t)`` and
``chart.legend(t)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from ..lazy_dataclass import dataclass
from .matrix import UNSTATED, Bar, Matrix

BAR_AREA = 86.0  # per cent of the chart's width the longest bar takes; its total goes after
LABEL_HEIGHT = 20  # pixels: a bar's label line, above the bar
BAR_HEIGHT = 24
ROW_GAP = 12
ROW = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
TOP = 2
MIN_NUMBER_SHARE = 5.0  # per cent: a narrower segment has no number on it (the table has it)
LABEL_LIMIT = 60  # characters; longer labels are cut (the full text is in <desc>)

# Fallback colours for the SVG without the theme's CSS (the CSS overrides them).
FALLBACK = {
    "in-school": "#0b5cad",
    "out-of-school": "#b3470b",
    "home": "#17692c",
    "online": "#7a3e9d",
    "community": "#8a5a00",
    UNSTATED: "#51555e",
}

# One pattern per setting: what is drawn on an 8x8 tile over the paper colour.
_TILES = {
    "in-school": '<rect width="8" height="8" class="chart-ink"{f}/>',
    "out-of-school": '<path d="M-2 2 L2 -2 M0 8 L8 0 M6 10 L10 6" class="chart-line"{s}/>',
    "home": '<circle cx="4" cy="4" r="2.1" class="chart-ink"{f}/>',
    "online": '<path d="M0 4 H8 M4 0 V8" class="chart-line"{s}/>',
    "community": '<rect width="8" height="3.4" class="chart-ink"{f}/>',
    UNSTATED: "",
}


def column_label(column: str, t: Callable[..., str]) -> str:
    """The words for a matrix column (a setting) in the page's language."""
    return t("setting not given") if column == UNSTATED else t(column)


def bar_label(bar: Bar, t: Callable[..., str]) -> str:
    subject = bar.subject or t("No subject")
    return t("{subject}, grades {band}", subject=subject, band=bar.band) if bar.band else subject


class _English:
    """The identity translation, for use outside templates (tests, tools)."""

    def __call__(self, text: str, **values: Any) -> str:
        return text.format(**values) if values else text

    def plural(self, count: int, one: str, many: str) -> str:
        return self(one if count == 1 else many, n=count)


ENGLISH = _English()


def _plural(t: Callable[..., str], count: int, one: str, many: str) -> str:
    if hasattr(t, "plural"):  # the theme's Translations (site/i18n.py) or ENGLISH
        text: str = t.plural(count, one, many)
        return text
    return t(one if count == 1 else many, n=count)


def _number(value: float) -> str:
    """Coordinates with at most one decimal, so output is byte-stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _cut(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Chart:
    """A bar chart of the matrix, drawn as inline SVG."""

    bars: tuple[Bar, ...]
    columns: tuple[str, ...]
    prefix: str = "chart"  # ids in the SVG start with this; unique per page

    @classmethod
    def from_matrix(cls, matrix: Matrix, prefix: str = "chart") -> Chart:
        return cls(matrix.bars, matrix.columns, prefix)

    def __bool__(self) -> bool:
        return any(bar.total for bar in self.bars)

    def pattern_id(self, column: str) -> str:
        return f"{self.prefix}-pattern-{column}"

    @property
    def height(self) -> int:
        return TOP + ROW * len(self.bars)

    def title(self, t: Callable[..., str] = ENGLISH) -> str:
        return t("Evidence per subject and grade band, by setting")

    def description(self, t: Callable[..., str] = ENGLISH) -> str:
        """The chart in words: one sentence per bar."""
        sentences = []
        for bar in self.bars:
            parts = ", ".join(
                t("{setting} {n}", setting=column_label(c, t), n=n)
                for c, n in zip(self.columns, bar.counts, strict=True)
                if n
            )
            pieces = _plural(t, bar.total, "{n} piece of evidence", "{n} pieces of evidence")
            sentences.append(
                t(
                    "{label}: {pieces} ({parts}).",
                    label=bar_label(bar, t),
                    pieces=pieces,
                    parts=parts,
                )
            )
        return " ".join(sentences)

    def svg(self, t: Callable[..., str] = ENGLISH) -> Markup:
        """The chart as an inline ``<svg>`` element.

        Bars are laid out in percentages of the chart's width and text in
        pixels, so the chart fills a phone or a desktop column and its words
        keep their size.
        """
        p = escape(self.prefix)
        most = max((bar.total for bar in self.bars), default=0) or 1
        unit = BAR_AREA / most
        out = [
            f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'width="100%" height="{self.height}" style="height: {self.height}px" '
            f'aria-labelledby="{p}-title" aria-describedby="{p}-desc">',
            f'<title id="{p}-title">{escape(self.title(t))}</title>',
            f'<desc id="{p}-desc">{escape(self.description(t))}</desc>',
            "<defs>",
        ]
        for column in self.columns:
            color = FALLBACK.get(column, FALLBACK[UNSTATED])
            tile = _TILES.get(column, "").format(
                f=f' fill="{color}"', s=f' stroke="{color}" stroke-width="2.2" fill="none"'
            )
            out.append(
                f'<pattern id="{escape(self.pattern_id(column))}" class="chart-{escape(column)}" '
                'patternUnits="userSpaceOnUse" width="8" height="8">'
                f'<rect width="8" height="8" class="chart-paper" fill="#ffffff"/>{tile}</pattern>'
            )
        out.append("</defs>")
        for index, bar in enumerate(self.bars):
            y = TOP + index * ROW
            top = y + LABEL_HEIGHT
            label = bar_label(bar, t)
            out.append('<g class="chart-row">')
            out.append(f'<text class="chart-label" x="0" y="{y + 14}">{escape(_cut(label))}</text>')
            x = 0.0
            numbers = []
            for column, count in zip(self.columns, bar.counts, strict=True):
                if not count:
                    continue
                width = count * unit
                tip = t(
                    "{label}, {setting}: {n}", label=label, setting=column_label(column, t), n=count
                )
                out.append(
                    f'<rect class="chart-segment chart-segment-{escape(column)}" '
                    f'x="{_number(x)}%" y="{top}" width="{_number(width)}%" height="{BAR_HEIGHT}" '
                    f'fill="url(#{escape(self.pattern_id(column))})" stroke="#1c1d21" '
                    f'stroke-width="1"><title>{escape(tip)}</title></rect>'
                )
                if width >= MIN_NUMBER_SHARE:
                    numbers.append((x + width / 2, count))
                x += width
            for centre, count in numbers:  # on top of every segment, each on a paper pill
                half = 4 + 4 * len(str(count))
                out.append(
                    f'<svg class="chart-number" x="{_number(centre)}%" y="{top}" overflow="visible">'
                    f'<rect class="chart-paper" x="-{half}" y="4" width="{2 * half}" '
                    f'height="{BAR_HEIGHT - 8}" rx="3" fill="#ffffff"/>'
                    f'<text x="0" y="{BAR_HEIGHT - 7}" text-anchor="middle">{count}</text></svg>'
                )
            out.append(
                f'<text class="chart-total" x="{_number(x)}%" dx="8" y="{top + BAR_HEIGHT - 7}">'
                f"{bar.total}</text>"
            )
            out.append("</g>")
        out.append("</svg>")
        return Markup("\n".join(out))

    def legend(self, t: Callable[..., str] = ENGLISH) -> Markup:
        """The key: a swatch of each setting's pattern and its name, as an HTML list."""
        items = []
        for column in self.columns:
            items.append(
                f'<li><svg class="chart-swatch" viewBox="0 0 18 18" width="18" height="18" '
                f'aria-hidden="true" focusable="false"><rect class="chart-segment" x="0.5" y="0.5" '
                f'width="17" height="17" fill="url(#{escape(self.pattern_id(column))})" '
                f'stroke="#1c1d21" stroke-width="1"/></svg> {escape(column_label(column, t))}</li>'
            )
        return Markup(f'<ul class="chart-legend">{"".join(items)}</ul>')
