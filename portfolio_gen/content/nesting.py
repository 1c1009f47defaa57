"""Elements nested deeper than ``MAX_DEPTH`` are flattened before sanitizing.

The HTML parser of the sanitizer (html5ever) takes time in proportion to the
depth of every element it opens: 10,000 nested quotes (``"> " * 10000``, 20 KB)
or raw ``<div>`` tags make it quadratic. Removing the tags below a depth of
``MAX_DEPTH`` (their text is kept) bounds that work, whatever the input; no
page written by a person nests that deep.

cmark-gfm's own HTML (a source without ``<``) is well-formed and is read with
one regular expression. Raw HTML is read as the HTML tokenizer reads it
(comments, raw text, quoted attributes) in one pass; the tree builder's
closing rules are not modelled (an element it closes early stays counted, so
the depth counted is more than the sanitizer's, not less). Not modelled
either: SVG and MathML content, where ``<style>`` holds tags.
"""

from __future__ import annotations

import re

from ..patterns import lazy_compile

MAX_DEPTH = 100
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen"}  # fmt: skip
_TAG = lazy_compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")  # cmark escapes '>' in attributes


def flatten(html: str, raw: bool) -> tuple[str, bool]:
    """``html`` without the tags deeper than MAX_DEPTH, and whether any was removed."""
    # Each opening tag starts at its own '<' and none at a "</": when there are no more
    # than MAX_DEPTH of those, no tag can be deeper (two counts, no scan in Python).
    if html.count("<") - html.count("</") <= MAX_DEPTH:
        return html, False
    if raw:
        return _Soup().flatten(html)
    cuts: list[tuple[int, int]] = []
    stack: list[bool] = []  # kept?
    depth = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID:
            continue
        if closing:
            if stack and not stack.pop():
                cuts.append(match.span())
            elif depth:
                depth -= 1
        elif depth >= MAX_DEPTH:
            stack.append(False)
            cuts.append(match.span())
        else:
            stack.append(True)
            depth += 1
    return _cut(html, cuts), bool(cuts)


def _cut(html: str, cuts: list[tuple[int, int]]) -> str:
    if not cuts:
        return html
    parts, last = [], 0
    for start, end in cuts:
        parts.append(html[last:start])
        last = end
    parts.append(html[last:])
    return "".join(parts)


_SPACE = "\t\n\f\r "
_NEXT = lazy_compile(r"<(?:!--|[!?]|/?[a-zA-Z])")
_NAME = lazy_compile(r"[a-zA-Z][^\t\n\f\r />]*")
_SEPARATOR = lazy_compile(r"[\t\n\f\r /]*")
_ATTRIBUTE = lazy_compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_EQUALS = lazy_compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = lazy_compile(r"[^\t\n\f\r >]*")
# Elements whose content is text to the HTML parser, not tags.
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
             "noscript"}  # fmt: skip


def _tag_end(html: str, i: int) -> int:
    """Where the tag whose attributes start at ``i`` ends (after its '>'), or -1 if it
    never does: attributes as the HTML tokenizer reads them, quotes included."""
    n = len(html)
    while True:
        i = _SEPARATOR.match(html, i).end()  # type: ignore[union-attr]
        if i >= n:
            return -1
        if html[i] == ">":
            return i + 1
        i = _ATTRIBUTE.match(html, i).end()  # type: ignore[union-attr]
        equals = _EQUALS.match(html, i)
        if equals:
            i = equals.end()
            if i < n and html[i] in "\"'":
                i = html.find(html[i], i + 1)
                if i < 0:
                    return -1
                i += 1
            else:
                i = _UNQUOTED.match(html, i).end()  # type: ignore[union-attr]


class _Soup:
    """Raw HTML, tag by tag as the HTML tokenizer reads it, in one pass."""

    def flatten(self, html: str) -> tuple[str, bool]:
        stack: list[tuple[str, bool]] = []
        counts: dict[str, int] = {}
        cuts: list[tuple[int, int]] = []
        depth, i = 0, 0
        while match := _NEXT.search(html, i):
            start, kind = match.start(), match.group()
            if kind == "<!--":
                end = html.find("-->", start + 4)
                i = end + 3
            elif kind in ("<!", "<?"):
                end = html.find(">", start + 2)
                i = end + 1
            else:
                closing = kind[1] == "/"
                found = _NAME.match(html, start + 1 + closing)
                assert found is not None
                name = found.group().lower()
                end = _tag_end(html, found.end())
                i = end
                if end >= 0 and name in _VOID:
                    continue
                if end >= 0 and not closing:
                    kept = depth < MAX_DEPTH
                    depth += kept
                    if not kept:
                        cuts.append((start, end))
                    stack.append((name, kept))
                    counts[name] = counts.get(name, 0) + 1
                    if name in _RAW_TEXT:
                        raw_end = re.compile(f"</{name}[\t\n\f\r />]", re.I).search(html, end)
                        i = raw_end.start() if raw_end else -1
                elif end >= 0 and counts.get(name):
                    while stack:
                        opened, kept = stack.pop()
                        counts[opened] -= 1
                        depth -= kept
                        if opened == name:
                            if not kept:
                                cuts.append((start, end))
                            break
            if i < 0 or end < 0:
                break  # the rest is a comment, raw text or a tag that never ends
        return _cut(html, cuts), bool(cuts)
