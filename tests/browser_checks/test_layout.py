"""What axe cannot see, checked in Chromium: the skip link, keyboard focus that is
visible and never hidden, reflow at 320 px and 200% zoom, reduced motion, and the
project filters used with the keyboard and announced to screen readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.browser import serve_folder
from support.checkers import html_pages, route_base
from test_axe import one_page_per_kind

# The focused element and whether a visitor can see it: an outline (or a box shadow)
# and its centre not covered by anything else (a sticky header, a sticky column...).
FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    const shown = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
        || style.boxShadow !== 'none';
    return {
        tag: el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''),
        text: (el.textContent || '').trim().slice(0, 40),
        shown, covered: !(top && (el === top || el.contains(top) || top.contains(el))),
        inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    };
}"""


def tab_through(page, limit: int = 400) -> list[dict]:
    """Press Tab until focus leaves the page or comes round again; the state at each stop."""
    states, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        key = page.evaluate(
            "() => { const e = document.activeElement; return e.outerHTML.slice(0, 200) + "
            "[...e.parentNode.children].indexOf(e) + (e.closest('[id]') || {}).id; }"
        )
        if key in seen:
            break
        seen.add(key)
        states.append(state)
    return states


@pytest.fixture
def site_page(browser):
    """(page, open) where open(site, name, **context options) serves the site and goes there."""
    servers, contexts = [], []

    def open_page(site: Path, name: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        route_base(context, site, name)
        server = serve_folder(site)
        base = server.__enter__()
        servers.append(server)
        page = context.new_page()
        page.goto(base + name)
        return page

    yield open_page
    for context in contexts:
        context.close()
    for server in servers:
        server.__exit__(None, None, None)


def test_the_skip_link_is_first_and_moves_focus_to_the_main_content(site_page, demo_sites):
    page = site_page(demo_sites["en"], "projects/index.html")
    page.keyboard.press("Tab")
    link = page.locator(".skip-link")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    box = link.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24 and box["width"] >= 24  # on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content, not the navigation
    assert page.evaluate("() => !!document.activeElement.closest('main')")


@pytest.mark.parametrize(
    "which, name, width",
    [
        ("portfolio", "index.html", 1280),
        ("portfolio", "projects/kitchen-sink/index.html", 1280),
        ("portfolio", "standards/index.html", 390),
        ("portfolio", "badges/maker-level-1/index.html", 390),
        ("hub", "standards/index.html", 1280),
        ("hub", "standards/index.html", 320),
    ],
)
def test_keyboard_focus_is_always_visible_and_never_hidden(
    site_page, feature_sites, which, name, width
):
    page = site_page(feature_sites[which], name, viewport={"width": width, "height": 700})
    states = tab_through(page)
    assert len(states) > 5
    bad = [s for s in states if not (s["shown"] and s["inView"] and not s["covered"])]
    assert not bad, f"focus not visible on {which}/{name} at {width}px: {bad[:5]}"


@pytest.mark.parametrize(
    "viewport, font",
    [({"width": 320, "height": 640}, "100%"), ({"width": 640, "height": 480}, "100%"),
     ({"width": 1280, "height": 800}, "200%")],
    ids=["320px", "200%-zoom", "200%-text"],
)  # fmt: skip
def test_every_kind_of_page_reflows_without_sideways_scrolling(
    browser, feature_sites, viewport, font
):
    """At 320 CSS px (400% zoom of 1280), at 200% zoom, and with text at 200%, a page
    never scrolls sideways; only data tables may, inside their own labelled region."""
    problems = []
    for which in ("portfolio", "hub"):
        site = feature_sites[which]
        names = [n for n in one_page_per_kind(site) if not n.startswith("members/")]
        context = browser.new_context(viewport=viewport)
        for name in names:
            route_base(context, site, name)
        page = context.new_page()
        with serve_folder(site) as base:
            for name in names:
                page.goto(base + name)
                page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{font}'; }}")
                wide = page.evaluate(
                    """() => {
                        const root = document.documentElement;
                        if (root.scrollWidth <= root.clientWidth + 1) return null;
                        const culprits = [...document.querySelectorAll('main *, header *, footer *')]
                            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                                && !e.closest('.table-wrap'))
                            .slice(0, 3).map(e => e.tagName + '.' + e.className);
                        return [root.scrollWidth, culprits];
                    }"""
                )
                if wide:
                    problems.append(f"{which}/{name}: {wide}")
        context.close()
    assert not problems, (
        f"pages that scroll sideways at {viewport} with text {font}:\n" + "\n".join(problems)
    )


def test_reduced_motion_stops_animation_and_smooth_scrolling(site_page, feature_sites):
    page = site_page(feature_sites["portfolio"], "index.html", reduced_motion="reduce")
    assert (
        page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    )
    assert page.evaluate("() => document.getAnimations().length") == 0
    durations = page.evaluate(
        "() => [...document.querySelectorAll('*')].map(e => getComputedStyle(e))"
        ".filter(s => parseFloat(s.transitionDuration) > 0 || parseFloat(s.animationDuration) > 0)"
        ".length"
    )
    assert durations == 0


def test_the_project_filters_work_from_the_keyboard_and_are_announced(site_page, feature_sites):
    page = site_page(feature_sites["portfolio"], "projects/index.html")
    status = page.locator(".filter-status")
    assert status.get_attribute("role") == "status"
    total = page.locator(".project-list .card").count()
    assert status.inner_text() == f"Showing {total} of {total} projects"
    page.keyboard.press("Tab")  # skip link
    while page.evaluate("() => document.activeElement.id") != "filter-interest":
        page.keyboard.press("Tab")
    label = page.evaluate("() => document.activeElement.labels[0].textContent")
    assert label == "Interest"
    page.keyboard.press("ArrowDown")  # the first interest, chosen with the keyboard alone
    chosen = page.evaluate("() => document.activeElement.value")
    assert chosen
    shown = page.locator(".project-list .card:visible").count()
    assert 0 < shown < total
    assert status.inner_text() == f"Showing {shown} of {total} projects"
    assert f"interest={chosen}" in page.url  # a link that keeps the filter
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "filter-setting"


def test_the_filters_work_without_javascript_too(browser, feature_sites):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    with serve_folder(feature_sites["portfolio"]) as base:
        page.goto(base + "projects/index.html")
        total = page.locator(".project-list .card").count()
        page.select_option("#filter-setting", "home")
        shown = page.locator(".project-list .card:visible").count()
        assert 0 < shown < total
    context.close()


def test_every_page_says_its_language_and_direction(demo_sites, feature_sites):
    from support.helpers import html

    for language, site in demo_sites.items():
        for name in html_pages(site):
            root = html(site / name).find("html")
            assert root.get("lang") == language, name
            assert root.get("dir") == ("rtl" if language == "ar" else "ltr"), name
    for site in feature_sites.values():
        for name in html_pages(site):
            root = html(site / name).find("html")
            assert root.get("lang") and root.get("dir"), name
