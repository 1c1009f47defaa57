"""The quick build (portfolio_gen/quick.py) makes exactly the site a full build makes.

Differential: seeded sequences of the edits a learner makes, each followed by a
build that may take the quick path and a fresh full build (no cache, no quick
path) into another folder; the two sites are compared byte for byte, manifest
included, with the same report. The quick path must be taken after edits to an
old project's text only and never else. Attacks and edges: tests/test_quick_attacks.py.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.media_factory import png
from support.quick_portfolio import (
    GENERATED,
    RACY,
    YOUTUBE,
    Builds,
    is_bundle,
    link_to,
    make_portfolio,
    newest,
    oldest,
    rewrite,
    rng_word,
    save_by_rename,
    source,
    started,
)
from support.sites import REPO

from portfolio_gen import quick
from portfolio_gen.options import Options
from portfolio_gen.site.themes import builtin_themes


class Edits:
    """The edits of a sequence: each changes the portfolio and says whether the
    next build may take the quick path."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.added: list[Path] = []
        self.count = 0

    def old(self) -> int:
        return self.rng.choice(oldest())

    def path(self) -> Path:
        return source(self.root, self.old())

    def fresh(self) -> str:
        self.count += 1
        return f"{rng_word(self.rng)} {self.count}"

    # ---- the body only: quick
    def append(self) -> bool:
        rewrite(self.path(), lambda s: s + f"\nAnother paragraph, {self.fresh()}.\n")
        return True

    def word(self) -> bool:  # mid-body (the first paragraph may be the summary: test_summary...)
        word = self.fresh().replace(" ", "-")
        rewrite(self.path(), lambda s: re.sub(r"We \S+ \$x\^2\$", f"We {word} $x^2$", s))
        return True

    def heading_add(self) -> bool:
        rewrite(self.path(), lambda s: s + f"\n## Results {self.fresh()}\n\nWe found it.\n")
        return True

    def heading_remove(self) -> bool:  # the heading others link to (#method)
        # (a blank line in its place: a link's or a warning's line that moves is more than the body)
        rewrite(self.path(), lambda s: s.replace("## Method\n", "\n", 1) + "\nOne more line.\n")
        return True

    def code_change(self) -> bool:
        n = self.rng.randrange(1000)
        rewrite(self.path(), lambda s: re.sub(r"return x \* \d+", f"return x * {n}", s))
        return True

    def code_add(self) -> bool:
        code = f'\n```js\nconst v = "{self.fresh()}";\n```\n'
        rewrite(self.path(), lambda s: s + code)
        return True

    def touch(self) -> bool:
        os.utime(self.path())
        return True

    def rename_save(self) -> bool:
        path = self.path()
        save_by_rename(path, path.read_text(encoding="utf-8") + f"\nSaved, {self.fresh()}.\n")
        return True

    def two_at_once(self) -> bool:
        first, second = self.rng.sample(oldest(), 2)
        for i in (first, second):
            rewrite(source(self.root, i), lambda s: s + f"\nBoth, {self.fresh()}.\n")
        return True

    def swap_file(self) -> bool:  # vim's swap file beside the source while editing
        i = self.rng.choice([i for i in oldest() if is_bundle(i)])
        path = source(self.root, i)
        (path.parent / ".index.md.swp").write_bytes(b"b0VIM 9.0\x00" + os.urandom(16))
        rewrite(path, lambda s: s + f"\nEdited in vim, {self.fresh()}.\n")
        return True

    # ---- more than a body: the full build
    def link_add(self) -> bool:
        i = self.old()
        j = self.rng.randrange(GENERATED)
        rewrite(source(self.root, i), lambda s: s + f"\nSee [this]({link_to(i, j)}).\n")
        return False

    def image_add(self) -> bool:
        i = self.rng.choice([i for i in oldest() if is_bundle(i)])
        path = source(self.root, i)
        name = f"photo-{self.fresh().split()[1]}.png"
        (path.parent / name).write_bytes(png((40, 30), text=False, color="red"))
        rewrite(path, lambda s: s + f"\n![A photo]({name})\n")
        return False

    def embed_add(self) -> bool:
        i = self.rng.choice([i for i in oldest() if i % 5])
        rewrite(source(self.root, i), lambda s: s + f"\n![A new video]({YOUTUBE})\n")
        return False

    def title(self) -> bool:
        i = self.old()
        path = source(self.root, i)
        rewrite(path, lambda s: re.sub(r"title: .*", f"title: Renamed {self.fresh()}", s, count=1))
        return False

    def summary(self) -> bool:
        path = self.path()
        line = f"summary: Now {self.fresh()}.\n"
        rewrite(path, lambda s: re.sub(r"summary: .*\n|(?=interests:)", line, s, count=1))
        return False

    def front_matter(self) -> bool:
        rewrite(
            self.path(),
            lambda s: s.replace("interests: [robotics]", "interests: [robotics, art]", 1),
        )
        return False

    def newest(self) -> bool:
        i = self.rng.choice(newest())
        rewrite(source(self.root, i), lambda s: s + f"\nNews, {self.fresh()}.\n")
        return False

    def add_project(self) -> bool:  # oldest of all: the feed's newest stay the same
        path = self.root / "content" / "projects" / f"added-{self.fresh().split()[1]}.md"
        path.write_text(
            "---\ntitle: Added\ndate: 2010-01-01\nsummary: New.\n---\nAn added project.\n",
            encoding="utf-8",
        )
        self.added.append(path)
        return False

    def delete_project(self) -> bool:  # one added here: no other project links to it
        if not self.added:
            return self.add_project()
        self.added.pop(self.rng.randrange(len(self.added))).unlink()
        return False

    def config(self) -> bool:
        rewrite(self.root / "portfolio.yml", lambda s: s + f"# {self.fresh()}\n")
        return False

    def bundle_file(self) -> bool:
        i = self.rng.choice([i for i in oldest() if is_bundle(i)])
        (source(self.root, i).parent / f"notes-{self.count}.txt").write_text("notes\n")
        self.count += 1
        return False

    def template(self) -> bool:  # a theme of one's own: no quick build while it is there
        path = self.root / "templates" / "project.html"
        path.parent.mkdir(exist_ok=True)
        if path.exists():
            path.unlink()
        else:
            path.write_bytes(
                (builtin_themes() / "default" / "templates" / "project.html").read_bytes()
            )
        return False

    def forget(self) -> bool:
        for state in self.root.joinpath(".portfolio-cache").rglob(quick.STATE):
            state.unlink()
        return False


