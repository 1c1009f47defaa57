"""The renderer's shortcuts (issue 17) give what the long way gives: a known
global that takes no context is called as Jinja would call it, and links are
remembered by page depth only where the depth alone decides them."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from portfolio_gen.site.render import Renderer, reads_only_page, sandbox
from portfolio_gen.urls import relative_url

REPO = Path(__file__).resolve().parents[2]


def test_a_plain_global_gets_only_its_arguments_in_loops_and_blocks(tmp_path):
    seen = []

    def shout(s: str, **kwargs: object) -> str:
        seen.append(kwargs)
        return s.upper()

    env = sandbox([str(tmp_path)])
    env.globals["shout"] = shout
    template = env.from_string(
        "{{ shout('a') }}{% for x in 'bc' %}{{ shout(x) }}{% endfor %}"
        "{% block b %}{% for x in 'd' %}{{ shout(x) }}{% endfor %}{{ shout('e') }}{% endblock %}"
    )
    assert template.render() == template.render() == "ABCDE"
    assert seen == [{}] * 10  # not Jinja's _loop_vars, _block_vars
    assert env._safe_globals[id(shout)][2] == "nothing"  # called the short way


def test_a_jinja_without_its_private_passarg_calls_every_global_the_long_way(tmp_path, monkeypatch):
    monkeypatch.delattr(jinja2.utils, "_PassArg")  # a later Jinja may not have it

    def shout(s: str, **kwargs: object) -> str:
        assert not kwargs
        return s.upper()

    env = sandbox([str(tmp_path)])
    env.globals["shout"] = shout
    template = env.from_string("{{ shout('a') }}{% for x in 'b' %}{{ shout(x) }}{% endfor %}")
    assert template.render() == template.render() == "AB"
    assert env._safe_globals[id(shout)][2] is None  # through Context.call


def test_a_context_global_still_sees_the_loop_and_block_it_is_called_in(tmp_path):
    """A pass_context global (url, asset) is given the context itself, the short
    way, only where no loop or block set variables it could read."""
    seen = []

    @jinja2.pass_context
    def where(context: jinja2.runtime.Context, **kwargs: object) -> str:
        seen.append(kwargs)
        return context["page"]

    source = (
        "{{ where() }}{% for x in 'ab' %}{% set page = x %}{{ where() }}{% endfor %}"
        "{% block b %}{% set page = 'c' %}{{ where() }}{% for x in 'd' %}{{ where() }}"
        "{% endfor %}{% endblock %}{% for x in 'e' %}{{ where() }}{% endfor %}"
    )
    plain = jinja2.Environment()  # Jinja's own Context.call, every time
    plain.globals["where"] = where
    expected = plain.from_string(source).render(page="top")
    assert expected == "topabctoptop"
    env = sandbox([str(tmp_path)])
    env.globals["where"] = where
    template = env.from_string(source)
    assert template.render(page="top") == template.render(page="top") == expected
    assert seen == [{}] * 18  # not Jinja's _loop_vars, _block_vars
    assert env._safe_globals[id(where)][2] == "context"


def test_a_global_that_reads_only_the_page_sees_the_page_jinja_shows_it(tmp_path, monkeypatch):
    """url() and asset() read ``page`` alone: where a loop or block set other
    variables they get the context itself (no derived one), and where one sets
    ``page`` they get Jinja's derived context, as Context.call gives it."""

    @reads_only_page
    @jinja2.pass_context
    def here(context: jinja2.runtime.Context) -> str:
        return context["page"]

    derived = []
    real = jinja2.runtime.Context.derived
    monkeypatch.setattr(
        jinja2.runtime.Context, "derived", lambda *a, **k: derived.append(1) or real(*a, **k)
    )
    source = (
        "{{ here() }}{% for x in 'ab' %}{% set y = x %}{{ here() }}{% endfor %}"
        "{% block b %}{% set y = 'c' %}{{ here() }}{% endblock %}"
        "{% for x in 'de' %}{% set page = x %}{{ here() }}{% endfor %}"
        "{% block c %}{% set page = 'f' %}{{ here() }}{% endblock %}"
    )
    plain = jinja2.Environment()  # Jinja's own Context.call, every time
    plain.globals["here"] = here
    expected = plain.from_string(source).render(page="top")
    assert expected == "toptoptoptopdef"
    long_way, derived[:] = len(derived), []
    env = sandbox([str(tmp_path)])
    env.globals["here"] = here
    assert env.from_string(source).render(page="top") == expected
    assert long_way - len(derived) == 3  # the calls in a loop or block that set y only
    assert env._safe_globals[id(here)][2] == "page"


def test_a_global_that_gets_the_environment_is_called_the_long_way(tmp_path):
    @jinja2.pass_environment
    def which(environment: jinja2.Environment) -> str:
        return "sandboxed" if environment.sandboxed else "plain"

    class Shout:
        @jinja2.pass_context
        def __call__(self, context: jinja2.runtime.Context) -> str:
            return context["page"].upper()

    env = sandbox([str(tmp_path)])
    env.globals.update(which=which, shout=Shout())
    template = env.from_string(
        "{{ which() }} {{ shout() }}{% for x in 'a' %}{{ shout() }}{% endfor %}"
    )
    assert template.render(page="p") == template.render(page="p") == "sandboxed PP"
    assert env._safe_globals[id(which)][2] is None


