"""The registry of page kinds (site/pages.py, PAGE_KINDS): the site's pages are
exactly what its entries make, in order, and one more entry is one more page."""

from __future__ import annotations

from support.helpers import html, project

from portfolio_gen.build import Options, load
from portfolio_gen.site import pages
from portfolio_gen.site.page import Page, PageInputs
from portfolio_gen.site.pages import PAGE_KINDS, PageKind, build_pages

FILES = {
    "content/projects/rover.md": project("Rover", interests="[robotics]"),
    "content/projects/kite.md": project("Kite", date="2026-02-03"),
    "content/about.md": "---\ntitle: About Ana\n---\nHello.\n",
}


def _portfolio(root):
    result, data = load(root, Options(cache=False))
    assert data is not None and not result.diagnostics.errors, list(result.diagnostics)
    return data.portfolio


def test_each_kind_makes_pages_of_its_own_kind_in_registry_order(make_portfolio):
    portfolio = _portfolio(make_portfolio(FILES))
    made = build_pages(portfolio)
    names = [kind.name for kind in PAGE_KINDS]
    assert len(set(names)) == len(names)
    assert [p.kind for p in made] == sorted((p.kind for p in made), key=names.index)
    assert {p.kind for p in made} == set(names) - {"network", "standard", "badge"}  # none here
    assert [p.url for p in made if p.kind == "project"] == ["projects/kite/", "projects/rover/"]
    assert [p.url for p in made if p.kind == "interest"] == ["interests/robotics/"]


def test_one_more_entry_is_one_more_page_on_the_site(make_portfolio, cli, monkeypatch):
    def timeline(inputs: PageInputs) -> list[Page]:
        count = len(inputs.portfolio.projects)
        about = f"Timeline of {count} projects"
        return [Page("timeline/", "projects.html", "Timeline", description=about, kind="timeline")]

    monkeypatch.setattr(pages, "PAGE_KINDS", (*PAGE_KINDS, PageKind("timeline", timeline)))
    root = make_portfolio(FILES)
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    page = html(root / "site" / "timeline" / "index.html")
    assert page.find("meta", attrs={"name": "description"})["content"] == "Timeline of 2 projects"
    assert "kind-timeline" in page.body["class"]


def test_project_pages_made_at_once_are_the_pages_their_class_makes(make_portfolio):
    """pages._page sets a Page's fields at once; each project page is the Page the
    long way makes, with the dependencies and picture it names (the demo portfolio:
    pictures, badges, neighbours)."""
    import dataclasses
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2]
    portfolio = _portfolio(demo)
    made = [p for p in build_pages(portfolio) if p.kind == "project"]
    projects = portfolio.projects
    assert any(p.social_card for p in projects) and portfolio.project_badges
    for i, (page, made_of) in enumerate(zip(made, projects, strict=True)):
        neighbours = projects[max(i - 1, 0) : i] + projects[i + 1 : i + 2]
        badges = portfolio.project_badges.get(made_of.slug, [])
        deps = {f"body:{made_of.slug}", *(f"card:{p.slug}" for p in neighbours)}
        deps |= {f"badge:{b.slug}" for b in badges} | (
            {"network"} if made_of.collaborators else set()
        )
        long_way = Page(
            made_of.url, "project.html", made_of.title, context=page.context,
            deps=frozenset(deps), description=made_of.summary, image=made_of.social_card,
            kind="project",
        )  # fmt: skip
        assert page == long_way and hash(page) == hash(long_way)  # (a set's repr: any order)
        assert vars(page).keys() == {f.name for f in dataclasses.fields(Page)}
