"""Relative links in content files: what they point at, and where pages are published.

Resolved from paths alone (no file is read). Kept apart from the Markdown
renderer because every build needs ``LinkTarget`` (read records hold them,
also when they come from the cache), and only a source read again needs
the Markdown engine (cmark-gfm).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..lazy_dataclass import dataclass
from ..paths import published_name
from ..patterns import lazy_compile
from ..validate import slugify


@dataclass(frozen=True)
class LinkTarget:
    """What a relative link in a source file points at."""

    kind: str  # "project" (key: slug), "page" (key: site URL), "file" (key: content path)
    key: str
    url: str  # the site URL (relative to the site root) it resolves to
    raw: str  # as written by the learner
    line: int | None


def project_slug(content_path: str) -> str | None:
    """``projects/robot-arm/index.md`` or ``projects/robot-arm.md`` -> ``robot-arm``."""
    parts = content_path.split("/")
    if len(parts) == 2 and parts[0] == "projects" and parts[1].endswith(".md"):
        return slugify(parts[1][:-3])
    if len(parts) >= 2 and parts[0] == "projects" and parts[1]:
        return slugify(parts[1])
    return None


def site_url_for(content_path: str, web_pages: bool = False) -> str:
    """The site URL a content file is published at (pages end with '/').

    A web page in a bundle is published as text (paths.py) unless ``web_pages``
    (``publish_html: true`` in portfolio.yml)."""
    name = (lambda rel: rel) if web_pages else published_name
    if content_path == "about.md":
        return "about/"
    parts = content_path.split("/")
    if parts[0] == "projects" and len(parts) >= 2:
        slug = project_slug(content_path)
        if len(parts) == 2 and parts[1].endswith(".md") or parts[2:] == ["index.md"]:
            return f"projects/{slug}/"
        if len(parts) > 2:  # a file inside a bundle (a web page only as text: paths.py)
            return f"projects/{slug}/" + name("/".join(parts[2:]))
    return name(content_path)


# www.anything, or a host name with a common top-level domain followed by a path
# (github.com/maya): no portfolio has a folder named like that.
_WEB_ADDRESS = re.compile(
    r"www\.[^/]+\.[^/]+(/|$)|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|edu|gov|io|dev|app)/",
    re.IGNORECASE,
)


def resolve_target(
    source: str, raw: str, line: int | None, web_pages: bool = False
) -> LinkTarget | str:
    """Resolve a relative link written in content file ``source``.

    Returns a LinkTarget, or an error message when the link can never work.
    """
    path = unquote(urlsplit(raw).path)
    if _WEB_ADDRESS.match(path):  # [Google](www.google.com): a relative path to browsers
        return f"looks like a web address; write https://{raw}"
    if path.startswith("/"):
        return "starts with '/', which breaks under a sub-path; write a relative path like '../other-project/'"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".":
        joined = ""
    if joined.startswith("../badges/") and joined.count("/") == 2:
        stem = posixpath.splitext(joined.split("/")[2])[0]
        return LinkTarget("badge", slugify(stem), f"badges/{slugify(stem)}/", raw, line)
    if joined == ".." or joined.startswith("../"):
        return "points outside content/; only files inside the portfolio's content/ can be linked"
    folder = path.endswith("/") or not posixpath.splitext(joined)[1]
    if joined in ("", "projects", "projects/index.md"):
        url = "" if joined == "" else "projects/"
        return LinkTarget("page", url, url, raw, line)
    if joined in ("about", "about.md"):
        return LinkTarget("page", "about/", "about/", raw, line)
    parts = joined.split("/")
    if parts[0] == "projects" and (
        (len(parts) == 2 and (folder or parts[1].endswith(".md")))
        or (len(parts) == 3 and parts[2] == "index.md")
    ):
        slug = project_slug(joined)
        assert slug is not None
        return LinkTarget("project", slug, f"projects/{slug}/", raw, line)
    if joined.endswith(".md"):
        return "is a Markdown file that is not published; link to a project or about.md"
    return LinkTarget("file", joined, site_url_for(joined, web_pages), raw, line)


# ---------------------------------------------------------------- URLs as browsers read them

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SPECIAL = {"http", "https", "ws", "wss", "ftp", "file"}
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


def browser_url(value: str) -> str:
    """``value`` as a browser reads it (the WHATWG URL standard): leading and trailing
    C0 controls and spaces stripped, tabs and newlines removed anywhere, a backslash
    read as a slash in special URLs (and relative ones, on an http(s) page), and
    ``https:host``, ``https:/host`` or ``https:\\\\host`` made ``https://host``."""
    url = value.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    match = SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if match and scheme not in _SPECIAL:
        return scheme + url[match.end(1) :]
    rest = url[match.end() :] if match else url
    end = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    rest = rest[:end].replace("\\", "/") + rest[end:]
    if not match:
        return rest
    if scheme == "file":
        return "file:" + rest
    return f"{scheme}://" + rest.lstrip("/")


def external(url: str) -> bool:
    """A URL (as ``browser_url`` returns it) that is not a path on this site."""
    return bool(SCHEME.match(url)) or url.startswith("//")


_DESCRIPTOR = lazy_compile(r"(?:\d+w|\d+(?:\.\d+)?x)?")


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """The (URL, descriptor) pairs of a ``srcset`` as a browser keeps them: a URL up
    to whitespace, then at most one width or density; a candidate with anything
    else is dropped, as browsers drop it."""
    found = []
    for candidate in value.split(","):
        words = candidate.split()
        if (
            words
            and len(words) <= 2
            and _DESCRIPTOR.fullmatch(words[-1] if len(words) == 2 else "")
        ):
            found.append((words[0], words[1] if len(words) == 2 else ""))
    return found
