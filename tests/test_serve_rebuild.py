"""The live preview's rebuilds: what a save tells the rebuild, and that a preview
rebuilt edit after edit is the site a fresh preview of the same sources gives."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from support.helpers import project, write_tree

from portfolio_gen.build import Changes, Result
from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.serve import Preview, Watcher

CONFIG = "title: Live\nlearner: {name: Ana B.}\nbase_url: https://ana.example.org/sub/\n"


class Recorder:
    """A stand-in for the Rebuilder: keeps the Changes each rebuild was given."""

    def __init__(self, root: Path) -> None:
        self.preview = Preview(root, "/")
        self.changes: list[Changes] = []
        self.called = threading.Event()

    def rebuild(self, changes: Changes | None = None) -> Result:
        assert changes is not None
        self.changes.append(changes)
        self.called.set()
        return Result(Diagnostics(self.preview.folder))


def _changes_after(root: Path, edit) -> Changes:  # type: ignore[no-untyped-def]
    recorder = Recorder(root)
    watcher = Watcher(root, recorder, [], lambda message: None)  # type: ignore[arg-type]
    watcher.start()
    try:
        edit()
        assert recorder.called.wait(10), "no rebuild"
    finally:
        watcher.close()
    return recorder.changes[0]


def test_a_save_is_no_structural_change_but_a_new_file_is(make_portfolio):
    """Saving a file in place (open, write, close) changes no list of files: the
    rebuild need not list every source again; a new file does."""
    root = make_portfolio({"content/projects/arm/index.md": project("Arm")}, config=CONFIG)
    source = root / "content/projects/arm/index.md"
    saved = _changes_after(root, lambda: source.write_text(project("Arm", body="New.\n")))
    assert source in saved.paths and not saved.structural
    new = root / "content/projects/leg.md"
    added = _changes_after(root, lambda: new.write_text(project("Leg")))
    assert new in added.paths and added.structural


# --- a preview rebuilt edit after edit == a fresh preview of the same sources ---

START = {
    "portfolio.yml": CONFIG + "interests: [robotics]\ngoals: [HS-LS2-7, MS-ETS1-1]\n",
    "content/about.md": "---\ntitle: About\n---\nSee [the arm](projects/arm/index.md).\n",
    "content/projects/arm/index.md": project(
        "Arm",
        "2026-01-05",
        body="Uses [the leg](../leg.md).\n",
        interests="[robotics, making]",
        standards="[HS-LS2-7]",
    ),  # fmt: skip
    "content/projects/leg.md": project("Leg", "2026-01-04", interests="[making]"),
    "content/projects/eye.md": project("Eye", "2026-01-03", standards="[MS-ETS1-1, HS-LS2-7]"),
    "content/projects/ear.md": project("Ear", "2026-01-02", interests="[Robotics]"),
    "content/projects/poem.md": project("Poem", "2026-01-01", draft="true"),
}

ARM = "content/projects/arm/index.md"
# (what the edit does, files written (None: deleted), files moved (from, to))
EDITS: list[tuple[str, dict[str, str | None], tuple[str, str] | None]] = [
    ("the body", {ARM: START[ARM].replace("Uses", "Now uses")}, None),
    (
        "a title",
        {"content/projects/leg.md": project("Leg two", "2026-01-04", interests="[making]")},
        None,
    ),  # fmt: skip
    (
        "an interest",
        {
            "content/projects/eye.md": project(
                "Eye", "2026-01-03", interests="[music]", standards="[MS-ETS1-1, HS-LS2-7]"
            )
        },
        None,
    ),  # fmt: skip
    (
        "an interest that clashes",
        {"content/projects/ear.md": project("Ear", "2026-01-02", interests="[Robotics!]")},
        None,
    ),  # fmt: skip
    (
        "the clash mended",
        {"content/projects/ear.md": project("Ear", "2026-01-02", interests="[ROBOTICS]")},
        None,
    ),  # fmt: skip
    (
        "a standard code",
        {"content/projects/eye.md": project("Eye", "2026-01-03", standards="[HS-LS2-7]")},
        None,
    ),  # fmt: skip
    (
        "an unknown standard code",
        {"content/projects/leg.md": project("Leg", "2026-01-04", standards="[XX-NOPE-1]")},
        None,
    ),  # fmt: skip
    (
        "a link to another project",
        {"content/projects/ear.md": project("Ear", "2026-01-02", body="Like [eye](eye.md).\n")},
        None,
    ),  # fmt: skip
    (
        "a broken link",
        {"content/projects/leg.md": project("Leg", "2026-01-04", body="See [x](nope.md).\n")},
        None,
    ),  # fmt: skip
    (
        "the link mended",
        {"content/projects/leg.md": project("Leg", "2026-01-04", body="See [eye](eye.md).\n")},
        None,
    ),  # fmt: skip
    (
        "a link to a missing file",
        {"content/projects/eye.md": project("Eye", "2026-01-03", body="[Notes](../notes.txt)\n")},
        None,
    ),
    ("the file added", {"content/notes.txt": "Notes.\n"}, None),
    (
        "a date: the order",
        {"content/projects/ear.md": project("Ear", "2026-02-01", body="Like [eye](eye.md).\n")},
        None,
    ),  # fmt: skip
    (
        "a title, and a broken link elsewhere",
        {
            "content/projects/ear.md": project("Ear 2", "2026-02-01", body="Like [eye](eye.md).\n"),
            "content/projects/leg.md": project("Leg", "2026-01-04", body="See [x](nope.md).\n"),
        },
        None,
    ),
    (
        "only the link mended",  # the title's change, from the build with errors, shows
        {"content/projects/leg.md": project("Leg", "2026-01-04", body="See [eye](eye.md).\n")},
        None,
    ),
    ("a draft published", {"content/projects/poem.md": project("Poem", "2026-01-01")}, None),
    ("a project deleted (linked to)", {"content/projects/eye.md": None}, None),
    (
        "it comes back",
        {"content/projects/eye.md": project("Eye", "2026-01-03", standards="[MS-ETS1-1]")},
        None,
    ),  # fmt: skip
    (
        "a new project",
        {
            "content/projects/hand.md": project(
                "Hand", "2026-03-01", interests="[hands]", standards="[HS-LS2-7]"
            )
        },
        None,
    ),  # fmt: skip
    ("a slug (renamed)", {}, ("content/projects/leg.md", "content/projects/foot.md")),
    ("the link follows it", {ARM: START[ARM].replace("../leg.md", "../foot.md")}, None),
    (
        "portfolio.yml",
        {"portfolio.yml": CONFIG + "interests: [robotics, music]\nfeatured: [ear]\n"},
        None,
    ),  # fmt: skip
    (
        "about.md",
        {"content/about.md": "---\ntitle: Me\n---\nSee [ear](projects/ear.md).\n"},
        None,
    ),  # fmt: skip
    (
        "two projects at once",
        {
            "content/projects/hand.md": project("Hand", "2026-03-01", interests="[robotics]"),
            "content/projects/ear.md": project("Ear", "2026-02-01", standards="[MS-ETS1-1]"),
        },
        None,
    ),  # fmt: skip
]


def _preview(root: Path, folder: Path):  # type: ignore[no-untyped-def]
    from portfolio_gen.serve import Rebuilder

    folder.mkdir()
    return Rebuilder(root, Preview(folder, "/sub/"), True, "http://127.0.0.1:8000/sub/")


def _state(rebuilder, result: Result) -> tuple[list[str], list[str], dict[str, bytes]]:  # type: ignore[no-untyped-def]
    from support.helpers import tree_bytes

    diagnostics = [str(d) for d in result.diagnostics.sorted()]
    errors = rebuilder.preview.errors
    # With errors the preview keeps showing the last good site: only the errors compare.
    return diagnostics, errors, {} if errors else tree_bytes(rebuilder.preview.folder)


def test_a_preview_rebuilt_edit_after_edit_is_a_fresh_preview(make_portfolio, tmp_path):
    """Every edit that changes how projects link up (titles, interests, standard
    codes, links, dates, drafts, deleted, new and renamed projects, and global
    files) gives the preview, its diagnostics and its errors that a fresh preview
    of the same sources gives, byte for byte."""
    root = make_portfolio(START, config=None).resolve()
    kept = _preview(root, tmp_path / "kept")
    kept.rebuild()
    for n, (what, files, moved) in enumerate(EDITS):
        paths: set[Path] = set()
        structural = moved is not None
        for name, text in files.items():
            path = root / name
            if text is None:
                path.unlink()
                structural = True
            else:
                structural = structural or not path.exists()
                path.write_text(text, encoding="utf-8")
            paths |= {path, path.parent}
        if moved is not None:
            (root / moved[0]).rename(root / moved[1])
            paths |= {root / moved[0], root / moved[1], (root / moved[1]).parent}
        incremental = _state(kept, kept.rebuild(Changes(paths, structural)))
        fresh = _preview(root, tmp_path / f"fresh-{n}")
        assert incremental == _state(fresh, fresh.rebuild()), what


def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


# --- a reload asks for the page alone: static files carry their version ---


def test_pages_name_static_files_with_their_version(tmp_path):
    from portfolio_gen.serve import versioned

    write_tree(tmp_path, {"static/style.css": "b{}", "static/f.woff2": "x",
                          "projects/arm/static/pic.png": "p"})  # fmt: skip
    page = (
        b'<link href="../../static/style.css"><style>src: url("../../static/f.woff2")</style>'
        b'<img src="static/pic.png"><a href="../../static/gone.css">'
        b"<p>static/style.css, &quot;../../static/style.css&quot;</p>"
        b'<p>(static/style.css) (../../static/style.css)</p><a href="static/a%00b">'
    )
    shown = versioned(page, "/projects/arm", tmp_path).decode()

    def version(rel: str) -> str:
        stat = (tmp_path / rel).stat()
        return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"

    assert shown == (
        f'<link href="../../static/style.css?v={version("static/style.css")}">'
        f'<style>src: url("../../static/f.woff2?v={version("static/f.woff2")}")</style>'
        f'<img src="static/pic.png?v={version("projects/arm/static/pic.png")}">'
        '<a href="../../static/gone.css">'  # no such file: as it was
        "<p>static/style.css, &quot;../../static/style.css&quot;</p>"  # text: as it was
        "<p>(static/style.css) (../../static/style.css)</p>"  # text in brackets too
        '<a href="static/a%00b">'  # a NUL in a link: no such file, no error
    )


def test_a_versioned_file_is_kept_and_a_changed_one_asked_for_again(make_portfolio):
    """The browser keeps static/style.css?v=VERSION for good; the plain name (and an old
    version, as the CSS swap asks for) is asked again every time: a CSS edit, then a
    reload, never shows the old stylesheet."""
    import re
    import urllib.request

    from test_serve import Running

    root = make_portfolio(
        {"content/projects/arm.md": project("Arm"), "static/style.css": "body{color:red}"},
        config=CONFIG,
    )

    def get(url: str, **headers: str):  # type: ignore[no-untyped-def]
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, b""

    def stylesheet() -> str:
        page = get(running.url + "projects/arm/")[2].decode()
        return running.url + re.search(r'href="\.\./\.\./(static/style\.css\?v=[^"]+)"', page)[1]

    with Running(root) as running:
        first = stylesheet()
        status, headers, body = get(first)
        assert (status, body) == (200, b"body{color:red}")
        assert headers["Cache-Control"] == "max-age=31536000, immutable"
        assert get(first, **{"If-None-Match": headers["ETag"]})[0] == 304
        plain = get(running.url + "static/style.css")
        assert plain[1]["Cache-Control"] == "no-cache" and plain[2] == b"body{color:red}"

        (root / "static/style.css").write_text("body{color:blue}")
        wait_for(lambda: stylesheet() != first)
        assert get(stylesheet())[2] == b"body{color:blue}"
        old = get(first, **{"If-None-Match": headers["ETag"]})  # the CSS swap's ?v=...
        assert old[0] == 200 and old[2] == b"body{color:blue}"
        assert old[1]["Cache-Control"] == "no-cache"
