"""The self-assessment scale."""

from __future__ import annotations

import pytest

from portfolio_gen.standards.levels import DEFAULT_LEVELS, Levels, check_level


def test_default_scale() -> None:
    levels = Levels()
    assert list(levels) == ["beginning", "developing", "proficient", "extending"]
    assert levels.names == DEFAULT_LEVELS
    assert len(levels) == 4


@pytest.mark.parametrize("level", ["proficient", "Proficient", " PROFICIENT "])
def test_levels_match_ignoring_case(level: str) -> None:
    levels = Levels()
    assert levels.check(level) is None
    assert levels.normalize(level) == "proficient"
    assert level in levels
    assert levels.rank(level) == 2


def test_level_outside_the_scale() -> None:
    levels = Levels()
    assert levels.check("profcient") == (
        "level 'profcient' is not on the scale (beginning, developing, proficient, extending) "
        "(did you mean 'proficient'?)"
    )
    assert levels.check("expert") == (
        "level 'expert' is not on the scale (beginning, developing, proficient, extending)"
    )
    assert "expert" not in levels
    assert levels.rank("expert") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "level must be one of beginning, developing, proficient, extending, not empty"),
        ("", "level must be one of beginning, developing, proficient, extending, not empty"),
        ([1], "level must be one of beginning, developing, proficient, extending, not list"),
        (True, "level must be one of beginning, developing, proficient, extending, not bool"),
    ],
)
def test_level_that_is_not_a_string(value: object, message: str) -> None:
    assert check_level(value) == message


def test_custom_scale() -> None:
    levels, problems = Levels.parse(["Emerging", "Secure", "Deep"])
    assert problems == []
    assert levels.normalize("secure") == "Secure"
    assert levels.rank("deep") == 2
    assert check_level("proficient", levels) == (
        "level 'proficient' is not on the scale (Emerging, Secure, Deep)"
    )


def test_numeric_scale() -> None:
    levels, problems = Levels.parse([1, 2, 3, 4])
    assert problems == []
    assert levels.check(3) is None
    assert levels.check("4") is None
    assert levels.check(5) == "level '5' is not on the scale (1, 2, 3, 4)"


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("beginning, developing", ["levels must be a list of level names, not str"]),
        ([], ["levels is empty: list at least one level"]),
        (["a", "A"], ["levels[1]: 'A' is listed twice"]),
        (
            ["a", None, " "],
            ["levels[1] must be a non-empty string", "levels[2] must be a non-empty string"],
        ),
    ],
)
def test_bad_scales_fall_back_to_the_default(value: object, problems: list[str]) -> None:
    levels, found = Levels.parse(value)
    assert found == problems
    assert levels == Levels()


def test_no_declaration_is_the_default() -> None:
    assert Levels.parse(None) == (Levels(), [])
