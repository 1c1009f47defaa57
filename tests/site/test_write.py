from pathlib import Path

import pytest
from helpers import project, tree_bytes

from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.site.write import MARKER, SiteWriter, check_output


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
    assert not any(tmp_path.iterdir())


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
