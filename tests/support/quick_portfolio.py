"""A portfolio for the quick build's differential tests (tests/test_quick.py):
the demo plus generated projects with every kind of body content, the edits a
learner makes between builds, and site trees compared byte for byte."""

from __future__ import annotations

import datetime
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from portfolio_gen.site.feeds import FEED_SIZE
from support.media_factory import png
from support.sites import copy_demo

GENERATED = 60
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"
START = datetime.date(2018, 1, 1)  # older than the demo's projects: the oldest are not in the feed


def name(i: int) -> str:
    return f"gen-{i:02d}"


def is_bundle(i: int) -> bool:
    return i % 2 == 0


def source(root: Path, i: int) -> Path:
    folder = root / "content" / "projects"
    return folder / name(i) / "index.md" if is_bundle(i) else folder / f"{name(i)}.md"


def link_to(i: int, j: int, anchor: str = "") -> str:
    """The Markdown address of project j from project i's source."""
    base = "../" if is_bundle(i) else ""
    target = f"{name(j)}/" if is_bundle(j) else f"{name(j)}.md"
    return base + target + (f"#{anchor}" if anchor else "")


def front(i: int) -> str:
    """Front matter; a title with characters of several UTF-8 lengths before the body in
    every third page (the splice counts bytes), no summary in every sixth (one is made)."""
    date = START + datetime.timedelta(days=20 * i)
    title = f"Projet n°{i} — café, ɸ and 🛠" if i % 3 == 0 else f"Generated project {i}"
    summary = "" if i % 6 == 1 else f"summary: Summary of project {i}.\n"
    return f"---\ntitle: {title}\ndate: {date.isoformat()}\n{summary}interests: [robotics]\n---\n"


def body(i: int) -> str:
    """A body with headings, code, footnotes, math, alerts, tasks, tables, links and embeds."""
    other = (i + 7) % GENERATED
    parts = [
        f"Project {i} begins here. It is about building and testing.[^n{i}]",
        "## Method",
        f"We measured $x^2$ and linked to [a method]({link_to(i, other, 'method')}).",
        f"```python\ndef run_{i}(x):\n    return x * {i}  # a comment\n```",
        "> [!NOTE]\n> Keep notes as you go.",
        "- [x] sketch\n- [ ] build",
        "| Trial | Value |\n|---|---:|\n| 1 | 2 |",
        f"[^n{i}]: A footnote of project {i}.",
    ]
    if i % 5 == 0:
        parts.append(f"![A video about project {i}]({YOUTUBE if i % 10 else VIMEO})")
    if is_bundle(i) and i % 4 == 0:
        parts.append(f"![A diagram of project {i}](diagram.png)")
    return "\n\n".join(parts) + "\n"


def make_portfolio(root: Path) -> Path:
    copy_demo(root)
    for i in range(GENERATED):
        path = source(root, i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front(i) + body(i), encoding="utf-8")
        if is_bundle(i) and i % 4 == 0:
            (path.parent / "diagram.png").write_bytes(png((64, 48), text=False, color="navy"))
    return root


def oldest(count: int = GENERATED - (FEED_SIZE - 5)) -> list[int]:
    """The generated projects not among the feed's newest (the demo's 5 are newer than all)."""
    return list(range(count))


def newest() -> list[int]:
    return list(range(GENERATED - (FEED_SIZE - 5), GENERATED))


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def save_by_rename(path: Path, text: str) -> None:
    """As editors save: a new file moved over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a site with its bytes (the lock left out)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".portfolio-gen.lock"
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """What differs between two site trees, in words (empty if they are the same)."""
    found = [f"only in the first: {k}" for k in sorted(a.keys() - b.keys())]
    found += [f"only in the second: {k}" for k in sorted(b.keys() - a.keys())]
    return found + [f"differs: {k}" for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]


# A file changed within quick.RACY_NS of a build counts as changed at the next one
# (its clock's tick could hide a second change). 50 ms is still longer than a
# tick and lets a sequence of edits run without waiting 2 s after each.
RACY = 50_000_000


def started(tmp_path: Path, monkeypatch) -> Builds:  # noqa: ANN001
    """The fixture portfolio, built once in full (with RACY as quick.RACY_NS)."""
    from portfolio_gen import quick

    monkeypatch.setattr(quick, "RACY_NS", RACY)
    root = make_portfolio(tmp_path / "portfolio")
    time.sleep(RACY / 1e9)
    made = Builds(root, tmp_path, monkeypatch)
    assert made.check() is False  # the first build is a full one
    return made


def edit(builds: Builds, i: int = 3, text: str = "An edit.") -> Path:
    """An edit of an old project's text (the quick path's case), aged past RACY."""
    path = source(builds.root, i)
    rewrite(path, lambda s: s + f"\n{text}\n")
    time.sleep(RACY / 1e9)
    return path


def state(root: Path) -> Path:
    """The quick build's kept state in ``root``."""
    from portfolio_gen import quick

    return next(root.joinpath(".portfolio-cache").rglob(quick.STATE))


def rng_word(rng: random.Random) -> str:
    return rng.choice(["sturdy", "wobbly", "bright", "careful", "quick", "patient", "ünïcode"])


class Builds:
    """Builds ``root`` into ``out`` (the quick build allowed) and a fresh full build into a
    reference folder; ``check`` says whether the quick build was taken and asserts the two
    are the same site, manifest included, with the same report."""

    def __init__(self, root: Path, work: Path, monkeypatch) -> None:  # noqa: ANN001
        from portfolio_gen import quick

        self.root, self.out, self.reference = root, work / "A", work / "B"
        self.taken: list[bool] = []
        real = quick.build

        def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            result = real(*args, **kwargs)
            self.taken.append(result is not None)
            return result

        monkeypatch.setattr(quick, "build", spy)

    def build(self, **options):  # noqa: ANN003, ANN201
        from portfolio_gen import build
        from portfolio_gen.options import Options

        return build.build(self.root, Options(out=self.out, **options))

    def check(self, **options) -> bool:  # noqa: ANN003
        """Build (quick allowed), then the reference; assert the same; whether quick was taken."""
        import shutil

        from portfolio_gen import build
        from portfolio_gen.options import Options

        count = len(self.taken)
        got = self.build(**options)
        taken = self.taken[count:] == [True]
        shutil.rmtree(self.reference, ignore_errors=True)
        want = build.build(
            self.root, Options(out=self.reference, cache=False, quick=False, **options)
        )
        assert report(got) == report(want), (report(got), report(want))
        if not want.failed:
            found = differences(tree(self.out), tree(self.reference))
            assert found == [], found
        return taken


def report(result) -> tuple:  # noqa: ANN001
    return (
        sorted(str(d) for d in result.diagnostics),
        result.pages,
        result.files,
        result.notes,
        result.drafts,
        result.without_base_url,
        result.failed,
    )
