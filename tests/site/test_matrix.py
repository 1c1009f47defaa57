"""The standards x evidence matrix (portfolio_gen/site/matrix.py) and the pages that show it:
standards/, standards/<code>/, report/."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from PIL import Image
from support.browser import serve_folder
from support.helpers import BASIC_CONFIG, html, project, site_json

from portfolio_gen.badges import bake
from portfolio_gen.build import Options, build, load
from portfolio_gen.site.matrix import UNSTATED, build_matrix, highest_level
from portfolio_gen.standards import Levels

REPO = Path(__file__).resolve().parents[2]
CASE_HOST = "https://case.example.org/uri/"
DOC = "d1000000-0000-4000-8000-000000000000"


def uid(n: int) -> str:
    return f"c1000000-0000-4000-8000-{n:012d}"


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (24, 24), "teal").save(buf, "PNG")
    return buf.getvalue()


def baked_badge(name: str, alignment: dict, evidence: str | None = None) -> bytes:
    """A real Open Badges 2.0 hosted assertion baked into a PNG."""
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://issuer.example.org/assertions/{name}",
        "recipient": {"type": "email", "hashed": False, "identity": "someone@example.org"},
        "issuedOn": "2026-02-03",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass",
            "id": f"https://issuer.example.org/badges/{name}",
            "name": name.replace("-", " ").title(),
            "description": "A test badge.",
            "image": "https://issuer.example.org/badge.png",
            "criteria": {"narrative": "Do the thing."},
            "alignment": [alignment],
            "issuer": {"type": "Profile", "id": "https://issuer.example.org/",
                       "name": "Pine Valley Math Circle", "url": "https://issuer.example.org/"},
        },
    }  # fmt: skip
    if evidence:
        assertion["evidence"] = [{"id": evidence, "narrative": "Built it."}]
    return bake(png(), json.dumps(assertion))


def case_package() -> dict:
    """Pine Valley Math 7: two coded standards and one item addressed only by its URI."""
    items = [
        {"identifier": uid(1), "uri": CASE_HOST + uid(1), "humanCodingScheme": "7.RP.A.2",
         "CFItemType": "Standard", "educationLevel": ["07"],
         "fullStatement": "Recognize and represent proportional relationships between quantities."},
        {"identifier": uid(2), "uri": CASE_HOST + uid(2), "humanCodingScheme": "PV.M7.DATA",
         "CFItemType": "Standard", "educationLevel": ["07"],
         "fullStatement": "Collect and display data from a real question."},
        {"identifier": uid(3), "uri": CASE_HOST + uid(3), "CFItemType": "Standard",
         "educationLevel": ["07"], "fullStatement": "Explain a rate to a classmate."},
    ]  # fmt: skip
    associations = [
        {
            "identifier": f"a1000000-0000-4000-8000-{n:012d}",
            "uri": CASE_HOST + f"a1000000-0000-4000-8000-{n:012d}",
            "associationType": "isChildOf",
            "originNodeURI": {"title": "", "identifier": uid(n), "uri": CASE_HOST + uid(n)},
            "destinationNodeURI": {"title": "doc", "identifier": DOC, "uri": CASE_HOST + DOC},
        }
        for n in (1, 2, 3)
    ]
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": CASE_HOST + DOC,
            "creator": "Pine Valley Schools",
            "title": "Pine Valley Math 7",
            "subject": ["Math"],
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        },
        "CFItems": items,
        "CFAssociations": associations,
    }


def matrix_rows(page) -> dict[str, list[str]]:
    """{code: [evidence titles]} as the standards page's table shows them."""
    rows = {}
    for tr in page.select("table.matrix tbody tr.standard-row"):
        code = tr.find("th", scope="row").find("code").text.strip()
        rows[code] = sorted(a.text.strip() for a in tr.select("td .evidence-list a"))
    return rows


def facts(tag, scope: str = "") -> dict[str, str]:
    """{dt: dd} of the description lists under ``tag`` (``scope`` narrows the selector)."""
    terms, values = tag.select(f"{scope} dt".strip()), tag.select(f"{scope} dd".strip())
    return {dt.text: dd.text.strip() for dt, dd in zip(terms, values, strict=True)}


def columns(page) -> list[str]:
    return [th.text.strip() for th in page.select("table.matrix thead th")]


