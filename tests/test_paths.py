"""The file policy (portfolio_gen/paths.py): a hostile portfolio folder cannot make
a build read or publish files from outside it, private files, editor leftovers,
file names that make script links, or web pages that run on the site's origin."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support.browser import serve_folder
from support.helpers import html, project

from portfolio_gen.paths import LOOP, files, published_name, refusal, skipped, walk
from portfolio_gen.urls import relative_url

SECRET = "TOP-SECRET-OUTSIDE"


def png(colour: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buf, "PNG")
    return buf.getvalue()


def published(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder beside the portfolio with a secret in every kind of file a build reads."""
    out = tmp_path / "elsewhere"
    for name, text in {
        "static/style.css": f"/* {SECRET} */",
        "static/secret.txt": SECRET,
        "templates/base.html": SECRET,
        "content/projects/evil/index.md": project("Evil", body=SECRET),
        "standards/secret.yml": f"framework: {SECRET}\nstandards:\n  - code: X.1\n    statement: {SECRET}\n",
        "badges/secret.png": SECRET,
        "evil.yml": f"Projects: {SECRET}\n",
        "secret.txt": SECRET,
    }.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return out


# ---------------------------------------------------------------- the helper


def test_walk_survives_link_loops_and_refuses_links_out(tmp_path, elsewhere):
    root = tmp_path / "p"
    (root / "a/b").mkdir(parents=True)
    (root / "c").mkdir()
    (root / "a/b/ok.txt").write_text("ok")
    os.symlink("../../a", root / "a/b/up")  # a loop straight up
    os.symlink("../c", root / "a/to-c")  # a loop through two links
    os.symlink("../a", root / "c/to-a")
    os.symlink(elsewhere / "secret.txt", root / "a/out.txt")
    os.symlink(root / "portfolio.local.yml", root / "a/local.txt")
    (root / "portfolio.local.yml").write_text("recipients: [x@example.org]")
    reported: list[tuple[str, str]] = []
    found = files(
        root, root / "a", lambda p, m: reported.append((p.relative_to(root).as_posix(), m))
    )
    assert [rel for rel, _ in found] == ["b/ok.txt"]
    assert sorted(reported) == [
        ("a/b/up", LOOP),
        (
            "a/local.txt",
            "is a link to portfolio.local.yml, which is never published; not published",
        ),
        ("a/out.txt", "is a link to a file outside the portfolio; not published"),
        ("a/to-c/to-a", LOOP),
    ]


