"""Page addresses (slugs): one function for every page, readable in every script,
distinct for different names, short, and links that reach the files."""

from __future__ import annotations

import io
import shutil
import unicodedata
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from support.helpers import html, project, site_json

from portfolio_gen import contract, validate
from portfolio_gen.badges import model as badge_model
from portfolio_gen.content.links import resolve_target
from portfolio_gen.site import graph
from portfolio_gen.urls import relative_url
from portfolio_gen.validate import SLUG_MAX_CHARS, slugify

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("C", "c"),
        ("F#", "f-sharp"),
        (".NET", "dotnet"),
        ("A+ work", "a-plus-work"),
        ("straße", "strasse"),
        ("Ünïcödé", "unicode"),
        ("maze-créek", "maze-creek"),
        ("maze-cre\u0301ek", "maze-creek"),  # decomposed, as macOS stores file names
        ("København", "kobenhavn"),
        ("روبوتات", "روبوتات"),
        ("Робототехника", "робототехника"),
        ("机器人", "机器人"),
        ("हिन्दी कविता", "हिन्दी-कविता"),  # vowel signs stay with their letters
        ("Ρομποτική", "ρομποτική"),
        ("می\u200cخواهم", "میخواهم"),  # a zero-width non-joiner joins, it is no hyphen
        # ASCII names keep the slugs they always had
        ("Robot Arm", "robot-arm"),
        ("Maya's Robot", "maya-s-robot"),
        ("Arts + Crafts", "arts-crafts"),
        ("ASP.NET", "asp-net"),
        ("Node.js", "node-js"),
        ("#hashtag", "hashtag"),
        ("Maker Level_1 (copy)", "maker-level-1-copy"),
        ("CCSS.Math.Content.7.RP.A.2", "ccss-math-content-7-rp-a-2"),
    ],
)
def test_slug_table(name, slug):
    assert slugify(name) == slug


def test_names_with_no_letters_get_distinct_fallbacks():
    robot, rocket, empty = slugify("🤖"), slugify("🚀"), slugify("")
    assert robot.startswith("item-") and rocket.startswith("item-") and empty.startswith("item-")
    assert len({robot, rocket, empty, slugify("!!!")}) == 4
    assert slugify("🤖") == robot  # the same name, the same slug


def test_long_names_are_cut_at_a_word():
    title = "How I built a cardboard hydraulic arm that lifts a can of soup " * 5
    slug = slugify(title)
    assert len(slug) <= SLUG_MAX_CHARS and not slug.endswith("-")
    assert title.lower().replace(" ", "-").startswith(slug + "-")  # whole words only
    assert len(slugify("机器人" * 100)) <= SLUG_MAX_CHARS
    assert len(slugify("\U00020000" * 100).encode()) <= 200  # 4-byte letters: bytes count too


def test_badges_and_links_use_the_one_slug():
    assert badge_model.slugify is slugify
    target = resolve_target("projects/a.md", "../../badges/maze-cr%C3%A9ek.svg", 3)
    assert target.key == slugify("maze-créek") == "maze-creek"


def test_hrefs_are_percent_encoded_and_files_keep_their_names():
    assert relative_url("", "projects/робот/") == "projects/%D1%80%D0%BE%D0%B1%D0%BE%D1%82/"
    assert relative_url("projects/a/", "projects/a/my photo, 1.jpg") == "my%20photo%2C%201.jpg"
    assert relative_url("projects/a/", "projects/a/x:y.png") == "x%3Ay.png"  # not a scheme
    assert relative_url("projects/a/", "projects/b/") == "../b/"


ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)


