"""The pages stage: a pure function from the Portfolio graph to a list of pages.

Each page knows its URL, its template, its context and the sources it
depends on, so ``serve`` can re-render only what an edit touches.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..standards.levels import Levels
from .graph import Portfolio


@dataclass(frozen=True)
class Page:
    """One page of the site: its URL, template, context and what it depends on."""

    url: str  # relative to the site root; '' is home, pages end with '/'
    template: str
    title: str
    # what its template gets, or a function that makes it (when only a render needs it)
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(
        default_factory=dict, compare=False
    )
    deps: frozenset[str] = frozenset()  # tokens naming its inputs; see below
    description: str = ""
    image: str | None = None  # site URL of a social-card image
    kind: str = "page"


# What a page is made from, beyond the config, the theme and the frameworks
# (which every page depends on). Each token names a hash the build computes:
#   body:<slug>   a project's source file and its bundle's file list
#   card:<slug>   what lists show of a project (title, date, summary, ...)
#   cards         every project's card, and which projects exist
#   badge:<slug>  one badge file and its verification
#   badges        every badge
#   about         content/about.md
#   network       the peers in portfolio.yml's network:, as read (site/network.py)
# so an edit to a project's text re-renders that project's page only, and an
# edit to its title re-renders the lists too.
LISTS = frozenset({"cards", "badges"})


def build_pages(portfolio: Portfolio) -> list[Page]:
    config = portfolio.config
    learner = config.learner
    matrix = functools.cache(lambda: _matrix(portfolio))  # made only if a page shows it
    pages = [
        Page("", "home.html", config.title, deps=LISTS, description=learner.bio, kind="home"),
        Page("projects/", "projects.html", "Projects", deps=LISTS, kind="projects"),
        Page("badges/", "badges.html", "Badges", deps=LISTS, kind="badges"),
        Page("standards/", "standards.html", "Standards", deps=LISTS, kind="standards",
             context=lambda: {"matrix": matrix(), "chart": _chart(matrix())}),
        Page("report/", "report.html", "Evidence report", deps=LISTS, kind="report",
             context=lambda: {"matrix": matrix()}),
        Page("about/", "about.html", portfolio.about.title if portfolio.about else "About me",
             deps=frozenset({"about"}),
             description=portfolio.about.summary if portfolio.about else learner.bio, kind="about"),
        Page("404.html", "404.html", "Page not found", kind="404"),
    ]  # fmt: skip
    projects = portfolio.projects
    for index, project in enumerate(projects):
        badges = portfolio.project_badges.get(project.slug, [])
        neighbours = projects[max(index - 1, 0) : index] + projects[index + 1 : index + 2]
        pages.append(
            Page(
                project.url,
                "project.html",
                project.title,
                context=functools.partial(_project_context, projects, index, badges),
                deps=frozenset(
                    {f"body:{project.slug}"}
                    | {f"card:{p.slug}" for p in neighbours}  # the newer and older links
                    | {f"badge:{b.slug}" for b in badges}
                    | ({"network"} if project.collaborators else set())  # made with peers
                ),
                description=project.summary,
                image=project.social_card,
                kind="project",
            )
        )
    for interest in portfolio.interests:
        if interest.projects:
            pages.append(
                Page(
                    interest.url,
                    "interest.html",
                    interest.name,
                    context={"interest": interest},
                    deps=frozenset({"cards"}),
                    kind="interest",
                )
            )
    for badge in portfolio.badges:
        projects = portfolio.badge_projects.get(badge.slug, [])
        pages.append(
            Page(
                f"badges/{badge.slug}/",
                "badge.html",
                badge.name or badge.file,
                context={"badge": badge, "projects": projects},
                deps=frozenset({f"badge:{badge.slug}", "cards"}),
                description=badge.description or "",
                kind="badge",
            )
        )
    for node in portfolio.standards:
        pages.append(
            Page(
                node.url,
                "standard.html",
                node.code,
                context=functools.partial(_standard_context, node, matrix, config.levels),
                deps=LISTS,
                description=node.standard.statement or "",
                kind="standard",
            )
        )
    if portfolio.network:  # network/: the learner's peers (site/network.py), if any
        pages.append(_network_page(portfolio))
    return pages


def _network_page(portfolio: Portfolio) -> Page:
    """The "my learning network" page."""
    network = portfolio.network
    peers = [(peer, network.shared(peer, portfolio.projects)) for peer in network.peers]
    return Page(
        "network/",
        "network.html",
        "My learning network",
        context={"peers": peers},
        deps=frozenset({"network", "cards"}),
        description=f"The learners {portfolio.config.learner.name} learns with.",
        kind="network",
    )


def _project_context(projects: list[Any], index: int, badges: list[Any]) -> dict[str, Any]:
    project = projects[index]
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
        "newer": projects[index - 1] if index > 0 else None,
        "older": projects[index + 1] if index + 1 < len(projects) else None,
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
