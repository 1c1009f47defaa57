"""The records journal stays short: after JOURNAL_BATCHES builds it is written
again as one batch holding each source's last record (cache.RecordCache.save),
and what a build loads from it is what reading the sources gives."""

from __future__ import annotations

from support.helpers import project

from portfolio_gen import cache
from portfolio_gen.build import Options, load


def _batches(journal):
    """Each batch of a journal: (sources put, sources removed)."""
    data, at, found = journal.read_bytes(), 0, []
    while at < len(data):
        size = int.from_bytes(data[at : at + 8], "little")
        _, put, removed = cache.loads(
            cache.unseal(b"journal", data[at + 8 : at + 8 + cache.MAC + size])
        )
        found.append((set(put), set(removed)))
        at += 8 + cache.MAC + size
    return found


def _load(root):
    result, loaded = load(root, Options(), save=True)
    assert loaded is not None and not result.diagnostics.errors
    return loaded.cache


def test_a_journal_of_many_edits_holds_each_sources_last_record(make_portfolio, monkeypatch):
    monkeypatch.setattr(cache, "JOURNAL_BATCHES", 3)
    files = {f"content/projects/p{i}.md": project(f"P{i}", body="text " * 200) for i in range(30)}
    root = make_portfolio(files)
    _load(root)  # the records file
    journal = root / ".portfolio-cache" / cache.JOURNAL
    records = (root / ".portfolio-cache" / cache.RECORDS).stat()
    sizes = []
    for edit in range(10):
        (root / "content/projects/p1.md").write_text(project(f"P1 edit {edit}"), encoding="utf-8")
        if edit == 4:
            (root / "content/projects/p2.md").unlink()
        if edit == 6:
            (root / "content/projects/p3.md").write_text(project("P3 new"), encoding="utf-8")
        _load(root)  # reads the edit, appends it (or writes the journal again)
        kept = _load(root)  # loads it back
        assert kept.batches <= cache.JOURNAL_BATCHES
        assert kept.entries["content/projects/p1.md"][2].title == f"P1 edit {edit}"
        assert ("content/projects/p2.md" in kept.entries) == (edit < 4)
        if edit >= 6:
            assert kept.entries["content/projects/p3.md"][2].title == "P3 new"
        sizes.append(journal.stat().st_size)
        batches = _batches(journal)
        assert len(batches) == kept.batches
        put = set().union(*(p for p, _ in batches))
        removed = set().union(*(r for _, r in batches))
        assert "content/projects/p1.md" in put  # (p2 and p3 are in the records file:)
        assert ("content/projects/p2.md" in removed) == (edit >= 4)  # said gone, also
        assert ("content/projects/p3.md" in put) == (edit >= 6)  # after a rewrite
    now = (root / ".portfolio-cache" / cache.RECORDS).stat()
    assert (now.st_ino, now.st_mtime_ns) == (records.st_ino, records.st_mtime_ns)  # no compaction
    assert max(sizes) < 4 * min(sizes)  # not one record more per build
    fresh = {k: e[2] for k, e in _load(root).entries.items()}
    (root / ".portfolio-cache").rename(root.parent / "old-cache")
    assert {k: e[2] for k, e in _load(root).entries.items()} == fresh