# --------------------------------------------------------------------------- pure functions


SPELLINGS = {
    "content/projects/arm.md": project(
        "Arm", "2026-03-01", setting="out-of-school", program="Hive",
        standards="[ccss.math.content.7.rp.a.2, ms-ets1-4]",
    ),
    "content/projects/oven.md": project(
        "Oven", "2026-02-01", setting="in-school",
        standards="[7.RP.A.2, NGSS.MS-ETS1-4, HSA.SSE.A.1]",
    ),
    "content/projects/zine.md": project(
        "Zine", "2026-01-01", setting="home",
        standards="[CCSS.ELA-LITERACY.W.8.6, {code: W.8.3, level: developing, rationale: 'Poems, with a turn.'}]",
    ),
    "content/projects/club.md": project(
        "Club", "2025-12-01",
        standards="[{code: CCSS.Math.Content.7.RP.A.2, level: proficient}, ms-ess3-3]",
    ),
}  # fmt: skip


def loaded(root: Path):
    result, data = load(root, Options(cache=False))
    assert data is not None and not result.diagnostics.errors, list(result.diagnostics)
    return data.portfolio


def test_matrix_groups_columns_levels_and_gaps(make_portfolio):
    root = make_portfolio(SPELLINGS, config=BASIC_CONFIG + "goals: [W.8.1, MS-ETS1-4]\n")
    matrix = build_matrix(loaded(root))
    # Columns: only the settings that occur, in the contract's order; a project
    # without a setting goes to "unstated", last.
    assert matrix.columns == ("in-school", "out-of-school", "home", UNSTATED)
    titles = [(g.framework, g.subject, g.band) for g in matrix.groups]
    assert titles == [
        ("CCSS ELA/Literacy", "ELA/Literacy", "6-8"),
        ("CCSS Math", "Math", "6-8"),
        ("CCSS Math", "Math", "9-12"),
        ("NGSS", "Earth and Space Science", "6-8"),
        ("NGSS", "Engineering", "6-8"),
    ]
    assert len({g.id for g in matrix.groups}) == len(matrix.groups)
    ratio = matrix.row("CCSS.Math.Content.7.RP.A.2")
    by_column = {
        c: [e.slug for e in cell] for c, cell in zip(matrix.columns, ratio.cells, strict=True)
    }
    assert by_column == {"in-school": ["oven"], "out-of-school": ["arm"], "home": [],
                         UNSTATED: ["club"]}  # fmt: skip
    assert (ratio.count, ratio.projects, ratio.badges) == (3, 3, 0)
    assert (ratio.highest, ratio.rank) == ("proficient", 2)
    assert matrix.row("CCSS.ELA-Literacy.W.8.3").highest == "developing"
    assert matrix.row("HS-ETS1-2") is None
    # Gaps: goals with no evidence; a goal with evidence is not a gap.
    assert [r.node.code for r in matrix.gaps] == ["CCSS.ELA-Literacy.W.8.1"]
    assert matrix.goals == 2 and not matrix.row("MS-ETS1-4").gap
    assert matrix.group_of("CCSS.ELA-Literacy.W.8.1").gaps == (
        matrix.row("CCSS.ELA-Literacy.W.8.1"),
    )
    # Counts: pairs per column, pairs in all, distinct pieces of evidence.
    assert matrix.totals == (3, 2, 2, 2) and matrix.pairs == 9 and matrix.pieces == 4
    assert [d.isoformat() for d in matrix.dates] == ["2025-12-01", "2026-03-01"]


def test_bars_count_each_piece_of_evidence_once_per_subject_and_band(make_portfolio):
    root = make_portfolio(SPELLINGS)
    matrix = build_matrix(loaded(root))
    bars = {
        (b.subject, b.band): dict(zip(matrix.columns, b.counts, strict=True)) for b in matrix.bars
    }
    # Math 6-8: arm, oven, club (7.RP.A.2) - the oven counts once though it has two codes.
    assert bars[("Math", "6-8")] == {"in-school": 1, "out-of-school": 1, "home": 0, UNSTATED: 1}
    assert bars[("ELA/Literacy", "6-8")] == {"in-school": 0, "out-of-school": 0, "home": 1,
                                             UNSTATED: 0}  # fmt: skip
    assert [(b.subject, b.band) for b in matrix.bars][:2] == [
        ("Earth and Space Science", "6-8"),
        ("ELA/Literacy", "6-8"),
    ]


