"""portfolio.yml -> Config: typed, validated, every bad key reported with its path."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any

from . import colours, yamlio
from . import validate as v
from .badges.identities import read_identities
from .diagnostics import Diagnostics, did_you_mean
from .entries import config_entries
from .lazy_dataclass import dataclass
from .paths import refusal
from .patterns import lazy_compile
from .schema import Key, Reporter, Schema
from .standards.levels import DEFAULT_LEVELS

CONFIG_FILE = "portfolio.yml"
LOCAL_FILE = "portfolio.local.yml"


@dataclass(frozen=True)
class Link:
    """A labelled link on the learner's profile."""

    label: str
    url: str


@dataclass(frozen=True)
class Learner:
    """Who the portfolio is by, as published (never the private identities)."""

    name: str = "Learner"
    bio: str = ""
    avatar: str | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Privacy:
    """What the published site tells search engines and keeps out of media files."""

    noindex: bool = False
    strip_metadata: bool = True


@dataclass(frozen=True)
class ThemeOptions:
    """The default theme's look (``theme_options:``): accent colours and layout."""

    accent: str = "violet"  # a preset's name or the colour as written
    light: str = "#6d28d9"  # --accent in the light colour scheme (AA on its backgrounds)
    dark: str = "#c4b5fd"  # and in the dark one
    layout: colours.Layout = "grid"


@dataclass(frozen=True)
class Config:
    """portfolio.yml, checked, with its defaults filled in."""

    root: Path
    title: str
    learner: Learner = field(default_factory=Learner)
    interests: tuple[str, ...] = ()
    base_url: str | None = None
    language: str = "en"
    theme: str = "default"
    standards: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    network: tuple[str, ...] = ()  # peers' portfolios: folders or portfolio.json URLs
    featured: tuple[str, ...] = ()
    levels: tuple[str, ...] = DEFAULT_LEVELS
    allow_raw_html: bool = False
    publish_html: bool = False  # web pages in project bundles published as pages, not as text
    allow_images_from: tuple[str, ...] = ()
    privacy: Privacy = field(default_factory=Privacy)
    theme_options: ThemeOptions = field(default_factory=ThemeOptions)
    identities: tuple[str, ...] = field(default=(), repr=False)
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False, compare=False)

    def line(self, *key: Any) -> int | None:
        """The line of a key in portfolio.yml (``line("goals", 2)``), for messages."""
        return self.lines.get(key)

    @property
    def path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def avatar_url(self) -> str | None:
        """Where the avatar is published: the site root, under a fixed name."""
        return "avatar" + Path(self.learner.avatar).suffix.lower() if self.learner.avatar else None


def _base_url(value: Any) -> str:
    result = v.url(value)
    return result if result.endswith("/") else result + "/"


_LANGUAGE = lazy_compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
THEME_RULE = "a built-in theme (default) or a folder inside the portfolio, like themes/mine"


def _language(value: Any) -> str:
    """A BCP 47 language tag (it names the theme's i18n/<language>.yml)."""
    result = v.text(value)
    if not _LANGUAGE.fullmatch(result):
        raise v.Invalid(f"expected a language tag like en, es or pt-BR, got {result!r}")
    return result


def _theme(value: Any) -> str:
    """A theme's name or its folder's path from the portfolio's root (never outside it)."""
    result = v.text(value)
    parts = result.replace("\\", "/").split("/")
    if not result or result.startswith(("/", "~")) or ":" in parts[0] or ".." in parts:
        raise v.Invalid(f"expected {THEME_RULE}, got {result!r}")
    return result


def _check_theme(root: Path, theme: str, report: Reporter) -> None:
    """A theme folder inside the portfolio must not be a link to a folder outside it."""
    for folder in (root / theme, root / "themes" / theme):
        problem = refusal(root, folder) if folder.is_dir() else None
        if problem is not None:
            where = folder.relative_to(root).as_posix()
            report.bad(("theme",), f"{where} {problem.split(';')[0]}; a theme must be {THEME_RULE}")
            return


