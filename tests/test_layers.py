"""The layers of portfolio_gen (docs/architecture.md): every import goes down.

Foundations -> domains -> config and the portfolio.json contract -> content
-> site -> build -> export / serve / hub / review -> cli. A module may import
its own layer or any layer below it, never one above: also not inside a
function (a lazy import keeps a warm build fast; an upward one makes a
circle that only a reader of every function body can see). And no module
imports itself back through others (a circle), within a layer too.

Imports under ``if TYPE_CHECKING:`` run only for the type checker: they are
checked for direction but are not part of a circle (they never run).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portfolio_gen"

# Low to high. A module belongs to the first entry that is it or its package.
LAYERS: tuple[tuple[str, ...], ...] = (
    # foundations: no knowledge of portfolios
    ("portfolio_gen", "diagnostics", "paths", "yamlio", "validate", "schema", "urls", "cache",
     "xmlsafe", "svg", "workers", "colours", "patterns", "pickling", "escaping",
     "lazy_dataclass", "kept_patterns", "compiled"),
    # domains: each knows one kind of thing
    ("standards", "badges", "media"),
    # portfolio.yml, what init writes, portfolio.json as others read it
    ("config", "scaffold", "contract", "entries"),
    ("content",),  # reading sources into records
    ("site",),  # link, pages, render, write
    ("build", "options", "quick"),
    ("export", "serve", "hub", "review"),
    ("cli", "__main__"),
)  # fmt: skip

# Upward imports not removed yet, as (importer, imported) module names. This
# list may only shrink: an entry that is no longer needed fails the test, so
# it is deleted the day its import goes. Empty: keep it so.
KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()

# Circles not removed yet, each as the sorted tuple of its modules; the same rule.
KNOWN_CIRCLES: frozenset[tuple[str, ...]] = frozenset()


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``

    def __str__(self) -> str:
        lazy = " (type-checking only)" if self.type_only else ""
        return f"{self.importer} -> {self.imported} (line {self.line}){lazy}"


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its __init__)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def imports(package: Path) -> list[Import]:
    """Every import of one package module by another, at any depth of the AST."""
    known = modules(package)
    root = package.name
    found = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        type_only = _type_checking_nodes(tree)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".")
                    base = base if is_package else base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # ``from . import x``: x may be a module; else the names are in ``prefix``
                targets = [
                    f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix
                    for a in node.names
                ]
            else:
                continue
            for target in targets:
                if target != root and not target.startswith(root + "."):
                    continue
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target != name:
                    found.append(Import(name, target, node.lineno, id(node) in type_only))
    return found


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    for index, layer in enumerate(LAYERS):
        for entry in layer:
            if entry == "portfolio_gen":
                if module == "portfolio_gen":
                    return index
            elif parts[1:2] == [entry]:
                return index
    return None


def upward(found: list[Import]) -> list[Import]:
    return [
        i for i in found if (layer_of(i.imported) or 0) > (layer_of(i.importer) or 0)
    ]  # fmt: skip


def circles(found: list[Import]) -> list[tuple[str, ...]]:
    """The strongly connected components (more than one module) of the runtime imports."""
    graph: dict[str, set[str]] = {}
    for i in found:
        if not i.type_only:
            graph.setdefault(i.importer, set()).add(i.imported)
            graph.setdefault(i.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[tuple[str, ...]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm (the graph is ~100 modules deep at most)
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                result.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(result)


# ------------------------------------------------------------------ the checks


def test_every_module_has_a_layer():
    unplaced = [m for m in modules(PACKAGE) if layer_of(m) is None]
    assert not unplaced, f"add these to LAYERS in tests/test_layers.py: {unplaced}"


def test_no_import_goes_up_a_layer():
    found = upward(imports(PACKAGE))
    new = [str(i) for i in found if (i.importer, i.imported) not in KNOWN_UPWARD]
    assert not new, "imports that go up a layer (see docs/architecture.md):\n" + "\n".join(new)
    gone = KNOWN_UPWARD - {(i.importer, i.imported) for i in found}
    assert not gone, f"no longer needed: delete from KNOWN_UPWARD: {sorted(gone)}"


def test_no_circles():
    found = circles(imports(PACKAGE))
    new = [c for c in found if c not in KNOWN_CIRCLES]
    assert not new, "modules that import each other, through others too:\n" + "\n".join(
        " <-> ".join(c) for c in new
    )
    gone = KNOWN_CIRCLES - set(found)
    assert not gone, f"no longer needed: delete from KNOWN_CIRCLES: {sorted(gone)}"


# ---------------------------------------------------- the checker itself can fail


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "portfolio_gen"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_the_checker_finds_a_lazy_upward_import_and_a_circle(tmp_path):
    package = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "config.py": "def f():\n    from .site import pages\n",  # lazy, upward
            "site/__init__.py": "",
            "site/pages.py": "from ..config import f\nfrom . import graph\n",
            "site/graph.py": "import portfolio_gen.site.pages\n",  # a circle within a layer
            "content/__init__.py": "",
            "content/a.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from ..site.graph import X\n",  # type-only: still upward
        },
    )
    found = imports(package)
    assert sorted(str(i) for i in upward(found)) == [
        "portfolio_gen.config -> portfolio_gen.site.pages (line 2)",
        "portfolio_gen.content.a -> portfolio_gen.site.graph (line 3) (type-checking only)",
    ]
    assert circles(found) == [
        ("portfolio_gen.config", "portfolio_gen.site.graph", "portfolio_gen.site.pages"),
    ]


def test_a_type_only_import_back_is_not_a_circle(tmp_path):
    package = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "site/__init__.py": "",
            "site/graph.py": "from .network import Network\n",
            "site/network.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .graph import Portfolio\n",
        },
    )
    assert circles(imports(package)) == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("portfolio_gen", 0),
        ("portfolio_gen.cache", 0),
        ("portfolio_gen.badges.reader", 1),
        ("portfolio_gen.media.images", 1),
        ("portfolio_gen.contract", 2),
        ("portfolio_gen.content.projects", 3),
        ("portfolio_gen.site.network", 4),
        ("portfolio_gen.build", 5),
        ("portfolio_gen.hub", 6),
        ("portfolio_gen.hub.members", 6),
        ("portfolio_gen.cli", 7),
        ("portfolio_gen.plugins", None),
    ],
)
def test_layer_of(module, layer):
    assert layer_of(module) == layer
