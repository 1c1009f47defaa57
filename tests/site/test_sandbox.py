"""Templates run in a sandbox: a portfolio's (or a hub's) templates cannot run code,
read files or learn the builder's paths, and say so at the template's line."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.helpers import BASIC_CONFIG, html, project, tree_bytes, write_tree

RUN = "popen('touch {marker}').read()"
# (template expression, what the message says); {marker} is a file the payload would create
PAYLOADS = [
    ("cycler.__init__.__globals__.os." + RUN, "'__init__' of Cycler cannot be read"),
    ("''.__class__.__mro__[1].__subclasses__()", "'__class__' of a 'str' cannot be read"),
    ("self._TemplateReference__context", "'_TemplateReference__context' of a"),
    ("lipsum.__globals__['os']." + RUN, "'__globals__' of a 'function' cannot be read"),
    ("range.__init__.__globals__", "'__init__' of a 'function' cannot be read"),
    ("joiner.__init__.__globals__", "'__init__' of Joiner cannot be read"),
    ("namespace.__init__.__globals__", "'__init__' of Namespace cannot be read"),
    ("request.application.__globals__", "'request' is undefined"),
    ("config.__class__.__init__.__globals__", "'__class__' of a"),
    ("'{0.__class__.__init__.__globals__}'.format(config)", "'__class__' of a"),
    ("'{0.root}'.format(config)", "'root' is a file path"),
    ("'{c.root}'.format_map({'c': config})", "'root' is a file path"),
    ("config|attr('__class__')", "'__class__' of a"),
    ("(config|attr('root')).read_text()", "'root' is a file path"),
    ("config.root", "'root' is a file path"),
    ("config['root']", "'root' is a file path"),
    ("config.path.read_text()", "'path' is a file path"),
    ("config.root.joinpath('portfolio.local.yml').read_text()", "'root' is a file path"),
    ("config.line('title')", "Config.line() cannot be called"),
    ("site.projects|map(attribute='__class__')|join(',')", "'__class__' of a"),
    ("page.__dict__", "'__dict__' of a 'Page' cannot be read"),
    ("config.identities", "'identities' of a 'Config' cannot be read"),  # PORTFOLIO_RECIPIENT
]
IDS = [expr[:40] for expr, _ in PAYLOADS]


def hostile(expr: str, marker: Path, base: str = "base.html") -> str:
    code = expr.replace("{marker}", str(marker))
    return f'{{% extends "{base}" %}}\n{{% block content %}}\n<p>{{{{ {code} }}}}</p>\n{{% endblock %}}\n'


@pytest.mark.parametrize(("expr", "message"), PAYLOADS, ids=IDS)
def test_a_portfolio_template_cannot_escape(cli, make_portfolio, tmp_path, expr, message):
    marker = tmp_path / "PWNED"
    root = make_portfolio(
        {
            "content/projects/a.md": project("A"),
            "templates/project.html": hostile(expr, marker),
        }
    )
    run = cli("build", str(root))
    assert not marker.exists()
    assert run.code == 1, run.err
    first = run.lines[0]
    assert first.startswith("templates/project.html:3: error: template error: "), run.err
    assert message in first, first
    if "undefined" not in message:
        assert first.endswith("(templates run in a sandbox, see docs/themes.md)")
    assert str(tmp_path) not in run.err  # no private path in the message
    assert not (root / "site").exists()


def test_a_failing_template_leaves_the_previous_site(cli, make_portfolio, tmp_path):
    root = make_portfolio({"content/projects/a.md": project("A")})
    assert cli("build", str(root), "-q").code == 0
    before = tree_bytes(root / "site")
    write_tree(root, {"templates/project.html": hostile("config.root", tmp_path / "x")})
    run = cli("build", str(root))
    assert run.code == 1
    assert run.lines[-1] == "build failed: 1 error; the previous site is unchanged"
    assert tree_bytes(root / "site") == before


def test_what_themes_md_promises_still_works(cli, make_portfolio):
    template = """{% extends "base.html" %}
{% block content %}
{% set ns = namespace(n=0) %}{% set c = cycler("odd", "even") %}{% set j = joiner("/") %}
<p id="a">{{ url("projects/") }} {{ asset("style.css") }} {{ slugify("Hello World") }}</p>
<p id="b">{{ t("Projects") }} {{ t.plural(2, "{n} badge", "{n} badges") }} {{ t.date(project.date) }}</p>
<p id="c">{{ "{} and {}".format("x", "y") }} {{ "a,b".split(",")|join("+") }} {{ {"k": 1}.get("k") }}</p>
<p id="d">{% for i in range(3) %}{{ c.next() }}{{ j() }}{{ loop.cycle("x", "y") }}{% endfor %}</p>
<p id="e">{{ project.title.upper() }} {{ project.date.isoformat() }} {{ config.title }} {{ lipsum(1, false)|length > 0 }}</p>
{% endblock %}
"""
    root = make_portfolio(
        {"content/projects/arm.md": project("Arm"), "templates/project.html": template}
    )
    run = cli("build", str(root), "-q")
    assert run.code == 0, run.err
    page = html(root / "site/projects/arm/index.html")
    links, style, slug = page.select_one("#a").get_text().split()
    assert (links, slug) == ("../", "hello-world") and style.startswith("../../assets/style.")
    assert page.select_one("#b").get_text() == "Projects 2 badges January 2, 2026"
    assert page.select_one("#c").get_text() == "x and y a+b 1"
    assert page.select_one("#d").get_text() == "oddxeven/yodd/x"
    assert page.select_one("#e").get_text() == "ARM 2026-01-02 Test Portfolio True"


# ---------------------------------------------------------------- hubs


def small_hub(tmp_path: Path, member_files: dict[str, str], hub_files: dict[str, str]) -> Path:
    write_tree(tmp_path / "ana", {"portfolio.yml": BASIC_CONFIG, **member_files})
    write_tree(tmp_path / "club", {"HUB.yml": "title: Club\nmembers: [../ana]\n", **hub_files})
    return tmp_path / "club" / "HUB.yml"


@pytest.mark.parametrize(("expr", "message"), PAYLOADS, ids=IDS)
def test_a_hub_template_cannot_escape(cli, tmp_path, expr, message):
    marker = tmp_path / "PWNED"
    expr = expr.replace("root", "folder")  # HUB.yml's folder
    message = message.replace("root", "folder").replace("Config.line", "HubConfig.line")
    hub = small_hub(
        tmp_path,
        {"content/projects/a.md": project("A")},
        {"templates/hub/index.html": hostile(expr, marker, base="hub/base.html")},
    )
    run = cli("hub", str(hub))
    assert not marker.exists()
    assert run.code == 1, run.err
    first = run.lines[0]
    assert first.startswith("templates/hub/index.html:3: error: template error: "), run.err
    if not any(name in expr for name in ("page.__dict__", "site.", "identities")):  # (not in hubs)
        assert message in first, first
    assert str(tmp_path) not in run.err
    assert not (tmp_path / "club/site/index.html").exists()


def test_a_members_template_cannot_escape_in_a_hub(cli, tmp_path):
    marker = tmp_path / "PWNED"
    hub = small_hub(
        tmp_path,
        {
            "content/projects/a.md": project("A"),
            "templates/project.html": hostile(PAYLOADS[0][0], marker),
        },
        {},
    )
    run = cli("hub", str(hub))
    assert not marker.exists()
    assert run.lines[0].startswith("../ana/templates/project.html:3: error: template error: ")
    assert run.lines[0].endswith("cannot be read (templates run in a sandbox, see docs/themes.md)")
    assert not (tmp_path / "club/site/members/ana/projects/a/index.html").exists()


# ---------------------------------------------------------------- the fast path


def test_a_global_checked_once_is_trusted_only_while_it_is_that_global(tmp_path):
    """A global found safe to call is remembered by its id (render.py): the next
    call is one look-up. A remembered id is trusted only while that very object is
    still the global of that name; anything else is checked in full."""
    from jinja2.sandbox import SecurityError, unsafe

    from portfolio_gen.site.render import sandbox

    def shout(s: str) -> str:
        return s.upper()

    def evil() -> str:
        (tmp_path / "PWNED").touch()
        return ""

    env = sandbox([str(tmp_path)])
    env.globals["shout"] = shout
    assert env.from_string("{{ shout('a') }}{{ shout('b') }}").render() == "AB"  # remembered
    assert env._safe_globals == {id(shout): ("shout", shout, "nothing")}
    env._safe_globals[id(evil)] = ("shout", shout, "nothing")  # as if evil had a remembered id
    with pytest.raises(SecurityError, match=r"evil\(\) cannot be called"):
        env.from_string("{{ f() }}").render(f=evil)
    del env.globals["shout"]  # the remembered function, no longer a global
    with pytest.raises(SecurityError, match=r"shout\(\) cannot be called"):
        env.from_string("{{ f('a') }}").render(f=shout)
    env.globals["shout"] = unsafe(evil)  # another object under the remembered name
    with pytest.raises(SecurityError, match=r"evil\(\) cannot be called"):
        env.from_string("{{ shout() }}").render()
    assert not (tmp_path / "PWNED").exists()


def test_methods_of_plain_values_are_called_and_others_still_refused(tmp_path):
    """A method written in C of a plain value (dict.get, str.lower) is called at once,
    as the full check would let it be called (render.py); one of any other value (a
    subclass of str, a file-like object) still takes the full check and is refused."""
    import io

    from jinja2.sandbox import SecurityError
    from markupsafe import Markup

    from portfolio_gen.site.render import sandbox

    class Shout(str):
        pass

    env = sandbox([str(tmp_path)])
    plain = "{{ d.get('a') }} {{ d.get('b', 'none') }} {{ s.lower() }} {{ l.index(2) }} {{ m.startswith('<b') }}"
    values = {"d": {"a": 1}, "s": "ABC", "l": [1, 2], "m": Markup("<b>x</b>")}
    assert env.from_string(plain).render(values) == "1 none abc 1 True"
    for value, name in [(Shout("x"), "upper"), (io.BytesIO(b"secret"), "getvalue")]:
        with pytest.raises(
            SecurityError, match=rf"{type(value).__name__}\.{name}\(\) cannot be called"
        ):
            env.from_string(f"{{{{ v.{name}() }}}}").render(v=value)
