"""Regular expressions kept between runs (portfolio_gen/kept_patterns.py): a
pattern made from kept pieces equals the one re compiles, a file that does not
verify or holds hostile pieces changes nothing, a second run compiles no kept
pattern, and outside ``compiled_kept`` re is as it was."""

from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.helpers import generated, project
from support.sites import copy_demo

import portfolio_gen
from portfolio_gen import kept_patterns as kept
from portfolio_gen.cache import seal
from portfolio_gen.compiled import compiled_kept

pytestmark = pytest.mark.skipif(not kept.SUPPORTED, reason="patterns are kept on 3.10 to 3.13")

# Patterns of every kind the parser and compiler treat apart.
SAMPLES: list[tuple[str | bytes, int]] = [
    (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(?P=month))?", 0),
    (rb"(?P<tag><[a-z]+>)\s*\x00[\x80-\xff]", 0),
    (rb"\w+\b", re.LOCALE),
    ("(?x) a  # a comment\n [b-d]+ (?# and another)", 0),
    (" a b # c\n [ ]", re.VERBOSE),
    ("(?i)straße|ǅ", 0),
    ("(?ims:a.b)(?-i:c)$", 0),
    (r"(?<=@)\w+(?<!_)(?=\.)(?!\.\.)", 0),
    (r"[^\W\d_]+\N{EM DASH}\u00e9\U0001F600", re.UNICODE),
    (r"\w+\s\d", re.ASCII),
    (r"(a)|b(c)?(?:d)\2{2,5}?x*?y+?z??", 0),
    ("^(?:" + "|".join(f"word{i}" for i in range(40)) + r")\b", re.MULTILINE | re.DOTALL),
]
ATOMIC = [(r"(?>a+)b|c++|d*+|e?+|f{1,3}+", 0)]  # (3.11 on)


def fresh(p: str | bytes, flags: int) -> re.Pattern:
    return kept._standard(p, flags)


def made(p: str | bytes, flags: int) -> re.Pattern:
    """The pattern made from its kept pieces, as ``_compile`` makes it."""
    return kept._sre.compile(p, *kept._arguments(kept._tables[type(p)][p, flags]))


def same(a: re.Pattern, b: re.Pattern) -> bool:
    # Pattern.__eq__ compares the flags, the pattern and the code
    return a == b and a.groups == b.groups and a.groupindex == b.groupindex


@pytest.fixture
def home(monkeypatch, tmp_path):
    """A cache home of this test's own, re's cache emptied, and ``stop`` at the end."""
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(tmp_path / "home"))
    re.purge()
    yield tmp_path / "home"
    kept.stop()
    re.purge()


@pytest.fixture
def parsed(monkeypatch) -> list:
    """The patterns the parser is asked for (by the kept compile step)."""
    calls: list = []

    def counting(p, flags=0):  # noqa: ANN001, ANN202
        calls.append((p, flags))
        return parse(p, flags)

    parse = kept._parse
    monkeypatch.setattr(kept, "_parse", counting)
    return calls


def test_samples_made_from_kept_pieces_equal_the_compiled_ones(home, parsed):
    samples = SAMPLES + ATOMIC if sys.version_info >= (3, 11) else SAMPLES
    kept.start()
    for p, flags in samples:
        assert same(re.compile(p, flags), fresh(p, flags))
    kept.stop()
    assert set(parsed) >= set(samples)
    parsed.clear()
    kept.start()  # a second run: every sample is made from the file
    re.purge()
    for p, flags in samples:
        assert same(made(p, flags), fresh(p, flags))
        assert same(re.compile(p, flags), fresh(p, flags))
    assert not set(parsed) & set(samples)
    date = re.compile(*SAMPLES[0]).match("2024-05-05")  # (names by number, made from the names)
    assert (
        date and date.lastgroup == "month" and date.groupdict() == {"year": "2024", "month": "05"}
    )


