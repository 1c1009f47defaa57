"""Fenced code blocks, highlighted once and remembered by their text.

Pygments compiles a language's rules the first time a process highlights it:
20 ms for Python, most of the time it takes to read one project again after
an edit. So a project's record keeps the HTML of its code blocks (``code_html``,
keyed by each block's text, fences included), and when the project is read
again, blocks whose text did not change take their HTML from there.

Every block is still made by Python-Markdown's own fenced_code preprocessor
(with codehilite), one block at a time and in the same order, so the HTML and
the placeholders are the same as without this (tests/content/test_fences.py).

Python-Markdown's codehilite also looks each block's lexer up by name, which
scans Pygments' whole table of lexers (80 µs a block); ``install`` makes that
lookup remember what it found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown
import markdown.extensions.codehilite as codehilite
from markdown.preprocessors import Preprocessor


class RememberedFences(Preprocessor):
    def __init__(self, md: markdown.Markdown, fenced: Preprocessor) -> None:
        super().__init__(md)
        self.fenced = fenced  # Python-Markdown's FencedBlockPreprocessor
        self.known: Mapping[str, str] = {}  # block text -> HTML, from the previous read
        self.used: dict[str, str] = {}  # the blocks of this document

    def run(self, lines: list[str]) -> list[str]:
        # The loop of FencedBlockPreprocessor.run, with the highlighting of one block
        # left to it, or taken from what is known.
        text = "\n".join(lines)
        stash = self.md.htmlStash
        index = 0
        while match := self.fenced.FENCED_BLOCK_RE.search(text, index):  # type: ignore[attr-defined]
            block = match.group(0)
            html = self.known.get(block)
            if html is not None:
                placeholder = stash.store(html)
            else:
                before = stash.html_counter
                self.fenced.run(block.split("\n"))
                if stash.html_counter == before:  # not a code block (unbalanced {attributes})
                    index = max(match.end("attrs"), match.start() + 1)
                    continue
                placeholder = stash.get_placeholder(before)
                html = stash.rawHtmlBlocks[before]
            self.used[block] = html
            text = f"{text[: match.start()]}\n{placeholder}\n{text[match.end() :]}"
            index = match.start() + 1 + len(placeholder)
        return text.split("\n")


_lookup = codehilite.get_lexer_by_name
_lexers: dict[tuple[str, str], Any] = {}  # (alias, options) -> a lexer, or the error it raised


def remembered_lexer(_alias: str, **options: Any) -> Any:
    """``get_lexer_by_name``, made once per language and options (a lexer keeps no
    state between texts). Unknown names are remembered too: the failed scan is the
    slowest, and codehilite then asks for "text"."""
    key = (_alias, repr(sorted(options.items())))
    found = _lexers.get(key)
    if found is None:
        try:
            found = _lookup(_alias, **options)
        except ValueError as exc:  # Pygments' ClassNotFound
            found = exc
        if len(_lexers) < 256:  # names come from the sources: keep a bound
            _lexers[key] = found
    if isinstance(found, Exception):
        raise type(found)(*found.args)  # a new one: raising the same again grows its traceback
    return found


def install(md: markdown.Markdown) -> RememberedFences | None:
    """Take over fenced code from Python-Markdown's preprocessor (kept, and called per block)."""
    if "fenced_code_block" not in md.preprocessors:
        return None
    fenced = md.preprocessors["fenced_code_block"]
    if not hasattr(fenced, "FENCED_BLOCK_RE"):
        return None
    codehilite.get_lexer_by_name = remembered_lexer  # type: ignore[assignment]
    remembered = RememberedFences(md, fenced)
    md.preprocessors.register(remembered, "fenced_code_block", 25)  # the same place in the order
    return remembered
