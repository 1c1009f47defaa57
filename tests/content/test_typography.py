import pytest

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
