"""A bundle holding Markdown alone is not walked (content/projects.py
``_only_markdown``): what it reads is what the walk reads, on hostile bundles."""

from __future__ import annotations

import os

import pytest
from support.helpers import BASIC_CONFIG, project, write_tree
from support.media_factory import png

from portfolio_gen.content import projects
from portfolio_gen.content.projects import ReadSettings, read_project

BUNDLES = {
    "plain": {},
    "notes": {"notes.md": "# more", "OLD.MD": "x", ".md": "hidden", "a.b.md": "y"},
    "picture": {"pic.png": png()},
    "folder-named-md": {"shots.md/pic.png": png()},
    "feedback": {"feedback/mentor.md": "---\nfrom: Ms. B\n---\nGood."},
    "hidden-only": {".DS_Store": "x"},
}


@pytest.fixture
def portfolio(tmp_path):
    files = {"portfolio.yml": BASIC_CONFIG}
    for name, inside in BUNDLES.items():
        files[f"content/projects/{name}/index.md"] = project(title=name, body="Text.")
        for rel, data in inside.items():
            files[f"content/projects/{name}/{rel}"] = data
    root = write_tree(tmp_path, files)
    outside = write_tree(tmp_path.parent / f"{tmp_path.name}-outside", {"x.png": png()})
    bundle = root / "content/projects"
    (bundle / "file-link").mkdir()  # a link named .md to a file outside: refused by the walk
    (bundle / "file-link/index.md").write_text(project(title="file-link"), "utf-8")
    os.symlink(outside / "x.png", bundle / "file-link/far.md")
    (bundle / "linked").mkdir()  # links named .md to folders
    (bundle / "linked/index.md").write_text(project(title="linked"), "utf-8")
    os.symlink(outside, bundle / "linked/away.md")
    os.symlink(root / "content/projects/picture", bundle / "linked/in.md")
    return root


def read_all(root):
    settings = ReadSettings(root, ("beginning",))
    out = {}
    for index in sorted(root.glob("content/projects/*/index.md")):
        record, diagnostics = read_project(index, settings)
        out[index.parent.name] = (record, [str(d) for d in diagnostics])
    return out


def test_bundles_read_the_same_without_the_walk(portfolio, monkeypatch):
    calls = []
    real = projects._only_markdown
    monkeypatch.setattr(projects, "_only_markdown", lambda f: calls.append(f) or real(f))
    fast = read_all(portfolio)
    assert sum(real(f) for f in calls) == 3  # plain, notes and file-link
    monkeypatch.setattr(projects, "_only_markdown", lambda folder: False)
    assert read_all(portfolio) == fast
    assert [m.name for m in fast["picture"][0].media] == ["pic.png"]
    assert [m.name for m in fast["folder-named-md"][0].media] == ["shots.md/pic.png"]


def test_a_shortcut_that_skips_media_is_caught(portfolio, monkeypatch):
    monkeypatch.setattr(projects, "_only_markdown", lambda folder: True)
    assert not read_all(portfolio)["picture"][0].media
