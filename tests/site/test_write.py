import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.helpers import project, tree_bytes

from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.site.write import LOCK, MARKER, STAGING, SiteWriter, check_output, read_manifest


def test_swap_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.write("index.html", "one")
    writer.write("old/page.html", "stale")
    writer.commit()
    writer = SiteWriter(out)
    writer.write("index.html", "two")
    writer.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "index.html"]
    assert (out / "index.html").read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folders left


def test_writer_never_writes_outside(tmp_path):
    writer = SiteWriter(tmp_path / "site")
    for bad in ("../evil.html", "/etc/evil", "a/../../evil"):
        with pytest.raises(ValueError):
            writer.write(bad, "x")
    writer.abort()
    assert not any(tmp_path.iterdir())  # not even the output folder it made


def test_check_output_rules(tmp_path):
    root = tmp_path / "p"
    (root / "content").mkdir(parents=True)
    d = Diagnostics(root)
    assert check_output(root, root / "site", d)
    assert not check_output(root, root, d)
    assert not check_output(root, tmp_path, d)  # would contain the portfolio
    assert not check_output(root, root / "content" / "out", d)
    (tmp_path / "file").write_text("x")
    assert not check_output(root, tmp_path / "file", d)
    assert len(d.errors) == 4


def test_a_crash_midway_leaves_the_previous_site(cli, make_portfolio, monkeypatch):
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(5)})
    assert cli("build", str(root), "--quiet").code == 0
    before = tree_bytes(root / "site")
    (root / "portfolio.yml").write_text("title: Changed\n")  # every page must be rendered again
    calls = {"n": 0}
    from portfolio_gen.site.render import Renderer

    real = Renderer.render

    def flaky(self, page):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # Ctrl-C in the middle of writing
        return real(self, page)

    monkeypatch.setattr(Renderer, "render", flaky)
    run = cli("build", str(root))
    assert run.code == 130 and "previous site is unchanged" in run.err
    assert tree_bytes(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_template_errors_are_reported_with_file_and_line(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a.md": project(),
            "templates/404.html": "{% extends 'base.html' %}\n{% block content %}{{ nope.x }}{% endblock %}",
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert any(
        line.startswith("templates/404.html:2: error: template error:") for line in run.lines
    ), run.err
    assert not (root / "site").exists()


def test_output_marker_lets_rebuilds_reuse_the_folder(cli, make_portfolio, tmp_path: Path):
    root = make_portfolio({"content/projects/a.md": project()})
    out = tmp_path / "elsewhere"
    assert cli("build", str(root), "-o", str(out), "--quiet").code == 0
    assert (out / MARKER).is_file()
    assert cli("build", str(root), "-o", str(out), "--quiet").code == 0


def _cross_device(monkeypatch, inside: Path, when) -> list[tuple[str, str]]:  # noqa: ANN001
    """os.replace raises EXDEV like the kernel does when ``when(src_in, dst_in)`` says
    a rename crosses the file system mounted at ``inside``; the refused renames."""
    real, refused = os.replace, []

    def replace(src, dst, **kwargs):  # noqa: ANN001, ANN003
        src_in, dst_in = (Path(x).resolve().is_relative_to(inside) for x in (src, dst))
        if when(src_in, dst_in, str(src)):
            refused.append((str(src), str(dst)))
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return refused


def test_the_output_folder_may_be_a_mount_point(cli, make_portfolio, monkeypatch, tmp_path):
    """A Docker volume or tmpfs at site/: no rename may cross its border."""
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(3)})
    out = tmp_path / "volume"
    out.mkdir()  # the mount point exists before the first build, empty
    refused = _cross_device(monkeypatch, out.resolve(), lambda s, d, _: s != d)
    assert cli("build", str(root), "-o", str(out), "--quiet").code == 0
    (root / "content/projects/p1.md").write_text(project("Changed"), encoding="utf-8")
    (root / "content/projects/p2.md").unlink()
    run = cli("build", str(root), "-o", str(out), "--quiet")
    assert run.code == 0, run.err
    assert refused == []
    assert "Changed" in (out / "projects/p1/index.html").read_text(encoding="utf-8")
    assert not (out / "projects/p2").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MARKER]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio", "volume"]


