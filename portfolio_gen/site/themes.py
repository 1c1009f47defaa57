"""Where a portfolio's templates come from, and a hash of each, without Jinja.

A page's key holds the hash of its template and of every template that one
extends, includes or imports, so editing a template renders again exactly the
pages that use it. Working this out needs no Jinja: a build with nothing to
render (a warm one) does not import it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..cache import digest
from ..config import Config
from ..paths import LOOP, refusal, walk

# extends / include / import / from "name": how one template uses another
_REFERENCE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")


def builtin_themes() -> Path:
    """themes/ in a source checkout, or portfolio_gen/themes/ in an installed wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "themes", here.parent / "themes"):
        if (candidate / "default").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this installation")


def theme_dir(config: Config) -> Path:
    """The theme folder: a name under the built-in themes/ or a path from the root."""
    path = config.root / config.theme
    if config.theme not in ("default",) and (path / "templates").is_dir():
        return path
    local = config.root / "themes" / config.theme
    if (local / "templates").is_dir():
        return local
    return builtin_themes() / config.theme


def template_folders(config: Config, theme: Path) -> tuple[str, ...]:
    """Where templates are looked for, first match wins: the portfolio's
    templates/, the theme's, then the default theme's. The portfolio's own
    folders only if they are inside it (``theme_problems`` says why not)."""
    builtin = builtin_themes()
    folders = [config.root / "templates", theme / "templates"]
    if theme != builtin / "default":
        folders.append(builtin / "default" / "templates")
    return tuple(
        str(f)
        for f in folders
        if f.is_dir() and (f.is_relative_to(builtin) or refusal(config.root, f) is None)
    )


def theme_problems(config: Config) -> list[tuple[Path, str]]:
    """Templates and translations of the portfolio (its templates/, a theme inside
    it) that are links leaving it or to its private files: (path, message) errors,
    since Jinja and the translations would read them."""
    found: list[tuple[Path, str]] = []
    theme = theme_dir(config)
    folders = [config.root / "templates"]
    if not theme.is_relative_to(builtin_themes()):
        folders += [theme / "templates", theme / "i18n"]
    for folder in folders:
        if folder.exists() or folder.is_symlink():
            for _ in walk(config.root, folder, lambda p, m: found.append((p, m))):
                pass
    rule = "templates and translations are read only from inside the portfolio"
    return [(p, f"{m.split(';')[0]}; {rule}") for p, m in found if m != LOOP]  # loops: harmless


class TemplateHashes:
    """The hash of a template and every template it uses, found as Jinja's
    FileSystemLoader finds them (the same file names and sources)."""

    def __init__(self, search: tuple[str, ...]) -> None:
        self.search = search
        self._hashes: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self._hashes:
            seen: dict[str, str] = {}
            todo = [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                found = self._source(current)
                if found is None:
                    seen[current] = "missing"
                    continue
                filename, source = found
                seen[current] = f"{filename}:{source}"
                todo += _REFERENCE.findall(source)
            self._hashes[name] = digest(*(f"{k}={v}" for k, v in sorted(seen.items())))
        return self._hashes[name]

    def _source(self, name: str) -> tuple[str, str] | None:
        pieces = []
        for piece in name.split("/"):  # as jinja2.loaders.split_template_path
            if os.sep in piece or (os.altsep and os.altsep in piece) or piece == os.pardir:
                return None
            if piece and piece != ".":
                pieces.append(piece)
        for folder in self.search:
            filename = os.path.join(folder, *pieces)
            if os.path.isfile(filename):
                try:
                    with open(filename, encoding="utf-8") as f:
                        return os.path.normpath(filename), f.read()
                except (OSError, UnicodeDecodeError):
                    return None
        return None


# ---- theme_options: the default theme's accent colour and layout ----------
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
LAYOUTS = ("grid", "journal")  # cards in a grid, or one photo-first column
AA = 4.5
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


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
