"""The sanitizer's shortcut (content/trusted.py) writes what nh3 writes, or steps aside.

Every input is run both ways: cmark-gfm's HTML through nh3, and through
``trusted.sanitized``; wherever the shortcut answers it must be nh3's output,
byte for byte. The inputs: the GFM spec's examples, the demo portfolio, a
generated corpus, the fast paths' aimed input, hostile input aimed at what the
shortcut rewrites, and generated Markdown. Each part of the shortcut broken on
purpose makes the comparison fail.
"""

from __future__ import annotations

import re

import pytest
from content.test_fast_paths import AIMED
from content.test_gfm_spec import examples
from hypothesis import given
from hypothesis import strategies as st
from support.helpers import corpus_sources, generated

from portfolio_gen.content import cmark, markdown, trusted
from portfolio_gen.content.markdown import _OPTIONS, MarkdownRenderer

EXTENSIONS = ("table", "autolink", "strikethrough", "tasklist")
SCHEMES = markdown._SCHEMES

HOSTILE = [
    # URLs: schemes hidden or cased, hosts no parser takes, ports, punycode, userinfo
    "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](vbscript:x) [d](data:text/html,<b>)",
    "![e](data:image/png;base64,AAAA) ![f](javascript:x) [f](file:///etc/passwd) [g](ftp://x.org/) [h](ws://x/)",
    "[i](java&#9;script:x) [j](&#106;avascript:x) [k](javascript&colon;x) [l](%6Aavascript:x)",
    "[m](http://1.2.3.999/) [n](http://999/) [o](http://0x1f/) [p](http://a..b/) [q](http://-a-.b/)",
    "[r](http://x.org:99999/) [s](http://x.org:/) [t](http://u:p@x.org/) [u](http://xn--a.org/)",
    "[v](http://[::1]/) [w](http:x.org) [x](https:/x.org) [y](//evil.org/x) [z](HTTP://X.ORG)",
    "[a](mailto:x@y.z) [b](mailto://[x) [c](data://[x) [d](<http://a b>) [e](http://a%20b.org/)",
    "<http://x.org/a?b=1&c='2'> <mailto:a@b.c> <javascript:x> www.example.com/a'b a.b@c.de",
    # attributes and text the rewrites touch
    '[t](/u "ti&quot;t<l>e\'&amp;") ![a "b" <c> &amp;](/i.png "x&quot;y") `"q" &quot; \'s\'`',
    "x data-footnote-ref> data-footnotes> y &#x27; z /> w &quot;q&quot; \xa0 &nbsp; &#160;",
    '```a"b<c>&amp;\ncode\n```\n\n```\n"x" &#x27; />\n```',
    # footnotes: labels with markup, used twice, unused, nested in links
    '[^x"<y>&] [^x"<y>&] [^2]\n\n[^x"<y>&]: one\n[^2]: two [^2]\n[^3]: unused',
    "[a[^1]](/x) [www.x.com](/y) [b <http://z.com>](/w) [c ![d](e.png)](/f)\n\n[^1]: n",
    "[^\ufffe\n9< ]",  # cmark-gfm cuts the label inside a character: not UTF-8
    # blocks: tasks, tables, lists, quotes, breaks, characters the parser normalizes
    "- [x] a\n- [ ] b\n  1. [x] c\n\n| a | b |\n|:-:|--:|\n| [l](/u) | ~~s~~ |\n| x |",
    "x\ry\r\nz \x0c \x85 \ufffe \U0001f600 \u200b &#0; &#xd800; &#x110000;",
    "> - a\n>\n>   ```\n>   b\n>   ```\n\n0. zero\n\n123456789. big\n\n***\n\nh  \nbreak\\\nx",
    # schemes hidden in what only looks like HTML (code), with and without quotes
    "`<b src=' java\tscript:x'>` `<b href=\"java\tscript:y\">` `<i src=java&#9;script:z>`",
    "```html\n<img src='\tjavascript:x' alt=\"a href=' b'\">\n```\n\n[t](/u \"x src=' java\tscript:q'\")",
    'a < b [l](../b.md "t href=") ![i](c.png "src=") `x`',
]


def texts() -> list[str]:
    return [e[1] for e in examples()] + AIMED + HOSTILE


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("trusted-corpus")
    return texts() + [p.read_text("utf-8") for p in corpus_sources(folder, projects=40)]


