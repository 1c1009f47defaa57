"""Pictures: upright, without private metadata, responsive, cached, and bad files reported."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from support.helpers import html, project
from support.media_factory import (
    bomb_png,
    clean,
    gif_with_comment,
    heic,
    phone_jpeg,
    png,
    two_halves,
    webp,
)

from portfolio_gen.media import images
from portfolio_gen.site import media

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def published_images(site: Path) -> list[Path]:
    """Every image file of the site but the baked badges (published byte for byte)."""
    return [
        p
        for p in sorted(site.rglob("*"))
        if p.suffix.lower() in IMAGE_SUFFIXES and "badges" not in p.relative_to(site).parts
    ]


def is_upright(image: Image.Image) -> bool:
    """The test photo is red on the left and blue on the right as stored; orientation 6
    turns it a quarter clockwise, so upright it is red on top and blue below."""
    rgb = image.convert("RGB")
    top = rgb.getpixel((rgb.width // 2, rgb.height // 8))
    bottom = rgb.getpixel((rgb.width // 2, rgb.height * 7 // 8))
    return rgb.height > rgb.width and top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]


def count_encodes(monkeypatch) -> list[str]:
    """Record every image Pillow encodes (in this process: one image is not parallel)."""
    calls: list[str] = []
    real = images.encode

    def counting(image, fmt, **options):
        calls.append(fmt)
        return real(image, fmt, **options)

    monkeypatch.setattr(images, "encode", counting)
    return calls


def test_phone_photo_is_upright_and_no_published_file_has_metadata(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project(
                "Arm", body="![The arm, red on top](photo.jpg)\n", cover="photo.jpg"
            ),
            "content/projects/arm/photo.jpg": phone_jpeg((2400, 1800), orientation=6),
            "content/projects/arm/extra.png": png(),
            "content/projects/arm/anim.gif": gif_with_comment(),
            "content/projects/arm/sticker.webp": webp(),
            "content/projects/zine.md": project("Zine", body="![Tall](zine.jpg)\n"),
            "content/projects/zine.jpg": phone_jpeg((500, 400), orientation=1, trailer=b"MOTION"),
            "avatar.jpg": phone_jpeg((600, 500), orientation=6),
        },
        config="title: T\nlearner:\n  name: Ana B.\n  avatar: avatar.jpg\nbase_url: https://a.example.org/\n",
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site"
    files = published_images(site)
    names = {p.relative_to(site).as_posix() for p in files}
    assert {
        "projects/arm/photo.jpg",  # the original, upright and stripped
        "projects/arm/photo.jpg.480w.webp",
        "projects/arm/photo.jpg.1600w.jpg",
        "projects/arm/photo.jpg.1200x630.jpg",  # the social card
        "projects/arm/photo.jpg.480x270.webp",  # the card crop
        "projects/arm/extra.png",
        "projects/arm/anim.gif",
        "projects/arm/sticker.webp",
        "projects/zine.jpg",
        "avatar.jpg",
        "avatar.jpg.256x256.webp",
    } <= names
    for path in files:
        assert clean(path) == [], path
    for name in names - {"projects/arm/photo.jpg.1200x630.jpg"}:
        if name.startswith(("projects/arm/photo", "avatar.jpg")) and "x" not in name.split(".")[-2]:
            with Image.open(site / name) as image:
                assert is_upright(image), name
    with Image.open(site / "projects/arm/photo.jpg") as original:
        assert original.size == (1800, 2400)  # the whole photo, turned upright
        assert "icc_profile" in original.info  # colours stay right
    with Image.open(site / "projects/arm/photo.jpg.960w.webp") as variant:
        assert variant.size == (960, 1280) and "icc_profile" in variant.info
    assert (site / "projects/zine.jpg").read_bytes().endswith(b"\xff\xd9")  # no trailer
    with Image.open(site / "projects/arm/anim.gif") as gif:
        assert gif.n_frames == 2  # animations keep their frames


def test_unchanged_images_are_never_processed_twice(cli, make_portfolio, monkeypatch):
    calls = count_encodes(monkeypatch)
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Photo](photo.jpg)\n"),
            "content/projects/a/photo.jpg": phone_jpeg((2000, 1500), orientation=6),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    # upright it is 1500 wide: widths 480, 960 and 1500, in WebP and JPEG (the original,
    # turned upright, is the 1500 JPEG), the social card, and (the first picture, so
    # the card's) the 480x270 and 960x540 card crops in both formats
    assert sorted(calls) == ["JPEG"] * 6 + ["WEBP"] * 5
    calls.clear()
    assert cli("build", str(root), "--quiet").code == 0
    assert calls == []  # a warm build reuses the previous site's files
    import shutil

    shutil.rmtree(root / "site")
    assert cli("build", str(root), "--quiet").code == 0
    assert calls == []  # a fresh output folder gets them from the cache
    cached = list((root / ".portfolio-cache/images").rglob("*.webp"))
    assert len(cached) == 5
    (root / "content/projects/a/photo.jpg").write_bytes(phone_jpeg((2000, 1500), orientation=8))
    assert cli("build", str(root), "--quiet").code == 0
    assert len(calls) == 11  # a changed photo is processed again


def test_many_images_are_processed_in_worker_processes(cli, make_portfolio, monkeypatch):
    ran: list[int] = []
    real = media._run_all
    monkeypatch.setattr(media, "_cpus", lambda: 2)

    def spy(todo, jobs):
        ran.append(len(todo))
        return real(todo, jobs)

    monkeypatch.setattr(media, "_run_all", spy)
    files = {
        f"content/projects/a/p{i}.jpg": phone_jpeg((1200, 900), orientation=6) for i in range(3)
    }
    body = "".join(f"![Photo {i}](p{i}.jpg)\n\n" for i in range(3))
    root = make_portfolio({"content/projects/a/index.md": project(body=body), **files})
    assert cli("build", str(root), "--quiet").code == 0
    assert ran == [3]
    for i in range(3):
        with Image.open(root / f"site/projects/a/p{i}.jpg.480w.webp") as image:
            assert image.size == (480, 640) and is_upright(image)


def test_picture_markup_srcset_sizes_and_lazy_loading(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(
                body="![Big](big.jpg)\n\n![Small](small.png)\n\n![Wide](wide.webp)\n",
                cover="cover.jpg",
                cover_alt="The finished arm",
            ),
            "content/projects/a/big.jpg": phone_jpeg((3000, 2000), orientation=1),
            "content/projects/a/small.png": png((300, 200)),
            "content/projects/a/wide.webp": webp((1000, 500)),
            "content/projects/a/cover.jpg": phone_jpeg((1200, 900), orientation=1),
            "content/projects/b.md": project("B", "2026-01-01"),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/projects/a/index.html")
    cover, big, small, wide = page.select("main img")[:4]
    assert cover["alt"] == "The finished arm"
    assert "loading" not in cover.attrs and "decoding" not in cover.attrs  # the first image
    for img in (big, small, wide):
        assert img["loading"] == "lazy" and img["decoding"] == "async"
    for img in page.find_all("img"):
        assert int(img["width"]) > 0 and int(img["height"]) > 0
    picture = big.parent
    assert picture.name == "picture"
    source = picture.find("source")
    assert source["type"] == "image/webp" and source["sizes"] and big["sizes"] == source["sizes"]
    assert (
        source["srcset"]
        == "big.jpg.480w.webp 480w, big.jpg.960w.webp 960w, big.jpg.1600w.webp 1600w"
    )
    assert big["srcset"] == "big.jpg.480w.jpg 480w, big.jpg.960w.jpg 960w, big.jpg.1600w.jpg 1600w"
    assert (big["src"], big["width"], big["height"]) == ("big.jpg.960w.jpg", "1600", "1067")
    # a small picture is never enlarged: its only size is its own, the PNG original the fallback
    assert small.parent.find("source")["srcset"] == "small.png.300w.webp 300w"
    assert (small["src"], small["srcset"]) == ("small.png", "small.png 300w")
    # WebP needs no fallback: a plain <img> with srcset
    assert wide.parent.name != "picture"
    assert wide["srcset"] == "wide.webp.480w.webp 480w, wide.webp.960w.webp 960w"
    # lists: the first card's cover loads at once
    cards = html(root / "site/projects/index.html").select("img.card-cover")
    assert len(cards) == 1 and "loading" not in cards[0].attrs
    assert cards[0]["width"] == "480" and cards[0]["height"] == "270"


def test_first_body_image_is_eager_without_a_cover_and_the_avatar_first_at_home(
    cli, make_portfolio
):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(
                body="![One](one.png)\n\n![Two](two.png)\n", cover="one.png", featured="true"
            ),
            "content/projects/a/one.png": png(),
            "content/projects/a/two.png": png(),
            "me.png": png((400, 400)),
        },
        config="title: T\nlearner:\n  name: Ana B.\n  avatar: me.png\n",
    )
    assert cli("build", str(root), "--quiet").code == 0
    one, two = html(root / "site/projects/a/index.html").select(".prose img")
    assert "loading" not in one.attrs and two["loading"] == "lazy"
    home = html(root / "site/index.html")
    avatar = home.select_one("img.avatar")
    assert "loading" not in avatar.attrs and avatar["width"] == "128"
    assert (
        avatar.parent.find("source")["srcset"]
        == "avatar.png.128x128.webp 128w, avatar.png.256x256.webp 256w"
    )
    assert home.select_one("img.card-cover")["loading"] == "lazy"
    with Image.open(root / "site/avatar.png.256x256.png") as image:
        assert image.size == (256, 256)


def test_images_are_never_enlarged(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Photo](photo.jpg)\n", cover="photo.jpg"),
            "content/projects/a/photo.jpg": phone_jpeg((700, 400), orientation=1),
        },
        config="title: T\nlearner:\n  name: Ana B.\n  avatar: tiny.png\n",
    )
    (root / "tiny.png").write_bytes(png((100, 100)))
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    made = sorted(p.name for p in (site / "projects/a").glob("photo.jpg*"))
    assert made == [
        "photo.jpg", "photo.jpg.1200x630.jpg", "photo.jpg.480w.jpg", "photo.jpg.480w.webp",
        "photo.jpg.480x270.jpg", "photo.jpg.480x270.webp", "photo.jpg.700w.webp",
        "photo.jpg.960x540.jpg", "photo.jpg.960x540.webp",
    ]  # fmt: skip
    for path in (site / "projects/a").glob("photo.jpg.*"):
        with Image.open(path) as image:
            if ".1200x630." not in path.name:
                assert image.width <= 700 and image.height <= 400, path.name
    with Image.open(site / "projects/a/photo.jpg.960x540.webp") as crop:
        assert crop.size == (700, 394)  # the card's shape, at most the photo's size
    with Image.open(site / "projects/a/photo.jpg.1200x630.jpg") as card:
        assert card.size == (1200, 630)  # the photo sits on the card at its own size
        assert card.getpixel((5, 5)) == card.getpixel((1194, 624))  # plain margins
    with Image.open(site / "avatar.png.256x256.webp") as avatar:
        assert avatar.size == (100, 100)


def test_social_card_feeds_open_graph(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Photo](photo.jpg)\n"),
            "content/projects/a/photo.jpg": phone_jpeg((2000, 1500), orientation=6),
            "content/projects/b.md": project("B", "2026-01-01", body="No pictures."),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    meta = html(root / "site/projects/a/index.html").find("meta", property="og:image")
    assert meta["content"] == "https://ana.example.org/portfolio/projects/a/photo.jpg.1200x630.jpg"
    with Image.open(root / "site/projects/a/photo.jpg.1200x630.jpg") as card:
        assert card.size == (1200, 630) and card.format == "JPEG"
    assert html(root / "site/projects/b/index.html").find("meta", property="og:image") is None


def test_strip_metadata_off_publishes_originals_untouched(cli, make_portfolio):
    photo = phone_jpeg((800, 600), orientation=6)
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Photo](photo.jpg)\n"),
            "content/projects/a/photo.jpg": photo,
        },
        config="title: T\nprivacy:\n  strip_metadata: false\n",
    )
    assert cli("build", str(root), "--quiet").code == 0
    assert (root / "site/projects/a/photo.jpg").read_bytes() == photo
    assert clean(root / "site/projects/a/photo.jpg.480w.webp") == []  # resized files never have any


# ---------------------------------------------------------------- bad input


def build_with(cli, make_portfolio, files: dict, body: str, **meta: str):
    root = make_portfolio({"content/projects/a/index.md": project(body=body, **meta), **files})
    run = cli("build", str(root))
    return root, run


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.jpg", b"this is not a picture at all" * 20, "is not an image portfolio-gen can read"),
        ("cut.jpg", phone_jpeg((800, 600))[:6000], "is cut off (the file is incomplete)"),
        ("cut.png", png((300, 200))[:-30], "is cut off (the file is incomplete)"),
        (
            "huge.png",
            bomb_png(),
            "is too large to process safely (900 megapixels, more than the 89",
        ),
        ("photo.heic", heic(), "is a HEIC photo, which browsers cannot show"),
        ("renamed.jpg", heic(), "is a HEIC photo, which browsers cannot show"),
        ("scan.tiff", b"II*\0" + b"\0" * 100, "is a TIFF image, which browsers cannot show"),
    ],
)
def test_unusable_image_is_a_warning_and_the_alt_text_is_shown(
    cli, make_portfolio, name, data, message
):
    root, run = build_with(
        cli,
        make_portfolio,
        {f"content/projects/a/{name}": data},
        f"Text.\n\n![What it shows]({name})\n",
    )
    assert run.code == 0, run.err
    expected = f"content/projects/a/index.md:7: warning: image {name} {message}"
    assert expected in run.err, run.err
    assert "its alt text is shown instead" in run.err
    assert run.err.count(name) == 1  # one message, not one per stage
    page = html(root / "site/projects/a/index.html")
    assert page.select_one(".prose .image-unavailable").text == "What it shows"
    assert page.select_one(".prose img") is None
    assert not any((root / "site/projects/a").glob(name + "*"))  # nothing of it published


def test_strict_fails_on_an_unusable_image(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Photo](bad.jpg)\n"),
            "content/projects/a/bad.jpg": b"garbage" * 50,
        }
    )
    run = cli("build", str(root), "--strict")
    assert run.code == 1 and "bad.jpg is not an image" in run.err


def test_unusable_gallery_and_cover_images_are_reported_at_their_place(cli, make_portfolio):
    root, run = build_with(
        cli,
        make_portfolio,
        {
            "content/projects/a/broken.png": png()[:100],
            "content/projects/a/front.jpg": b"nope" * 40,
            "content/projects/a/fine.png": png(),
        },
        "Text.\n",
        cover="front.jpg",
    )
    assert run.code == 0
    assert (
        "content/projects/a/broken.png: warning: is cut off (the file is incomplete); copy or export it again; it is not published"
        in run.err
    )
    assert "content/projects/a/index.md:4: warning: image front.jpg is not an image" in run.err
    assert (
        "content/projects/a/fine.png: warning: is shown in the project's Media gallery without a description"
        in run.err
    )
    page = html(root / "site/projects/a/index.html")
    assert [a["href"] for a in page.select(".gallery a")] == ["fine.png"]
    assert page.select_one("figure.cover") is None or page.select_one("figure.cover img") is None


def test_missing_or_outside_images_are_errors_at_their_line(cli, make_portfolio):
    _, run = build_with(
        cli, make_portfolio, {}, "![Gone](gone.jpg)\n\n![Out](../../../../etc/x.jpg)\n"
    )
    assert run.code == 1
    assert (
        "content/projects/a/index.md:5: error: link gone.jpg: no file content/projects/a/gone.jpg"
        in run.err
    )
    assert (
        "content/projects/a/index.md:7: error: link ../../../../etc/x.jpg points outside content/"
        in run.err
    )


def test_image_through_a_symlink_leaving_the_portfolio_is_refused(cli, make_portfolio, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.jpg"
    secret.parent.mkdir()
    secret.write_bytes(phone_jpeg())
    root = make_portfolio({"content/projects/a/index.md": project(body="![Secret](secret.jpg)\n")})
    os.symlink(secret, root / "content/projects/a/secret.jpg")
    run = cli("build", str(root))
    assert run.code == 1
    assert (
        "content/projects/a/secret.jpg: warning: is a link to a file outside the portfolio; "
        "not published" in run.err
    )
    assert "content/projects/a/index.md:5: error: link secret.jpg: no file" in run.err


def test_unusable_avatar_is_a_warning_at_its_line(cli, make_portfolio):
    root = make_portfolio(
        {"me.heic": heic()}, config="title: T\nlearner:\n  name: Ana B.\n  avatar: me.heic\n"
    )
    run = cli("build", str(root))
    assert run.code == 0
    assert "portfolio.yml:4: warning: learner.avatar: me.heic is a HEIC photo" in run.err


def test_a_file_that_fails_while_processing_is_not_published(cli, make_portfolio, monkeypatch):
    def broken(image, fmt, **options):
        raise OSError("encoder exploded")

    monkeypatch.setattr(images, "encode", broken)
    root, run = build_with(
        cli, make_portfolio, {"content/projects/a/p.jpg": phone_jpeg()}, "![P](p.jpg)\n"
    )
    assert run.code == 0
    assert "content/projects/a/p.jpg: warning: cannot be processed (encoder exploded)" in run.err
    assert not any((root / "site/projects/a").glob("p.jpg*"))


# ---------------------------------------------------------------- metadata removal, unit


def test_strip_jpeg_keeps_pixels_and_colour_and_drops_the_rest():
    data = phone_jpeg((64, 48), orientation=1, trailer=b"\0\0\0\x18ftypmp42 video")
    stripped = images.strip_jpeg(data)
    assert b"Exif" not in stripped and b"xpacket" not in stripped and b"Secret" not in stripped
    assert stripped.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(stripped)) as a, Image.open(io.BytesIO(data)) as b:
        assert a.tobytes() == b.tobytes() and "icc_profile" in a.info


def test_strip_png_webp_gif():
    for strip, data in (
        (images.strip_png, png()),
        (images.strip_webp, webp()),
        (images.strip_gif, gif_with_comment()),
    ):
        out = strip(data)
        with Image.open(io.BytesIO(out)) as image:
            assert not image.getexif() and "xmp" not in image.info and "comment" not in image.info
            assert not getattr(image, "text", None)
            image.load()


def test_responsive_widths():
    assert images.responsive_widths(4000) == (480, 960, 1600)
    assert images.responsive_widths(1600) == (480, 960, 1600)
    assert images.responsive_widths(1200) == (480, 960, 1200)
    assert images.responsive_widths(1000) == (480, 960)
    assert images.responsive_widths(500) == (480,)
    assert images.responsive_widths(300) == (300,)


def test_probe_reads_no_pixels_and_turns_sizes_upright(tmp_path):
    path = tmp_path / "p.jpg"
    path.write_bytes(phone_jpeg((800, 600), orientation=6))
    found = images.probe(path)
    assert (found.format, found.width, found.height, found.orientation) == ("JPEG", 600, 800, 6)
    path.write_bytes(two_halves((10, 10)).tobytes())
    with pytest.raises(images.ImageProblem):
        images.probe(path)


def test_svg_is_shown_as_it_is_without_its_metadata(cli, make_portfolio):
    svg = (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150">'
        "<metadata><rdf:RDF>made at home</rdf:RDF></metadata><!-- by Ana --><rect/></svg>"
    )
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![A drawing](d.svg)\n"),
            "content/projects/a/d.svg": svg,
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    published = (root / "site/projects/a/d.svg").read_text()
    assert (
        "metadata" not in published and "by Ana" not in published and "<rect></rect>" in published
    )
    img = html(root / "site/projects/a/index.html").select_one(".prose img")
    assert (img["src"], img["width"], img["height"]) == ("d.svg", "300", "150")


def test_processed_images_are_the_same_bytes_every_time(cli, make_portfolio):
    import shutil

    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![P](p.jpg)\n\n![Q](q.png)\n"),
            "content/projects/a/p.jpg": phone_jpeg((1700, 1000), orientation=6),
            "content/projects/a/q.png": png((700, 500)),
        }
    )
    outputs = []
    for _ in range(2):
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".portfolio-cache", ignore_errors=True)
        assert cli("build", str(root), "--quiet").code == 0
        outputs.append({p.name: p.read_bytes() for p in published_images(root / "site")})
    assert outputs[0] == outputs[1] and len(outputs[0]) > 8


def test_pictures_on_the_about_page(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/about.md": "---\ntitle: Me\n---\nHello.\n\n![Me at the club](me.jpg)\n",
            "content/me.jpg": phone_jpeg((1000, 800), orientation=6),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    img = html(root / "site/about/index.html").select_one(".prose picture img")
    assert (img["src"], img["width"], img["height"]) == (
        "../me.jpg",
        "800",
        "1000",
    )  # the original is the 800 file
    assert "loading" not in img.attrs  # the page's first picture
    with Image.open(root / "site/me.jpg") as original:
        assert original.size == (800, 1000) and clean(root / "site/me.jpg") == []
