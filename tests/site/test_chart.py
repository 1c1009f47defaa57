"""The evidence chart on the standards page (portfolio_gen/site/chart.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from support.browser import serve_folder
from support.helpers import html, project

from portfolio_gen.site.chart import BAR_AREA, Chart
from portfolio_gen.site.matrix import UNSTATED, Bar

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[2]
COLUMNS = ("in-school", "out-of-school", "home", "online", "community", UNSTATED)


def chart() -> Chart:
    return Chart(
        (
            Bar("Math", "6-8", (1, 2, 0, 0, 3, 0)),
            Bar("Engineering", "6-8", (0, 2, 0, 1, 0, 1)),
            Bar("Making", None, (0, 1, 0, 0, 0, 0)),
        ),
        COLUMNS,
    )


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


def test_svg_is_well_formed_and_has_a_text_alternative():
    svg = parse(chart().svg())
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Evidence per subject and grade band, by setting"
    assert desc.text == (
        "Math, grades 6-8: 6 pieces of evidence (in-school 1, out-of-school 2, community 3). "
        "Engineering, grades 6-8: 4 pieces of evidence "
        "(out-of-school 2, online 1, setting not given 1). "
        "Making: 1 piece of evidence (out-of-school 1)."
    )


def test_bars_are_proportional_and_settings_are_patterns_with_numbers():
    svg = parse(chart().svg())
    rows = svg.findall(f"{SVG}g")
    assert len(rows) == 3
    patterns = {p.get("id"): p for p in svg.iter(f"{SVG}pattern")}
    assert len(patterns) == len(COLUMNS)  # one pattern per setting
    drawn = {ET.tostring(p).replace(p.get("id").encode(), b"") for p in patterns.values()}
    assert len(drawn) == len(COLUMNS)  # and every pattern looks different
    math = rows[0]
    segments = math.findall(f"{SVG}rect")
    assert [s.get("fill") for s in segments] == [
        "url(#chart-pattern-in-school)",
        "url(#chart-pattern-out-of-school)",
        "url(#chart-pattern-community)",
    ]
    widths = [percent(s.get("width")) for s in segments]
    assert abs(sum(widths) - BAR_AREA) < 0.2  # the longest bar fills the area
    assert abs(widths[2] / widths[0] - 3) < 0.05
    xs = [percent(s.get("x")) for s in segments]
    assert xs[0] == 0 and abs(xs[1] - widths[0]) < 0.1  # stacked, not overlapping
    # Each segment has its count written on it, and a tooltip in words.
    numbers = [n.find(f"{SVG}text").text for n in math.findall(f"{SVG}svg")]
    assert numbers == ["1", "2", "3"]
    assert segments[2].find(f"{SVG}title").text == "Math, grades 6-8, community: 3"
    assert [t.text for t in math.findall(f"{SVG}text")] == ["Math, grades 6-8", "6"]
    engineering = [percent(s.get("width")) for s in rows[1].findall(f"{SVG}rect")]
    assert abs(sum(engineering) - BAR_AREA * 4 / 6) < 0.2


def test_legend_names_every_setting_beside_its_pattern():
    legend = BeautifulSoup(str(chart().legend()), "html.parser")
    items = legend.select("ul.chart-legend li")
    assert [li.text.strip() for li in items] == [
        "in-school", "out-of-school", "home", "online", "community", "setting not given",
    ]  # fmt: skip
    for li, column in zip(items, COLUMNS, strict=True):
        swatch = li.find("svg")
        assert swatch["aria-hidden"] == "true"
        assert swatch.find("rect")["fill"] == f"url(#chart-pattern-{column})"


def test_text_is_escaped_translated_and_output_is_stable():
    odd = Chart((Bar("<b>Art</b> & Design", "K-2", (2,)),), ("home",), prefix="c2")

    def shout(text: str, **values: object) -> str:
        return text.upper().format(**{k.upper(): v for k, v in values.items()})

    svg = odd.svg(shout)
    tree = parse(svg)
    assert tree.find(f"{SVG}title").text == "EVIDENCE PER SUBJECT AND GRADE BAND, BY SETTING"
    assert tree.find(f"{SVG}title").get("id") == "c2-title"
    assert "<b>" not in str(svg) and "&lt;b&gt;Art&lt;/b&gt; &amp; Design" in str(svg)
    assert "HOME" in tree.find(f"{SVG}desc").text
    assert odd.svg(shout) == svg  # the same input draws the same bytes
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", str(svg))  # nothing from other hosts


def test_an_empty_chart_is_false_and_narrow_segments_carry_no_number():
    assert not Chart((), ("home",))
    wide = Chart((Bar("Math", "6-8", (1, 40)),), ("home", "community"))
    pills = list(parse(wide.svg()).iter(f"{SVG}svg"))[1:]  # the first is the chart itself
    numbers = [n.find(f"{SVG}text").text for n in pills]
    assert numbers == ["40"]  # the 1-segment is too narrow for its number; the table has it


def test_standards_page_draws_the_chart_before_the_table_with_its_numbers(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", setting="in-school", standards="[7.RP.A.2, 7.RP.A.1]"),
            "content/projects/b.md": project("B", setting="home", standards="[7.RP.A.2, MS-ETS1-4]"),
        }
    )  # fmt: skip
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/standards/index.html")
    figure = page.select_one("figure.chart")
    svg = figure.find("svg")
    assert svg["role"] == "img" and figure.find_next("table", class_="matrix") is not None
    assert figure["aria-labelledby"] == figure.figcaption["id"]
    rows = {
        tr.th.text: [td.text for td in tr.find_all("td")]
        for tr in figure.select(".chart-data tbody tr")
    }
    assert rows == {"Engineering, grades 6-8": ["0", "1", "1"], "Math, grades 6-8": ["1", "1", "2"]}
    assert [th.text for th in figure.select(".chart-data thead th")] == [
        "Subject and grade band", "in-school", "home", "Total",
    ]  # fmt: skip
    assert page.find("script") is None  # readable without JavaScript
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_chart_follows_light_dark_and_print(page, cli, tmp_path):
    out = tmp_path / "site"
    assert cli("build", str(REPO), "-o", str(out), "--quiet").code == 0
    ink = "getComputedStyle(document.querySelector('pattern.chart-in-school .chart-ink')).fill"
    text = "getComputedStyle(document.querySelector('.chart-label')).fill"
    with serve_folder(out) as base:
        page.emulate_media(color_scheme="light")
        page.goto(base + "standards/")
        light = page.evaluate(ink), page.evaluate(text)
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate(ink), page.evaluate(text)
        page.emulate_media(media="print", color_scheme="dark")
        printed = page.evaluate(text)
        box = page.evaluate("document.querySelector('.chart-svg').getBoundingClientRect().height")
    assert light[0] != dark[0] and light[1] != dark[1]
    assert printed == "rgb(0, 0, 0)"  # black text on paper, even from a dark screen
    assert box > 100
