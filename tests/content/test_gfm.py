"""GitHub Flavored Markdown as learners write it, and hostile input to the renderer."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import pytest
from bs4 import BeautifulSoup
from support.helpers import project

from portfolio_gen.content.gfm import github_slug
from portfolio_gen.content.links import browser_url, external
from portfolio_gen.content.markdown import MarkdownRenderer

MD = MarkdownRenderer()


def render(text: str, source: str = "projects/a/index.md"):
    result = MD.render(text, source)
    return result, BeautifulSoup(result.html, "html.parser")


def test_what_a_learner_writes_on_day_one_renders_as_on_github():
    text = (
        "Things I used:\n- cardboard\n  - tape\n\n"
        "1. Cut\n\n   ```python\n   cut()\n   ```\n2. Glue\n\n"
        "See https://example.org and ~~old~~ new.\\\nNext line.\n"
    )
    _, soup = render(text)
    assert soup.find("p").text == "Things I used:"
    assert soup.select_one("ul > li > ul > li").text == "tape"  # nested with two spaces
    assert soup.select_one("ol > li div.highlight code").text == "cut()\n"
    assert len(soup.select("ol > li")) == 2
    assert soup.find("a", href="https://example.org") is not None
    assert soup.find("del").text == "old"
    assert soup.find("br") is not None


def test_alerts_emoji_and_math():
    text = (
        "> [!WARNING]\n> Hot glue burns.\n\n> [!tip]\n> Go slow.\n\n> Just a quote.\n\n"
        "Done :tada: :not_an_emoji: `:tada:`\n\n$x^2$ and $$\\frac{a}{b}$$\n\n"
        "```math\n\\sqrt{2}\n```\n"
    )
    result, soup = render(text)
    alert = soup.select_one("div.markdown-alert.markdown-alert-warning")
    assert alert.select_one("p.markdown-alert-title").text == "Warning"
    assert "Hot glue burns." in alert.text and "[!WARNING]" not in alert.text
    assert soup.select_one("div.markdown-alert-tip") is not None
    assert soup.find("blockquote").text.strip() == "Just a quote."
    assert "Done 🎉 :not_an_emoji: " in soup.text and soup.find("code").text == ":tada:"
    maths = soup.find_all("math")
    assert [m.get("display") for m in maths] == ["inline", "block", "block"]
    assert maths[0].find("msup") and maths[1].find("mfrac") and maths[2].find("msqrt")
    assert result.problems == []


def test_a_formula_that_does_not_convert_is_a_warning_and_shows_as_code():
    result, soup = render("Intro.\n\nBad $a^$ here.\n\n```math\n\\begin{x}\n```\n")
    assert soup.find("math") is None
    assert soup.find("code").text == "$a^$"
    assert [(line, severity) for line, severity, _ in result.problems] == [
        (3, "warning"),
        (5, "warning"),
    ]


def test_formulas_a_page_are_bounded():
    from portfolio_gen.content.gfm import MAX_FORMULAS

    result, soup = render("$x$ " * (MAX_FORMULAS + 5))
    assert len(soup.find_all("math")) == MAX_FORMULAS and len(soup.find_all("code")) == 5
    assert [m for _, _, m in result.problems] == [
        f"more than {MAX_FORMULAS} formulas on one page; the rest are shown as code"
    ]


def test_heading_anchors_are_githubs_and_linear():
    _, soup = render("## Hello, World!\n\n## Привет мир\n\n## C++ & C#\n\n## x\n\n## x\n\n## x-1\n")
    ids = [h["id"] for h in soup.find_all("h2")]
    assert ids == ["hello-world", "привет-мир", "c--c", "x", "x-1", "x-1-1"]
    assert github_slug("Straße_2 — ok") == "straße_2--ok"
    _, soup = render("## h\n" * 2000)
    ids = [h["id"] for h in soup.find_all("h2")]
    assert len(set(ids)) == 2000 and ids[:3] == ["h", "h-1", "h-2"]


def test_deep_nesting_is_flattened_with_a_warning():
    result, soup = render("> " * 300 + "deep\n")
    assert len(soup.find_all("blockquote")) == 100 and "deep" in soup.text
    assert "nested more than 100 levels" in result.problems[0][2]
    result, soup = render("<div>" * 300 + "x")
    assert len(soup.find_all("div")) == 100


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https:\\\\evil.example/x.png", "https://evil.example/x.png"),
        ("https:/evil.example/x.png", "https://evil.example/x.png"),
        ("https:evil.example/x.png", "https://evil.example/x.png"),
        ("https:\n//evil.example/x.png", "https://evil.example/x.png"),
        (" \x01https://evil.example/x.png\x00 ", "https://evil.example/x.png"),
        ("\\\\evil.example/x.png", "//evil.example/x.png"),
        ("/\\evil.example/x.png", "//evil.example/x.png"),
        ("ht\ttps://evil.example/", "https://evil.example/"),
        ("pics/a.png?x=\\y", "pics/a.png?x=\\y"),
    ],
)
def test_urls_are_read_as_browsers_read_them(value, expected):
    assert browser_url(value) == expected and external(expected) == expected.startswith(("h", "/"))


SPELLINGS = [
    "https:\\\\evil.example/x.png",
    "https:/evil.example/x.png",
    "https:&#10;//evil.example/x.png",
    "https:&#9;//evil.example/x.png",
    "\\\\evil.example/x.png",
    " https://evil.example/x.png",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_images_from_other_hosts_never_load_however_written(spelling):
    text = (
        f'<img src="{spelling}" alt="a">\n\n'
        f'<picture><source srcset="ok.png 1x, {spelling} 2x"><img src="ok.png" alt="b"></picture>\n\n'
        f'<video controls poster="{spelling}"><source src="{spelling}"></video>\n\n'
        f'<audio controls src="{spelling}"></audio>\n\n'
        f'<table background="{spelling}"><tr><td>x</td></tr></table>\n\n'
        f"![c](<{spelling.replace('&#10;', '').replace('&#9;', '')}>)\n"
    )
    result, soup = render(text)
    for tag in soup.find_all(True):
        for attribute in ("src", "poster", "background", "xlink:href"):
            if tag.get(attribute):
                assert not external(browser_url(tag[attribute])), (tag, attribute)
        for candidate in tag.get("srcset", "").split(","):
            if candidate.strip():
                assert not external(browser_url(candidate.split()[0])), tag
    assert soup.select("a.external-image")  # shown as a link instead
    assert any("on another host" in message for _, _, message in result.problems)


def test_allowed_hosts_are_matched_after_reading_the_url_as_a_browser():
    allowing = MarkdownRenderer(image_hosts=("images.example.org",))
    html = allowing.render('<img src="https:\\\\images.example.org/a.png" alt="A">\n', "a.md").html
    assert 'src="https://images.example.org/a.png"' in html


def test_summaries_hold_text_only(make_portfolio, cli):
    """No placeholder or control character from Markdown reaches the summary, the pages
    or feed.xml (raw HTML in the first paragraph left placeholders in all of them)."""
    body = '<b>Bold</b> start & <span>more</span>\x02 "quoted".\n\nSecond.\n'
    root = make_portfolio({"content/projects/a.md": project(body=body)})
    result, _ = render(body)
    assert result.summary == "Bold start & more\ufffd \u201cquoted\u201d."
    run = cli("build", str(root))
    assert run.code == 0, run.err
    site = root / "site"
    feed = etree.parse(site / "feed.xml").getroot()  # well-formed XML
    summaries = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]
    assert summaries == ["Bold start & more\ufffd \u201cquoted\u201d."]
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text), path
            assert "wzxhzdk" not in text, path


def test_feed_is_well_formed_whatever_the_front_matter_holds(make_portfolio, cli):
    root = make_portfolio({"content/projects/b.md": project("B", summary='"Made with \\x02 care"')})
    assert cli("build", str(root)).code == 0
    feed = etree.parse(root / "site/feed.xml").getroot()
    assert [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")] == [
        "Made with  care"
    ]


def test_hidden_schemes_are_errors_with_their_line():
    result, soup = render('Text.\n\n<a href="java&#9;script:alert(1)">x</a>\n')
    assert soup.find("a").get("href") is None
    assert [(line, severity) for line, severity, _ in result.problems] == [(3, "error")]


def test_content_written_for_the_old_engine():
    """Four-space nesting still nests; '#Title' (a heading to Python-Markdown) warns;
    Python-Markdown's fence attributes ({.python}) still pick the language."""
    text = "- a\n    - b\n\n#My Project\n\n#robotics\n\n```{.python}\nx = 1\n```\n"
    result, soup = render(text, "projects/a.md")
    assert soup.select_one("ul > li > ul > li").text == "b"
    assert [(line, severity) for line, severity, _ in result.problems] == [(4, "warning")]
    assert "'# Title' with a space" in result.problems[0][2]
    assert soup.select_one("div.highlight span.n").text == "x"