def compare(text: str, md: MarkdownRenderer) -> tuple[bool, bool]:
    """(whether the shortcut answered, whether its answer is nh3's) for ``text``."""
    html, own = cmark.to_html(text, _OPTIONS, EXTENSIONS)
    got = trusted.sanitized(html, SCHEMES) if own else None
    return got is not None, got is None or got == md.cleaner.clean(html)


def mismatches(inputs: list[str]) -> list[str]:
    return [
        text
        for md in (MarkdownRenderer(), MarkdownRenderer(allow_raw_html=True))
        for text in inputs
        if not compare(text, md)[1]
    ]


def test_the_shortcut_writes_what_nh3_writes(inputs):
    assert mismatches(inputs) == []
    answered = [compare(text, MarkdownRenderer())[0] for text in inputs]
    assert sum(answered) > 0.8 * len(inputs)  # (most of them: not a test of nothing)


def test_every_hostile_url_is_decided_or_left_to_nh3():
    md = MarkdownRenderer()
    for text in HOSTILE[:8]:
        answered, same = compare(text, md)
        assert same, text
    html, _ = cmark.to_html(HOSTILE[0], _OPTIONS, EXTENSIONS)
    out = trusted.sanitized(html, SCHEMES)
    assert out is not None and "javascript" not in out.lower() and "vbscript" not in out


def test_many_refused_urls_on_one_page_are_all_cut_as_nh3_cuts_them():
    """Every refused URL of a page left out, in one cut (a copy per URL was
    quadratic: 100,000 of them took 6.6 s against nh3's 0.07)."""
    text = "".join(f"[l{i}](a{i % 7}:x) ![i](b:y) [k](../p{i}.md) " for i in range(3000))
    answered, same = compare(text, MarkdownRenderer())
    assert answered and same


@given(
    st.lists(
        st.sampled_from(
            [
                "[",
                "]",
                "(",
                ")",
                "![",
                "[^",
                "]:",
                " ",
                "\n",
                "\n\n",
                "- ",
                "1. ",
                "> ",
                "# ",
                "|",
                "---",
                "`",
                "```",
                "*",
                "_",
                "~~",
                "http://",
                "https://",
                "www.",
                "a.com",
                "xn--",
                "1.2.3.4",
                "999",
                ":",
                "//",
                "/",
                "?",
                "#",
                "&",
                "&amp;",
                "&quot;",
                "&#39;",
                "\xa0",
                '"',
                "'",
                "javascript:",
                "data:",
                "mailto:",
                "x@y.z",
                "%",
                "\\",
                "\t",
                "[x]",
                "é",
                "\ufffe",
                "<",
                ">",
                "title",
                "[^1]",
                "[^1]: n",
                ":8080",
                "\r",
                "<b>",
            ]
        )  # fmt: skip
        | st.text(max_size=3),
        max_size=40,
    )
)
@generated(400)
def test_generated_markdown_either_way(pieces):
    text = "".join(pieces)
    assert compare(text, MD)[1], text


MD = MarkdownRenderer()


def test_rendering_is_the_same_with_and_without_the_shortcut(inputs, monkeypatch):
    monkeypatch.setattr(markdown, "SHORTCUT_AFTER", 0)
    for md in (MarkdownRenderer(), MarkdownRenderer(allow_raw_html=True)):
        assert md.shortcut()
        fast = [md.render(text, "projects/a/index.md", 3) for text in inputs]
        monkeypatch.setattr(md, "trusted", False)
        slow = [md.render(text, "projects/a/index.md", 3) for text in inputs]
        for text, a, b in zip(inputs, fast, slow, strict=True):
            assert a == b, text


def test_raw_html_always_takes_the_sanitizer(monkeypatch):
    monkeypatch.setattr(markdown, "SHORTCUT_AFTER", 0)
    calls = []
    md = MarkdownRenderer()
    assert md.shortcut()
    monkeypatch.setattr(
        md, "cleaner", type("C", (), {"clean": lambda s, h: calls.append(h) or h})()
    )
    for text in ("<b>x</b>", "a <!-- c --> b", "<?php x ?>", "</p>", "<!DOCTYPE x>", "<em>x"):
        md.render(text, "about.md")
    md.render("a < b, `<b>` and <http://x.org>", "about.md")
    assert len(calls) == 6


def test_a_source_cmark_gfm_writes_as_broken_utf8_is_rendered():
    result = MarkdownRenderer().render("[^\ufffe\n9< ]", "about.md")
    assert result.html.startswith("<p>[^")


