"""What ``portfolio-gen init`` and ``new project`` write (the files beside this
module), and the placeholders in them that a learner is meant to replace.

Every placeholder left in a published page is a warning, so ``check --strict``
(and the scaffolded deploy workflow, which builds with --strict) fails until
the learner has written their own text. The markers are in this one list.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..site.graph import Portfolio

# (where, the placeholder text, what to do): "name" is learner.name in
# portfolio.yml, "summary" a project's summary, "text" a project's or the
# about page's Markdown.
PLACEHOLDERS = (
    ("name", "Your N.", "write your first name and an initial"),
    ("summary", "One or two sentences about what you made.", "write your own summary"),
    ("text", "Describe it. Add photos to this folder", "write about your project"),
    ("text", "What is it, and why did you want to make it?", "answer the prompts in your words"),
    ("text", "Write a few sentences about yourself", "write your own about page"),
)


def placeholders(portfolio: Portfolio, diagnostics: Diagnostics) -> None:
    """A warning for every scaffold placeholder still in what is published."""
    config = portfolio.config
    for where, marker, advice in PLACEHOLDERS:
        records = [(p.source, p.summary if where == "summary" else p.body_html)
                   for p in portfolio.projects]  # fmt: skip
        if where == "text" and portfolio.about is not None:
            records.append((portfolio.about.source, portfolio.about.body_html))
        if where == "name":
            records = [("portfolio.yml", config.learner.name)]
        for source, text in records:
            if marker in text:
                path = config.root / source
                label = {"name": "learner.name: ", "summary": "summary: "}.get(where, "")
                diagnostics.warning(
                    path,
                    f"{label}'{marker}' is a placeholder from portfolio-gen init; {advice}",
                    _line_of(path, marker),
                )


def _line_of(path: Path, marker: str) -> int | None:
    """The line of a placeholder (read only when one is found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((i for i, line in enumerate(lines, 1) if marker in line), None)
