"""Published SVGs (project media and badges) cannot script the site or call another host."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from support.helpers import html, project

from portfolio_gen.badges import bake

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "svg"
HOSTILE = (FIXTURES / "hostile.svg").read_bytes()
INKSCAPE = (FIXTURES / "inkscape.svg").read_bytes()

BADGE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" onload="alert(\'badge\')">'
    b"<script>alert('badge-script')</script>"
    b'<image href="https://tracker.invalid/badge.png" width="1" height="1"/>'
    b'<circle cx="50" cy="50" r="40" fill="gold"/></svg>'
)
ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://issuer.example.org/assertions/1",
    "recipient": {"type": "email", "hashed": True, "salt": "s", "identity": "sha256$" + "0" * 64},
    "issuedOn": "2026-02-03",
    "verification": {"type": "hosted"},
    "badge": {
        "type": "BadgeClass", "id": "https://issuer.example.org/badges/1", "name": "Gold",
        "description": "A badge.", "criteria": {"narrative": "Do it."},
        "issuer": {"type": "Profile", "id": "https://issuer.example.org/", "name": "Issuer"},
    },
}  # fmt: skip


def hostile_svg_portfolio(make_portfolio) -> Path:
    return make_portfolio(
        {
            "content/projects/a/index.md": project(
                body="![A drawing](hostile.svg)\n\n[The arm, to download](inkscape.svg)\n"
            ),
            "content/projects/a/hostile.svg": HOSTILE,
            "content/projects/a/inkscape.svg": INKSCAPE,
            "content/projects/b.md": project("B", body="![Also linked](a/hostile.svg)\n"),
            "badges/gold.svg": bake(BADGE_SVG, json.dumps(ASSERTION)),
        }
    )


def test_project_svgs_are_published_sanitized_with_warnings(cli, make_portfolio):
    root = hostile_svg_portfolio(make_portfolio)
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert (
        "content/projects/a/inkscape.svg: warning: editor metadata removed "
        "(it named a folder on your computer)" in run.err
    )
    assert (
        "content/projects/a/hostile.svg: warning: scripts, event handlers or references to "
        "other sites removed (an SVG on the site may not run code or load anything from "
        "elsewhere)" in run.err
    )
    site = root / "site"
    shown = (site / "projects/a/hostile.svg").read_bytes()
    linked = (site / "projects/a/inkscape.svg").read_bytes()  # a link, not an image: copied before
    for data in (shown, linked):
        assert data.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        for bad in (b"alert", b"tracker", b"script", b"ana-lopez", b"Ana Lopez", b"inkscape:"):
            assert bad not in data
    img = html(site / "projects/a/index.html").select_one(".prose img")
    assert (img["src"], img["width"], img["height"]) == ("hostile.svg", "120", "60")
    # A warm build reuses the files and says the same, once each.
    warnings = [line for line in run.lines if "warning" in line]
    again = cli("build", str(root))
    assert [line for line in again.lines if "warning" in line] == warnings
    # Notes in a cache this user's builds did not write are not said.
    notes = root / ".portfolio-cache/images/notes.json"
    notes.write_text('{"x": ["\u001b[31mforged"]}')
    assert "forged" not in cli("build", str(root)).err


def test_svg_badge_is_shown_sanitized_and_downloaded_as_text(cli, make_portfolio):
    root = hostile_svg_portfolio(make_portfolio)
    assert cli("build", str(root)).code == 0
    folder = root / "site/badges/gold"
    assert sorted(p.name for p in folder.iterdir()) == ["gold.svg.txt", "image.svg", "index.html"]
    assert (folder / "gold.svg.txt").read_bytes() == (root / "badges/gold.svg").read_bytes()
    image = (folder / "image.svg").read_bytes()
    assert b"alert" not in image and b"tracker" not in image and b"openbadges" not in image
    assert b'<circle cx="50" cy="50" r="40" fill="gold"></circle>' in image
    page = html(folder / "index.html")
    assert page.select_one(".badge-header img")["src"] == "image.svg"
    download = page.select_one(".download a")
    assert (download["href"], download["download"]) == ("gold.svg.txt", "gold.svg")
    gallery = html(root / "site/badges/index.html")
    assert [i["src"] for i in gallery.select(".badge-card img")] == ["gold/image.svg"]


def test_no_dialog_and_no_other_host_in_a_browser(cli, make_portfolio, page):
    from support.browser import serve_folder

    root = hostile_svg_portfolio(make_portfolio)
    assert cli("build", str(root)).code == 0
    site = root / "site"
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request",
        lambda request: (
            # the site's own host: 404.html links to it absolutely, to be found at any path
            urlsplit(request.url).hostname not in ("127.0.0.1", "ana.example.org", None)
            and elsewhere.append(request.url)
        ),
    )
    urls = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix in (".html", ".svg", ".txt") and p.name != "robots.txt"
    )
    assert "projects/a/inkscape.svg" in urls and "badges/gold/gold.svg.txt" in urls
    with serve_folder(site) as base:
        for rel in urls:
            page.goto(base + rel)
            page.wait_for_load_state("load")
            if rel.endswith(".svg.txt"):  # shown as text, not run as a document
                assert page.evaluate("document.contentType") == "text/plain"
    assert dialogs == [] and elsewhere == []


def test_an_svg_that_cannot_be_read_safely_is_not_published(cli, make_portfolio):
    entities = b'<!DOCTYPE svg [<!ENTITY ns_ai "http://ns.adobe.com/AdobeIllustrator/10.0/">]><svg xmlns="http://www.w3.org/2000/svg"/>'
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="[Logo](logo.svg)\n"),
            "content/projects/a/logo.svg": entities,
        }
    )
    run = cli("build", str(root))
    assert (
        "content/projects/a/logo.svg: warning: cannot be published safely: the SVG declares "
        "entities in a DTD, which is refused for safety (no entity expansion, no external "
        "entities); export it again without them (in Illustrator: File > Export > Export As > "
        "SVG); it is not published" in run.err
    )
    assert not (root / "site/projects/a/logo.svg").exists()


def test_a_new_sanitizer_makes_svg_pictures_again(tmp_path, monkeypatch):
    """An SVG output's cache key carries svg.VERSION (read when an SVG asks for it):
    a changed sanitizer invalidates cached SVGs, and only those."""
    from portfolio_gen.media.pictures import ImageCache, Output

    cache = ImageCache(tmp_path)
    svg, png = Output("a.svg", "original", "SVG"), Output("b.png", "original", "PNG")
    before = cache.key("content", svg, True), cache.key("content", png, True)
    monkeypatch.setattr("portfolio_gen.svg.VERSION", "svg-sanitize/next")
    assert cache.key("content", svg, True) != before[0]
    assert cache.key("content", png, True) == before[1]
