"""The wheel: the theme and the scaffold are inside it (what `init` and `build`
read when installed with `pip install portfolio-gen`). The release itself is
checked by scripts/check_release.sh (python -m build, twine check)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_wheel_holds_the_theme_and_the_scaffold(tmp_path):
    source = tmp_path / "src"  # a copy: building writes build/ and egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("portfolio_gen", "themes"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-v", "-w",
         str(tmp_path / "dist")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (wheel,) = (tmp_path / "dist").glob("portfolio_gen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {f"portfolio_gen/themes/{f}" for f in _files(ROOT / "themes")}
    scaffold = {f"portfolio_gen/scaffold/{f}" for f in _files(ROOT / "portfolio_gen/scaffold")}
    assert "portfolio_gen/themes/default/templates/base.html" in theme
    assert "portfolio_gen/scaffold/portfolio/dot-github/workflows/pages.yml" in scaffold
    contexts = {
        f"portfolio_gen/badges/contexts/{f}" for f in _files(ROOT / "portfolio_gen/badges/contexts")
    }
    assert len(contexts) == 12  # the JSON-LD contexts that proofs verify offline with
    assert theme | scaffold | contexts <= names, sorted((theme | scaffold | contexts) - names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    # setuptools' warning about data files in a folder pyproject.toml does not list
    assert "absent from the `packages` configuration" not in run.stdout + run.stderr
