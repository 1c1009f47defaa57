"""The theme's translatable strings, found where they are used, and what a language lacks.

A translator needs the list of every English string a theme shows. It is
read from the sources, so it can never go stale: every literal passed to
``t(...)`` or ``t.plural(n, ..., ...)`` in the templates (parsed with Jinja's
own parser, so quotes, filters and ``a if c else b`` are understood), the
same calls in the Python modules that draw with the page's ``t`` (the chart),
and the strings a template picks at run time from a closed set (badge
statuses and what they mean to a viewer, learning settings, self-assessment
levels, hub page titles).

    python -m portfolio_gen.site.messages es             # missing Spanish strings
    python -m portfolio_gen.site.messages es --yaml      # the same, as YAML to fill in

exits 1 when strings are missing, so it can guard a theme in CI.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..badges.model import STATUSES
from ..content.alerts import ALERTS, HEADING_LINK
from ..content.projects import SETTINGS
from ..standards.levels import DEFAULT_LEVELS
from . import badgeview, chart
from .i18n import Translations
from .themes import builtin_themes

# The types the built-in standards and YAML frameworks give their items (a CASE
# framework's own types are its words, shown as they are when not among these).
ITEM_TYPES = ("Standard", "Component", "Practice", "Anchor Standard", "Performance Expectation")
# Python modules whose strings go through the page's t().
PYTHON_SOURCES = (Path(chart.__file__),)


def _literals(node: nodes.Node) -> Iterator[str]:
    """The strings a t() argument can be: a constant, or either side of ``a if c else b``."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, nodes.CondExpr):
        yield from _literals(node.expr1)
        if node.expr2 is not None:
            yield from _literals(node.expr2)


def _is_t(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "t"


def template_strings(templates: Path) -> dict[str, list[str]]:
    """Every literal string given to ``t()`` or ``t.plural()`` under ``templates``.

    Maps the English text to the places it is used (``"base.html:36"``).
    """
    env = jinja2.Environment()
    found: dict[str, list[str]] = {}
    for path in sorted(templates.rglob("*.html")):
        name = path.relative_to(templates).as_posix()
        tree = env.parse(path.read_text(encoding="utf-8"), name=name)
        for call in tree.find_all(nodes.Call):
            if _is_t(call.node):
                args = call.args[:1]
            elif (
                isinstance(call.node, nodes.Getattr)
                and _is_t(call.node.node)
                and call.node.attr == "plural"
            ):
                args = call.args[1:3]
            else:
                continue
            for arg in args:
                for text in _literals(arg):
                    found.setdefault(text, []).append(f"{name}:{call.lineno}")
    return found


def python_strings(sources: tuple[Path, ...] = PYTHON_SOURCES) -> dict[str, list[str]]:
    """Literal strings given to ``t()``, ``t.plural()`` or ``_plural(t, ...)`` in Python."""
    found: dict[str, list[str]] = {}
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            if isinstance(func, ast.Name) and func.id == "t":
                args = call.args[:1]
            elif isinstance(func, ast.Attribute) and func.attr == "plural":
                args = call.args[1:3]
            elif isinstance(func, ast.Name) and func.id == "_plural":
                args = call.args[2:4]
            else:
                continue
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, []).append(f"{path.name}:{call.lineno}")
    return found


def chosen_strings() -> dict[str, list[str]]:
    """Strings the templates look up from a value: ``t(status | capitalize)``, ``t(setting)``..."""
    from .hubpages import PAGES

    found: dict[str, list[str]] = {}
    for text in (s.capitalize() for s in STATUSES):
        found.setdefault(text, []).append("badge statuses (badges/model.py)")
    for text in SETTINGS:
        found.setdefault(text, []).append("learning settings (content/projects.py)")
    for text in DEFAULT_LEVELS:
        found.setdefault(text, []).append("levels (standards/levels.py)")
    for page in PAGES:
        found.setdefault(page.title, []).append("hub pages (hub.py)")
    for text in ALERTS.values():
        found.setdefault(text, []).append("alert titles (content/alerts.py)")
    found.setdefault(HEADING_LINK, []).append("heading links (content/alerts.py)")
    for text in ITEM_TYPES:
        found.setdefault(text, []).append("types of the built-in standards (standards/schemes.py)")
    for text in badgeview.strings():
        found.setdefault(text, []).append("badge statuses for viewers (site/badgeview.py)")
    return found


def theme_strings(theme: Path | None = None) -> dict[str, list[str]]:
    """Every English string of a theme (the default theme's too) with where it is used."""
    folders = [builtin_themes() / "default" / "templates"]
    if theme is not None and (theme / "templates").is_dir():
        folders.append(theme / "templates")
    found: dict[str, list[str]] = {}
    for part in (
        *(template_strings(f) for f in dict.fromkeys(folders)),
        python_strings(),
        chosen_strings(),
    ):
        for text, places in part.items():
            found.setdefault(text, []).extend(places)
    return found


def missing(language: str, theme: Path | None = None) -> dict[str, list[str]]:
    """The theme's strings that have no translation in ``language``."""
    catalog = Translations(theme or builtin_themes() / "default", language)
    return {
        text: places for text, places in theme_strings(theme).items() if text not in catalog.strings
    }


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_yaml = "--yaml" in args
    args = [a for a in args if a != "--yaml"]
    if len(args) not in (1, 2):
        print("usage: python -m portfolio_gen.site.messages LANGUAGE [THEME_DIR] [--yaml]")
        return 2
    theme = Path(args[1]) if len(args) == 2 else None
    lacking = missing(args[0], theme)
    for text, places in sorted(lacking.items()):
        if as_yaml:
            print(f"# {', '.join(places[:3])}\n{_yaml_string(text)}: ")
        else:
            print(f"{text}\t({', '.join(places[:3])})")
    print(f"{len(lacking)} string(s) without a translation in {args[0]}", file=sys.stderr)
    return 1 if lacking else 0


if __name__ == "__main__":
    raise SystemExit(main())
