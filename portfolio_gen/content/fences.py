"""Fenced code blocks highlighted by Pygments (CSS classes), remembered by their text.

Pygments compiles a language's rules the first time a process highlights it:
20 ms for Python, most of the time it takes to read one project again after
an edit. So a project's record keeps the HTML of its code blocks (``code_html``,
keyed by language and text), and when the project is read again, blocks whose
text did not change take their HTML from there. Lexers are looked up once per
language name (the lookup scans Pygments' whole table), and a process keeps
the HTML of the blocks it highlighted (``_highlighted``, bounded), so a block
written in many projects (a class's starter code) is highlighted once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..patterns import lazy_compile

_lexers: dict[str, Any] = {}  # language name -> lexer, or None when Pygments has none
_formatter: Any = None
_highlighted: dict[str, str] = {}  # "language\ncode" -> HTML, this process's blocks
_highlighted_chars = 0
MAX_HIGHLIGHTED_CHARS = 4_000_000  # what the process keeps at most (code and HTML)


def lexer(lang: str) -> Any:
    found = _lexers.get(lang, False)
    if found is False:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound

        try:
            found = get_lexer_by_name(lang)
        except (ClassNotFound, ValueError):
            found = None
        if len(_lexers) < 256:  # names come from the sources: keep a bound
            _lexers[lang] = found
    return found


# A fenced block's language, as cmark-gfm reads its info string (markdown.py takes
# the word without "{", "}" and a leading "."), also in quotes and list items (and in
# an indented block that only looks like a fence: one lexer too many, no harm).
_FENCE = lazy_compile(
    r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t>]+)?(?:`{3,}|~{3,})[ \t]*\{?\.?([^\s`{}]+)",
    re.MULTILINE,
)
WARM_SOURCES = 32


def warm(paths: Iterable[Path]) -> None:
    """Compile, in this process, the lexers of the languages the first sources use:
    worker processes forked after it share them, instead of each compiling its own
    (about 50 ms for a few languages, in each reader of a cold build)."""
    for path, _ in zip(paths, range(WARM_SOURCES), strict=False):
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # (reading it later says why)
        for lang in {m.group(1).lower() for m in _FENCE.finditer(text)} - {"math"}:
            if lexer(lang) is not None:
                formatter()


def formatter() -> Any:
    global _formatter
    if _formatter is None:
        from pygments.formatters.html import HtmlFormatter

        _formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
    return _formatter


def highlight(lang: str, code: str, known: Mapping[str, str], used: dict[str, str]) -> str | None:
    """The HTML of a block (``<div class="highlight">``), or None for a language
    Pygments does not know. ``known`` holds blocks from an earlier read; each block
    highlighted is added to ``used``."""
    key = f"{lang}\n{code}"
    html = known.get(key) or used.get(key) or _highlighted.get(key)
    if html is None:
        found = lexer(lang.lower())
        if found is None:
            return None
        from pygments import highlight as pygmentize

        html = pygmentize(code, found, formatter())
        global _highlighted_chars
        if _highlighted_chars + len(key) + len(html) <= MAX_HIGHLIGHTED_CHARS:
            _highlighted[key] = html
            _highlighted_chars += len(key) + len(html)
    used[key] = html
    return html
