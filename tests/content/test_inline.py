"""The gated inline stage (content/inline.py) makes exactly the tree Python-Markdown's own does."""

from __future__ import annotations

import markdown
import pytest
from helpers import assert_same_html_on_corpus, generated
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from portfolio_gen.content import inline


def _markdown(gated: bool) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            TableExtension(),
            FencedCodeExtension(),
            FootnoteExtension(),
            SaneListExtension(),
        ],
        output_format="html",
    )
    if gated:
        inline.install(md)
    return md


STOCK, GATED = _markdown(False), _markdown(True)


def _both(text: str) -> tuple[str, str]:
    return STOCK.reset().convert(text), GATED.reset().convert(text)


def test_the_gated_processor_is_installed():
    assert isinstance(GATED.treeprocessors["inline"], inline.GatedInlineProcessor)
    assert not isinstance(STOCK.treeprocessors["inline"], inline.GatedInlineProcessor)


def test_every_pattern_python_markdown_registers_has_triggers():
    """Otherwise plain text could not skip the pattern loop (a new pattern in a
    new Python-Markdown is still tried, only more slowly): add it to TRIGGERS."""
    GATED.reset().convert("x")
    assert GATED.treeprocessors["inline"]._gated


@pytest.mark.parametrize(
    "text",
    [
        "plain words, nothing else",
        "*em* and **strong** and ***both*** and _u_ and __uu__ and snake_case_word",
        "`code` and ``co`de`` and \\`escaped\\` and \\\\`x`",
        "[link](a.md) [ref][r] [r] ![img](p.png) ![ref img][r] [^1] <http://x.org> <a@b.org>\n\n"
        "[r]: https://example.org\n[^1]: note",
        "line  \nbreak &amp; &#35; &copy; <span>raw</span> a < b & c",
        "**[link *inside*](x.md)** and [**strong**](y.md) and `[not a link](z)`",
        "- [ ] task\n- [x] done *em*\n\n| a | *b* |\n|---|---|\n| `c` | [d](e.md) |",
        "*unclosed and [unclosed and `unclosed and <unclosed",
    ],
)
def test_same_html_as_python_markdown(text):
    stock, gated = _both(text)
    assert gated == stock


def test_same_html_for_the_demo_and_the_benchmark_corpus(tmp_path):
    assert_same_html_on_corpus(_both, tmp_path)


# fmt: off
TOKENS = ["a", "b", " ", "  ", "\n", "\n\n", "*", "**", "_", "`", "``", "[", "]", "(", ")", "!",
          "<", ">", "&", ";", "#", "\\", "^", ":", "-", "|", "x.md", "http://h.org", "a@b.org",
          "[^1]", "[^1]: n\n", "[r]: u\n", "&amp;", "<b>", "</b>"]
# fmt: on
markdownish = st.lists(
    st.sampled_from(TOKENS) | st.characters(),
    max_size=120,
).map("".join)


@generated()
@given(markdownish)
def test_same_html_for_generated_markdown(text):
    stock, gated = _both(text)
    assert gated == stock
