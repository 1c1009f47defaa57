"""The shortcuts of the Markdown post-pass (markdown.py ``_Pass.run``).

Most of what cmark-gfm writes needs nothing from the pass but its source lines
removed: paragraphs, lists and tables of text, headings of text. These are
written in one step each, with a few regular expressions, instead of tag by
tag; whatever does not fit exactly (a link to resolve, an image, math, an
emoji, a checkbox not at the start of a tight item, raw HTML with other
attributes, the summary inside a list...) takes the general way. Each shortcut
writes what the general way writes (tests/content/test_fast_paths.py compares
them on aimed input and on a corpus).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..escaping import unescape
from .gfm import EMOJI, emoji

if TYPE_CHECKING:
    from .markdown import Rendered

SOURCEPOS = re.compile(r' data-sourcepos="(\d+):\d+-(\d+):\d+"')
_ATTR = re.compile(r'([^\s=/>"]+)(?:="([^"]*)")?')
# A paragraph, list item or table cell with text alone (no tag, no math): one step.
LEAF = re.compile(
    r'<(p|li|td|th)(?: align="(left|center|right)")? data-sourcepos="(\d+):\d+-(\d+):\d+">'
    r"([^<$]*)</\1>"
)
LEAVES = {"p", "li", "td", "th"}
# The top-level blocks written in one step (``_Pass.plain_block``) when every tag in
# them is one of these, written as the pass would write it with its source lines
# removed (and a cell's alignment made a class), and no '$' (math) is in them.
PLAIN_BLOCKS = {n: (f"</{n}>", f"<{n}>", f"<{n} ") for n in ("p", "ul", "ol", "table", "section")}
_LINES = r'(?: data-sourcepos="\d+:\d+-\d+:\d+")?'
_PLAIN_TAGS = (
    r"/?(?:p|ul|ol|li|table|thead|tbody|tr|em|strong|del|code|b|i|s|u|sub|sup|small"
    r'|mark|section)(?: (?:id|class)="[\w -]*")*' + _LINES + ">"
    r'|/?t[dh](?: align="(?:left|center|right)")?' + _LINES + ">"
    r'|a href="#[\w-]*"(?: (?:id|class)="[\w -]*")*>|/a>'
    r'|input type="checkbox"(?: checked="")? disabled="">|/section>'
)
_NOT_PLAIN = re.compile(f"<(?!(?:{_PLAIN_TAGS}))")
# In a top-level paragraph, also links of an href alone: resolved by ``_Pass.tag``
# as ``open`` would (the paragraph's lines on the stack), one by one, in order.
_NOT_PLAIN_P = re.compile(f'<(?!(?:{_PLAIN_TAGS}|a href="[^"<>]*">))')
_LINK = re.compile(r'<a( href="[^"<>]*")>')
# A tag's source lines (text never holds '">': the sanitizer writes '>' as "&gt;").
_SOURCEPOS_ANY = re.compile(r' data-sourcepos="\d+:\d+-\d+:\d+"(?=>)')
_ALIGN = re.compile(r'<(t[dh]) align="(left|center|right)">')
# What each cell's tag becomes (a look-up: a template such as r'<\1 ...' is expanded
# in Python for every cell)
_ALIGNED = {
    f'<{cell} align="{side}">': f'<{cell} class="align-{side}">'
    for cell in ("td", "th")
    for side in ("left", "center", "right")
}
# A task list's item (the checkbox labelled by the item's text)
_TASK = re.compile(r'<li><input type="checkbox"( checked="")? disabled="">([^<]*)</li>')


def _task_item(match: re.Match[str]) -> str:
    checked = " checked" if match.group(1) else ""
    return f'<li class="task"><label><input type="checkbox"{checked} disabled>{match.group(2)}</label></li>'


PLAIN_HEADING = re.compile(r'<h([1-6]) data-sourcepos="\d+:\d+-\d+:\d+">([^<$]*)</h\1>')
_ANY_TAG = re.compile(r"<[^>]*>")


def attributes(text: str) -> dict[str, str]:
    """The attributes of a tag as the sanitizer writes them (values double-quoted)."""
    return {name.lower(): unescape(value or "") for name, value in _ATTR.findall(text)}


class Shortcuts:
    """The shortcuts, as methods of the pass (``_Pass``) whose state they change."""

    out: list[str]
    stack: list[tuple[str, int, int, str]]
    result: Rendered
    task_item: int | None
    reflection: bool
    verbatim: int
    shift: bool
    heading: tuple[int, str, str, dict[str, str]] | None
    capture: list[str] | None

    def no_space_heading(self, first: int) -> None: ...

    def finish_heading(self) -> None: ...

    def tag(self, name: str, attrs: dict[str, str]) -> str:
        raise NotImplementedError  # the pass's own (markdown.py)

    def plain_block(self, html: str, start: int, name: str, attrs: str) -> int:
        """A top-level block whose tags need nothing but their source lines removed
        (and a cell's ``align`` made a class), and whose text nothing (no emoji, no
        math), written in one step; where it ends, or 0 if it is not such a block."""
        closing, bare, opening = PLAIN_BLOCKS[name]
        end = html.find(closing, start)
        if (
            end < 0
            or html.find(bare, start + 1, end) >= 0
            or html.find(opening, start + 1, end) >= 0  # nested: not this one's end
            or html.find("$", start, end) >= 0  # math
            or (_NOT_PLAIN_P if name == "p" else _NOT_PLAIN).search(html, start, end)
        ):
            return 0
        end += len(closing)
        block = _SOURCEPOS_ANY.sub("", html[start:end])
        if "align=" in block:
            block = _ALIGN.sub(lambda m: _ALIGNED[m.group()], block)
        if "<input" in block:
            checkboxes = block.count("<input")
            block, items = _TASK.subn(_task_item, block)
            if items != checkboxes:
                return 0  # a checkbox not alone at the start of a tight item: ``open``
        if ":" in block and any(emoji(m.group(1)) for m in EMOJI.finditer(block)):
            return 0
        summary = self.result.summary == "" and "<p" in block
        if summary and name != "p":
            return 0  # the first paragraph, in a list: ``open``
        at = block.rfind("<li")
        text = (
            _ANY_TAG.sub("", block[at:] if at >= 0 else block).strip()
            if at >= 0 or self.task_item is not None
            else ""
        )
        if at >= 0 and not text:
            return 0  # an item without text: a checkbox may still come (``open``)
        if text:
            self.task_item = None
        if summary:
            self.result.summary = " ".join(unescape(_ANY_TAG.sub("", block)).split())
        if name == "section" and self.reflection and attributes(attrs).get("class") == "footnotes":
            block, self.reflection = "</section>\n" + block, False
        if name == "p":
            found = SOURCEPOS.search(attrs)
            first, last = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
            self.no_space_heading(first)
            if '<a href="' in block:
                self.stack.append(("p", first, last, "</p>"))
                block = _LINK.sub(lambda m: self.tag("a", attributes(m.group(1))), block)
                self.stack.pop()
        if html.startswith("\n", end):
            block, end = block + "\n", end + 1
        self.out.append(block)
        return end

    def plain_heading(self, html: str, match: re.Match[str]) -> int:
        """A heading of text alone, as ``open``, ``text`` and ``close`` would write it."""
        level, text = int(match.group(1)), match.group(2)
        name = f"h{level + 1}" if self.shift and level < 6 else f"h{level}"
        top = not self.stack
        role = "reflection?" if top and not self.reflection and name in ("h2", "h3") else ""
        self.heading = (len(self.out), name, role, {})
        self.out.append(f"<{name}>")
        if text:
            if ":" in text and not self.verbatim:
                text = EMOJI.sub(lambda m: emoji(m.group(1)) or m.group(0), text)
            if text.strip():
                self.task_item = None
            self.out.append(text)
        self.capture = [text] if text else []
        self.finish_heading()
        end = match.end()
        newline = html.startswith("\n", end)  # the text after it, written with it
        self.out.append(f"</{name}>\n" if newline else f"</{name}>")
        return end + newline

    def leaf(self, html: str, match: re.Match[str]) -> int:
        """A paragraph, list item or table cell holding text alone (``LEAF``), as
        ``open``, ``text`` and ``close`` would write it; where it ends."""
        name, align, first, _, text = match.groups()
        out = self.out
        if name == "p" and not self.stack:
            self.no_space_heading(int(first))
        if name == "li":
            self.task_item = len(out)
        out.append(f'<{name} class="align-{align}">' if align else f"<{name}>")
        if text:
            if ":" in text and not self.verbatim:
                text = EMOJI.sub(lambda m: emoji(m.group(1)) or m.group(0), text)
            if text.strip():
                self.task_item = None
            out.append(text)
        if name == "p" and self.result.summary == "":
            self.result.summary = " ".join(unescape(text).split())
        end = match.end()
        newline = html.startswith("\n", end)  # the text after it, written with it
        out.append(f"</{name}>\n" if newline else f"</{name}>")
        return end + newline
