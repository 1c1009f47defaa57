"""Edges of the quick build found in review: races with another build, what the walk
must see, odd files and edits, the day. Each build is compared with a fresh full
build (support.quick_portfolio.Builds.check) or the comparison is written out."""

from __future__ import annotations

import datetime as real_dt
import time
import types
from pathlib import Path

import pytest
from support.quick_portfolio import RACY, Builds, edit, rewrite, source, started, state

from portfolio_gen import quick


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builds:
    return started(tmp_path, monkeypatch)


def test_a_full_build_that_keeps_its_state_after_another_build_wrote_the_site(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep() runs after the output's lock is released: a second build that writes the
    site (and keeps its own state) between a first build's write and its keep() has its
    state replaced by the first build's, whose positions are for pages no longer there
    while the site's stats it records are the second build's."""
    real_keep = quick.keep
    path = source(builds.root, 4)
    calls = []

    def slow_keep(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:  # the first build is paused here; meanwhile:
            rewrite(
                path,
                lambda s: s.replace(
                    "Project 4 begins here.",
                    "Project 4 now begins with a much longer opening sentence.",
                ),
            )
            time.sleep(RACY / 1e9)
            builds.build(quick=True)  # the quick path fails (site changed): a full build + keep
        return real_keep(*args, **kwargs)

    monkeypatch.setattr(quick, "keep", slow_keep)
    state(builds.root).unlink()  # the first build is a full one
    rewrite(path, lambda s: s + "\nFirst.\n")
    time.sleep(RACY / 1e9)
    builds.build()
    monkeypatch.setattr(quick, "keep", real_keep)
    rewrite(path, lambda s: s + "\nA last edit.\n")
    time.sleep(RACY / 1e9)
    builds.build()  # the quick path: the page is spliced at the first build's positions
    from support.quick_portfolio import differences, tree

    from portfolio_gen import build as build_module
    from portfolio_gen.options import Options

    build_module.build(builds.root, Options(out=builds.out, quick=False))  # a full build
    build_module.build(builds.root, Options(out=builds.reference, cache=False, quick=False))
    assert differences(tree(builds.out), tree(builds.reference)) == []  # (failed: kept after)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.replace("\n", "\r\n"),
        lambda s: "\ufeff" + s,
        lambda s: s + "\n\n## What I learned\n\nA heading the template has too.\n",
        lambda s: s + "\n\n<!-- a comment -->\n\n" + "é" * 5000 + "\n",
        lambda s: s.replace("Project 3 begins here.", "Project 3 begins here.\u2028\u0085 x"),
    ],
    ids=["crlf", "bom", "template-heading", "long-nonascii", "odd-newlines"],
)
def test_odd_edits(builds: Builds, change) -> None:  # noqa: ANN001
    path = source(builds.root, 3)
    rewrite(path, change)
    time.sleep(RACY / 1e9)
    builds.check()
    rewrite(path, lambda s: s + "\nThen a plain edit.\n")
    time.sleep(RACY / 1e9)
    builds.check()


def test_the_fetched_badge_documents_appearing_is_a_full_build(builds: Builds) -> None:
    """``check --online`` (or ``badges verify --online``) makes .portfolio-cache/badges/
    without touching the quick state: the folder was not a top of the walk when the
    last full build kept its state (it did not exist), and .portfolio-cache is a
    skipped name, so its appearance is not seen; the full build's badges' key
    (build.read_badges: _stamp(kept)) changes and each badge is read again."""
    from portfolio_gen.cache import cache_folder

    fetched = cache_folder(builds.root, "badges")
    assert not fetched.exists()
    (fetched / "responses").mkdir(parents=True)
    (fetched / "responses" / "x").write_bytes(b"a fetched answer")
    edit(builds)
    assert builds.check() is False  # (failed: the quick path was taken)


def test_output_inside_the_portfolio_under_another_name(builds: Builds) -> None:
    builds.out = builds.root / "public"
    assert builds.check() is False
    edit(builds)
    assert builds.check() is True
    edit(builds, 5)
    assert builds.check() is True


def test_two_outputs_alternating(builds: Builds, tmp_path: Path) -> None:
    first = builds.out
    edit(builds)
    builds.out = tmp_path / "other"
    assert builds.check() is False
    edit(builds, 5)
    builds.out = first
    builds.check()


def test_a_heading_others_link_to(builds: Builds) -> None:
    path = source(builds.root, 3)
    rewrite(path, lambda s: s.replace("## Method", "## Way"))
    time.sleep(RACY / 1e9)
    builds.check()


def test_odd_names_in_a_bundle(builds: Builds) -> None:
    import os

    folder = source(builds.root, 4).parent
    (folder / "new\nline.txt").write_text("x")
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.txt"), "wb") as f:
        f.write(b"y")
    time.sleep(RACY / 1e9)
    builds.check()
    edit(builds, 4)
    builds.check()


def test_a_full_build_on_a_new_day_rewrites_checked_on(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not the quick build's: the day of the build shown on badge pages is in no page key."""
    import shutil

    from support.quick_portfolio import differences, tree

    from portfolio_gen import build as build_module
    from portfolio_gen.options import Options
    from portfolio_gen.site import render as render_module

    yesterday = real_dt.date.today() - real_dt.timedelta(days=1)

    class Date(real_dt.date):
        @classmethod
        def today(cls):  # noqa: ANN206
            return yesterday

    fake = types.SimpleNamespace(**{**vars(real_dt), "date": Date})
    shutil.rmtree(builds.out)
    monkeypatch.setattr(render_module, "_dt", fake)
    monkeypatch.setattr(build_module, "_dt", fake)
    build_module.build(builds.root, Options(out=builds.out, quick=False))  # "yesterday"
    monkeypatch.setattr(render_module, "_dt", real_dt)
    monkeypatch.setattr(build_module, "_dt", real_dt)
    build_module.build(builds.root, Options(out=builds.out, quick=False))  # today, incremental
    build_module.build(builds.root, Options(out=builds.reference, cache=False, quick=False))
    assert differences(tree(builds.out), tree(builds.reference)) == []


def test_the_states_day_is_the_day_the_build_ended(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build that read its badges (their statuses: today) on day D and ended after
    midnight keeps a state stamped D+1: the quick build of D+1 takes it. Simulated: the
    clock quick.stamp reads says D+1 from keep() on."""
    real_keep, real = quick.keep, time.strftime
    day = {"now": None}

    def clock(f, *a):  # noqa: ANN001, ANN002, ANN202
        return day["now"] if f == "%Y-%m-%d" and day["now"] else real(f, *a)

    def keep_after_midnight(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        day["now"] = "2099-01-02"
        return real_keep(*args, **kwargs)

    monkeypatch.setattr(quick.time, "strftime", clock)
    monkeypatch.setattr(quick, "keep", keep_after_midnight)
    state(builds.root).unlink()
    edit(builds, 4)
    builds.build()  # read and rendered "on D" (the real day), kept "on D+1"
    monkeypatch.setattr(quick, "keep", real_keep)
    edit(builds, 4, "Again.")
    assert builds.build() and builds.taken[-1] is False  # (failed: taken with D's pages on D+1)


def test_a_project_source_replaced_by_a_fifo(tmp_path: Path) -> None:
    """The quick build reads a changed source with read_bytes (content.reading.hashed):
    a FIFO in its place blocks it for ever (holding the output's lock); the full build
    leaves the FIFO out (discovery) and reports the links to it."""
    import os
    import subprocess
    import sys

    from support.quick_portfolio import make_portfolio

    root = make_portfolio(tmp_path / "p")
    env = {**os.environ, "PYTHONPATH": str(Path(quick.__file__).parent.parent)}
    command = [sys.executable, "-m", "portfolio_gen", "build", str(root), "-q"]
    time.sleep(2.1)  # (quick.RACY_NS: the real one, in another process)
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    path = source(root, 3)
    path.unlink()
    os.mkfifo(path)
    time.sleep(2.1)
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the build hangs on the FIFO")  # (failed here: the quick build read it)
    assert done.returncode == 1


def test_check_and_export_between_builds(builds: Builds, tmp_path: Path) -> None:
    from portfolio_gen import build as build_module
    from portfolio_gen.options import Options

    edit(builds)
    build_module.build(builds.root, Options(check_only=True))
    assert builds.check() is True
    edit(builds, 5)
    build_module.build(builds.root, Options(out=tmp_path / "zip", quick=False))  # export --zip's
    assert builds.check() is True
    edit(builds, 5, "Then with --jobs.")
    assert builds.check(jobs=1) is True