def test_a_cross_device_rename_falls_back_to_copy_then_rename(monkeypatch, tmp_path):
    out = tmp_path / "site"
    for first in (True, False):  # a first build (whole folders move) and a later one
        writer = SiteWriter(out)
        refused = _cross_device(monkeypatch, tmp_path, lambda s, d, src: STAGING in src)
        writer.write("index.html", f"first {first}")
        writer.write("a/b/page.html", "page")
        writer.commit()
        monkeypatch.undo()
        assert refused  # every move from the staging folder was refused, and copied instead
        assert (out / "index.html").read_text() == f"first {first}"
        assert (out / "a/b/page.html").read_text() == "page"
        assert sorted(p.name for p in out.iterdir()) == [MARKER, "a", "index.html"]


def test_a_killed_build_leaves_nothing_that_blocks_the_next(cli, make_portfolio, tmp_path):
    root = make_portfolio({"content/projects/a.md": project()})
    out = tmp_path / "volume"
    (out / f"{STAGING}99999/projects").mkdir(parents=True)  # a first build killed midway
    (out / f"{STAGING}99999/projects/x.html").write_text("half")
    (out / LOCK).write_text("")
    assert cli("build", str(root), "-o", str(out), "--quiet").code == 0
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MARKER]


def test_a_real_tmpfs_output_folder(cli, make_portfolio, tmp_path):
    """Skipped only where mounting is not permitted (not root, no CAP_SYS_ADMIN)."""
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(3)})
    out = tmp_path / "tmpfs"
    out.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(out)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        assert os.stat(out).st_dev != os.stat(tmp_path).st_dev
        for title in ("First", "Second"):
            (root / "content/projects/p0.md").write_text(project(title), encoding="utf-8")
            run = cli("build", str(root), "-o", str(out), "--quiet")
            assert run.code == 0, run.err
            assert title in (out / "projects/p0/index.html").read_text(encoding="utf-8")
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MARKER]
    finally:
        subprocess.run(["umount", str(out)], check=False)


def _failing_disk(monkeypatch, code: int, after: int = 2) -> None:  # noqa: ANN001
    """Writing the site fails with ``code`` from the ``after``-th new file on."""
    real, calls = SiteWriter._put, {"n": 0}

    def put(self, rel, data):  # noqa: ANN001
        calls["n"] += 1
        if calls["n"] >= after:
            raise OSError(code, os.strerror(code), str(self.dest / rel))
        return real(self, rel, data)

    monkeypatch.setattr(SiteWriter, "_put", put)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "no space left on the disk of the output folder; free some space or "
                       "choose another --output"),
        (errno.EACCES, "permission denied writing the output folder; make it writable "
                       "(chmod u+w) or choose another --output"),
        (errno.EROFS, "the output folder is on a read-only file system; choose another --output"),
    ],
)  # fmt: skip
def test_a_full_or_read_only_disk_is_a_message(cli, make_portfolio, monkeypatch, code, message):
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(3)})
    assert cli("build", str(root), "--quiet").code == 0
    before = tree_bytes(root / "site")
    (root / "portfolio.yml").write_text("title: Changed\n")
    _failing_disk(monkeypatch, code)
    run = cli("build", str(root))
    assert run.code == 1 and "Traceback" not in run.err and "internal error" not in run.err
    assert run.lines == [
        f"site: error: {message}",
        "build failed: 1 error; the previous site is unchanged",
    ]
    assert tree_bytes(root / "site") == before


