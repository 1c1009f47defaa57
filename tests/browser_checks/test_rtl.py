"""The demo in English, Spanish and Arabic: Arabic lays out right to left (the
navigation starts on the right), and the screenshot command works in any language."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image
from support.browser import serve_folder
from support.checkers import REPO

DESKTOP = {"width": 1280, "height": 800}


def header_layout(browser, site, tmp_path, name: str) -> dict:
    """Where the site title and the first navigation link are, and a screenshot's header."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    with serve_folder(site) as base:
        page.goto(base + "index.html")
        title = page.locator(".site-title").bounding_box()
        first = page.locator(".site-nav ul a").first.bounding_box()
        shot = page.screenshot(path=str(tmp_path / f"{name}.png"))
        header = page.locator(".site-header").bounding_box()
    context.close()
    return {"title": title, "first": first, "shot": shot, "header": header}


def ink_centre(png: bytes, bottom: float) -> float:
    """The mean x of the dark pixels in the top ``bottom`` px of a screenshot (the header's text)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width = image.width
    strip = image.crop((0, 0, width, int(bottom)))
    xs = [i % width for i, v in enumerate(strip.tobytes()) if v < 128]
    assert xs, "no text in the header"
    return sum(xs) / len(xs)


@pytest.mark.parametrize("language", ["en", "es"])
def test_left_to_right_languages_start_on_the_left(browser, demo_sites, tmp_path, language):
    got = header_layout(browser, demo_sites[language], tmp_path, language)
    assert got["title"]["x"] + got["title"]["width"] < DESKTOP["width"] / 2
    assert got["first"]["x"] > got["title"]["x"]  # the links follow the title to its right
    assert ink_centre(got["shot"], got["header"]["height"]) < DESKTOP["width"] / 2


def test_arabic_mirrors_the_layout(browser, demo_sites, tmp_path):
    english = header_layout(browser, demo_sites["en"], tmp_path, "en")
    arabic = header_layout(browser, demo_sites["ar"], tmp_path, "ar")
    title = arabic["title"]
    assert title["x"] > DESKTOP["width"] / 2  # the site title is on the right
    assert arabic["first"]["x"] + arabic["first"]["width"] < title["x"]  # links to its left
    # mirrored: as far from the right edge as the English title is from the left edge
    assert abs((DESKTOP["width"] - title["x"] - title["width"]) - english["title"]["x"]) <= 2
    assert ink_centre(arabic["shot"], arabic["header"]["height"]) > DESKTOP["width"] / 2


def test_arabic_pages_are_translated_and_dated_in_arabic(demo_sites):
    from support.helpers import html

    home = html(demo_sites["ar"] / "index.html")
    assert [a.text for a in home.select(".site-nav ul a")] == [
        "المشاريع",
        "الشارات",
        "المعايير",
        "نبذة عني",
    ]
    assert home.select_one(".skip-link").text == "انتقل إلى المحتوى"
    project = html(demo_sites["ar"] / "projects/robot-arm/index.html")
    assert project.select_one(".facts time").text == "14 مارس 2026"
    spanish = html(demo_sites["es"] / "projects/robot-arm/index.html")
    assert spanish.select_one(".facts time").text == "14 de marzo de 2026"
    assert spanish.select_one(".site-nav ul a").text == "Proyectos"


def goal_numbers(browser, site) -> tuple[float, float]:
    """Where the two numbers of "{open} of {n} goals still open" are drawn on the standards page."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    with serve_folder(site) as base:
        page.goto(base + "standards/index.html")
        item = page.locator("li.goal-count")
        open_, total = (item.locator("bdi").nth(i).bounding_box() for i in (0, 1))
    context.close()
    return open_["x"], total["x"]


def test_numbers_in_an_arabic_sentence_read_right_to_left(browser, demo_sites):
    """ "1 of 4 goals still open": in Arabic the open count comes first, on the right,
    each number isolated (<bdi>) so the bidi algorithm does not reorder the sentence."""
    open_x, total_x = goal_numbers(browser, demo_sites["en"])
    assert open_x < total_x  # English: "1 of 4", left to right
    open_x, total_x = goal_numbers(browser, demo_sites["ar"])
    assert open_x > total_x  # Arabic: the first number is the rightmost


def test_the_screenshot_command(tmp_path):
    """The documented command, run as a user runs it (its own Playwright, its own build)."""
    run = subprocess.run(
        [sys.executable, "scripts/screenshots.py", "--out", str(tmp_path), "--pages", "home",
         "--language", "ar"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    for name, width in (("home-desktop-ar.png", 1280), ("home-phone-ar.png", 390)):
        image = Image.open(tmp_path / name)
        assert image.width == width and image.mode == "P"  # a palette PNG, small
        assert (tmp_path / name).stat().st_size < 150_000
