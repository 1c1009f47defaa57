"""Two of Python-Markdown's stages, skipped when they cannot change the text.

- The HTML block preprocessor runs Python's HTML parser over the whole text
  to take out blocks of raw HTML; text without a ``<`` has none.
- The unescape tree processor walks every text and attribute of the tree to
  turn backslash escapes (``\\*``, held as ``STX`` + code point + ``ETX``)
  back into characters; only a backslash in the text makes one.

Each was 1.5-2% of the time of reading a project. ``install`` keeps
Python-Markdown's own processors where they are not the expected classes;
tests/content/test_stages.py compares both on generated Markdown.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import UnescapeTreeprocessor


class _Unescape(UnescapeTreeprocessor):
    needed = True  # set for each text by _HtmlBlocks, which sees it first

    def run(self, root: etree.Element) -> None:
        if self.needed:
            super().run(root)


class _HtmlBlocks(HtmlBlockPreprocessor):
    def __init__(self, md: markdown.Markdown, unescape: _Unescape) -> None:
        super().__init__(md)
        self.unescape = unescape

    def run(self, lines: list[str]) -> list[str]:
        # Fenced code is already in the stash (its preprocessor runs first).
        self.unescape.needed = any("\\" in line for line in lines)
        if not any("<" in line for line in lines):
            return lines
        return super().run(lines)


def install(md: markdown.Markdown) -> bool:
    """Put the gated stages in place of Python-Markdown's (same names and order)."""
    html, unescape = md.preprocessors, md.treeprocessors
    if "html_block" not in html or "unescape" not in unescape:
        return False
    if type(html["html_block"]) is not HtmlBlockPreprocessor:
        return False
    if type(unescape["unescape"]) is not UnescapeTreeprocessor:
        return False
    gated = _Unescape(md)
    unescape.register(gated, "unescape", 0)
    html.register(_HtmlBlocks(md, gated), "html_block", 20)
    return True
