"""The dataclass methods' code kept between runs (portfolio_gen/compiled.py):
each source is compiled once, the kept file is used only if this user sealed
it, and a build after another compiles none."""

from __future__ import annotations

import builtins
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.helpers import project

import portfolio_gen
from portfolio_gen import compiled as kept
from portfolio_gen import lazy_dataclass
from portfolio_gen.cache import seal
from portfolio_gen.lazy_dataclass import dataclass


def _twin() -> type:
    @dataclass(frozen=True)
    class Twin:  # (the same source for every twin: its methods' code is shared)
        """-"""

        name: str
        size: int = 3

    return Twin


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty ``compiled`` and a cache home of this test's own."""
    monkeypatch.setattr(lazy_dataclass, "compiled", {})
    monkeypatch.setattr(kept, "compiled", lazy_dataclass.compiled)
    monkeypatch.setattr(kept, "_compiled_loaded", 0)
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(tmp_path / "home"))
    return lazy_dataclass.compiled


def test_a_source_is_compiled_once(fresh, monkeypatch):
    first = _twin()
    assert first("a") == first("a", 3) and fresh  # __init__, __eq__ made: their code kept
    codes = dict(fresh)

    def refused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("compiled again")

    monkeypatch.setattr(builtins, "compile", refused)
    second = _twin()
    assert second("b").size == 3 and second("b") == second("b") and hash(second("b"))
    with pytest.raises(lazy_dataclass.dataclasses.FrozenInstanceError):
        second("b").size = 4  # type: ignore[misc]
    assert fresh.keys() >= codes.keys()


def test_kept_code_is_loaded_only_as_this_user_sealed_it(fresh):
    _twin()("a")
    made = dict(fresh)
    kept.save_compiled()
    path = kept.compiled_file()
    assert path.is_file() and oct(path.parent.stat().st_mode & 0o777) == "0o700"

    fresh.clear()
    kept.load_compiled()
    assert fresh.keys() == made.keys()

    fresh.clear()
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1  # (one bit of the data: the seal no longer fits)
    path.write_bytes(bytes(blob))
    kept.load_compiled()
    assert fresh == {}

    source = next(iter(made))  # sealed by this user, but not only source -> code
    data = {source: made[source], "x": "not code", 1: made[source]}
    path.write_bytes(seal(kept._COMPILED_LABEL, marshal.dumps(data)))
    kept.load_compiled()
    assert fresh == {source: made[source]}


def test_only_this_runs_sources_are_kept_past_the_limit(fresh, monkeypatch):
    monkeypatch.setattr(lazy_dataclass, "used", set())
    monkeypatch.setattr(kept, "used", lazy_dataclass.used)
    fresh.update({f"# old {i}": compile("pass", "<string>", "exec") for i in range(5)})
    monkeypatch.setattr(kept, "MAX_KEPT", 4)
    _twin()("a")
    kept.save_compiled()
    fresh.clear()
    kept.load_compiled()
    assert fresh and not any(source.startswith("# old") for source in fresh)


COUNT = """
import builtins, sys
made = []
for name in ("exec", "compile"):
    def counting(source, *args, _original=getattr(builtins, name), **kwargs):
        if isinstance(source, str) and "__create_fn__" in source:
            made.append(source)
        return _original(source, *args, **kwargs)
    setattr(builtins, name, counting)
from portfolio_gen.cli import main
code = main(sys.argv[1:])
print(code, len(made))
"""


def test_a_build_after_another_compiles_no_dataclass_method(make_portfolio, tmp_path):
    root = make_portfolio({f"content/projects/p{i}.md": project(f"P{i}") for i in range(3)})
    env = dict(os.environ, PORTFOLIO_GEN_CACHE_HOME=str(tmp_path / "home"))
    env["PYTHONPATH"] = str(Path(portfolio_gen.__file__).resolve().parent.parent)

    def build() -> list[int]:
        run = subprocess.run(
            [sys.executable, "-c", COUNT, "build", str(root), "--quiet"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [int(word) for word in run.stdout.split()]

    first = build()
    assert first[0] == 0 and first[1] > 20  # (the count can fail: methods are made)
    with (root / "content/projects/p1.md").open("a") as f:
        f.write("\nMore.\n")
    assert build() == [0, 0]
