"""A one-edit build remakes what the edit changed, and its site is the fresh build's.

The site-wide files (build.write_site): an edit to a project's text remakes
feed.xml when the project is among the newest, never portfolio.json, the
sitemap or robots.txt; what portfolio.json shows beyond the cards (the
projects' collaborators) remakes it.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

from support.helpers import project, site_json, tree_bytes

from portfolio_gen.site import feeds, summary

SITE_FILES = ("feed.xml", "portfolio.json", "sitemap.xml", "robots.txt")


def _stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {name: (os.stat(site / name).st_ino, os.stat(site / name).st_mtime_ns) for name in SITE_FILES}  # fmt: skip


def _same_as_fresh(cli, root: Path) -> None:
    """The site equals one built without the cache or the last site."""
    fresh = root.parent / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.move(root / ".portfolio-cache", root.parent / "kept-cache")
    try:
        assert cli("build", str(root), "-o", str(fresh)).code == 0
    finally:
        shutil.rmtree(root / ".portfolio-cache", ignore_errors=True)
        shutil.move(root.parent / "kept-cache", root / ".portfolio-cache")
    site, made = tree_bytes(root / "site"), tree_bytes(fresh)
    site.pop(".portfolio-gen"), made.pop(".portfolio-gen")
    assert site == made


def test_an_edit_to_a_new_projects_text_remakes_the_feed_alone(cli, make_portfolio, monkeypatch):
    root = make_portfolio(
        {
            "content/projects/old.md": project("Old", "2025-01-01", body="Old text."),
            "content/projects/new.md": project("New", "2026-02-01", body="Intro.\n\nFirst words."),
        }
    )
    assert cli("build", str(root)).code == 0
    before = _stamps(root / "site")
    made: list[str] = []
    for module, name in ((feeds, "feed"), (feeds, "sitemap"), (summary, "portfolio_json")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _r=real, _n=name: made.append(_n) or _r(*a))
    (root / "content/projects/new.md").write_text(
        project("New", "2026-02-01", body="Intro.\n\nOther words."), encoding="utf-8"
    )
    assert cli("build", str(root)).code == 0
    assert made == ["feed"]
    assert gc.isenabled() and gc.get_freeze_count() == 0  # (cache.collector_paused, undone)
    after = _stamps(root / "site")
    assert after["feed.xml"] != before["feed.xml"]
    assert "Other words." in (root / "site/feed.xml").read_text(encoding="utf-8")
    assert {n: after[n] for n in SITE_FILES[1:]} == {n: before[n] for n in SITE_FILES[1:]}
    monkeypatch.undo()
    _same_as_fresh(cli, root)


def test_collaborators_reach_portfolio_json_also_from_an_old_project(
    cli, make_portfolio, monkeypatch
):
    monkeypatch.setattr(feeds, "FEED_SIZE", 1)  # "old" is not among the feed's projects
    root = make_portfolio(
        {
            "content/projects/old.md": project("Old", "2025-01-01"),
            "content/projects/new.md": project("New", "2026-02-01"),
        }
    )
    assert cli("build", str(root)).code == 0
    (root / "content/projects/old.md").write_text(
        project("Old", "2025-01-01", collaborators="[{name: Jay}]"), encoding="utf-8"
    )
    assert cli("build", str(root)).code == 0
    shown = {p["slug"]: p["collaborators"] for p in site_json(root / "site")["projects"]}
    assert shown == {"new": [], "old": [{"name": "Jay", "url": None}]}
    _same_as_fresh(cli, root)
