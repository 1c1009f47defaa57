"""load_frameworks and the Catalog: resolving codes, alignments, suggestions, search."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portfolio_gen.standards import Catalog, load_frameworks
from portfolio_gen.standards.frameworks import load_framework_file

from .conftest import DOC_ID, HIVE_YAML, HOST, case_package, dump_case, line_of, uid

Make = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def catalog(portfolio: Make) -> Catalog:
    root = portfolio(
        {"standards/pine-valley.json": dump_case(case_package()), "standards/hive.yml": HIVE_YAML}
    )
    found, diagnostics = load_frameworks(root)
    assert diagnostics == []
    return found


# --------------------------------------------------------------------------- loading


def test_load_frameworks_reads_json_and_yaml(catalog: Catalog) -> None:
    frameworks = catalog.frameworks
    assert [(f.name, f.kind, f.source, f.count) for f in frameworks] == [
        ("Hive Maker Skills", "YAML", "standards/hive.yml", 4),
        ("Pine Valley Math 7", "CASE", "standards/pine-valley.json", 6),
    ]
    assert len(catalog) == 10
    assert [s.code for s in catalog][:2] == ["HIVE.DESIGN", "HIVE.DESIGN.1"]


def test_missing_standards_folder_means_no_frameworks(tmp_path: Path) -> None:
    catalog, diagnostics = load_frameworks(tmp_path)
    assert diagnostics == []
    assert catalog.frameworks == []
    assert len(catalog) == 0
    standard = catalog.resolve("7.RP.A.2")  # built-ins still work, with the catalog's statement
    assert standard is not None and standard.statement == (
        "Recognize and represent proportional relationships between quantities."
    )


def test_other_files_are_ignored(portfolio: Make) -> None:
    root = portfolio(
        {
            "standards/README.md": "# notes",
            "standards/.hidden.json": "not json",
            "standards/sub/deep.yml": "not: [valid",
            "standards/HIVE.YAML": HIVE_YAML,
        }
    )
    catalog, diagnostics = load_frameworks(root)
    assert diagnostics == []
    assert [f.source for f in catalog.frameworks] == ["standards/HIVE.YAML"]


def test_bad_files_are_reported_and_good_ones_still_load(portfolio: Make) -> None:
    root = portfolio(
        {
            "standards/a-broken.json": '{\n  "CFItems": [\n',
            "standards/b-badkey.yml": "framework: B\nstandards:\n  - code: B.1\n    statment: x\n",
            "standards/hive.yml": HIVE_YAML,
        }
    )
    catalog, diagnostics = load_frameworks(root)
    assert [(d.path, d.line, d.severity) for d in diagnostics] == [
        ("standards/a-broken.json", 3, "error"),
        ("standards/b-badkey.yml", 4, "error"),
        ("standards/b-badkey.yml", 3, "warning"),
    ]
    assert [f.name for f in catalog.frameworks] == ["B", "Hive Maker Skills"]
    assert catalog.resolve("HIVE.DESIGN.1") is not None


def test_code_defined_in_two_files_is_a_warning(portfolio: Make) -> None:
    other = "framework: Other\nstandards:\n  - code: hive.design.1\n    statement: Other text.\n"
    root = portfolio({"standards/hive.yml": HIVE_YAML, "standards/other.yml": other})
    catalog, diagnostics = load_frameworks(root)
    assert [str(d) for d in diagnostics] == [
        "standards/other.yml:3: warning: code 'hive.design.1' is also defined in "
        "standards/hive.yml:9 (Hive Maker Skills); that one is used"
    ]
    standard = catalog.resolve("HIVE.DESIGN.1")
    assert standard is not None and standard.framework == "Hive Maker Skills"
    chosen = catalog.resolve("HIVE.DESIGN.1", framework="other")
    assert chosen is not None and chosen.statement == "Other text."


def test_same_case_document_twice_is_a_warning(portfolio: Make) -> None:
    text = dump_case(case_package())
    root = portfolio({"standards/a.json": text, "standards/b.json": text})
    catalog, diagnostics = load_frameworks(root)
    assert [str(d) for d in diagnostics] == [
        f"standards/b.json: warning: same CASE document as standards/a.json (identifier {DOC_ID}); "
        "this copy is ignored"
    ]
    assert [f.source for f in catalog.frameworks] == ["standards/a.json"]


def test_load_framework_file_kind_override(tmp_path: Path) -> None:
    path = tmp_path / "package"  # saved from a CASE server without a suffix
    path.write_text(dump_case(case_package()), encoding="utf-8")
    framework, diagnostics = load_framework_file(path, "package", kind="case")
    assert diagnostics == []
    assert framework is not None and framework.kind == "CASE"


# --------------------------------------------------------------------------- resolve


@pytest.mark.parametrize(
    "text",
    [
        "7.RP.A.2",
        "7.rp.a.2",
        "CCSS.Math.Content.7.RP.A.2",
        "CCSS.MATH.CONTENT.7.RP.A.2",
        "ccss.math.content.7.rp.a.2",
        " 7.RP.A.2 ",
        "http://corestandards.org/Math/Content/7/RP/A/2",
        uid(3),
        uid(3).upper(),
        f"urn:uuid:{uid(3)}",
        HOST + uid(3),
        (HOST + uid(3)).upper().replace("HTTPS://", "http://") + "/",
    ],
)
def test_a_code_the_case_package_contains_resolves_to_its_item(catalog: Catalog, text: str) -> None:
    standard = catalog.resolve(text)
    assert standard is not None
    assert standard.code == "CCSS.Math.Content.7.RP.A.2"
    assert standard.statement == "Decide whether two quantities vary together at a constant rate."
    assert standard.url == HOST + uid(3)
    assert standard.framework == "Pine Valley Math 7"


def test_yaml_codes_resolve_case_insensitively(catalog: Catalog) -> None:
    for text in ("HIVE.DESIGN.1", "hive.design.1", "Hive.Design.1"):
        standard = catalog.resolve(text)
        assert standard is not None and standard.code == "HIVE.DESIGN.1"
    by_url = catalog.resolve("https://hive-maker.example.org/skills/safety-1")
    assert by_url is not None and by_url.code == "HIVE.SAFETY.1"


def test_item_without_code_resolves_by_uuid_and_uri(catalog: Catalog) -> None:
    for text in (uid(6), HOST + uid(6)):
        standard = catalog.resolve(text)
        assert standard is not None
        assert standard.code is None
        assert standard.statement == "Explains reasoning about rates to a peer."


@pytest.mark.parametrize(
    ("text", "canonical", "url"),
    [
        ("HS-ETS1-2", "HS-ETS1-2", None),
        ("ms-ls1-6", "MS-LS1-6", None),
        (
            "8.ee.a.1",
            "CCSS.Math.Content.8.EE.A.1",
            "http://corestandards.org/Math/Content/8/EE/A/1",
        ),
        (
            "HSA.SSE.A.1",
            "CCSS.Math.Content.HSA-SSE.A.1",
            "http://corestandards.org/Math/Content/HSA/SSE/A/1",
        ),
        (
            "http://corestandards.org/ELA-Literacy/W/8/6",
            "CCSS.ELA-Literacy.W.8.6",
            "http://corestandards.org/ELA-Literacy/W/8/6",
        ),
    ],
)
def test_builtin_codes_resolve_with_the_bundled_catalog(
    catalog: Catalog, text: str, canonical: str, url: str | None
) -> None:
    standard = catalog.resolve(text)
    assert standard is not None
    assert standard.code == canonical
    assert (standard.statement is None) == (standard.scheme == "NGSS")  # CCSS: the statement
    if standard.scheme == "NGSS":  # NGSS: its page on nextgenscience.org
        assert url is None and standard.url is not None
        assert standard.url.startswith(f"https://www.nextgenscience.org/pe/{canonical.lower()}-")
    else:
        assert standard.url == url
    assert standard.builtin
    assert standard.source is None


def test_builtin_standard_fields(catalog: Catalog) -> None:
    standard = catalog.resolve("7.RP.A.3")  # not in the package: the grammar alone
    assert standard is not None
    assert (standard.framework, standard.subject, standard.grade, standard.band) == (
        "CCSS Math",
        "Math",
        "7",
        "6-8",
    )
    assert (standard.scheme, standard.domain, standard.item_type) == ("CCSS", "RP", "Standard")


@pytest.mark.parametrize("text", ["", "  ", "3.RP.A.1", "HIVE.DESIGN.9", "robots", uid(42)])
def test_unknown_and_malformed_do_not_resolve(catalog: Catalog, text: str) -> None:
    assert catalog.resolve(text) is None


def test_non_strings_do_not_resolve(catalog: Catalog) -> None:
    assert catalog.resolve(7.2) is None  # type: ignore[arg-type]
    assert catalog.resolve(None) is None  # type: ignore[arg-type]


def test_schemes_limit_the_builtin_grammars(portfolio: Make) -> None:
    root = portfolio({"standards/pv.json": dump_case(case_package())})
    catalog, _ = load_frameworks(root, schemes=["CCSS"])
    assert catalog.resolve("HS-ETS1-2") is None
    assert catalog.resolve("8.EE.A.1") is not None
    assert [s.framework for s in catalog.builtin_schemes] == ["CCSS Math", "CCSS ELA/Literacy"]
    assert catalog.unknown_message("HS-ETS1-2") == (
        "'HS-ETS1-2' is a NGSS code, but this portfolio's standards: lists only ccss; "
        "add ngss to recognise it"
    )
    none, _ = load_frameworks(root, schemes=[])
    assert none.resolve("8.EE.A.1") is None
    standard = none.resolve("7.RP.A.2")  # framework files always resolve
    assert standard is not None and standard.statement is not None


def test_children_and_parent(catalog: Catalog) -> None:
    cluster = catalog.resolve("7.RP.A")
    assert cluster is not None
    assert [c.code for c in catalog.children(cluster)] == [
        "CCSS.Math.Content.7.RP.A.1",
        "CCSS.Math.Content.7.RP.A.2",
    ]
    component = catalog.resolve("7.RP.A.2a")
    assert component is not None
    parent = catalog.parent(component)
    assert parent is not None and parent.uuid == uid(3)
    design = catalog.resolve("HIVE.DESIGN.2")
    assert design is not None
    up = catalog.parent(design)
    assert up is not None and up.code == "HIVE.DESIGN"
    builtin = catalog.resolve("K.CC.B.4a")  # a built-in component: parent from the catalog
    assert builtin is not None
    up = catalog.parent(builtin)
    assert up is not None and up.code == "CCSS.Math.Content.K.CC.B.4"
    top = catalog.resolve("7.RP")
    assert top is not None and catalog.parent(top) is None


# --------------------------------------------------------------------------- alignments


def test_alignment_by_case_uri_with_target_type_cfitem(catalog: Catalog) -> None:
    # an Open Badge alignment: {targetName, targetUrl, targetType: CFItem, targetFramework}
    standard = catalog.resolve_alignment(
        name="Proportional relationships",
        url=HOST + uid(3),
        code=None,
        framework="Pine Valley Math 7",
    )
    assert standard is not None
    assert standard.uuid == uid(3)
    assert standard.statement is not None


def test_alignment_by_uuid_in_target_code(catalog: Catalog) -> None:
    standard = catalog.resolve_alignment(name="x", url="https://other.example/x", code=uid(4))
    assert standard is not None and standard.code == "CCSS.Math.Content.7.RP.A.2a"


def test_alignment_by_code(catalog: Catalog) -> None:
    standard = catalog.resolve_alignment(name="Design", url=None, code="hive.design.1")
    assert standard is not None and standard.code == "HIVE.DESIGN.1"


def test_alignment_by_case_server_url_ending_in_uuid(catalog: Catalog) -> None:
    url = f"https://case.example.org/ims/case/v1p0/CFItems/{uid(5)}"
    standard = catalog.resolve_alignment(name=None, url=url, code=None)
    assert standard is not None and standard.code == "CCSS.Math.Content.7.RP.A.1"


def test_alignment_by_official_ccss_url(catalog: Catalog) -> None:
    inside = catalog.resolve_alignment(url="http://corestandards.org/Math/Content/7/RP/A/2/")
    assert inside is not None and inside.uuid == uid(3)  # the package's item
    outside = catalog.resolve_alignment(url="http://www.corestandards.org/Math/Content/8/EE/A/1/")
    assert outside is not None and outside.code == "CCSS.Math.Content.8.EE.A.1"


def test_alignment_identity_beats_code(catalog: Catalog) -> None:
    # the URL names item 5 exactly; a (wrong) code must not override it
    standard = catalog.resolve_alignment(url=HOST + uid(5), code="HIVE.DESIGN.1")
    assert standard is not None and standard.uuid == uid(5)


def test_alignment_name_that_is_a_code(catalog: Catalog) -> None:
    standard = catalog.resolve_alignment(name="HS-ETS1-2", url="https://example.org/badge")
    assert standard is not None and standard.code == "HS-ETS1-2"


def test_alignment_that_names_nothing(catalog: Catalog) -> None:
    assert catalog.resolve_alignment(name="Robotics", url="https://example.org/robotics") is None
    assert catalog.resolve_alignment() is None


# --------------------------------------------------------------------------- unknown codes


def test_suggest_from_framework_codes(catalog: Catalog) -> None:
    assert catalog.suggest("HIVE.DESGN.1")[0] == "HIVE.DESIGN.1"
    assert catalog.hint("hive.desgn.1") == " (did you mean 'HIVE.DESIGN.1'?)"


def test_suggest_repairs_separators(catalog: Catalog) -> None:
    assert catalog.suggest("HS.ETS1.2")[0] == "HS-ETS1-2"
    assert catalog.suggest("7.RP.2")[0] == "CCSS.Math.Content.7.RP.A.2"


def test_suggest_uses_codes_already_seen(catalog: Catalog) -> None:
    assert "CCSS.Math.Content.8.EE.A.1" not in catalog.suggest("8.EA.A.1")
    catalog.resolve("CCSS.Math.Content.8.EE.A.1")
    assert catalog.suggest("8.EA.A.1")[0] == "CCSS.Math.Content.8.EE.A.1"
    assert "CCSS.Math.Content.8.EE.A.1" in catalog.known_codes()


def test_suggest_uses_extra_codes(catalog: Catalog) -> None:
    assert catalog.suggest("MS-LS-6") == []
    assert catalog.suggest("MS-LS-6", extra=["ms-ls1-6"]) == ["MS-LS1-6"]


def test_suggest_is_empty_for_nothing_close(catalog: Catalog) -> None:
    assert catalog.suggest("robots") == []
    assert catalog.hint("robots") == ""
    assert catalog.suggest("") == []


def test_unknown_messages(catalog: Catalog) -> None:
    assert catalog.unknown_message("HIVE.DESGN.1") == (
        "unknown standard 'HIVE.DESGN.1' (did you mean 'HIVE.DESIGN.1'?)"
    )
    assert catalog.unknown_message("3.RP.A.1") == (
        "'3.RP.A.1' is not a valid code: RP is not a grade 3 math domain "
        "(grade 3: OA, NBT, NF, MD, G) (did you mean 'CCSS.Math.Content.7.RP.A.1'?)"
    )
    assert catalog.unknown_message("robots") == "unknown standard 'robots'"
    assert catalog.unknown_message(12) == "a standard must be a code (a string), not int"
    assert catalog.unknown_message(None) == "a standard must be a code (a string), not empty"


# --------------------------------------------------------------------------- search


def test_search_statements(catalog: Catalog) -> None:
    found = catalog.search("design BEFORE")
    assert [s.code for s in found] == ["HIVE.DESIGN", "HIVE.DESIGN.1"]


def test_search_codes_rank_prefix_first(catalog: Catalog) -> None:
    found = [s.label for s in catalog.search("7.RP.A")]
    assert found[0] == "CCSS.Math.Content.7.RP.A"  # the exact item (a CCSS cluster: canonical)
    assert found[1:] == [
        "CCSS.Math.Content.7.RP.A.1",
        "CCSS.Math.Content.7.RP.A.2",
        "CCSS.Math.Content.7.RP.A.2a",
    ]


def test_search_code_in_any_spelling(catalog: Catalog) -> None:
    found = catalog.search("ccss.math.content.7.rp.a.2")
    assert found[0].uuid == uid(3)


def test_search_includes_a_builtin_code(catalog: Catalog) -> None:
    found = catalog.search("hs-ets1-2")
    assert [s.code for s in found] == ["HS-ETS1-2"]
    assert found[0].builtin


def test_search_nothing(catalog: Catalog) -> None:
    assert catalog.search("zebra") == []
    assert catalog.search("  ") == []


def test_search_does_not_mark_codes_seen(catalog: Catalog) -> None:
    catalog.search("8.EE.A.1")
    catalog.suggest("8.EE.A.1x")
    assert catalog.known_codes() == [s.code for s in catalog if s.code]


def test_diagnostic_lines_match_the_file(portfolio: Make) -> None:
    package = case_package()
    package["CFItems"][4]["humanCodingScheme"] = "7.RP.A.2"
    text = dump_case(package)
    root = portfolio({"standards/pv.json": text})
    _, diagnostics = load_frameworks(root)
    assert len(diagnostics) == 1
    assert diagnostics[0].path == "standards/pv.json"
    assert diagnostics[0].line == line_of(text, f'"identifier": "{uid(5)}"')


def test_catalog_from_frameworks_directly() -> None:
    from portfolio_gen.standards import parse_case

    framework, _ = parse_case(json.dumps(case_package()), "pv.json")
    assert framework is not None
    catalog = Catalog([framework])
    assert catalog.resolve("7.RP.A.2a") is not None
    assert Catalog().resolve("7.RP.A.2a") is not None


def test_the_demo_portfolio_framework_loads_cleanly() -> None:
    repo = Path(__file__).resolve().parents[2]
    catalog, diagnostics = load_frameworks(repo)
    assert diagnostics == []
    names = {f.name: f for f in catalog.frameworks}
    assert names["Hive Maker Skills"].source == "standards/hive-maker-skills.yml"
    standard = catalog.resolve("hive.design.1")
    assert standard is not None and standard.statement is not None
    assert all(s.statement for s in catalog if s.framework == "Hive Maker Skills")
