"""House rules that no single feature test sees: no Python file over MAX_LINES,
every package of portfolio_gen/ listed for the wheel, test helpers in one
package (tests/support/) imported one way."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portfolio_gen"
MAX_LINES = 800

# Files over MAX_LINES, by path under portfolio_gen/. It may only shrink: an
# entry that is no longer over the limit fails the test, so it is deleted.
KNOWN_LONG: frozenset[str] = frozenset()  # may only shrink: keep it empty


def too_long(package: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Every Python file under ``package`` with more than ``limit`` lines, with its count."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        with path.open(encoding="utf-8") as text:
            count = sum(1 for _ in text)
        if count > limit:
            found[path.relative_to(package).as_posix()] = count
    return found


def test_no_python_file_is_over_800_lines():
    found = too_long(PACKAGE)
    new = {name: count for name, count in found.items() if name not in KNOWN_LONG}
    assert not new, f"split these along their seams (at most {MAX_LINES} lines each): {new}"
    gone = KNOWN_LONG - set(found)
    assert not gone, f"no longer over {MAX_LINES} lines: delete from KNOWN_LONG: {sorted(gone)}"


def test_the_check_counts_lines_in_subpackages_too(tmp_path):
    package = tmp_path / "portfolio_gen"
    (package / "site").mkdir(parents=True)
    (package / "short.py").write_text("x = 1\n" * 800, encoding="utf-8")
    (package / "site" / "long.py").write_text("x = 1\n" * 801, encoding="utf-8")
    (package / "notes.txt").write_text("x\n" * 900, encoding="utf-8")
    assert too_long(package) == {"site/long.py": 801}


def test_every_package_is_in_the_wheel():
    """setuptools ships only the packages listed in pyproject.toml: a new one must be there."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    packages = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
    }
    assert packages - listed == set(), "add to [tool.setuptools] packages in pyproject.toml"


TESTS = Path(__file__).resolve().parent


def stray_helpers(tests: Path) -> list[str]:
    """Python files under ``tests`` that are neither tests, conftests nor package
    markers and live outside tests/support/ (or the third-party fixtures)."""
    return sorted(
        path.relative_to(tests).as_posix()
        for path in tests.rglob("*.py")
        if not path.name.startswith("test_")
        and path.name not in ("conftest.py", "__init__.py")
        and path.relative_to(tests).parts[0] not in ("support", "fixtures")
    )


def test_test_helpers_live_in_one_package_imported_one_way():
    assert not stray_helpers(TESTS), "move test helpers to tests/support/ (from support.X import)"
    import ast

    helpers = {path.stem for path in (TESTS / "support").glob("*.py")} - {"__init__"}
    wrong = []
    for path in TESTS.rglob("*.py"):
        if "fixtures" in path.relative_to(TESTS).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            wrong += [f"{path.relative_to(TESTS)}: {n}" for n in names if n in helpers]
    assert not wrong, f"import test helpers as support.X: {wrong}"


def test_a_helper_outside_support_is_found(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "factory.py").write_text("", encoding="utf-8")
    (tmp_path / "site" / "test_x.py").write_text("", encoding="utf-8")
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "helpers.py").write_text("", encoding="utf-8")
    assert stray_helpers(tmp_path) == ["site/factory.py"]
