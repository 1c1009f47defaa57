"""Fenced code blocks highlighted by Pygments (CSS classes), remembered by their text.

Pygments compiles a language's rules the first time a process highlights it:
20 ms for Python, most of the time it takes to read one project again after
an edit. So a project's record keeps the HTML of its code blocks (``code_html``,
keyed by language and text), and when the project is read again, blocks whose
text did not change take their HTML from there. Lexers are looked up once per
language name (the lookup scans Pygments' whole table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_lexers: dict[str, Any] = {}  # language name -> lexer, or None when Pygments has none
_formatter: Any = None


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
    html = known.get(key) or used.get(key)
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
    used[key] = html
    return html
