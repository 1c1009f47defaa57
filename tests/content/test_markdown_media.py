"""Markup for media in Markdown: embeds, images on other hosts, pictures in project records."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from portfolio_gen.content.markdown import MarkdownRenderer
from portfolio_gen.content.projects import ReadSettings, read_project
from portfolio_gen.media.reading import embed_for

MD = MarkdownRenderer()


def render(text: str, source: str = "projects/a/index.md"):
    result = MD.render(text, source)
    return result, BeautifulSoup(result.html, "html.parser")


@pytest.mark.parametrize(
    "url, provider, frame, link",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=90", "youtube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=90", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "youtube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", "youtube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=3723", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3723s"),
        ("https://scratch.mit.edu/projects/123456/editor", "scratch",
         "https://scratch.mit.edu/projects/123456/embed", "https://scratch.mit.edu/projects/123456/"),
        ("https://editor.p5js.org/ana/full/Hk3Wz1p1e", "p5js",
         "https://editor.p5js.org/ana/full/Hk3Wz1p1e", "https://editor.p5js.org/ana/sketches/Hk3Wz1p1e"),
        ("https://codepen.io/ana/full/abcDEF", "codepen",
         "https://codepen.io/ana/embed/abcDEF?default-tab=result", "https://codepen.io/ana/pen/abcDEF"),
    ],
)  # fmt: skip
def test_embed_addresses(url, provider, frame, link):
    embed = embed_for(url)
    assert (embed.provider, embed.frame, embed.link) == (provider, frame, link)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UC123",
        "https://scratch.mit.edu/users/ana",
        "https://evil.example.org/scratch.mit.edu/projects/1",
        "javascript:alert(1)//scratch.mit.edu/projects/1",
        'https://codepen.io/ana/pen/abc"onload=x',
        "photo.jpg",
    ],
)
def test_other_addresses_are_not_embeds(url):
    assert embed_for(url) is None


def test_embed_is_a_link_with_the_player_address_for_later():
    result, soup = render("Look:\n\n![My maze game](https://scratch.mit.edu/projects/42/)\n")
    box = soup.select_one("span.embed.embed-scratch")
    assert box["data-embed"] == "https://scratch.mit.edu/projects/42/embed"
    assert box["data-embed-host"] == "scratch.mit.edu"
    assert box.a["href"] == "https://scratch.mit.edu/projects/42/" and "My maze game" in box.a.text
    assert soup.find("iframe") is None and soup.find("img") is None
    assert result.problems == [] and result.images == []


def test_embed_without_a_title_warns():
    result, soup = render("![](https://youtu.be/dQw4w9WgXcQ)\n")
    assert result.problems == [
        (
            1,
            "warning",
            "embed https://youtu.be/dQw4w9WgXcQ has no title; write what it shows in ![...]",
        )
    ]
    assert soup.select_one(".embed-title").text == "YouTube"


def test_raw_html_from_other_hosts_loads_nothing():
    text = (
        '<img src="https://tracker.example.com/p.png" alt="pixel">\n\n'
        '<video src="https://cdn.example.com/v.mp4" poster="https://cdn.example.com/p.jpg" controls></video>\n\n'
        '<audio controls><source src="https://cdn.example.com/a.mp3"></audio>\n\n'
        '<img src="https://www.youtube.com/watch?v=dQw4w9WgXcQ" alt="Raw embed">\n'
    )
    result, soup = render(text)
    assert soup.select_one("a.external-image")["href"] == "https://tracker.example.com/p.png"
    for tag in soup.find_all(["img", "video", "audio", "source"]):
        assert not any(tag.get(a, "").startswith("http") for a in ("src", "poster"))
    assert soup.select_one(".embed-youtube .embed-title").text == "Raw embed"
    lines = [m for _, _, m in result.problems]
    assert any(
        m.startswith("image https://tracker.example.com/p.png is on another host") for m in lines
    )
    assert any(
        m.startswith("video https://cdn.example.com/v.mp4 is on another host") for m in lines
    )
    assert any(
        m.startswith("source https://cdn.example.com/a.mp3 is on another host") for m in lines
    )


def test_local_images_are_recorded_with_the_src_written_into_the_page():
    result, soup = render("![A](pics/a%20b.jpg)\n\n![B](../b/c.png)\n")
    assert {src: t.key for src, t in result.sources.items()} == {
        "pics/a%20b.jpg": "projects/a/pics/a b.jpg",  # the src is percent-encoded
        "../b/c.png": "projects/b/c.png",
    }
    assert [img["src"] for img in soup.find_all("img")] == list(result.sources)


def jpeg(size: tuple[int, int], orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_project_record_carries_its_pictures_and_picture_markup(tmp_path):
    bundle = tmp_path / "content/projects/arm"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(
        "---\ntitle: Arm\ndate: 2026-01-02\ncover: cover.jpg\n---\n"
        "![Arm](arm.jpg)\n\n![Gone](gone.jpg)\n"
    )
    (bundle / "arm.jpg").write_bytes(jpeg((2000, 1000), orientation=6))
    (bundle / "cover.jpg").write_bytes(jpeg((800, 600)))
    (bundle / "more.jpg").write_bytes(jpeg((640, 480)))
    (bundle / "talk.mp4").write_bytes(b"\0" * 10)
    (bundle / "talk.vtt").write_text("WEBVTT\n")
    project, found = read_project(bundle / "index.md", ReadSettings(tmp_path, ("a",)))
    messages = [str(d) for d in found]
    assert (
        "content/projects/arm/index.md:4: warning: cover: cover.jpg has no description; add a line like 'cover_alt: what the picture shows'"
        in messages
    )
    assert (
        "content/projects/arm/more.jpg: warning: is shown in the project's Media gallery without a description; show it in the text with ![what it shows](more.jpg) instead"
        in messages
    )
    pictures = {p.url: p for p in project.pictures}
    arm = pictures["projects/arm/arm.jpg"]
    assert (arm.format, arm.width, arm.height, arm.widths) == ("JPEG", 1000, 2000, (480, 960))
    assert project.cover_picture.url == "projects/arm/cover.jpg"
    assert project.social_card == "projects/arm/cover.jpg.1200x630.jpg"
    assert {m.name: m.tracks for m in project.media}["talk.mp4"][0].url == "projects/arm/talk.vtt"
    assert {m.name: m.picture.widths for m in project.media if m.picture}["more.jpg"] == (480, 640)
    soup = BeautifulSoup(project.body_html, "html.parser")
    img = soup.select_one("picture img")
    assert (img["width"], img["height"], img["loading"]) == (
        "960",
        "1920",
        "lazy",
    )  # the cover is first
    assert soup.find("img", src="gone.jpg") is None  # a missing file shows its alt text
    assert soup.select_one(".image-unavailable").text == "Gone"
