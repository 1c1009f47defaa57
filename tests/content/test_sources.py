"""Nothing outside the portfolio is read or published: links, symlinks, absolute paths."""

import os

from support.helpers import project

from portfolio_gen.content.sources import discover
from portfolio_gen.diagnostics import Diagnostics


def test_symlinks_leaving_the_portfolio_are_refused(cli, make_portfolio, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "index.md").write_text(project("Outside"))
    root = make_portfolio({"content/projects/a/index.md": project()})
    os.symlink(secret, root / "content/projects/a/notes.txt")
    os.symlink(outside, root / "content/projects/b")
    run = cli("build", str(root))
    assert run.code == 0  # built without them: each is a warning
    assert (
        "content/projects/a/notes.txt: warning: is a link to a file outside the portfolio; "
        "not published" in run.err
    )
    assert (
        "content/projects/b: warning: is a link to a folder outside the portfolio; not published"
        in run.err
    )
    site = root / "site"
    assert not (site / "projects/a/notes.txt").exists() and not (site / "projects/b").exists()
    assert all(b"TOP SECRET" not in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_symlinks_inside_the_portfolio_are_fine(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="[notes](notes.txt)\n"),
            "shared/notes.txt": "hello",
        }
    )
    os.symlink(root / "shared/notes.txt", root / "content/projects/a/notes.txt")
    assert cli("build", str(root), "--quiet").code == 0
    assert (root / "site/projects/a/notes.txt").read_text() == "hello"


def test_paths_outside_are_errors(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project(
                cover="../../../etc/passwd", body="![x](../../../../etc/passwd)\n"
            ),
            "content/projects/b.md": project("B", body="[abs](/etc/passwd)\n"),
        },
        config="title: T\nlearner: {name: A, avatar: /etc/passwd}\n",
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert (
        "content/projects/a.md:4: error: cover: ../../../etc/passwd points outside content/"
        in run.err
    )
    assert (
        "content/projects/a.md:6: error: link ../../../../etc/passwd points outside content/"
        in run.err
    )
    assert "content/projects/b.md:5: error: link /etc/passwd starts with '/'" in run.err
    assert "portfolio.yml: error: learner.avatar: no file /etc/passwd in the portfolio" in run.err
    assert not (root / "site").exists()


def test_bundle_listing_is_in_walk_order_and_in_the_signature(tmp_path):
    from portfolio_gen.cache import signature

    files = ["index.md", "z.png", "a.png", "img/x.png", "img/sub/y.png", "b/c.txt", "img/a.png"]
    for name in files:
        path = tmp_path / "content/projects/p" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (tmp_path / "content/projects/q.md").write_text("q")
    found = discover(tmp_path, Diagnostics(tmp_path))
    index = tmp_path / "content/projects/p/index.md"
    assert found.projects == [index, tmp_path / "content/projects/q.md"]
    assert found.keys == ["content/projects/p/index.md", "content/projects/q.md"]
    listing = found.bundle_files["content/projects/p/index.md"]
    assert listing == ("a.png", "z.png", "b/c.txt", "img/a.png", "img/x.png", "img/sub/y.png")
    listed = signature(index, listing)
    assert all(f"|{rel}:" in listed for rel in listing)
    assert "content/projects/q.md" not in found.bundle_files