KINDS: list[Callable[[Edits], bool]] = [
    f for name, f in vars(Edits).items() if callable(f) and not name.startswith("_")
    and name not in ("old", "path", "fresh")
]  # fmt: skip


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builds:
    return started(tmp_path, monkeypatch)


BODY_ONLY = 10  # the first KINDS: edits of an old project's text only
PER_SEED = 25  # (3 seeds: ~45 s on a shared 2-core machine)


def known(root: Path) -> set[str]:
    """The sources the kept state can put a body in (after quick.marshal is lost, a
    full build knows only the pages it renders: see test_forgotten_state)."""
    folders = list(root.joinpath(".portfolio-cache").rglob(quick.STATE))
    kept = quick._load(root, (root.parent / "A").resolve(), Options()) if folders else None
    return set(kept["projects"]) if kept else set()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_edit_sequences_make_the_full_builds_site(builds: Builds, seed: int) -> None:
    rng = random.Random(seed)
    edits = Edits(builds.root, rng)
    others = KINDS[BODY_ONLY:]
    last = [kind for kind in KINDS if kind.__name__ in ("forget", "template")]
    anywhere = [kind for kind in KINDS if kind not in last]
    order = KINDS[:BODY_ONLY] + [others[(seed - 1 + 3 * k) % len(others)] for k in range(6)]
    order += rng.choices(anywhere, k=PER_SEED - len(order))
    rng.shuffle(order)
    # Last: after these the state is lost (a theme of one's own keeps none), and a full
    # build knows where bodies are only in the pages it renders (test_forgotten_state).
    order.sort(key=lambda kind: kind.__name__ in ("forget", "template"))
    log, forgotten = [], False
    template = builds.root / "templates" / "project.html"
    for kind in order:
        before = {str(p): p.stat().st_mtime_ns for p in builds.root.rglob("*.md")}
        body_only = kind(edits)
        edited = {
            str(p) for p in builds.root.rglob("*.md") if before.get(str(p)) != p.stat().st_mtime_ns
        }
        forgotten |= kind.__name__ in ("forget", "template")
        missing = edited - known(builds.root)
        assert forgotten or template.exists() or not body_only or not missing
        expected = body_only and not template.exists() and not missing
        time.sleep(RACY / 1e9)  # the edit's files are older than RACY: quick is possible
        log.append((kind.__name__, expected, builds.check()))
        if template.exists():  # the theme of one's own removed again: the built-in one
            template.unlink()
            time.sleep(RACY / 1e9)
            log.append(("template removed", False, builds.check()))
    wrong = [entry for entry in log if entry[1] != entry[2]]
    assert wrong == [], f"quick taken (or not) unlike expected: {wrong}"
    taken = sum(t for *_, t in log)
    print(f"seed {seed}: quick taken {taken} of {len(log)}: {log}")
    assert taken >= 10


