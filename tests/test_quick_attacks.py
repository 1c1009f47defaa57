"""Attacks on the quick build and its edges: each build is compared with a fresh
full build (support.quick_portfolio.Builds); whether the quick path was taken is
asserted too. The differential sequences: tests/test_quick.py."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from support.quick_portfolio import (
    RACY,
    Builds,
    edit,
    make_portfolio,
    rewrite,
    source,
    started,
    state,
)

from portfolio_gen import quick
from portfolio_gen.options import Options


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builds:
    return started(tmp_path, monkeypatch)


def test_the_quick_path_is_taken_after_an_edit(builds: Builds) -> None:
    edit(builds)
    assert builds.check() is True


@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty"])
def test_a_damaged_state_is_a_full_build(builds: Builds, damage: str) -> None:
    path = state(builds.root)
    data = bytearray(path.read_bytes())
    if damage == "flipped":
        data[len(data) // 2] ^= 0x01
    path.write_bytes(
        bytes(
            data[: len(data) // 2] if damage == "truncated" else b"" if damage == "empty" else data
        )
    )
    edit(builds)
    assert builds.check() is False
    edit(builds, text="Another edit.")
    assert builds.check() is True  # the full build kept a new state


def test_a_state_sealed_with_another_users_key_is_a_full_build(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = os.environ["PORTFOLIO_GEN_CACHE_HOME"]
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(tmp_path / "other-user"))
    edit(builds, text="As another user.")
    assert builds.check() is False  # (another environment: another stamp)
    theirs = state(builds.root).read_bytes()
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", home)
    edit(builds, text="Back.")
    assert builds.check() is False
    state(builds.root).write_bytes(theirs)
    edit(builds, text="With their state.")
    assert builds.check() is False


def test_a_state_sealed_for_another_portfolio_is_a_full_build(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Builds(
        make_portfolio(tmp_path / "other" / "portfolio"), tmp_path / "other", monkeypatch
    )
    time.sleep(RACY / 1e9)
    other.build()
    shutil.copy(state(other.root), state(builds.root))
    edit(builds)
    assert builds.check() is False


@pytest.mark.parametrize(
    "damage",
    [
        "page edited",  # (the full build alone keeps it: its key is unchanged; quick.py
        # sees the change and takes the key out of the manifest, so it is made again)
        "page deleted",
        "manifest edited",
        "static deleted",
    ],
)
def test_a_site_changed_by_hand_is_repaired_by_a_full_build(builds: Builds, damage: str) -> None:
    page = builds.out / "projects" / "gen-03" / "index.html"
    if damage == "page edited":
        page.write_text(
            page.read_text(encoding="utf-8").replace("Project 3", "Hacked"), encoding="utf-8"
        )
    elif damage == "page deleted":
        page.unlink()
    elif damage == "manifest edited":
        manifest = builds.out / ".portfolio-gen"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["files"]["projects/gen-03/index.html"] = "0" * 64
        manifest.write_text(json.dumps(data), encoding="utf-8")
    else:
        next(p for p in builds.out.rglob("*.css")).unlink()
    assert builds.check() is False  # no edit: the site alone changed
    edit(builds)
    assert builds.check() is True


@pytest.mark.parametrize("inside", [True, False])
def test_a_link_in_content_is_a_full_build(builds: Builds, tmp_path: Path, inside: bool) -> None:
    target = source(builds.root, 5) if inside else tmp_path / "outside.md"
    target.touch()
    (builds.root / "content" / "projects" / "linked.md").symlink_to(target)
    edit(builds)
    assert builds.check() is False
    edit(builds, text="Again.")
    assert (
        builds.check() is False
    )  # (no state kept while the link is there? or the walk refuses it)


@pytest.mark.parametrize(
    "options",
    [{"strict": True}, {"base_url": "https://other.example.org/"}, {"drafts": True}],
    ids=["strict", "base-url", "drafts"],
)
def test_other_options_are_a_full_build(builds: Builds, options: dict) -> None:
    edit(builds)
    assert builds.check(**options) is False
    edit(builds, text="Again.")
    assert builds.check(**options) is (not options.get("strict", False))
    edit(builds, text="Back to the defaults.")
    assert builds.check() is False


def test_online_never_takes_the_quick_path(builds: Builds) -> None:
    edit(builds)
    assert quick.build(builds.root, Options(out=builds.out, online=True), 0.0) is None


def test_another_output_folder_is_a_full_build(builds: Builds, tmp_path: Path) -> None:
    edit(builds)
    builds.out = tmp_path / "elsewhere"
    assert builds.check() is False


def test_another_day_is_a_full_build(builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(builds)
    real = time.strftime
    monkeypatch.setattr(
        quick.time, "strftime", lambda f, *a: "2099-01-01" if f == "%Y-%m-%d" else real(f, *a)
    )
    assert builds.check() is False


def test_on_another_day_a_full_build_then_quick_ones_again(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full build of a new day renders no project page (their keys hold no day): it
    keeps where the last state said their pages hold their bodies, so the day's next
    edit is quick. (Failed when the last state was read only for the same day.)"""
    real = time.strftime
    monkeypatch.setattr(
        quick.time, "strftime", lambda f, *a: "2099-01-01" if f == "%Y-%m-%d" else real(f, *a)
    )
    assert builds.check() is False
    edit(builds, 5)
    assert builds.check() is True


