"""The renderer's shortcuts (issue 17) give what the long way gives: a known
global that takes no context is called as Jinja would call it, and links are
remembered by page depth only where the depth alone decides them."""

from __future__ import annotations

import itertools

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from portfolio_gen.site.render import Renderer, sandbox
from portfolio_gen.urls import relative_url


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
    assert env._safe_globals[id(shout)][2] is True  # called the short way


def test_a_jinja_without_its_private_passarg_calls_every_global_the_long_way(tmp_path, monkeypatch):
    monkeypatch.delattr(jinja2.utils, "_PassArg")  # a later Jinja may not have it

    def shout(s: str, **kwargs: object) -> str:
        assert not kwargs
        return s.upper()

    env = sandbox([str(tmp_path)])
    env.globals["shout"] = shout
    template = env.from_string("{{ shout('a') }}{% for x in 'b' %}{{ shout(x) }}{% endfor %}")
    assert template.render() == template.render() == "AB"
    assert env._safe_globals[id(shout)][2] is False  # through Context.call


def test_a_context_global_still_sees_the_loop_it_is_called_in(tmp_path):
    @jinja2.pass_context
    def where(context: jinja2.runtime.Context) -> str:
        return context["page"]

    env = sandbox([str(tmp_path)])
    env.globals["where"] = where
    template = env.from_string(
        "{{ where() }}{% for x in 'ab' %}{% set page = x %}{{ where() }}{% endfor %}"
    )
    assert template.render(page="top") == template.render(page="top") == "topab"
    assert env._safe_globals[id(where)][2] is False


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
    renderer = Renderer.__new__(Renderer)  # only the link helpers: no portfolio needed
    renderer._links = {}
    pairs = list(itertools.product(PAGES, TARGETS))
    for here, target in pairs + pairs[::-1]:
        expected = relative_url(here, target, index_html)
        assert renderer._relative(here, target, index_html) == expected, (here, target)
        assert renderer._relative(here, target, not index_html) == relative_url(
            here, target, not index_html
        )
