"""What ``portfolio-gen init`` and ``new project`` write (the files beside this
module), and the placeholders in them that a learner is meant to replace.

Every placeholder left in a published page is a warning (on every build and
deploy), so ``check --strict`` fails until the learner has written their own
text. The markers are in this one list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..diagnostics import Diagnostics

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


def placeholders_in(text: str, kinds: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(line, message) for each placeholder of ``kinds`` in a source file's text
    (checked when the file is read, so the cache keeps the result)."""
    for where, marker, advice in PLACEHOLDERS:
        if where in kinds and marker in text:
            line = text.count("\n", 0, text.index(marker)) + 1
            label = "summary: " if where == "summary" else ""
            yield line, f"{label}'{marker}' is a placeholder from portfolio-gen init; {advice}"


def name_placeholder(config: Config, diagnostics: Diagnostics) -> None:
    """learner.name as the scaffold wrote it."""
    for where, marker, advice in PLACEHOLDERS:
        if where == "name" and config.learner.name == marker:
            diagnostics.warning(
                config.path,
                f"learner.name: '{marker}' is a placeholder from portfolio-gen init; {advice}",
                config.line("learner", "name"),
            )
