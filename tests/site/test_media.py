"""Video, audio, captions, downloads and click-to-load embeds in the built site."""

from __future__ import annotations

import re

from support.helpers import html, project
from support.media_factory import phone_jpeg

from portfolio_gen.media import reading as media

VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nThe arm lifts the cup.\n"


def test_bundle_video_and_audio_get_players_with_captions(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="Text.\n"),
            "content/projects/a/lift.mp4": b"\0\0\0\x18ftypmp42" + b"\0" * 100,
            "content/projects/a/lift.vtt": VTT,
            "content/projects/a/lift.es.vtt": VTT,
            "content/projects/a/song.mp3": b"ID3" + b"\0" * 100,
            "content/projects/a/zine.pdf": b"%PDF-1.4 fake",
        }
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site/projects/a"
    page = html(site / "index.html")
    video = page.select_one(".media video")
    assert video.has_attr("controls") and video["src"] == "lift.mp4"
    tracks = video.find_all("track")
    assert [(t["src"], t["kind"], t["srclang"]) for t in tracks] == [
        ("lift.vtt", "captions", "en"),
        ("lift.es.vtt", "subtitles", "es"),
    ]
    assert tracks[0].has_attr("default") and not tracks[1].has_attr("default")
    assert video.find("a")["href"] == "lift.mp4"  # for browsers without video
    audio = page.select_one(".media audio")
    assert audio.has_attr("controls") and audio["src"] == "song.mp3"
    for name in ("lift.mp4", "lift.vtt", "lift.es.vtt", "song.mp3", "zine.pdf"):
        assert (site / name).is_file(), name
    downloads = page.select(".downloads li")
    assert [li.a["href"] for li in downloads] == ["zine.pdf"]  # captions are not downloads
    assert "application/pdf" in downloads[0].text and "13 bytes" in downloads[0].text


def test_video_shown_in_the_text_is_a_player_in_a_figure(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project(
                body="Watch:\n\n![The arm lifting a cup](lift.webm)\n"
            ),
            "content/projects/lift.webm": b"\x1aE\xdf\xa3" + b"\0" * 50,
            "content/projects/lift.vtt": VTT,
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/projects/a/index.html")
    figure = page.select_one(".prose figure.player")
    video = figure.find("video")
    assert video["src"] == "../lift.webm" and video.has_attr("controls")
    assert video["aria-label"] == "The arm lifting a cup"
    assert figure.find("figcaption").text == "The arm lifting a cup"
    assert video.find("track")["src"] == "../lift.vtt"
    assert (root / "site/projects/lift.vtt").is_file()  # published although not in a bundle
    assert page.select_one(".prose img") is None


def test_a_huge_video_is_a_warning_and_is_not_published(cli, make_portfolio):
    root = make_portfolio({"content/projects/a/index.md": project(body="![Robot](robot.mp4)\n")})
    for name in ("robot.mp4", "extra.mov"):
        with open(root / "content/projects/a" / name, "wb") as f:
            f.truncate(media.MAX_FILE_BYTES + 1_000_000)  # sparse: costs no disk
    run = cli("build", str(root))
    assert run.code == 0
    assert (
        "content/projects/a/index.md:5: warning: video robot.mp4 is 101 MB, more than the 100 MB "
        "a published file may be"
    ) in run.err
    assert "content/projects/a/extra.mov: warning: is 101 MB" in run.err
    assert not (root / "site/projects/a/robot.mp4").exists()
    assert not (root / "site/projects/a/extra.mov").exists()
    page = html(root / "site/projects/a/index.html")
    assert page.select_one(".prose .image-unavailable").text == "Robot"
    assert page.find("video") is None


def test_heic_and_other_photo_formats_are_never_published_as_downloads(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="[The raw photo](raw.heic)\n"),
            "content/projects/a/raw.heic": b"\0\0\0\x18ftypheic" + b"\0" * 50,
            "content/projects/a/scan.tif": b"II*\0" + b"\0" * 50,
        }
    )
    run = cli("build", str(root))
    assert run.code == 0
    assert "content/projects/a/index.md:5: warning: file raw.heic is a HEIC photo" in run.err
    assert "content/projects/a/scan.tif: warning: is a TIFF image" in run.err
    assert not (root / "site/projects/a/raw.heic").exists()
    assert not (root / "site/projects/a/scan.tif").exists()
    assert html(root / "site/projects/a/index.html").select(".downloads") == []


