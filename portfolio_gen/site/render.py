"""The render stage: Jinja2 with autoescape, page-relative URLs and a theme
folder that the portfolio's own templates/ override file by file."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from .. import yamlio
from ..config import Config
from ..urls import relative_url
from ..validate import slugify
from .graph import Portfolio
from .pages import Page
from .themes import builtin_themes, template_folders, theme_dir

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


class Catalog:
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
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation naming the wrong {value}
            return fallback.format(**values)

    def __call__(self, text: str, **values: Any) -> str:
        found = self._lookup(text)
        if isinstance(found, dict):  # a plural mapping used without a count
            found = found.get("other")
        return self._format(found if isinstance(found, str) else text, text, values)

    def plural(self, count: int, one: str, many: str) -> str:
        """``one`` or ``many`` (English text with ``{n}``) in this language's form for ``count``."""
        category = plural_category(self.language, count)
        found = self._lookup(many)
        if isinstance(found, dict):
            text = found.get(category) or found.get("other")
        else:
            text = self._lookup(one) if category == "one" else found
        english = one if count == 1 else many
        return self._format(text if isinstance(text, str) else english, english, {"n": count})

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


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process (keyed by
    the template's name and source checksum): a hub building many portfolios,
    or a preview, compiles the theme once."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _LayeredBytecodeCache(jinja2.FileSystemBytecodeCache):
    """The process's compiled templates, then those a previous build left on disk
    (``.portfolio-cache/jinja/``): a warm build compiles nothing."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _BYTECODE.load_bytecode(bucket)
        if bucket.code is None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged cache file is compiled again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _BYTECODE.dump_bytecode(bucket)
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


_BYTECODE = _MemoryBytecodeCache()


def _layered(folder: Path) -> jinja2.BytecodeCache:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _BYTECODE
    return _LayeredBytecodeCache(str(folder))


def _environment(search: tuple[str, ...], bytecode_dir: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_layered(bytecode_dir) if bytecode_dir else _BYTECODE,
    )
    env.filters["date"] = str  # the language's dates: set by Renderer (compiling needs the name)
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["safe_html"] = Markup  # only for HTML the sanitizer produced
    env.filters["filesize"] = _filesize
    return env


def precompile(config: Config, bytecode_dir: Path | None) -> None:
    """Compile every page template into this process's bytecode cache, where a
    Renderer made later finds them (``build`` does it while workers read)."""
    compile_all(_environment(template_folders(config, theme_dir(config)), bytecode_dir))


def compile_all(env: jinja2.Environment) -> None:
    """Compile the templates of a portfolio's pages (not the hub's: hub.py has its own)."""
    for name in env.list_templates(extensions=["html"]):
        if name.startswith("hub/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # reported where a page uses it


class Renderer:
    def __init__(
        self,
        portfolio: Portfolio,
        *,
        index_html: bool = False,
        assets: dict[str, str] | None = None,
        env_cache: dict[Any, Any] | None = None,
        bytecode_dir: Path | None = None,
    ) -> None:
        """``env_cache`` keeps the Jinja environment (and its compiled templates)
        between builds of a live preview; Jinja recompiles a template whose file changed."""
        config = portfolio.config
        self.portfolio = portfolio
        self.index_html = index_html
        self.assets = assets or {}
        self.theme = theme_dir(config)
        search = template_folders(config, self.theme)
        if env_cache is None:  # one build: no template changes while it runs
            self.env = _environment(search, bytecode_dir)
            self.env.auto_reload = False  # (checking them cost a fifth of the rendering)
        else:
            # Jinja notices an edited template, but not a new one that shadows a theme
            # file (a local override made while previewing): the files are in the key.
            listing = tuple(sorted(str(p) for f in search for p in Path(f).rglob("*.html")))
            key = ("jinja", search, listing)
            self.env = env_cache.get(key) or _environment(search, bytecode_dir)
            env_cache[key] = self.env
        self.t = Catalog(self.theme, config.language)
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

    @jinja2.pass_context
    def _url(self, context: Any, target: str) -> str:
        return relative_url(context["page"].url, target, self.index_html)

    @jinja2.pass_context
    def _asset(self, context: Any, name: str) -> str:
        return relative_url(context["page"].url, self.assets.get(name, "static/" + name))

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        context = page.context() if callable(page.context) else page.context
        return template.render(page=page, **context)


def _filesize(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)