def test_highest_level_uses_the_portfolios_scale_not_the_alphabet():
    from portfolio_gen.site.graph import EvidenceItem

    scale = Levels(("emerging", "secure", "deep"))
    items = [EvidenceItem("project", s, s, f"projects/{s}/", None, level=level)
             for s, level in (("a", "secure"), ("b", "deep"), ("c", None), ("d", "emerging"))]  # fmt: skip
    assert highest_level(items, scale) == "deep"
    assert highest_level(items[2:3], scale) is None
    assert highest_level([], scale) is None


# --------------------------------------------------------------------------- the standards page


def test_codes_in_many_spellings_list_exactly_their_evidence(cli, make_portfolio):
    root = make_portfolio(SPELLINGS, config=BASIC_CONFIG + "goals: [W.8.1]\n")
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site"
    page = html(site / "standards/index.html")
    expected = {
        "CCSS.ELA-Literacy.W.8.1": [],
        "CCSS.ELA-Literacy.W.8.3": ["Zine"],
        "CCSS.ELA-Literacy.W.8.6": ["Zine"],
        "CCSS.Math.Content.7.RP.A.2": ["Arm", "Club", "Oven"],
        "CCSS.Math.Content.HSA-SSE.A.1": ["Oven"],
        "MS-ESS3-3": ["Club"],
        "MS-ETS1-4": ["Arm", "Oven"],
    }
    assert matrix_rows(page) == expected
    # Each standard's own page lists the same evidence, and portfolio.json agrees.
    data = {
        s["code"]: sorted(e["slug"] for e in s["evidence"]) for s in site_json(site)["standards"]
    }
    for code, titles in expected.items():
        slug = code.lower().replace(".", "-")
        own = html(site / "standards" / slug / "index.html")
        assert sorted(a.text for a in own.select(".evidence-items .evidence-title a")) == titles
        assert data[code] == sorted(t.lower() for t in titles)


def test_the_matrix_is_a_real_accessible_table(cli, make_portfolio):
    root = make_portfolio(SPELLINGS, config=BASIC_CONFIG + "goals: [W.8.1]\n")
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/standards/index.html")
    table = page.select_one("table.matrix")
    caption = table.find("caption")
    assert caption is not None and "Standards × evidence" in caption.text
    heads = table.select("thead th")
    assert all(th.get("scope") == "col" for th in heads)
    assert columns(page) == ["Standard", "in-school", "out-of-school", "home",
                             "setting not given", "Evidence", "Highest level"]  # fmt: skip
    width = len(heads)
    for tbody in table.find_all("tbody"):
        group = tbody.select_one("tr.group-row th")
        assert group["scope"] == "rowgroup" and int(group["colspan"]) == width
        for tr in tbody.select("tr.standard-row"):
            assert tr.find("th")["scope"] == "row"
            cells = tr.find_all(["th", "td"], recursive=False)
            assert sum(int(c.get("colspan", 1)) for c in cells) == width, tr
            for td in tr.find_all("td", recursive=False):
                # The phone layout names each cell (a gap's cell says it in words).
                assert td.get("data-label") or "gap-cell" in td["class"]
    # Scrolling is never a trap: the wrapper is a labelled, focusable region.
    wrap = table.parent
    assert wrap["role"] == "region" and wrap["tabindex"] == "0"
    assert wrap["aria-labelledby"] == caption["id"]
    # Totals per setting in the footer.
    assert [td.text for td in table.select("tfoot td")][:4] == ["3", "2", "2", "2"]