def test_links_that_stay_inside_work_and_private_targets_do_not(tmp_path):
    root = tmp_path / "p"
    for name in ("shared/a.txt", ".portfolio-cache/x", "site/index.html", "out/.portfolio-gen"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    (root / "content").mkdir()
    for name, target in {"s": "shared", "c": ".portfolio-cache", "o": "site", "m": "out"}.items():
        os.symlink(root / target, root / "content" / name)
    assert refusal(root, root / "content/s") is None
    assert [rel for rel, _ in files(root, root / "content")] == ["s/a.txt"]
    assert "never published" in (refusal(root, root / "content/m") or "")  # an output folder
    loop = root / "content/self"
    os.symlink(loop, loop)
    assert refusal(root, loop) == LOOP
    assert list(walk(root, root / "nowhere")) == []


def test_a_walked_folder_that_is_itself_a_link_is_checked_first(tmp_path, elsewhere):
    """walk resolves the folder it starts from once (paths.py): a bundle folder that
    is a link out, to a private folder or in a loop lists nothing and says why."""
    root = tmp_path / "p"
    (root / "content/projects").mkdir(parents=True)
    (root / ".portfolio-cache").mkdir()
    (root / ".portfolio-cache/records").write_text(SECRET)
    projects = root / "content/projects"
    os.symlink(elsewhere / "content/projects/evil", projects / "out")
    os.symlink(root / ".portfolio-cache", projects / "cache")
    os.symlink(projects / "loop", projects / "loop")
    reported: list[tuple[str, str]] = []
    for name in ("out", "cache", "loop", "missing"):
        found = files(root, projects / name, lambda p, m: reported.append((p.name, m)))
        assert found == [], name
    assert reported == [
        ("out", "is a link to a folder outside the portfolio; not published"),
        ("cache", "is a link to .portfolio-cache, which is never published; not published"),
        ("loop", LOOP),
    ]


@pytest.mark.parametrize(
    "name",
    ["notes.txt~", "x.swp", ".x.swo", ".#notes.md", "#notes.md#", ".DS_Store", "Thumbs.db",
     "desktop.ini", ".env", "portfolio.local.yml", "~$report.docx"],
)  # fmt: skip
def test_editor_leftovers_and_private_names_are_skipped(name):
    assert skipped(name)


@pytest.mark.parametrize("name", ["notes.txt", "a b.pdf", "ça va.png", "v1.0.zip", "x~y.txt"])
def test_ordinary_names_are_not_skipped(name):
    assert not skipped(name)


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("projects/x/", "projects/x/javascript:alert(2).png", "javascript%3Aalert%282%29.png"),
        ("projects/x/", "projects/x/a b.pdf", "a%20b.pdf"),
        ("projects/x/", "projects/x/ça va.png", "%C3%A7a%20va.png"),
        ("projects/x/", 'projects/x/x"onmouseover=alert(1).png', "x%22onmouseover%3Dalert%281%29.png"),
        ("projects/x/", "projects/x/%2e%2e.png", "%252e%252e.png"),
        ("projects/x/", "projects/x/?x#y.png", "%3Fx%23y.png"),
        ("", "projects/x/sub dir/a.png", "projects/x/sub%20dir/a.png"),
    ],
)  # fmt: skip
def test_links_to_files_are_encoded_per_segment(page, target, expected):
    assert relative_url(page, target) == expected


def test_web_pages_are_published_as_text():
    assert published_name("demo.html") == "demo.html.txt"
    assert published_name("sub/Demo.XHTML") == "sub/Demo.XHTML.txt"
    assert published_name("data.xml") == "data.xml.txt"
    assert published_name("photo.png") == "photo.png"


# ---------------------------------------------------------------- builds


def test_no_folder_a_build_reads_may_be_a_link_out(cli, make_portfolio, elsewhere):
    root = make_portfolio({}, config="title: T\nlearner: {name: A}\nstandards: [X]\n")
    for name in ("static", "content", "standards", "badges"):
        os.symlink(elsewhere / name, root / name)
    run = cli("build", str(root))
    assert run.code == 0, run.err
    for name in ("static", "content", "standards", "badges"):
        assert (
            f"{name}: warning: is a link to a folder outside the portfolio; not published"
            in run.err
        )
    assert all(SECRET.encode() not in data for data in published(root / "site").values())


def test_templates_linking_out_stop_the_build(cli, make_portfolio, elsewhere):
    root = make_portfolio({"content/projects/a.md": project(), "templates/page.html": "x"})
    os.symlink(elsewhere / "templates/base.html", root / "templates/base.html")
    run = cli("build", str(root))
    assert run.code == 1
    assert (
        "templates/base.html: error: is a link to a file outside the portfolio; "
        "templates and translations are read only from inside the portfolio" in run.err
    )
    assert not (root / "site").exists()
    (root / "templates/base.html").unlink()
    os.symlink(elsewhere / "templates", root / "local-theme")
    (root / "portfolio.yml").write_text("title: T\nlearner: {name: A}\ntheme: local-theme\n")
    run = cli("build", str(root))
    assert run.code == 1
    assert (
        "portfolio.yml:3: error: theme: local-theme is a link to a folder outside the portfolio; "
        "a theme must be a built-in theme (default) or a folder inside the portfolio" in run.err
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("language: ../../../../elsewhere/evil", "language: expected a language tag like en, es or pt-BR, got '../../../../elsewhere/evil'"),
        ("language: en/../../x", "language: expected a language tag"),
        ("theme: ../elsewhere", "theme: expected a built-in theme (default) or a folder inside the portfolio, like themes/mine, got '../elsewhere'"),
        ("theme: /etc", "theme: expected a built-in theme"),
        ("theme: themes/../../x", "theme: expected a built-in theme"),
    ],
)  # fmt: skip
def test_language_and_theme_cannot_name_a_path_outside(cli, make_portfolio, line, message):
    root = make_portfolio(config=f"title: T\nlearner: {{name: A}}\n{line}\n")
    run = cli("build", str(root))
    assert run.code == 1
    assert f"portfolio.yml:3: error: {message}" in run.err


