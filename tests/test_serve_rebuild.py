"""The live preview's rebuilds: what a save tells the rebuild, and that a preview
rebuilt edit after edit is the site a fresh preview of the same sources gives."""

from __future__ import annotations

import threading
from pathlib import Path

from helpers import project

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
