"""paths.Listings: discovery lists only the folders that changed since the last one.

The proof that the shortcut is the long way: after each kind of change to a
content/ folder (a file or folder added, removed, renamed, replaced by a link
out of the portfolio or into a loop), a walk with the last walk's listings
finds and reports exactly what a fresh walk does, and so does a whole build.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.helpers import project, tree_bytes, write_tree

from portfolio_gen import paths
from portfolio_gen.cache import LISTING, load_listings
from portfolio_gen.content.sources import discover
from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.paths import Listings, walk


@pytest.fixture
def remember_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders made by the test are remembered at once (not only after RACY_NS)."""
    monkeypatch.setattr(paths, "RACY_NS", 0)


def _tick() -> None:
    """A change made now gets a later folder time than the last walk saw (file
    times move in ticks of at most 10 ms: that is what RACY_NS guards in real use)."""
    time.sleep(0.02)


def _walked(root: Path, listings: Listings | None) -> tuple[list[tuple[str, str]], list[str]]:
    reported: list[str] = []
    found = walk(root, root / "content", lambda p, m: reported.append(f"{p}: {m}"), listings)
    return sorted(found), sorted(reported)


def _discovered(root: Path, listings: Listings | None) -> tuple[object, ...]:
    diagnostics = Diagnostics(root)
    s = discover(root, diagnostics, listings)
    shown = sorted(str(d) for d in diagnostics)
    return s.paths, s.keys, s.about, sorted(s.files), s.bundle_files, shown


def _outside(root: Path) -> Path:
    folder = root.parent / "elsewhere"
    write_tree(folder, {"secret.md": "secret", "deep/x.md": "x"})
    return folder


CHANGES: dict[str, Callable[[Path], None]] = {
    "a file added to a bundle": lambda r: (r / "content/projects/b/new.png").write_bytes(b"x"),
    "a file removed": lambda r: (r / "content/projects/b/pic.png").unlink(),
    "a file renamed": lambda r: (r / "content/projects/b/pic.png").rename(
        r / "content/projects/b/other.png"
    ),
    "a project added": lambda r: write_tree(r, {"content/projects/c/index.md": project("C")}),
    "a bundle's index.md removed": lambda r: (r / "content/projects/b/index.md").unlink(),
    "a folder renamed": lambda r: (r / "content/projects/b/img").rename(
        r / "content/projects/b/pictures"
    ),
    "a file replaced by a link out": lambda r: (
        (r / "content/projects/b/pic.png").unlink(),
        os.symlink(_outside(r) / "secret.md", r / "content/projects/b/pic.png"),
    ),
    "a folder replaced by a link out": lambda r: (
        (r / "content/projects/b/img/deep.png").unlink(),
        (r / "content/projects/b/img").rmdir(),
        os.symlink(_outside(r) / "deep", r / "content/projects/b/img"),
    ),
    "a link into a loop": lambda r: os.symlink("..", r / "content/projects/b/img/up"),
    "a hidden file added": lambda r: (r / "content/projects/b/.secret").write_text("x"),
    "content/ itself renamed away": lambda r: (r / "content").rename(r / "gone"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_walk_from_listings_finds_what_a_fresh_walk_does(tmp_path, remember_now, change):
    root = write_tree(
        tmp_path / "p",
        {
            "content/projects/a.md": project("A"),
            "content/projects/b/index.md": project("B"),
            "content/projects/b/pic.png": b"png",
            "content/projects/b/img/deep.png": b"png",
            "content/about.md": "# Me",
        },
    )
    listings = Listings()
    assert _walked(root, listings) == _walked(root, None)
    assert listings.changed and listings.folders  # every folder is remembered
    kept = dict(listings.folders)
    listings.changed = False
    assert _walked(root, listings) == _walked(root, None)
    assert not listings.changed and listings.folders == kept  # and used as they were
    _tick()
    CHANGES[change](root)
    assert _walked(root, listings) == _walked(root, None)
    assert listings.changed or not (root / "content").exists()
    assert _discovered(root, listings) == _discovered(root, None)


def test_a_folder_with_a_link_or_just_changed_is_not_remembered(tmp_path):
    root = write_tree(tmp_path / "p", {"content/projects/b/index.md": project("B")})
    os.symlink(root / "content/projects/b/index.md", root / "content/projects/b/again.md")
    listings = Listings()
    list(walk(root, root / "content", None, listings))
    assert listings.folders == {}  # all made within RACY_NS: their time may not have moved yet
    paths.RACY_NS, saved = 0, paths.RACY_NS
    try:
        list(walk(root, root / "content", None, listings))
    finally:
        paths.RACY_NS = saved
    assert str(root / "content/projects") in listings.folders
    assert str(root / "content/projects/b") not in listings.folders  # it holds a link


def test_a_build_after_changes_to_folders_is_the_fresh_build(make_portfolio, cli, remember_now):
    """The listings a build keeps in .portfolio-cache/ give the same site as none."""
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", body="See [B](b/index.md)."),
            "content/projects/b/index.md": project("B", body="[notes](notes.txt)"),
            "content/projects/b/notes.txt": "notes",
        }
    )
    assert cli("build", str(root), "-o", str(root.parent / "site")).code == 0
    assert (root / ".portfolio-cache" / LISTING).is_file()
    assert load_listings(root).folders  # sealed with the user's key, read back
    _tick()
    (root / "content/projects/b").rename(root / "content/projects/c")
    write_tree(root, {"content/projects/d.md": project("D", body="See [C](c/index.md).")})
    kept = cli("build", str(root), "-o", str(root.parent / "site"))
    (root / ".portfolio-cache").rename(root.parent / "old-cache")
    fresh = cli("build", str(root), "-o", str(root.parent / "fresh"))
    assert kept.code == fresh.code == 1  # a.md's link to b is broken now
    assert "content/projects/a.md:5: error: link b/index.md: no project 'b'" in kept.err
    assert kept.err == fresh.err
    (root / "content/projects/a.md").write_text(project("A"), encoding="utf-8")
    assert cli("build", str(root), "-o", str(root.parent / "site")).code == 0
    (root / ".portfolio-cache").rename(root.parent / "old-cache-2")
    assert cli("build", str(root), "-o", str(root.parent / "fresh")).code == 0
    site, fresh_site = tree_bytes(root.parent / "site"), tree_bytes(root.parent / "fresh")
    site.pop(".portfolio-gen"), fresh_site.pop(".portfolio-gen")
    assert site == fresh_site
    assert "projects/c/index.html" in site and "projects/d/index.html" in site


def test_listings_not_sealed_by_this_user_are_ignored(make_portfolio, cli, remember_now):
    root = make_portfolio({"content/projects/a.md": project("A")})
    assert cli("build", str(root), "-o", str(root.parent / "site")).code == 0
    stored = root / ".portfolio-cache" / LISTING
    data = bytearray(stored.read_bytes())
    data[-5] ^= 1  # one bit of the data (claiming a file that is not there, say)
    stored.write_bytes(bytes(data))
    assert load_listings(root).folders == {}
    stored.write_bytes(b"\0" * 40)
    assert load_listings(root).folders == {}
