"""Markdown -> safe HTML, with GitHub-style extras and link resolution.

One ``MarkdownRenderer`` per process: Python-Markdown with tables, fenced code
(Pygments CSS classes), footnotes, task lists, heading anchors and smart
typography; then an allow-list sanitizer (nh3) whose attribute hook resolves
every ``href`` and ``src`` against the portfolio's source tree. Links are
resolved from paths alone, so rendering one file never reads another; the link
stage checks later that each target exists.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension

# Instances, not names: naming an extension makes Python-Markdown scan the
# installed packages' entry points, 40 ms per process.
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from ..site.media import attributes, embed_for
from ..urls import relative_url
from ..validate import slugify
from . import fences, inline, stages
from .links import LinkTarget, project_slug, resolve_target, site_url_for  # noqa: F401 - also named here
from .typography import TypographyExtension

# ---------------------------------------------------------------- rendering


@dataclass
class Rendered:
    html: str
    summary: str = ""
    links: list[LinkTarget] = field(default_factory=list)
    images: list[LinkTarget] = field(default_factory=list)
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # line, severity, msg
    sources: dict[str, LinkTarget] = field(default_factory=dict)  # an <img> src in html -> target
    code_html: dict[str, str] = field(default_factory=dict)  # fenced block -> HTML (fences.py)


_LINK_PATTERNS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)"),  # [text](target) and ![alt](target)
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M),  # [ref]: target
    # raw HTML (from "<": searching for the attribute names alone was 4% of reading)
    re.compile(r"""<[^<>]*?\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE),
)
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_NEWLINE = re.compile(r"\n")
_IMG_ALT = re.compile(r"!\[\s*\]\(\s*<?([^)\s>]+)")
_EXTERNAL_IMG = re.compile(r'<img\b[^>]*?\ssrc="(?:https?:)?//[^"]*"(?:[^>"]|"[^"]*")*>', re.I)
_PLAYERS = {"video", "audio", "source", "track"}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)

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
_URL_ATTRIBUTES = {"href", "src", "poster", "cite"}


class _State:
    """Per-document state shared by the tree processors and the sanitizer hook."""

    def __init__(self) -> None:
        self.source = ""
        self.page_url = ""
        self.lines: dict[str, int] = {}
        self.result = Rendered("")
        self.image_hosts: frozenset[str] = frozenset()  # allow_images_from

    def allowed(self, src: str) -> bool:
        """An https image on a host the portfolio allows (``allow_images_from``)."""
        parts = urlsplit(src.strip())
        return parts.scheme == "https" and (parts.hostname or "") in self.image_hosts


class _Treeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in _HEADINGS]
        if any(el.tag == "h1" for el in headings):  # the page title is the only h1
            for el in headings:
                if el.tag != "h6":
                    el.tag = f"h{int(el.tag[1]) + 1}"
        _anchor_headings(el for el in headings if el.tag != "h1")
        for li in root.iter("li"):
            _task_item(li)
        _wrap_reflection(root)
        if any(_EXTERNAL.match(img.get("src", "")) for img in root.iter("img")):
            self._external_images(root)
        for p in root.iter("p"):
            text = "".join(p.itertext()).strip()
            if text:
                self.state.result.summary = re.sub(r"\s+", " ", text)
                break

    def _external_images(self, root: etree.Element) -> None:
        """Images on other hosts become links, except embeds and allowed hosts."""
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                src = child.get("src", "")
                if (
                    child.tag == "img"
                    and _EXTERNAL.match(src)
                    and embed_for(src) is None
                    and not self.state.allowed(src)
                ):
                    parent[index] = _external_image(child, self.state)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_REFLECTION = re.compile(r"^\s*(what i learned|what i learnt|reflection)\s*[#:]?\s*$", re.I)


def _wrap_reflection(root: etree.Element) -> None:
    """Put a 'What I learned' section (heading to the end) in <section class="reflection">."""
    children = list(root)
    for index, child in enumerate(children):
        if child.tag in ("h2", "h3") and _REFLECTION.match("".join(child.itertext())):
            section = etree.Element("section", {"class": "reflection"})
            for moved in children[index:]:
                if moved.tag == "div" and moved.get("class") == "footnote":
                    break
                root.remove(moved)
                section.append(moved)
            root.insert(index, section)
            return


