"""Write themes/default/static/pygments.css: syntax colours that meet WCAG AA contrast.

Run from the repository root:  python scripts/make_pygments_css.py [--check]

Starts from Pygments' ``default`` style (light) and ``github-dark`` (dark) and
moves each token colour that has less than 4.5:1 contrast with its code
block's background (and, for the light style, with white paper in print)
towards black or white until it has, keeping its hue. The dark style applies
only on screens that prefer dark; print always gets the light one.
``--check`` writes nothing and exits 1 if the file is not what this makes.
"""

from __future__ import annotations

import argparse
import colorsys
import sys
from pathlib import Path

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "themes" / "default" / "static" / "pygments.css"
TARGET = 4.6  # a little above 4.5:1, so rounding never takes a colour under


def _rgb(value: str) -> tuple[float, float, float]:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def luminance(value: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def accessible(color: str, backgrounds: tuple[str, ...]) -> str:
    """``color``, darkened or lightened in steps of lightness until it contrasts with every background."""
    if all(contrast(color, bg) >= TARGET for bg in backgrounds):
        return _hex(_rgb(color))
    dark_backgrounds = luminance(backgrounds[0]) < 0.2
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(color))
    step = 0.01 if dark_backgrounds else -0.01
    while 0.0 <= lightness <= 1.0:
        candidate = _hex(colorsys.hls_to_rgb(h, lightness, s))
        if all(contrast(candidate, bg) >= TARGET for bg in backgrounds):
            return candidate
        lightness += step
    return "#ffffff" if dark_backgrounds else "#000000"


def _fix(definition: str, backgrounds: tuple[str, ...]) -> str:
    parts = []
    for word in definition.split():
        if word.startswith("#"):
            word = accessible(word, backgrounds)
        parts.append(word)
    return " ".join(parts)


def accessible_style(name: str, extra_backgrounds: tuple[str, ...] = ()) -> type[Style]:
    base = get_style_by_name(name)
    backgrounds = (base.background_color, *extra_backgrounds)
    styles = {token: _fix(value, backgrounds) for token, value in base.styles.items() if value}
    return type(
        f"Accessible{base.__name__}",
        (Style,),
        {
            "name": f"accessible-{name}",
            "background_color": base.background_color,
            "highlight_color": base.highlight_color,
            "line_number_color": _fix(base.line_number_color, backgrounds),
            "line_number_background_color": base.line_number_background_color,
            "styles": styles,
        },
    )


def css() -> str:
    light = HtmlFormatter(style=accessible_style("default", ("#ffffff",))).get_style_defs(
        ".highlight"
    )
    dark = HtmlFormatter(style=accessible_style("github-dark")).get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return (
        "/* Syntax colours: Pygments' default (light) and github-dark styles with every token\n"
        "   colour moved to at least 4.5:1 contrast. Made by scripts/make_pygments_css.py;\n"
        "   do not edit by hand. */\n"
        f"{light}\n"
        "@media screen and (prefers-color-scheme: dark) {\n"
        f"{dark}\n"
        "}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if pygments.css is stale")
    args = parser.parse_args(argv)
    text = css()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.is_file() else ""
        if current != text:
            print(f"{OUT} is not what scripts/make_pygments_css.py makes", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
