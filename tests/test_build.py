"""End-to-end builds of fixture portfolios and of the demo portfolio."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from support.helpers import html, project, site_json, tree_bytes

from portfolio_gen.cache import RecordCache

REPO = Path(__file__).resolve().parent.parent


def test_demo_portfolio_builds_every_page(cli, tmp_path):
    out = tmp_path / "site"
    run = cli("build", str(REPO), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    sources = sorted(REPO.glob("content/projects/*.md")) + sorted(
        REPO.glob("content/projects/*/index.md")
    )
    assert len(sources) >= 4
    data = site_json(out)
    assert len(data["projects"]) == len(sources)
    for entry in data["projects"]:
        page = html(out / entry["url"] / "index.html")
        assert page.find("h1").text.strip() == entry["title"]
    for name in ("index.html", "projects/index.html", "about/index.html", "badges/index.html",
                 "standards/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml"):  # fmt: skip
        assert (out / name).is_file(), name


def test_build_twice_is_byte_identical_and_links_are_relative(cli, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert cli("build", str(REPO), "-o", str(first), "--quiet").code == 0
    assert cli("build", str(REPO), "-o", str(second), "--quiet").code == 0
    assert tree_bytes(first) == tree_bytes(second)
    for page in first.rglob("*.html"):
        for tag in html(page).find_all(True):
            for attr in ("href", "src", "srcset", "action", "poster"):
                value = tag.get(attr)
                if value:
                    assert not value.startswith("/"), f"{page}: {attr}={value}"


def test_internal_links_all_land_on_files(cli, tmp_path):
    out = tmp_path / "site"
    assert cli("build", str(REPO), "-o", str(out), "--quiet").code == 0
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue  # uses <base href> so that it works at any depth
        for tag in html(page).find_all(["a", "img", "link", "script"]):
            value = tag.get("href") or tag.get("src")
            if not value or re.match(r"^[a-z]+:|^#", value):
                continue
            target = (page.parent / value.split("#")[0].split("?")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(out)} links to missing {value}"


def test_portfolio_json_has_the_contract_shape(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/b.md": project(
                "B", "2026-02-01", interests="[robotics]", setting="home"
            ),
            "content/projects/a/index.md": project("A", "2026-03-01", standards="[MS-ETS1-4]"),
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    data = site_json(root / "site")
    # contracts.md's keys first, in order; schema 1 grows only by the additions
    # documented in docs/portfolio-json.md.
    assert list(data)[:7] == [
        "schema",
        "generator",
        "title",
        "learner",
        "projects",
        "badges",
        "standards",
    ]
    assert set(data) - {"schema", "generator", "title", "learner", "projects", "badges",
                        "standards"} <= {"base_url", "interests", "network"}  # fmt: skip
    assert data["schema"] == "portfolio-gen/1"
    assert re.fullmatch(r"portfolio-gen \d+\.\d+\.\d+", data["generator"])
    assert data["learner"] == {"name": "Ana B.", "bio": "I make things."}
    assert [p["slug"] for p in data["projects"]] == ["a", "b"]  # newest first
    first = data["projects"][0]
    assert set(first) - {"collaborators", "feedback"} == {
        "slug",
        "title",
        "url",
        "date",
        "summary",
        "interests",
        "setting",
        "standards",
        "badges",
    }
    assert first["url"] == "projects/a/" and first["date"] == "2026-03-01"
    assert first["standards"] == ["MS-ETS1-4"]
    assert data["projects"][1]["setting"] == "home"
    assert data["badges"] == []
    assert data["standards"][0]["code"] == "MS-ETS1-4"
    assert data["standards"][0]["evidence"] == [{"type": "project", "slug": "a"}]


def test_pages_project_filters_and_interests(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project(
                "Arm", "2026-03-01", interests="[robotics, engineering]", setting="out-of-school",
                program="Hive", mentors="[Ms. R]", collaborators="[{name: Jay, url: 'https://jay.example.org'}]",
            ),
            "content/projects/poem.md": project("Poem", "2026-01-01", interests="[poetry]", setting="home"),
            "content/about.md": "---\ntitle: Hello\n---\nI am **Ana**.\n",
        }
    )  # fmt: skip
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    listing = html(site / "projects/index.html")
    cards = listing.select(".project-list .card")
    assert [c.find("h3").text.strip() for c in cards] == ["Arm", "Poem"]
    assert (
        cards[0]["data-setting"] == "out-of-school"
        and "engineering" in cards[0]["data-interests"].split()
    )
    assert [o["value"] for o in listing.select("#filter-setting option")] == [
        "",
        "home",
        "out-of-school",
    ]
    assert (
        '#filter-interest option[value="poetry"]:checked' in listing.find("style").text
    )  # works without JS
    page = html(site / "projects/arm/index.html")
    facts = page.select_one("dl.facts").text
    assert "Hive" in facts and "Ms. R" in facts
    assert page.find("a", string="Jay")["href"] == "https://jay.example.org"
    interest = html(site / "interests/engineering/index.html")
    assert [h.text.strip() for h in interest.select(".card h3")] == ["Arm"]
    assert "Ana" in html(site / "about/index.html").select_one(".prose").text


def test_feed_sitemap_robots_use_the_base_url(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project("A & B", "2026-03-01")})
    assert cli("build", str(root), "--quiet", "--base-url", "https://x.example.org/sub").code == 0
    site = root / "site"
    sitemap = (site / "sitemap.xml").read_text()
    assert (
        "<loc>https://x.example.org/sub/projects/a/</loc><lastmod>2026-03-01</lastmod>" in sitemap
    )
    feed = (site / "feed.xml").read_text()
    assert (
        "<title>A &amp; B</title>" in feed
        and "<id>https://x.example.org/sub/projects/a/</id>" in feed
    )
    assert "Sitemap: https://x.example.org/sub/sitemap.xml" in (site / "robots.txt").read_text()
    home = html(site / "index.html")
    assert home.find("link", rel="canonical")["href"] == "https://x.example.org/sub/"
    assert html(site / "404.html").find("base")["href"] == "https://x.example.org/sub/"


def test_noindex_marks_every_page_and_robots_allows_crawling(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project()},
        config="title: T\nbase_url: https://e.example.org/\nprivacy: {noindex: true}\n",
    )
    assert cli("build", str(root), "--quiet").code == 0
    for page in (root / "site").rglob("*.html"):
        assert html(page).find("meta", attrs={"name": "robots"})["content"].startswith("noindex"), (
            page
        )
    robots = (root / "site/robots.txt").read_text()
    assert "Disallow" not in robots and "Sitemap" not in robots


def test_drafts_only_with_flag(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/d.md": project("D", draft="true"), "content/projects/p.md": project("P")}
    )
    assert cli("build", str(root), "--quiet").code == 0
    assert not (root / "site/projects/d").exists()
    assert cli("build", str(root), "--quiet", "--drafts").code == 0
    assert html(root / "site/projects/d/index.html").select_one(".draft-banner") is not None


def test_local_templates_and_static_override_the_theme(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project(),
            "templates/404.html": '{% extends "base.html" %}{% block content %}<p id="mine">Lost!</p>{% endblock %}',
            "static/style.css": "body { color: red; }",
            "static/extra.txt": "hello",
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    assert html(site / "404.html").find(id="mine").text == "Lost!"
    assert (site / "static/style.css").read_text() == "body { color: red; }"
    assert (site / "static/extra.txt").read_text() == "hello"
    assert not (site / "static/pygments.css").exists()  # the built-in theme: assets/ only
    assert len(list((site / "assets").glob("pygments.*.css"))) == 1


def test_bundle_media_is_published_and_listed(cli, make_portfolio):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buf, "PNG")
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![Red](shown.png)\n"),
            "content/projects/a/shown.png": buf.getvalue(),
            "content/projects/a/extra.png": buf.getvalue(),
            "content/projects/a/zine.pdf": b"%PDF-1.4 fake",
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    for name in ("shown.png", "extra.png", "zine.pdf"):
        assert (site / "projects/a" / name).is_file()
    page = html(site / "projects/a/index.html")
    assert [img["src"] for img in page.select(".gallery img")] == ["extra.png"]
    download = page.select_one(".downloads a")
    assert (
        download["href"] == "zine.pdf" and "application/pdf" in page.select_one(".downloads").text
    )


def test_build_json_is_valid_for_empty_portfolio(cli, make_portfolio):
    root = make_portfolio({})
    assert cli("build", str(root), "--quiet").code == 0
    data = json.loads((root / "site/portfolio.json").read_text())
    assert data["projects"] == [] and data["badges"] == [] and data["standards"] == []


def test_previous_site_survives_and_stale_files_go(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project("A"), "content/projects/b.md": project("B")}
    )
    assert cli("build", str(root), "--quiet").code == 0
    (root / "content/projects/b.md").unlink()
    assert cli("build", str(root), "--quiet").code == 0
    assert not (root / "site/projects/b").exists()  # a fresh folder each build: nothing stale
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".site")]
    assert leftovers == []
    shutil.rmtree(root / "site")


def test_warm_build_reuses_unchanged_pages(cli, make_portfolio):
    root = make_portfolio(
        {f"content/projects/p{i}.md": project(f"P{i}", f"2026-01-0{i + 1}") for i in range(4)}
    )
    first = cli("build", str(root))
    pages, rendered = map(int, re.search(r"built (\d+) pages \((\d+) rendered", first.out).groups())
    assert first.code == 0 and pages == rendered > 4  # the fixed pages and 4 projects, all new
    site = root / "site"
    inode = (site / "projects/p1/index.html").stat().st_ino
    second = cli("build", str(root))
    assert "(0 rendered," in second.out
    assert (
        site / "projects/p1/index.html"
    ).stat().st_ino == inode  # unchanged files are not rewritten
    # An edit to one project's text re-renders that project's page only.
    path = root / "content/projects/p2.md"
    path.write_text(
        path.read_text() + "\n\nMore text.\n"
    )  # not the first paragraph: the summary stays
    third = cli("build", str(root))
    assert "(1 rendered," in third.out
    assert "More text." in html(site / "projects/p2/index.html").text
    # A new title shows in the lists, the neighbours' pagers and the feed.
    path.write_text(path.read_text().replace("title: P2", "title: Renamed"))
    assert cli("build", str(root)).code == 0
    assert "Renamed" in html(site / "projects/index.html").text
    assert "Renamed" in html(site / "projects/p1/index.html").select_one(".pager").text
    assert "Renamed" in (site / "feed.xml").read_text()


def test_corrupt_cache_is_ignored(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project("A")})
    assert cli("build", str(root), "--quiet").code == 0
    (root / ".portfolio-cache/records.pickle").write_bytes(b"not a pickle")
    run = cli("build", str(root))
    assert run.code == 0 and run.err == ""


def test_an_edit_appends_one_record_to_the_journal(cli, make_portfolio):
    files = {f"content/projects/p{i}.md": project(f"P{i}", body="x " * 400) for i in range(20)}
    root = make_portfolio(files)
    cache = root / ".portfolio-cache"
    assert cli("build", str(root), "--quiet").code == 0
    records = (cache / "records.pickle").read_bytes()
    edited = root / "content/projects/p3.md"
    edited.write_text(edited.read_text() + "\nA new last line.\n")
    assert cli("build", str(root), "--quiet").code == 0
    assert (cache / "records.pickle").read_bytes() == records  # not written again
    journal = (cache / "records.journal").stat().st_size
    assert 0 < journal < len(records) / 10
    (root / "content/projects/p4.md").unlink()
    assert cli("build", str(root)).out.startswith("built ")
    assert cli("build", str(root)).out.find("(0 rendered") > 0  # the journal replays
    assert "A new last line." in html(root / "site/projects/p3/index.html").text
    assert not (root / "site/projects/p4").exists()


def test_a_journal_cut_short_is_ignored(cli, make_portfolio):
    files = {f"content/projects/p{i}.md": project(f"P{i}", body="x " * 400) for i in range(20)}
    root = make_portfolio(files)
    assert cli("build", str(root), "--quiet").code == 0
    edited = root / "content/projects/p3.md"
    edited.write_text(edited.read_text() + "\nA new last line.\n")
    assert cli("build", str(root), "--quiet").code == 0
    journal = root / ".portfolio-cache/records.journal"
    journal.write_bytes(journal.read_bytes()[:-20])  # a build killed while appending
    run = cli("build", str(root))
    assert run.code == 0 and run.err == "" and "(1 rendered" not in run.out
    assert "A new last line." in html(root / "site/projects/p3/index.html").text
    assert not journal.exists()  # the damaged journal made the next save a full one


def test_the_journal_is_folded_in_when_it_grows(cli, make_portfolio):
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(4)})
    cache = root / ".portfolio-cache"
    assert cli("build", str(root), "--quiet").code == 0
    sizes = []
    for n in range(4):
        edited = root / f"content/projects/p{n}.md"
        edited.write_text(edited.read_text() + "\nMore.\n")
        assert cli("build", str(root), "--quiet").code == 0
        journal = cache / "records.journal"
        sizes.append(journal.stat().st_size if journal.exists() else 0)
    assert 0 in sizes[1:]  # folded into records.pickle once it passed a quarter of it
    assert "More." in html(root / "site/projects/p3/index.html").text


def test_a_picture_outside_a_single_file_project_invalidates_its_record(cli, make_portfolio):
    from PIL import Image

    root = make_portfolio({"content/projects/a.md": project(body="![A red square](red.png)\n")})
    Image.new("RGB", (40, 20), "red").save(root / "content/projects/red.png")
    assert cli("build", str(root), "--quiet").code == 0
    first = html(root / "site/projects/a/index.html").find("img")
    Image.new("RGB", (80, 60), "red").save(root / "content/projects/red.png")  # same name, new size
    assert cli("build", str(root), "--quiet").code == 0
    second = html(root / "site/projects/a/index.html").find("img")
    assert (first["width"], first["height"]) == ("40", "20")
    assert (second["width"], second["height"]) == ("80", "60")


def test_theme_assets_are_fingerprinted(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project(), "static/style.css": "body { color: red; }"}
    )
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    link = html(site / "projects/a/index.html").find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"\.\./\.\./assets/style\.[0-9a-f]{10}\.css", link)
    assert (site / "projects/a" / link).resolve().read_text() == "body { color: red; }"
    assert (site / "static/style.css").is_file()  # the plain name stays, for url() references
    (root / "static/style.css").write_text("body { color: blue; }")
    assert cli("build", str(root), "--quiet").code == 0
    assert html(site / "projects/a/index.html").find("link", rel="stylesheet")["href"] != link
    assert not (site / "projects/a" / link).resolve().exists()  # the old name is gone
    netlify = (
        Path(__file__).resolve().parent.parent / "portfolio_gen/scaffold/portfolio/netlify.toml"
    ).read_text()
    assert 'for = "/assets/*"' in netlify and "immutable" in netlify


def test_the_cache_key_is_the_same_in_every_process():
    """A key that differs between processes (set order under hash randomisation) makes
    every warm build cold."""
    import subprocess
    import sys

    code = (
        "from pathlib import Path; from portfolio_gen.cache import RecordCache; "
        "from portfolio_gen.content.projects import ReadSettings; "
        "print(RecordCache.key_for(ReadSettings(Path('/p'), ('a', 'b'))))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(keys) == 1


def test_the_cache_key_follows_the_installed_renderers(monkeypatch):
    """Records made by another cmark-gfm, Pygments or nh3 are read again."""
    from portfolio_gen import cache
    from portfolio_gen.content.projects import ReadSettings

    settings = ReadSettings(Path("/p"), ("beginning",))
    before = cache.RecordCache.key_for(settings)
    stamp = cache._renderers()
    assert all(name in stamp for name in ("cmarkgfm:", "pygments:", "nh3:"))
    monkeypatch.setattr(cache, "_renderers", lambda: stamp.replace("cmarkgfm:", "cmarkgfm:new"))
    assert cache.RecordCache.key_for(settings) != before


def test_a_card_digest_follows_what_the_card_shows():
    import dataclasses
    import datetime
    import pickle

    from portfolio_gen.content.projects import Body, Project, StandardRef

    base = Project("a", "content/projects/a.md", "projects/a.md", "A", datetime.date(2026, 1, 2),
                   "Sum.", Body("<p>Text.</p>"))  # fmt: skip
    assert dataclasses.replace(base, body=Body("<p>Other text.</p>")).card == base.card
    changes = [
        {"title": "B"}, {"date": datetime.date(2026, 1, 3)}, {"summary": "Other."},
        {"interests": ("robots",)}, {"setting": "home"}, {"featured": True}, {"draft": True},
        {"standards": (StandardRef("7.RP.A.2"),)},
    ]  # fmt: skip
    cards = {dataclasses.replace(base, **change).card for change in changes}
    assert len(cards) == len(changes) and base.card not in cards
    assert pickle.loads(pickle.dumps(base)).card == base.card  # kept in the record cache


def _records(root: Path) -> RecordCache:
    """The record cache as a build loads it."""
    from portfolio_gen.build import Options, load

    _, loaded = load(root, Options(out=root / "site"))
    return loaded.cache


def test_large_fields_stay_on_disk_until_used(cli, make_portfolio):
    import io
    import os
    import pickle

    from portfolio_gen.cache import Deferred, _Unpickler
    from portfolio_gen.content.projects import Body, Project

    body = "Some *text*.\n\n```python\nprint('hi')\n```\n"
    root = make_portfolio(
        {f"content/projects/p{i}.md": project(f"P{i}", body=body) for i in range(3)}
    )
    assert cli("build", str(root), "--quiet").code == 0
    cache = _records(root)
    record = cache.entries["content/projects/p1.md"][2]
    assert type(record) is Project and type(record.body) is Deferred
    assert record.body._value is None  # not read yet
    assert record.title == "P1"  # the rest is there
    assert "<em>text</em>" in record.body_html and "print" in "".join(record.code_html.values())
    assert type(record.body._value) is Body  # read once, kept

    other = cache.entries["content/projects/p2.md"][2]
    whole = pickle.loads(pickle.dumps(other))  # a copy: always whole
    assert type(whole.body) is Body and whole == other and whole.body_html == other.body_html
    cache.put("content/projects/p2.md", "sig", "hash", other, [])
    cache.save()  # into the journal: whole, and loaded without calling anything

    class Uncallable(Body):
        def __init__(self, *args):
            raise AssertionError("unpickling called a record class")

    class Strict(_Unpickler):
        def find_class(self, module, name):
            found = super().find_class(module, name)
            return Uncallable if found is Body else found

    batch = Strict(io.BytesIO(cache.journal.read_bytes()[8 + 32 :])).load()
    again = batch[1]["content/projects/p2.md"][2]
    assert isinstance(again.body, Body) and again.body_html == other.body_html

    fresh = cache.entries["content/projects/p0.md"][2]
    pid = os.fork()  # as a render worker reads them: from the file it inherited
    if pid == 0:
        os._exit(0 if "<em>text</em>" in fresh.body_html else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert fresh.body._value is None  # the worker's read was its own


def test_a_new_records_file_keeps_every_large_field(cli, make_portfolio):
    root = make_portfolio(
        {f"content/projects/p{i}.md": project(f"P{i}", body=f"Text {i}.") for i in range(3)}
    )
    assert cli("build", str(root), "--quiet").code == 0
    cache = _records(root)
    cache.compact = cache.dirty = True  # as when the journal is folded in
    cache.save()
    again = _records(root)
    for i in range(3):
        assert f"Text {i}." in again.entries[f"content/projects/p{i}.md"][2].body_html


def test_pages_rendered_by_workers_read_large_fields_from_the_cache(cli, make_portfolio):
    """A change every page depends on re-renders them all, in forked workers,
    from records whose bodies are still on disk."""
    from portfolio_gen.site.parallel import RENDER_PARALLEL_THRESHOLD

    files = {f"content/projects/p{i}.md": project(f"P{i}", body=f"Body of project {i}.")
             for i in range(RENDER_PARALLEL_THRESHOLD)}  # fmt: skip
    root = make_portfolio(files)
    assert cli("build", str(root), "--quiet", "--jobs", "2").code == 0
    config = root / "portfolio.yml"
    config.write_text(config.read_text().replace("title:", "title: New", 1))
    run = cli("build", str(root), "--jobs", "2")
    assert run.code == 0 and f"({RENDER_PARALLEL_THRESHOLD + 7}" in run.out.replace(" rendered", "")
    assert "Body of project 17." in html(root / "site/projects/p17/index.html").text
    assert "Body of project 170." in html(root / "site/projects/p170/index.html").text
    # The site-wide files are made by this process while the workers render.
    summary = site_json(root / "site")
    assert summary["title"].startswith("New") and len(summary["projects"]) == len(files)
    feed = (root / "site/feed.xml").read_text(encoding="utf-8")
    assert "<title>New" in feed and "Body of project" in feed


def test_list_pages_go_to_workers_first_one_to_a_chunk():
    from portfolio_gen.site.pages import LISTS, Page
    from portfolio_gen.site.parallel import _chunks

    pages = [Page(f"p{i}/", "project.html", "P", kind="project") for i in range(40)]
    pages[3:3] = [Page("projects/", "projects.html", "Projects", deps=LISTS)]
    pages.append(Page("interests/x/", "interest.html", "X", deps=frozenset({"cards"})))
    chunks = _chunks(pages, size=16)
    assert chunks[:2] == [[3], [41]]
    assert [len(c) for c in chunks[2:]] == [16, 16, 8]
    assert sorted(i for c in chunks for i in c) == list(range(len(pages)))


def test_a_template_error_in_a_render_worker_is_reported(cli, make_portfolio):
    from portfolio_gen.site.parallel import RENDER_PARALLEL_THRESHOLD

    files: dict[str, str | bytes] = {
        f"content/projects/p{i}.md": project(f"P{i}") for i in range(RENDER_PARALLEL_THRESHOLD)
    }
    files["templates/projects.html"] = (
        '{% extends "base.html" %}\n{% block content %}\n{{ nope() }}\n{% endblock %}\n'
    )
    root = make_portfolio(files)
    run = cli("build", str(root), "--jobs", "2")
    assert run.code == 1 and not (root / "site").exists()
    assert run.lines[0] == "templates/projects.html:3: error: template error: 'nope' is undefined"
    assert run.lines[1:] == ["build failed: 1 error; the previous site is unchanged"]


def test_a_records_file_cut_short_is_rebuilt(cli, make_portfolio):
    root = make_portfolio(
        {f"content/projects/p{i}.md": project(f"P{i}", body="x " * 300) for i in range(5)}
    )
    assert cli("build", str(root), "--quiet").code == 0
    records = root / ".portfolio-cache/records.pickle"
    for size in (len(records.read_bytes()) // 2, 5):
        records.write_bytes(records.read_bytes()[:size])
        run = cli("build", str(root))
        assert run.code == 0 and run.err == ""
        assert "x x x" in html(root / "site/projects/p3/index.html").text


def test_sources_hashed_by_workers_match_the_cache(cli, make_portfolio):
    """A cold build hashes new sources where it reads them (in workers), as the
    cache hashes a source it has an entry for."""
    from portfolio_gen.build import PARALLEL_THRESHOLD
    from portfolio_gen.cache import source_hash

    files = {f"content/projects/p{i}.md": project(f"P{i}") for i in range(PARALLEL_THRESHOLD)}
    root = make_portfolio(files)
    assert cli("build", str(root), "--quiet", "--jobs", "2").code == 0
    entries = _records(root).entries
    assert len(entries) == PARALLEL_THRESHOLD
    for key, (sig, hash_, *_) in entries.items():
        assert hash_ == source_hash(root / key, sig)
    assert "(0 rendered" in cli("build", str(root)).out


def test_every_broken_link_is_reported_at_its_line(cli, make_portfolio):
    body = (
        "Links:\n\n[draft](d.md), [gone](gone.md), [file](zzz.pdf),\n"
        "[me](../about.md) and [badge](../../badges/none.png).\n"
    )
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", body=body),
            "content/projects/d.md": project("D", draft="true"),
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    where = "content/projects/a.md:{}: error: link"
    assert run.lines[:5] == [
        f"{where.format(7)} d.md points at a draft, which is not published",
        f"{where.format(7)} gone.md: no project 'gone' in content/projects/",
        f"{where.format(7)} zzz.pdf: no file content/projects/zzz.pdf (did you mean 'projects/a.md'?)",
        f"{where.format(8)} ../../badges/none.png: no such badge in badges/",
        f"{where.format(8)} ../about.md: there is no content/about.md",
    ]


def test_a_digest_of_text_is_the_digest_of_its_bytes():
    """Text parts take a quicker path; the digest is the same as for their bytes."""
    import hashlib

    from portfolio_gen.cache import digest

    for parts in [(), ("",), ("a", "b"), ("é\u2019", "", "x=1"), ("a\0b",)]:
        as_bytes = tuple(p.encode("utf-8") for p in parts)
        assert digest(*parts) == digest(*as_bytes)
        data = b"".join(p + b"\0" for p in as_bytes)
        assert digest(*parts) == hashlib.sha1(data).hexdigest()
    from markupsafe import Markup  # text of a subclass, and text among bytes

    assert digest(Markup("<b>"), "x") == digest(b"<b>", b"x") == digest("<b>", b"x")


def test_file_names_that_are_not_utf8_are_messages(cli, make_portfolio):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, "PNG")
    root = make_portfolio(
        {
            "content/projects/cafe/index.md": project("Cafe"),
            "content/projects/ok.md": project("Ok"),
        }
    )
    for name in (b"content/projects/caf\xe9.md", b"content/projects/cafe/caf\xe9.png",
                 b"badges/caf\xe9.png"):  # fmt: skip
        path = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(project("Latin-1").encode() if name.endswith(b".md") else picture.getvalue())
    run = cli("build", str(root))
    assert run.code == 1 and "Traceback" not in run.err and "internal error" not in run.err
    fix = (
        "error: the file name is not UTF-8 text, so it cannot be published; rename it "
        "(for example with 'convmv -f latin1 -t utf8')"
    )
    for shown in ("badges/caf\\xe9.png", "content/projects/caf\\xe9.md",
                  "content/projects/cafe/caf\\xe9.png"):  # fmt: skip
        assert f"{shown}: {fix}" in run.lines, run.err
    assert run.lines[-1] == "build failed: 3 errors; the previous site is unchanged", run.err


def test_the_changed_tokens_are_those_whose_hash_moved():
    """KeptKeys.start finds the changed tokens from the ones kept the same (none in a
    build of its own): every token new, changed or gone, as comparing each gives."""
    import itertools

    from portfolio_gen.build import KeptKeys

    values = [{}, {"a": "1"}, {"a": "2"}, {"b": "1"}, {"a": "1", "b": "1"}, {"a": "1", "c": "3"}]
    for old, new in itertools.product(values, repeat=2):
        kept = KeptKeys()
        kept.start(dict(old))
        kept.start(dict(new))
        long_way = {t for t, h in new.items() if old.get(t) != h} | (old.keys() - new)
        assert kept.changed == long_way, (old, new)