def test_flags_of_an_int_subclass_are_kept_as_int(home):
    class Zero(int):  # (as 3.13's re._ZeroSentinel)
        pass

    kept.start()
    kept._compiler.compile("x+y", re.IGNORECASE)  # (re.compile passes an int: others may not)
    re.split("x+z", "axxzb", flags=Zero())
    kept.stop()
    found = kept.load()[0]
    assert set(found) >= {("x+y", 2), ("x+z", 0)}
    assert all(type(flags) is int and type(v[0]) is int for (_, flags), v in found.items())


OTHER_PYTHON = """
import re, sys
from portfolio_gen import kept_patterns as kept
parse, parsed = kept._parse, []
kept._parse = lambda p, flags=0: parsed.append(p) or parse(p, flags)
samples = SAMPLES + (ATOMIC if sys.version_info >= (3, 11) else [])
assert kept.SUPPORTED
for run in range(2):
    re.purge()
    kept.start()
    got = [re.compile(p, flags) for p, flags in samples]
    kept.stop()
    for g, (p, flags) in zip(got, samples):
        want = kept._standard(p, flags)
        assert g == want and g.groups == want.groups and g.groupindex == want.groupindex, p
    print(len(parsed))
    parsed.clear()
"""


def interpreter(minor: int) -> str | None:
    """A Python 3.``minor`` found on the PATH or installed by pyenv, that runs."""
    pyenv = Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python3")
    for path in [shutil.which(f"python3.{minor}"), *map(str, sorted(pyenv))]:
        if path:
            run = subprocess.run([path, "-c", "import sys; print(sys.version_info[1])"],
                                 capture_output=True, text=True, check=False)  # fmt: skip
            if run.returncode == 0 and run.stdout.strip() == str(minor):
                return path
    return None


