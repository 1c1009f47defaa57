"""CASE CFPackage import: the tree, statements, URIs, UUIDs, and every bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from portfolio_gen.standards.case import grade_from_education_levels, load_case, parse_case
from portfolio_gen.standards.model import Framework

from .conftest import DOC_ID, HOST, case_package, child_of, dump_case, line_of, node, uid


def parse(package: dict | str, source: str = "standards/pv.json") -> tuple[Framework | None, list]:
    text = package if isinstance(package, str) else dump_case(package)
    return parse_case(text, source)


def by_uuid(framework: Framework) -> dict:
    return {s.uuid: s for s in framework.standards}


def errors(diagnostics: list) -> list[tuple[int | None, str]]:
    return [(d.line, d.message) for d in diagnostics if d.severity == "error"]


# --------------------------------------------------------------------------- a good package


def test_document_fields() -> None:
    framework, diagnostics = parse(case_package())
    assert diagnostics == []
    assert framework is not None
    assert framework.name == "Pine Valley Math 7"
    assert framework.kind == "CASE"
    assert framework.source == "standards/pv.json"
    assert framework.uuid == DOC_ID
    assert framework.url == HOST + DOC_ID
    assert framework.creator == "Pine Valley School District"
    assert framework.license == "CC BY 4.0"
    assert framework.subject == "Mathematics"
    assert framework.count == 6


def test_tree_from_is_child_of_in_sequence_order() -> None:
    framework, _ = parse(case_package())
    assert framework is not None
    assert [s.label for s in framework.standards] == [
        "CCSS.Math.Content.7.RP",  # a CCSS domain and cluster are codes too: canonical
        "CCSS.Math.Content.7.RP.A",
        "CCSS.Math.Content.7.RP.A.1",  # sequenceNumber 1 under the cluster
        "CCSS.Math.Content.7.RP.A.2",
        "CCSS.Math.Content.7.RP.A.2a",
        "Explains reasoning about rates to a peer.",  # no code: labelled by statement
    ]
    items = by_uuid(framework)
    assert items[uid(1)].parent is None
    assert items[uid(2)].parent == "CCSS.Math.Content.7.RP"
    assert items[uid(3)].parent == "CCSS.Math.Content.7.RP.A"
    assert items[uid(4)].parent == "CCSS.Math.Content.7.RP.A.2"
    assert items[uid(6)].parent is None


def test_codes_statements_uris_and_uuids() -> None:
    framework, _ = parse(case_package())
    assert framework is not None
    standard = by_uuid(framework)[uid(3)]
    # a CCSS-like humanCodingScheme is stored in canonical form
    assert standard.code == "CCSS.Math.Content.7.RP.A.2"
    assert standard.short == "7.RP.A.2"
    assert standard.scheme == "CCSS"
    assert standard.domain == "RP"
    assert standard.statement == "Decide whether two quantities vary together at a constant rate."
    assert standard.abbreviated == "Constant rate"
    assert standard.url == HOST + uid(3)  # the CASE URI, not the corestandards one
    assert standard.uuid == uid(3)
    assert standard.framework == "Pine Valley Math 7"
    assert standard.item_type == "Standard"
    assert standard.source == "standards/pv.json"
    assert not standard.builtin


def test_item_without_human_coding_scheme_is_kept() -> None:
    framework, _ = parse(case_package())
    assert framework is not None
    item = by_uuid(framework)[uid(6)]
    assert item.code is None
    assert item.key == uid(6)
    assert item.label == "Explains reasoning about rates to a peer."
    assert item.item_type == "Practice"  # from CFItemTypeURI.title
    assert item.grade == "6-8"
    assert item.band == "6-8"


def test_grades_from_education_level_are_inherited() -> None:
    framework, _ = parse(case_package())
    assert framework is not None
    items = by_uuid(framework)
    assert (items[uid(1)].grade, items[uid(1)].band) == ("7", "6-8")
    assert items[uid(2)].grade == "7"  # inherited from the domain
    assert items[uid(4)].grade == "7"


def test_grade_from_education_levels() -> None:
    assert grade_from_education_levels(["KG"]) == "K"
    assert grade_from_education_levels(["KG", "01", "02"]) == "K-2"
    assert grade_from_education_levels(["09", "10", "11", "12"]) == "9-12"
    assert grade_from_education_levels(["07"]) == "7"
    assert grade_from_education_levels(["PK", "UG"]) is None
    assert grade_from_education_levels("07") is None
    assert grade_from_education_levels([7]) is None


def test_case_1_1_wrapped_package() -> None:
    text = json.dumps({"CFPackage": case_package()}, indent=2)
    framework, diagnostics = parse(text)
    assert diagnostics == []
    assert framework is not None
    assert framework.count == 6
    # lines are still found inside the wrapper: the item's opening brace
    assert by_uuid(framework)[uid(3)].line == line_of(text, f'"identifier": "{uid(3)}"') - 1


def test_item_lines_point_at_the_item() -> None:
    package = case_package()
    text = dump_case(package)
    framework, _ = parse(text)
    assert framework is not None
    assert by_uuid(framework)[uid(5)].line == line_of(text, f'"identifier": "{uid(5)}"')


def test_pretty_printed_json_lines() -> None:
    text = json.dumps(case_package(), indent=2)
    framework, _ = parse(text)
    assert framework is not None
    item_line = line_of(text, f'"identifier": "{uid(3)}"')
    assert by_uuid(framework)[uid(3)].line == item_line - 1  # the item's opening brace


def test_load_case_from_disk_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "pv.json"
    path.write_bytes(b"\xef\xbb\xbf" + dump_case(case_package()).encode("utf-8"))
    framework, diagnostics = load_case(path, "standards/pv.json")
    assert diagnostics == []
    assert framework is not None and framework.count == 6


def test_missing_title_falls_back_to_file_name(tmp_path: Path) -> None:
    package = case_package()
    del package["CFDocument"]["title"]
    path = tmp_path / "district-math.json"
    path.write_text(dump_case(package), encoding="utf-8")
    framework, diagnostics = load_case(path)
    assert framework is not None and framework.name == "district-math"
    assert errors(diagnostics) == [(2, "CFDocument has no title")]
    assert diagnostics[0].path == str(path)


# --------------------------------------------------------------------------- bad input


def test_not_json_reports_the_line() -> None:
    text = '{\n  "CFDocument": {"title": "x"},\n  "CFItems": [\n    {"identifier": "a",}\n  ]\n}\n'
    framework, diagnostics = parse(text)
    assert framework is None
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert (d.path, d.line, d.severity) == ("standards/pv.json", 4, "error")
    assert d.message.startswith("not valid JSON: Expecting property name enclosed in double quotes")
    assert str(d).startswith("standards/pv.json:4: error: not valid JSON")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{\n"title": "caf\xe9"}\n')
    framework, diagnostics = load_case(path, "latin.json")
    assert framework is None
    assert errors(diagnostics) == [(2, "not UTF-8 text, so not a CASE JSON package")]


def test_unreadable_file(tmp_path: Path) -> None:
    framework, diagnostics = load_case(tmp_path / "missing.json", "missing.json")
    assert framework is None
    assert diagnostics[0].message.startswith("cannot read file")


def test_json_that_is_not_an_object() -> None:
    framework, diagnostics = parse("[1, 2]\n")
    assert framework is None
    assert errors(diagnostics) == [
        (
            1,
            "not a CASE package: expected a JSON object with CFDocument, CFItems and "
            "CFAssociations, found a list",
        )
    ]


def test_lacks_cf_items() -> None:
    package = case_package()
    del package["CFItems"]
    framework, diagnostics = parse(package)
    assert framework is None
    assert errors(diagnostics) == [
        (None, "not a CASE package: no CFItems (found: CFAssociations, CFDefinitions, CFDocument)")
    ]


def test_an_open_badge_is_not_a_case_package() -> None:
    badge = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "x"}
    framework, diagnostics = parse(json.dumps(badge))
    assert framework is None
    assert errors(diagnostics) == [
        (None, "not a CASE package: no CFItems (found: @context, id, type)")
    ]


def test_empty_cf_items() -> None:
    package = case_package()
    package["CFItems"] = []
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is None
    assert errors(diagnostics) == [
        (line_of(text, '"CFItems"'), "CFItems is empty: the package defines no standards")
    ]


def test_cf_items_not_a_list() -> None:
    package = case_package()
    package["CFItems"] = {"a": 1}
    framework, diagnostics = parse(package)
    assert framework is None
    assert errors(diagnostics) == [(3, "CFItems must be a list, not an object")]


def test_missing_document() -> None:
    package = case_package()
    del package["CFDocument"]
    framework, diagnostics = parse(package)
    assert framework is not None  # the items are still usable
    assert errors(diagnostics) == [
        (None, "no CFDocument: a CASE package needs one, with a title and identifier")
    ]
    assert framework.name == "pv"


def test_cycle_in_is_child_of() -> None:
    package = case_package()
    # 7.RP (item 1) becomes a child of 7.RP.A.2 (item 3): 7.RP.A.2 -> 7.RP.A -> 7.RP -> 7.RP.A.2
    package["CFAssociations"][0] = child_of(1, uid(1), uid(3))
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    # walking up from 7.RP, the association "7.RP.A isChildOf 7.RP" closes the cycle
    assert errors(diagnostics) == [
        (
            line_of(text, '"a0000000-0000-4000-8000-000000000002"'),
            "cycle in isChildOf: 'CCSS.Math.Content.7.RP' -> 'CCSS.Math.Content.7.RP.A.2' -> "
            "'CCSS.Math.Content.7.RP.A' -> 'CCSS.Math.Content.7.RP' "
            "(each is a child of the next)",
        )
    ]
    # the closing association is dropped; every item is still there, once
    assert sorted(s.uuid for s in framework.standards) == sorted(uid(n) for n in range(1, 7))
    assert by_uuid(framework)[uid(2)].parent is None
    assert by_uuid(framework)[uid(1)].parent == "CCSS.Math.Content.7.RP.A.2"


def test_self_cycle() -> None:
    package = case_package()
    package["CFAssociations"].append(child_of(8, uid(5), uid(5)))
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert errors(diagnostics) == [
        (
            line_of(text, '"a0000000-0000-4000-8000-000000000008"'),
            "cycle in isChildOf: 'CCSS.Math.Content.7.RP.A.1' -> 'CCSS.Math.Content.7.RP.A.1' "
            "(each is a child of the next)",
        )
    ]


def test_duplicate_codes_in_two_spellings() -> None:
    package = case_package()
    package["CFItems"][4]["humanCodingScheme"] = "CCSS.MATH.CONTENT.7.RP.A.2"  # same as item 3
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    first = line_of(text, f'"identifier": "{uid(3)}"')
    second = line_of(text, f'"identifier": "{uid(5)}"')
    assert errors(diagnostics) == [
        (second, f"duplicate code 'CCSS.Math.Content.7.RP.A.2' (first at line {first})")
    ]
    # the duplicate stays addressable by its UUID, without the code
    assert by_uuid(framework)[uid(5)].code is None


def test_duplicate_identifiers() -> None:
    package = case_package()
    twin = copy.deepcopy(package["CFItems"][4])
    twin["humanCodingScheme"] = "7.RP.A.3"
    package["CFItems"].append(twin)
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert errors(diagnostics) == [
        (
            line_of(text, '"7.RP.A.3"'),
            f"duplicate CFItem identifier '{uid(5)}' (first at line {line_of(text, uid(5))})",
        )
    ]


def test_dangling_is_child_of_parent() -> None:
    package = case_package()
    package["CFAssociations"].append(child_of(8, uid(5), "ffffffff-0000-4000-8000-000000000000"))
    package["CFAssociations"][-1]["destinationNodeURI"]["title"] = "Grade 7 Ratios"
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert errors(diagnostics) == [
        (
            line_of(text, "a0000000-0000-4000-8000-000000000008"),
            "dangling isChildOf association: parent 'Grade 7 Ratios' is neither an item of this "
            "package nor its CFDocument",
        )
    ]


def test_dangling_is_child_of_child() -> None:
    package = case_package()
    package["CFAssociations"].append(child_of(8, "ffffffff-0000-4000-8000-000000000001", uid(2)))
    text = dump_case(package)
    _, diagnostics = parse(text)
    assert errors(diagnostics) == [
        (
            line_of(text, "a0000000-0000-4000-8000-000000000008"),
            "dangling isChildOf association: child 'ffffffff-0000-4000-8000-000000000001' is not "
            "an item of this package",
        )
    ]


def test_dangling_other_association_without_uri() -> None:
    package = case_package()
    package["CFAssociations"].append(
        {
            "identifier": "a0000000-0000-4000-8000-000000000009",
            "associationType": "isRelatedTo",
            "originNodeURI": node(uid(3)),
            "destinationNodeURI": {"title": "Lost", "identifier": "ffffffff-aaaa-4000-8000-0"},
        }
    )
    text = dump_case(package)
    _, diagnostics = parse(text)
    assert errors(diagnostics) == [
        (
            line_of(text, "a0000000-0000-4000-8000-000000000009"),
            "dangling isRelatedTo association: destination 'Lost' is not in this package and has "
            "no uri",
        )
    ]


def test_external_association_with_uri_is_fine() -> None:
    # case_package() has an exactMatchOf to an item of another framework, with its uri
    _, diagnostics = parse(case_package())
    assert diagnostics == []


def test_association_without_nodes_or_type() -> None:
    package = case_package()
    package["CFAssociations"].append({"identifier": "x1", "associationType": "isChildOf"})
    package["CFAssociations"].append({"identifier": "x2", "originNodeURI": node(uid(1))})
    package["CFAssociations"].append("isChildOf")
    text = dump_case(package)
    _, diagnostics = parse(text)
    assert errors(diagnostics) == [
        (
            line_of(text, '"x1"'),
            "CFAssociations[7] (isChildOf) has no originNodeURI with an identifier or uri",
        ),
        (line_of(text, '"x2"'), "CFAssociations[8] has no associationType"),
        (line_of(text, '"isChildOf"', 8), "CFAssociations[9] must be an object, not a string"),
    ]


def test_code_that_is_not_a_string() -> None:
    package = case_package()
    package["CFItems"][4]["humanCodingScheme"] = 7.1
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert errors(diagnostics) == [
        (
            line_of(text, f'"identifier": "{uid(5)}"'),
            "CFItems[4]: humanCodingScheme must be a string, not a number",
        )
    ]
    assert by_uuid(framework)[uid(5)].code is None


def test_items_without_identifier_or_object_shape() -> None:
    package = case_package()
    package["CFItems"].append({"humanCodingScheme": "7.RP.A.3", "fullStatement": "x"})
    package["CFItems"].append(["not", "an", "item"])
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None and framework.count == 6
    assert errors(diagnostics) == [
        (line_of(text, '"7.RP.A.3"'), "CFItems[6] has no identifier"),
        (line_of(text, '["not", "an", "item"]'), "CFItems[7] must be an object, not a list"),
    ]


def test_missing_full_statement_is_a_warning() -> None:
    package = case_package()
    del package["CFItems"][4]["fullStatement"]
    text = dump_case(package)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert [(d.line, d.severity, d.message) for d in diagnostics] == [
        (
            line_of(text, f'"identifier": "{uid(5)}"'),
            "warning",
            "CFItem 'CCSS.Math.Content.7.RP.A.1' has no fullStatement",
        )
    ]
    assert by_uuid(framework)[uid(5)].statement is None


def test_every_problem_is_reported_in_one_run() -> None:
    package = case_package()
    package["CFItems"][4]["humanCodingScheme"] = "7.RP.A.2"
    package["CFItems"][5]["humanCodingScheme"] = ["7.RP.A.9"]
    package["CFAssociations"].append(child_of(8, uid(5), "ffffffff-0000-4000-8000-000000000000"))
    _, diagnostics = parse(package)
    messages = [d.message for d in diagnostics]
    assert len(messages) == 3
    assert messages[0].startswith("duplicate code")
    assert messages[1] == "CFItems[5]: humanCodingScheme must be a string, not a list"
    assert messages[2].startswith("dangling isChildOf association")


def test_a_bad_document_field_is_reported_at_its_own_line() -> None:
    """CASE packages are read through schema.Reporter: a path finds its own line."""
    package = case_package()
    package["CFDocument"]["creator"] = ["Pine Valley"]
    text = json.dumps(package, indent=2)
    framework, diagnostics = parse(text)
    assert framework is not None
    assert errors(diagnostics) == [
        (line_of(text, '"creator"'), "CFDocument: creator must be a string, not a list")
    ]
    wrapped = json.dumps({"CFPackage": package}, indent=2)
    framework, diagnostics = parse(wrapped)
    assert errors(diagnostics) == [
        (line_of(wrapped, '"creator"'), "CFDocument: creator must be a string, not a list")
    ]