def test_a_global_replaced_under_the_same_name_is_checked_and_called_anew(tmp_path):
    env = sandbox([str(tmp_path)])
    env.globals["f"] = str.upper
    assert env.from_string("{{ f('a') }}{{ f('b') }}").render() == "AB"

    @jinja2.pass_context
    def with_context(context: jinja2.runtime.Context, s: str) -> str:
        return context["mark"] + s

    env.globals["f"] = with_context  # same name, another object: its own way of calling
    assert env.from_string("{{ f('a') }}{{ f('b') }}").render(mark="!") == "!a!b"
    with pytest.raises(SecurityError, match=r"upper\(\) cannot be called"):
        env.from_string("{{ g('a') }}").render(g=str.upper)  # no longer a global


def test_a_macro_is_called_as_jinja_calls_it(tmp_path):
    """A macro (imported or the template's own) is called at once with the eval
    context, as Jinja's Context.call calls it (render.py): its arguments, defaults,
    varargs, caller and the autoescape in force where it is called (left out, a
    macro's text would be markup under ``autoescape false``, not escaped again by
    ``e``) give what plain Jinja gives."""
    (tmp_path / "m.html").write_text(
        "{% macro tag(name, x='d') %}<{{ name }}>{{ x }}{{ varargs | join(',') }}"
        "{{ kwargs | dictsort | join(';') }}{% endmacro %}"
        "{% macro wrap(name) %}<{{ name }}>{{ caller(name) }}{% endmacro %}",
        encoding="utf-8",
    )
    source = (
        '{% import "m.html" as m %}{% macro own(v) %}[{{ v }}]{% endmacro %}'
        "{{ m.tag('<a>') }}{{ m.tag('b', 1, 2, 3, k='<v>') }}{{ own('<x>') }}"
        "{% call(n) m.wrap('c') %}in {{ own(n ~ '&') }}{% endcall %}"
        "{% for i in [1, 2] %}{{ own(i) }}{% endfor %}"
        "{% autoescape false %}{{ own('<raw>') | e }}{{ m.tag('<raw>') }}{% endautoescape %}"
    )
    loader = jinja2.FileSystemLoader(str(tmp_path))
    plain = jinja2.Environment(  # Jinja's own Context.call
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined
    )
    expected = plain.from_string(source).render()
    # (own()'s text is not markup where autoescape is off: e escapes it again)
    assert expected.endswith("[&amp;lt;raw&amp;gt;]<&lt;raw&gt;>d")
    assert sandbox([str(tmp_path)]).from_string(source).render() == expected


def test_stop_iteration_is_undefined_as_jinja_makes_it(tmp_path):
    def stops() -> str:
        raise StopIteration

    env = sandbox([str(tmp_path)])
    env.globals["stops"] = stops
    template = env.from_string("{{ stops() is undefined }}")
    assert template.render() == template.render() == "True"


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


PAGES = ["", "404.html", "projects/", "projects/a/", "projects/b/c/", "static/", "static/x/",
         "interests/ça va/", "x.html", "standards/s-1/"]  # fmt: skip
TARGETS = ["", "projects/", "projects/a/", "projects/b/", "static/style.css", "static/x/y.png",
           "feed.xml", "x.html", "interests/ça va/", "a b/c?d#e", "standards/"]  # fmt: skip


@pytest.mark.parametrize("index_html", [False, True])
def test_remembered_links_are_the_links_relative_url_makes(index_html):
    """Every page to every target, asked in two orders (a remembered link made
    for one page is given to another only where it is the same link)."""
    renderer = _link_renderer()
    pairs = list(itertools.product(PAGES, TARGETS))
    for here, target in pairs + pairs[::-1]:
        expected = relative_url(here, target, index_html)
        assert renderer._relative(here, target, index_html) == expected, (here, target)
        assert renderer._relative(here, target, not index_html) == relative_url(
            here, target, not index_html
        )


def _link_renderer(index_html: bool = False) -> Renderer:
    renderer = Renderer.__new__(Renderer)  # only the link helpers and fixed(): no portfolio
    renderer.index_html, renderer.assets = index_html, {"style.css": "assets/style.1.css"}
    renderer._links, renderer._fixed, renderer._tops = {}, {}, None
    renderer._builtin_files = {"<template>": True}  # these strings stand for the theme's parts
    return renderer


@jinja2.pass_context
def _every_time(context: jinja2.runtime.Context, name: str, caller: object) -> str:
    return caller()  # type: ignore[operator] - fixed() the long way


@jinja2.pass_context
def _every_time_method(
    self: Renderer, context: jinja2.runtime.Context, name: str, caller: object
) -> str:
    return caller()  # type: ignore[operator]


