"""Helpers for tests: fixture portfolios from a dict of files, parsed HTML, site trees."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

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


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_json(site: Path) -> dict:
    return json.loads((site / "portfolio.json").read_text(encoding="utf-8"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (but the build cache) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".portfolio-cache" not in p.relative_to(folder).parts
    }
