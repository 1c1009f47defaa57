"""The built-in theme's compiled templates, kept in the user's cache folder for
every portfolio (issue 17, cold build): what a cold build loads is what it would
compile, nothing of a portfolio is kept there, and a crafted file runs nothing."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
from pathlib import Path

import jinja2.bccache
import pytest
from support.helpers import BASIC_CONFIG, html, project, tree_bytes, write_tree

from portfolio_gen import build, cache
from portfolio_gen.site import render
from portfolio_gen.site.themes import builtin_themes

PROJECTS = {f"content/projects/p{i}.md": project(f"P{i}", body="x " * 50) for i in range(3)}
OWN_BASE = (builtin_themes() / "default/templates/base.html").read_text("utf-8")
OWN_BASE = OWN_BASE.replace("<main", "<p>OWN-BASE-MARK</p>\n<main")


@pytest.fixture(params=["one process", "forked readers"])
def home(tmp_path, monkeypatch, request) -> Path:
    """A user's cache folder of this test only, and a process that compiled nothing yet."""
    folder = tmp_path / "home"
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(folder))
    if request.param == "forked readers":  # the theme is compiled while they read
        monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 1)
    render._BYTECODE.store.clear()
    yield folder
    render._BYTECODE.store.clear()


def made(tmp_path: Path, name: str, files: dict[str, str], config: str = BASIC_CONFIG) -> Path:
    root = tmp_path / name
    return write_tree(root, {"portfolio.yml": config, **PROJECTS, **files})


def built(cli, root: Path) -> dict[str, bytes]:
    run = cli("build", str(root), "--jobs", "2")
    assert run.code == 0 and run.err == "", run.err
    render._BYTECODE.store.clear()  # the next build is another process
    return {k: v for k, v in tree_bytes(root / "site").items() if k != ".portfolio-gen"}


def shared_files(home: Path) -> list[Path]:
    return sorted((home / "theme").rglob("*.cache"))


def compiled_names(monkeypatch) -> list[str]:
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN202
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def test_a_cold_build_of_another_portfolio_compiles_no_builtin_template(
    cli, tmp_path, home, monkeypatch
):
    first = made(tmp_path, "first", {})
    built(cli, first)
    assert len(shared_files(home)) >= 10  # every page template of the theme
    assert not list((first / ".portfolio-cache/jinja").iterdir())  # not kept twice
    spanish = BASIC_CONFIG + "language: es\n"
    second = made(tmp_path, "second", {}, spanish)
    fresh = made(tmp_path, "fresh", {}, spanish)
    compiled = compiled_names(monkeypatch)
    from_shared = built(cli, second)
    assert compiled == []  # a cold build (no .portfolio-cache): every template loaded
    shutil.rmtree(home / "theme")
    assert built(cli, fresh) == from_shared  # what compiling gives, byte for byte
    assert "base.html" in compiled


def test_a_portfolios_own_templates_are_never_shared(cli, tmp_path, home, monkeypatch):
    own = made(tmp_path, "own", {"templates/base.html": OWN_BASE})
    built(cli, own)
    kept = shared_files(home)
    assert kept
    assert len(list((own / ".portfolio-cache/jinja").iterdir())) == 1  # its own base.html
    for path in kept:  # (compiled code names its file: the portfolio's would show)
        assert str(own).encode() not in path.read_bytes()
        assert b"OWN-BASE-MARK" not in path.read_bytes()
    other = made(tmp_path, "other", {})
    compiled = compiled_names(monkeypatch)
    pages = built(cli, other)
    assert compiled == ["base.html"]  # the theme's own base.html: never compiled before
    assert b"OWN-BASE-MARK" not in pages["projects/p1/index.html"]
    assert b"OWN-BASE-MARK" in built(cli, own)["projects/p1/index.html"]


def test_only_the_installed_theme_counts_as_builtin(tmp_path):
    theme = builtin_themes() / "default" / "templates"
    assert render._in_builtin_theme(str(theme / "base.html"))
    assert not render._in_builtin_theme(str(tmp_path / "templates" / "base.html"))
    assert not render._in_builtin_theme(f"{theme}{os.sep}..{os.sep}..{os.sep}..{os.sep}x.html")
    assert not render._in_builtin_theme(f"{builtin_themes()}-evil{os.sep}base.html")


def test_another_environment_shape_has_its_own_folder(tmp_path):
    env = render._environment((str(tmp_path),), None)
    assert render.theme_cache(env) == render.theme_cache(render._environment((), None))
    loose = render._environment((str(tmp_path),), None)
    loose.trim_blocks = False
    assert render.theme_cache(loose) != render.theme_cache(env)
    more = render._environment((str(tmp_path),), None)
    more.filters["shout"] = str.upper
    assert render.theme_cache(more) != render.theme_cache(env)


@pytest.mark.parametrize("how", ["unsealed", "sealed as a portfolio's", "cut short", "garbage"])
def test_a_crafted_shared_file_runs_nothing(cli, tmp_path, home, how):
    marker = tmp_path / "PWNED"
    first = made(tmp_path, "first", {})
    expected = built(cli, first)
    code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "x.html", "exec"))
    for path in shared_files(home):
        bucket = path.read_bytes()[cache.MAC :]
        magic = jinja2.bccache.bc_magic
        checksum = pickle.loads(bucket[len(magic) :])  # (reads the pickle, stops after it)
        evil = magic + pickle.dumps(checksum, 2) + code
        path.write_bytes(
            {
                "unsealed": evil,
                "sealed as a portfolio's": cache.seal(b"jinja:" + path.stem.encode(), evil),
                "cut short": path.read_bytes()[: cache.MAC + 10],
                "garbage": os.urandom(200),
            }[how]
        )
    second = made(tmp_path, "second", {})
    assert built(cli, second) == expected
    assert not marker.exists()
    assert "x x x" in html(second / "site/projects/p1/index.html").text
