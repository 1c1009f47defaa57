"""The build cache is never trusted code: crafted cache files in a cloned
portfolio run nothing, and a .portfolio-cache that links out of it is not used."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import stat
import sys
from pathlib import Path

import pytest
from support.helpers import html, project

from portfolio_gen import cache, yamlio
from portfolio_gen.site import render


class Payload:
    """Unpickled, it would run a shell command that makes ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (os.system, (f"touch {self.marker}",))


def evil(marker: Path) -> bytes:
    return pickle.dumps(Payload(marker), protocol=pickle.HIGHEST_PROTOCOL)


def reads(cli, root: Path, monkeypatch) -> int:
    """Build; how many projects it read (none: all came from the cache)."""
    import portfolio_gen.build

    calls = []
    real = portfolio_gen.build.read_project
    with monkeypatch.context() as patch:
        patch.setattr(
            portfolio_gen.build, "read_project", lambda *a, **k: calls.append(a) or real(*a, **k)
        )
        built(cli, root)
    return len(calls)


def built(cli, root: Path) -> None:
    run = cli("build", str(root))
    assert run.code == 0 and run.err == "", run.err


@pytest.fixture
def portfolio(make_portfolio):
    files = {f"content/projects/p{i}.md": project(f"P{i}", body="x " * 300) for i in range(3)}
    return make_portfolio(files)


def test_the_key_is_the_users_own(cache_home):
    key = cache.secret_key()
    assert len(key) == 32 and (cache_home / "key").read_bytes() == key
    assert stat.S_IMODE((cache_home / "key").stat().st_mode) == 0o600
    assert cache.unseal(b"x", cache.seal(b"x", b"data")) == b"data"
    assert cache.unseal(b"y", cache.seal(b"x", b"data")) is None  # not another kind of file
    assert cache.unseal(b"x", cache.seal(b"x", b"data")[:-1]) is None


def test_a_relative_cache_home_is_not_used(monkeypatch, tmp_path):
    # Found from the working folder, often a portfolio, whose clone can hold a key.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for name in ("PORTFOLIO_GEN_CACHE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, ".cache")
    assert cache.key_file() == tmp_path / "user" / ".cache" / "portfolio-gen" / "key"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.key_file() == tmp_path / "xdg" / "portfolio-gen" / "key"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file modes")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_key_others_could_read_or_write_is_not_used(monkeypatch, tmp_path, mode):
    # A key from a clone or a download is 0644: planted with a file sealed under it.
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(tmp_path))
    planted = tmp_path / "key"
    planted.write_bytes(b"k" * 32)
    planted.chmod(mode)
    assert cache._read_key(planted) is None
    planted.chmod(0o600)
    assert cache._read_key(planted) == b"k" * 32


def test_unpickling_makes_records_only(tmp_path):
    marker = tmp_path / "PWNED"
    with pytest.raises(pickle.UnpicklingError, match="may not hold posix.system|nt.system"):
        cache.loads(evil(marker))
    with pytest.raises(pickle.UnpicklingError, match="builtins.eval"):
        cache.loads(pickle.dumps(eval))
    assert not marker.exists()
    located = yamlio.load("when: 2026-01-02\nat: 2026-01-02 10:00:00+02:00\n", remember=False)
    assert cache.loads(pickle.dumps(located)) == located


@pytest.mark.parametrize(
    "craft",
    [
        lambda payload: (8).to_bytes(8, "little") + payload,  # the old format
        lambda payload: cache.HEADER.to_bytes(8, "little") + bytes(cache.MAC) + payload,
        # sealed with the builder's key, yet still not run: only records are unpickled
        lambda payload: (
            cache.HEADER.to_bytes(8, "little") + cache.mac(b"records", payload) + payload
        ),
    ],
    ids=["unsealed", "bad-mac", "sealed"],
)
def test_a_crafted_records_file_runs_nothing(cli, portfolio, tmp_path, monkeypatch, craft):
    marker = tmp_path / "PWNED"
    built(cli, portfolio)
    records = portfolio / ".portfolio-cache" / cache.RECORDS
    records.write_bytes(craft(evil(marker)))
    assert reads(cli, portfolio, monkeypatch) == 3  # ignored
    assert not marker.exists()
    assert "x x x" in html(portfolio / "site/projects/p1/index.html").text
    assert reads(cli, portfolio, monkeypatch) == 0  # rebuilt, and used again