def test_a_slug_of_a_latin_letter_is_its_own_slug():
    # 'ǣ' is 'æ' and a macron: its slug was 'æ', whose slug is 'ae' (found by
    # hypothesis in CI; every code point was checked by hand, these blocks here)
    assert [slugify(c) for c in "ǢǣǼǽǾǿ"] == ["ae", "ae", "ae", "ae", "o", "o"]
    for code in [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]:
        slug = slugify(chr(code))
        assert slugify(slug) == slug, hex(code)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_slugs_are_safe_path_segments(name):
    slug = slugify(name)
    assert slug and slugify(slug) == slug
    assert len(slug) <= SLUG_MAX_CHARS and len(slug.encode("utf-8")) <= 200
    assert ".." not in slug and not slug.startswith("-") and not slug.endswith("-")
    for char in slug:
        assert char not in "/\\?#%." and not char.isspace()
        assert unicodedata.category(char)[0] in "LNM" or char == "-"
    assert unicodedata.normalize("NFC", slug) == slug


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=120))
def test_the_ascii_shortcut_gives_what_the_full_rule_gives(name):
    full = validate._letters(name)
    assert slugify(name) == (validate._shorten(full) if full else slugify(name))
    assert full or slugify(name).startswith("item-")


# ---------------------------------------------------------------- a whole portfolio

CONFIG = """\
title: Портфолио
learner:
  name: Ana B.
  bio: I make things.
interests: [robotics, روبوتات]
goals: [maze-créek.svg, Maze Créek]
featured: [Робот]
base_url: https://ana.example.org/portfolio/
"""

ARABIC = "روبوتات-الماء"
CYRILLIC = "Робот"
CHINESE = "机器人"
LONG = "a-very-long-folder-name-" * 10  # 240 characters: fine on disk, too long a URL


def picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def unicode_portfolio(make_portfolio) -> Path:
    root = make_portfolio(
        {
            f"content/projects/{ARABIC}/index.md": project(
                "روبوت الماء",
                interests="[روبوتات, C++]",
                badges="[maze-créek.svg]",
                body=f"See [the robot](../{CYRILLIC}.md) and [机器人](../{CHINESE}/).\n\n"
                "![The robot in the water](صورة%201.png)\n",
            ),
            f"content/projects/{ARABIC}/صورة 1.png": picture(),
            f"content/projects/{CYRILLIC}.md": project(
                "Робот-пылесос",
                interests="[робототехника, C#]",
                body="[Water](%D8%B1%D9%88%D8%A8%D9%88%D8%AA%D8%A7%D8%AA-%D8%A7%D9%84%D9%85%D8%A7%D8%A1/)\n",
            ),
            f"content/projects/{CHINESE}/index.md": project(
                "机器人", interests="[C]", body="My [badge](../../../badges/maze-créek.svg).\n"
            ),
            f"content/projects/{LONG}.md": project("Long", interests="[robotics]"),
        },
        config=CONFIG,
    )
    (root / "badges").mkdir()
    shutil.copy(REPO / "badges" / "maze-game-coder.svg", root / "badges" / "maze-créek.svg")
    return root


def local_links(site: Path):
    """(page, href, the file it reaches) for every relative link of every page."""
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue  # its links are relative to <base href>
        for tag in html(page).find_all(["a", "img", "link", "script", "source"]):
            values = [tag.get("href") or tag.get("src")]
            values += [part.split()[0] for part in (tag.get("srcset") or "").split(",") if part]
            for value in values:
                if not value or ":" in value.split("/")[0] or value.startswith("#"):
                    continue
                path = unquote(value.split("#")[0].split("?")[0])
                target = (page.parent / path).resolve()
                if target.is_dir():
                    target = target / "index.html"
                yield page, value, target