@pytest.mark.parametrize("minor", [10, 11, 12, 13])
def test_kept_on_each_python_the_project_supports(minor, tmp_path):
    python = interpreter(minor)
    if python is None:
        pytest.skip(f"no Python 3.{minor} here")
    env = dict(os.environ, PORTFOLIO_GEN_CACHE_HOME=str(tmp_path / "home"))
    env["PYTHONPATH"] = str(Path(portfolio_gen.__file__).resolve().parent.parent)
    script = f"import re\nSAMPLES, ATOMIC = {SAMPLES!r}, {ATOMIC!r}\n{OTHER_PYTHON}"
    run = subprocess.run([python, "-c", script], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    first, second = map(int, run.stdout.split())
    assert first >= len(SAMPLES) and second == 0  # (every sample made from the file)


WORLD = {  # a code block in each of several languages: their Pygments lexers' patterns
    "python": "def f(x):\n    return x ** 2  # square\n",
    "javascript": "const f = (x) => x * 2; // double\n",
    "cpp": '#include <cstdio>\nint main() { printf("%d", 1); }\n',
    "html": '<p class="a">Hi &amp; bye</p>\n',
    "css": "p > a:hover { color: #fff; }\n",
    "rust": "fn main() { let v: Vec<u8> = vec![1]; }\n",
    "sql": "SELECT a FROM t WHERE b = 'c';\n",
    "bash": 'for f in *.md; do echo "$f"; done\n',
    "java": "class A { public static void main(String[] a) {} }\n",
    "yaml": "key: [1, 2]\n",
}


def run_build(root: Path, home: Path, script: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PORTFOLIO_GEN_CACHE_HOME=str(home))
    env["PYTHONPATH"] = str(Path(portfolio_gen.__file__).resolve().parent.parent)
    main = "from portfolio_gen.cli import main\nprint('exit', main(sys.argv[1:]))\n"
    return subprocess.run(
        [sys.executable, "-c", f"import sys\n{script}\n{main}", "build", str(root), "--quiet"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_every_pattern_of_real_builds_made_from_kept_pieces_equals_the_compiled_one(
    home, make_portfolio, tmp_path
):
    root = make_portfolio(
        {
            f"content/projects/{lang}.md": project(lang, body=f"Code:\n\n```{lang}\n{code}```\n")
            for lang, code in WORLD.items()
        }
    )
    run_build(root, home)
    corpus = sum(map(len, kept.load()))
    run_build(copy_demo(tmp_path / "demo"), home)  # (adds the demo's own)
    kept._tables[str], kept._tables[bytes] = kept.load()
    assert corpus > 300 and sum(map(len, kept._tables.values())) > corpus
    for table in kept._tables.values():
        for p, flags in table:
            assert same(made(p, flags), fresh(p, flags)), p


def test_a_file_that_does_not_verify_is_ignored(home, parsed):
    kept.start()
    re.compile("a+b")
    kept.stop()
    path = kept.patterns_file()
    assert path.is_file() and oct(path.parent.stat().st_mode & 0o777) == "0o700"
    blob = path.read_bytes()
    assert blob.count(b"a+b") == 1
    path.write_bytes(blob.replace(b"a+b", b"a+c"))  # (one bit: "a+c" with the code of "a+b")
    re.purge()
    kept.start()
    assert kept._tables == {str: {}, bytes: {}}
    found = re.compile("a+c")
    assert same(found, fresh("a+c", 0)) and found.match("aac") and ("a+c", 0) in parsed


def pieces(p: str, flags: int = 0) -> tuple:
    """The real kept pieces of ``p``."""
    kept.start()
    re.compile(p, flags)
    kept.stop()
    re.purge()
    return kept._tables[str][p, flags]


def hostile() -> list[tuple]:
    """Pieces sealed with the user's key that must not be used: ``_arguments``
    refuses their types, or ``_sre.compile`` refuses them."""
    flags, code, groups, names = pieces("(?P<x>a+)b")
    word = len(code) // 4
    bogus_op = (9999).to_bytes(4, sys.byteorder) + code[4:]  # (INFO's place)
    bad_skip = code[:4] + (word * 9).to_bytes(4, sys.byteorder) + code[8:]
    return [
        (flags, bogus_op, groups, names),
        (flags, bad_skip, groups, names),
        (flags, code[:-4], groups, names),  # (no SUCCESS at the end)
        (flags, code[:-1], groups, names),  # (not whole words)
        (flags, list(code), groups, names),
        (flags, code, str(groups), names),
        (str(flags), code, groups, names),
        (flags, code, groups, {1: 1}),
        (flags, code, groups, {"x": "1"}),
        (flags, code, groups, {"x": 2}),
        (flags, code, groups, {"x": 0}),
        (flags, code, groups, [("x", 1)]),
        (flags, code, 10**9, names),  # (a huge count of groups: never a list that long)
        (flags, code, -1, names),
        (2**70, code, groups, names),
        (flags, code, groups),
        "(?P<x>a+)b",
        None,
    ]


def test_hostile_pieces_sealed_with_the_key_are_not_used(home, parsed):
    flags, code, groups, names = pieces("(?P<x>a+)b")
    with pytest.raises(RuntimeError, match="invalid SRE code"):  # (what _sre checks itself)
        kept._sre.compile(
            "x", flags, [9999, *memoryview(code[4:]).cast("I")], groups, names, (None, "x")
        )
    standard = fresh("(?P<x>a+)b", 0)
    for bad in hostile():
        tables = ({("(?P<x>a+)b", 0): bad}, {})
        kept.patterns_file().write_bytes(seal(kept._LABEL, marshal.dumps(tables)))
        re.purge()
        parsed.clear()
        kept.start()
        found = re.compile("(?P<x>a+)b")
        assert same(found, standard) and ("(?P<x>a+)b", 0) in parsed, bad  # (the standard way)
        assert found.match("aab").group("x") == "aa" and not found.match("b"), bad
        kept.stop()
        assert kept.load()[0] == {("(?P<x>a+)b", 0): (flags, code, groups, names)}  # made again


@pytest.mark.parametrize("data", [marshal.dumps([{}, {}]), marshal.dumps(({}, [])), b"\x00junk"])
def test_a_sealed_file_of_the_wrong_shape_is_ignored(home, data):
    path = kept.patterns_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(seal(kept._LABEL, data))
    assert kept.load() == ({}, {})


def test_re_is_as_before_outside_compiled_kept(home, parsed):
    standard = re._compiler.compile if sys.version_info >= (3, 11) else re.sre_compile.compile
    with pytest.raises(ZeroDivisionError), compiled_kept():
        assert kept._compiler.compile is kept._compile
        raise ZeroDivisionError
    assert kept._compiler.compile is standard is kept._standard
    re.compile("[ab]+c")
    assert parsed == [] and kept._tables[str] == {}


def test_errors_and_warnings_are_those_of_re(home):
    def outcome(pattern: str) -> tuple:
        re.purge()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                re.compile(pattern)
                error = None
            except re.error as exc:
                error = (str(exc), exc.pos)
        return error, [(w.category, str(w.message), w.filename, w.lineno) for w in caught]

    patterns = ["a(b", "[[a]", "[a--b]", "(?P<1x>a)", "a{2,1}"]
    before = [outcome(p) for p in patterns]
    assert before[1][1] and before[2][1] and all(error for error, _ in before[::2])
    kept.start()
    assert [outcome(p) for p in patterns] == before
    assert [outcome(p) for p in patterns] == before  # (a pattern that warns is never kept)
    assert kept._tables[str] == {}


def warns(pattern: str, flags: int) -> bool | None:
    """Whether re's parser warns of ``pattern`` (None: it is not a pattern)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            kept._parse(pattern, flags)
        except (re.error, RecursionError, OverflowError):
            return None
    return bool(caught)


@generated(2000)
@given(
    st.text(alphabet="[]^-&~|\\a(?)<P>#i\n ", max_size=14),
    st.sampled_from([0, re.VERBOSE]),
)
def test_a_pattern_the_parser_warns_of_is_never_kept(pattern, flags):
    if warns(pattern, flags):
        assert not kept._keepable(pattern), pattern


def test_patterns_that_warn_or_not(home):
    for pattern in ["[[a]", "[+--]", "[a&&b]", "x[b~~c]", "[a||]", "[a-z--0]", "[]&&]", "[^]~~]"]:
        assert warns(pattern, 0) and not kept._keepable(pattern), pattern
    for pattern in [r"\[a]", r"[\w%-]+", "a-b|c&d|e", r"[\-a]", "[^[a]", "[]]-", "(?:x)(?P<y>z)"]:
        assert warns(pattern, 0) is False and kept._keepable(pattern), pattern
    for pattern in ["<!--", "a--b", "[a]&&"]:  # (told by the text alone: not kept, no warning)
        assert warns(pattern, 0) is False and not kept._keepable(pattern), pattern
    assert not kept._keepable(b"(?P<\xe9>a)")  # (3.11 and 3.12 warn of the group's name)
    assert kept._keepable(b"[\x80-\xff]") and warns(b"[\x80-\xff]", 0) is False


@pytest.mark.parametrize("limit", ["MAX_KEPT", "MAX_KEPT_BYTES"])
def test_only_this_runs_patterns_are_kept_past_the_limit(home, monkeypatch, limit):
    old = {f"old{i}": pieces(f"old{i}") for i in range(5)}
    junk = {7: "not a key", ("x", "y"): 1, **{(p, 0): v for p, v in old.items()}}
    kept.patterns_file().write_bytes(seal(kept._LABEL, marshal.dumps((junk, {}))))
    size = len(marshal.dumps((junk, {})))
    monkeypatch.setattr(kept, limit, len(junk) - 1 if limit == "MAX_KEPT" else size - 1)
    kept.start()
    re.compile("old1")  # (made from the file)
    re.compile("new")
    kept.stop()
    assert set(kept.load()[0]) == {("old1", 0), ("new", 0)}


@pytest.mark.parametrize("limit", ["MAX_KEPT", "MAX_KEPT_BYTES"])
def test_a_run_keeps_no_more_than_the_limit(home, monkeypatch, limit):
    # (a long serve, code blocks in many languages)
    size = len("user0") + len(pieces("user0")[1])  # (text and code of each: the same)
    monkeypatch.setattr(kept, limit, 4 if limit == "MAX_KEPT" else 4 * size)
    kept.start()
    for i in range(10):
        re.compile(f"user{i}")
    assert len(kept._tables[str]) == 4
    kept.stop()
    assert len(kept.load()[0]) == 4


COUNT = """
import re
from portfolio_gen import kept_patterns
parse, parsed = kept_patterns._parse, []
def counting(p, flags=0):
    if kept_patterns._keepable(p):
        parsed.append(p)
    return parse(p, flags)
kept_patterns._parse = counting
import atexit
atexit.register(lambda: print("parsed", len(parsed)))
"""


def test_a_build_after_another_compiles_no_kept_pattern(make_portfolio, tmp_path):
    root = make_portfolio(
        {
            f"content/projects/{lang}.md": project(lang, body=f"```{lang}\n{code}```\n")
            for lang, code in list(WORLD.items())[:3]
        }
    )

    def parsed() -> int:
        out = run_build(root, tmp_path / "home", COUNT).stdout.split()
        assert out[:2] == ["exit", "0"]
        return int(out[-1])

    assert parsed() > 50  # (the count can fail: a cold build compiles patterns)
    with (root / "content/projects/python.md").open("a") as f:
        f.write("\nMore.\n")
    assert parsed() == 0


def test_the_learners_identities_are_in_no_file_a_build_keeps(monkeypatch, tmp_path):
    # The badge reader's pattern of the learner's addresses (badges/reader.py _scrubber)
    # is compiled with ``unkept``: kept, it would sit in the user's cache folder.
    secret = "Secret.Learner@Example.org"
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", secret)
    root = copy_demo(tmp_path / "demo")
    home = tmp_path / "home"
    assert run_build(root, home).stdout.split()[:2] == ["exit", "0"]
    monkeypatch.setenv("PORTFOLIO_GEN_CACHE_HOME", str(home))
    assert kept.load() != ({}, {})  # (the build kept patterns: the test can fail)
    for folder in (home, root / ".portfolio-cache", root / "site"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes().lower()
                assert b"secret.learner" not in data and b"secret\\.learner" not in data, path


def test_stop_keeps_a_copy_while_another_thread_compiles(home, monkeypatch):
    # (serve's threads may compile while the command ends: the table must not
    # change under the loop that picks this run's patterns)
    class Compiling(set):
        def __contains__(self, item):
            table = kept._tables[str]
            table[(f"meanwhile{len(table)}", 0)] = table["this run", 0]
            return super().__contains__(item)

    monkeypatch.setattr(kept, "MAX_KEPT", 1)
    kept.start()
    re.compile("this run")
    kept._tables[str]["from the file", 0] = kept._tables[str]["this run", 0]  # (past the limit)
    monkeypatch.setattr(kept, "_used", Compiling(kept._used))
    kept.stop()  # (a loop over the table itself: "dictionary changed size during iteration")
    assert ("this run", 0) in kept.load()[0]


def test_a_file_sealed_for_another_python_is_not_used(home):
    # (renamed from another version's name: its code may mean something else here)
    kept.start()
    re.compile("abc")
    kept.stop()
    data = marshal.dumps(kept.load())
    assert kept.load() != ({}, {})
    other = kept._LABEL + b"-another"
    for label in (b"patterns", other):
        kept.patterns_file().write_bytes(seal(label, data))
        assert kept.load() == ({}, {})