def test_a_file_name_too_long_for_the_disk_is_a_message(cli, make_portfolio):
    """A web page in a bundle is published with '.txt' added (docs/security.md):
    a 253-byte name then passes the file system's 255. (Resized pictures get
    shortened names instead: test_media.py.)"""
    name = "a" * 248 + ".html"
    root = make_portfolio(
        {
            "content/projects/long/index.md": project("Long"),
            f"content/projects/long/{name}": "<p>a page</p>",
        }
    )
    run = cli("build", str(root))
    assert run.code == 1 and "Traceback" not in run.err and "internal error" not in run.err
    too_long = [line for line in run.lines if "too long" in line]
    assert too_long == [
        f"site/projects/long/{name}.txt: error: the name is too long for the output "
        "folder's file system (257 bytes; most allow 255); give the file it is made "
        "from a shorter name"
    ], run.err
    assert run.lines[-1] == "build failed: 1 error; the previous site is unchanged"
    assert not (root / "site").exists()


def test_a_real_read_only_output_folder(cli, make_portfolio, tmp_path):
    """Skipped only where mounting is not permitted."""
    root = make_portfolio({"content/projects/a.md": project()})
    out = tmp_path / "ro"
    out.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(out)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        run = cli("build", str(root), "-o", str(out))
    finally:
        subprocess.run(["umount", str(out)], check=False)
    assert run.code == 1 and "Traceback" not in run.err
    assert run.lines[0] == (
        f"{out}: error: the output folder is on a read-only file system; choose another --output"
    )


def test_a_plain_name_is_one_normpath_leaves_and_check_accepts(tmp_path):
    """write._plain lets _check skip normpath: only for names normpath keeps as they are."""
    import itertools
    import posixpath

    from portfolio_gen.site.write import _plain

    parts = ["a", "index.html", ".", "..", "", ".x", "x.", "..x", "a\\b", MARKER, "~"]
    names = {"/".join(p) for n in (1, 2, 3) for p in itertools.product(parts, repeat=n)}
    names |= {"/" + n for n in names} | {n + "/" for n in names}
    writer = SiteWriter(tmp_path / "site")
    for name in sorted(names):
        if _plain(name):
            assert posixpath.normpath(name) == name and "\\" not in name, name
            writer.written.clear()
            assert writer._check(name) == name and writer.written == {name}
    writer.abort()
    assert _plain("projects/robot-arm/index.html") and _plain("404.html")  # taken for pages
    assert not _plain("a/./b") and not _plain("../x") and not _plain(MARKER)


def test_reuse_all_is_reuse_of_each_file(tmp_path):
    """A build's pages are kept in one call (SiteWriter.reuse_all): the same
    answers, files and keys as a call of reuse for each."""
    out = tmp_path / "site"
    writer = SiteWriter(out)
    for rel in ("index.html", "a/index.html", "b/index.html", "c/./x.html"):
        writer.write(rel, rel, key=f"k-{rel}")
    writer.commit()
    (out / "b/index.html").unlink()  # gone from the site since: made again
    files = ["index.html", "a/index.html", "b/index.html", "c/./x.html", "new.html", "404.html"]
    keys = ["k-index.html", "other", "k-b/index.html", "k-c/./x.html", "k", "k"]
    one, each = SiteWriter(out), SiteWriter(out)
    for writer in (one, each):  # (a name normpath changes: never a page's, checked the long way)
        writer.previous["c/./x.html"] = "k-c/./x.html"
    assert one.reuse_all(files, keys) == [
        each.reuse(f, k) for f, k in zip(files, keys, strict=True)
    ]
    assert one.reuse_all(files, keys) == [True, False, False, True, False, False]
    assert one.written == each.written == {"index.html", "c/x.html"}
    assert one.keys == each.keys
    one.abort(), each.abort()


def test_the_manifest_is_what_json_makes(tmp_path):
    """SiteWriter._manifest is json.dumps(..., indent=0, sort_keys=True), made quicker."""
    import json

    writer = SiteWriter(tmp_path / "site")
    for files in ({}, {"a.html": "k"}, {"é/\u2028\"x\\\n.html": "k\t1", "b/index.html": "", "z": "\x00"}):  # fmt: skip
        writer.written, writer.keys = set(files), dict(files)
        manifest = {"generator": "portfolio-gen", "note": "replaced on each build", "files": files}
        assert writer._manifest() == json.dumps(manifest, indent=0, sort_keys=True) + "\n"
    writer.abort()