def test_a_crafted_journal_runs_nothing(cli, portfolio, tmp_path, monkeypatch):
    marker = tmp_path / "PWNED"
    built(cli, portfolio)
    journal = portfolio / ".portfolio-cache" / cache.JOURNAL
    payload = evil(marker)
    for data in (
        payload,  # the old format: pickles one after another
        len(payload).to_bytes(8, "little") + bytes(cache.MAC) + payload,
        len(payload).to_bytes(8, "little") + cache.seal(b"journal", payload),
    ):
        journal.write_bytes(data)
        assert reads(cli, portfolio, monkeypatch) == 0  # the records file is still good
        assert not marker.exists()


def test_a_crafted_yaml_memo_runs_nothing(cli, portfolio, tmp_path):
    marker = tmp_path / "PWNED"
    built(cli, portfolio)
    memo = portfolio / ".portfolio-cache" / yamlio.MEMO_FILE
    for data in (evil(marker), cache.seal(b"yaml", evil(marker))):
        memo.write_bytes(data)
        built(cli, portfolio)
        assert not marker.exists()
        assert cache.unseal(b"yaml", memo.read_bytes())  # written again, sealed


def test_crafted_compiled_templates_run_nothing(cli, portfolio, tmp_path, cache_home):
    import jinja2.bccache

    marker = tmp_path / "PWNED"
    render._BYTECODE.store.clear()  # (compiled by an earlier test: not written to disk again)
    built(cli, portfolio)
    folder = portfolio / ".portfolio-cache" / "jinja"
    files = list(folder.iterdir()) + sorted((cache_home / "theme").rglob("*.cache"))  # (built-in)
    assert files
    code = compile(f"open({str(marker)!r}, 'w').close()", "x.html", "exec")
    for path in files:  # Jinja's own file format: magic, checksum, marshalled code
        bucket = path.read_bytes()[cache.MAC :]
        magic = jinja2.bccache.bc_magic
        checksum = pickle.loads(bucket[len(magic) :])  # (reads the pickle, stops after it)
        path.write_bytes(magic + pickle.dumps(checksum, 2) + marshal.dumps(code))
    render._BYTECODE.store.clear()  # as a new process: the compiled templates come from disk
    (portfolio / "content/projects/p1.md").write_text(project("P1", body="y " * 300))
    built(cli, portfolio)
    assert not marker.exists()
    assert "y y y" in html(portfolio / "site/projects/p1/index.html").text


def test_compiled_templates_are_read_back_from_disk(cli, portfolio, monkeypatch):
    render._BYTECODE.store.clear()
    built(cli, portfolio)
    render._BYTECODE.store.clear()
    compiled = []
    monkeypatch.setattr(
        render.jinja2.Environment, "compile", lambda *a, **k: compiled.append(a) or 1 / 0
    )
    (portfolio / "content/projects/p1.md").write_text(project("P1", body="y " * 300))
    built(cli, portfolio)  # nothing compiled: every template verified from the disk
    assert compiled == []


