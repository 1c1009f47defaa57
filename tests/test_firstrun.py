"""The first hour of a new user: init, deploy files, drafts, hints and messages
that point the right way (issue 18)."""

from __future__ import annotations

import io
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from PIL import Image
from support.helpers import BASIC_CONFIG, html, project
from support.served import Served

from portfolio_gen import __version__
from portfolio_gen.cli import title_for
from portfolio_gen.scaffold import PLACEHOLDERS

ROOT = Path(__file__).resolve().parent.parent
NO_BASE_URL = BASIC_CONFIG.replace("base_url: https://ana.example.org/portfolio/\n", "")


# -- 1. deploys that stay reproducible ------------------------------------------------


def test_init_pins_the_version_and_the_pages_workflow_uses_it(cli, tmp_path):
    target = tmp_path / "site-src"
    assert cli("init", str(target)).code == 0
    pins = [
        line
        for line in (target / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert pins == [f"portfolio-gen=={__version__}"]
    workflow = yaml.safe_load((target / ".github/workflows/pages.yml").read_text())
    build = workflow["jobs"]["build"]["steps"]
    uses = [s["uses"] for s in build if "uses" in s]
    assert uses == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ]
    deploy = [s["uses"] for s in workflow["jobs"]["deploy"]["steps"]]
    assert deploy == ["actions/deploy-pages@v4"]
    runs = [s["run"] for s in build if "run" in s]
    assert runs[0] == "pip install -r requirements.txt"
    assert runs[1].startswith("portfolio-gen build --online --base-url ")
    cache = next(s for s in build if s.get("uses") == "actions/cache@v4")
    # the sealing key is kept too (outside the checkout), or kept badge checks
    # would not count on the next run
    key_dir = "${{ runner.temp }}/portfolio-gen-key"
    assert cache["with"]["path"].splitlines() == [".portfolio-cache", key_dir]
    building = next(s for s in build if s.get("run", "").startswith("portfolio-gen build"))
    assert building["env"] == {"PORTFOLIO_GEN_CACHE_HOME": key_dir}
    key = cache["with"]["key"]
    assert "hashFiles('requirements.txt')" in key and "'content/**'" in key
    # the cache is restored before the build that fills it
    assert build.index(cache) < next(i for i, s in enumerate(build) if "run" in s)


def test_netlify_installs_the_pinned_version_and_keeps_the_cache(cli, tmp_path):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    assert cli("init", str(tmp_path)).code == 0
    netlify = tomllib.loads((tmp_path / "netlify.toml").read_text())
    command = netlify["build"]["command"]
    assert command.startswith("pip install -r requirements.txt && portfolio-gen build ")
    assert "--online" in command.split() and netlify["build"]["publish"] == "site"
    assert netlify["plugins"] == [
        {"package": "netlify-plugin-cache", "inputs": {"paths": [".portfolio-cache"]}}
    ]


def test_pages_name_the_version_that_built_them(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project()})
    assert cli("build", str(root), "--quiet").code == 0
    for page in ("index.html", "projects/a/index.html", "404.html"):
        meta = html(root / "site" / page).find("meta", attrs={"name": "generator"})
        assert meta["content"] == f"portfolio-gen {__version__}", page


# -- 2. the title from the folder name ---------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "title"),
    [
        ("my-portfolio", "My Portfolio"),
        ("portfolio", "My Portfolio"),
        ("My_Portfolio", "My Portfolio"),
        ("maya", "Maya's Portfolio"),
        ("maya-portfolio", "Maya's Portfolio"),
        ("robotics-club", "Robotics Club's Portfolio"),
    ],
)
def test_title_from_the_folder_name(folder, title, cli, tmp_path):
    assert title_for(folder) == title
    assert cli("init", str(tmp_path / folder)).code == 0
    config = yaml.safe_load((tmp_path / folder / "portfolio.yml").read_text())
    assert config["title"] == title


# -- 3. drafts -----------------------------------------------------------------------------


def test_new_project_says_it_is_a_draft_and_build_names_it(cli, tmp_path):
    assert cli("init", str(tmp_path)).code == 0
    run = cli("new", "project", "Robot Arm", str(tmp_path))
    index = tmp_path / "content/projects/robot-arm/index.md"
    assert run.out == (
        f"created {index} as a draft: set draft: false (or remove the line) "
        "to publish it; portfolio-gen serve shows drafts\n"
    )
    run = cli("build", str(tmp_path))
    assert run.code == 0
    assert (
        "left out 1 draft: content/projects/robot-arm/index.md (build --drafts to include)"
        in run.out.splitlines()
    )
    assert cli("build", str(tmp_path), "--quiet").out == ""
    assert "left out 1 draft" not in cli("build", str(tmp_path), "--drafts").out
    (tmp_path / "content/projects/b.md").write_text(project(draft="true"))
    assert (
        "left out 2 drafts: content/projects/b.md, content/projects/robot-arm/index.md "
        "(build --drafts to include)" in cli("build", str(tmp_path)).out.splitlines()
    )


