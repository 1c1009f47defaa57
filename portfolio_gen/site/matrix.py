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
- Coverage rolls up: a component's evidence counts for its standard
  (``Row.via``), and ``Matrix.clusters`` says, per cluster (or domain, or a
  framework file's parent item), how many of its standards have evidence, out
  of all the standards it holds (the bundled catalog or the framework's tree).
- :func:`scoped` narrows a portfolio to one framework group (``export --scope``),
  with a row for every standard in it, evidence or not.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from ..content.projects import SETTINGS
from ..lazy_dataclass import dataclass
from ..standards.levels import Levels
from ..standards.schemes import band_for_grade, grade_sort_key
from ..validate import slugify
from .graph import EvidenceItem, Portfolio, StandardNode, unique_name

if TYPE_CHECKING:
    from ..standards.frameworks import Catalog
    from ..standards.model import Standard

UNSTATED = "unstated"  # the column of evidence that names no setting
COLUMNS: tuple[str, ...] = (*SETTINGS, UNSTATED)


def setting_of(evidence: EvidenceItem) -> str:
    """The matrix column of one piece of evidence: its setting, else ``unstated``."""
    return evidence.setting if evidence.setting in SETTINGS else UNSTATED


def band_of(node: StandardNode) -> str | None:
    """The grade band a standard is grouped under ("6-8", "K-12"...), if known."""
    standard = node.standard
    return standard.band or band_for_grade(standard.grade)


def highest_level(evidence: Iterable[EvidenceItem], scale: Levels) -> str | None:
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
    cells: tuple[tuple[EvidenceItem, ...], ...]  # one per Matrix.columns entry
    highest: str | None  # the highest level reached, in the scale's spelling
    rank: int | None  # its position on the scale, 0 = lowest
    via: int = 0  # pieces of evidence for its components (rolled up into this standard)

    @property
    def evidence(self) -> list[EvidenceItem]:
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

    @property
    def covered(self) -> bool:
        """Evidence for the standard itself or for one of its components."""
        return bool(self.node.evidence) or self.via > 0


@dataclass(frozen=True)
class ClusterRow:
    """How much of one cluster (domain, parent item) the evidence covers."""

    standard: Standard  # the cluster
    total: int  # the standards it holds
    covered: tuple[str, ...]  # the codes of those with evidence (own or a component's)

    @property
    def count(self) -> int:
        return len(self.covered)


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
    clusters: tuple[ClusterRow, ...] = ()

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

    catalog = portfolio.catalog
    via: dict[str, int] = {}  # a standard's key -> evidence for its components
    for node in nodes:
        if node.evidence and _kind(node.standard) == "component" and node.standard.parent:
            parent = catalog.parent(node.standard) if catalog is not None else None
            key = parent.key if parent is not None else node.standard.parent
            via[key] = via.get(key, 0) + len(node.evidence)

    def make_row(node: StandardNode) -> Row:
        cells = tuple(tuple(e for e in node.evidence if setting_of(e) == c) for c in columns)
        highest = highest_level(node.evidence, scale)
        rank = scale.rank(highest) if highest else None
        return Row(node, cells, highest, rank, via.get(node.code, 0))

    keyed: dict[tuple[str, str | None, str | None], list[StandardNode]] = {}
    for node in nodes:
        keyed.setdefault(
            (node.standard.framework, node.standard.subject, band_of(node)), []
        ).append(node)
    groups = []
    used: set[str] = set()
    for group in sorted(keyed, key=_group_order):
        framework, subject, band = group
        members = sorted(
            keyed[group], key=lambda n: (grade_sort_key(n.standard.grade), n.code.lower(), n.code)
        )
        groups.append(
            Group(
                unique_name(slugify(" ".join(filter(None, group))), used),
                framework,
                subject,
                band,
                tuple(make_row(n) for n in members),
            )
        )
    clusters = _clusters(nodes, catalog) if catalog is not None else ()
    return Matrix(columns, tuple(groups), _bars(nodes, columns), scale, clusters)


def _kind(standard: Standard) -> str:
    return (standard.item_type or "").lower()


def _clusters(nodes: list[StandardNode], catalog: Catalog) -> tuple[ClusterRow, ...]:
    """Per cluster above the matrix's standards: its standards, and which have evidence."""
    found: dict[str, tuple[Standard, set[str]]] = {}
    order: list[str] = []
    for node in nodes:
        standard = node.standard
        if _kind(standard) == "component":
            standard = catalog.parent(standard) or standard
        cluster = catalog.parent(standard)
        if cluster is None or not cluster.group:
            continue
        if cluster.key not in found:
            found[cluster.key] = (cluster, set())
            order.append(cluster.key)
        if node.evidence:
            found[cluster.key][1].add(standard.key)
    rows = []
    for key in order:
        cluster, covered = found[key]
        members = [m.key for m in catalog.members(cluster)]
        rows.append(ClusterRow(cluster, len(members), tuple(k for k in members if k in covered)))
    rows.sort(key=lambda r: (r.standard.framework.lower(), r.standard.key.lower()))
    return tuple(rows)


def scoped(portfolio: Portfolio, code: str) -> tuple[Portfolio | None, str | None]:
    """``portfolio`` narrowed to one standard or group (a framework's domain, cluster,
    category...): a node for every standard inside it, with its evidence or none yet,
    and the evidenced components below them. (None, message) when ``code`` is unknown.
    """
    catalog = portfolio.catalog
    if catalog is None:
        return None, code
    standard = catalog.resolve(code)
    if standard is None:
        return None, catalog.unknown_message(code)
    members = catalog.members(standard) or [standard]
    keys = {m.key for m in members}
    existing = {n.code: n for n in portfolio.standards}
    nodes = [existing.get(m.key) or StandardNode(m, slug=slugify(m.key)) for m in members]
    for node in portfolio.standards:  # components (and deeper items) under those standards
        if node.code not in keys and any(a.key in keys for a in catalog.trail(node.standard)):
            nodes.append(node)
    nodes.sort(key=lambda n: (n.code.lower(), n.code))
    open_goals = [n.code for n in nodes if n.goal and not n.evidence]
    return dataclasses.replace(portfolio, standards=nodes, open_goals=open_goals), None


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
