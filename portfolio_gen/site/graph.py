"""The link stage: records -> the Portfolio graph (projects <-> badges <-> standards).

Everything that needs more than one source file is checked here: duplicate
slugs, links between projects, badges named by projects, standard codes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..config import Config
from ..content.links import project_slug
from ..content.projects import About, Project, StandardRef
from ..content.sources import Sources
from ..diagnostics import Diagnostics, did_you_mean
from ..lazy_dataclass import dataclass
from ..validate import slugify
from .network import Network, Peer, match

if TYPE_CHECKING:
    from ..badges.model import Alignment, Badge
    from ..badges.model import Evidence as BadgeEvidence
    from ..standards.frameworks import Catalog
    from ..standards.model import Standard
    from ..standards.reviews import Review


@dataclass(frozen=True)
class Interest:
    """An interest and the projects that share it."""

    name: str
    slug: str
    projects: tuple[Project, ...]

    @property
    def url(self) -> str:
        return f"interests/{self.slug}/"


@dataclass(frozen=True)
class EvidenceItem:
    """One project or badge offered as evidence for one standard."""

    kind: str  # "project" | "badge"
    slug: str
    title: str
    url: str
    date: _dt.date | None
    setting: str | None = None
    program: str | None = None
    rationale: str | None = None
    level: str | None = None
    issuer: str | None = None
    status: str | None = None


@dataclass
class StandardNode:
    """A standard and the evidence mapped to it."""

    standard: Standard
    evidence: list[EvidenceItem] = field(default_factory=list)
    goal: bool = False
    # slugify(code), with -2, -3... when another code has that slug (link() sets it)
    slug: str = ""
    reviews: list[Review] = field(default_factory=list)  # teacher reviews: standards/reviews.py

    @property
    def code(self) -> str:
        """A stable id: the code, else (a CASE item without one) its UUID or URI."""
        return self.standard.key

    @property
    def label(self) -> str:
        return self.standard.label

    @property
    def url(self) -> str:
        return f"standards/{self.slug}/"


@dataclass
class Portfolio:
    """Everything read and linked: what the pages are made from."""

    config: Config
    projects: list[Project]
    about: About | None
    badges: list[Badge]  # sorted by issue date
    standards: list[StandardNode]  # sorted by code
    interests: list[Interest]
    featured: list[Project]
    open_goals: list[str]  # goals (canonical codes) with no evidence
    project_badges: dict[str, list[Badge]] = field(default_factory=dict)
    badge_projects: dict[str, list[Project]] = field(default_factory=dict)
    project_standards: dict[str, list[tuple[StandardRef, StandardNode | None]]] = field(
        default_factory=dict
    )
    badge_standards: dict[str, list[tuple[Alignment, StandardNode | None]]] = field(
        default_factory=dict
    )
    # each badge's own evidence, with the learner's project it points at (if any)
    badge_evidence: dict[str, list[tuple[BadgeEvidence, Project | None]]] = field(
        default_factory=dict
    )
    network: Network = field(default_factory=Network)  # the peers (site/network.py)
    catalog: Catalog | None = None  # what the codes were resolved with (coverage, --scope)

    def standard(self, code: str) -> StandardNode | None:
        return next((s for s in self.standards if s.code == code), None)


def link(
    config: Config,
    projects: list[Project],
    about: About | None,
    badges: list[Badge],
    catalog: Catalog,
    sources: Sources,
    diagnostics: Diagnostics,
    *,
    drafts: bool = False,
    unknown_standard_is_error: bool = False,
    peers: Sequence[Peer] = (),
    memo: dict[str, Any] | None = None,
) -> Portfolio:
    """The graph. ``memo`` (a live preview's, kept between rebuilds) keeps what
    linking each project gave: a project read again (a new record) is linked
    again, the others too if anything they are checked against changed (which
    projects exist, files, badges, the catalog...): see ``_project_links``."""
    root = config.root
    # Two sources that would be published at one URL: report every one of them.
    _clashes(diagnostics, "projects", [(p.slug, p.source, p.source) for p in projects], root)
    published = [p for p in projects if drafts or not p.draft]
    slugs = {p.slug for p in published}
    draft_slugs = {p.slug for p in projects if p.draft and not drafts}
    # Projects whose source could not be read exist: their own error is enough.
    # (a project's slug is its source's: only the sources without a project are slugged)
    read = {p.source for p in projects}
    named = {project_slug(k.removeprefix("content/")) for k in sources.keys if k not in read}
    unread = named - {p.slug for p in projects}
    badge_by_file = {_nfc(file): b for b in badges for file in b.files}
    _clashes(diagnostics, "badges", [(b.slug, b.file, f"badges/{b.file}") for b in badges], root)
    badge_slugs = {b.slug for b in badges}

    def link_problems(record: Project | About) -> list[tuple[str, int | None]]:
        """Each link of ``record`` to nothing: (message, line)."""
        problems = []
        for target in record.links + record.images:
            problem = ""
            if target.kind == "project" and target.key not in slugs:
                if target.key in unread:
                    continue
                if target.key in draft_slugs:
                    problem = " points at a draft, which is not published"
                else:
                    hint = did_you_mean(target.key, slugs)
                    problem = f": no project '{target.key}' in content/projects/{hint}"
            elif target.kind == "file" and target.key not in sources.files:
                problem = f": no file content/{target.key}{did_you_mean(target.key, sources.files)}"
            elif target.kind == "page" and target.key == "about/" and about is None:
                problem = ": there is no content/about.md"
            elif target.kind == "badge" and target.key not in badge_slugs:
                problem = ": no such badge in badges/"
            if problem:
                problems.append((f"link {target.raw}{problem}", target.line))
        return problems

    # What each project's links and standard codes give depends on it and on this context only.
    context = (
        (frozenset(slugs), frozenset(draft_slugs), frozenset(unread), frozenset(sources.files),
         about is None, frozenset(badge_slugs), catalog, unknown_standard_is_error)
        if memo is not None
        else None
    )  # fmt: skip
    kept: dict[int, tuple[Project, _Linked]] = {}
    if memo is not None and memo.get("link", (None,))[0] == context:
        kept = memo["link"][1]
    parts: dict[int, tuple[Project, _Linked]] = {}
    resolved: dict[str, Standard | None] = {}  # (codes repeat across projects)
    for project in published:
        hit = kept.get(id(project))
        if hit is None or hit[0] is not project:
            hit = (project, _project_links(project, link_problems(project), catalog, resolved))
        parts[id(project)] = hit
        for message, line in hit[1][0]:
            diagnostics.error(root / project.source, message, line)
    if memo is not None:
        memo["link"] = (context, parts)
    if about is not None:
        for message, line in link_problems(about):
            diagnostics.error(root / about.source, message, line)

    # Projects name their badges; badges whose evidence is a project page link back.
    project_badges: dict[str, list[Badge]] = defaultdict(list)
    badge_projects: dict[str, list[Project]] = defaultdict(list)
    for project in published:
        for wanted in project.badges:
            badge = badge_by_file.get(_nfc(wanted.file))
            if badge is None:
                hint = did_you_mean(wanted.file, badge_by_file)
                diagnostics.error(
                    root / project.source,
                    f"badges: no file badges/{wanted.file}{hint}",
                    wanted.line,
                )
                continue
            _add_once(project_badges[project.slug], badge)
            _add_once(badge_projects[badge.slug], project)
    by_url = (  # (made only when a badge names evidence: ~0.7 ms at 1,000 projects)
        {_url_key(config.base_url, p.url): p for p in published}
        if config.base_url and any(b.evidence for b in badges)
        else {}
    )
    badge_evidence: dict[str, list[tuple[BadgeEvidence, Project | None]]] = {}
    for badge in badges:
        shown: list[tuple[BadgeEvidence, Project | None]] = []
        for evidence in badge.evidence:
            found = _evidence_project(evidence.url, by_url, slugs, published)
            shown.append((evidence, found))
            if found is not None:
                _add_once(badge_projects[badge.slug], found)
                _add_once(project_badges[found.slug], badge)
        badge_evidence[badge.slug] = shown

    # Standards: project front matter, badge alignments, goals.
    nodes: dict[str, StandardNode] = {}
    ranks: dict[str, list[tuple[Any, ...]]] = {}  # each node's evidence's ranks (_rank), in order

    def node_for(standard: Standard) -> StandardNode:
        key = standard.key
        if key not in nodes:
            nodes[key], ranks[key] = StandardNode(standard), []
        return nodes[key]

    def add(node: StandardNode, item: EvidenceItem, rank: tuple[Any, ...]) -> None:
        node.evidence.append(item)  # (and its rank, for the order below)
        ranks[node.code].append(rank)

    report = diagnostics.error if unknown_standard_is_error else diagnostics.warning

    def unknown(where: Any, code: str, line: int | None, what: str) -> None:
        report(where, f"{what}{catalog.unknown_message(code)}", line)

    project_standards: dict[str, list[tuple[StandardRef, StandardNode | None]]] = {}
    for project in published:
        pairs: list[tuple[StandardRef, StandardNode | None]] = []
        _, refs, own_rank = parts[id(project)][1]
        for ref, standard, item in refs:
            if standard is None or item is None:
                unknown(root / project.source, ref.code, ref.line, "standards: ")
                pairs.append((ref, None))
                continue
            node = node_for(standard)
            add(node, item, own_rank)
            pairs.append((ref, node))
        project_standards[project.slug] = pairs
    badge_standards: dict[str, list[tuple[Alignment, StandardNode | None]]] = {}
    for badge in badges:
        aligned: list[tuple[Alignment, StandardNode | None]] = []
        if badge.verification.status in ("failed", "unreadable", "revoked"):
            badge_standards[badge.slug] = [(a, None) for a in badge.alignments]
            continue
        for alignment in badge.alignments:
            standard = catalog.resolve_alignment(
                alignment.name, alignment.url, alignment.code, alignment.framework
            )
            if standard is None:
                aligned.append((alignment, None))
                continue
            node = node_for(standard)
            linked = badge_projects.get(badge.slug, [])
            add(
                node,
                EvidenceItem(
                    "badge",
                    badge.slug,
                    badge.name,
                    f"badges/{badge.slug}/",
                    badge.issued_on,
                    linked[0].setting if linked else None,
                    badge.issuer.name,
                    None,
                    None,
                    badge.issuer.name,
                    badge.verification.status,
                ),  # fmt: skip
                _rank(badge.issued_on, "badge", badge.slug),
            )
            aligned.append((alignment, node))
        badge_standards[badge.slug] = aligned

    open_goals = []
    for i, goal in enumerate(config.goals):
        standard = catalog.resolve(goal)
        if standard is None:
            if _nfc(goal) in badge_by_file or slugify(goal) in badge_slugs:
                continue  # a badge the learner aims for
            unknown(config.path, goal, config.line("goals", i), f"goals[{i}]: ")
            continue
        for member in catalog.members(standard) or [standard]:  # a group: every standard in it
            node = node_for(member)
            node.goal = True
            if not node.evidence and node.code not in open_goals:
                open_goals.append(node.code)

    for key, node in nodes.items():  # newest first (each item's rank made once: ~1 ms)
        items, rank_of = node.evidence, ranks[key]
        if len(items) > 1:
            order = sorted(range(len(items)), key=rank_of.__getitem__, reverse=True)
            items[:] = [items[i] for i in order]
    standards = sorted(nodes.values(), key=lambda n: (n.code.lower(), n.code))
    used: set[str] = set()
    for node in standards:  # codes that differ only in punctuation ('A.1', 'A-1'): -2
        node.slug = unique_name(slugify(node.code), used)

    interests = _interests(config, published, diagnostics)
    featured = _featured(config, published, diagnostics)
    return Portfolio(
        config=config,
        projects=published,
        about=about,
        badges=badges,
        standards=standards,
        interests=interests,
        featured=featured,
        open_goals=open_goals,
        project_badges=dict(project_badges),
        badge_projects=dict(badge_projects),
        project_standards=project_standards,
        badge_standards=badge_standards,
        badge_evidence=badge_evidence,
        catalog=catalog,
        network=match(config, published, list(peers)),  # projects made with peers
    )


# What linking one project gives, given the context ``link`` checks it in: its
# links to nothing, and its standard codes resolved, each with the project offered
# as evidence and that evidence's rank among a standard's (the nodes are made
# anew: other projects add to them).
_Linked = tuple[
    list[tuple[str, int | None]],
    list[tuple["StandardRef", "Standard | None", "EvidenceItem | None"]],
    tuple[Any, ...],
]


def _project_links(
    project: Project,
    problems: list[tuple[str, int | None]],
    catalog: Catalog,
    resolved: dict[str, Standard | None],
) -> _Linked:
    standards: list[tuple[StandardRef, Standard | None, EvidenceItem | None]] = []
    shared: dict[str, Any] = {}  # the fields of its items that are the project's
    for ref in project.standards:
        code = ref.code
        if code in resolved:
            standard = resolved[code]
        else:
            standard = resolved[code] = catalog.resolve(code)
        item = None
        if standard is not None:
            shared = shared or {
                "kind": "project", "slug": project.slug, "title": project.title,
                "url": project.url, "date": project.date, "setting": project.setting,
                "program": project.program, "issuer": None, "status": None,
            }  # fmt: skip
            item = _evidence(shared, ref.rationale, ref.level)
        standards.append((ref, standard, item))
    return problems, standards, _rank(project.date, "project", project.slug)


def _evidence(shared: dict[str, Any], rationale: str | None, level: str | None) -> EvidenceItem:
    """``EvidenceItem(**shared, rationale=..., level=...)``, its fields set at once
    instead of by the frozen class's __init__, one object.__setattr__ each (a
    project's standards: ~2,000 items per build at 1,000 projects, 3.9 -> 2.4 ms)."""
    item = object.__new__(EvidenceItem)
    vars(item).update(shared, rationale=rationale, level=level)
    return item


def _rank(date: _dt.date | None, kind: str, slug: str) -> tuple[_dt.date, str, str]:
    """Where an evidence item goes in its standard's list (sorted by this, reversed)."""
    return (date or _dt.date.min, kind, slug)


def _clashes(
    diagnostics: Diagnostics, folder: str, items: list[tuple[str, str, str]], root: Path
) -> None:
    """An error on each item (slug, name, path under root) whose slug another item has too."""
    if len({slug for slug, _, _ in items}) == len(items):
        return  # (no two alike: the common case, told without a list per slug)
    by_slug: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for slug, name, path in items:
        by_slug[slug].append((name, path))
    for slug, claimants in by_slug.items():
        if len(claimants) > 1:
            names = ", ".join(name for name, _ in claimants)
            for _, path in claimants:
                diagnostics.error(
                    root / path,
                    f"two {folder} would be published at {folder}/{slug}/ ({names}); rename one",
                )


def sort_projects(projects: list[Project]) -> list[Project]:
    """Newest first; ties by slug so the order never depends on the file system."""
    return sorted(projects, key=lambda p: (-p.date.toordinal(), p.slug))


def _interests(config: Config, projects: list[Project], diagnostics: Diagnostics) -> list[Interest]:
    """Interests by slug. Spellings of one name ('3D printing', '3d-printing') share
    a page; two different names with one slug ('C++', 'C++!') are an error at the
    places of the second, naming the first."""
    names: dict[str, str] = {}
    members: dict[str, list[Project]] = defaultdict(list)
    firsts: dict[str, tuple[str, str]] = {}  # slug -> (first name, where it was written)

    def claim(name: str, source: str | None, line: int | None) -> str:
        # (the source's path is made only when needed: this runs for every project)
        slug = _slugified(name)
        if slug not in firsts:
            path = config.path if source is None else config.root / source
            firsts[slug] = (name, _shown(config.root, path))
        first, where = firsts[slug]
        if first != name and _same_name(first) != _same_name(name):
            diagnostics.error(
                config.path if source is None else config.root / source,
                f"interests: {name!r} and {first!r} ({where}) would share the page "
                f"interests/{slug}/; write it as {first!r}, or choose a name whose letters differ",
                line,
            )
        return slug

    for i, name in enumerate(config.interests):
        names.setdefault(claim(name, None, config.line("interests", i)), name)
    # A name claimed once without a clash claims its slug again without one: its
    # slug is remembered (the same few names on every project: ~1 ms at 1,000)
    claimed: dict[str, str] = {}
    for project in projects:
        slugs: dict[str, str] = {}
        for name in project.interests:
            slug = claimed.get(name)
            if slug is None:
                slug = claim(name, project.source, None)
                if firsts[slug][0] == name:
                    claimed[name] = slug
            slugs.setdefault(slug, name)
        for slug, name in slugs.items():
            names.setdefault(slug, name)
            members[slug].append(project)
    result = [Interest(name, slug, tuple(members[slug])) for slug, name in names.items()]
    return sorted(result, key=lambda i: i.slug)


# slugify, remembered: a live preview slugs the same interests on every save
_slugified = functools.lru_cache(maxsize=4096)(slugify)


def _same_name(name: str) -> str:
    """What spellings of one interest share: case, accents, spaces, '-' and '_' aside."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )
    return " ".join(re.split(r"[\s_-]+", plain)).strip()


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def unique_name(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... the first not in ``used`` (then added to it)."""
    name, number = stem, 2
    while name in used:
        name, number = f"{stem}-{number}", number + 1
    used.add(name)
    return name


def _nfc(name: str) -> str:
    """File names compared as text: 'é' typed on Linux and stored decomposed by macOS meet."""
    return unicodedata.normalize("NFC", name)


def _featured(config: Config, projects: list[Project], diagnostics: Diagnostics) -> list[Project]:
    by_slug = {p.slug: p for p in projects}
    chosen = []
    for name in config.featured:
        slug = slugify(name)  # 'Robot Arm' or 'robot-arm'
        if slug in by_slug:
            chosen.append(by_slug[slug])
        else:
            hint = did_you_mean(slug, by_slug)
            diagnostics.error(config.path, f"featured: no project '{name}'{hint}")
    chosen += [p for p in projects if p.featured and p not in chosen]
    return chosen or projects[:4]


def _add_once(items: list[Any], item: Any) -> None:
    if item not in items:
        items.append(item)


def _url_key(base_url: str | None, url: str) -> str:
    return ((base_url or "") + url).rstrip("/").lower()


def _evidence_project(
    url: str | None, by_url: dict[str, Project], slugs: set[str], projects: list[Project]
) -> Project | None:
    """The learner's project an evidence URL points at (absolute with base_url, or relative)."""
    if not url:
        return None
    key = unquote(url.split("#")[0].split("?")[0]).rstrip("/").lower()  # projects/%D1%80...
    if key.endswith("/index.html"):
        key = key[: -len("/index.html")]
    if key in by_url:
        return by_url[key]
    parts = key.split("/")
    if len(parts) >= 2 and parts[-2] == "projects" and parts[-1] in slugs and "://" not in key:
        return next(p for p in projects if p.slug == parts[-1])
    return None
