"""The pages stage: a pure function from the Portfolio graph to a list of pages.

Each page knows its URL, its template, its context and the sources it
depends on, so ``serve`` can re-render only what an edit touches. Each kind
of page is one entry of ``PAGE_KINDS`` (at the end): a name and a function
from the graph to that kind's pages; ``build_pages`` calls them in order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..lazy_dataclass import dataclass
from ..standards.levels import Levels
from .graph import Portfolio
from .page import LISTS, Page, PageInputs

__all__ = ["LISTS", "PAGE_KINDS", "Page", "PageInputs", "PageKind", "build_pages"]


@dataclass(frozen=True)
class PageKind:
    """One kind of page: its name (``Page.kind``) and the function that makes its pages."""

    name: str
    pages: Callable[[PageInputs], list[Page]]


def build_pages(portfolio: Portfolio, memo: dict[str, Any] | None = None) -> list[Page]:
    """Every page. ``memo`` (a live preview's, kept between rebuilds) keeps the
    pages made: a project's page is made again only if the project, its
    neighbours or its badges are other objects than last time (read again)."""
    matrix = functools.cache(lambda: _matrix(portfolio))  # made only if a page shows it
    kept = memo.setdefault("pages", {}) if memo is not None else {}
    made = [page for kind in PAGE_KINDS for page in kind.pages(PageInputs(portfolio, matrix, kept))]
    if memo is not None:  # (only this build's pages)
        memo["pages"] = {page.url: kept[page.url] for page in made if page.url in kept}
    return made


def _home(inputs: PageInputs) -> list[Page]:
    config = inputs.portfolio.config
    return [Page("", "home.html", config.title, deps=LISTS, description=config.learner.bio, kind="home")]  # fmt: skip


def _projects(inputs: PageInputs) -> list[Page]:
    return [Page("projects/", "projects.html", "Projects", deps=LISTS, kind="projects")]


def _badges(inputs: PageInputs) -> list[Page]:
    return [Page("badges/", "badges.html", "Badges", deps=LISTS, kind="badges")]


def _standards(inputs: PageInputs) -> list[Page]:
    matrix = inputs.matrix
    return [Page("standards/", "standards.html", "Standards", deps=LISTS, kind="standards",
                 context=lambda: {"matrix": matrix(), "chart": _chart(matrix())})]  # fmt: skip


def _report(inputs: PageInputs) -> list[Page]:
    matrix = inputs.matrix
    return [Page("report/", "report.html", "Evidence report", deps=LISTS, kind="report",
                 context=lambda: {"matrix": matrix()})]  # fmt: skip


def _about(inputs: PageInputs) -> list[Page]:
    portfolio = inputs.portfolio
    about, learner = portfolio.about, portfolio.config.learner
    return [Page("about/", "about.html", about.title if about else "About me",
                 deps=frozenset({"about"}),
                 description=about.summary if about else learner.bio, kind="about")]  # fmt: skip


def _not_found(inputs: PageInputs) -> list[Page]:
    return [Page("404.html", "404.html", "Page not found", kind="404")]


def _project_pages(inputs: PageInputs) -> list[Page]:
    portfolio = inputs.portfolio
    pages = []
    projects = portfolio.projects
    kept = inputs.kept
    by_project = portfolio.project_badges
    last = len(projects) - 1
    for index, project in enumerate(projects):
        slug = project.slug
        url = project.url  # (a property: asked once, this runs for every project)
        badges = by_project.get(slug, [])
        newer = projects[index - 1] if index > 0 else None
        older = projects[index + 1] if index < last else None
        made = (project, newer, older, badges)
        old = kept.get(url)
        if old is not None and _same(old[0], made):
            pages.append(old[1])
            continue
        deps = [f"body:{slug}"]
        deps += [f"card:{p.slug}" for p in (newer, older) if p is not None]  # their links
        deps += [f"badge:{b.slug}" for b in badges]
        if project.collaborators:  # made with peers
            deps.append("network")
        page = Page(
            url,
            "project.html",
            project.title,
            context=functools.partial(_project_context, *made),
            deps=frozenset(deps),
            description=project.summary,
            image=project.social_card,
            kind="project",
        )
        kept[url] = (made, page)
        pages.append(page)
    return pages


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Whether two (project, newer, older, badges) are the very same objects."""
    if len(old) != 4 or old[0] is not new[0] or old[1] is not new[1] or old[2] is not new[2]:
        return False
    before, now = old[3], new[3]
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))


