"""Site URLs: every URL is relative to the site root ('' is the home page,
pages end with '/'), and every link written into a page is relative to that
page, so one build works at a domain root, under a sub-path and from disk.

Site URLs hold file names as they are on disk (``projects/x/ça va.png``);
``relative_url`` is the one place they become links, percent-encoded, so no
name can make a link with a scheme, a query or a fragment
(``javascript:x.png`` -> ``javascript%3Ax.png``)."""

from __future__ import annotations

import re
from urllib.parse import quote

# Kept as they are in a link: RFC 3986's unreserved characters and '/'. Everything
# else (letters of other scripts, spaces, quotes, '&', '%', '?', '#', and ':'
# which would read as a scheme) is percent-encoded as UTF-8.
_PATH_SAFE = "/-._~"
_TO_ENCODE = re.compile(r"[^A-Za-z0-9/\-._~]")


def encode_path(url: str) -> str:
    """A site URL ('projects/робот/') as it is written in a link: percent-encoded.
    Site URLs themselves are the files' real names (output_path)."""
    return quote(url, safe=_PATH_SAFE) if _TO_ENCODE.search(url) else url


def relative_url(from_url: str, to_url: str, index_html: bool = False) -> str:
    """The link from page ``from_url`` to ``to_url``, percent-encoded.

    ``index_html`` appends ``index.html`` to folder links, for sites opened
    from file:// where servers do not map folders to their index.
    """
    base = from_url.split("/")[:-1]  # the page's folder: 'a/b/' -> [a, b]; 'x.html' -> []
    folder = to_url == "" or to_url.endswith("/")
    target = to_url.rstrip("/").split("/") if to_url else []
    common = 0
    for mine, theirs in zip(base, target, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(base) - common) + target[common:]
    rel = "/".join(parts) if parts else "."
    if folder:
        rel = "./" if rel == "." else rel + "/"
        if index_html:
            rel += "index.html"
    return encode_path(rel)


def output_path(url: str) -> str:
    """The file a site URL is written to: 'projects/x/' -> 'projects/x/index.html'."""
    return url + "index.html" if url.endswith("/") or url == "" else url
