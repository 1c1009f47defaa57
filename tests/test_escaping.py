"""portfolio_gen/escaping.py gives what ``html.escape`` and ``html.unescape`` give,
on hostile text too, and loads ``html`` only for a text holding a "&"."""

from __future__ import annotations

import html
import subprocess
import sys

import pytest

from portfolio_gen.escaping import escape, unescape

HOSTILE = [
    "",
    "plain text, no markup",
    "<script>alert('x')</script>",
    '" onerror="alert(1)" x=\'',
    "&amp; &lt; &#39; &#x27; &quot; &nbsp; &notin; &notit; &amp &#0; &#x110000; &#xd800;",
    "&&&;;&#;&#x;&#xZZ;&unknown; &AMP &ampere",
    "Tom & Jerry <3 > 2",
    "\x00\ud800\ufeff\u202e<b>&#x202E;</b>",
    "&" * 1000 + "<" * 1000 + "'\"" * 500,
    "&#" + "9" * 500 + ";",
    "emoji 😀 &#128512; &#x1F600; e\u0301 &eacute; &Eacute",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_same_as_html(text):
    assert escape(text) == html.escape(text)
    assert escape(text, quote=True) == html.escape(text, quote=True)
    assert escape(text, quote=False) == html.escape(text, quote=False)
    assert unescape(text) == html.unescape(text)
    assert unescape(escape(text)) == text


def test_html_is_imported_only_for_a_character_reference():
    code = (
        "import sys\n"
        "from portfolio_gen.escaping import escape, unescape\n"
        "assert escape('<b>') == '&lt;b&gt;' and unescape('no reference') == 'no reference'\n"
        "print('html' in sys.modules)\n"
        "assert unescape('a &amp; b') == 'a & b'\n"
        "print('html' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]
