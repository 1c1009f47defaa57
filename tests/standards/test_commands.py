"""``standards list|import|search`` through an argparse parser, as cli.py wires them."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portfolio_gen.standards.commands import register, safe_name

from .conftest import HIVE_YAML, HOST, case_package, child_of, dump_case, line_of, uid

Make = Callable[[dict[str, str | bytes]], Path]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="portfolio-gen")
    commands = top.add_subparsers(dest="command", required=True)
    register(commands)
    return top


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = parser().parse_args(argv)
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --------------------------------------------------------------------------- parsing


def test_standards_without_a_subcommand_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args(["standards"])
    assert exit_info.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_path_defaults_to_the_current_folder() -> None:
    args = parser().parse_args(["standards", "list"])
    assert args.path == "."
    args = parser().parse_args(["standards", "import", "x.json"])
    assert (args.file, args.path) == ("x.json", ".")
    args = parser().parse_args(["standards", "search", "7.RP.A.2", "some/where", "--limit", "3"])
    assert (args.text, args.path, args.limit) == ("7.RP.A.2", "some/where", 3)


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("list", "import", "search"):
        with pytest.raises(SystemExit) as exit_info:
            parser().parse_args(["standards", sub, "--help"])
        assert exit_info.value.code == 0
        assert "usage: portfolio-gen standards " + sub in capsys.readouterr().out


# --------------------------------------------------------------------------- list


def test_list_frameworks_and_builtins(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio(
        {"standards/pine-valley.json": dump_case(case_package()), "standards/hive.yml": HIVE_YAML}
    )
    code, out, err = run(["standards", "list", str(root)], capsys)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Frameworks in standards/:"
    assert lines[1].split() == [
        "Hive",
        "Maker",
        "Skills",
        "4",
        "standards",
        "YAML",
        "standards/hive.yml",
    ]
    assert lines[2].split()[-4:] == ["6", "standards", "CASE", "standards/pine-valley.json"]
    assert "Built-in schemes (codes recognised without a file; CCSS with statements):" in out
    assert "CCSS Math" in out and "CCSS ELA/Literacy" in out and "HS-ETS1-2" in out


def test_list_without_frameworks(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({})
    code, out, _ = run(["standards", "list", str(root)], capsys)
    assert code == 0
    assert out.startswith("No framework files in standards/")
    assert "ngss" in out


def test_list_reports_bad_files_and_exits_1(
    portfolio: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({"standards/bad.json": "{\n  oops\n}\n", "standards/hive.yml": HIVE_YAML})
    code, out, err = run(["standards", "list", str(root)], capsys)
    assert code == 1
    assert err.startswith("standards/bad.json:2: error: not valid JSON")
    assert "Hive Maker Skills" in out


def test_list_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["standards", "list", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert err.strip() == f"{tmp_path / 'nope'}: error: no such folder"


# --------------------------------------------------------------------------- import


def test_import_copies_the_package_under_a_safe_name(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    package = case_package()
    package["CFDocument"]["title"] = "Pine Valley: Math 7 (2025 Édition)"
    source = tmp_path / "download.json"
    data = json.dumps(package, indent=2).encode("utf-8")
    source.write_bytes(data)
    code, out, err = run(["standards", "import", str(source), str(root)], capsys)
    assert (code, err) == (0, "")
    target = root / "standards" / "pine-valley-math-7-2025-edition.json"
    assert target.read_bytes() == data  # copied unchanged
    assert out.strip() == (
        "imported 'Pine Valley: Math 7 (2025 Édition)' (6 standards) as "
        "standards/pine-valley-math-7-2025-edition.json"
    )
    # and the portfolio now knows its statements
    code, out, _ = run(["standards", "search", "7.rp.a.2", str(root)], capsys)
    assert code == 0
    assert "Decide whether two quantities vary together at a constant rate." in out


def test_import_again_is_a_no_op(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    source = tmp_path / "pv.json"
    source.write_text(dump_case(case_package()), encoding="utf-8")
    assert run(["standards", "import", str(source), str(root)], capsys)[0] == 0
    code, out, _ = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0
    assert (
        out.strip()
        == "'Pine Valley Math 7' is already imported as standards/pine-valley-math-7.json"
    )
    assert [p.name for p in (root / "standards").iterdir()] == ["pine-valley-math-7.json"]


def test_import_a_new_version_of_the_same_document_replaces_it(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({"standards/district.json": dump_case(case_package())})
    newer = case_package()
    newer["CFItems"][4]["fullStatement"] = "Compute unit rates, revised."
    source = tmp_path / "pv-2026.json"
    source.write_text(dump_case(newer), encoding="utf-8")
    code, out, _ = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0
    assert out.strip() == "updated 'Pine Valley Math 7' (6 standards) as standards/district.json"
    assert [p.name for p in (root / "standards").iterdir()] == ["district.json"]
    assert "revised" in (root / "standards" / "district.json").read_text(encoding="utf-8")


def test_import_a_different_document_with_the_same_title_gets_a_new_name(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({"standards/pine-valley-math-7.json": dump_case(case_package())})
    other = case_package()
    other["CFDocument"]["identifier"] = "d0000000-0000-4000-8000-000000000999"
    for association in other["CFAssociations"]:
        for end in ("originNodeURI", "destinationNodeURI"):
            if association[end]["identifier"].startswith("d0000000"):
                association[end]["identifier"] = "d0000000-0000-4000-8000-000000000999"
    for item in other["CFItems"]:
        item["identifier"] = item["identifier"].replace("00000000-0000", "11111111-0000")
    source = tmp_path / "other.json"
    source.write_text(json.dumps(other), encoding="utf-8")
    code, out, err = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0, err
    assert out.startswith(
        "imported 'Pine Valley Math 7' (6 standards) as standards/pine-valley-math-7-2.json"
    )
    assert (root / "standards" / "pine-valley-math-7.json").is_file()


def test_import_failure_prints_every_problem_and_copies_nothing(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    package = case_package()
    package["CFItems"][4]["humanCodingScheme"] = "7.RP.A.2"  # duplicate code
    package["CFAssociations"].append(child_of(8, uid(5), uid(5)))  # cycle
    package["CFAssociations"].append(child_of(9, uid(5), "ffffffff-0000-4000-8000-000000000000"))
    text = dump_case(package)
    source = tmp_path / "broken.json"
    source.write_text(text, encoding="utf-8")
    code, out, err = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 1
    assert out == ""
    item = line_of(text, f'"identifier": "{uid(5)}"')
    first = line_of(text, f'"identifier": "{uid(3)}"')
    cycle = line_of(text, "a0000000-0000-4000-8000-000000000008")
    dangling = line_of(text, "a0000000-0000-4000-8000-000000000009")
    assert err.splitlines() == [
        f"{source}:{item}: error: duplicate code 'CCSS.Math.Content.7.RP.A.2' (first at line {first})",
        f"{source}:{cycle}: error: cycle in isChildOf: '{uid(5)}' -> '{uid(5)}' "
        "(each is a child of the next)",
        f"{source}:{dangling}: error: dangling isChildOf association: parent "
        "'ffffffff-0000-4000-8000-000000000000' is neither an item of this package nor its "
        "CFDocument",
        f"{source}: error: nothing imported (3 errors)",
    ]
    assert not (root / "standards").exists()


def test_import_not_json(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    source = tmp_path / "page.json"
    source.write_text("<html>\n<body>Not found</body>\n", encoding="utf-8")
    code, _, err = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 1
    assert err.splitlines() == [
        f"{source}:1: error: not valid JSON: Expecting value (column 1)",
        f"{source}: error: nothing imported (1 error)",
    ]
    assert not (root / "standards").exists()


def test_import_without_cf_items(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    source = tmp_path / "doc.json"
    source.write_text(
        json.dumps({"CFDocument": {"title": "x", "identifier": "y"}}), encoding="utf-8"
    )
    code, _, err = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 1
    assert (
        err.splitlines()[0]
        == f"{source}: error: not a CASE package: no CFItems (found: CFDocument)"
    )


def test_import_a_file_without_suffix_is_read_as_case(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    source = tmp_path / "d0000000-0000-4000-8000-000000000000"
    source.write_text(dump_case(case_package()), encoding="utf-8")
    code, out, _ = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0
    assert out.strip().endswith("as standards/pine-valley-math-7.json")


def test_import_a_yaml_framework(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    source = tmp_path / "skills.yaml"
    source.write_text(HIVE_YAML, encoding="utf-8")
    code, out, _ = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0
    assert (
        out.strip()
        == "imported 'Hive Maker Skills' (4 standards) as standards/hive-maker-skills.yaml"
    )


def test_import_warns_about_codes_other_frameworks_define(
    portfolio: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({"standards/a-hive.yml": HIVE_YAML})
    source = tmp_path / "more.yml"
    source.write_text(
        "framework: More Skills\nstandards:\n  - code: HIVE.SAFETY.1\n    statement: x\n",
        encoding="utf-8",
    )
    code, _, err = run(["standards", "import", str(source), str(root)], capsys)
    assert code == 0
    assert err.strip() == (
        "standards/more-skills.yml:3: warning: code 'HIVE.SAFETY.1' is also defined in "
        "standards/a-hive.yml:14 (Hive Maker Skills); that one is used"
    )


def test_import_into_a_folder_that_is_not_a_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "pv.json"
    source.write_text(dump_case(case_package()), encoding="utf-8")
    folder = tmp_path / "empty"
    folder.mkdir()
    code, _, err = run(["standards", "import", str(source), str(folder)], capsys)
    assert code == 2
    assert "not a portfolio folder (no portfolio.yml)" in err
    assert not (folder / "standards").exists()


def test_import_missing_file(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({})
    code, _, err = run(["standards", "import", "nowhere.json", str(root)], capsys)
    assert code == 2
    assert err.strip() == "nowhere.json: error: no such file"


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Pine Valley Math 7", "pine-valley-math-7"),
        (
            "Common Core State Standards for Mathematics",
            "common-core-state-standards-for-mathematics",
        ),
        ("  ../../etc/passwd  ", "etc-passwd"),
        ("Ciencias Naturales — Básico", "ciencias-naturales-basico"),
        ("数学", "数学"),  # the one slug function: other scripts keep their name
        ("— ✓ —", "framework"),
        ("CON", "con-framework"),
        ("x" * 80, "x" * 60),
    ],
)
def test_safe_name(title: str, stem: str) -> None:
    assert safe_name(title) == stem


# --------------------------------------------------------------------------- search


def test_search_a_builtin_code(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({})
    code, out, _ = run(["standards", "search", "hsa.sse.a.1", str(root)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "hsa.sse.a.1 -> CCSS.Math.Content.HSA-SSE.A.1"
    assert lines[1] == ("  CCSS Math: subject Math, grade HS (band 9-12), domain HSA-SSE, standard")
    assert lines[2] == "  official URL: http://corestandards.org/Math/Content/HSA/SSE/A/1"
    assert (
        lines[3]
        == "  statement: Interpret expressions that represent a quantity in terms of its context ★"
    )
    assert "Council of Chief State School Officers" in out  # the notice the licence asks for


def test_search_an_ngss_code(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({})
    code, out, _ = run(["standards", "search", "ms-ls1-6", str(root)], capsys)
    assert code == 0
    assert out.splitlines()[:2] == [
        "ms-ls1-6 -> MS-LS1-6",
        "  NGSS: subject Life Science, grade MS (band 6-8), domain LS1, performance expectation",
    ]
    assert "official URL" not in out
    assert "  page: https://www.nextgenscience.org/pe/ms-ls1-6-" in out
    assert "statement: not bundled" in out


def test_search_a_code_not_in_the_catalog(
    portfolio: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    code, out, _ = run(["standards", "search", "K.CC.A.4", str(root)], capsys)
    assert code == 1
    assert out.splitlines() == [
        "'K.CC.A.4' is not in CCSS Math: K.CC.A holds standards 1-3; 4 is in cluster B "
        "(did you mean 'CCSS.Math.Content.K.CC.B.4'?)",
        "no standards match 'K.CC.A.4'",
    ]


def test_search_a_code_the_package_has(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    text = dump_case(case_package())
    root = portfolio({"standards/pv.json": text})
    code, out, _ = run(
        ["standards", "search", "http://corestandards.org/Math/Content/7/RP/A/2", str(root)], capsys
    )
    assert code == 0
    assert "statement: not bundled" not in out
    assert "1 match in the portfolio's frameworks:" in out
    line = line_of(text, f'"identifier": "{uid(3)}"')
    assert (
        f"  CCSS.Math.Content.7.RP.A.2  (Pine Valley Math 7, grade 7, standards/pv.json:{line})"
        in out
    )
    assert f"      {HOST + uid(3)}" in out


def test_search_statement_words(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({"standards/hive.yml": HIVE_YAML})
    code, out, _ = run(["standards", "search", "prototype", str(root)], capsys)
    assert code == 0
    assert out.splitlines() == [
        "1 match in the portfolio's frameworks:",
        "  HIVE.DESIGN.2  (Hive Maker Skills, grade 9-12, standards/hive.yml:11)",
        "      Tests a prototype and changes the design.",
    ]


def test_search_limit(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({"standards/hive.yml": HIVE_YAML})
    code, out, _ = run(["standards", "search", "hive", str(root), "--limit", "2"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "4 matches in the portfolio's frameworks:"
    assert out.splitlines()[-1] == "  ... and 2 more (--limit 0 shows all)"


def test_search_a_malformed_code_explains_it(
    portfolio: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = portfolio({})
    code, out, _ = run(["standards", "search", "HS.ETS1.2", str(root)], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "no standards match 'HS.ETS1.2' (did you mean 'HS-ETS1-2'?)"
    code, out, _ = run(["standards", "search", "3.RP.A.1", str(root)], capsys)
    assert code == 1
    assert out.splitlines() == [
        "'3.RP.A.1' is not a valid code: RP is not a grade 3 math domain "
        "(grade 3: OA, NBT, NF, MD, G)",
        "no standards match '3.RP.A.1'",
    ]
    code, out, _ = run(["standards", "search", "7.RP.9", str(root)], capsys)
    assert code == 1
    assert out.splitlines() == [
        "'7.RP.9' is not a valid code: CCSS Math codes name the cluster letter after the "
        "domain, e.g. 7.RP.A.9",
        "no standards match '7.RP.9'",
    ]


def test_search_nothing_found(portfolio: Make, capsys: pytest.CaptureFixture[str]) -> None:
    root = portfolio({"standards/hive.yml": HIVE_YAML})
    code, out, err = run(["standards", "search", "zebra crossing", str(root)], capsys)
    assert code == 1
    assert out.strip() == "no standards match 'zebra crossing'"
    assert err == ""
