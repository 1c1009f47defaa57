"""The built-in templates, held to what quick.py's splice needs: project.html shows a
project's body once, as ``{{ project.body_html | safe_html }}``, and asks of it only
whether it holds ``quick.EMBEDS``; no other template reads a project's body."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from portfolio_gen import quick
from portfolio_gen.site.themes import builtin_themes

TEMPLATES = builtin_themes() / "default" / "templates"


def uses(source: str) -> list[str]:
    """Each read of ``body_html`` in a template: "shown" (the one way the splice allows),
    "embeds" (``EMBEDS in project.body_html``), "about" (the About page's), else its node."""
    tree = jinja2.Environment().parse(source)
    parents: dict[int, nodes.Node] = {}
    for node in tree.find_all(nodes.Node):
        for child in node.iter_child_nodes():
            parents[id(child)] = node
    found = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Const)):
        if isinstance(node, nodes.Const) and node.value != "body_html":
            continue
        if isinstance(node, nodes.Getitem | nodes.Const) or node.attr != "body_html":
            if isinstance(node, nodes.Const) and not isinstance(
                parents.get(id(node)), nodes.Getitem
            ):
                found.append(f"the name body_html: {node!r}")  # (attribute('body_html'), ...)
            elif (
                isinstance(node, nodes.Getitem) and getattr(node.arg, "value", None) == "body_html"
            ):
                found.append(f"item: {node!r}")
            continue
        owner, parent = node.node, parents.get(id(node))
        if owner == nodes.Getattr(nodes.Name("site", "load"), "about", "load"):
            found.append("about")
        elif not (isinstance(owner, nodes.Name) and owner.name == "project"):
            found.append(f"another's: {node!r}")
        elif (
            isinstance(parent, nodes.Filter)
            and parent.name == "safe_html"
            and not parent.args
            and isinstance(parents.get(id(parent)), nodes.Output)
        ):
            found.append("shown")
        elif (
            isinstance(parent, nodes.Operand)
            and parent.op == "in"
            and isinstance(compare := parents.get(id(parent)), nodes.Compare)
            and compare.expr == nodes.Const(quick.EMBEDS)
            and len(compare.ops) == 1
        ):
            found.append("embeds")
        else:
            found.append(f"other: {parent!r}")
    return found


def audit(folder: Path) -> dict[str, list[str]]:
    return {
        p.relative_to(folder).as_posix(): found
        for p in sorted(folder.rglob("*.html"))
        if (found := uses(p.read_text(encoding="utf-8")))
    }


def test_the_builtin_templates_show_a_project_body_once_and_ask_only_for_embeds() -> None:
    found = audit(TEMPLATES)
    assert found.pop("project.html") == ["shown", "embeds", "embeds"]
    assert found == {"about.html": ["about"]}
    # What project.html extends, includes and imports reads no body (audited above too).
    source = (TEMPLATES / "project.html").read_text(encoding="utf-8")
    env = jinja2.Environment()
    from jinja2 import meta

    for name in meta.find_referenced_templates(env.parse(source)):
        assert name is not None and (TEMPLATES / name).is_file()
        assert uses((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_audit_sees_another_use_of_the_body(tmp_path: Path) -> None:
    copy = tmp_path / "project.html"
    source = (TEMPLATES / "project.html").read_text(encoding="utf-8")
    copy.write_text(source + "{{ project.body_html | length }}", encoding="utf-8")
    assert audit(tmp_path)["project.html"] == ["shown", "embeds", "embeds", copy_use()]
    for extra in (
        "{{ project['body_html'] }}",
        "{{ p.body_html }}",
        "{{ project | attr('body_html') }}",
    ):
        copy.write_text(source + extra, encoding="utf-8")
        assert len(audit(tmp_path)["project.html"]) == 4, extra


def copy_use() -> str:
    return "other: " + repr(
        nodes.Filter(
            nodes.Getattr(nodes.Name("project", "load"), "body_html", "load"),
            "length",
            [],
            [],
            None,
            None,
        )
    )