def test_another_recipient_is_a_full_build(builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", "maya@example.org")
    edit(builds)
    assert builds.check() is False


def test_a_crash_between_page_and_manifest(builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = quick.replace_file, []

    def crash(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt("the power went off")
        real(path, data)

    monkeypatch.setattr(quick, "replace_file", crash)
    edit(builds)
    with pytest.raises(KeyboardInterrupt):
        builds.build()
    monkeypatch.setattr(quick, "replace_file", real)
    assert [p.name for p in calls] == ["index.html", ".portfolio-gen"]
    assert builds.check() is False  # the page is not the one kept: the full build


def test_content_changed_with_its_size_and_time_restored(builds: Builds) -> None:
    """ctime still changes: the quick path sees the edit (and takes it: the body only)."""
    path = source(builds.root, 3)
    text = path.read_text(encoding="utf-8")
    before = path.stat()
    path.write_text(text.replace("It is about building", "It is about painting"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    time.sleep(RACY / 1e9)
    assert builds.check() is True
    assert "painting" in (builds.out / "projects" / "gen-03" / "index.html").read_text(
        encoding="utf-8"
    )


def _no_summary_first_paragraph(root: Path) -> None:
    rewrite(source(root, 1), lambda s: s.replace("begins here", "starts over here", 1))


def _draft(root: Path) -> None:
    rewrite(source(root, 3), lambda s: s.replace("interests:", "draft: true\ninterests:", 1))


def _local_settings(root: Path) -> None:
    (root / "portfolio.local.yml").write_text("recipients: [maya@example.org]\n", encoding="utf-8")


def _sibling_picture(root: Path) -> None:  # solar-oven.md shows solar-oven.png beside it
    rewrite(root / "content" / "projects" / "solar-oven.md", lambda s: s + "\nAdded.\n")


def _emptied(root: Path) -> None:
    rewrite(source(root, 5), lambda s: s[: s.index("---\n", 4) + 4])


def _crlf(root: Path) -> None:
    rewrite(source(root, 7), lambda s: s.replace("\n", "\r\n") + "More.\r\n")


def _feedback(root: Path) -> None:
    folder = root / "content" / "projects" / "robot-arm" / "feedback"
    rewrite(next(iter(sorted(folder.glob("*.md")))), lambda s: s + "\nMore feedback.\n")


def _about(root: Path) -> None:
    rewrite(root / "content" / "about.md", lambda s: s + "\nMore about me.\n")


def _old_draft(root: Path) -> None:  # (a draft another project links to is an error)
    (root / "content" / "projects" / "old-draft.md").write_text(
        "---\ntitle: Old draft\ndate: 2010-01-01\nsummary: A draft.\ndraft: true\n---\nDraft text.\n",
        encoding="utf-8",
    )


def _reverted(root: Path) -> None:
    rewrite(source(root, 11), lambda s: s.replace("\nA reverted edit.\n", ""))


# name: (the change, whether the quick path is taken after it, and after an edit then)
CHANGES = {
    "summary made from the body": (_no_summary_first_paragraph, False, True),
    "a draft linked to (an error: no state kept)": (_draft, False, False),
    "portfolio.local.yml": (_local_settings, False, True),
    "single file with a picture beside it": (_sibling_picture, False, True),
    "body emptied (its links gone)": (_emptied, False, True),
    "CRLF": (_crlf, True, True),
    "a feedback file": (_feedback, False, True),
    "about.md": (_about, False, True),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_change_then_an_edit(builds: Builds, name: str) -> None:
    """The change, then an edit of another project's text. (A single-file project showing
    a picture from elsewhere failed before cache.RecordCache.lookup hashed a source by its
    own signature alone: its page's and feed.xml's manifest keys then depended on whether
    the cache had a record of it, also without the quick build.)"""
    change, first, then = CHANGES[name]
    change(builds.root)
    time.sleep(RACY / 1e9)
    assert builds.check() is first
    edit(builds, 13, "Then another project's text.")
    assert builds.check() is then


def test_an_edit_reverted(builds: Builds) -> None:
    edit(builds, 11, "A reverted edit.")
    assert builds.check() is True
    _reverted(builds.root)
    time.sleep(RACY / 1e9)
    assert builds.check() is True


def test_a_drafts_text_with_and_without_drafts(builds: Builds) -> None:
    _old_draft(builds.root)
    time.sleep(RACY / 1e9)
    assert builds.check() is False
    draft = builds.root / "content" / "projects" / "old-draft.md"
    taken = []
    for drafts in (False, True, True, False):
        more = f"\nMore, drafts={drafts}.\n"
        rewrite(draft, lambda s, more=more: s + more)
        time.sleep(RACY / 1e9)
        taken.append(builds.check(drafts=drafts))
    assert taken == [False, False, True, False]  # (the page is made with --drafts only)


def test_an_edit_while_a_long_full_build_runs(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build of many projects can take longer than RACY_NS (2 s; 50 ms here): a
    learner saves a project while it runs, after it was read. (Failed when the inputs
    were walked at the build's end, with RACY_NS counted from then: the edit never showed.)"""
    real, path = quick.keep, source(builds.root, 17)

    def slow(*args: object) -> None:
        rewrite(path, lambda s: s + "\nSaved while the build ran.\n")
        time.sleep(RACY / 1e9 + 0.02)  # the build went on for longer than RACY after the save
        real(*args)

    rewrite(builds.root / "portfolio.yml", lambda s: s + "# a full build\n")
    time.sleep(RACY / 1e9)
    monkeypatch.setattr(quick, "keep", slow)
    builds.build()
    monkeypatch.setattr(quick, "keep", real)
    builds.check()  # the site shows the saved text, as a fresh full build's does


def test_the_first_build_into_the_default_site_folder_then_an_edit(builds: Builds) -> None:
    """The first build makes root/site: a name in the portfolio's folder the next
    build must not take for a file added (the quick path after an edit)."""
    builds.out = builds.root / "site"
    assert builds.check() is False  # (another output folder)
    edit(builds)
    assert builds.check() is True
