"""The default theme's accent colours and layouts (``theme_options:`` in
portfolio.yml, checked in config.py; base.html sets ``--accent`` from them),
and the WCAG contrast arithmetic that keeps a learner's own colour readable.
Plain data and arithmetic: no knowledge of portfolios."""

from __future__ import annotations

from typing import Literal, get_args

from .patterns import lazy_compile

# portfolio.yml's `theme_options:` (checked in config.py); base.html sets
# --accent from them. The backgrounds are style.css's --bg and --card, light
# and dark: an accent is used for links and text on both, so it must reach
# WCAG AA (4.5:1) on each, and white (light) or the background (dark) on it.

LIGHT_BACKGROUNDS = ("#ffffff", "#f5f6f8")
DARK_BACKGROUNDS = ("#101217", "#1a1d24")
ACCENTS = {  # name: (light mode, dark mode); each at least 5:1 on its backgrounds
    "violet": ("#6d28d9", "#c4b5fd"),
    "teal": ("#0f766e", "#5eead4"),
    "blue": ("#1d4ed8", "#93c5fd"),
    "green": ("#166534", "#86efac"),
    "coral": ("#b93815", "#fdba74"),
    "rose": ("#be123c", "#fda4af"),
}
DEFAULT_ACCENT = "violet"
Layout = Literal["grid", "journal"]  # cards in a grid, or one photo-first column
LAYOUTS: tuple[Layout, ...] = get_args(Layout)
AA = 4.5
_HEX = lazy_compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def hex_colour(value: str) -> str | None:
    """``#rrggbb`` in lower case for ``#rgb`` or ``#rrggbb``; None for anything else."""
    if not _HEX.fullmatch(value):
        return None
    digits = value[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def worst_contrast(colour: str, dark: bool) -> float:
    """The colour's lowest contrast on the theme's light or dark backgrounds."""
    return min(contrast(colour, bg) for bg in (DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS))


def passing_shade(colour: str, dark: bool) -> str:
    """The colour itself if it reaches AA on the backgrounds, else the closest shade
    that does: mixed with black for the light mode, with white for the dark one."""
    target = 255 if dark else 0
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mix = step / 20
        shade = "#" + "".join(f"{round(c + (target - c) * mix):02x}" for c in rgb)
        if worst_contrast(shade, dark) >= AA:
            return shade
    return "#000000" if not dark else "#ffffff"
