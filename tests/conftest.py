"""Fixtures: fixture portfolios made from a dict of files, and the CLI run in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.helpers import BASIC_CONFIG, write_tree

from portfolio_gen.cli import main


@pytest.fixture(autouse=True, scope="session")
def cache_home(tmp_path_factory) -> Iterator[Path]:
    """The user's cache key (portfolio_gen/cache.py) in a folder of the test session,
    never in the home folder of whoever runs the tests (session-wide: sites built
    once for many tests are built under it too)."""
    home = tmp_path_factory.getbasetemp() / "cache-home"
    saved = os.environ.get("PORTFOLIO_GEN_CACHE_HOME")
    os.environ["PORTFOLIO_GEN_CACHE_HOME"] = str(home)
    yield home
    if saved is None:
        del os.environ["PORTFOLIO_GEN_CACHE_HOME"]
    else:
        os.environ["PORTFOLIO_GEN_CACHE_HOME"] = saved


@pytest.fixture
def make_portfolio(tmp_path: Path):
    """make_portfolio({"content/projects/a.md": "..."}) -> the portfolio root (with a portfolio.yml)."""

    def make(
        files: dict[str, str | bytes] | None = None, config: str | None = BASIC_CONFIG
    ) -> Path:
        root = tmp_path / "portfolio"
        root.mkdir(exist_ok=True)
        if config is not None:
            (root / "portfolio.yml").write_text(config, encoding="utf-8")
        return write_tree(root, files or {})

    return make


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys):
    """cli("build", str(root)) -> Run(code, stdout, stderr)."""

    def run(*args: str) -> Run:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


from support.browser import browser, page  # noqa: E402, F401 - fixtures for browser tests
