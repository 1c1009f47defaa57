"""portfolio.json is written by site/summary.py ``dumps``, not the standard
library's pure-Python encoder (for speed): the same text as
``json.dumps(data, indent=2, ensure_ascii=False)`` and a newline, for any data."""

from __future__ import annotations

import json
from collections import OrderedDict

import pytest
from support.helpers import project

from portfolio_gen.site import summary

HOSTILE = {
    "text": 'quote " backslash \\ slash / </script> \u2028 \x00\x1f\x7f é 🎉 \ud800',
    "empty": {"dict": {}, "list": [], "tuple": ()},
    "nested": [[], [{}], [[1, [2, {"a": [None]}]]], {"k": ({"x": True}, False)}],
    "numbers": [0, -1, 10**30, 1.5, -0.0, 1e300, 5e-324],
    "": "an empty key",
    'key "quoted"\n': None,
}


def reference(data) -> str:  # noqa: ANN001
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def fast(data) -> str:  # noqa: ANN001
    """The text of the fast way alone (it raises rather than go the standard way)."""
    parts: list[str] = []
    summary._encode(data, parts, "\n")
    return "".join(parts) + "\n"


@pytest.mark.parametrize("data", [HOSTILE, {"a": [HOSTILE, HOSTILE]}, {}])
def test_the_text_is_the_standard_librarys(data):
    assert fast(data) == reference(data)
    assert summary.dumps(data) == reference(data)


@pytest.mark.parametrize(
    "data",
    [
        {"nan": float("nan"), "inf": [float("inf")]},  # (not finite)
        {"subclass": OrderedDict(b=1, a=2), "flag": type("Flag", (int,), {})(3)},
        {2: "an int key", None: "none", True: "bool"},
    ],
)
def test_other_values_are_written_the_standard_way(data):
    with pytest.raises(summary._Unusual):
        fast(data)
    assert summary.dumps(data) == reference(data)


def test_a_circular_value_fails_as_in_the_standard_library():
    data: dict = {"a": []}
    data["a"].append(data)
    with pytest.raises(ValueError, match="Circular reference"):
        summary.dumps(data)


def test_a_portfolios_summary_is_the_standard_text(cli, make_portfolio, monkeypatch):
    class Standard:  # (the standard way is not taken: a portfolio's values are usual)
        @staticmethod
        def dumps(*args, **kwargs):  # noqa: ANN002, ANN003, ANN205
            raise AssertionError("written the standard way")

    monkeypatch.setattr(summary, "json", Standard)
    root = make_portfolio(
        {f"content/projects/p{i}.md": project(f'P{i} ✨ "q"', body="Text.") for i in range(3)}
    )
    assert cli("build", str(root), "--quiet").code == 0
    text = (root / "site" / "portfolio.json").read_text("utf-8")
    assert text == reference(json.loads(text)) and len(json.loads(text)["projects"]) == 3
