"""The standards x evidence matrix: pure functions over the Portfolio graph.

The standards page, the evidence report, the chart and the standard pages all
read what :func:`build_matrix` returns, so grouping, counting, gaps and levels
are decided here once and never in a template.

- Rows are standards, grouped by framework, subject and grade band (groups
  sorted by framework, then subject, then band in school order).
- Columns are the settings the evidence comes from (in-school, out-of-school,
  home, online, community, in that order), only those that occur, plus
  ``unstated`` for evidence without a setting (a badge not linked to a project).
- A gap is a standard with no evidence: in the graph that is always a goal.
- The highest level of a row is the highest self-assessed level of its
  evidence on the portfolio's scale (``config.levels``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..content.projects import SETTINGS
from ..standards.levels import Levels
from ..standards.schemes import band_for_grade, grade_sort_key
from ..validate import slugify
from .graph import Evidence, Portfolio, StandardNode, unique_name

UNSTATED = "unstated"  # the column of evidence that names no setting
COLUMNS: tuple[str, ...] = (*SETTINGS, UNSTATED)


def setting_of(evidence: Evidence) -> str:
    """The matrix column of one piece of evidence: its setting, else ``unstated``."""
    return evidence.setting if evidence.setting in SETTINGS else UNSTATED


def band_of(node: StandardNode) -> str | None:
    """The grade band a standard is grouped under ("6-8", "K-12"...), if known."""
    standard = node.standard
    return standard.band or band_for_grade(standard.grade)


def highest_level(evidence: Iterable[Evidence], scale: Levels) -> str | None:
    """The highest level on ``scale`` that any of ``evidence`` reached, or None."""
    best: tuple[int, str] | None = None
    for item in evidence:
        rank = scale.rank(item.level)
        if rank is not None and (best is None or rank > best[0]):
            best = (rank, scale.names[rank])
    return best[1] if best else None


@dataclass(frozen=True)
class Row:
    """One standard with its evidence, split into the matrix's columns."""

    node: StandardNode
    cells: tuple[tuple[Evidence, ...], ...]  # one per Matrix.columns entry
    highest: str | None  # the highest level reached, in the scale's spelling
    rank: int | None  # its position on the scale, 0 = lowest

    @property
    def evidence(self) -> list[Evidence]:
        return self.node.evidence

    @property
    def count(self) -> int:
        return len(self.node.evidence)

    @property
    def projects(self) -> int:
        return sum(1 for e in self.node.evidence if e.kind == "project")

    @property
    def badges(self) -> int:
        return sum(1 for e in self.node.evidence if e.kind == "badge")

    @property
    def goal(self) -> bool:
        return self.node.goal

    @property
    def gap(self) -> bool:
        """A standard with no evidence (a goal still open)."""
        return not self.node.evidence


@dataclass(frozen=True)
class Group:
    """Standards of one framework, subject and grade band."""

    id: str  # unique on the page, for anchors
    framework: str
    subject: str | None
    band: str | None
    rows: tuple[Row, ...]

    @property
    def count(self) -> int:
        """Standard-evidence pairs in the group."""
        return sum(r.count for r in self.rows)

    @property
    def gaps(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.gap)


@dataclass(frozen=True)
class Bar:
    """Pieces of evidence for one subject and grade band, per matrix column.

    A project or badge counts once per bar, however many of the bar's
    standards it is evidence for.
    """

    subject: str | None
    band: str | None
    counts: tuple[int, ...]  # one per Matrix.columns entry

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Matrix:
    """The standards x settings view: where each standard was shown, and how well."""

    columns: tuple[str, ...]  # settings that occur (SETTINGS order), then UNSTATED if any
    groups: tuple[Group, ...]
    bars: tuple[Bar, ...]
    scale: Levels

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def gaps(self) -> tuple[Row, ...]:
        """Goals with no evidence, in matrix order."""
        return tuple(r for r in self.rows if r.gap)

    @property
    def goals(self) -> int:
        return sum(1 for r in self.rows if r.goal)

    @property
    def pairs(self) -> int:
        """Standard-evidence pairs (the rows of the CSV export)."""
        return sum(r.count for r in self.rows)

    @property
    def pieces(self) -> int:
        """Distinct projects and badges that are evidence for any standard."""
        return len({(e.kind, e.slug) for r in self.rows for e in r.evidence})

    @property
    def dates(self) -> tuple[_dt.date, _dt.date] | None:
        """The earliest and latest dates of the evidence, or None when none is dated."""
        found = [e.date for r in self.rows for e in r.evidence if e.date]
        return (min(found), max(found)) if found else None

    @property
    def totals(self) -> tuple[int, ...]:
        """Standard-evidence pairs per column."""
        return tuple(sum(len(r.cells[i]) for r in self.rows) for i in range(len(self.columns)))

    @cached_property
    def _index(self) -> dict[str, tuple[Group, Row]]:
        return {r.node.code: (g, r) for g in self.groups for r in g.rows}

    def row(self, code: str) -> Row | None:
        """The row of the standard with this code (``StandardNode.code``)."""
        found = self._index.get(code)
        return found[1] if found else None

    def group_of(self, code: str) -> Group | None:
        """The group the standard with this code is listed in."""
        found = self._index.get(code)
        return found[0] if found else None


def build_matrix(portfolio: Portfolio) -> Matrix:
    """The standards x evidence matrix of ``portfolio``."""
    scale = Levels(tuple(portfolio.config.levels))
    nodes = portfolio.standards
    present = {setting_of(e) for node in nodes for e in node.evidence}
    columns = tuple(c for c in COLUMNS if c in present)

    def make_row(node: StandardNode) -> Row:
        cells = tuple(tuple(e for e in node.evidence if setting_of(e) == c) for c in columns)
        highest = highest_level(node.evidence, scale)
        return Row(node, cells, highest, scale.rank(highest) if highest else None)

    keyed: dict[tuple[str, str | None, str | None], list[StandardNode]] = {}
    for node in nodes:
        keyed.setdefault(
            (node.standard.framework, node.standard.subject, band_of(node)), []
        ).append(node)
    groups = []
    used: set[str] = set()
    for key in sorted(keyed, key=_group_order):
        framework, subject, band = key
        members = sorted(
            keyed[key], key=lambda n: (grade_sort_key(n.standard.grade), n.code.lower(), n.code)
        )
        groups.append(
            Group(
                unique_name(slugify(" ".join(filter(None, key))), used),
                framework,
                subject,
                band,
                tuple(make_row(n) for n in members),
            )
        )
    return Matrix(columns, tuple(groups), _bars(nodes, columns), scale)


def _group_order(key: tuple[str, str | None, str | None]) -> tuple[object, ...]:
    framework, subject, band = key
    return (
        framework.lower(),
        framework,
        subject is None,
        (subject or "").lower(),
        grade_sort_key(band),
    )


def _bars(nodes: list[StandardNode], columns: tuple[str, ...]) -> tuple[Bar, ...]:
    pieces: dict[tuple[str | None, str | None], dict[tuple[str, str], str]] = {}
    for node in nodes:
        bucket = pieces.setdefault((node.standard.subject, band_of(node)), {})
        for e in node.evidence:
            bucket.setdefault((e.kind, e.slug), setting_of(e))
    bars = []
    for (subject, band), found in pieces.items():
        if not found:
            continue
        counts = tuple(sum(1 for s in found.values() if s == c) for c in columns)
        bars.append(Bar(subject, band, counts))
    bars.sort(key=lambda b: (b.subject is None, (b.subject or "").lower(), grade_sort_key(b.band)))
    return tuple(bars)
