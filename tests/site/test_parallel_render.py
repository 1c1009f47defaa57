"""Pages rendered by forked workers and this process together (site/parallel.py)
give the site and the error that rendering them one by one gives."""

from __future__ import annotations

import gc
import os

from support.helpers import project, tree_bytes

from portfolio_gen.site import parallel

MANIFEST = ".portfolio-gen"  # (its keys are the same; it is compared as data below)


def _files(count: int) -> dict[str, str | bytes]:
    interests = ("art", "robots", "music")
    return {
        f"content/projects/p{i:03}.md": project(
            f"P{i}",
            date=f"2025-{i % 12 + 1:02}-{i % 28 + 1:02}",
            body=f"Body {i} & <b>more</b>.",
            interests=f"[{interests[i % 3]}]",
        )
        for i in range(count)
    }


def test_workers_and_this_process_make_the_site_one_process_makes(
    cli, make_portfolio, monkeypatch, tmp_path
):
    """Every page is rendered once, by whichever process takes its chunk: the
    same files as rendering them all here (a chunk taken twice or never fails)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # two workers and this process
    count = parallel.RENDER_PARALLEL_THRESHOLD + 20
    root = make_portfolio(_files(count))
    assert cli("build", str(root), "-o", str(tmp_path / "many")).code == 0
    assert gc.isenabled()  # (paused while this process rendered)
    monkeypatch.setattr(parallel, "RENDER_PARALLEL_THRESHOLD", 10**9)
    assert cli("build", str(root), "-o", str(tmp_path / "one")).code == 0
    many, one = tree_bytes(tmp_path / "many"), tree_bytes(tmp_path / "one")
    assert (
        len(many) > count
        and f"Body {count - 1} &amp;" in many[f"projects/p{count - 1:03}/index.html"].decode()
    )
    assert many.keys() == one.keys()
    assert [name for name in many if many[name] != one[name]] == []


def test_the_first_failing_page_is_reported_as_when_rendered_one_by_one(
    cli, make_portfolio, monkeypatch
):
    """Project pages come before interest pages, though workers take the list
    pages first: the project page's error is the one reported, every time."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    files = _files(parallel.RENDER_PARALLEL_THRESHOLD)
    files["templates/interest.html"] = (
        '{% extends "base.html" %}\n{% block content %}\n{{ interest_broken() }}\n{% endblock %}\n'
    )
    files["templates/project.html"] = (
        '{% extends "base.html" %}\n{% block content %}\n\n{{ project_broken() }}\n{% endblock %}\n'
    )
    root = make_portfolio(files)
    expected = "templates/project.html:4: error: template error: 'project_broken' is undefined"
    for _ in range(3):
        run = cli("build", str(root))
        assert run.code == 1 and run.lines[0] == expected
    monkeypatch.setattr(parallel, "RENDER_PARALLEL_THRESHOLD", 10**9)
    run = cli("build", str(root))
    assert run.code == 1 and run.lines[0] == expected
    assert not (root / "site").exists()


def test_chunks_wholly_after_a_failed_page_are_not_rendered(monkeypatch, tmp_path):
    """A process that meets a failing page tells the others: a chunk whose pages
    all come after it is skipped (its error could not be the first), one that
    holds an earlier page is still rendered."""
    import multiprocessing

    import jinja2

    rendered = []

    class Renderer:
        portfolio = type("P", (), {"config": type("C", (), {"root": tmp_path})})()

        def render(self, page: int, context: object = None) -> str:
            rendered.append(page)
            if page in (5, 2):
                raise jinja2.TemplateError(f"page {page}")
            return "x"

    class Writer:
        def stage(self, path: str, data: bytes) -> None:
            (tmp_path / path).write_bytes(data)

    todo = [(i, f"p{i}.html", "key") for i in range(12)]
    chunks = [[4, 5, 6], [7, 8], [0, 1, 2, 3], [9, 10, 11]]
    monkeypatch.setattr(parallel, "_render_job", (Renderer(), todo, Writer(), chunks, {}, None))
    monkeypatch.setattr(parallel, "_next_chunk", multiprocessing.Value("i", 0))
    monkeypatch.setattr(parallel, "_first_failed", multiprocessing.Value("q", len(todo)))
    first, located = parallel._render_share()
    assert located == {}  # (no body asked for)
    assert first is not None and first[0] == 2 and first[1][2] == "page 2"
    assert rendered == [4, 5, 0, 1, 2]  # [7, 8] and [9, 10, 11] skipped; [0..3] not


def test_what_list_pages_share_is_made_once_before_the_workers_fork(
    cli, make_portfolio, monkeypatch, tmp_path
):
    """The standards matrix (standards, report and standard pages) is made once,
    here, before the fork, not once in each process that renders one of them;
    the pages are those rendering them one by one makes."""
    from portfolio_gen.site import pages

    made = tmp_path / "made"  # one line per matrix made, from whichever process
    build_matrix = pages._matrix

    def counted(portfolio):  # type: ignore[no-untyped-def]
        with open(made, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return build_matrix(portfolio)

    monkeypatch.setattr(pages, "_matrix", counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    files = {
        f"content/projects/p{i:03}.md": project(f"P{i}", standards="[MS-ETS1-4, 7.RP.A.2]")
        for i in range(parallel.RENDER_PARALLEL_THRESHOLD)
    }
    root = make_portfolio(files)
    assert cli("build", str(root), "-o", str(tmp_path / "many")).code == 0
    assert made.read_text().split() == [str(os.getpid())]
    monkeypatch.setattr(parallel, "RENDER_PARALLEL_THRESHOLD", 10**9)
    assert cli("build", str(root), "-o", str(tmp_path / "one")).code == 0
    many, one = tree_bytes(tmp_path / "many"), tree_bytes(tmp_path / "one")
    assert "MS-ETS1-4" in many["report/index.html"].decode()
    assert [name for name in many if many.get(name) != one.get(name)] == []
