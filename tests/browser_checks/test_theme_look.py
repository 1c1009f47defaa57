"""The default theme's layout as a visitor sees it (headless Chromium): even card rows,
media beside the text on wide screens, the typeface used, large badges."""

from __future__ import annotations

import pytest
from support.browser import serve_folder


@pytest.fixture
def open_demo(browser, demo_sites):
    contexts = []

    def open_page(name: str, width: int = 1280, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.goto(base + name)
        page.evaluate("document.fonts.ready")
        return page

    with serve_folder(demo_sites["en"]) as base:
        yield open_page
        for context in contexts:
            context.close()


BOXES = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const r = e.getBoundingClientRect();
    return {top: Math.round(r.top), height: Math.round(r.height), width: Math.round(r.width),
            left: Math.round(r.left)};
})"""


@pytest.mark.parametrize("name", ["index.html", "projects/index.html"])
def test_cards_in_a_row_are_the_same_height_and_each_has_a_16_9_picture(open_demo, name):
    page = open_demo(name)
    cards = page.evaluate(BOXES, ".cards:not(.badge-cards) .card")
    assert len(cards) >= 3
    rows: dict[int, list[int]] = {}
    for card in cards:
        rows.setdefault(card["top"], []).append(card["height"])
    assert any(len(heights) > 1 for heights in rows.values())  # side by side at 1280 px
    for heights in rows.values():
        assert max(heights) - min(heights) <= 1, rows
    pictures = page.evaluate(BOXES, ".cards:not(.badge-cards) .card .card-cover")
    assert len(pictures) == len(cards)  # a picture (or the blank) on every card
    for box in pictures:
        assert abs(box["width"] / box["height"] - 16 / 9) < 0.05, box


def test_a_project_page_puts_its_standards_and_badges_beside_the_text_on_wide_screens(
    open_demo,
):
    wide = open_demo("projects/robot-arm/index.html")
    (main,) = wide.evaluate(BOXES, ".project-main")
    (aside,) = wide.evaluate(BOXES, ".project-aside")
    assert aside["left"] >= main["left"] + main["width"] and aside["top"] < main["top"] + 200
    per_line = wide.evaluate(
        """() => {  // characters per full line of the longest paragraph of the text
            const p = [...document.querySelectorAll('.project-main .prose p')]
                .sort((a, b) => b.textContent.length - a.textContent.length)[0];
            const range = document.createRange();
            range.selectNodeContents(p);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return p.textContent.length / tops.size;
        }"""
    )
    assert 45 <= per_line <= 80, per_line  # a readable line: about 45 to 75 characters
    phone = open_demo("projects/robot-arm/index.html", width=390)
    (main,) = phone.evaluate(BOXES, ".project-main")
    (aside,) = phone.evaluate(BOXES, ".project-aside")
    assert aside["top"] >= main["top"] + main["height"]  # one column on a phone


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_typeface_is_used_and_badges_are_large(open_demo, scheme):
    page = open_demo("badges/index.html", scheme=scheme)
    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Atkinson Hyperlegible"')
    images = page.evaluate(BOXES, ".badge-card .badge-art img")
    assert images and all(box["width"] >= 128 for box in images)
    marks = page.evaluate(
        """() => [...document.querySelectorAll('.badge-art')].map(
            e => [e.dataset.status, getComputedStyle(e, '::after').content])"""
    )
    assert ("verified", '"✔"') in [tuple(m) for m in marks]
    assert all(content == "none" for status, content in marks if status != "verified")