def test_unicode_portfolio_builds_distinct_pages_whose_links_resolve(make_portfolio, cli, tmp_path):
    root = unicode_portfolio(make_portfolio)
    check = cli("check", str(root))
    assert check.code == 0, check.err
    assert "error" not in check.err
    out = tmp_path / "site"
    run = cli("build", str(root), "-o", str(out), "--quiet")
    assert run.code == 0, run.err

    data = site_json(out)
    slugs = sorted(p["slug"] for p in data["projects"])
    assert slugs == sorted([ARABIC, "робот", CHINESE, slugify(LONG)])
    assert len(slugify(LONG)) <= SLUG_MAX_CHARS
    for slug in slugs:  # the files carry the real names
        assert (out / "projects" / slug / "index.html").is_file()
    for name in ("c-plus-plus", "c-sharp", "c", "روبوتات", "робототехника", "robotics"):
        assert (out / "interests" / name / "index.html").is_file(), name
    # (an SVG badge's exact bytes are published as text: docs/badges.md)
    assert (out / "badges" / "maze-creek" / "maze-créek.svg.txt").is_file()

    # The Arabic interest lists the Arabic project only; C++, C# and C are apart.
    def listed(interest: str) -> set[str]:
        page = html(out / "interests" / interest / "index.html")
        return {a.get_text(strip=True) for a in page.select("main h2 a, main h3 a")}

    assert listed("روبوتات") == {"روبوت الماء"}
    assert listed("c-plus-plus") == {"روبوت الماء"}
    assert listed("c-sharp") == {"Робот-пылесос"}
    assert listed("c") == {"机器人"}

    links = list(local_links(out))
    assert len(links) > 100
    for page, href, target in links:
        assert href.isascii(), f"{page}: {href} is not percent-encoded"
        assert target.is_file(), f"{page}: {href} reaches nothing"
    arabic_page = out / "projects" / ARABIC / "index.html"
    reached = {target for page, _, target in links if page == arabic_page}
    assert out / "projects" / "робот" / "index.html" in reached
    assert out / "projects" / CHINESE / "index.html" in reached
    assert out / "badges" / "maze-creek" / "index.html" in reached
    pictures = [t for p, _, t in links if p == arabic_page and t.suffix in (".png", ".webp")]
    assert len(pictures) >= 3  # the picture and its sizes, in src and srcset
    assert out / "projects" / ARABIC / "صورة 1.png" in reached
    head = html(arabic_page)
    canonical = head.find("link", rel="canonical")["href"]
    assert canonical == "https://ana.example.org/portfolio/projects/" + quote(ARABIC) + "/"
    assert head.find("meta", property="og:image")["content"].isascii()
    chinese = {t for p, _, t in links if p == out / "projects" / CHINESE / "index.html"}
    assert out / "badges" / "maze-creek" / "index.html" in chinese

    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "projects/%D1%80%D0%BE%D0%B1%D0%BE%D1%82/" in sitemap
    assert sitemap.isascii()


def test_badge_file_named_decomposed_is_found_by_its_composed_name(make_portfolio, cli):
    root = unicode_portfolio(make_portfolio)
    (root / "badges" / "maze-créek.svg").rename(root / "badges" / "maze-cre\u0301ek.svg")
    run = cli("check", str(root))
    assert run.code == 0, run.err


def test_different_interests_with_one_slug_are_an_error_naming_both(make_portfolio, cli):
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", interests="[C++, 3D printing, Café]"),
            "content/projects/b.md": project("B", interests="['C++!', 3d-printing, cafe]"),
        }
    )
    run = cli("check", str(root))
    assert run.code == 1
    errors = [line for line in run.lines if "error" in line]
    assert len(errors) == 1, (
        run.err
    )  # '3D printing' and '3d-printing' are one interest, so are 'Café' and 'cafe'
    assert errors[0].startswith("content/projects/b.md: error: interests: ")
    assert "'C++!' and 'C++' (content/projects/a.md)" in errors[0]
    assert "interests/c-plus-plus/" in errors[0]


def test_projects_whose_names_meet_in_one_slug_are_an_error(make_portfolio, cli):
    root = make_portfolio(
        {
            "content/projects/Робот.md": project("One"),
            "content/projects/робот/index.md": project("Two"),
        }
    )
    run = cli("check", str(root))
    assert run.code == 1
    assert sum("two projects would be published at projects/робот/" in x for x in run.lines) == 2


