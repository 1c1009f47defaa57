"""The bundled catalogs, against the full data: every real code, wrong codes, 2010 spellings."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_gen.standards import Catalog, bundled, code_from_url, parse_code

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "standards"
LEAVES = ("Standard", "Component")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog()


def test_a_code_is_found_as_the_whole_table_finds_it() -> None:
    items = bundled._ccss()[0]
    for code, item in items.items():
        assert bundled.ccss_item(code) == item == bundled.ccss_item(code.lower())
    for hostile in ("", "\t", "CCSS.Math.Practice.MP1\tStandard", "\nCCSS.Math.Practice.MP1",
                    "CCSS.Math.Practice.MP", "Math.Practice.MP1", "ß", "\udcff"):  # fmt: skip
        assert bundled.ccss_item(hostile) is None, hostile


def test_catalog_sizes() -> None:
    items = bundled.ccss_items()
    kinds = [i.kind for i in items]
    assert kinds.count("Standard") + kinds.count("Component") == 1535
    assert kinds.count("Cluster") == 147
    assert len(bundled.ngss_codes()) == 208


def test_every_ccss_item_is_recognised_and_canonical(catalog: Catalog) -> None:
    missed = []
    for item in bundled.ccss_items():
        standard = catalog.resolve(item.code)
        if standard is None or standard.code != item.code or standard.statement != item.text:
            missed.append(item.code)
    assert missed == []


def test_every_short_spelling_is_recognised(catalog: Catalog) -> None:
    for item in bundled.ccss_items():
        short = re.sub(r"^CCSS\.(Math\.Content|Math\.Practice|ELA-Literacy)\.", "", item.code)
        standard = catalog.resolve(short.lower())
        assert standard is not None and standard.code == item.code, short


def test_every_2010_spelling_maps_to_todays_code(catalog: Catalog) -> None:
    olds = [i for i in bundled.ccss_items() if i.old]
    assert len(olds) == 1535
    wrong = []
    for item in olds:
        standard = catalog.resolve(item.old)
        if standard is None or standard.code != item.code:
            wrong.append((item.old, standard and standard.code))
    # Two slips in the ASN data, where an item carries another item's 2010 spelling
    # (WHST.6-8.1a is given WHST.6-8.1, L.3.1 is given L.2.2.e): the first item keeps it.
    assert wrong == [
        ("WHST.6-8.1", "CCSS.ELA-Literacy.WHST.6-8.1"),
        ("L.2.2.e", "CCSS.ELA-Literacy.L.2.2e"),
    ]


@pytest.mark.parametrize(
    ("old", "today"),
    [
        ("7.RP.2", "CCSS.Math.Content.7.RP.A.2"),
        ("K.CC.4", "CCSS.Math.Content.K.CC.B.4"),
        ("A-SSE.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("A.SSE.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("K.CC.4.a", "CCSS.Math.Content.K.CC.B.4a"),
        ("K.CC.4a", "CCSS.Math.Content.K.CC.B.4a"),
        ("CCSS.Math.Content.7.RP.2", "CCSS.Math.Content.7.RP.A.2"),
        ("CCR.R.1", "CCSS.ELA-Literacy.CCRA.R.1"),
        ("G-CO.1", "CCSS.Math.Content.HSG-CO.A.1"),
    ],
)
def test_2010_spellings(catalog: Catalog, old: str, today: str) -> None:
    standard = catalog.resolve(old)
    assert standard is not None and standard.code == today


def test_every_ngss_expectation_is_recognised_with_its_page(catalog: Catalog) -> None:
    for code in bundled.ngss_codes():
        standard = catalog.resolve(code.lower())
        assert standard is not None and standard.code == code
        assert standard.url == bundled.ngss_url(code)
        assert standard.url.startswith(f"https://www.nextgenscience.org/pe/{code.lower()}-")
        assert standard.statement is None  # the NGSS texts are not bundled


@pytest.mark.parametrize(
    ("text", "reason", "suggestion"),
    [
        ("K.CC.A.4", "K.CC.A holds standards 1-3; 4 is in cluster B", "CCSS.Math.Content.K.CC.B.4"),
        ("2.MD.A.5", "2.MD.A holds standards 1-4; 5 is in cluster B", "CCSS.Math.Content.2.MD.B.5"),
        (
            "K.OA.D.1",
            "K.OA has no cluster D; standard 1 is in cluster A",
            "CCSS.Math.Content.K.OA.A.1",
        ),
        ("MS-ETS1-7", "MS-ETS1 has performance expectations 1-4", "MS-ETS1-4"),
        ("1-PS4-5", "1-PS4 has performance expectations 1-4", "1-PS4-4"),
        ("HS-LS1-42", "HS-LS1 has performance expectations 1-7", "HS-LS1-7"),
        ("K.CC.B.4d", "K.CC.B.4 has components a, b, c", "CCSS.Math.Content.K.CC.B.4a"),
        ("6.RP.D", "6.RP has clusters A", "CCSS.Math.Content.6.RP.A"),
        ("7.RP.D", "7.RP has clusters A", "CCSS.Math.Content.7.RP.A"),
        ("8.EE.D", "8.EE has clusters A, B, C", "CCSS.Math.Content.8.EE.A"),
    ],
)
def test_codes_not_in_the_catalog_are_flagged_with_a_suggestion(
    catalog: Catalog, text: str, reason: str, suggestion: str
) -> None:
    assert parse_code(text) is not None  # well-formed: only the catalog knows it is wrong
    assert catalog.resolve(text) is None
    message = catalog.unknown_message(text)
    assert f": {reason} (did you mean '{suggestion}'?)" in message
    assert catalog.suggest(text)[0] == suggestion


def test_every_wrong_cluster_variant_is_flagged_with_the_right_cluster(catalog: Catalog) -> None:
    tried = right = 0
    for item in bundled.ccss_items():
        m = re.fullmatch(r"(CCSS\.Math\.Content\..+)\.([A-D])\.(\d+[a-j]?)", item.code)
        if m is None or item.kind not in LEAVES:
            continue
        head, cluster, rest = m.groups()
        for other in "ABCD":
            wrong = f"{head}.{other}.{rest}"
            if other == cluster or bundled.ccss_item(wrong) is not None:
                continue
            tried += 1
            assert catalog.resolve(wrong) is None, wrong
            right += catalog.suggest(wrong)[:1] == [item.code]
    assert tried > 1000
    assert right == tried


def test_groups_are_codes_and_a_group_holds_its_standards(catalog: Catalog) -> None:
    cluster = catalog.resolve("6.RP.A")
    assert cluster is not None and cluster.group and cluster.item_type == "Cluster"
    assert (
        cluster.statement == "Understand ratio concepts and use ratio reasoning to solve problems."
    )
    assert [s.code for s in catalog.members(cluster)] == [
        "CCSS.Math.Content.6.RP.A.1",
        "CCSS.Math.Content.6.RP.A.2",
        "CCSS.Math.Content.6.RP.A.3",
    ]
    domain = catalog.resolve("K.CC")
    assert domain is not None and domain.statement == "Counting and Cardinality"
    assert len(catalog.members(domain)) == 7  # K.CC.A.1-3, B.4-5, C.6-7 (not the components)
    strand = catalog.resolve("RL.7")
    assert strand is not None and len(catalog.members(strand)) == 9  # RL.7.8 does not apply
    assert catalog.members(catalog.resolve("7.RP.A.2")) == []


def test_trail_from_domain_to_component(catalog: Catalog) -> None:
    component = catalog.resolve("L.1.1j")
    assert component is not None and component.item_type == "Component"
    assert [s.code for s in catalog.trail(component)] == [
        "CCSS.ELA-Literacy.L.1",
        "CCSS.ELA-Literacy.L.1.1",
    ]
    hs = catalog.resolve("HSA-SSE.A.1a")
    assert [s.code for s in catalog.trail(hs)] == [
        "CCSS.Math.Content.HSA",
        "CCSS.Math.Content.HSA-SSE",
        "CCSS.Math.Content.HSA-SSE.A",
        "CCSS.Math.Content.HSA-SSE.A.1",
    ]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.thecorestandards.org/Math/Content/7/RP/A/2/", "CCSS.Math.Content.7.RP.A.2"),
        ("http://corestandards.org/2010/math/content/2/NBT/6", "CCSS.Math.Content.2.NBT.B.6"),
        ("http://corestandards.org/2010/math/content/k/CC/4/a", "CCSS.Math.Content.K.CC.B.4a"),
        ("https://www.thecorestandards.org/ELA-Literacy/L/1/1/j/", "CCSS.ELA-Literacy.L.1.1j"),
        (
            "https://www.nextgenscience.org/pe/ms-ls1-6-molecules-organisms-structures-and-processes",
            "MS-LS1-6",
        ),
        ("https://www.nextgenscience.org/pe/3-5-ets1-3-engineering-design", "3-5-ETS1-3"),
    ],
)
def test_links_people_paste(catalog: Catalog, url: str, code: str) -> None:
    parsed = code_from_url(url)
    assert parsed is not None and parsed.canonical == code
    standard = catalog.resolve(url)
    assert standard is not None and standard.code == code


def test_the_script_reproduces_the_bundled_rows(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_catalogs", ROOT / "scripts/make_catalogs.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    math = FIXTURES / "asn-ccss-math-slice.json"
    ela = FIXTURES / "asn-ccss-ela-slice.json"
    script.write(math, ela, tmp_path)
    made = gzip.decompress((tmp_path / "ccss.tsv.gz").read_bytes()).decode().splitlines()
    bundled_rows = {
        "\t".join((i.code, i.kind, i.parent or "", i.grade, i.old or "", i.text))
        for i in bundled.ccss_items()
    }
    assert len(made) > 250
    assert [row for row in made if row not in bundled_rows] == []
    assert "CCSS.ELA-Literacy.L.1.1j" in {row.split("\t")[0] for row in made}
    assert json.loads(json.dumps(script.NGSS_COUNTS))["HS"]["LS1"] == 7
    ngss = (tmp_path / "ngss.tsv").read_text().splitlines()
    assert len(ngss) == 208
    assert ngss == [f"{c}\t{bundled.ngss_url(c)}" for c in bundled.ngss_codes()]


def test_the_catalog_is_read_only_when_a_code_needs_it(tmp_path: Path) -> None:
    """A portfolio without CCSS codes never reads ccss.tsv.gz; one with a code reads
    it but finds its codes without parsing the whole table (``_ccss``), unless a
    code needs it (a 2010 spelling; a code not in it, for what it may mean)."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from portfolio_gen.build import Options, load\n"
        "from portfolio_gen.standards import bundled\n"
        "load(Path(sys.argv[1]), Options(cache=False))\n"
        "print(bundled._rows.cache_info().currsize, bundled._ccss.cache_info().currsize)\n"
    )
    root = tmp_path / "p"
    (root / "content" / "projects").mkdir(parents=True)
    (root / "portfolio.yml").write_text("title: T\nlearner:\n  name: A\n", encoding="utf-8")
    page = root / "content" / "projects" / "a.md"
    page.write_text("---\ntitle: A\ndate: 2026-01-02\n---\nText.\n", encoding="utf-8")

    def reads() -> str:
        run = subprocess.run(
            [sys.executable, "-c", probe, str(root)], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    assert reads() == "0 0"
    page.write_text(
        "---\ntitle: A\ndate: 2026-01-02\nstandards: [7.RP.A.2, 6.EE.A.1]\n---\nText.\n",
        encoding="utf-8",
    )
    assert reads() == "1 0"
    page.write_text(
        "---\ntitle: A\ndate: 2026-01-02\nstandards: [7.RP.2]\n---\nText.\n", encoding="utf-8"
    )
    assert reads() == "1 1"