# Each part of the shortcut, broken on purpose, and an input that shows it.
NEVER = re.compile("(?!)")
BROKEN = [
    ("_NESTED_LINK", NEVER),
    ("_SCHEME", NEVER),  # every URL read as relative: javascript: kept
    ("_WEB", re.compile(r"(?i:https?)://([^/]*)")),  # any host taken
    ("_FOOTNOTE", re.compile(" data-footnote(?:-ref|s)>")),  # the backlinks' kept
    ("_QUOTE", re.compile("&quot;")),  # quotes unescaped in attributes too
    ("_QUOTED_VALUE", NEVER),
    ("_REWRITES", trusted._REWRITES[1:]),
    ("_REWRITES", trusted._REWRITES[:1]),
    ("_URLS", trusted._URLS[:1]),  # images' src not checked
    ("_NON_ASCII", ()),
]


@pytest.mark.parametrize(("name", "value"), BROKEN)
def test_a_broken_shortcut_is_caught(name, value, inputs, monkeypatch):
    monkeypatch.setattr(trusted, name, value)
    assert mismatches(inputs)


def test_anything_but_cmark_gfms_tags_is_left_to_nh3(monkeypatch):
    for html in ('<p onclick="x">a</p>', "<script>x</script>", '<a href="/x" style="y">a</a>',
                 "<p>a</p><iframe src=x>", "<b>x</b>"):  # fmt: skip
        assert trusted.sanitized(html, SCHEMES) is None, html
    monkeypatch.setattr(trusted, "_NOT_CMARK", NEVER)
    assert trusted.sanitized("<script>x</script>", SCHEMES) is not None


def test_a_carriage_return_takes_nh3():  # (its parser makes it a newline: not modelled)
    assert not cmark.to_html("a\rb\r\n\n```\nc\rd\n```", _OPTIONS, EXTENSIONS)[1]


def problems(inputs: list[str]) -> list:
    md = MarkdownRenderer()
    return [md.render(text, "projects/a/index.md", 3).problems for text in inputs]


def test_the_scan_for_hidden_schemes_is_left_out_only_where_it_finds_nothing(inputs, monkeypatch):
    found = problems(inputs)
    assert any("not a web address" in m for p in problems(HOSTILE[-3:]) for _, _, m in p)
    monkeypatch.setattr(markdown, "_may_hide_schemes", lambda text, html, own: "<" in text)
    assert problems(inputs) == found
    monkeypatch.setattr(
        markdown, "_may_hide_schemes", lambda text, html, own: "<" in text and not own
    )
    assert problems(inputs) != found  # (broken: quotes not looked at)


def test_raw_html_unnoticed_is_caught(inputs, monkeypatch):
    monkeypatch.setattr(cmark, "_MAYBE_RAW", NEVER)  # raw HTML taken for cmark-gfm's
    assert mismatches(inputs)


def test_a_sanitizer_that_writes_otherwise_turns_the_shortcut_off(monkeypatch):
    assert MarkdownRenderer().shortcut()
    real = MarkdownRenderer().cleaner.clean
    monkeypatch.setattr(
        markdown.nh3,
        "Cleaner",
        lambda **kw: type("C", (), {"clean": lambda s, h: real(h).replace("&nbsp;", "\xa0")})(),
    )
    assert not MarkdownRenderer().shortcut()


def test_a_renderer_takes_the_shortcut_after_its_first_pages(monkeypatch):
    md, calls = MarkdownRenderer(), []
    real = md.cleaner.clean
    monkeypatch.setattr(
        md, "cleaner", type("C", (), {"clean": lambda s, h: calls.append(1) or real(h)})()
    )
    for _ in range(markdown.SHORTCUT_AFTER + 5):
        md.render("Some *text*.", "about.md")
    assert md.trusted and len(calls) == markdown.SHORTCUT_AFTER + 1  # (and the probe)


def test_a_renderer_whose_shortcut_was_checked_before_a_fork_takes_it_at_once(monkeypatch):
    """content/reading.before_readers_fork checks the shortcut in the parent: each
    reader then takes it from its first page, not after SHORTCUT_AFTER more."""
    md, calls = MarkdownRenderer(), []
    assert md.shortcut()  # (as before_readers_fork does)
    real = md.cleaner.clean
    monkeypatch.setattr(
        md, "cleaner", type("C", (), {"clean": lambda s, h: calls.append(1) or real(h)})()
    )
    for _ in range(3):
        md.render("Some *text*.", "about.md")
    assert calls == []
