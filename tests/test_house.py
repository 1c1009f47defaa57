"""House rules that no single feature test sees: no Python file over MAX_LINES,
and every package of portfolio_gen/ listed for the wheel."""

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