def test_language_tags_still_work(cli, make_portfolio):
    root = make_portfolio(config="title: T\nlearner: {name: A}\nlanguage: pt-BR\n")
    assert cli("build", str(root), "--quiet").code == 0
    assert html(root / "site/index.html").html["lang"] == "pt-BR"


def test_private_files_and_leftovers_are_never_published(cli, make_portfolio, monkeypatch):
    monkeypatch.delenv("PORTFOLIO_RECIPIENT", raising=False)
    leftovers = ["notes.txt~", ".#notes.txt", "#notes.txt#", "notes.txt.swp", ".DS_Store",
                 "Thumbs.db", "desktop.ini", ".secret", "portfolio.local.yml"]  # fmt: skip
    root = make_portfolio(
        {
            "content/projects/x/index.md": project(body="[notes](notes.txt)\n"),
            "content/projects/x/notes.txt": "notes",
            "portfolio.local.yml": "recipients: [kid.secret@example.org]\n",
            **{f"content/projects/x/{name}": "leftover kid.secret" for name in leftovers},
        }
    )
    (root / ".portfolio-cache").mkdir()
    (root / ".portfolio-cache/x.txt").write_text("kid.secret")
    for name, target in {
        "local.txt": "portfolio.local.yml",
        "cache": ".portfolio-cache",
        "cached.txt": ".portfolio-cache/x.txt",
    }.items():
        os.symlink(root / target, root / "content/projects/x" / name)
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert (
        "content/projects/x/local.txt: warning: is a link to portfolio.local.yml, which is never "
        "published; not published" in run.err
    )
    assert "content/projects/x/cache: warning: is a link to .portfolio-cache" in run.err
    assert not any(name in run.err for name in leftovers[:-1])  # skipped silently
    site = published(root / "site")
    assert sorted(n for n in site if n.startswith("projects/x/")) == [
        "projects/x/index.html",
        "projects/x/notes.txt",
    ]
    assert all(b"kid.secret" not in data for data in site.values())
    # a second build on the cache does not bring them back
    os.symlink(root / "site", root / "content/projects/x/out")
    run = cli("build", str(root))
    assert "content/projects/x/out: warning: is a link to site" in run.err
    assert sorted(n for n in published(root / "site") if n.startswith("projects/x/")) == [
        "projects/x/index.html",
        "projects/x/notes.txt",
    ]


def test_a_symlink_loop_is_a_message(cli, make_portfolio):
    root = make_portfolio({"content/projects/x/index.md": project(), "standards/a.yml": "x: 1\n"})
    os.symlink("..", root / "content/projects/x/up")
    os.symlink("loop", root / "standards/loop")
    (root / "content/projects/x/deep").mkdir()
    os.symlink("../../x", root / "content/projects/x/deep/again")
    run = cli("build", str(root))
    assert "internal error" not in run.err
    assert f"content/projects/x/up: warning: {LOOP}" in run.err
    assert f"content/projects/x/deep/again: warning: {LOOP}" in run.err
    assert f"standards/loop: warning: {LOOP}" in run.err
    assert LOOP == "is a link in a loop (it leads back to itself or to a folder above it); not read"


def test_links_inside_the_portfolio_keep_working(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/x/index.md": project(body="[data](shared/data.csv)\n"),
            "assets/data.csv": "a,b\n",
            "assets/style.css": "body{}",
        }
    )
    os.symlink(root / "assets", root / "content/projects/x/shared")
    os.symlink(root / "assets", root / "static")
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert (root / "site/projects/x/shared/data.csv").read_text() == "a,b\n"
    assert (root / "site/static/style.css").read_text() == "body{}"


