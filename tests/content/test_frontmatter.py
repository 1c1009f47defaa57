"""Front matter: split from the body, parsed once while its text is unchanged."""

from __future__ import annotations

import pytest

from portfolio_gen import yamlio
from portfolio_gen.content.frontmatter import FrontMatterProblem, split


def test_unchanged_front_matter_is_not_parsed_again(monkeypatch):
    text = "---\ntitle: Robot\ntags: [a, b]\n---\nBody.\n"
    first = split(text)
    monkeypatch.setattr(yamlio, "_parse", lambda *a: pytest.fail("parsed again"))
    again = split(text.replace("Body.", "Another body."), first.parsed)
    assert again.meta.data == first.meta.data == {"title": "Robot", "tags": ["a", "b"]}
    assert again.meta.line("tags") == 3 and again.parsed == first.parsed
    again.meta.data["tags"].append("c")  # each read has its own copy
    assert split(text, first.parsed).meta.data["tags"] == ["a", "b"]
    monkeypatch.undo()
    changed = split(text.replace("Robot", "Rover"), first.parsed)
    assert changed.meta.data["title"] == "Rover" and changed.parsed != first.parsed


def test_front_matter_problems_have_lines():
    with pytest.raises(FrontMatterProblem) as info:
        split("---\ntitle: Robot\n")
    assert info.value.line == 1 and "never ends" in info.value.message
    with pytest.raises(FrontMatterProblem) as info:
        split("---\n- a list\n---\nBody.\n")
    assert info.value.line == 2 and "mapping" in info.value.message
    assert split("No front matter.\n").has_front_matter is False
