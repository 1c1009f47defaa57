"""What a cold build does before its readers fork (build.read_projects): the
lexers of the languages the first sources use are compiled once, in the parent
(content/fences.py ``warm``), and the site is the same as when read in one process."""

from __future__ import annotations

import shutil

import pytest
from support.helpers import project, tree_bytes

from portfolio_gen.build import PARALLEL_THRESHOLD
from portfolio_gen.content import fences
from portfolio_gen.content.markdown import MarkdownRenderer

FENCES = [
    "```python\nprint(1)\n```",
    "~~~ {.js}\nlet x\n~~~",
    "  ```Ruby title\nputs 1\n  ```",
    "```math\nx^2\n```",
    "````c++\nint x;\n````",
    "```{.no-such-language}\nx\n```",
    "    ```java\n    indented: not a fence\n",
    "> ```bash\n> echo quoted\n> ```",
    "- ```go\n  package x\n  ```",
    "```\nno language\n```",
]


@pytest.fixture
def no_lexers(monkeypatch):
    monkeypatch.setattr(fences, "_lexers", {})
    monkeypatch.setattr(fences, "_highlighted", {})


def test_the_languages_warmed_are_those_the_renderer_asks_for(tmp_path, no_lexers, monkeypatch):
    paths = []
    for i, text in enumerate(FENCES):
        paths.append(tmp_path / f"p{i}.md")
        paths[-1].write_text(f"Text.\n\n{text}\n", "utf-8")
    asked = []
    real = fences.lexer
    monkeypatch.setattr(fences, "lexer", lambda lang: asked.append(lang) or real(lang))
    fences.warm(paths)
    warmed = set(asked)
    asked.clear()
    md = MarkdownRenderer()
    for path in paths:
        md.render(path.read_text("utf-8"), "projects/a/index.md")
    assert set(asked) == {"python", "js", "ruby", "c++", "no-such-language", "go", "bash"}
    assert warmed == set(asked) | {"java"}  # (and the indented block that looks like one)
    assert fences._lexers["no-such-language"] is None


def test_only_the_first_sources_are_read(tmp_path, no_lexers):
    paths = [tmp_path / f"p{i}.md" for i in range(fences.WARM_SOURCES + 1)]
    for path in paths:
        path.write_text("```python\nx\n```\n" if path != paths[-1] else "```ruby\nx\n```\n")
    (tmp_path / "bad.md").write_bytes(b"\xff```ruby\n")
    fences.warm([tmp_path / "missing.md", tmp_path / "bad.md", *paths])
    assert set(fences._lexers) == {"python"}


def test_a_site_read_by_workers_is_the_one_read_in_one_process(cli, make_portfolio, tmp_path):
    files = {
        f"content/projects/p{i}.md": project(f"P{i}", body=f"Text {i}.\n\n{FENCES[i % 10]}\n")
        for i in range(PARALLEL_THRESHOLD)
    }
    root = make_portfolio(files)
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(root / ".portfolio-cache", ignore_errors=True)  # (cold, both)
        out = tmp_path / f"site-{jobs}"
        assert cli("build", str(root), "-o", str(out), "--quiet", "--jobs", jobs).code == 0
        sites[jobs] = tree_bytes(out)
    assert sites["1"] == sites["2"] and len(sites["1"]) > PARALLEL_THRESHOLD


def test_a_source_read_once_gives_the_hash_and_record_read_twice_gives(tmp_path):
    from portfolio_gen.build import _read
    from portfolio_gen.cache import source_hash
    from portfolio_gen.content.projects import ReadSettings, read_project

    settings = ReadSettings(tmp_path, ("beginning",))
    folder = tmp_path / "content/projects"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(project("A", body="Text [x](b.md)."), "utf-8")
    (folder / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (folder / "big.md").write_text(project("B", body="x" * 2_100_000), "utf-8")
    for name in ("a.md", "bad.md", "big.md", "missing.md", "."):
        path = folder / name
        got = _read(path, "sig", None, settings, None, None)
        assert got == (source_hash(path, "sig"), read_project(path, settings)), name
    assert _read(folder / "a.md", "sig", "known", settings, None, None)[0] == "known"


@pytest.mark.parametrize(
    "root, path",
    [("/p", "/p/content/projects/a/index.md"), ("/p/x", "/p/x/content/ça va/b.md"),
     ("/p/x", "/p/xy/content/a.md"), ("/p/x", "/p/x"), ("/", "/content/a.md"),
     ("p", "p/content/a.md"), (".", "content/a.md"), ("/p/x", "/q/x/content/a.md")],
)  # fmt: skip
def test_a_source_s_path_under_the_portfolio_is_pathlib_s(root, path):
    """``_inside`` (a source's path under the portfolio, from the text) answers
    what ``relative_to`` answers, and refuses what it refuses."""
    from pathlib import Path

    from portfolio_gen.content.projects import _inside

    try:
        expected: str | type[ValueError] = Path(path).relative_to(Path(root)).as_posix()
    except ValueError:
        expected = ValueError
    try:
        got: str | type[ValueError] = _inside(Path(path), Path(root))
    except ValueError:
        got = ValueError
    assert got == expected