# ---------------------------------------------------------------- names and web pages

HOSTILE_NAMES = ["javascript:alert(2).png", "ça va.png", 'x"onmouseover=alert(1).png',
                 "%2e%2e.png", "?x#y.png"]  # fmt: skip
HOSTILE_DOWNLOADS = ["a b.pdf", "javascript:alert(3).pdf", "ça va.txt"]


def hostile_names(make_portfolio) -> Path:
    from test_safety import hostile_badge

    files: dict[str, str | bytes] = {"content/projects/x/index.md": project("X")}
    for i, name in enumerate(HOSTILE_NAMES):
        files[f"content/projects/x/{name}"] = png(["red", "blue", "green", "gray", "white"][i])
    for name in HOSTILE_DOWNLOADS:
        files[f"content/projects/x/{name}"] = f"file {name}"
    files["badges/javascript:alert(4).png"] = hostile_badge()
    return make_portfolio(files)


def check_link(site: Path, page: str, value: str) -> Path:
    """A link in a page is relative, has no scheme, query or fragment, and names a written file."""
    parts = urlsplit(value)
    assert not parts.scheme and not parts.netloc and not parts.query and not parts.fragment, value
    assert value.isascii() and '"' not in value and " " not in value, value
    target = site / unquote(urljoin(page, parts.path))
    assert target.is_file(), (value, target)
    return target


def test_file_names_become_encoded_relative_links(cli, make_portfolio):
    root = hostile_names(make_portfolio)
    run = cli("build", str(root))
    assert run.code == 0, run.err
    site = root / "site"
    soup = html(site / "projects/x/index.html")
    linked = set()
    for tag in soup.select(".media a[href], .media img[src], .media source[srcset]"):
        for value in [tag.get("href"), tag.get("src"), *(tag.get("srcset") or "").split(",")]:
            if value and value.strip():
                linked.add(check_link(site, "projects/x/", value.strip().split(" ")[0]).name)
    assert set(HOSTILE_NAMES) | set(HOSTILE_DOWNLOADS) <= linked
    downloads = {a["download"]: a["href"] for a in soup.select(".downloads a")}
    assert downloads["javascript:alert(3).pdf"] == "javascript%3Aalert%283%29.pdf"
    assert downloads["a b.pdf"] == "a%20b.pdf"
    badge = html(next(site.glob("badges/*/index.html")))
    [download] = badge.select(".download a")
    page = next(site.glob("badges/*/index.html")).parent.relative_to(site).as_posix() + "/"
    assert check_link(site, page, download["href"]).name == "javascript:alert(4).png"


def test_no_dialog_from_file_names_in_a_browser(cli, make_portfolio, page):
    root = hostile_names(make_portfolio)
    assert cli("build", str(root), "--quiet").code == 0
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    site = root / "site"
    badge = next(site.glob("badges/*/index.html")).parent.relative_to(site).as_posix() + "/"
    missed: list[str] = []
    with serve_folder(site) as base:
        for url in ("projects/x/", badge):
            page.goto(base + url)
            page.wait_for_load_state("load")
            for link in page.locator(".media a, .download a").all():
                link.hover(timeout=1000)
                if link.get_attribute("download") is None:
                    link.click(timeout=1000)
                    page.goto(base + url)
                    continue
                try:
                    with page.expect_download(timeout=5000):
                        link.click(timeout=1000)
                except PlaywrightTimeout:
                    missed.append(link.get_attribute("href") or "")
    assert dialogs == []
    assert missed == []  # every download link downloads its file