def _learner(value: Any, report: Reporter) -> Learner:
    if not isinstance(value, dict):
        report.bad(
            ("learner",),
            f"expected a mapping with name, bio, avatar, links, got {v.describe(value)}",
        )
        return Learner()
    fields = report.fields(value, ("learner",), LEARNER)
    links: list[Link] = []
    raw_links = value.get("links", [])
    if not isinstance(raw_links, list):
        report.bad(
            ("learner", "links"), f"expected a list of {{label, url}}, got {v.describe(raw_links)}"
        )
        raw_links = []
    for i, item in enumerate(raw_links):
        where = ("learner", "links", i)
        if not isinstance(item, dict):
            report.bad(where, f"expected {{label: ..., url: ...}}, got {v.describe(item)}")
            continue
        got = report.fields(item, where, LINK)
        if "label" in got and "url" in got:
            links.append(Link(got["label"], got["url"]))
    return Learner(
        name=fields.get("name", "Learner"),
        bio=fields.get("bio", ""),
        avatar=fields.get("avatar"),
        links=tuple(links),
    )


def _privacy(value: Any, report: Reporter) -> Privacy:
    if not isinstance(value, dict):
        report.bad(("privacy",), f"expected a mapping, got {v.describe(value)}")
        return Privacy()
    got = report.fields(value, ("privacy",), PRIVACY)
    return Privacy(**got)


# ---- theme_options (the colour maths and presets are in colours.py) ----
_COLOUR_HINT = "like '#1a7f5a' (in quotes: YAML reads # as the start of a comment)"


def _option(value: Any) -> str:
    if value is None:  # 'accent: #abc' is 'accent:' and a comment
        raise v.Invalid(f"expected a colour {_COLOUR_HINT}, got nothing")
    return v.text(value)


def _theme_options(value: Any, report: Reporter) -> ThemeOptions:
    if not isinstance(value, dict):
        report.bad(("theme_options",), f"expected a mapping, got {v.describe(value)}")
        return ThemeOptions()
    names = ", ".join(colours.ACCENTS)
    got = report.fields(value, ("theme_options",), THEME_OPTIONS)
    accent, light, dark = colours.DEFAULT_ACCENT, *colours.ACCENTS[colours.DEFAULT_ACCENT]
    if "accent" in got:
        name = got["accent"].lower()
        colour = colours.hex_colour(got["accent"])
        if name in colours.ACCENTS:
            accent, (light, dark) = name, colours.ACCENTS[name]
        elif colour is None:
            hint = did_you_mean(name, colours.ACCENTS)
            report.bad(
                ("theme_options", "accent"),
                f"expected one of {names} or a colour {_COLOUR_HINT}, got {got['accent']!r}{hint}",
            )
        else:
            accent = colour
            light = _contrast_checked(colour, False, ("theme_options", "accent"), report)
            dark = colours.passing_shade(colour, True)  # a lighter tint, unless accent_dark says
    if "accent_dark" in got:
        colour = colours.hex_colour(got["accent_dark"])
        if colour is None:
            report.bad(
                ("theme_options", "accent_dark"),
                f"expected a colour {_COLOUR_HINT}, got {got['accent_dark']!r}",
            )
        else:
            dark = _contrast_checked(colour, True, ("theme_options", "accent_dark"), report)
    layout = got.get("layout", "grid").lower()
    if layout not in colours.LAYOUTS:
        hint = did_you_mean(layout, colours.LAYOUTS)
        report.bad(
            ("theme_options", "layout"),
            f"expected {' or '.join(colours.LAYOUTS)}, got {got['layout']!r}{hint}",
        )
        layout = "grid"
    return ThemeOptions(accent=accent, light=light, dark=dark, layout=layout)


def _contrast_checked(colour: str, dark: bool, key: tuple[Any, ...], report: Reporter) -> str:
    """The colour if it reaches WCAG AA on the theme's backgrounds; else a warning and
    the closest shade that does (the site stays readable)."""
    ratio = colours.worst_contrast(colour, dark)
    if ratio >= colours.AA:
        return colour
    shade = colours.passing_shade(colour, dark)
    mode, way = ("dark", "lighter") if dark else ("light", "darker")
    report.warn(
        key,
        f"{colour} has a contrast ratio of {ratio:.1f}:1 on the {mode} background, under the "
        f"{colours.AA}:1 that WCAG AA needs for text and links; the site uses {shade} instead. "
        f"Pick a {way} colour, like '{shade}', or a preset ({', '.join(colours.ACCENTS)})",
    )
    return shade


def _title(value: Any) -> str:
    try:
        return v.text(value)
    except v.Invalid as exc:
        raise v.Invalid(f"{exc}; write it as text, like 'title: Maya's Portfolio'") from None