def test_gaps_show_in_the_table_and_are_listed(cli, make_portfolio):
    root = make_portfolio(SPELLINGS, config=BASIC_CONFIG + "goals: [W.8.1, MS-ETS1-4]\n")
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/standards/index.html")
    gaps = page.select("tr.standard-row.gap")
    assert [tr.find("code").text for tr in gaps] == ["CCSS.ELA-Literacy.W.8.1"]
    assert "goal still open" in gaps[0].find("th").text  # in words, not only colour
    assert gaps[0].select_one(".gap-cell").text.strip() == "No evidence yet"
    listed = page.select(".gap-list li a")
    assert [a.text for a in listed] == ["CCSS.ELA-Literacy.W.8.1"]
    assert listed[0]["href"] == "ccss-ela-literacy-w-8-1/"
    # A goal that has evidence is flagged as a goal, not as a gap.
    ets = next(tr for tr in page.select("tr.standard-row") if "MS-ETS1-4" in tr.th.text)
    assert ets.select_one(".goal-flag") and not ets.select_one(".gap-flag")
    group = gaps[0].parent
    assert group.name == "tbody" and group["id"] == "ccss-ela-literacy-ela-literacy-6-8"
    assert "1 gap" in group.select_one(".group-counts").text
    assert page.select_one(f'.matrix-groups a[href="#{group["id"]}"]') is not None


def test_levels_on_a_custom_scale_show_in_the_matrix_and_on_evidence(cli, make_portfolio):
    config = BASIC_CONFIG + "levels: [emerging, secure, deep]\n"
    root = make_portfolio(
        {
            "content/projects/a.md": project(
                "A", "2026-01-01", setting="home",
                standards="[{code: MS-ETS1-4, level: secure, rationale: 'Tested twice.'}]",
            ),
            "content/projects/b.md": project(
                "B", "2026-02-01", setting="in-school", standards="[{code: MS-ETS1-4, level: deep}]"
            ),
            "content/projects/c.md": project("C", "2026-03-01", standards="[MS-ETS1-4]"),
        },
        config=config,
    )  # fmt: skip
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    page = html(site / "standards/index.html")
    row = page.select_one("tr.standard-row")
    assert row.select_one(".level-cell .level").text == "deep"
    assert row.select_one(".level-cell .level-rank").text == "(3 of 3)"
    assert sorted(s.text for s in row.select(".setting-cell .level")) == ["deep", "secure"]
    own = html(site / "standards/ms-ets1-4/index.html")
    assert facts(own, ".facts")["Highest level"].startswith("deep")
    items = {li.select_one(".evidence-title a").text: li for li in own.select(".evidence-item")}
    assert items["A"].select_one(".level").text == "secure"
    assert items["A"].select_one(".rationale").text.strip() == "Rationale: Tested twice."
    assert items["C"].select_one(".level") is None


def test_standard_page_shows_statement_uri_and_every_fact_of_evidence(cli, make_portfolio):
    framework = """\
        framework: Hive Maker Skills
        url: https://hive.example.org/skills/
        subject: Making
        grade: 6-8
        standards:
          - code: HIVE.DESIGN.3
            statement: Changes the design after a test and explains why.
            url: https://hive.example.org/skills/design-3
        """
    root = make_portfolio(
        {
            "standards/hive.yml": framework,
            "content/projects/arm.md": project(
                "Arm", "2026-03-01", setting="out-of-school", program="Hive Maker Club",
                standards="[{code: hive.design.3, rationale: 'Rebuilt the elbow twice.', level: proficient}]",
            ),
        }
    )  # fmt: skip
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    own = html(site / "standards/hive-design-3/index.html")
    assert own.h1.text == "HIVE.DESIGN.3"
    assert own.select_one("blockquote.statement").text == (
        "Changes the design after a test and explains why."
    )
    assert own.select_one("a.uri")["href"] == "https://hive.example.org/skills/design-3"
    item = own.select_one(".evidence-item")
    assert item.select_one(".evidence-title a")["href"] == "../../projects/arm/"
    assert facts(item) == {"Date": "March 1, 2026", "Setting": "out-of-school",
                     "Where": "Hive Maker Club", "Level": "proficient (3 of 4)"}  # fmt: skip
    assert "Rebuilt the elbow twice." in item.select_one(".rationale").text
    # The project page links its standard to that page.
    arm = html(site / "projects/arm/index.html")
    link = arm.select_one(".standard-list a")
    assert (site / "projects/arm" / link["href"] / "index.html").resolve() == (
        site / "standards/hive-design-3/index.html"
    )
    # The matrix shows the statement beside the code.
    page = html(site / "standards/index.html")
    assert page.select_one("tr.standard-row .statement").text.startswith("Changes the design")


