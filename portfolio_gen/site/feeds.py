"""sitemap.xml, robots.txt and feed.xml: the files that need absolute URLs."""

from __future__ import annotations

from .. import __version__
from ..escaping import escape as _escape
from ..patterns import lazy_compile
from ..urls import encode_path
from .graph import Portfolio
from .pages import Page

FEED_SIZE = 50  # the newest projects in feed.xml


# xml.sax.saxutils' escape and quoteattr, which cost an edit build 15 ms of
# imports (urllib.request, http.client, ssl, email) for two small functions.
# Characters XML 1.0 does not allow at all: one of them makes a feed unreadable.
_NOT_XML = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("", text), quote=False)


def quoteattr(text: str) -> str:
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'


def sitemap(portfolio: Portfolio, pages: list[Page]) -> str | None:
    base = portfolio.config.base_url
    if base is None:
        return None
    dates = {p.url: p.date for p in portfolio.projects}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']  # fmt: skip
    for page in sorted(pages, key=lambda p: p.url):
        if page.url.endswith(".html"):
            continue
        entry = f"  <url><loc>{escape(base + encode_path(page.url))}</loc>"
        if page.url in dates:
            entry += f"<lastmod>{dates[page.url].isoformat()}</lastmod>"
        lines.append(entry + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(portfolio: Portfolio) -> str:
    # With noindex, crawlers must still be allowed to fetch pages to see the
    # robots meta tag, so robots.txt never disallows anything.
    lines = ["User-agent: *", "Allow: /"]
    if portfolio.config.base_url and not portfolio.config.privacy.noindex:
        lines.append(f"Sitemap: {portfolio.config.base_url}sitemap.xml")
    return "\n".join(lines) + "\n"


def feed(portfolio: Portfolio, bodies: dict[str, str]) -> str | None:
    """An Atom feed of the projects; ``bodies`` maps a project URL to its HTML."""
    config = portfolio.config
    base = config.base_url
    if base is None:
        return None
    projects = portfolio.projects[:FEED_SIZE]
    updated = projects[0].date.isoformat() if projects else "1970-01-01"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <title>{escape(config.title)}</title>",
        f"  <id>{escape(base)}</id>",
        f"  <link href={quoteattr(base)}/>",
        f'  <link rel="self" href={quoteattr(base + "feed.xml")}/>',
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{escape(config.learner.name)}</name></author>",
        f'  <generator version="{__version__}">portfolio-gen</generator>',
    ]
    for project in projects:
        url = base + encode_path(project.url)
        out += [
            "  <entry>",
            f"    <title>{escape(project.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f"    <link href={quoteattr(url)}/>",
            f"    <updated>{project.date.isoformat()}T00:00:00Z</updated>",
            f"    <summary>{escape(project.summary)}</summary>",
        ]
        for interest in project.interests:
            out.append(f"    <category term={quoteattr(interest)}/>")
        if project.url in bodies:
            out.append(
                f'    <content type="html" xml:base={quoteattr(url)}>{escape(bodies[project.url])}</content>'
            )
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"
