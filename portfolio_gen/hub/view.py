"""The hub's view of its members (standards x learners, badges, interests), hub.json and its pages."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict
from typing import Any

import jinja2

from .. import __version__
from .. import validate as v
from ..contract import (
    SummaryBadge,
)
from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from ..site.hubpages import PAGES
from ..standards.bundled import CCSS_ATTRIBUTION
from ..standards.reviews import Verdict
from ..urls import output_path, relative_url
from .members import Member
from .settings import HUB_SCHEMA, HubConfig

# ------------------------------------------------------------ the hub's view


@dataclass
class Cell:
    member: Member
    count: int
    url: str | None
    gap: bool  # a goal this member has no evidence for
    reviews: tuple[Verdict, ...] = ()  # teacher reviews from the member's portfolio.json

    @property
    def review(self) -> Verdict | None:
        """The most advanced teacher review of the standard, if any (standards/reviews.py)."""
        return max(self.reviews, key=lambda r: (r.rank, r.date or ""), default=None)


@dataclass
class Row:
    code: str
    framework: str | None
    statement: str | None
    url: str | None
    goal: bool
    cells: list[Cell]

    @property
    def learners(self) -> int:
        return sum(1 for c in self.cells if c.count)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def gap(self) -> bool:
        return self.goal and not self.learners


@dataclass
class HubView:
    config: HubConfig
    members: list[Member]
    rows: list[Row]
    interests: list[tuple[str, list[Member]]]
    issuers: list[tuple[str, str | None, list[tuple[Member, SummaryBadge]]]]
    goals: list[str]  # canonical codes

    @property
    def published(self) -> list[Member]:
        return [m for m in self.members if m.summary is not None]

    @property
    def projects(self) -> int:
        return sum(len(m.summary.projects) for m in self.published if m.summary)

    @property
    def badges(self) -> int:
        return sum(len(m.summary.badges) for m in self.published if m.summary)

    @property
    def evidence(self) -> dict[str, int]:
        """Pieces of evidence per learner (slug), over every row."""
        totals = {m.slug: 0 for m in self.published}
        for row in self.rows:
            for cell in row.cells:
                totals[cell.member.slug] += cell.count
        return totals

    @property
    def goals_met(self) -> dict[str, int]:
        """Goals each learner (slug) has evidence for."""
        met = {m.slug: 0 for m in self.published}
        for row in self.rows:
            if row.goal:
                for cell in row.cells:
                    met[cell.member.slug] += bool(cell.count)
        return met


def make_view(config: HubConfig, members: list[Member], diagnostics: Diagnostics) -> HubView:
    from ..standards import load_frameworks

    catalog, found = load_frameworks(config.folder, schemes=config.standards or None)
    diagnostics.extend(found)
    goals: list[str] = []
    info: dict[str, dict[str, Any]] = {}
    for i, goal in enumerate(config.goals):
        standard = catalog.resolve(goal)
        if standard is None:
            diagnostics.warning(
                config.path, f"goals[{i}]: {catalog.unknown_message(goal)}", config.line("goals", i)
            )
            continue
        for item in catalog.members(standard) or [standard]:  # a group: every standard in it
            if item.key not in goals:
                goals.append(item.key)
                info[item.key] = {
                    "framework": item.framework,
                    "statement": item.statement,
                    "url": item.url,
                }
    published = [m for m in members if m.summary is not None]
    counts: dict[str, dict[str, tuple[int, str]]] = {}
    reviews: dict[str, dict[str, tuple[Verdict, ...]]] = {}  # code -> member -> teacher reviews
    for member in published:
        assert member.summary is not None
        for s in member.summary.standards:
            reviews.setdefault(s.code, {})[member.slug] = s.reviews
            if not s.evidence:
                continue  # a goal of the member's own, with no evidence yet
            counts.setdefault(s.code, {})[member.slug] = (len(s.evidence), member.link(s.page))
            known = info.setdefault(s.code, {"framework": None, "statement": None, "url": None})
            for key in ("framework", "statement", "url"):
                known[key] = known[key] or getattr(s, key)
    codes = goals + sorted((c for c in counts if c not in goals), key=str.lower)
    rows = []
    for code in codes:
        cells = []
        for member in published:
            count, url = counts.get(code, {}).get(member.slug, (0, None))
            shown = reviews.get(code, {}).get(member.slug, ())
            gap = code in goals and not count
            cells.append(Cell(member, count, url if count else None, gap, shown))
        rows.append(
            Row(
                code,
                info[code]["framework"],
                info[code]["statement"],
                info[code]["url"],
                code in goals,
                cells,
            )
        )

    by_interest: dict[str, tuple[str, list[Member]]] = {}
    for member in published:
        assert member.summary is not None
        for name in member.summary.interests:
            key = v.slugify(name)
            entry = by_interest.setdefault(key, (name, []))
            if member not in entry[1]:
                entry[1].append(member)
    interests = sorted(by_interest.values(), key=lambda x: (-len(x[1]), x[0].lower()))

    by_issuer: dict[str, tuple[str, str | None, list[tuple[Member, SummaryBadge]]]] = {}
    for member in published:
        assert member.summary is not None
        for badge in member.summary.badges:
            issuer = by_issuer.setdefault(
                badge.issuer.lower(), (badge.issuer, badge.issuer_url, [])
            )
            issuer[2].append((member, badge))
    issuers = sorted(by_issuer.values(), key=lambda x: x[0].lower())
    for _, _, items in issuers:
        items.sort(key=lambda x: (x[1].name.lower(), x[0].name.lower()))
    return HubView(config, members, rows, interests, issuers, goals)


def hub_json(view: HubView) -> dict[str, Any]:
    """hub.json: the members with their portfolio.json summaries, and per standard who has evidence."""
    members = []
    for m in view.members:
        s = m.summary
        members.append(
            {
                "slug": m.slug,
                "site": m.site or None,
                "portfolio": m.json_url,
                "available": s is not None,
                "summary": None
                if s is None
                else {
                    "title": s.title,
                    "learner": {"name": s.name, "bio": s.bio},
                    "interests": list(s.interests),
                    "projects": len(s.projects),
                    "badges": len(s.badges),
                    "standards": sorted(x.code for x in s.standards),
                    "feedback": s.feedback,
                },
            }
        )
    return {
        "schema": HUB_SCHEMA,
        "generator": f"portfolio-gen {__version__}",
        "title": view.config.title,
        "description": view.config.description,
        "goals": view.goals,
        "members": members,
        "standards": [
            {
                "code": row.code,
                "framework": row.framework,
                "statement": row.statement,
                "goal": row.goal,
                "members": [
                    {
                        "slug": c.member.slug,
                        "evidence": c.count,
                        "url": c.url,
                        "reviews": [asdict(r) for r in c.reviews],
                    }  # teacher reviews: additive
                    for c in row.cells
                    if c.count
                ],
            }
            for row in view.rows
        ],
    }


# ----------------------------------------------------------------- render


def render_hub(view: HubView, writer: Any, diagnostics: Diagnostics | None = None) -> bool:
    """Write the hub's pages; False (and an error at the template's line) when a
    template fails."""
    from ..site.i18n import Translations
    from ..site.parallel import template_location
    from ..site.render import sandbox
    from ..site.themes import builtin_themes

    theme = builtin_themes() / "default"
    folders = [view.config.folder / "templates", theme / "templates"]
    # The hub's templates (and HUB.yml's folder) may not be the builder's: sandboxed.
    env = sandbox(
        [str(f) for f in folders if f.is_dir()],
        auto_reload=False,  # one build: the templates do not change while it runs
    )
    t = Translations(theme, view.config.language)

    @jinja2.pass_context
    def url(context: Any, target: str) -> str:
        if "://" in target:
            return target
        return relative_url(context["page"].url, target)

    @jinja2.pass_context
    def asset(context: Any, name: str) -> str:
        return relative_url(context["page"].url, "static/" + name)

    env.globals.update(
        hub=view,
        config=view.config,
        t=t,
        url=url,
        asset=asset,
        pages=PAGES,
        slugify=v.slugify,
        ccss_notice=CCSS_ATTRIBUTION,  # the CCSS licence: beside any CCSS statement shown
    )
    env.filters["date"] = lambda d: t.date(_dt.date.fromisoformat(d)) if d else ""
    for page in PAGES:
        try:
            html = env.get_template(page.template).render(page=page)
        except jinja2.TemplateError as exc:
            if diagnostics is None:
                raise
            where, line = template_location(exc, view.config.folder)
            diagnostics.error(where, f"template error: {exc.message or exc}", line)
            return False
        writer.write(output_path(page.url), html)
    for name in ("style.css", "connected.css"):
        writer.copy(theme / "static" / name, f"static/{name}")
    writer.write("hub.json", json.dumps(hub_json(view), indent=2, ensure_ascii=False) + "\n")
    return True
