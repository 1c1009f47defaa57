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


def corpus_sources(folder: Path, projects: int = 60) -> list[Path]:
    """Markdown to compare renderings on: the demo portfolio's, and a corpus
    written into ``folder`` by the corpus generator (tests/support/corpus.py)."""
    from support import corpus

    repo = Path(__file__).resolve().parents[2]
    corpus.write_portfolio(folder, corpus.make_projects(projects))
    return [*(repo / "content").rglob("*.md"), *folder.rglob("*.md")]


def assert_same_html_on_corpus(both, folder: Path) -> None:  # noqa: ANN001
    """``both(text)`` gives (Python-Markdown's HTML, ours); they must be equal for
    every source of ``corpus_sources(folder)``."""
    sources = corpus_sources(folder)
    assert len(sources) > 60
    for path in sources:
        stock, ours = both(path.read_text("utf-8"))
        assert ours == stock, path


def generated(examples: int = 300):  # noqa: ANN201 - a hypothesis settings decorator
    """Settings for properties over generated Markdown: ``examples`` of them, or
    20,000 with HYPOTHESIS_PROFILE=long."""
    import os

    from hypothesis import HealthCheck, settings

    long = os.environ.get("HYPOTHESIS_PROFILE") == "long"
    return settings(
        max_examples=20000 if long else examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