def test_embeds_are_links_until_clicked(cli, make_portfolio):
    body = (
        "My game:\n\n![Maze game](https://scratch.mit.edu/projects/123456/)\n\n"
        "![How the arm works](https://youtu.be/dQw4w9WgXcQ?t=1m5s)\n\n"
        "![Bouncing balls](https://editor.p5js.org/ana/sketches/Hk3Wz1p1e)\n\n"
        "![Clock](https://codepen.io/ana/pen/abcDEF)\n"
    )
    root = make_portfolio({"content/projects/a.md": project(body=body)})
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/projects/a/index.html")
    assert page.find("iframe") is None
    embeds = page.select(".prose .embed[data-embed]")
    assert [(e["data-embed"], e.a["href"], e.select_one(".embed-title").text) for e in embeds] == [
        ("https://scratch.mit.edu/projects/123456/embed", "https://scratch.mit.edu/projects/123456/", "Maze game"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=65", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=65s", "How the arm works"),
        ("https://editor.p5js.org/ana/full/Hk3Wz1p1e", "https://editor.p5js.org/ana/sketches/Hk3Wz1p1e", "Bouncing balls"),
        ("https://codepen.io/ana/embed/abcDEF?default-tab=result", "https://codepen.io/ana/pen/abcDEF", "Clock"),
    ]  # fmt: skip
    script = page.find("script", src=re.compile(r"^\.\./\.\./assets/embed\.[0-9a-f]+\.js$"))
    assert script is not None and "{host}" in script["data-note"]
    assert (root / "site/projects/a" / script["src"]).resolve().is_file()  # (not static/: once)
    # a page without embeds loads no script for them
    root2 = make_portfolio({"content/projects/b.md": project("B", body="Plain.")})
    assert cli("build", str(root2), "--quiet").code == 0
    assert (
        html(root2 / "site/projects/b/index.html").find(
            "script", src=re.compile(r"embed\.[0-9a-f]+\.js$")
        )
        is None
    )


def test_nothing_is_loaded_from_another_host_before_a_click(cli, make_portfolio, page):
    from support.browser import serve_folder

    body = (
        "![How the arm works](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"
        "![Maze game](https://scratch.mit.edu/projects/123456/)\n\n"
        "![Photo](photo.jpg)\n\n![A cat](https://cdn.example.com/cat.jpg)\n\n"
        '<img src="https://tracker.example.com/pixel.png" alt="">\n\n'
        '<video src="https://cdn.example.com/v.mp4" controls></video>\n'
    )
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body=body, cover="photo.jpg"),
            "content/projects/a/photo.jpg": phone_jpeg(),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    foreign: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("http://127.0.0.1"):
            request_route.continue_()
        else:
            foreign.append(url)
            request_route.abort()

    with serve_folder(root / "site") as base:
        page.route("**/*", route)
        for path in ("", "projects/", "projects/a/"):
            page.goto(base + path, wait_until="networkidle")
        assert foreign == []
        assert page.locator("iframe").count() == 0
        note = page.locator(".embed-youtube .embed-note")
        assert "www.youtube-nocookie.com" in note.inner_text()
        page.locator(".embed-youtube a.embed-link").click()
        frame = page.locator(".embed-youtube iframe")
        frame.wait_for()
        assert frame.get_attribute("src").startswith(
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        )
        assert frame.get_attribute("title") == "How the arm works"
        page.wait_for_timeout(300)
        assert foreign and all(u.startswith("https://www.youtube-nocookie.com/") for u in foreign)
        assert page.locator(".embed-scratch iframe").count() == 0  # the other one still waits


def test_embed_link_works_without_javascript(cli, make_portfolio, browser):
    from support.browser import serve_folder

    root = make_portfolio(
        {"content/projects/a.md": project(body="![Game](https://scratch.mit.edu/projects/42/)\n")}
    )
    assert cli("build", str(root), "--quiet").code == 0
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        requested: list[str] = []
        tab.route(
            "**/*",
            lambda r: (
                (requested.append(r.request.url), r.abort())
                if not r.request.url.startswith("http://127.0.0.1")
                else r.continue_()
            ),
        )
        with serve_folder(root / "site") as base:
            tab.goto(base + "projects/a/")
            link = tab.locator(".embed a.embed-link")
            assert link.get_attribute("href") == "https://scratch.mit.edu/projects/42/"
            assert tab.locator(".embed-note").count() == 0 and requested == []
    finally:
        context.close()


def test_a_picture_with_a_name_near_the_limit_gets_shortened_derived_files(cli, make_portfolio):
    """A 240-character picture name is allowed; its resized copies (name plus
    '.1200x630.jpg') would pass the file system's 255 bytes, so they are shortened
    with a hash of the name, and every link reaches a file."""
    name = "a" * 240 + ".jpg"
    root = make_portfolio(
        {
            "content/projects/p/index.md": project(body=f"![A long name]({name})\n"),
            f"content/projects/p/{name}": phone_jpeg(size=(1600, 1200)),
        }
    )
    out = root / "site"
    run = cli("build", str(root), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    folder = out / "projects" / "p"
    assert (folder / name).is_file()
    assert all(len(p.name.encode()) <= 255 for p in folder.iterdir())
    page = html(folder / "index.html")
    for img in page.select("img, source"):
        for candidate in (img.get("srcset") or img.get("src") or "").split(","):
            target = candidate.split()[0] if candidate.strip() else None
            if target:
                assert (folder / target).is_file(), target