def test_forgotten_state(builds: Builds) -> None:
    """Without quick.marshal, a full build knows where bodies are only in the pages it
    renders: an edit to another project's text takes the full path (same site), and the
    quick one again once that page was rendered."""
    edits = Edits(builds.root, random.Random(4))
    edits.forget()
    assert builds.check() is False
    path = source(builds.root, 3)
    for taken in (False, True):
        rewrite(path, lambda s: s + f"\nAgain, {edits.fresh()}.\n")
        time.sleep(RACY / 1e9)
        assert builds.check() is taken


def cli_build(root: Path) -> tuple[int, str, str]:
    run = subprocess.run(
        [sys.executable, "-m", "portfolio_gen", "build", str(root)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False,
    )  # fmt: skip

    def masked(text: str) -> str:
        return re.sub(r" in \d+\.\d\d s,", " in T s,", text.replace(str(root), "ROOT"))

    return run.returncode, masked(run.stdout), masked(run.stderr)


def cache_stats(root: Path) -> dict[str, int]:
    return {
        str(p): p.stat().st_mtime_ns
        for p in root.joinpath(".portfolio-cache").rglob("*")
        if p.is_file() and p.name != quick.STATE
    }


@pytest.mark.parametrize("base_url", [True, False], ids=["base-url", "no-base-url"])
def test_the_cli_says_what_the_full_path_says(tmp_path: Path, base_url: bool) -> None:
    """Two copies of a portfolio with warnings (and without base_url: the "to look at
    it" hint), the same edit; one builds the quick way, the other (its state removed)
    the full way: the same exit code and lines but for the time."""
    roots = [make_portfolio(tmp_path / name / "portfolio") for name in ("quick", "full")]
    for root in roots:
        if not base_url:
            rewrite(root / "portfolio.yml", lambda s: re.sub(r"base_url: .*\n", "", s))
    time.sleep(quick.RACY_NS / 1e9 + 0.1)  # (the real RACY_NS: another process)
    first = [cli_build(root) for root in roots]
    assert first[0] == first[1] and first[0][0] == 0
    for root in roots:
        rewrite(source(root, 3), lambda s: s + "\nA paragraph added.\n")
    state(roots[1]).unlink()
    before = [cache_stats(root) for root in roots]
    runs = [cli_build(root) for root in roots]
    assert cache_stats(roots[0]) == before[0]  # the quick way: the records cache unread
    assert cache_stats(roots[1]) != before[1]
    assert runs[0] == runs[1]
    code, out, err = runs[0]
    assert code == 0 and "warning" in err and "(1 rendered," in out
    assert ("to look at it:" in out) is not base_url


def state(root: Path) -> Path:
    return next(root.joinpath(".portfolio-cache").rglob(quick.STATE))