def test_table_alignment_is_a_class_not_the_obsolete_attribute():
    _, soup = render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")
    assert [c.get("class") for c in soup.find_all(["th", "td"])] == [
        ["align-center"], ["align-right"], ["align-center"], ["align-right"],
    ]  # fmt: skip
    assert not soup.select("[align]")


def test_task_items_label_their_checkboxes():
    _, soup = render("- [x] done\n  - [ ] nested\n- [ ] todo\n\n1. [x] loose\n\n   more\n")
    labels = soup.select("li.task > label, li.task > p > label")
    assert [label.text.strip() for label in labels] == ["done", "nested", "todo", "loose"]
    assert all(label.find("input", type="checkbox") for label in labels)
    assert soup.select_one("li.task > label + ul") is not None  # the nested list stays outside


def test_tables_that_would_explode_into_cells_are_shown_as_text():
    """cmark-gfm fills a short row up to the header's cells: 40 KB of text would
    ask for two million cells (hundreds of MB once sanitized)."""
    header = "|" + "a|" * 200 + "\n|" + "-|" * 200 + "\n"
    result, soup = render(header + "x\n" * 10_000)
    assert soup.find("table") is None and soup.find("td") is None
    assert [m for _, _, m in result.problems] == [
        "the tables would have more than 100,000 cells; they are shown as text "
        "(split them into smaller tables)"
    ]
    # A real table of many rows is still a table.
    result, soup = render("| a | b |\n|---|:-:|\n" + "| 1 | 2 |\n" * 2_000)
    assert len(soup.select("tbody tr")) == 2_000 and result.problems == []


