"""cmark-gfm's HTML, and what the sanitizer makes of it when it is all cmark-gfm's own.

When a Markdown source holds no raw HTML (cmark.py's ``to_html`` tells), every tag in
cmark-gfm's HTML is one it writes itself, in a few fixed forms, with its text
escaped. The sanitizer (nh3, markdown.py) then changes no more than this: the
``data-`` and ``aria-`` attributes of footnotes and the URLs it does not allow
are left out, void tags lose their " />", and what it re-escapes it writes its
own way (``&quot;`` in text, ``&#x27;``, no-break spaces). ``sanitized`` does
exactly that, in a few string passes, instead of parsing the page into a tree
and writing it again: 0.14 ms of a 0.7 ms page on the benchmark corpus.

It answers only when it is sure, None otherwise (the caller then runs nh3):
every tag must be one of cmark-gfm's forms (``_NOT_CMARK``), no link may be
inside a link (the parser would move it), and every URL
either relative, of a scheme the sanitizer removes, or of a shape whose
parsing cannot fail (``url_kept``). ``agrees`` compares both ways on a page
of every form before a renderer first takes the shortcut (after its first 16
pages: markdown.py), so a sanitizer that writes otherwise (another nh3) turns
the shortcut off. tests/content/test_trusted.py compares
them on the GFM spec's examples, the corpora, hostile and generated input.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..escaping import unescape
from .cmark import to_html

_LINES = r'(?: data-sourcepos="\d+:\d+-\d+:\d+")?'
_VALUE = r'"[^"<>]*"'  # cmark-gfm escapes '"', '<' and '>' in every attribute it writes
# Every tag cmark-gfm writes (tables, task lists, strikethrough, autolinks, footnotes,
# source positions, GitHub's <pre lang>); anything else is raw HTML or unknown.
_CMARK_TAGS = (  # (the most frequent first: each '<' tries them in turn)
    r"/(?:p|li|td|tr|th|h[1-6]|ul|ol|blockquote|pre|code|em|strong|del|table|thead|tbody"
    r"|sup|section|a)>"
    r"|(?:p|li|tr|h[1-6]|ul|blockquote|table)" + _LINES + ">"
    r'|t[hd](?: align="(?:left|center|right)")?' + _LINES + ">"
    rf"|a href={_VALUE}(?: title={_VALUE})?>"
    r"|(?:code|em|strong|del|thead|tbody)>"
    r'|ol(?: start="\d+")?' + _LINES + ">"
    r"|pre" + _LINES + f"(?: lang={_VALUE})?>"
    r"|hr" + _LINES + " />|br />"
    r'|input type="checkbox"(?: checked="")? disabled="" />'
    rf"|img src={_VALUE} alt={_VALUE}(?: title={_VALUE})? />"
    rf'|a href="#fn-[^"<>]*" id={_VALUE} data-footnote-ref>'
    rf'|a href="#fnref-[^"<>]*" class="footnote-backref" data-footnote-backref'
    rf" data-footnote-backref-idx={_VALUE} aria-label={_VALUE}>"
    r'|section class="footnotes" data-footnotes>|li id="fn-[^"<>]*">|sup class="footnote-ref">'
)
_NOT_CMARK = re.compile(f"<(?!(?:{_CMARK_TAGS}))")
# A link opened inside a link (a footnote mark or an autolink in a link's text): the
# sanitizer's parser closes the outer one first.
_NESTED_LINK = re.compile(r"<a [^>]*>(?:[^<]|<(?!/?a[ >]))*<a[ >]")
# URLs (each regular expression starts with its own words: found without a try at
# each character; '"' is "&quot;" in text and values)
_URLS = (re.compile(r' href="([^"]*)"'), re.compile(r' src="([^"]*)"'))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")  # a URL's scheme, as WHATWG URLs read it
# http(s) URLs whose host no parser refuses: ASCII names (no punycode "xn--", the
# last label not a number, which would be read as an IPv4 address), a short port.
_WEB = re.compile(
    r"(?i:https?)://((?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*\.?)(?::\d{1,4})?(?:[/?#\\]|$)"
)
# What the sanitizer writes otherwise, each anywhere (none of them can be text: text
# has no '"', '<' or '>', nor "&#x27;", which only URLs hold).
_REWRITES = ((" />", ">"), ("&#x27;", "'"))
_NON_ASCII = (("\xa0", "&nbsp;"),)
_FOOTNOTE = re.compile(
    r' data-footnote(?:-ref|s|-backref data-footnote-backref-idx="[^"]*" aria-label="[^"]*")>'
)
# '"' is written as it is in text, as "&quot;" in a value (title, alt, lang)
_QUOTED_VALUE = re.compile(r'="[^"]*&quot;')
_QUOTE = re.compile(r'&quot;|(?:title|alt|lang)="[^"]*"')


def url_kept(value: str, schemes: frozenset[str]) -> bool | None:
    """Whether the sanitizer keeps a URL (``schemes`` allowed): relative URLs and
    those of an allowed scheme that parse; None when it may be either."""
    scheme = _SCHEME.match(value)
    if scheme is None:
        return True  # relative: kept as it is
    name = scheme.group(1).lower()
    if name not in schemes:
        return False
    if name in ("http", "https"):
        web = _WEB.match(value)
        return True if web and "xn--" not in web.group(1).lower() else None
    if name in ("ftp", "file", "ws", "wss"):  # (a host to parse, as for http)
        return None
    return None if value.startswith("//", scheme.end()) else True  # (no host: no error)


def sanitized(html: str, schemes: frozenset[str]) -> str | None:
    """What the sanitizer writes for ``html``, cmark-gfm's HTML all its own (the
    caller's to know: ``to_html``); None when not sure. (Each pass
    over a page costs about what a tenth of nh3 does: they are few.)"""
    if _NOT_CMARK.search(html) or ("<a " in html and _NESTED_LINK.search(html)):
        return None
    removed = []
    for pattern in _URLS:
        for match in pattern.finditer(html):
            raw = match.group(1)
            kept = url_kept(unescape(raw) if "&" in raw else raw, schemes)
            if kept is None:
                return None
            if not kept:
                removed.append(match.span())
    if removed:  # (the page cut once: a copy per refused URL was quadratic)
        kept_parts, at = [], 0
        for start, end in sorted(removed):
            kept_parts.append(html[at:start])
            at = end
        html = "".join(kept_parts) + html[at:]
    for old, new in _REWRITES:
        html = html.replace(old, new)
    if " data-footnote" in html:
        html = _FOOTNOTE.sub(">", html)
    if not html.isascii():  # (known without a pass)
        for old, new in _NON_ASCII:
            html = html.replace(old, new)
    if "&quot;" in html:
        if _QUOTED_VALUE.search(html):
            html = _QUOTE.sub(lambda m: '"' if m.group() == "&quot;" else m.group(), html)
        else:
            html = html.replace("&quot;", '"')
    return html


# A page of every form above (and what the sanitizer re-escapes), for ``agrees``.
PROBE = (
    '# T\n\nA [l](../a.md "t&quot;<x>\'") ![i "q"](p.png \'u\') www.example.com a@b.co '
    "[j](javascript:x) [d](data:text/plain,x) [h](HTTPS://x.org:8080/p?q#f) "
    '[q](/a\'b) x\xa0y & "quoted" `"c"`[^n] b[^n]  \nbreak\n\n'
    "- [x] done\n- [ ] to do\n\n3. three\n\n> q\n\n| a | b |\n|:-|-:|\n| 1 | ~~2~~ |\n\n---\n\n"
    '```py "x"\nprint("&")\n```\n\n[^n]: *note* **n**\n'
)


def agrees(clean: Callable[[str], str], schemes: frozenset[str], options: int) -> bool:
    """Whether ``sanitized`` writes what ``clean`` (the sanitizer) writes, on PROBE."""
    html, own = to_html(PROBE, options, ("table", "autolink", "strikethrough", "tasklist"))
    return own and sanitized(html, schemes) == clean(html)
