"""What a page is (``Page``) and what a page kind is made from (``PageInputs``).

Apart from ``pages.py`` (the registry of page kinds) so that a page kind in a
module of its own imports this, and ``pages.py`` imports it: no circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Any

from ..lazy_dataclass import dataclass
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


@dataclass(frozen=True)
class PageInputs:
    """What each page kind's function gets: the graph, and what pages share."""

    portfolio: Portfolio
    matrix: Callable[[], Any]  # the standards matrix: made once, only if a page shows it
    # A live preview's last pages by URL, each with the objects it was made of:
    # a kind may take a page again that would be made of the very same objects.
    kept: dict[str, tuple[tuple[Any, ...], Page]] = field(default_factory=dict)
