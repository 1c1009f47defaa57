"""Fixtures for the standards tests: a small hand-made CASE package and portfolios.

``case_package()`` builds the package as a dict; ``dump_case`` writes it with one
item or association per line, so a test can find the line of any part with
``line_of``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support.helpers import write_tree

DOC_ID = "d0000000-0000-4000-8000-000000000000"
HOST = "https://case.example.org/uri/"


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def node(identifier: str, title: str = "") -> dict:
    return {"title": title, "identifier": identifier, "uri": HOST + identifier}


def child_of(n: int, child: str, parent: str, seq: int | None = None) -> dict:
    assoc = {
        "identifier": f"a0000000-0000-4000-8000-{n:012d}",
        "uri": HOST + f"a0000000-0000-4000-8000-{n:012d}",
        "associationType": "isChildOf",
        "originNodeURI": node(child),
        "destinationNodeURI": node(parent),
    }
    if seq is not None:
        assoc["sequenceNumber"] = seq
    return assoc


def case_package() -> dict:
    """Pine Valley Math 7: a domain, a cluster, a CCSS-coded standard with a
    component, a second standard, and one item without a code."""
    items = [
        {
            "identifier": uid(1),
            "uri": HOST + uid(1),
            "humanCodingScheme": "7.RP",
            "CFItemType": "Domain",
            "fullStatement": "Ratios and proportional reasoning",
            "educationLevel": ["07"],
        },
        {
            "identifier": uid(2),
            "uri": HOST + uid(2),
            "humanCodingScheme": "7.RP.A",
            "CFItemType": "Cluster",
            "fullStatement": "Work with proportional relationships",
        },
        {
            "identifier": uid(3),
            "uri": HOST + uid(3),
            "humanCodingScheme": "7.RP.A.2",
            "CFItemType": "Standard",
            "fullStatement": "Decide whether two quantities vary together at a constant rate.",
            "abbreviatedStatement": "Constant rate",
        },
        {
            "identifier": uid(4),
            "uri": HOST + uid(4),
            "humanCodingScheme": "7.RP.A.2a",
            "CFItemType": "Component",
            "fullStatement": "Check a table of values for equivalent ratios.",
        },
        {
            "identifier": uid(5),
            "uri": HOST + uid(5),
            "humanCodingScheme": "7.RP.A.1",
            "CFItemType": "Standard",
            "fullStatement": "Compute unit rates from fractions.",
        },
        {
            "identifier": uid(6),
            "uri": HOST + uid(6),
            "CFItemTypeURI": {"title": "Practice", "identifier": uid(99), "uri": HOST + uid(99)},
            "fullStatement": "Explains reasoning about rates to a peer.",
            "educationLevel": ["06", "07", "08"],
        },
    ]
    associations = [
        child_of(1, uid(1), DOC_ID, 1),
        child_of(2, uid(2), uid(1), 1),
        child_of(3, uid(3), uid(2), 2),  # sequence: 7.RP.A.1 comes first
        child_of(4, uid(4), uid(3), 1),
        child_of(5, uid(5), uid(2), 1),
        child_of(6, uid(6), DOC_ID, 2),
        {
            "identifier": "a0000000-0000-4000-8000-000000000007",
            "associationType": "exactMatchOf",
            "originNodeURI": node(uid(3)),
            "destinationNodeURI": node("e0000000-0000-4000-8000-000000000001"),
        },
    ]
    return {
        "CFDocument": {
            "identifier": DOC_ID,
            "uri": HOST + DOC_ID,
            "creator": "Pine Valley School District",
            "title": "Pine Valley Math 7",
            "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
            "subject": ["Mathematics"],
            "licenseURI": {"title": "CC BY 4.0", "identifier": uid(98), "uri": HOST + uid(98)},
        },
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": []},
    }


def dump_case(package: dict) -> str:
    """JSON text with the document, each item and each association on a line of its own."""
    lines = ["{"]
    keys = list(package)
    for k, key in enumerate(keys):
        value = package[key]
        end = "," if k < len(keys) - 1 else ""
        if key in ("CFItems", "CFAssociations") and isinstance(value, list) and value:
            lines.append(f'  "{key}": [')
            for i, element in enumerate(value):
                comma = "," if i < len(value) - 1 else ""
                lines.append("    " + json.dumps(element) + comma)
            lines.append("  ]" + end)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``marker``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if marker in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{marker!r} not in text")


HIVE_YAML = """\
framework: Hive Maker Skills
url: https://hive-maker.example.org/skills/
subject: Making
grade: 6-8
standards:
  - code: HIVE.DESIGN
    statement: Designing before building.
    children:
      - code: HIVE.DESIGN.1
        statement: Sketches a design before building.
      - code: HIVE.DESIGN.2
        statement: Tests a prototype and changes the design.
        grade: 9-12
  - code: HIVE.SAFETY.1
    statement: Uses the workshop's tools safely.
    url: https://hive-maker.example.org/skills/safety-1
"""


@pytest.fixture
def portfolio(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Make a portfolio in tmp_path from {relative path: text or bytes}."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path / "portfolio", {"portfolio.yml": "title: Test\n", **files})

    return make
