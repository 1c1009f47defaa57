"""The gated stages (content/stages.py) make exactly the HTML Python-Markdown's own do."""

from __future__ import annotations

import markdown
import pytest
from helpers import assert_same_html_on_corpus, generated
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension

from portfolio_gen.content import stages
from portfolio_gen.content.markdown import MarkdownRenderer


def _markdown(gated: bool) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[TableExtension(), FencedCodeExtension(), FootnoteExtension()],
        output_format="html",
    )
    assert not gated or stages.install(md)
    return md


STOCK, GATED = _markdown(False), _markdown(True)


def _both(text: str) -> tuple[str, str]:
    return STOCK.reset().convert(text), GATED.reset().convert(text)


def test_the_renderer_uses_the_gated_stages():
    md = MarkdownRenderer().md
    assert isinstance(md.preprocessors["html_block"], stages._HtmlBlocks)
    assert isinstance(md.treeprocessors["unescape"], stages._Unescape)
    assert not stages.install(md)  # only in place of Python-Markdown's own


@pytest.mark.parametrize(
    "text",
    [
        "plain words, nothing else & more &amp; &#35; &copy; &#x41; &bogus; a&b",
        "\\*not em\\* and \\[not a link\\](x) and `\\` code` and [a\\_b](c\\_d.md)",
        "<div>\n*raw* block\n</div>\n\nthen *text* with <span>inline</span>",
        "a < b > c, <http://x.org> <a@b.org>, and \\<escaped\\>",
        "```\n\\* in code <b>\n```\n\nafter \\# the fence",
        "first with a \\\\ backslash\n\nsecond without",
    ],
)
def test_same_html_as_python_markdown(text):
    stock, gated = _both(text)
    assert gated == stock


def test_an_escape_after_a_document_without_one_is_restored():
    """What a document has is decided for each one: no flag is left over."""
    for text in ("no escapes here", "an \\*escaped\\* star", "none again", "\\_ again"):
        stock, gated = _both(text)
        assert gated == stock


def test_same_html_for_the_demo_and_the_benchmark_corpus(tmp_path):
    assert_same_html_on_corpus(_both, tmp_path)


# fmt: off
TOKENS = ["a", " ", "\n", "\n\n", "*", "_", "`", "```\n", "[", "]", "(", ")", "<", ">", "&", ";",
          "#", "\\", "\\\\", "\\*", "&amp;", "&#35;", "<b>", "</b>", "<div>\n", "\n</div>", "<!--",
          "-->", "<?x", "?>", "<![CDATA[", "]]>", "<p ", "\"", "'", "x.md"]
# fmt: on
markdownish = st.lists(st.sampled_from(TOKENS) | st.characters(), max_size=120).map("".join)


@generated(400)
@given(markdownish)
def test_same_html_for_generated_markdown(text):
    stock, gated = _both(text)
    assert gated == stock