def test_case_package_statements_and_a_badge_aligned_by_case_uri(cli, make_portfolio, tmp_path):
    package = tmp_path / "pine-valley.json"
    package.write_text(json.dumps(case_package(), indent=1), encoding="utf-8")
    badge = baked_badge(
        "rate-explainer",
        {"targetName": "Explain a rate", "targetUrl": CASE_HOST + uid(3), "targetType": "CFItem",
         "targetCode": "NOT-A-CODE"},
        evidence="https://ana.example.org/portfolio/projects/oven/",
    )  # fmt: skip
    root = make_portfolio(
        {
            "content/projects/oven.md": project(
                "Oven", "2026-02-01", setting="in-school", standards="[ccss.math.content.7.rp.a.2]"
            ),
            "badges/rate-explainer.png": badge,
        }
    )
    run = cli("standards", "import", str(package), str(root))
    assert run.code == 0, run.err
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site"
    data = {s["code"]: s for s in site_json(site)["standards"]}
    # The badge is evidence for the CASE item it names by URI (it has no code).
    item = data[uid(3)]
    assert (
        item["url"] == CASE_HOST + uid(3) and item["statement"] == "Explain a rate to a classmate."
    )
    assert item["evidence"] == [{"type": "badge", "slug": "rate-explainer"}]
    # The project's CCSS code resolves to the package's item, with its statement.
    ratio = data["CCSS.Math.Content.7.RP.A.2"]
    assert ratio["framework"] == "Pine Valley Math 7" and ratio["url"] == CASE_HOST + uid(1)
    assert ratio["statement"].startswith("Recognize and represent")
    # Pages: the item's page shows the statement, URI and the badge with issuer and status.
    own = html(site / "standards" / uid(3) / "index.html")
    assert own.select_one("blockquote.statement").text == "Explain a rate to a classmate."
    assert own.select_one("a.uri")["href"] == CASE_HOST + uid(3)
    evidence = own.select_one(".evidence-item")
    assert evidence.select_one(".evidence-title a")["href"] == "../../badges/rate-explainer/"
    found = facts(evidence)
    assert found["Issuer"] == "Pine Valley Math Circle"
    assert found["Verification"].endswith("Unverified")  # hosted, and built offline
    assert found["Setting"] == "in-school"  # from the project the badge names as evidence
    page = html(site / "standards/index.html")
    assert matrix_rows(page)["Explain a rate to a classmate."] == ["Rate Explainer"]
    statements = [s.text for s in page.select("tr.standard-row .statement")]
    assert "Recognize and represent proportional relationships between quantities." in statements
    # The badge page links the aligned item to its standard page.
    badge_page = html(site / "badges/rate-explainer/index.html")
    assert badge_page.select_one(".standard-list a")["href"] == f"../../standards/{uid(3)}/"


def test_report_lists_every_standard_with_its_evidence(cli, make_portfolio):
    badge = baked_badge("ratio-pro", {"targetName": "7.RP.A.2", "targetCode": "7.RP.A.2"})
    files = dict(SPELLINGS, **{"badges/ratio-pro.png": badge})
    root = make_portfolio(files, config=BASIC_CONFIG + "goals: [W.8.1]\n")
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    standards = html(site / "standards/index.html")
    link = standards.select_one(".report-link a")
    assert link["href"] == "../report/" and (site / "report/index.html").is_file()
    report = html(site / "report/index.html")
    assert "Ana B." in report.h1.text
    header = facts(report, ".report-header")
    assert header["Learner"] == "Ana B." and header["Standards"] == "7"
    assert header["Evidence dated"] == "December 1, 2025 – March 1, 2026"
    codes = [h3.code.text for h3 in report.select(".report-standard h3")]
    assert sorted(codes) == sorted(s["code"] for s in site_json(site)["standards"])
    sections = {s.h3.code.text: s for s in report.select(".report-standard")}
    ratio = sections["CCSS.Math.Content.7.RP.A.2"]
    items = {li.select_one(".evidence-title a").text: li for li in ratio.select(".evidence-item")}
    assert set(items) == {"Arm", "Oven", "Club", "Ratio Pro"}
    badge_facts = facts(items["Ratio Pro"])
    assert badge_facts["Issuer"] == "Pine Valley Math Circle"
    assert badge_facts["Verification"].endswith("Unverified")
    assert badge_facts["Setting"] == "setting not given"
    link = items["Arm"].select_one(".evidence-title a")
    assert link["data-print-url"] == "https://ana.example.org/portfolio/projects/arm/"
    zine = sections["CCSS.ELA-Literacy.W.8.3"].select_one(".evidence-item")
    assert "Poems, with a turn." in zine.select_one(".rationale").text
    assert zine.select_one(".level").text == "developing"
    gap = sections["CCSS.ELA-Literacy.W.8.1"]
    assert gap.select_one(".gap-flag") and gap.select_one(".gap-note")


