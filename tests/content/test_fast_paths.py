"""The post-pass's shortcuts (markdown.py ``_Pass.run``) write exactly what its
general way writes, on ordinary pages and on input aimed at the shortcuts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from support.helpers import corpus_sources

from portfolio_gen.content import fences
from portfolio_gen.content.markdown import MarkdownRenderer, _Pass

AIMED = [
    # tags that look attribute-less, in capitals, or with attributes on new lines
    '<P>Text</P>\n\n<TABLE><TR><TD ALIGN="RIGHT">x</TD></TR></TABLE>\n\n<H2>Title</H2>',
    '<p class="x">#Heading</p>\n\n<p data-sourcepos="0:0-0:0">x</p>\n\n<p data-sourcepos="x">y</p>',
    '<p data-sourcepos="9:1-9:5">#NotHere</p>\n\ntext',
    '<a\nhref="../b/">x</a> and <a\nhref="javascript:alert(1)">y</a> <a href="#x" onclick="y">z</a>',
    '<a href="#&quot;&gt;<script>">q</a> <a href="#fn-1" id="fnref-1" class="footnote-ref">1</a>',
    '<table><tr><td align="right" class="c">x</td><td align=\'left\'>y</td></tr></table>',
    '<ul><li><a href="../b.md">in a list</a></li></ul>\n\n<p><img src="javascript:x"></p>',
    "| a | b |\n|--:|:-:|\n| [l](../c.md) | ![](https://evil.example/i.png) |\n",
    # links in paragraphs (resolved one by one), their lines, the summary
    "See [a](../b.md), [c](/abs), [d](javascript:x), [e](../../out.md) and [f](www.x.com/y).",
    '#NoSpace [l](../b.md)\n\ntext [t](../c.md "title") <a href="../d.md">d</a>\n[g](../e.md)',
    "- [in a list](../b.md)\n\n| [in a cell](../c.md) |\n|---|\n\n> [quoted](../d.md)",
    # entities and text that looks like the attributes the shortcuts remove
    "[x](#a&b) [y](#a%20b) [z](<#a b>) [w](../b.md#c&d)",
    'x data-sourcepos=&quot;1:1-1:1&quot;> y\n\n- a `data-sourcepos="2:1-2:2">`\n\n'
    "# h data-sourcepos=&quot;3:1-3:3&quot;&gt;",
    '| a |\n|---|\n| data-sourcepos=&quot;4:1-4:4&quot;> |\n\n<em data-sourcepos="5:1-5:5">e</em>',
    # task lists, also where a checkbox is not the start of a tight item
    "- [ ] one\n- [x] two *em*\n\n- [x] loose\n\n  more",
    '- [x]\n- \n\n<input type="checkbox" checked disabled> later',
    'text <input type="checkbox" disabled> x\n\n- <input type="checkbox"> raw',
    "1. [x] a\n   - [ ] nested\n2. b",
    # emoji, math, alerts, the summary, headings, footnotes, the reflection
    ":tada: :not-an-emoji: 10:30:45 `:tada:` <code>:tada:</code>\n\n| :tada: |\n|---|\n| :x: |",
    "- $x^2$ and $5 or $6\n\n$$a+b$$\n\n# :tada: heading",
    "> [!NOTE]\n> text\n\n>\n\nAfter an empty quote\n\n> [!tip] x",
    "*hi* there\n\nsecond",
    "- first paragraph in a list\n\n  loose\n\nthen text",
    "# A\n\n# A\n\n## What I learned\n\ntext[^1]\n\n###### six\n\n[^1]: note",
    '<h2 id="x">T</h2>\n\n## T\n\n## *em* T\n\n<section class="footnotes"><p>s</p></section>',
    '- a\n  - b\n    - c\n\n1. x\n1. y\n\n<ol start="3"><li>z</li></ol>',
    "Text\n\n```python\nprint(1)\n```\n\n    indented\n\n```\nplain\n```",
    "<div><p>in a div</p></div>\n\n<blockquote><p>q</p></blockquote>\n\n<hr>\n\nend<br>line",
    "<p>" * 120 + "deep" + "\n\n" + "> " * 120 + "quote",
]


def rendered(md: MarkdownRenderer, text: str) -> tuple:
    r = md.render(text, "projects/a/index.md", 3)
    return (r.html, r.summary, r.links, r.images, r.problems, r.sources, r.code_html)


def _counted(name, real, taken):
    def counted(self, *args):
        end = real(self, *args)
        taken[name] += bool(end)  # (0: not taken, the general way follows)
        return end

    return counted


@pytest.mark.parametrize("raw", [False, True])
def test_shortcuts_write_what_the_general_way_writes(raw, tmp_path, monkeypatch):
    md = MarkdownRenderer(allow_raw_html=raw)
    texts = AIMED + [p.read_text("utf-8") for p in corpus_sources(tmp_path, projects=20)]
    taken = dict.fromkeys(("plain_block", "plain_heading", "leaf"), 0)
    with monkeypatch.context() as patch:  # (each shortcut is taken: not a test of nothing)
        for name in taken:
            patch.setattr(_Pass, name, _counted(name, getattr(_Pass, name), taken))
        fast = [rendered(md, text) for text in texts]
    assert all(count > 10 for count in taken.values()), taken
    monkeypatch.setattr(_Pass, "fast", False)
    general = [rendered(md, text) for text in texts]
    for text, a, b in zip(texts, fast, general, strict=True):
        assert a == b, text


def test_text_that_looks_like_source_lines_is_kept():
    text = (
        'x data-sourcepos=&quot;1:1-1:1&quot;> y `data-sourcepos="2:1-2:2">`\n\n'
        "| c |\n|---|\n| data-sourcepos=&quot;3:1-3:3&quot;> |\n"
    )
    soup = BeautifulSoup(MarkdownRenderer().render(text, "about.md").html, "html.parser")
    assert [p.text for p in soup.select("p, td")] == [
        'x data-sourcepos="1:1-1:1"> y data-sourcepos="2:1-2:2">',
        'data-sourcepos="3:1-3:3">',
    ]
    assert not soup.select("[data-sourcepos]")


def test_links_in_plain_looking_blocks_are_still_checked():
    text = (
        "| [l](../b.md) | [j](javascript:alert(1)) |\n|---|---|\n\n- [x] [m](../c.md)\n\n"
        '<a\nhref="../d.md">d</a> <a href="#&quot;&gt;x">e</a>'
    )
    result = MarkdownRenderer().render(text, "projects/a/index.md")
    soup = BeautifulSoup(result.html, "html.parser")
    assert [a.get("href") for a in soup.select("a")] == ["../b/", None, "../c/", "../d/", '#">x']
    assert "javascript" not in result.html
    assert [t.key for t in result.links] == ["b", "c", "d"]


def test_a_code_block_is_highlighted_once_a_process(monkeypatch):
    import pygments

    calls = []
    real = pygments.highlight
    monkeypatch.setattr(pygments, "highlight", lambda *a: calls.append(1) or real(*a))
    monkeypatch.setattr(fences, "_highlighted", {})
    monkeypatch.setattr(fences, "_highlighted_chars", 0)
    md, block = MarkdownRenderer(), "```python\nprint('same')\n```\n"
    first = md.render(block, "projects/a/index.md")
    second = md.render("Other text.\n\n" + block, "projects/b/index.md")
    assert len(calls) == 1
    assert first.code_html == second.code_html and "highlight" in first.html
    monkeypatch.setattr(fences, "MAX_HIGHLIGHTED_CHARS", 0)  # the bound: nothing kept
    monkeypatch.setattr(fences, "_highlighted", {})
    md.render(block.replace("same", "other"), "projects/c/index.md")
    md.render(block.replace("same", "other"), "projects/d/index.md")
    assert len(calls) == 3 and fences._highlighted == {}