def test_web_pages_in_a_bundle_are_offered_as_text(cli, make_portfolio, page):
    script = "<script>alert(document.domain)</script>"
    root = make_portfolio(
        {
            "content/projects/x/index.md": project(body="[my page](demo.html)\n"),
            "content/projects/x/demo.html": f"<h1>Demo</h1>{script}",
            "content/projects/x/feed.xml": f'<html xmlns="http://www.w3.org/1999/xhtml">{script}</html>',
            "content/projects/x/old.XHTML": script,
            "content/projects/x/page.shtml": script,
            "content/projects/x/archive.mht": script,
        }
    )
    run = cli("build", str(root))
    assert run.code == 0, run.err
    site = root / "site"
    names = sorted(p.name for p in (site / "projects/x").iterdir())
    assert names == ["archive.mht.txt", "demo.html.txt", "feed.xml.txt", "index.html",
                     "old.XHTML.txt", "page.shtml.txt"]  # fmt: skip
    soup = html(site / "projects/x/index.html")
    assert soup.select_one(".prose a")["href"] == "demo.html.txt"
    downloads = {a["download"]: a["href"] for a in soup.select(".downloads a")}
    assert downloads == {
        n.removesuffix(".txt"): n for n in names if n != "index.html" and n != "demo.html.txt"
    }
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_folder(site) as base:
        for name in names:
            page.goto(base + "projects/x/" + name)
            page.wait_for_load_state("load")
    assert dialogs == []


def test_publish_html_opts_in_to_web_pages_as_pages(cli, make_portfolio):
    """For a portfolio whose builder wrote it (docs/security.md): its bundles' web
    pages are published under their own names, and links in the text, the cover
    and the downloads list agree with the files written."""
    config = "title: T\nlearner: {name: A}\npublish_html: true\n"
    root = make_portfolio(
        {
            "content/projects/x/index.md": project(body="[my game](game/index.html)\n"),
            "content/projects/x/game/index.html": "<h1>Play</h1>",
            "content/projects/x/notes.xml": "<notes/>",
        },
        config=config,
    )
    run = cli("build", str(root))
    assert run.code == 0, run.err
    site = root / "site/projects/x"
    assert (site / "game/index.html").read_text() == "<h1>Play</h1>"
    assert (site / "notes.xml").is_file() and not list(site.rglob("*.txt"))
    soup = html(site / "index.html")
    assert soup.select_one(".prose a")["href"] == "game/index.html"
    assert {a["href"] for a in soup.select(".downloads a")} == {"notes.xml"}
    (root / "portfolio.yml").write_text(config.replace("true", "yes please"))
    run = cli("check", str(root))
    assert "portfolio.yml:3: error: publish_html: expected true or false, got text" in run.err


def test_web_pages_in_static_are_not_published(cli, make_portfolio):
    root = make_portfolio({"static/evil.html": "<script>alert(1)</script>", "static/x.css": "a{}"})
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert (
        "static/evil.html: warning: is a web page, which would run on the site's own address; "
        "static/ is published as it is, so not published" in run.err
    )
    assert not list((root / "site").rglob("evil*"))
    assert (root / "site/static/x.css").is_file()


def test_theme_translations_linking_out_stop_the_build(cli, make_portfolio, elsewhere):
    root = make_portfolio(
        {"themes/mine/templates/x.html": "x"},
        config="title: T\nlearner: {name: A}\ntheme: mine\nlanguage: es\n",
    )
    (root / "themes/mine/i18n").mkdir()
    os.symlink(elsewhere / "evil.yml", root / "themes/mine/i18n/es.yml")
    run = cli("build", str(root))
    assert run.code == 1
    assert (
        "themes/mine/i18n/es.yml: error: is a link to a file outside the portfolio; "
        "templates and translations are read only from inside the portfolio" in run.err
    )
    assert not (root / "site").exists()


def test_read_at_most_never_reads_past_its_limit(tmp_path):
    from portfolio_gen.paths import read_at_most

    ten = tmp_path / "ten"
    ten.write_bytes(b"x" * 10)
    assert read_at_most(ten, 10) == b"x" * 10
    assert read_at_most(ten, 9) is None  # one byte over: refused
    (tmp_path / "empty").write_bytes(b"")
    assert read_at_most(tmp_path / "empty", 0) == b""
    with pytest.raises(OSError):
        read_at_most(tmp_path / "missing", 10)