def test_table_cells_counts_at_least_what_cmark_makes():
    from portfolio_gen.content.gfm import table_cells

    assert table_cells("no table here - | none") == 0
    text = "> | a | b | c |\n> |---|---|---|\n> | 1 |\n> x\n\nlater | -\n"
    _, soup = render(text)
    assert len(soup.select("th, td")) <= table_cells(text) == 12


def test_quote_markers_past_the_nesting_limit_are_dropped_before_parsing():
    result, soup = render("> " * 5_000 + "deep\n\nafter\n")
    assert len(soup.find_all("blockquote")) <= 100
    assert "deep" in soup.text and soup.find_all("p")[-1].text == "after"
    assert [line for line, _, m in result.problems if "nested more than 100" in m] == [None]
    _, soup = render("> > quoted twice\n")
    assert len(soup.find_all("blockquote")) == 2


def test_srcset_is_written_again_from_what_each_candidate_resolves_to():
    _, soup = render('<picture><source srcset="a.png 1x, ../b/c.png 2x,  d%20e.png"></picture>\n')
    assert soup.find("source")["srcset"] == "a.png 1x, ../b/c.png 2x, d%20e.png"
    # A browser reads "java<TAB>script:alert(1)" as the URL "java" with a bad
    # descriptor and drops it: so does the renderer, and nothing of it is written.
    _, soup = render('<picture><source srcset="java&#9;script:alert(1)"></picture>\n')
    assert soup.find("source") is not None and not soup.find("source").has_attr("srcset")


@pytest.mark.parametrize(
    ("language", "titles"),
    [("en", ["Note", "Caution"]), ("es", ["Nota", "Precaución"]), ("ar", ["ملاحظة", "تنبيه"])],
)
def test_alert_titles_are_in_the_sites_language(cli, make_portfolio, language, titles):
    root = make_portfolio(
        {"content/projects/a.md": project(body="> [!NOTE]\n> Hi.\n\n> [!CAUTION]\n> Hot glue.\n")},
        config=f"title: T\nlearner: {{name: A}}\nlanguage: {language}\n",
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    page = BeautifulSoup((root / "site/projects/a/index.html").read_text(), "html.parser")
    assert [p.text for p in page.select(".markdown-alert-title")] == titles