def test_demo_standards_page_shows_settings_side_by_side_and_an_open_goal(cli, tmp_path):
    out = tmp_path / "site"
    run = cli("build", str(REPO), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    page = html(out / "standards/index.html")
    heads = columns(page)
    assert "in-school" in heads and "out-of-school" in heads
    inside, outside = heads.index("in-school"), heads.index("out-of-school")
    both = []
    for tr in page.select("tr.standard-row"):
        cells = tr.find_all(["th", "td"], recursive=False)
        if len(cells) == len(heads) and all(
            cells[i].select(".evidence-list a") for i in (inside, outside)
        ):
            both.append(tr.th.code.text)
    assert both, "no standard with in-school and out-of-school evidence in one row"
    assert page.select("tr.standard-row.gap") and page.select(".gap-list li")
    assert page.select_one("figure.chart svg[role=img]") is not None


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    """The demo portfolio, built once for this module's browser tests."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = build(REPO, Options(out=out))
    assert not result.failed, list(result.diagnostics)
    return out


@pytest.mark.parametrize("name", ["standards/", "report/", "standards/ccss-math-content-7-rp-a-2/"])
def test_pages_fit_a_phone_without_sideways_scrolling(page, demo_site, name):
    page.set_viewport_size({"width": 360, "height": 740})
    with serve_folder(demo_site) as base:
        page.goto(base + name)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client
        if name == "standards/":
            # Each standard is a card whose cells say which setting they are.
            label = page.evaluate(
                "getComputedStyle(document.querySelector('.matrix td[data-label]'), '::before').content"
            )
            assert "in-school" in label or "out-of-school" in label or "community" in label
            assert (
                page.evaluate(
                    "getComputedStyle(document.querySelector('.matrix tr.standard-row')).display"
                )
                == "block"
            )


@pytest.mark.parametrize("name", ["standards/", "report/"])
def test_pages_print_within_the_paper(page, demo_site, name):
    page.set_viewport_size({"width": 700, "height": 1000})  # about A4 inside its margins
    with serve_folder(demo_site) as base:
        page.goto(base + name)
        page.emulate_media(media="print")
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client
        hidden = page.evaluate(
            "['.site-header', '.site-footer', '.report-link', '.screen-only']"
            ".map(s => document.querySelector(s)).filter(Boolean)"
            ".map(e => getComputedStyle(e).display)"
        )
        assert hidden and set(hidden) == {"none"}
        if name == "report/":
            after = page.evaluate(
                "getComputedStyle(document.querySelector('.evidence-title a'), '::after').content"
            )
            assert "https://maya-r.github.io/portfolio/" in after
        assert page.pdf(format="A4")[:4] == b"%PDF"


# --------------------------------------------------------------------------- catalogs


CATALOG_CASE = {
    "content/projects/arm.md": project(
        "Arm", "2026-03-01", setting="in-school", standards="[7.RP.2, K.CC.A.4, MS-ETS1-7]"
    ),
}


@pytest.mark.parametrize("check_only", [True, False])
def test_unknown_codes_are_warnings_in_check_and_build_alike(make_portfolio, check_only):
    root = make_portfolio(CATALOG_CASE)
    result, _ = load(root, Options(cache=False, check_only=check_only))
    found = [(d.severity, d.line, d.message) for d in result.diagnostics]
    assert not result.diagnostics.errors
    assert [m for _, _, m in found if "K.CC.A.4" in m] == [
        "standards: 'K.CC.A.4' is not in CCSS Math: K.CC.A holds standards 1-3; 4 is in "
        "cluster B (did you mean 'CCSS.Math.Content.K.CC.B.4'?)"
    ]
    assert any("MS-ETS1-7" in m and "'MS-ETS1-4'" in m for _, _, m in found)
    assert {line for _, line, m in found if "MS-ETS1-7" in m or "K.CC.A.4" in m} == {5}


def test_a_cluster_goal_means_every_standard_in_it_with_statements(make_portfolio, tmp_path):
    root = make_portfolio(CATALOG_CASE, config=BASIC_CONFIG + "goals: [7.RP.A]\n")
    portfolio = loaded(root)
    matrix = build_matrix(portfolio)
    codes = [r.node.code for r in matrix.rows]
    assert codes == [
        "CCSS.Math.Content.7.RP.A.1",
        "CCSS.Math.Content.7.RP.A.2",  # the 2010 spelling 7.RP.2, with its evidence
        "CCSS.Math.Content.7.RP.A.3",
    ]
    assert [r.gap for r in matrix.rows] == [True, False, True]
    out = tmp_path / "site"
    build(root, Options(out=out, cache=False))
    page = html(out / "standards" / "ccss-math-content-7-rp-a-2" / "index.html")
    trail = [li.get_text(" ", strip=True) for li in page.select(".standard-trail li")]
    assert trail == [
        "Domain 7.RP Ratios and Proportional Relationships",
        "Cluster 7.RP.A Analyze proportional relationships and use them to solve real-world "
        "and mathematical problems.",
    ]
    statement = page.select_one("blockquote.statement").get_text()
    assert statement.startswith("Recognize and represent proportional relationships")
    assert "Council of Chief State School Officers" in page.select_one(".standard-notice").text
    index = html(out / "standards" / "index.html")
    assert "Council of Chief State School Officers" in index.select_one(".standard-notice").text
    assert index.select_one(".standard-row th code.code").text == "CCSS.Math.Content.7.RP.A.1"


COVERAGE = {
    "content/projects/arm.md": project(
        "Arm", "2026-03-01", setting="in-school", standards="[K.CC.B.4a, K.CC.A.1, 6.RP.A.3]"
    ),
}


def test_components_roll_up_to_standards_and_clusters(make_portfolio):
    matrix = build_matrix(loaded(make_portfolio(COVERAGE)))
    assert matrix.row("CCSS.Math.Content.K.CC.B.4a").count == 1
    assert matrix.row("CCSS.Math.Content.K.CC.A.1").via == 0
    clusters = {c.standard.code: (c.count, c.total, c.covered) for c in matrix.clusters}
    assert clusters == {
        "CCSS.Math.Content.K.CC.A": (1, 3, ("CCSS.Math.Content.K.CC.A.1",)),
        "CCSS.Math.Content.K.CC.B": (1, 2, ("CCSS.Math.Content.K.CC.B.4",)),  # via 4a
        "CCSS.Math.Content.6.RP.A": (1, 3, ("CCSS.Math.Content.6.RP.A.3",)),
    }


def test_a_component_goal_row_shows_evidence_via_its_parts(make_portfolio):
    root = make_portfolio(COVERAGE, config=BASIC_CONFIG + "goals: [K.CC.B]\n")
    matrix = build_matrix(loaded(root))
    row = matrix.row("CCSS.Math.Content.K.CC.B.4")
    assert row is not None and row.gap and row.via == 1 and row.covered
    assert matrix.row("CCSS.Math.Content.K.CC.B.5").covered is False


def test_export_scope_lists_every_standard_of_a_group(cli, make_portfolio):
    root = make_portfolio(COVERAGE)
    run = cli("export", str(root), "--scope", "K.CC", "--csv", "-")
    assert run.code == 0, run.err
    rows = list(csv.reader(io.StringIO(run.out)))
    codes = [r[0] for r in rows[1:]]
    assert codes[:2] == ["CCSS.Math.Content.K.CC.A.1", "CCSS.Math.Content.K.CC.B.4a"]  # evidence
    assert sorted(codes[2:]) == [  # then every other standard of K.CC, no evidence yet
        f"CCSS.Math.Content.K.CC.{c}" for c in ("A.2", "A.3", "B.4", "B.5", "C.6", "C.7")
    ]
    assert all(r[3] == "" for r in rows[3:]) and rows[3][2]  # no evidence, the statement
    assert "6.RP" not in run.out
    written = cli("export", str(root), "--scope", "K.CC", "--csv", str(root.parent / "k.csv"))
    assert "(CSV, 8 rows)" in written.out  # 2 pairs and 6 standards without evidence
    bad = cli("export", str(root), "--scope", "K.CC.D", "--csv", "-")
    assert bad.code == 2
    assert "--scope K.CC.D: 'K.CC.D' is not in CCSS Math: K.CC has clusters A, B, C" in bad.err


CASE_TREE = {
    "id": "d0000000-0000-4000-8000-000000000000",
    "items": [
        ("d0000000-0000-4000-8000-000000000001", "PV.1", "Domain", "Shapes", ["06"]),
        ("d0000000-0000-4000-8000-000000000002", "PV.1.1", "Standard", "Draws nets.", None),
        ("d0000000-0000-4000-8000-000000000003", "PV.1.2", "Standard", "Builds boxes.", None),
    ],
}


def case_tree() -> str:
    doc = CASE_TREE["id"]
    items = [
        {"identifier": i, "uri": f"https://case.example.org/{i}", "humanCodingScheme": c,
         "CFItemType": kind, "fullStatement": text, **({"educationLevel": lv} if lv else {})}
        for i, c, kind, text, lv in CASE_TREE["items"]
    ]  # fmt: skip
    parents = [doc, CASE_TREE["items"][0][0], CASE_TREE["items"][0][0]]
    assocs = [
        {"identifier": f"a0000000-0000-4000-8000-00000000000{n}", "associationType": "isChildOf",
         "originNodeURI": {"identifier": item["identifier"], "uri": item["uri"], "title": "x"},
         "destinationNodeURI": {"identifier": parent, "uri": f"https://case.example.org/{parent}",
                                "title": "x"}, "sequenceNumber": n}
        for n, (item, parent) in enumerate(zip(items, parents, strict=True), 1)
    ]  # fmt: skip
    package = {
        "CFDocument": {"identifier": doc, "uri": f"https://case.example.org/{doc}",
                       "title": "Pine Valley Design", "creator": "PV",
                       "lastChangeDateTime": "2025-01-01T00:00:00+00:00"},
        "CFItems": items,
        "CFAssociations": assocs,
    }  # fmt: skip
    return json.dumps(package)


def test_a_case_tree_is_a_group_goal_with_its_grade_and_coverage(make_portfolio, tmp_path):
    root = make_portfolio(
        {
            "standards/pv.json": case_tree(),
            "content/projects/box.md": project("Box", setting="home", standards="[PV.1.2]"),
        },
        config=BASIC_CONFIG + "goals: [PV.1]\n",
    )
    matrix = build_matrix(loaded(root))
    assert [(r.node.code, r.gap, r.node.standard.grade) for r in matrix.rows] == [
        ("PV.1.1", True, "6"),  # educationLevel 06, inherited from the domain
        ("PV.1.2", False, "6"),
    ]
    assert [(c.standard.code, c.count, c.total) for c in matrix.clusters] == [("PV.1", 1, 2)]
    build(root, Options(out=tmp_path / "site", cache=False))
    page = html(tmp_path / "site" / "standards" / "pv-1-2" / "index.html")
    trail = [li.get_text(" ", strip=True) for li in page.select(".standard-trail li")]
    assert trail == ["Domain PV.1 Shapes"]  # the CASE tree, shown like the CCSS one


def test_unknown_code_fails_check_and_build_only_with_strict(cli, make_portfolio, tmp_path):
    root = make_portfolio(CATALOG_CASE)
    for command in (["check"], ["build", "-o", str(tmp_path / "out")]):
        lenient = cli(*command, str(root))
        assert lenient.code == 0, lenient.err
        assert "arm.md:5: warning: standards: 'MS-ETS1-7' is not in NGSS" in lenient.err
        strict = cli(*command, str(root), "--strict")
        assert strict.code == 1
        assert "error: warnings are errors with --strict" in strict.err


def test_export_scope_json_lists_every_standard_of_the_group(cli, make_portfolio):
    run = cli("export", str(make_portfolio(COVERAGE)), "--scope", "6.RP.A", "--json", "-")
    assert run.code == 0, run.err
    codes = [s["code"] for s in json.loads(run.out)["standards"]]
    assert codes == [f"CCSS.Math.Content.6.RP.A.{n}" for n in (1, 2, 3)]