def _anchor_headings(headings: Iterable[etree.Element]) -> None:
    """Give every heading an id and a "#" link to itself (what the toc extension
    did, at a fifth of the cost: its per-heading bookkeeping was a quarter of
    the Markdown time)."""
    seen: set[str] = set()
    for heading in headings:
        base = (
            slugify("".join(heading.itertext()))
            if "id" not in heading.attrib
            else heading.get("id", "")
        )
        ident, n = base, 0
        while ident in seen:
            n += 1
            ident = f"{base}_{n}"
        seen.add(ident)
        heading.set("id", ident)
        link = etree.SubElement(
            heading,
            "a",
            {"class": "headerlink", "href": f"#{ident}", "title": "Link to this section"},
        )
        link.text = "#"


def _task_item(li: etree.Element) -> None:
    holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
    match = re.match(r"^\[([ xX])\]\s+", holder.text or "")
    if not match:
        return
    li.set("class", "task")
    label = etree.Element("label")
    box = etree.SubElement(label, "input", {"type": "checkbox", "disabled": "disabled"})
    if match.group(1) in "xX":
        box.set("checked", "checked")
    box.tail = " " + holder.text[match.end() :]
    holder.text = None
    for child in list(holder):
        holder.remove(child)
        label.append(child)
    holder.insert(0, label)


def _external_image(img: etree.Element, state: _State) -> etree.Element:
    src = img.get("src", "")
    state.result.problems.append(
        (
            state.lines.get(src),
            "warning",
            f"image {src} is on another host and is shown as a link (the site loads nothing "
            "from other hosts); save it in the project folder to show it",
        )
    )
    link = etree.Element("a", {"href": src, "class": "external-image"})
    link.text = f"{img.get('alt') or 'image'} (external image)"
    link.tail = img.tail
    return link


class _Extras(Extension):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_Treeprocessor(md, self.state), "portfolio", 1)


def _block_level(md: markdown.Markdown) -> Callable[[object], bool]:
    """``Markdown.is_block_level``, by a dict lookup per tag: it lowercases the tag and
    scans a list of 60 names, 140 times a page (mostly to add line breaks)."""
    names = frozenset(md.block_level_elements)
    known: dict[object, bool] = {}

    def is_block_level(tag: object) -> bool:
        found = known.get(tag)
        if found is None:
            found = isinstance(tag, str) and tag.lower().rstrip("/") in names
            if len(known) < 256:  # raw HTML may name any tag: keep a bound
                known[tag] = found
        return found

    return is_block_level


_formatters: dict[str, object] = {}


def _formatter(lang_str: str = "", **options: object) -> object:
    """Pygments' HTML formatter for these options, made once: making one works out
    its stylesheet, a sixth of the time of highlighting a block. (It ignores the
    language name Python-Markdown passes.)"""
    key = repr(sorted(options.items()))
    found = _formatters.get(key)
    if found is None:
        from pygments.formatters.html import HtmlFormatter

        found = _formatters[key] = HtmlFormatter(**options)
    return found


