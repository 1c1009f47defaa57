"""The pages of a hub's site (``portfolio-gen hub``, rendered by hub.py).

Here, below hub.py, so that the site's translation checks
(site/messages.py) can read their titles without importing the hub.
"""

from __future__ import annotations

from ..lazy_dataclass import dataclass


@dataclass(frozen=True)
class HubPage:
    url: str
    template: str
    title: str
    kind: str
    description: str = ""


PAGES = (
    HubPage("", "hub/index.html", "Members", "hub-home"),
    HubPage("standards/", "hub/standards.html", "Standards", "hub-standards"),
    HubPage("badges/", "hub/badges.html", "Badges", "hub-badges"),
    HubPage("interests/", "hub/interests.html", "Interests", "hub-interests"),
)