def _interest_pages(inputs: PageInputs) -> list[Page]:
    return [
        Page(
            interest.url,
            "interest.html",
            interest.name,
            context={"interest": interest},
            deps=frozenset({"cards"}),
            kind="interest",
        )
        for interest in inputs.portfolio.interests
        if interest.projects
    ]


def _badge_pages(inputs: PageInputs) -> list[Page]:
    portfolio = inputs.portfolio
    return [
        Page(
            f"badges/{badge.slug}/",
            "badge.html",
            badge.name or badge.file,
            context={"badge": badge, "projects": portfolio.badge_projects.get(badge.slug, [])},
            deps=frozenset({f"badge:{badge.slug}", "cards"}),
            description=badge.description or "",
            kind="badge",
        )
        for badge in portfolio.badges
    ]


def _standard_pages(inputs: PageInputs) -> list[Page]:
    levels = inputs.portfolio.config.levels
    return [
        Page(
            node.url,
            "standard.html",
            node.code,
            context=functools.partial(_standard_context, node, inputs.matrix, levels),
            deps=LISTS,
            description=node.standard.statement or "",
            kind="standard",
        )
        for node in inputs.portfolio.standards
    ]


def _network_page(inputs: PageInputs) -> list[Page]:
    """The "my learning network" page: the learner's peers (site/network.py), if any."""
    portfolio = inputs.portfolio
    network = portfolio.network
    if not network:
        return []
    peers = [(peer, network.shared(peer, portfolio.projects)) for peer in network.peers]
    return [
        Page(
            "network/",
            "network.html",
            "My learning network",
            context={"peers": peers},
            deps=frozenset({"network", "cards"}),
            description=f"The learners {portfolio.config.learner.name} learns with.",
            kind="network",
        )
    ]


# Every kind of page, in the order of the site's page list (docs/architecture.md,
# "a new page kind": a module with a function like these, and one line here).
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", _home),
    PageKind("projects", _projects),
    PageKind("badges", _badges),
    PageKind("standards", _standards),
    PageKind("report", _report),
    PageKind("about", _about),
    PageKind("404", _not_found),
    PageKind("project", _project_pages),
    PageKind("interest", _interest_pages),
    PageKind("badge", _badge_pages),
    PageKind("standard", _standard_pages),
    PageKind("network", _network_page),
)


def _project_context(project: Any, newer: Any, older: Any, badges: list[Any]) -> dict[str, Any]:
    in_body = {
        t.key for t in project.images + project.links if t.kind == "file" and t is not project.cover
    }
    shown = in_body | ({project.cover.key} if project.cover else set())
    extra = [m for m in project.media if m.path not in shown and not m.name.endswith(".vtt")]
    return {
        "project": project,
        "badges": badges,
        "show_cover": project.cover is not None and project.cover.key not in in_body,
        "gallery": [m for m in extra if m.kind == "image"],
        "players": [m for m in extra if m.kind in ("video", "audio")],
        "downloads": [m for m in extra if m.kind == "file"],
        "newer": newer,
        "older": older,
    }


def _standard_context(node: Any, matrix: Callable[[], Any], levels: Any) -> dict[str, Any]:
    made = matrix()
    return {
        "node": node,
        "row": made.row(node.code),
        "group": made.group_of(node.code),
        "scale": Levels(tuple(levels)),
    }


def _matrix(portfolio: Portfolio) -> Any:
    from .matrix import build_matrix  # imported only when a page shows it

    return build_matrix(portfolio)


def _chart(matrix: Any) -> Any:
    from .chart import Chart

    return Chart.from_matrix(matrix)
