"""The render stage: Jinja2 with autoescape, page-relative URLs and a theme
folder that the portfolio's own templates/ override file by file."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import yamlio
from ..cache import digest
from ..config import Config
from ..urls import relative_url
from ..validate import slugify
from .graph import Portfolio
from .pages import Page

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


class Catalog:
    """Theme strings for one language: English text is the key."""

    def __init__(self, theme: Path, language: str) -> None:
        self.language = language
        self.strings: dict[str, Any] = {}
        for folder in (builtin_themes() / "default", theme):
            for name in (language.split("-")[0], language):
                path = folder / "i18n" / f"{name}.yml"
                if path.is_file():
                    data = yamlio.load(path.read_text(encoding="utf-8")).data or {}
                    self.strings.update(data)
        self.direction = self.strings.get("_direction", "ltr")

    def __call__(self, text: str, **values: Any) -> str:
        result = self.strings.get(text, text)
        if not isinstance(result, str):
            result = text
        return result.format(**values) if values else result

    def plural(self, count: int, one: str, many: str) -> str:
        return self(one if count == 1 else many, n=count)

    def date(self, value: _dt.date | None) -> str:
        if value is None:
            return ""
        months = self.strings.get("_months") or [
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        ]  # fmt: skip
        pattern = self.strings.get("_date", "{month} {day}, {year}")
        return pattern.format(month=months[value.month - 1], day=value.day, year=value.year)


class Renderer:
    def __init__(
        self,
        portfolio: Portfolio,
        *,
        index_html: bool = False,
        assets: dict[str, str] | None = None,
        env_cache: dict[Any, Any] | None = None,
    ) -> None:
        """``env_cache`` keeps the Jinja environment (and its compiled templates)
        between builds of a live preview; Jinja recompiles a template whose file changed."""
        config = portfolio.config
        self.portfolio = portfolio
        self.index_html = index_html
        self.assets = assets or {}
        self.theme = theme_dir(config)
        folders = [config.root / "templates", self.theme / "templates"]
        if self.theme != builtin_themes() / "default":
            folders.append(builtin_themes() / "default" / "templates")
        search = tuple(str(f) for f in folders if f.is_dir())
        cached = env_cache.get(("jinja", search)) if env_cache is not None else None
        self.env = cached or jinja2.Environment(
            loader=jinja2.FileSystemLoader(list(search)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        if env_cache is not None:
            env_cache[("jinja", search)] = self.env
        self.t = Catalog(self.theme, config.language)
        self._template_hashes: dict[str, str] = {}
        self.env.globals.update(
            site=portfolio,
            config=config,
            t=self.t,
            url=self._url,
            asset=self._asset,
            slugify=slugify,
            avatar=config.avatar_url,
        )
        self.env.filters["date"] = self.t.date
        self.env.filters["isodate"] = lambda d: d.isoformat() if d else ""
        self.env.filters["safe_html"] = Markup  # only for HTML the sanitizer produced
        self.env.filters["filesize"] = _filesize

    @jinja2.pass_context
    def _url(self, context: Any, target: str) -> str:
        return relative_url(context["page"].url, target, self.index_html)

    @jinja2.pass_context
    def _asset(self, context: Any, name: str) -> str:
        return relative_url(context["page"].url, "static/" + self.assets.get(name, name))

    def template_hash(self, name: str) -> str:
        """A hash of a template and every template it extends, includes or imports.

        A page's key contains it, so editing a template re-renders exactly the
        pages that use it.
        """
        if name not in self._template_hashes:
            seen: dict[str, str] = {}
            todo = [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                try:
                    source, filename, _ = self.env.loader.get_source(self.env, current)
                except jinja2.TemplateNotFound:
                    seen[current] = "missing"
                    continue
                seen[current] = f"{filename}:{source}"
                todo += _REFERENCE.findall(source)
            self._template_hashes[name] = digest(*(f"{k}={v}" for k, v in sorted(seen.items())))
        return self._template_hashes[name]

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        return template.render(page=page, **page.context)


def _filesize(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)