def _readme_block(heading: str) -> list[str]:
    """The commands of the README's code block after the line ``heading``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(heading, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_start_your_own_commands_show_the_new_project(tmp_path):
    """init -> new project -> build, exactly as the README writes them."""
    commands = [c for c in _readme_block("Start your own portfolio:") if " serve " not in c]
    assert [shlex.split(c, comments=True)[1] for c in commands[:3]] == ["init", "new", "build"]
    outputs = []
    for command in commands:
        words = shlex.split(command, comments=True)
        assert words[0] == "portfolio-gen"
        run = subprocess.run(
            [sys.executable, "-m", "portfolio_gen", *words[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, (command, run.stderr)
        outputs.append(run.stdout)
    built = outputs[2]
    assert (
        "left out 1 draft: content/projects/cardboard-hydraulic-arm/index.md "
        "(build --drafts to include)"
    ) in built.splitlines()
    assert "to look at it: portfolio-gen serve my-portfolio, then open http://127.0.0.1:8000/" in (
        built.splitlines()
    )


# -- 4. looking at the built site ----------------------------------------------------------


def test_build_says_how_to_look_at_a_site_without_a_base_url(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project()}, config=NO_BASE_URL)
    run = cli("build", str(root))
    hint = f"to look at it: portfolio-gen serve {root}, then open http://127.0.0.1:8000/"
    assert run.out.splitlines()[1:] == [hint]
    root = make_portfolio({"content/projects/a.md": project()})  # with a base_url
    assert "to look at it" not in cli("build", str(root)).out


def test_readme_quick_start_does_not_suggest_opening_the_files_from_disk():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("## Commands", 1)[0]
    assert "open `site/index.html`" not in quick and "portfolio-gen serve" in quick
    # the two commands stay exactly as they were (CI runs the second one)
    assert (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/portfolio-gen build" in quick
    )
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
        ".venv/bin/python -m pytest -n auto" in quick
    )


# -- 5. messages that point the right way -------------------------------------------------


def test_a_link_that_is_a_web_address_says_so(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project(body="See [Google](www.google.com).\n")}
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert run.lines[0] == (
        "content/projects/a.md:5: error: link www.google.com looks like a web address; "
        "write https://www.google.com"
    )


def test_a_link_to_a_file_named_like_a_host_is_still_a_file(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="[notes](notes.com)\n"),
            "content/projects/a/notes.com": "text",
        }
    )
    assert cli("build", str(root), "--quiet").code == 0


@pytest.mark.parametrize(
    ("key", "meant"),
    [("tags", "interests"), ("topics", "interests"), ("categories", "interests"),
     ("mentor", "mentors"), ("image", "cover"), ("thumbnail", "cover"),
     ("standard", "standards"), ("description", "summary")],
)  # fmt: skip
def test_unknown_keys_suggest_what_the_user_meant(key, meant, cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project(**{key: "x"})})
    run = cli("build", str(root))
    assert (
        f"content/projects/a.md:4: warning: unknown key '{key}' is kept for templates "
        f"(did you mean '{meant}'?)" in run.lines
    )


def test_a_broken_project_gives_no_false_link_errors_elsewhere(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project(body="Built on [the arm](b.md).\n"),
            "content/projects/b.md": "---\ntitle: B\ndate: 2026-01-01\ntags: [unclosed\n---\n",
            "content/projects/c.md": project(body="And [a typo](bb.md).\n"),
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    errors = [line for line in run.lines if ": error: " in line]
    assert len(errors) == 2, errors
    assert errors[0].startswith("content/projects/b.md:4: error: front matter: malformed YAML")
    assert errors[1].startswith("content/projects/c.md:5: error: link bb.md: no project 'bb'")


def test_summary_lines_use_plurals(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project()})
    assert cli("check", str(root)).out == "checked 1 project: 0 warnings, no errors\n"
    run = cli("build", str(root))
    assert re.match(
        r"built \d+ pages \(\d+ rendered, \d+ files\) in [\d.]+ s, 0 warnings -> ", run.out
    )
    (root / "content/projects/b.md").write_text(project(tags="[x]"))
    assert cli("check", str(root)).out == "checked 2 projects: 1 warning, no errors\n"
    (root / "content/projects/c.md").write_text("no front matter\n")
    assert cli("build", str(root)).lines[-1] == (
        "build failed: 1 error; the previous site is unchanged"
    )


def _avatar() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("avatar", [False, True])
def test_every_page_has_a_favicon_that_is_served(avatar, cli, make_portfolio):
    config = BASIC_CONFIG.replace("  bio:", "  avatar: me.png\n  bio:") if avatar else BASIC_CONFIG
    root = make_portfolio({"content/projects/a.md": project(), "me.png": _avatar()}, config=config)
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    hrefs = set()
    with Served(site) as served:
        for page in ("index.html", "projects/a/index.html", "about/index.html"):
            if not (site / page).is_file():
                continue
            href = html(site / page).find("link", rel="icon")["href"]
            url = urljoin(served.url(page), href)
            with urllib.request.urlopen(url) as answer:  # a 404 raises
                assert answer.status == 200
            hrefs.add(urljoin(served.url(page), href))
    assert len(hrefs) == 1  # one file, from every page
    (href,) = hrefs
    if avatar:
        assert href.endswith("/avatar.png.128x128.png")
        with Image.open(site / "avatar.png.128x128.png") as icon:
            assert icon.size == (128, 128)
    else:
        assert re.search(r"/assets/favicon\.[0-9a-f]{10}\.svg$", href)


def test_the_built_in_theme_is_published_once(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project(), "static/mine.css": "a{}"})
    assert cli("build", str(root), "--quiet").code == 0
    site = root / "site"
    assert sorted(p.name for p in (site / "static").iterdir()) == ["mine.css"]
    assert {p.name.split(".")[0] for p in (site / "assets").iterdir()} >= {
        "style", "pygments", "connected", "embed", "filter", "favicon", "mine",
    }  # fmt: skip
    used = {
        link.get("href") or link.get("src")
        for page in site.rglob("*.html")
        for link in html(page).select("link[href], script[src]")
    }
    used |= {  # the fonts (and their licence) are named in the pages' <style>
        found
        for style in html(site / "index.html").select("style")
        for found in re.findall(r"[^\s\"(]*assets/[^\s\")]+", style.text)
    }
    for name in (p.name for p in (site / "assets").iterdir()):
        if not name.startswith("mine."):
            assert any(u.endswith("assets/" + name) for u in used if u), name


def test_the_scaffold_placeholders_fail_strict_until_edited(cli, tmp_path):
    assert cli("init", str(tmp_path)).code == 0
    run = cli("check", str(tmp_path), "--strict")
    assert run.code == 1
    assert run.lines == [
        "content/about.md:4: warning: 'Write a few sentences about yourself' is a "
        "placeholder from portfolio-gen init; write your own about page",
        "content/projects/my-first-project/index.md:4: warning: summary: 'One or two "
        "sentences about what you made.' is a placeholder from portfolio-gen init; "
        "write your own summary",
        "content/projects/my-first-project/index.md:15: warning: 'Describe it. Add photos "
        "to this folder' is a placeholder from portfolio-gen init; write about your project",
        "portfolio.yml:4: warning: learner.name: 'Your N.' is a placeholder from "
        "portfolio-gen init; write your first name and an initial",
        "error: warnings are errors with --strict",
    ]
    for marker in [m for w, m, _ in PLACEHOLDERS if w != "text" or "Describe" in m]:
        assert any(marker in line for line in run.lines), marker
    # the learner edits them
    for rel, old, new in [
        ("portfolio.yml", "Your N.", "Maya R."),
        ("content/about.md", "Write a few sentences about yourself", "I build robots"),
        ("content/projects/my-first-project/index.md",
         "One or two sentences about what you made.", "A robot arm from cardboard."),
        ("content/projects/my-first-project/index.md",
         "Describe it. Add photos to this folder", "It lifts a cup"),
    ]:  # fmt: skip
        path = tmp_path / rel
        path.write_text(path.read_text().replace(old, new))
    run = cli("check", str(tmp_path), "--strict")
    assert (run.code, run.err) == (0, "")


def test_a_new_project_published_unedited_is_named(cli, tmp_path):
    assert cli("init", str(tmp_path)).code == 0
    assert cli("new", "project", "Robot", str(tmp_path)).code == 0
    index = tmp_path / "content/projects/robot/index.md"
    index.write_text(index.read_text().replace("draft: true", "draft: false"))
    run = cli("check", str(tmp_path), "--strict")
    assert (
        "content/projects/robot/index.md:16: warning: 'What is it, and why did you want "
        "to make it?' is a placeholder from portfolio-gen init; answer the prompts in your "
        "words" in run.lines
    )
