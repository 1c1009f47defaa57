"""Markdown -> safe HTML: GitHub Flavored Markdown, sanitized, with links resolved.

1. cmark-gfm (``cmarkgfm``, GitHub's own parser) turns the text into HTML as
   GitHub does: tables, task lists, strikethrough, autolinks, footnotes, smart
   punctuation, and ``data-sourcepos`` (the source lines) on every block. It
   works in linear time, whatever the input.
2. nh3 sanitizes all of it, raw HTML included, with the allow-list below;
   HTML that is all cmark-gfm's own (no raw HTML, cmark.py) takes a shortcut
   that writes what nh3 would (trusted.py).
3. One pass over the sanitized tags (``_Pass``) does the rest: links and
   images resolved against the portfolio's source tree (the line of a problem
   from the block's source position), images and media from other hosts turned
   into links or left out (URLs read as browsers read them, ``browser_url``),
   heading anchors with GitHub's slugs, Pygments highlighting, alerts
   (``> [!NOTE]``), emoji shortcodes, math to MathML, the "What I learned"
   section and the summary (the first paragraph's text). What needs none of
   this (most paragraphs, lists, tables and headings) is written in one step
   each (plain.py); the URL reading is in links.py, GitHub's extras in gfm.py.

What this pass adds is not sanitized again: it writes only escaped text and
URLs it checked. Links are resolved from paths alone, so rendering one file
never reads another; the link stage checks later that each target exists.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import field
from urllib.parse import unquote, urlsplit

import nh3
from cmarkgfm.cmark import Options

from ..escaping import escape, unescape
from ..lazy_dataclass import dataclass
from ..media.reading import embed_for
from ..patterns import lazy_compile
from ..urls import relative_url
from . import cmark, fences, nesting
from .alerts import ALERTS, HEADING_LINK, RENDERER_STRINGS
from .gfm import (
    ALERT,
    DISPLAY_MATH,
    EMOJI,
    INLINE_MATH,
    MAX_FORMULAS,
    MAX_TABLE_CELLS,
    emoji,
    github_slug,
    mathml,
    table_cells,
)
from .links import (  # noqa: F401 - LinkTarget, project_slug and resolve_target also named here
    SCHEME,
    LinkTarget,
    browser_url,
    external,
    project_slug,
    resolve_target,
    site_url_for,
    srcset_candidates,
)
from .plain import LEAF, LEAVES, PLAIN_BLOCKS, PLAIN_HEADING, SOURCEPOS, Shortcuts, attributes


@dataclass
class Rendered:
    """One Markdown text rendered: its HTML, summary, links and images, and problems."""

    html: str
    summary: str = ""
    links: list[LinkTarget] = field(default_factory=list)
    images: list[LinkTarget] = field(default_factory=list)
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # line, severity, msg
    sources: dict[str, LinkTarget] = field(default_factory=dict)  # an <img> src in html -> target
    code_html: dict[str, str] = field(default_factory=dict)  # code block -> HTML (fences.py)


_OPTIONS = (
    Options.CMARK_OPT_SOURCEPOS
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_SMART
    | Options.CMARK_OPT_GITHUB_PRE_LANG
    | Options.CMARK_OPT_UNSAFE  # raw HTML is kept for nh3, which sanitizes everything
)
_EXTENSIONS = ("table", "autolink", "strikethrough", "tasklist")


# More '>' at the start of a line than the nesting limit (nesting.py) keeps: the
# rest would only cost cmark-gfm memory (a 1 MB line of them, about 1 GB).
_DEEP_QUOTES = lazy_compile(rf"^((?:[ \t]*>){{{nesting.MAX_DEPTH}}})(?:[ \t]*>)+", re.MULTILINE)


_LINK_PATTERNS = (  # each with what a text holds if the pattern can match in it
    ("](", re.compile(r"\]\(\s*<?([^)\s>]+)")),  # [text](target) and ![alt](target)
    ("]:", re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)")),  # [ref]: target (first line)
    ("]:", re.compile(r"\n[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)")),  # (the others)
    (
        "<",
        lazy_compile(r"""<[^<>]*?\b(?:href|src|poster)\s*=\s*["']?([^"'\s>]+)""", re.I),
    ),  # raw HTML (rare): compiled on first use
)
_NEWLINE = re.compile(r"\n")
_IMG_ALT = lazy_compile(r"!\[\s*\]\(\s*<?([^)\s>]+)")
_DATA_IMAGE = lazy_compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
# C0 controls other than tab, newline, form feed and carriage return: never written out.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The same as bytes: each is one byte in UTF-8, and no byte of a longer character is
# below 0x80, so a text holds one of them if and only if its UTF-8 does.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])

