"""The YAML framework format: nesting, inheritance, and every bad input with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_gen.standards.yaml_framework import load_yaml_framework, parse_yaml_framework

from .conftest import HIVE_YAML


def problems(text: str) -> list[tuple[int | None, str, str]]:
    _, diagnostics = parse_yaml_framework(text, "standards/hive.yml")
    return [(d.line, d.severity, d.message) for d in diagnostics]


def test_framework_fields_and_nesting() -> None:
    framework, diagnostics = parse_yaml_framework(HIVE_YAML, "standards/hive.yml")
    assert diagnostics == []
    assert framework is not None
    assert (framework.name, framework.kind, framework.source) == (
        "Hive Maker Skills",
        "YAML",
        "standards/hive.yml",
    )
    assert framework.url == "https://hive-maker.example.org/skills/"
    assert framework.subject == "Making"
    codes = [s.code for s in framework.standards]
    assert codes == ["HIVE.DESIGN", "HIVE.DESIGN.1", "HIVE.DESIGN.2", "HIVE.SAFETY.1"]
    design1 = framework.standards[1]
    assert design1.parent == "HIVE.DESIGN"
    assert design1.statement == "Sketches a design before building."
    assert design1.framework == "Hive Maker Skills"
    assert design1.line == 9
    assert design1.uuid is None
    assert design1.scheme is None


def test_grade_and_subject_are_inherited_and_overridable() -> None:
    framework, _ = parse_yaml_framework(HIVE_YAML, "hive.yml")
    assert framework is not None
    by_code = {s.code: s for s in framework.standards}
    assert (by_code["HIVE.DESIGN.1"].grade, by_code["HIVE.DESIGN.1"].band) == ("6-8", "6-8")
    assert (by_code["HIVE.DESIGN.2"].grade, by_code["HIVE.DESIGN.2"].band) == ("9-12", "9-12")
    assert by_code["HIVE.DESIGN.2"].subject == "Making"
    assert by_code["HIVE.SAFETY.1"].url == "https://hive-maker.example.org/skills/safety-1"
    assert by_code["HIVE.DESIGN"].url is None


def test_numeric_grade_is_accepted() -> None:
    framework, diagnostics = parse_yaml_framework(
        "framework: F\ngrade: 7\nstandards:\n  - code: F.1\n    statement: s\n", "f.yml"
    )
    assert diagnostics == []
    assert framework is not None
    assert (framework.standards[0].grade, framework.standards[0].band) == ("7", "6-8")


def test_builtin_like_codes_keep_their_spelling_but_know_their_scheme() -> None:
    text = "framework: My CCSS notes\nstandards:\n  - code: 7.RP.A.2\n    statement: Mine.\n"
    framework, _ = parse_yaml_framework(text, "f.yml")
    assert framework is not None
    standard = framework.standards[0]
    assert standard.code == "7.RP.A.2"
    assert (standard.scheme, standard.subject, standard.grade) == ("CCSS", "Math", "7")


def test_load_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "hive.yml"
    path.write_text(HIVE_YAML, encoding="utf-8")
    framework, diagnostics = load_yaml_framework(path, "standards/hive.yml")
    assert diagnostics == []
    assert framework is not None and framework.count == 4
    missing, problems_ = load_yaml_framework(tmp_path / "none.yml", "none.yml")
    assert missing is None and problems_[0].message.startswith("cannot read file")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_bytes(b"framework: caf\xe9\n")
    framework, diagnostics = load_yaml_framework(path, "bad.yml")
    assert framework is None
    assert [d.message for d in diagnostics] == ["not UTF-8 text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "framework: F\nstandards:\n  - code: F.1\n    statment: Sketches.\n",
            [
                (4, "error", "standards[0]: unknown key 'statment' (did you mean 'statement'?)"),
                (3, "warning", "standard 'F.1' has no statement"),
            ],
        ),
        (
            "framework: F\nstandard:\n  - code: F.1\n",
            [
                (2, "error", "unknown key 'standard' (did you mean 'standards'?)"),
                (1, "error", "framework file has no 'standards:' list"),
            ],
        ),
        (
            "framework: F\ncolour: red\nstandards: []\n",
            [
                (
                    2,
                    "error",
                    "unknown key 'colour' (allowed: framework, url, subject, grade, "
                    "description, license, standards)",
                ),
                (3, "warning", "standards: the list is empty"),
            ],
        ),
        (
            "framework: F\nstandards:\n  - code: 1.5\n    statement: x\n",
            [
                (
                    3,
                    "error",
                    'standards[0]: code must be a string, not a number (put it in quotes: "1.5")',
                )
            ],
        ),
        (
            "framework: F\nstandards:\n  - code: [A, B]\n",
            [(3, "error", "standards[0]: code must be a string, not a list")],
        ),
        (
            "framework: F\nstandards:\n  - code: yes\n",
            [
                (
                    3,
                    "error",
                    'standards[0]: code must be a string, not true/false (put it in quotes: "yes")',
                )
            ],
        ),
        (
            "framework: F\nstandards:\n  - code: A\n    statement: a\n  - code: a\n    statement: b\n",
            [(5, "error", "duplicate code 'a' (first at line 3)")],
        ),
        (
            "framework: F\nstandards:\n  - code: A\n    statement: a\n    code: B\n",
            [(5, "error", "standards[0]: duplicate key 'code'")],
        ),
        (
            "framework: F\nstandards:\n  - code:\n  - statement: x\n  - A.1\n",
            [
                (3, "error", "standards[0]: code is empty"),
                (4, "error", "standards[1] has no code"),
                (
                    5,
                    "error",
                    "standards[2] must be a mapping with code and statement, not a string",
                ),
            ],
        ),
        (
            "framework: F\nstandards:\n  - code: B\n    statement: b\n    children: x\n",
            [(5, "error", "B: children must be a list of standards, not a string")],
        ),
        (
            "framework: F\nstandards:\n  - code: B\n    statement: b\n    children:\n"
            "      - code: B.1\n        statement: 12\n",
            [
                (
                    7,
                    "error",
                    'B.1: statement must be a string, not a number (put it in quotes: "12")',
                )
            ],
        ),
        (
            "framework: F\nstandards:\n",
            [(2, "error", "standards is empty: list the standards under it")],
        ),
        (
            "framework: F\nstandards: {code: A}\n",
            [(2, "error", "standards must be a list of standards, not a mapping")],
        ),
        ("standards: []\n", [(1, "error", "framework file has no 'framework:' name")]),
        ("framework: [x]\n", [(1, "error", "framework must be a string, not a list")]),
        ("", [(None, "error", "empty framework file")]),
        (
            "- a\n- b\n",
            [
                (
                    1,
                    "error",
                    "a framework file is a mapping with framework: and standards:, not a list",
                )
            ],
        ),
        (
            "framework: F\nstandards: [\n",
            [
                (
                    3,
                    "error",
                    "invalid YAML: while parsing a flow node expected the node content, "
                    "but found '<stream end>'",
                )
            ],
        ),
        (
            "framework: F\n  bad indent: x\n",
            [(2, "error", "invalid YAML: mapping values are not allowed here")],
        ),
        (
            "framework: X\n---\nframework: Y\n",
            [
                (
                    2,
                    "error",
                    "invalid YAML: expected a single document in the stream but found another "
                    "document",
                )
            ],
        ),
        (
            "framework: F\n1: x\nstandards: []\n",
            [
                (2, "error", "keys must be plain words, not a number"),
                (3, "warning", "standards: the list is empty"),
            ],
        ),
    ],
)
def test_bad_input_is_reported_with_its_line(
    text: str, expected: list[tuple[int | None, str, str]]
) -> None:
    assert problems(text) == expected


def test_good_items_survive_bad_neighbours() -> None:
    text = (
        "framework: F\nstandards:\n  - code: 2\n  - code: F.2\n    statement: ok\n"
        "  - code: F.3\n    statement: ok\n    level: high\n"
    )
    framework, diagnostics = parse_yaml_framework(text, "f.yml")
    assert framework is not None
    assert [s.code for s in framework.standards] == ["F.2", "F.3"]
    assert len(diagnostics) == 2