def test_a_fixed_part_is_what_rendering_it_gives_on_every_page(tmp_path):
    """A part linking to each target, on every page in two orders: kept for
    one page, it is given to another only where its links are the same from there."""
    for target in TARGETS:
        renderer = _link_renderer()
        env = sandbox([str(tmp_path)])
        env.globals.update(url=renderer._url, asset=renderer._asset, fixed=renderer._fixed_part)
        source = f"{{% call fixed('x') %}}[{{{{ url({target!r}) }}}}|{{{{ asset('style.css') }}}}]{{% endcall %}}"
        long_way = env.overlay()
        long_way.globals = {**env.globals, "fixed": _every_time}
        fast, slow = env.from_string(source), long_way.from_string(source)
        for here in PAGES + PAGES[::-1]:
            assert fast.render(page=_Page(here)) == slow.render(page=_Page(here)), (here, target)
        assert renderer._fixed  # (some were kept)


def test_fixed_parts_are_kept_by_name_and_depth_and_nest(tmp_path):
    renderer = _link_renderer()
    env = sandbox([str(tmp_path)])
    env.globals.update(url=renderer._url, fixed=renderer._fixed_part)
    template = env.from_string(
        "{% call fixed('outer') %}{% call fixed('inner') %}{{ url('projects/a/') }}"
        "{% endcall %}{{ url('about/') }}{% endcall %}{% call fixed('other') %}x{% endcall %}"
    )
    assert template.render(page=_Page("badges/b/")) == "../../projects/a/../../about/x"
    assert template.render(page=_Page("badges/c/")) == "../../projects/a/../../about/x"
    assert template.render(page=_Page("")) == "projects/a/about/x"
    # the outer part leads into projects/ through the inner one: never kept for a page there
    assert template.render(page=_Page("projects/a/")) == "./../../about/x"
    assert template.render(page=_Page("projects/b/")) == "../a/../../about/x"
    assert sorted(renderer._fixed) == [("inner", 0), ("inner", 2), ("other", 0), ("other", 2),
                                       ("outer", 0), ("outer", 2)]  # fmt: skip
    assert renderer._fixed[("outer", 2)][1] == {"projects", "about"}


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_theme_with_fixed_parts_gives_the_pages_rendering_gives(
    tmp_path, language, monkeypatch
):
    """Every page of the demo portfolio (every page kind), in three languages,
    is byte for byte the page the theme gives when no part is kept."""
    from portfolio_gen.build import Options, load
    from portfolio_gen.site.pages import build_pages

    root = tmp_path / "demo"
    for name in ("content", "badges", "standards"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "avatar.png", root / "avatar.png")
    config = (REPO / "portfolio.yml").read_text("utf-8")
    config = re.sub(r"(?m)^language:.*$", f"language: {language}", config)
    (root / "portfolio.yml").write_text(config, "utf-8")
    result, loaded = load(root, Options(cache=False, jobs=1), save=False)
    assert loaded is not None, list(result.diagnostics)
    pages = build_pages(loaded.portfolio)
    assert {page.kind for page in pages} >= {"home", "project", "projects", "badge", "standard",
                                             "standards", "about", "404", "interest"}  # fmt: skip
    renderer = Renderer(loaded.portfolio)  # one for every page: parts are kept across pages
    fast = [renderer.render(page) for page in pages + pages[::-1]]
    assert len(renderer._fixed) >= 6  # (parts were kept, at several depths)
    monkeypatch.setattr(Renderer, "_fixed_part", _every_time_method)
    renderer = Renderer(loaded.portfolio)
    slow = [renderer.render(page) for page in pages + pages[::-1]]
    assert fast == slow
    assert 'rel="stylesheet"' in fast[0] and "site-footer" in fast[0]


def test_a_portfolios_own_fixed_part_is_rendered_on_every_page(cli, make_portfolio):
    """Only the built-in theme's parts are kept: a portfolio's base.html that puts
    the page's own text in one shows each page its own (slower, never wrong)."""
    base = (Path(__file__).parents[2] / "themes/default/templates/base.html").read_text("utf-8")
    marked = base.replace(
        '{% call fixed("footer") %}', '{% call fixed("footer") %}<p id="mine">{{ page.title }}</p>'
    )
    assert marked != base
    root = make_portfolio(
        {
            "content/projects/a.md": "---\ntitle: Alpha\ndate: 2026-01-02\n---\nHi.\n",
            "content/projects/b.md": "---\ntitle: Beta\ndate: 2026-01-03\n---\nHi.\n",
            "templates/base.html": marked,
        }
    )
    assert cli("build", str(root)).code == 0
    for slug, title in (("a", "Alpha"), ("b", "Beta")):
        page = (root / "site/projects" / slug / "index.html").read_text("utf-8")
        assert f'<p id="mine">{title}' in page


def test_fixed_without_a_call_block_is_a_template_error_at_its_line(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/p.md": "---\ntitle: P\ndate: 2026-01-02\n---\nHi.\n",
            "templates/about.html": '{% extends "base.html" %}\n{% block content %}\n'
            '{{ fixed("x") }}\n{% endblock %}\n',
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert run.lines[0] == (
        "templates/about.html:3: error: template error: fixed() wraps a part: "
        '{% call fixed("x") %}...{% endcall %}'
    )
