"""What GitHub Flavored Markdown needs besides the HTML cmark-gfm writes.

GitHub's extras, done at build time: heading anchors with GitHub's slugs,
emoji shortcodes (gemoji's list, emoji.json), math to MathML; and the bound on
table cells that cmark-gfm would make. Used by the Markdown renderer
(markdown.py), kept apart to keep it readable.
"""

from __future__ import annotations

import re
import unicodedata

from ..patterns import lazy_compile

# A table row short of cells is filled up to the header's count, so a few KB of
# text can ask for millions of cells (hundreds of MB once parsed and sanitized):
# past this many, tables are shown as the text they were written as.
MAX_TABLE_CELLS = 100_000
_DELIMITER_ROW = lazy_compile(r"[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_BLANK = lazy_compile(r"[ \t>]*")


def table_cells(text: str) -> int:
    """At most how many cells the tables of ``text`` make, counted in one pass: a
    table's rows go on until a blank line, each with its delimiter row's columns."""
    if "-" not in text or "|" not in text:
        return 0
    total = columns = 0
    for line in text.splitlines():
        if _BLANK.fullmatch(line):
            columns = 0
        elif "-" in line and "|" in line and _DELIMITER_ROW.fullmatch(line):
            columns = max(columns, len(re.findall(r"-+", line)))
            total += 2 * columns  # the header row, and this one
        else:
            total += columns
    return total


_NOT_SLUG = re.compile(r"[^a-z0-9_\- ]")  # what github_slug removes from ASCII text


def github_slug(text: str) -> str:
    """GitHub's heading anchor: lower case; letters, marks, digits, '_', '-' and spaces
    kept (any script), the rest removed; spaces made hyphens."""
    text = text.lower()
    if text.isascii():
        kept = _NOT_SLUG.sub("", text)
    else:
        kept = "".join(
            c for c in text if c.isalnum() or c in "_- " or unicodedata.category(c)[0] in "LMN"
        )
    return kept.replace(" ", "-")


ALERT = lazy_compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)", re.I)
EMOJI = lazy_compile(r":([a-z0-9_+-]+):")
INLINE_MATH = lazy_compile(r"(?<![\\$\w])\$(?=\S)([^$\n]*?\S)\$(?![\w$])")
DISPLAY_MATH = lazy_compile(r"\$\$([^$]+?)\$\$")
_emoji: dict[str, str] | None = None
MAX_FORMULA = 2000  # characters: longer formulas are shown as code (the converter recurses)
MAX_FORMULAS = 500  # a page: each takes the converter about 0.1 ms; more are shown as code


def emoji(name: str) -> str | None:
    """The character of a GitHub emoji shortcode (``tada`` -> 🎉), from gemoji's list."""
    global _emoji
    if _emoji is None:
        import json
        from importlib.resources import files

        _emoji = json.loads(files(__package__).joinpath("emoji.json").read_text("utf-8"))
    return _emoji.get(name)


def mathml(latex: str, display: bool) -> str | None:
    """A formula as MathML, or None when it does not convert."""
    if len(latex) > MAX_FORMULA:
        return None
    try:
        from latex2mathml.converter import convert

        out = convert(latex, display="block" if display else "inline")
    except Exception:  # the converter raises many kinds of errors on bad input
        return None
    # The converter passes \href and \style through as attributes: neither is wanted.
    return re.sub(r'\s(?:href|style)="[^"]*"', "", out)