def test_standard_codes_that_meet_in_one_slug_get_distinct_pages(make_portfolio, cli, tmp_path):
    framework = """\
        framework: Lab Skills
        standards:
          - code: LAB.1
            statement: Measures carefully.
          - code: LAB-1
            statement: Writes up results.
        """
    root = make_portfolio(
        {
            "standards/lab.yml": framework,
            "content/projects/a.md": project("A", standards="[LAB.1, LAB-1]"),
        }
    )
    out = tmp_path / "site"
    run = cli("build", str(root), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    pages = {s["code"]: s for s in site_json(out)["standards"]}
    assert pages["LAB-1"]["page"] == "standards/lab-1/"  # codes sorted: LAB-1 before LAB.1
    assert pages["LAB.1"]["page"] == "standards/lab-1-2/"
    for code, entry in pages.items():
        page = html(out / entry["page"] / "index.html")
        assert code in page.find("h1").get_text(), code


@pytest.mark.parametrize(
    ("title", "start"),
    [
        ("Робот, который поливает цветы, пока я в школе " * 7, "робот-который-поливает-цветы"),
        ("How I taught a robot to water the plants " * 8, "how-i-taught-a-robot"),  # ENAMETOOLONG
    ],
)
def test_new_project_with_a_very_long_title(make_portfolio, cli, title, start):
    root = make_portfolio()
    assert len(title) > 300
    run = cli("new", "project", title, str(root))
    assert run.code == 0, run.err
    (folder,) = (root / "content" / "projects").iterdir()
    assert folder.name == slugify(title) and len(folder.name) <= SLUG_MAX_CHARS
    assert folder.name.startswith(start)
    assert cli("check", str(root)).code == 0


def test_addresses_of_unicode_pages_in_other_data_are_understood():
    # A badge's evidence at the project's percent-encoded address is that project.
    base = "https://ana.example.org/portfolio/"
    robot = SimpleNamespace(slug="робот")
    by_url = {graph._url_key(base, "projects/робот/"): robot}
    encoded = base + "projects/%D1%80%D0%BE%D0%B1%D0%BE%D1%82/"
    assert graph._evidence_project(encoded, by_url, {"робот"}, [robot]) is robot
    assert graph._evidence_project(
        "../projects/%D1%80%D0%BE%D0%B1%D0%BE%D1%82/", {}, {"робот"}, [robot]
    )
    # A peer's portfolio.json names its pages by their real names.
    assert contract._relative("projects/हिन्दी-कविता/") == "projects/हिन्दी-कविता/"
    assert contract._relative("projects/a b/") is None
    assert contract._relative("javascript:alert(1)") is None


def test_unicode_portfolio_zip_works_from_disk(make_portfolio, cli, tmp_path):
    root = unicode_portfolio(make_portfolio)
    target = tmp_path / "site.zip"
    run = cli("export", str(root), "--zip", str(target))
    assert run.code == 0, run.err
    with zipfile.ZipFile(target) as archive:
        archive.extractall(tmp_path / "unpacked")
    site = tmp_path / "unpacked" / "портфолио"  # the folder is named after the title
    assert (site / "projects" / ARABIC / "index.html").is_file()
    links = list(local_links(site))
    assert len(links) > 100
    for page, href, target_file in links:
        assert not href.split("#")[0].endswith("/"), f"{page}: {href}"
        assert target_file.is_file(), f"{page}: {href} reaches nothing"


def test_goals_name_non_ascii_badges_by_file_or_by_name(make_portfolio, cli):
    root = unicode_portfolio(make_portfolio)
    config = (root / "portfolio.yml").read_text(encoding="utf-8")
    goals = "goals: [maze-créek.svg, Maze Créek, maze-cre\u0301ek.svg, MAZE CRÉEK, Maze Crook]"
    (root / "portfolio.yml").write_text(
        config.replace("goals: [maze-créek.svg, Maze Créek]", goals), encoding="utf-8"
    )
    run = cli("check", str(root))
    goal_lines = [line for line in run.lines if "goals[" in line]
    assert len(goal_lines) == 1, run.err  # only the goal that names no badge
    assert "goals[4]: " in goal_lines[0] and "Maze Crook" in goal_lines[0]


def test_every_slug_in_the_package_is_made_by_validate_slugify():
    """No second slug function: names become addresses and file names in one place only
    (content/gfm.py's github_slug is GitHub's heading-anchor rule, kept on purpose)."""
    import re

    package = REPO / "portfolio_gen"
    makers = re.compile(r"def \w*slug\w*\(|def safe_name\(|encode\(\"ascii\", \"ignore\"\)")
    found = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if makers.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"validate.py", "content/gfm.py", "content/links.py", "hub/members.py",
                     "standards/commands.py"}  # fmt: skip
    commands = (package / "standards" / "commands.py").read_text(encoding="utf-8")
    assert "slugify(title)" in commands
