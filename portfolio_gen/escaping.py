"""``html.escape`` and ``html.unescape`` without importing ``html`` for text that
needs no look-up.

Importing ``html`` loads ``html.entities`` (its table of 2,231 character
references): 1.4 ms of a one-edit build that never meets one
(benchmarks/startup.py). ``escape`` is ``html.escape``'s own five replacements;
``unescape`` returns a text without "&" as it is (as ``html.unescape`` does)
and hands any other to ``html.unescape``. tests/test_escaping.py checks both
against ``html`` on hostile text.
"""

from __future__ import annotations


def escape(s: str, quote: bool = True) -> str:
    """``html.escape(s, quote)``: &, < and > (and with ``quote`` " and ') as references."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;").replace("'", "&#x27;")
    return s


def unescape(s: str) -> str:
    """``html.unescape(s)``: character references made characters."""
    if "&" not in s:
        return s
    from html import unescape as html_unescape

    return html_unescape(s)
