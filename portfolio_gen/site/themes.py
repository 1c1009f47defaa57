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
