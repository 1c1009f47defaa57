"""portfolio-gen export: CSV, JSON and a zip of the site that works from disk (portfolio_gen/export.py)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from support.helpers import html, project, site_json

from portfolio_gen.badges import bake
from portfolio_gen.export import CSV_COLUMNS, file_links, folder_link, neutralise

REPO = Path(__file__).resolve().parent.parent
NO_BASE = "title: Test Portfolio\nlearner: {name: Ana B.}\n"


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (24, 24), "teal").save(buf, "PNG")
    return buf.getvalue()


def badge(code: str) -> bytes:
    """A real Open Badges 2.0 hosted assertion, baked into a PNG, aligned to ``code``."""
    return bake(png(), json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "https://issuer.example.org/assertions/1",
        "recipient": {"type": "email", "hashed": False, "identity": "someone@example.org"},
        "issuedOn": "2026-02-03", "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass", "id": "https://issuer.example.org/badges/1", "name": "Ratio Pro",
            "description": "d", "image": "https://issuer.example.org/b.png",
            "criteria": {"narrative": "n"}, "alignment": [{"targetName": code, "targetCode": code}],
            "issuer": {"type": "Profile", "id": "https://issuer.example.org/",
                       "name": "=Math Circle", "url": "https://issuer.example.org/"},
        },
    }))  # fmt: skip


FILES = {
    "content/projects/arm/index.md": project(
        "Arm, \"the big one\"", "2026-03-01", setting="out-of-school", program="Hive",
        standards="[{code: 7.RP.A.2, level: proficient, rationale: 'Ratios, \"sized\" syringes.'}, MS-ETS1-4]",
        body="See also [the oven](../oven/) and [its notes](../oven/#notes).\n",
    ),
    "content/projects/oven/index.md": project(
        "Oven", "2026-02-01", setting="in-school",
        standards="[{code: 7.RP.A.2, rationale: '=HYPERLINK(\"http://evil.example\")'}]",
        body="## Notes\n\nBack to [the arm](../arm/).\n",
    ),
    "content/projects/plus.md": project(
        "+1 idea", "2026-01-01", standards="[{code: MS-ETS1-4, rationale: '-5 degrees, @noon'}]"
    ),
    "badges/ratio.png": badge("7.RP.A.2"),
}  # fmt: skip


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --------------------------------------------------------------------------- CSV and JSON


def test_csv_has_one_row_per_standard_evidence_pair(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    out = tmp_path / "out" / "evidence.csv"
    run = cli("export", str(root), "--csv", str(out))
    assert run.code == 0, run.err
    assert f"exported {out} (CSV, 5 rows)" in run.out
    data = out.read_bytes()
    assert b"\r\n" in data and data.count(b"\r\n") == 6  # RFC 4180 line ends; quoted text has none
    rows = read_csv(data)
    assert list(rows[0]) == list(CSV_COLUMNS)
    pairs = sorted((r["code"], r["title"]) for r in rows)
    assert pairs == [
        ("CCSS.Math.Content.7.RP.A.2", 'Arm, "the big one"'),
        ("CCSS.Math.Content.7.RP.A.2", "Oven"),
        ("CCSS.Math.Content.7.RP.A.2", "Ratio Pro"),
        ("MS-ETS1-4", "'+1 idea"),
        ("MS-ETS1-4", 'Arm, "the big one"'),
    ]
    arm = next(r for r in rows if r["title"].startswith("Arm") and r["code"].startswith("CCSS"))
    assert arm == {
        "code": "CCSS.Math.Content.7.RP.A.2", "framework": "CCSS Math",
        "statement": "Recognize and represent proportional relationships between quantities.",
        "evidence type": "project", "title": 'Arm, "the big one"',
        "url": "https://ana.example.org/portfolio/projects/arm/", "date": "2026-03-01",
        "setting": "out-of-school", "program": "Hive", "rationale": 'Ratios, "sized" syringes.',
        "level": "proficient", "badge issuer": "", "verification status": "",
        "review_status": "", "review_comment": "",  # for a teacher: review import
    }  # fmt: skip
    ratio = next(r for r in rows if r["evidence type"] == "badge")
    assert ratio["badge issuer"] == "'=Math Circle" and ratio["verification status"] == "unverified"
    assert ratio["url"] == "https://ana.example.org/portfolio/badges/ratio/"
    assert not (root / "site").exists()  # export never builds into site/


def test_csv_cells_that_look_like_formulas_are_neutralised(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    out = tmp_path / "e.csv"
    assert cli("export", str(root), "--csv", str(out)).code == 0
    rows = read_csv(out.read_bytes())
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    oven = next(r for r in rows if r["title"] == "Oven")
    assert oven["rationale"] == '\'=HYPERLINK("http://evil.example")'
    assert next(r for r in rows if r["title"] == "'+1 idea")["rationale"] == "'-5 degrees, @noon"
    assert [neutralise(x) for x in ("=1+1", "@SUM(A1)", "\tx", "a=b", "", "2026-01-01")] == [
        "'=1+1", "'@SUM(A1)", "'\tx", "a=b", "", "2026-01-01",
    ]  # fmt: skip


def test_csv_urls_are_site_relative_without_a_base_url_and_stdout_has_no_bom(cli, make_portfolio):
    root = make_portfolio(FILES, config=NO_BASE)
    run = cli("export", str(root), "--csv", "-")
    assert run.code == 0, run.err
    assert not run.out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(run.out, newline="")))
    assert {r["url"] for r in rows} == {"projects/arm/", "projects/oven/", "projects/plus/",
                                        "badges/ratio/"}  # fmt: skip
    run = cli("export", str(root), "--csv", "-", "--base-url", "https://b.example.org/p")
    urls = {r["url"] for r in csv.DictReader(io.StringIO(run.out, newline=""))}
    assert "https://b.example.org/p/projects/arm/" in urls


def test_json_is_portfolio_jsons_standards_view(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    out = tmp_path / "standards.json"
    assert cli("export", str(root), "--json", str(out)).code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert cli("build", str(root), "--quiet").code == 0
    built = site_json(root / "site")
    assert list(exported) == ["schema", "generator", "title", "learner", "standards"]
    assert exported["standards"] == built["standards"] and exported["schema"] == built["schema"]
    assert {"type": "badge", "slug": "ratio"} in exported["standards"][0]["evidence"]


# --------------------------------------------------------------------------- the zip


def test_zip_is_deterministic_sorted_and_holds_the_site_and_the_csv(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    run = cli("export", str(root), "--zip", str(one))
    assert run.code == 0, run.err
    assert "open test-portfolio/index.html" in run.out
    assert cli("export", str(root), "--zip", str(two)).code == 0
    assert one.read_bytes() == two.read_bytes()
    assert not (root / "site").exists()
    with zipfile.ZipFile(one) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert all(n.startswith("test-portfolio/") for n in names)
        for expected in ("index.html", "standards/index.html", "report/index.html",
                         "projects/arm/index.html", "badges/ratio/ratio.png", "portfolio.json",
                         "evidence.csv"):  # fmt: skip
            assert f"test-portfolio/{expected}" in names
        assert not [n for n in names if n.endswith(".portfolio-gen")]
        rows = read_csv(archive.read("test-portfolio/evidence.csv"))
        assert len(rows) == 5
        assert archive.read("test-portfolio/badges/ratio/ratio.png") == FILES["badges/ratio.png"]


def test_zip_pages_link_index_html_everywhere(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    target = tmp_path / "site.zip"
    assert cli("export", str(root), "--zip", str(target)).code == 0
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as archive:
        archive.extractall(folder)
    site = folder / "test-portfolio"
    for page in site.rglob("*.html"):
        for tag in html(page).find_all(href=True):
            value = tag["href"]
            if "://" in value or value.startswith(("#", "mailto:")) or page.name == "404.html":
                continue
            path = value.split("#")[0].split("?")[0]
            assert not path.endswith("/") and path not in (".", ".."), f"{page}: {value}"
            assert (page.parent / path).is_file(), f"{page.relative_to(site)} -> {value}"
    arm = html(site / "projects/arm/index.html")
    body = [a["href"] for a in arm.select(".prose a")]
    assert body == ["../oven/index.html", "../oven/index.html#notes"]


def test_zip_opens_from_disk_in_chromium(page, cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    target = tmp_path / "site.zip"
    assert cli("export", str(root), "--zip", str(target)).code == 0
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as archive:
        archive.extractall(folder)
    site = folder / "test-portfolio"
    page.goto((site / "index.html").as_uri())
    page.click(".site-nav >> text=Standards")
    page.wait_for_load_state()
    assert page.url == (site / "standards/index.html").as_uri()
    assert page.inner_text("h1") == "Standards and evidence"
    page.click("table.matrix >> text=Oven")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Oven"
    page.click(".pager >> text=Arm")
    page.wait_for_load_state()
    page.click(".prose >> text=the oven")  # a link written in Markdown: ../oven/
    page.wait_for_load_state()
    assert page.url == (site / "projects/oven/index.html").as_uri()
    assert page.inner_text("h1") == "Oven"
    page.click(".site-nav >> text=Standards")
    page.click(".report-link a")
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith("Evidence report")


# --------------------------------------------------------------------------- problems


def test_errors_are_reported_like_build_and_nothing_is_written(cli, make_portfolio, tmp_path):
    root = make_portfolio({"content/projects/bad.md": "---\ntitle: [unclosed\n---\nText\n"})
    out = tmp_path / "e.csv"
    run = cli("export", str(root), "--csv", str(out), "--zip", str(tmp_path / "e.zip"))
    assert run.code == 1
    assert any(line.startswith("content/projects/bad.md:") and ": error: " in line
               for line in run.lines), run.err  # fmt: skip
    assert run.lines[-1] == "export failed: 1 error(s); nothing was written"
    assert not out.exists() and not (tmp_path / "e.zip").exists()
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "error: nothing to export: give --zip FILE, --csv FILE and/or --json FILE"),
        (["--zip", "-"], "error: --zip needs a file name (a zip cannot go to standard output)"),
        (["--csv", "-", "--json", "-"], "error: only one export can go to standard output ('-')"),
        (["--csv", "same.txt", "--json", "same.txt"], "error: give each export its own file"),
    ],
)
def test_usage_errors_exit_2(cli, make_portfolio, args, message):
    root = make_portfolio(FILES)
    run = cli("export", str(root), *args)
    assert run.code == 2 and run.lines == [message]


def test_a_folder_as_target_and_a_missing_portfolio(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    run = cli("export", str(root), "--csv", str(tmp_path))
    assert run.code == 2 and run.lines == [
        f"error: --csv {tmp_path}: is a folder; give a file name"
    ]
    run = cli("export", str(tmp_path / "nowhere"), "--csv", str(tmp_path / "x.csv"))
    assert run.code == 2 and run.lines == [f"{tmp_path / 'nowhere'}: error: no such folder"]
    empty = tmp_path / "empty"
    empty.mkdir()
    run = cli("export", str(empty), "--csv", str(tmp_path / "x.csv"))
    assert run.code == 1 and "portfolio.yml: error: no portfolio.yml here" in run.err


# --------------------------------------------------------------------------- link rewriting


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("../b/", "../b/index.html"),
        ("../b/#part", "../b/index.html#part"),
        ("./?interest=x", "./index.html?interest=x"),
        ("../../", "../../index.html"),
        ("..", "../index.html"),
        (".", "./index.html"),
        ("b/c.png", "b/c.png"),
        ("feed.xml", "feed.xml"),
        ("#main", "#main"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("//example.org/a/", "//example.org/a/"),
        ("/root/", "/root/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("", ""),
    ],
)
def test_folder_link(url, expected):
    assert folder_link(url) == expected


def test_file_links_rewrites_attributes_only():
    page = (
        '<!doctype html>\n<a href="../b/">b</a> <a class=x href=../c/ >c</a>\n'
        '<p>href="../d/" stays text</p><script>var s = \'<a href="../e/">\';</script>\n'
        '<img src=\'a/\'><form action="./"></form><a href="https://x.example/y/">y</a>'
    )
    out = BeautifulSoup(file_links(page), "html.parser")
    assert [a["href"] for a in out.find_all("a")] == [
        "../b/index.html", "../c/index.html", "https://x.example/y/",
    ]  # fmt: skip
    assert out.img["src"] == "a/index.html" and out.form["action"] == "./index.html"
    assert 'href="../d/" stays text' in out.p.text
    assert '../e/"' in out.script.string
    assert file_links("<p>no links</p>") == "<p>no links</p>"
