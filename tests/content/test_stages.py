"""The gated stages (content/stages.py) make exactly the HTML Python-Markdown's own do."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension

from portfolio_gen.content import stages
from portfolio_gen.content.markdown import MarkdownRenderer

REPO = Path(__file__).resolve().parents[2]
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


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
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    corpus.write_portfolio(tmp_path, corpus.make_projects(60))
    sources = [*(REPO / "content").rglob("*.md"), *tmp_path.rglob("*.md")]
    assert len(sources) > 60
    for path in sources:
        stock, gated = _both(path.read_text("utf-8"))
        assert gated == stock, path


# fmt: off
TOKENS = ["a", " ", "\n", "\n\n", "*", "_", "`", "```\n", "[", "]", "(", ")", "<", ">", "&", ";",
          "#", "\\", "\\\\", "\\*", "&amp;", "&#35;", "<b>", "</b>", "<div>\n", "\n</div>", "<!--",
          "-->", "<?x", "?>", "<![CDATA[", "]]>", "<p ", "\"", "'", "x.md"]
# fmt: on
markdownish = st.lists(st.sampled_from(TOKENS) | st.characters(), max_size=120).map("".join)


@settings(
    max_examples=20000 if LONG else 400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(markdownish)
def test_same_html_for_generated_markdown(text):
    stock, gated = _both(text)
    assert gated == stock