def test_a_staged_file_is_written_as_open_wb_writes_it(tmp_path):
    """site/write.py ``create`` (os calls, for speed): the same bytes and mode as
    ``open(path, "wb")``, its folders made, a file in a folder's place an error."""
    from portfolio_gen.site.write import create

    data = bytes(range(256)) * 5000  # (more than one pipe's or page's worth)
    (tmp_path / "by-open.bin").write_bytes(data)
    folders: set[str] = set()
    create(str(tmp_path / "a" / "b" / "c.bin"), data, folders)
    create(str(tmp_path / "a" / "b" / "d.bin"), b"", folders)
    made = tmp_path / "a" / "b" / "c.bin"
    assert made.read_bytes() == data and (tmp_path / "a" / "b" / "d.bin").read_bytes() == b""
    assert made.stat().st_mode == (tmp_path / "by-open.bin").stat().st_mode
    assert folders == {str(tmp_path / "a" / "b")}
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError):
        create(str(tmp_path / "file" / "page.html"), b"x", set())


# ----------------------------------------------------- a hostile output folder
# A portfolio may ship its site/ (committed for GitHub Pages), and a repository
# can hold links and any manifest: building it must change nothing outside site/.


def _built(cli, make_portfolio, tmp_path):  # noqa: ANN001, ANN202
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(3)})
    assert cli("build", str(root)).code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("mine")
    return root, root / "site", outside


def test_a_planted_manifest_deletes_nothing_outside_the_site(cli, make_portfolio, tmp_path):
    root, site, outside = _built(cli, make_portfolio, tmp_path)
    rel = os.path.relpath(outside / "precious.txt", site)
    manifest = json.loads((site / MARKER).read_text())
    manifest["files"].update({rel: "", str(outside / "precious.txt"): "", f"a/../{rel}": ""})
    (site / MARKER).write_text(json.dumps(manifest))
    assert cli("build", str(root)).code == 0
    assert (outside / "precious.txt").read_text() == "mine"
    assert read_manifest(site).keys() == json.loads((site / MARKER).read_text())["files"].keys()
    assert not any(".." in name or name.startswith("/") for name in read_manifest(site))


def test_a_planted_link_in_the_site_is_an_error_and_nothing_is_written_through_it(
    cli, make_portfolio, tmp_path
):
    root, site, outside = _built(cli, make_portfolio, tmp_path)
    shutil.rmtree(site / "projects")
    (site / "projects").symlink_to(outside, target_is_directory=True)
    (outside / "p1").mkdir()
    (outside / "p1/index.html").write_text("not the site's")  # (named by the manifest: stale)
    with (root / "content/projects/p0.md").open("a") as f:
        f.write("\nMore.\n")
    (root / "content/projects/p1.md").unlink()

    run = cli("build", str(root))
    assert run.code == 1
    assert run.lines[0] == (
        "site/projects: error: is a link; remove it (the site's folders are made "
        "by portfolio-gen), then build again"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["p1", "precious.txt"]
    assert (outside / "p1/index.html").read_text() == "not the site's"

    (site / "projects").unlink()
    assert cli("build", str(root)).code == 0
    assert (site / "projects/p0/index.html").is_file() and not (site / "projects").is_symlink()


def test_a_planted_link_at_the_manifest_is_replaced_not_followed(cli, make_portfolio, tmp_path):
    root, site, outside = _built(cli, make_portfolio, tmp_path)
    (site / MARKER).unlink()
    (site / MARKER).symlink_to(outside / "precious.txt")
    assert cli("build", str(root)).code == 0
    assert (outside / "precious.txt").read_text() == "mine"
    assert not (site / MARKER).is_symlink() and read_manifest(site)
