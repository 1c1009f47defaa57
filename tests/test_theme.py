"""The default theme's stylesheets: syntax colours with enough contrast, dark only on screens."""

from __future__ import annotations

import re

import pytest

from portfolio_gen.site.themes import builtin_themes

STATIC = builtin_themes() / "default" / "static"


def luminance(color: str) -> float:
    color = color.lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    channels = [int(color[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_syntax_colour_has_aa_contrast_on_screen_and_on_paper():
    css = (STATIC / "pygments.css").read_text(encoding="utf-8")
    light, _, dark = css.partition("@media screen and (prefers-color-scheme: dark)")
    assert dark, "the dark syntax colours must be for screens only, so print gets the light ones"
    for part, backgrounds in ((light, ("#f8f8f8", "#ffffff")), (dark, ("#0d1117",))):
        background = re.search(r"\.highlight \{ background: (#[0-9a-fA-F]{3,6})", part).group(1)
        assert background == backgrounds[0]
        colours = re.findall(
            r"\.highlight \.\w+ \{[^}]*?(?<![-\w])color: (#[0-9a-fA-F]{3,6})", part
        )
        assert len(colours) > 50
        low = [(c, bg) for c in colours for bg in backgrounds if contrast(c, bg) < 4.5]
        assert not low, f"syntax colours under 4.5:1: {sorted(set(low))}"


def test_the_dark_palette_is_for_screens_only():
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" not in css
    assert css.count("@media screen and (prefers-color-scheme: dark)") == 2
    assert "@media (prefers-reduced-motion: reduce)" in css


# ---- the redesign: typeface, home hero, cards, favicon, no other hosts ----

import io  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from PIL import Image  # noqa: E402
from support.helpers import BASIC_CONFIG, html, project  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def picture(colour: str = "teal", size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_the_typeface_is_small_self_hosted_and_licensed():
    fonts = sorted(STATIC.glob("*.woff2"))
    assert [f.name for f in fonts] == [
        "atkinson-hyperlegible-400-italic.woff2",
        "atkinson-hyperlegible-400-normal.woff2",
        "atkinson-hyperlegible-700-normal.woff2",
    ]
    for font in fonts:
        assert font.read_bytes()[:4] == b"wOF2"
        assert font.stat().st_size < 40_000, font.name
    assert "SIL OPEN FONT LICENSE Version 1.1" in (STATIC / "OFL.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo portfolio (the repository's content/ and badges/), built once."""
    from portfolio_gen.cli import main

    out = tmp_path_factory.mktemp("demo") / "site"
    assert main(["build", str(REPO), "-o", str(out), "--quiet"]) == 0
    return out


def test_pages_load_the_fonts_with_swap_and_right_to_left_pages_do_not_preload_them(
    demo, cli, make_portfolio
):
    page = html(demo / "index.html")
    style = " ".join(s.text for s in page.select("head style"))
    faces = re.findall(r"@font-face \{[^}]*\}", style)
    assert len(faces) == 3
    for face in faces:
        assert "font-display: swap" in face and "unicode-range: U+0000-00FF" in face
        (src,) = re.findall(r'url\("([^"]+)"\)', face)
        assert (demo / src).is_file()
    preload = page.select_one('link[rel="preload"][as="font"]')
    assert (demo / preload["href"]).is_file() and preload.has_attr("crossorigin")
    root = make_portfolio({"content/projects/a.md": project()}, BASIC_CONFIG + "language: ar\n")
    assert cli("build", str(root), "--quiet").code == 0
    arabic = html(root / "site/index.html")
    assert arabic.html["dir"] == "rtl" and not arabic.select('link[rel="preload"]')
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert re.search(r'html\[dir="rtl"\] \{ --font: system-ui[^}]*Arabic', css)


def test_the_home_page_has_a_hero_and_the_three_featured_projects(demo):
    page = html(demo / "index.html")
    hero = page.select_one("section.hero")
    assert hero.select_one("h1").get_text() == "Maya R."
    assert hero.select_one("img.avatar")["alt"] == "Picture of Maya R."
    assert hero.select_one(".bio").get_text().startswith("I build things that move")
    interests = [a.get_text(" ", strip=True) for a in hero.select(".hero-interests a")]
    assert "robotics (1)" in interests and len(interests) >= 4
    titles = [h.get_text() for h in page.select(".featured-cards .card-title")]
    assert titles == ["Cardboard Hydraulic Arm", "Mill Creek Water Watch", "Lost in the Stacks (a maze game)"]  # fmt: skip
    assert page.select_one("h1") is hero.select_one("h1")  # the only h1


def test_without_featured_the_home_page_shows_the_three_newest(cli, make_portfolio):
    files = {f"content/projects/p{i}.md": project(f"P{i}", f"2026-01-0{i}") for i in range(1, 6)}
    root = make_portfolio(files)
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/index.html")
    assert [h.get_text() for h in page.select(".featured-cards .card-title")] == ["P5", "P4", "P3"]


def test_cards_show_the_cover_else_the_first_picture_else_a_blank(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/covered/index.md": project(
                "Covered", body="![One](one.png)\n\n![Two](two.png)\n", cover="two.png"
            ),
            "content/projects/covered/one.png": picture("red"),
            "content/projects/covered/two.png": picture("blue"),
            "content/projects/first/index.md": project(
                "First", "2026-01-03", body="Text.\n\n![A photo](photo.png)\n\n![B](b.png)\n"
            ),
            "content/projects/first/photo.png": picture("green"),
            "content/projects/first/b.png": picture("white"),
            "content/projects/plain.md": project("Plain", "2026-01-04"),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    cards = {
        card.select_one(".card-title").get_text(): card
        for card in html(site / "projects/index.html").select(".card")
    }
    for title, expected in (("Covered", "covered/two.png"), ("First", "first/photo.png")):
        img = cards[title].select_one("img.card-cover")
        assert img["src"] == f"{expected}.480x270.png" or img["src"].endswith(
            f"{expected}.480x270.png"
        )
        assert (img["width"], img["height"]) == ("480", "270")
        with Image.open(site / "projects" / f"{expected}.480x270.png") as crop:
            assert crop.size == (480, 270)
            assert crop.getpixel((10, 10))[:3] == {"covered/two.png": (0, 0, 255)}.get(
                expected, (0, 128, 0)
            )
    blank = cards["Plain"].select_one(".card-blank")
    assert blank["aria-hidden"] == "true" and blank.get_text() == "P"
    assert not cards["Plain"].select("img")


def test_the_favicon_is_made_from_the_avatar_the_same_every_time(cli, make_portfolio, tmp_path):
    config = BASIC_CONFIG.replace("  bio:", "  avatar: me.png\n  bio:")
    root = make_portfolio({"content/projects/a.md": project(), "me.png": picture()}, config)
    assert cli("build", str(root), "-o", str(tmp_path / "one"), "--quiet").code == 0
    shutil.rmtree(root / ".portfolio-cache")  # made again, not copied from the cache
    assert cli("build", str(root), "-o", str(tmp_path / "two"), "--quiet").code == 0
    icons = []
    for out in (tmp_path / "one", tmp_path / "two"):
        href = html(out / "index.html").find("link", rel="icon")["href"]
        assert href == "avatar.png.128x128.png"
        icons.append((out / href).read_bytes())
    assert icons[0] == icons[1] and icons[0].startswith(b"\x89PNG")


RESOURCE = {  # element: the attributes that make a browser fetch something
    "link": ("href",), "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",),
}  # fmt: skip
NOT_FETCHED = {"canonical", "alternate", "me", "license"}  # links a browser does not load


def test_no_page_or_stylesheet_loads_anything_from_another_host(demo):
    """The built demo: every resource is a relative address (links to other sites are
    fine: they are followed only when clicked); no CSS url() or @import leaves the site."""
    remote = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
    pages = list(demo.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = html(path)
        for tag, attributes in RESOURCE.items():
            for element in page.find_all(tag):
                if tag == "link" and NOT_FETCHED & set(element.get("rel", [])):
                    continue
                for attribute in attributes:
                    for value in (element.get(attribute) or "").split(","):
                        url = value.strip().split(" ")[0]
                        assert not remote.match(url) or url.startswith("data:"), (path, url)
        styles = [s.text for s in page.find_all("style")]
        styles += [e["style"] for e in page.select("[style]")]
        for css in styles:
            assert not re.search(r"url\(\s*['\"]?\s*(?:[a-z]+:|//)", css, re.I), path
            assert "@import" not in css, path
    for css in (demo / "assets").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text, css.name
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert url.startswith("data:") or not remote.match(url), (css.name, url)


def test_an_embed_shows_the_projects_picture_behind_its_play_button(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/game/index.md": project(
                "Game",
                body="![My game](https://scratch.mit.edu/projects/123/)\n\n![Shot](shot.png)\n",
            ),
            "content/projects/game/shot.png": picture(),
            "content/projects/talk.md": project(
                "Talk", body="![My talk](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n"
            ),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    game = html(root / "site/projects/game/index.html")
    assert game.select_one(".embed a.embed-link")
    poster = game.select_one("template#embed-poster")
    assert poster is not None and "shot.png.480x270" in str(poster)
    assert game.find("script", src=re.compile(r"embed\.[0-9a-f]{10}\.js$"))
    talk = html(root / "site/projects/talk/index.html")
    assert talk.select_one(".embed a.embed-link") and not talk.select("template")  # a play card