class MarkdownRenderer:
    """Render Markdown source files of one portfolio; reuse one instance per process."""

    def __init__(self, allow_raw_html: bool = False, image_hosts: tuple[str, ...] = ()) -> None:
        self.state = _State()
        self.state.image_hosts = frozenset(image_hosts)
        self.md = markdown.Markdown(
            extensions=[
                TableExtension(),
                FencedCodeExtension(),
                CodeHiliteExtension(
                    css_class="highlight", guess_lang=False, pygments_formatter=_formatter
                ),
                FootnoteExtension(BACKLINK_TITLE="Back to reference %d"),
                TypographyExtension(),
                SaneListExtension(),
                _Extras(self.state),
            ],
            output_format="html",
        )
        inline.install(self.md)
        stages.install(self.md)
        self.md.is_block_level = _block_level(self.md)  # type: ignore[method-assign]
        self.fences = fences.install(self.md)
        tags, attributes = set(_TAGS), {k: set(v) for k, v in _ATTRIBUTES.items()}
        if allow_raw_html:
            tags |= {"iframe", "style"}
            attributes["*"] |= {"style"}
            attributes["iframe"] = {"src", "width", "height", "title", "allow", "allowfullscreen"}
        self.cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags={"script", "style"} - tags,
            attributes=attributes,
            attribute_filter=self._filter,
            url_schemes={"http", "https", "mailto", "data"},
            link_rel=None,
        )

    def render(
        self, text: str, source: str, line_offset: int = 0, code: Mapping[str, str] | None = None
    ) -> Rendered:
        """Render ``text`` from content file ``source`` (posix path relative to content/).

        ``code`` is the HTML of code blocks from an earlier read (``Rendered.code_html``).
        """
        # Text decoded from files never holds lone surrogates, but text from elsewhere
        # may; the sanitizer cannot encode them, so they become U+FFFD.
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        state = self.state
        state.source, state.page_url = source, site_url_for(source)
        state.result = Rendered("")
        state.lines = {}
        # One pass of each pattern over the whole text (not per line): the line of
        # a match comes from the offsets where lines start.
        starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

        def line_of(offset: int) -> int:
            return bisect.bisect_right(starts, offset) + line_offset

        found = sorted(
            (m.start(1), m.group(1)) for pattern in _LINK_PATTERNS for m in pattern.finditer(text)
        )
        for offset, target in found:
            state.lines.setdefault(target, line_of(offset))
        for match in _IMG_ALT.finditer(text):
            target = match.group(1)
            message = (
                f"embed {target} has no title; write what it shows in ![...]"
                if embed_for(target)
                else f"image {target} has no alt text; describe it in ![...]"
            )
            state.result.problems.append((line_of(match.start()), "warning", message))
        self.md.reset()
        if self.fences is not None:
            self.fences.known, self.fences.used = code or {}, {}
        html = self.md.convert(text)
        if self.fences is not None:
            state.result.code_html = self.fences.used
        state.result.html = _EXTERNAL_IMG.sub(self._external_img, self.cleaner.clean(html))
        return state.result

    def _external_img(self, match: re.Match[str]) -> str:
        """After sanitizing: an embed for a known address; any other image on another
        host (raw HTML) becomes a link, so pages load nothing from other hosts."""
        attrs = attributes(match.group(0))
        src = attrs.get("src", "")
        embed = embed_for(src)
        if embed is not None:
            return embed.html(attrs.get("alt", ""))
        if self.state.allowed(src):
            return match.group(0)
        link = etree.Element("img", {"src": src, "alt": attrs.get("alt", "")})
        anchor = _external_image(link, self.state)
        return f'<a href="{escape(src)}" class="external-image">{escape(anchor.text or "")}</a>'

    def _filter(self, element: str, attribute: str, value: str) -> str | None:
        if attribute not in _URL_ATTRIBUTES:
            return value
        if (element in _PLAYERS or attribute == "poster") and _EXTERNAL.match(value.strip()):
            self.state.result.problems.append(
                (
                    self.state.lines.get(value),
                    "warning",
                    f"{element} {value} is on another host and is left out (the site loads "
                    "nothing from other hosts); save the file in the project folder, or link to it",
                )
            )
            return None
        return self.resolve(element, value)

    def resolve(self, element: str, value: str) -> str | None:
        """Map a URL written in the source to the URL written into the page."""
        state = self.state
        value = value.strip()
        if not value or value.startswith("#"):
            return value
        if value.lower().startswith("data:"):
            return value if element == "img" and _DATA_IMAGE.match(value) else None
        if _EXTERNAL.match(value):
            return value
        line = state.lines.get(value)
        target = resolve_target(state.source, value, line)
        if isinstance(target, str):
            state.result.problems.append((line, "error", f"link {value} {target}"))
            return None
        (state.result.images if element == "img" else state.result.links).append(target)
        parts = urlsplit(value)
        suffix = ("?" + parts.query if parts.query else "") + (
            "#" + parts.fragment if parts.fragment else ""
        )
        resolved = relative_url(state.page_url, target.url) + suffix
        if element == "img":
            state.result.sources[resolved] = target
        return resolved


Render = Callable[[str, str, int], Rendered]