def test_a_cache_made_under_another_key_is_ignored(cli, portfolio, tmp_path, monkeypatch):
    built(cli, portfolio)
    assert reads(cli, portfolio, monkeypatch) == 0
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(tmp_path / "another-user"))
    assert reads(cli, portfolio, monkeypatch) == 3
    assert reads(cli, portfolio, monkeypatch) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_cache_linked_out_of_the_portfolio_is_not_used(cli, portfolio, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (portfolio / ".portfolio-cache").symlink_to(outside, target_is_directory=True)
    for _ in range(2):
        run = cli("build", str(portfolio))
        assert run.code == 0
        assert run.lines == [
            ".portfolio-cache: warning: is a link to a folder outside the portfolio; "
            "the build cache is not used"
        ]
        assert list(outside.iterdir()) == []
    assert "x x x" in html(portfolio / "site/projects/p1/index.html").text


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
@pytest.mark.parametrize(
    "link", ["jinja", "network", "images", "images/ab/cd.webp", cache.JOURNAL, cache.RECORDS]
)
def test_links_inside_the_cache_lead_nowhere_outside(cli, portfolio, tmp_path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("untouched")
    built(cli, portfolio)
    folder = portfolio / ".portfolio-cache"
    if (folder / link).is_dir():
        shutil.rmtree(folder / link)
    else:
        (folder / link).unlink(missing_ok=True)
    (folder / link).parent.mkdir(parents=True, exist_ok=True)
    (folder / link).symlink_to(victim if "." in link else outside)
    edited = portfolio / "content/projects/p1.md"
    edited.write_text(project("P1", body="y " * 300))  # a journal entry, and a page to render
    render._BYTECODE.store.clear()
    run = cli("build", str(portfolio))
    assert run.code == 0
    assert run.lines == [f".portfolio-cache: warning: {cache.LINKED_OUT}"]
    assert victim.read_text() == "untouched"
    assert sorted(os.listdir(outside)) == ["victim.txt"]
    assert "y y y" in html(portfolio / "site/projects/p1/index.html").text


def test_only_a_records_body_part_is_kept_apart(tmp_path):
    """The records file keeps a record's ``body`` apart only when it is a part
    (a dataclass: content.projects.Body); a record's ``body`` of bytes, even of
    the same class, and every other field come back as they were, and the part
    through a stand-in that reads it on first use."""
    from portfolio_gen.badges.fetch import Response
    from portfolio_gen.content.projects import Body

    records = cache.RecordCache(tmp_path, "settings")
    response = Response("https://example.org/b.json", 200, b"(1, 2, 3)")
    page = Response("https://example.org/", 200, Body("<p>Hi.</p>", {"c": "<pre>"}))  # type: ignore[arg-type]
    records.put("a", "sig", "h", response, [])
    records.put("b", "sig", "h", page, [])
    records.save()
    again = cache.RecordCache(tmp_path, "settings")
    assert again.entries["a"][2] == response and type(again.entries["a"][2].body) is bytes
    loaded = again.entries["b"][2]
    assert type(loaded.body) is cache.Deferred and loaded.body._value is None
    assert loaded.body.html == "<p>Hi.</p>" and loaded.body.code_html == {"c": "<pre>"}
    assert loaded == page


def test_a_sources_signature_is_its_files_sizes_and_times(tmp_path):
    """RecordCache.lookup's signature of a source: size and time of it (and its
    bundle's files), then what else its record depends on."""
    source, bundle = tmp_path / "a.md", tmp_path / "b"
    source.write_text("a")
    bundle.mkdir()
    (bundle / "index.md").write_text("b")
    (bundle / "pic.png").write_bytes(b"p")
    records = cache.RecordCache(tmp_path, "settings", persistent=False)
    made = []
    real = cache.signature
    for path, listing in ((source, ()), (tmp_path / "gone.md", ()), (bundle / "index.md", ("pic.png",))):  # fmt: skip
        for extra in ("", "2026-01-02|x"):
            long_way = real(path, listing) + cache.signature_prefix(extra)
            sig, _, _ = records.lookup(str(path), str(path), extra, listing, hash_new=False)
            assert sig == long_way
            made.append(long_way)
    assert made[:4] == [
        f"{source.stat().st_size}:{source.stat().st_mtime_ns}||",
        f"{source.stat().st_size}:{source.stat().st_mtime_ns}|2026-01-02|x|",
        "missing||",
        "missing|2026-01-02|x|",
    ]
