"""axe-core over every page of the demo and of the feature fixture, in headless Chromium,
in the light and the dark colour scheme, on screen and in print: no WCAG 2.2 A/AA violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.browser import serve_folder
from support.checkers import axe, axe_source, describe, html_pages, route_base

SCHEMES = ("light", "dark")


def check_site(browser, site: Path, pages: list[str], scheme: str, media: str = "screen") -> int:
    """Run axe on ``pages`` of ``site``; fail listing every violation. Returns the pages checked."""
    problems: list[str] = []
    context = browser.new_context(color_scheme=scheme)
    context.add_init_script(script=axe_source())  # ready on every page, parsed once per page
    try:
        for name in pages:
            route_base(context, site, name)
        page = context.new_page()
        page.emulate_media(media=media)
        with serve_folder(site) as base:
            for name in pages:
                page.goto(base + name)
                problems += describe(f"{site.name}/{name} [{scheme}, {media}]", axe(page))
    finally:
        context.close()
    assert not problems, "axe found WCAG violations:\n" + "\n".join(problems)
    return len(pages)


def one_page_per_kind(site: Path) -> list[str]:
    """A page of each template: the first page of each kind of URL (projects/x/, badges/y/...)."""
    chosen: dict[str, str] = {}
    for name in html_pages(site):
        parts = name.split("/")
        kind = parts[0] if len(parts) > 2 else name
        chosen.setdefault(kind, name)
    return sorted(chosen.values())


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_of_the_demo(browser, demo_sites, scheme):
    site = demo_sites["en"]
    assert check_site(browser, site, html_pages(site), scheme) >= 30


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_of_the_feature_fixture(browser, feature_sites, scheme):
    site = feature_sites["portfolio"]
    pages = html_pages(site)
    for expected in (
        "network/index.html",
        "report/index.html",
        "projects/kitchen-sink/index.html",
        "projects/secret-draft/index.html",
        "badges/broken-badge/index.html",
        "404.html",
    ):
        assert expected in pages
    check_site(browser, site, pages, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_hub_page(browser, feature_sites, scheme):
    site = feature_sites["hub"]
    pages = [p for p in html_pages(site) if not p.startswith("members/")]
    assert len(pages) == 4
    check_site(browser, site, pages, scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_kind_of_page_of_the_translated_demo(browser, demo_sites, language, scheme):
    """Longer words and right-to-left layout: a page of each kind (the English demo has them all)."""
    site = demo_sites[language]
    assert check_site(browser, site, one_page_per_kind(site), scheme) >= 10


@pytest.mark.parametrize("scheme", SCHEMES)
def test_print_contrast_of_every_kind_of_page(browser, feature_sites, scheme):
    """Printing from a browser in dark mode still gives dark ink on white paper."""
    site = feature_sites["portfolio"]
    check_site(browser, site, one_page_per_kind(site), scheme, media="print")
    hub = feature_sites["hub"]
    check_site(browser, hub, [p for p in html_pages(hub) if "members/" not in p], scheme, "print")
