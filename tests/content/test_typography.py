import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio_gen.content.markdown import MarkdownRenderer
from portfolio_gen.content.typography import smarten

MD = MarkdownRenderer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Say "hello"', "Say \u201chello\u201d"),
        ("it's and don't", "it\u2019s and don\u2019t"),
        ("'single' quotes", "\u2018single\u2019 quotes"),
        ("the '90s", "the \u201990s"),
        ("a -- b --- c...", "a \u2013 b \u2014 c\u2026"),
        ('("quoted")', "(\u201cquoted\u201d)"),
    ],
)
def test_smarten(text, expected):
    assert smarten(text, "") == expected


def test_quotes_around_markup_and_code_untouched():
    html = MD.render('"*Hi*" -- `code "x" --` and\n\n```\n"fenced" -- x\n```\n', "about.md").html
    assert html.startswith('<p>\u201c<em>Hi</em>\u201d \u2013 <code>code "x" --</code>')
    assert '"fenced" -- x' in html.replace("&quot;", '"')


def test_escaped_quotes_stay_straight():
    assert '\\"' not in MD.render('a \\"b\\" c', "about.md").html
    assert "\u201c" not in MD.render('a \\"b\\" c', "about.md").html


def _one_token_at_a_time(text: str, before: str) -> str:
    """The rule, token by token (what smarten does faster): a quote opens after
    nothing, a space, a bracket, a dash or a slash when no space follows it."""
    opens_after = set(" \t\n\r([{\u2014\u2013-/\u00a0") | {""}
    out, last = [], 0
    for match in re.finditer(r"---|--|\.\.\.|[\"']", text):
        start, token = match.start(), match.group()
        prev = text[start - 1] if start else before
        nxt = text[match.end() : match.end() + 1]
        opening = prev in opens_after and nxt not in (" ", "\n", "\t")
        out.append(text[last:start])
        if token in ("---", "--", "..."):
            out.append({"---": "\u2014", "--": "\u2013", "...": "\u2026"}[token])
        elif token == '"':
            out.append("\u201c" if opening else "\u201d")
        else:
            out.append("\u2018" if opening and not nxt.isdigit() else "\u2019")
        last = match.end()
    return "".join(out) + text[last:]


_PIECES = st.sampled_from(
    list("ab9\u0663\u00e9 \t\n\r-.\"'([{/)_,!\u00a0\u2014\u2013\x03") + ["--", "---", "..."]
)


@settings(max_examples=2000)
@given(st.lists(_PIECES, max_size=16).map("".join), st.sampled_from(["", " ", "a", "(", "-", "."]))
def test_smarten_follows_the_rule(text, before):
    assert smarten(text, before) == _one_token_at_a_time(text, before)
