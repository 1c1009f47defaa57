"""feed.xml and sitemap.xml escaping (their pages are tested in tests/test_build.py)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from portfolio_gen.site import feeds


def test_escaping_matches_the_standard_library():
    for text in ["plain", "a & b < c > d", 'say "hi"', "it's", "both \" and '", "tab\tnew\nline\r"]:
        assert feeds.escape(text) == escape(text)
        assert feeds.quoteattr(text) == quoteattr(text)
