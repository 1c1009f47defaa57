"""Patterns compiled on first use (portfolio_gen/patterns.py) behave as compiled ones,
compile nothing until used, and every one in the package compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import portfolio_gen
from portfolio_gen.patterns import _Lazy, lazy_compile

CASES = [
    (r"(\w+)@(\w+)\.org", 0, "Write to ana@club.org or BO@CLUB.ORG."),
    (r"^\[!(NOTE|TIP)\][ \t]*(?:\n|$)", re.I | re.M, "> x\n[!note]\ntext\n[!TIP]  \n"),
    (r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", 0, "<p><b>deep</b></p>" * 3),
    ("[\x00-\x08\ufffe\uffff\ud800-\udfff]", 0, "a\x00b\ud800c\ufffe"),
]


@pytest.mark.parametrize(("pattern", "flags", "text"), CASES)
def test_a_lazy_pattern_does_what_the_compiled_one_does(pattern, flags, text):
    lazy, compiled = lazy_compile(pattern, flags), re.compile(pattern, flags)
    for _ in range(2):  # the first use compiles; the second uses what was kept
        for method in ("search", "match", "fullmatch"):
            got, expected = getattr(lazy, method)(text), getattr(compiled, method)(text)
            assert (got and got.span()) == (expected and expected.span())
        assert [m.groups() for m in lazy.finditer(text)] == [
            m.groups() for m in compiled.finditer(text)
        ]
        assert lazy.findall(text) == compiled.findall(text)
        assert lazy.sub("-", text) == compiled.sub("-", text)
        assert lazy.subn(lambda m: m.group(0).upper(), text) == compiled.subn(
            lambda m: m.group(0).upper(), text
        )
        assert lazy.split(text) == compiled.split(text)
        assert (lazy.pattern, lazy.flags, lazy.groups) == (
            compiled.pattern,
            compiled.flags,
            compiled.groups,
        )


def test_nothing_is_compiled_before_the_first_use():
    broken = lazy_compile(r"(unclosed")  # re.compile would raise here
    with pytest.raises(re.error):
        broken.search("x")
    kept = lazy_compile(r"kept")
    assert "search" not in vars(kept)
    kept.search("kept")
    assert "search" in vars(kept)  # later uses find the compiled pattern's method


def _lazy_patterns() -> list[tuple[str, _Lazy]]:
    found = []
    for info in pkgutil.walk_packages(portfolio_gen.__path__, "portfolio_gen."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, _Lazy) and not name.startswith("__"):
                found.append((f"{info.name}.{name}", value))
    return found


def test_every_lazy_pattern_of_the_package_compiles():
    """A pattern compiled at import fails the first test that imports it; one
    compiled on first use must be checked here."""
    found = _lazy_patterns()
    assert len(found) >= 20
    for where, lazy in found:
        try:
            re.compile(*lazy.args)
        except re.error as exc:
            pytest.fail(f"{where}: {exc}")
