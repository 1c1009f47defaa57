"""The default theme's stylesheets: syntax colours with enough contrast, dark only on screens."""

from __future__ import annotations

import re

from portfolio_gen.site.themes import builtin_themes

STATIC = builtin_themes() / "default" / "static"


def luminance(color: str) -> float:
    color = color.lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    channels = [int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_syntax_colour_has_aa_contrast_on_screen_and_on_paper():
    css = (STATIC / "pygments.css").read_text(encoding="utf-8")
    light, _, dark = css.partition("@media screen and (prefers-color-scheme: dark)")
    assert dark, "the dark syntax colours must be for screens only, so print gets the light ones"
    for part, backgrounds in ((light, ("#f8f8f8", "#ffffff")), (dark, ("#0d1117",))):
        background = re.search(r"\.highlight \{ background: (#[0-9a-fA-F]{3,6})", part).group(1)
        assert background == backgrounds[0]
        colours = re.findall(
            r"\.highlight \.\w+ \{[^}]*?(?<![-\w])color: (#[0-9a-fA-F]{3,6})", part
        )
        assert len(colours) > 50
        low = [(c, bg) for c in colours for bg in backgrounds if contrast(c, bg) < 4.5]
        assert not low, f"syntax colours under 4.5:1: {sorted(set(low))}"


def test_the_dark_palette_is_for_screens_only():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" not in css
    assert css.count("@media screen and (prefers-color-scheme: dark)") == 2
    assert "@media (prefers-reduced-motion: reduce)" in css