_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym"}
_TAGS |= {"input", "label", "video", "audio", "source", "track", "picture", "section"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "input": {"type", "checked", "disabled"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "muted", "loop"},
    "audio": {"src", "controls", "preload", "loop"},
    "source": {"src", "type", "srcset", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
# Every attribute that makes a browser fetch or follow a URL (most are never let
# through by the allow-list; checked all the same).
_URL_ATTRIBUTES = {"href", "src", "poster", "cite", "srcset", "background", "xlink:href"}
_PLAYERS = {"video", "audio", "source", "track"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "math"}  # no emoji or math inside
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Tags whose opening does more than take its place on the stack (``_Pass.open``).
_OPENING = _HEADINGS | {"p", "li", "input", "blockquote", "section", "pre"}
_BLOCKS = _HEADINGS | {"p", "ul", "ol", "li", "div", "blockquote", "pre", "table", "section",
                       "figure", "hr", "dl"}  # fmt: skip
# What Python-Markdown made a heading and GitHub does not ("#Title", not "#1" or "#tag1").
_NO_SPACE_HEADING = lazy_compile(r"^ {0,3}#{1,6}[^\W\d_][^\n#]*\s[^\n#]*$")
_REFLECTION = re.compile(r"^\s*(what i learned|what i learnt|reflection)\s*[#:]?\s*$", re.I)

# A tag as nh3 writes it: attribute values always double-quoted.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>"]*(?:"[^"]*"[^>"]*)*)>')
_URL_VALUE = lazy_compile(  # only for raw HTML (_may_hide_schemes): compiled on first use
    # values bounded: an unclosed quote must not make every match scan to the end; the
    # lookahead (a first letter, any case) only saves trying each name at each space
    r"""\s(?=[hspcbx])(?:href|src|poster|srcset|cite|background|xlink:href)\s*=\s*"""
    r"""(?:"([^"]{0,400})"|'([^']{0,400})'|([^\s"'>]{1,400}))""",
    re.I,
)
_SCHEMES = frozenset({"http", "https", "mailto", "data"})  # the sanitizer's allow-list
# Pages a renderer sends to nh3 before it takes the shortcut (trusted.py), whose set-up
# (its patterns compiled, the probe: ~1.5 ms) a build of one page would not win back.
SHORTCUT_AFTER = 16


def has_control(text: str) -> bool:
    """Whether ``text`` (no lone surrogates) holds a character of ``_CONTROL``: its UTF-8
    loses bytes when those are deleted (~2 us for a corpus page, a scan with the
    pattern ~13 us)."""
    data = text.encode("utf-8")
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def _may_hide_schemes(text: str, html: str, own: bool) -> bool:
    """Whether ``html`` may hold a URL that hides its scheme (``_Pass.hidden_schemes``,
    ~60 us a page): raw HTML (a '<' in the text) may. cmark-gfm's own HTML (cmark.py)
    cannot but in single quotes: it writes '"' as "&quot;" but in its attributes,
    whose URLs it percent-encodes, and text holds no whitespace an unquoted value
    could keep, nor an entity but &amp;, &lt;, &gt;, &quot;."""
    return "<" in text and (not own or "'" in html)


# ---------------------------------------------------------------- the renderer


class MarkdownRenderer:
    """Render Markdown source files of one portfolio; reuse one instance per process."""

    def __init__(
        self,
        allow_raw_html: bool = False,
        image_hosts: tuple[str, ...] = (),
        publish_html: bool = False,
        alert_titles: tuple[str, ...] = (),
    ) -> None:
        self.image_hosts = frozenset(image_hosts)
        self.publish_html = publish_html  # web pages in a bundle linked as pages, not text
        # The alerts' titles in the site's language (in the order of ALERTS), else English.
        # (then the heading link's title)
        titles: tuple[str, ...] = alert_titles or RENDERER_STRINGS
        self.alert_titles = dict(zip(ALERTS, titles[: len(ALERTS)], strict=True))
        self.heading_link = titles[len(ALERTS)] if len(titles) > len(ALERTS) else HEADING_LINK
        self.heading_title = escape(self.heading_link)  # written on every heading's link
        tags, attributes = set(_TAGS), {k: set(v) for k, v in _ATTRIBUTES.items()}
        if allow_raw_html:
            tags |= {"iframe", "style"}
            attributes["*"] |= {"style"}
            attributes["iframe"] = {"src", "width", "height", "title", "allow", "allowfullscreen"}
        attributes["*"] = attributes["*"] | {"data-sourcepos"}  # read by _Pass, then removed
        self.cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags={"script", "style"} - tags,
            attributes=attributes,
            url_schemes=set(_SCHEMES),
            link_rel=None,
        )
        self.trusted: bool | None = None  # the shortcut agrees with nh3 (``shortcut``)
        self.rendered = 0

    def render(
        self, text: str, source: str, line_offset: int = 0, code: Mapping[str, str] | None = None
    ) -> Rendered:
        """Render ``text`` from content file ``source`` (posix path relative to content/).

        ``code`` is the HTML of code blocks from an earlier read (``Rendered.code_html``).
        """
        # Text decoded from files never holds lone surrogates, but text from elsewhere
        # may; the sanitizer cannot encode them, so they become U+FFFD, as do controls.
        if not text.isascii():
            text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        if has_control(text):
            text = _CONTROL.sub("\ufffd", text)
        page = self.page = _Pass(self, text, source, line_offset, code or {})
        deep = 0
        if ">>" in text or "> >" in text:
            text, deep = _DEEP_QUOTES.subn(r"\1", text)
        extensions: tuple[str, ...] = _EXTENSIONS
        # Each line adds at most twice its table's columns, one more than the text's '|'s.
        if (
            2 * len(text.splitlines()) * (text.count("|") + 1) > MAX_TABLE_CELLS
            and table_cells(text) > MAX_TABLE_CELLS
        ):
            extensions = tuple(e for e in _EXTENSIONS if e != "table")
            page.warn(
                None,
                f"the tables would have more than {MAX_TABLE_CELLS:,} cells; they are shown "
                "as text (split them into smaller tables)",
            )
        html, own = cmark.to_html(text, _OPTIONS, extensions)
        if _may_hide_schemes(text, html, own):
            page.hidden_schemes(html)
        html, flattened = nesting.flatten(html, raw="<" in text)
        if flattened or deep:
            page.warn(
                None,
                f"blocks or tags are nested more than {nesting.MAX_DEPTH} levels deep; "
                "the deeper levels are shown flattened",
            )
        self.rendered += 1
        clean = None
        settled = self.trusted or self.rendered > SHORTCUT_AFTER  # (trusted: set before a fork)
        if own and not flattened and settled and self.shortcut():
            from .trusted import sanitized

            clean = sanitized(html, _SCHEMES)
        page.result.html = page.run(self.cleaner.clean(html) if clean is None else clean)
        return page.result

    def shortcut(self) -> bool:
        """Whether cmark-gfm's own HTML may skip nh3 (trusted.py): its writing and
        nh3's compared on a probe page, the first time this is asked."""
        if self.trusted is None:
            from .trusted import agrees

            self.trusted = agrees(self.cleaner.clean, _SCHEMES, _OPTIONS)
        return self.trusted

    def allowed(self, src: str) -> bool:
        """An https image on a host the portfolio allows (``allow_images_from``)."""
        try:
            parts = urlsplit(src)
            return parts.scheme == "https" and (parts.hostname or "") in self.image_hosts
        except ValueError:
            return False


class _Pass(Shortcuts):
    """One pass over the tags of one sanitized document (see the module's docstring)."""

    fast = True  # the shortcuts of ``run`` (tests turn them off to compare)

    def __init__(
        self, md: MarkdownRenderer, text: str, source: str, offset: int, code: Mapping[str, str]
    ) -> None:
        self.md, self.source, self.offset, self.code = md, source, offset, code
        self.page_url = site_url_for(source)
        self.result = Rendered("")
        self.problems = self.result.problems
        self.source_text = text
        self.starts = starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.found: dict[str, list[int]] | None = None  # ``lines``, once a link asks for it
        for match in _IMG_ALT.finditer(text) if "![" in text else ():
            target = match.group(1)
            message = (
                f"embed {target} has no title; write what it shows in ![...]"
                if embed_for(target)
                else f"image {target} has no alt text; describe it in ![...]"
            )
            self.warn(bisect.bisect_right(starts, match.start()), message)
        self.out: list[str] = []
        self.stack: list[tuple[str, int, int, str]] = []  # open tags: name, lines, closing tag
        self.opened: dict[str, int] = {}  # how many of each name are in the stack
        self.verbatim = 0  # open tags whose text is kept as it is (code, pre...)
        self.capture: list[str] | None = None  # text of the heading or paragraph being read
        self.heading: tuple[int, str, str, dict[str, str]] | None = None
        self.slugs: dict[str, int] = {}
        self.summary_at: int | None = None  # where the first paragraph starts, while read
        self.reflection = False  # a "What I learned" section is open
        self.alert_next = False  # the next <p> may start an alert
        self.task_item: int | None = None  # where the last <li> is in out, until its text
        self.formulas = 0
        self.label: int | None = None  # the depth of the open <label> of a task item
        self.label_at = 0  # where it is in out
        self.moved_label: list[str] | None = None  # label and checkbox, to go into a <p>

    # -------------------------------------------------------------- driving

    def run(self, html: str) -> str:
        """The document with this pass's changes. Most tags need no more than their place
        on the stack: those are read without parsing their attributes (``SOURCEPOS``),
        and a paragraph, item or cell of text alone in one step (``leaf``); every other
        tag, and every tag while an alert, a heading, the summary or a task item's label
        is being read, takes the general way (``open``, ``close``, ``text``)."""
        self.shift = "<h1" in html  # the page title is the only h1: headings move down
        out, stack, opened, pos, fast = self.out, self.stack, self.opened, 0, self.fast
        while match := _TAG.search(html, pos):
            start = match.start()
            if start > pos:
                text = html[pos:start]
                if (
                    not fast
                    or self.alert_next
                    or self.capture is not None
                    or not self.verbatim
                    and ("$" in text or ":" in text)
                ):
                    self.text(text)
                else:
                    if self.task_item is not None and text.strip():
                        self.task_item = None
                    out.append(text)
            closing, name, attrs = match.groups()
            pos = match.end()
            if closing:
                if (
                    fast
                    and stack
                    and stack[-1][0] == name
                    and name not in _HEADINGS
                    and self.label != len(stack)
                    and (name != "p" or self.summary_at is None)
                ):
                    opened[name] -= 1
                    self.verbatim -= name in _VERBATIM
                    out.append(stack.pop()[3])
                else:
                    self.close(name.lower())
                continue
            first = last = 0
            if fast and self.label is None and self.capture is None and not self.alert_next:
                # (no heading is open either: its text would be captured)
                if name in LEAVES and (leaf := LEAF.match(html, start)):
                    pos = self.leaf(html, leaf)
                    continue
                if (
                    not stack
                    and name in PLAIN_BLOCKS
                    and (end := self.plain_block(html, start, name, attrs))
                ):
                    pos = end
                    continue
                if name in _HEADINGS and (heading := PLAIN_HEADING.match(html, start)):
                    pos = self.plain_heading(html, heading)
                    continue
            found = SOURCEPOS.fullmatch(attrs) if attrs else None
            if fast and (not attrs or found) and self.label is None:
                if name not in _OPENING:
                    if found:
                        first, last = int(found.group(1)), int(found.group(2))
                    self.alert_next = False
                    if name not in _VOID:
                        stack.append((name, first, last, f"</{name}>"))
                        opened[name] = opened.get(name, 0) + 1
                        self.verbatim += name in _VERBATIM
                    out.append(f"<{name}>")
                    continue
            name = name.lower()
            if "data-sourcepos" in attrs and (found := SOURCEPOS.search(attrs)):
                first, last = int(found.group(1)), int(found.group(2))
                if name == "pre":
                    end = html.find("</pre>", pos)
                    if end >= 0 and self.code_block(attributes(attrs), html[pos:end], first):
                        pos = end + len("</pre>")
                        continue
                attrs = attrs[: found.start()] + attrs[found.end() :]
            self.open(name, attributes(attrs) if "=" in attrs else {}, first, last)
        if pos < len(html):
            self.text(html[pos:])
        if self.reflection:
            out.append("</section>\n")
        return "".join(out)

    def source_line(self, number: int) -> str:
        starts = self.starts
        end = starts[number] if number < len(starts) else len(self.source_text)
        return self.source_text[starts[number - 1] : end] if number <= len(starts) else ""

    def line(self) -> int | None:
        """The first source line of the innermost block being read."""
        for _, first, _, _ in reversed(self.stack):
            if first:
                return first + self.offset
        return None

    @property
    def lines(self) -> dict[str, list[int]]:
        """The lines where each link target is written: one pass of each pattern over
        the whole text; the line of a match from the offsets where lines start."""
        if self.found is None:
            self.found = {}
            text = self.source_text
            for at, target in sorted(
                (m.start(1), m.group(1))
                for needle, pattern in _LINK_PATTERNS
                if needle in text
                for m in pattern.finditer(text)
            ):
                self.found.setdefault(target, []).append(bisect.bisect_right(self.starts, at))
        return self.found

    def line_of(self, raw: str) -> int | None:
        """The line where ``raw`` (a URL as written in a tag) is written in the source:
        within the innermost block's lines if it is there, else that block's first."""
        first = last = 0
        for _, a, b, _ in reversed(self.stack):
            if a:
                first, last = a, b
                break
        for key in (raw, unquote(raw)):
            lines = self.lines.get(key)
            if lines:
                i = bisect.bisect_left(lines, first)
                if i < len(lines) and (not last or lines[i] <= last):
                    return lines[i] + self.offset
        return first + self.offset if first else None

    def hidden_schemes(self, html: str) -> None:
        """Errors for URLs in raw HTML that hide their scheme (``java&#9;script:``):
        the sanitizer removes them, without a word."""
        for match in _URL_VALUE.finditer(html):
            raw = next(g for g in match.groups() if g is not None)
            value = unescape(raw)
            scheme = SCHEME.match(browser_url(value))
            if scheme and scheme.group(1).lower() not in _SCHEMES and not SCHEME.match(value):
                at = self.source_text.find(raw)  # raw HTML is passed on as written
                self.warn(
                    bisect.bisect_right(self.starts, at) + self.offset if at >= 0 else None,
                    f"link {value} is not a web address (http, https or mailto) nor a file "
                    "in the portfolio; it is left out",
                    "error",
                )

    def warn(self, line: int | None, message: str, severity: str = "warning") -> None:
        self.problems.append((line, severity, message))

    # -------------------------------------------------------------- text

    def text(self, text: str) -> None:
        if self.alert_next and self.stack and self.stack[-1][0] == "p":
            self.alert_next = False
            text = self.alert(text)
        if not self.verbatim and ":" in text:
            text = EMOJI.sub(lambda m: emoji(m.group(1)) or m.group(0), text)
        if text.strip():
            self.task_item = None
        if self.capture is not None:
            self.capture.append(text)  # a formula's LaTeX, not its MathML
        if not self.verbatim and "$" in text:
            text = self.math(text)
        self.out.append(text)

    def math(self, text: str) -> str:
        def replace(match: re.Match[str], display: bool) -> str:
            latex = unescape(match.group(1))
            self.formulas += 1
            if self.formulas > MAX_FORMULAS:
                if self.formulas == MAX_FORMULAS + 1:
                    self.warn(
                        self.line(),
                        f"more than {MAX_FORMULAS} formulas on one page; the rest are shown as code",
                    )
                return f"<code>{match.group(0)}</code>"
            found = mathml(latex, display)
            if found is None:
                self.warn(
                    self.line(),
                    f"the formula {latex.strip()!r} is not LaTeX that converts to MathML; it is "
                    "shown as code (check its braces and commands)",
                )
                return f"<code>{match.group(0)}</code>"
            return found

        text = DISPLAY_MATH.sub(lambda m: replace(m, True), text)
        return INLINE_MATH.sub(lambda m: replace(m, False), text)

    def alert(self, text: str) -> str:
        """``> [!NOTE]`` at the start of a top-level quote: GitHub's alert markup."""
        match = ALERT.match(text)
        if not match:
            return text
        kind = match.group(1).upper()
        name, first, last, _ = self.stack[-2]
        self.stack[-2] = (name, first, last, "</div>")
        at = len(self.out) - 1
        while not self.out[at].startswith("<blockquote"):
            at -= 1
        self.out[at] = (
            f'<div class="markdown-alert markdown-alert-{kind.lower()}">'
            f'<p class="markdown-alert-title">{escape(self.md.alert_titles[kind])}</p>'
        )
        return text[match.end() :]

    # -------------------------------------------------------------- tags

    def open(self, name: str, attrs: dict[str, str], first: int, last: int) -> None:
        self.alert_next = name == "p" and self.alert_next
        if name == "blockquote" and not self.stack and first:
            self.alert_next = True
        if name in _HEADINGS and self.shift and name != "h6":
            name = f"h{int(name[1]) + 1}"
        top = not self.stack
        if name == "p" and top:
            self.no_space_heading(first)
        if name in _HEADINGS and self.heading is None:
            if top and not self.reflection and name in ("h2", "h3"):
                self.heading = (len(self.out), name, "reflection?", attrs)
            else:
                self.heading = (len(self.out), name, "", attrs)
            self.capture = []
        elif name == "p" and self.capture is None and self.result.summary == "":
            self.summary_at = len(self.out)
            self.capture = []
        if name == "section" and top and attrs.get("class") == "footnotes" and self.reflection:
            self.out.append("</section>\n")
            self.reflection = False
        if name == "li":
            self.task_item = len(self.out)
        elif name == "input" and attrs.get("type") == "checkbox" and self.task_item is not None:
            at = self.task_item
            self.out[at] = self.out[at][:-1] + ' class="task">'
            self.label_at = len(self.out)
            self.out.append("<label>")  # the item's text names its checkbox
            self.label = len(self.stack)
        elif self.label is not None and name in _BLOCKS:
            moved = self.out[self.label_at :]
            if name == "p" and not "".join(moved[2:]).strip():  # a loose item: into its <p>
                del self.out[self.label_at :]
                self.moved_label = [*moved[:2], " "]
            else:
                self.out.append("</label>")
            self.label = None
        tag = self.tag(name, attrs) if attrs else f"<{name}>"
        if name not in _VOID:
            self.stack.append((name, first, last, f"</{name}>"))
            self.opened[name] = self.opened.get(name, 0) + 1
            self.verbatim += name in _VERBATIM
        self.out.append(tag)
        if self.moved_label:
            self.label_at = len(self.out)
            self.out += self.moved_label
            self.label, self.moved_label = len(self.stack), None

    def close(self, name: str) -> None:
        if name in _HEADINGS and self.shift and name != "h6":
            name = f"h{int(name[1]) + 1}"
        if not self.opened.get(name):
            return  # nothing to close (nh3 writes none such; checked all the same)
        while self.stack:
            if self.label == len(self.stack):
                self.out.append("</label>")
                self.label = None
            opened, _, _, closing = self.stack.pop()
            self.opened[opened] -= 1
            self.verbatim -= opened in _VERBATIM
            if opened in _HEADINGS and self.heading is not None:
                self.finish_heading()
            elif opened == "p" and self.summary_at is not None:
                summary = " ".join(unescape("".join(self.capture or [])).split())
                self.capture = self.summary_at = None
                self.result.summary = summary
            self.out.append(closing)
            if opened == name:
                return

    def no_space_heading(self, first: int) -> None:
        """A warning for a top-level paragraph that starts at line ``first`` with "#Title"."""
        if (
            first
            and self.source_text.startswith(
                ("#", " "), self.starts[first - 1] if first <= len(self.starts) else 0
            )
            and _NO_SPACE_HEADING.match(self.source_line(first).rstrip())
        ):
            self.warn(
                first + self.offset,
                "a line starting with '#' and no space is text, not a heading (as on GitHub); "
                "write '# Title' with a space if it is meant as a heading",
            )

    def finish_heading(self) -> None:
        assert self.heading is not None
        at, name, role, attrs = self.heading
        text = unescape("".join(self.capture or []))
        self.heading, self.capture = None, None
        base = attrs.get("id") or github_slug(text) or "section"
        ident = base
        while ident in self.slugs:  # GitHub's: "x", "x-1", "x-2"...
            self.slugs[base] += 1
            ident = f"{base}-{self.slugs[base]}"
        self.slugs[ident] = 0
        tag = self.tag(name, {**attrs, "id": ident}) if attrs else f'<{name} id="{escape(ident)}">'

        if role and _REFLECTION.match(text):
            tag = '<section class="reflection">\n' + tag
            self.reflection = True
        self.out[at] = tag
        self.out.append(
            f'<a class="headerlink" href="#{escape(ident)}" title="{self.md.heading_title}">#</a>'
        )

    def tag(self, name: str, attrs: dict[str, str]) -> str:
        """The tag written out, its URLs resolved or left out."""
        align = attrs.pop("align", "").lower() if name in ("td", "th") else ""
        if align in ("left", "center", "right"):  # align is obsolete HTML: a class instead
            attrs["class"] = (attrs.get("class", "") + f" align-{align}").strip()
        for attribute in [a for a in attrs if a in _URL_ATTRIBUTES]:
            value = attrs[attribute]
            if attribute == "srcset":  # written again from what it resolves to
                candidates = srcset_candidates(value)
                if any(external(browser_url(u)) for u, _ in candidates):
                    self.elsewhere(name, value)
                    del attrs[attribute]
                    continue
                kept = [(self.resolve(name, u), d) for u, d in candidates]
                if kept and all(u for u, _ in kept):
                    attrs[attribute] = ", ".join(f"{u} {d}".rstrip() for u, d in kept)
                else:
                    del attrs[attribute]
                continue
            url = browser_url(value)
            if url.lower().startswith("data:"):
                if name != "img" or not _DATA_IMAGE.match(url):
                    del attrs[attribute]
                continue
            if external(url):
                if name == "img" and attribute == "src":
                    return self.external_image(url, attrs)
                if name in _PLAYERS or attribute not in ("href", "cite") and name != "iframe":
                    self.elsewhere(name, value)
                    del attrs[attribute]
                else:
                    attrs[attribute] = url
                continue
            resolved = self.resolve(name, url, value)
            if resolved is None:
                del attrs[attribute]
            else:
                attrs[attribute] = resolved
        parts = [name] + [
            f'{k}="{escape(v)}"' if v or k not in ("checked", "disabled") else k
            for k, v in attrs.items()
        ]
        return f"<{' '.join(parts)}>"

    def elsewhere(self, name: str, value: str) -> None:
        self.warn(
            self.line_of(value),
            f"{name} {value} is on another host and is left out (the site loads "
            "nothing from other hosts); save the file in the project folder, or link to it",
        )

    def external_image(self, url: str, attrs: dict[str, str]) -> str:
        """An embed for a known address; an image on an allowed host; else a link."""
        alt = attrs.get("alt", "")
        embed = embed_for(url)
        if embed is not None:
            return embed.html(alt)
        if self.md.allowed(url):
            attrs["src"] = url
            return "<img " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + ">"
        self.warn(
            self.line_of(url),
            f"image {url} is on another host and is shown as a link (the site loads nothing "
            "from other hosts); save it in the project folder to show it",
        )
        self.task_item = None
        return (
            f'<a href="{escape(url)}" class="external-image">'
            f"{escape(alt or 'image')} (external image)</a>"
        )

    def resolve(self, element: str, value: str, raw: str = "") -> str | None:
        """Map a relative URL written in the source to the URL written into the page."""
        if not value or value.startswith("#"):
            return value
        line = self.line_of(raw or value)
        target = resolve_target(self.source, value, line, self.md.publish_html)
        if isinstance(target, str):
            self.warn(line, f"link {raw or value} {target}", "error")
            return None
        (self.result.images if element == "img" else self.result.links).append(target)
        parts = urlsplit(value)
        suffix = ("?" + parts.query if parts.query else "") + (
            "#" + parts.fragment if parts.fragment else ""
        )
        resolved = relative_url(self.page_url, target.url) + suffix
        if element == "img":
            self.result.sources[resolved] = target
        return resolved

    # -------------------------------------------------------------- code

    def code_block(self, attrs: dict[str, str], inner: str, first: int) -> bool:
        """A fenced block with a language: highlighted (or MathML for ``math``)."""
        lang = attrs.get("lang", "").strip("{}").lstrip(".")
        if not lang or not inner.startswith("<code>") or not inner.endswith("</code>"):
            return False
        body = inner[len("<code>") : -len("</code>")]
        if "<" in body:
            return False
        code = unescape(body)
        line = first + self.offset
        if lang == "math":
            found = mathml(code, display=True)
            if found is None:
                self.warn(
                    line,
                    "this math block is not LaTeX that converts to MathML; it is shown as code "
                    "(check its braces and commands)",
                )
                return False
            self.out.append(found)
            return True
        html = fences.highlight(lang, code, self.code, self.result.code_html)
        if html is None:
            return False
        self.task_item = None
        self.out.append(html)
        return True


Render = Callable[[str, str, int], Rendered]
