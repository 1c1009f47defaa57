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

from collections.abc import Mapping
from typing import Any

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
        global _formatter
        from pygments import highlight as pygmentize

        if _formatter is None:
            from pygments.formatters.html import HtmlFormatter

            _formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
        html = pygmentize(code, found, _formatter)
        global _highlighted_chars
        if _highlighted_chars + len(key) + len(html) <= MAX_HIGHLIGHTED_CHARS:
            _highlighted[key] = html
            _highlighted_chars += len(key) + len(html)
    used[key] = html
    return html