# The keys of portfolio.yml; those without a checker are read by the functions in _NESTED.
PORTFOLIO = Schema(
    "portfolio.yml",
    (
        Key("title", _title, "the site's name", required=True, example="Maya's Portfolio"),
        Key("learner", None, "who it is by: `name`, `bio`, `avatar`, `links`"),
        Key("interests", v.text_list, "the interests projects are listed under", ()),
        Key("base_url", _base_url, "where the site is published (`--base-url` overrides)"),
        Key("language", _language, "the language tag of the site's text", "en"),
        Key("theme", _theme, "a built-in theme or a theme folder in the portfolio", "default"),
        Key("theme_options", None, "the default theme's `accent`, `accent_dark`, `layout`"),
        Key("standards", v.text_list, "the frameworks whose codes projects use", ()),
        Key("goals", v.text_list, "standards and badges you are working towards", ()),
        Key("network", None, "peers' portfolios: folders or portfolio.json addresses", ()),
        Key("featured", v.text_list, "project slugs for the home page", (), shown="the newest"),
        Key("levels", v.text_list, "your self-assessment scale", DEFAULT_LEVELS),
        Key("allow_raw_html", v.boolean, "keep HTML written in Markdown", False),
        Key("publish_html", v.boolean, "publish web pages in project folders as pages", False),
        Key("allow_images_from", v.hosts, "hosts whose pictures pages may load", ()),
        Key("privacy", None, "`noindex`, `strip_metadata` (see below)"),
    ),
)
LEARNER = Schema(
    "learner",
    (
        Key("name", v.text, "the name shown", "Learner"),
        Key("bio", v.text, "a line about you", ""),
        Key("avatar", v.text, "a picture, relative to the portfolio folder"),
        Key("links", None, "a list of `{label, url}`", ()),
    ),
)
LINK = Schema(
    "learner.links",
    (
        Key("label", v.text, "the link's text", required=True),
        Key("url", v.url, "where it goes", required=True),
    ),
)
PRIVACY = Schema(
    "privacy",
    (
        Key("noindex", v.boolean, "ask search engines not to list any page", False),
        Key("strip_metadata", v.boolean, "remove camera and GPS data from photos", True),
    ),
)
THEME_OPTIONS = Schema(
    "theme_options",
    (
        Key("accent", _option, "a preset's name or a colour", "violet"),
        Key("accent_dark", _option, "the accent in the dark colour scheme"),
        Key("layout", v.text, "how projects are listed", "grid"),
    ),
)
_NESTED = {
    "learner": _learner,
    "privacy": _privacy,
    "network": config_entries,
    "theme_options": _theme_options,
}
KNOWN_KEYS = PORTFOLIO.names
PRIVATE_KEYS = ("recipients", "identities", "email")


def load_config(root: Path, diagnostics: Diagnostics, base_url: str | None = None) -> Config | None:
    """Read ``root/portfolio.yml``; None when it cannot be used at all."""
    path = root / CONFIG_FILE
    located = yamlio.load_mapping(
        path,
        diagnostics,
        missing=f"no {CONFIG_FILE} here; run 'portfolio-gen init' to start a portfolio",
        expected="settings, key: value",
    )
    if located is None:
        return None
    data = located.data
    report = Reporter(path, located, diagnostics)
    for key in PRIVATE_KEYS:
        if key in data:
            report.bad(
                (key,),
                f"recipient identities must not be in a published file; move them to "
                f"{LOCAL_FILE} (git-ignored) or the PORTFOLIO_RECIPIENT environment variable",
            )
    public = {key: value for key, value in data.items() if key not in PRIVATE_KEYS}
    values = report.fields(public, (), PORTFOLIO, required_line=1)
    for key, read in _NESTED.items():
        if key in data:
            values[key] = read(data[key], report)
    if "title" not in values:  # missing or not text (reported): go on, to report everything else
        values["title"] = "Portfolio"
    if base_url is not None:
        try:
            values["base_url"] = _base_url(base_url)
        except v.Invalid as exc:
            diagnostics.error("--base-url", str(exc))
    for key in ("interests", "standards", "goals", "featured", "levels", "allow_images_from"):
        if key in values:
            values[key] = tuple(values[key])
    if "theme" in values:
        _check_theme(root, values["theme"], report)
    values["identities"] = tuple(read_identities(root, diagnostics))
    return Config(root=root, lines=located.lines, **values)
