"""Shared test helpers: fixture portfolios made from a dict of files, and the CLI run in-process."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portfolio_gen.cli import main

BASIC_CONFIG = """\
title: Test Portfolio
learner:
  name: Ana B.
  bio: I make things.
interests: [robotics]
base_url: https://ana.example.org/portfolio/
"""


def project(
    title: str = "A Project", date: str = "2026-01-02", body: str = "Some text.", **meta: str
) -> str:
    """The source of a project file with the given front matter lines."""
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(
                textwrap.dedent(data) if name.endswith((".yml", ".yaml")) else data,
                encoding="utf-8",
            )
    return root


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


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_json(site: Path) -> dict:
    return json.loads((site / "portfolio.json").read_text(encoding="utf-8"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
