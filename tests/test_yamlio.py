"""YAML with lines, and the memo that lets a build skip parsing what did not change."""

from __future__ import annotations

import datetime
import os
import pickle

import pytest
from support.helpers import project

from portfolio_gen import yamlio
from portfolio_gen.build import Options, build
from portfolio_gen.cache import seal, unseal

_parse = yamlio._parse  # the parser itself, before a test counts its calls


def test_lines_of_keys_and_items():
    located = yamlio.load("a: 1\nlist:\n  - x\n  - y\n", line_offset=1)
    assert located.data == {"a": 1, "list": ["x", "y"]}
    assert located.line("list", 1) == 5 and located.line("a") == 2
    assert located.line("list", 9) == 3  # the nearest parent


def test_the_memo_gives_every_caller_its_own_copy(tmp_path, monkeypatch):
    parsed = []
    monkeypatch.setattr(
        yamlio, "_parse", lambda text, offset: parsed.append(text) or _parse(text, offset)
    )
    with yamlio.remembered(tmp_path):
        first = yamlio.load("tags: [a, b]\n")
        first.data["tags"].append("changed")
        second = yamlio.load("tags: [a, b]\n")
        assert second.data == {"tags": ["a", "b"]}
        assert yamlio.load("tags: [a, b]\n", line_offset=3).line("tags") == 4  # lines differ
    assert parsed == ["tags: [a, b]\n", "tags: [a, b]\n"]  # once per line offset

    with yamlio.remembered(tmp_path):  # another build: from the file
        assert yamlio.load("tags: [a, b]\n").data == {"tags": ["a", "b"]}
        assert yamlio.load("tags: [c]\n").data == {"tags": ["c"]}  # changed text: parsed
    assert parsed[2:] == ["tags: [c]\n"]


def test_a_memo_from_another_version_or_damaged_is_ignored(tmp_path, monkeypatch):
    memo = tmp_path / yamlio.MEMO_FILE
    with yamlio.remembered(tmp_path):
        yamlio.load("a: 1\n")
    stored = pickle.loads(unseal(b"yaml", memo.read_bytes()))
    stored["documents"] = {
        k: pickle.dumps(yamlio.Located({"a": "forged"})) for k in stored["documents"]
    }
    memo.write_bytes(seal(b"yaml", pickle.dumps({**stored, "stamp": "another version"})))
    with yamlio.remembered(tmp_path):
        assert yamlio.load("a: 1\n").data == {"a": 1}
    memo.write_bytes(b"\x80\x05 not a pickle")
    with yamlio.remembered(tmp_path):
        assert yamlio.load("a: 1\n").data == {"a": 1}
    assert pickle.loads(unseal(b"yaml", memo.read_bytes()))["stamp"] != "another version"


def test_the_memo_keeps_the_latest_documents_only(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlio, "MEMO_SIZE", 3)
    for i in range(5):
        with yamlio.remembered(tmp_path):
            yamlio.load(f"n: {i}\n")
    kept = pickle.loads(unseal(b"yaml", (tmp_path / yamlio.MEMO_FILE).read_bytes()))["documents"]
    assert sorted(pickle.loads(b).data["n"] for b in kept.values()) == [2, 3, 4]


def test_problems_are_reported_by_every_build(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": "---\ntitle: [unclosed\n---\nText.\n"})
    for _ in range(2):
        run = cli("build", str(root))
        assert run.code == 1
        assert "content/projects/a.md:2: error: front matter: malformed YAML" in run.err


def test_private_settings_never_reach_the_memo(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project("A")})
    (root / "portfolio.local.yml").write_text("recipients: [secret.learner@example.org]\n")
    assert cli("build", str(root)).code == 0
    memo = (root / ".portfolio-cache" / yamlio.MEMO_FILE).read_bytes()
    documents = [
        pickle.loads(b).data for b in pickle.loads(unseal(b"yaml", memo))["documents"].values()
    ]
    assert {"title": "A", "date": datetime.date(2026, 1, 2)} in documents  # the project
    assert any("title" in d and "learner" in d for d in documents)  # portfolio.yml
    assert b"secret.learner" not in memo


def test_no_memo_without_the_cache(make_portfolio, tmp_path):
    """The live preview keeps its records in memory, and writes no memo either."""
    root = make_portfolio({"content/projects/a.md": project("A")})
    result = build(root, Options(out=tmp_path / "site", cache=False))
    assert result.out is not None and not result.diagnostics.errors
    assert not (root / ".portfolio-cache" / yamlio.MEMO_FILE).exists()


@pytest.mark.parametrize("text", ["a: [1\n", "- 1\n- [2\n"])
def test_malformed_yaml_is_a_problem_with_a_line(tmp_path, text):
    with yamlio.remembered(tmp_path), pytest.raises(yamlio.YAMLProblem) as info:
        yamlio.load(text)
    assert info.value.line is not None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked on POSIX")
def test_worker_processes_parse_without_the_memo(tmp_path):
    """Workers forked during a build read each source once: no memo work there."""
    with yamlio.remembered(tmp_path):
        yamlio.load("a: 1\n")
        pid = os.fork()
        if pid == 0:  # the worker
            yamlio.load("b: 2\n")
            os._exit(len(yamlio._memo.documents))
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 1  # only what this process parsed


def test_a_key_given_twice_is_a_warning_at_its_second_line(cli, make_portfolio, tmp_path):
    config = "title: First\nlearner:\n  name: Ana\n  name: Ana B.\ntitle: Second\n"
    root = make_portfolio(
        {
            "content/projects/a.md": "---\ntitle: A\ndate: 2026-01-02\ntitle: B\n---\nText.\n",
            "content/projects/c/index.md": project("C"),
            "content/projects/c/feedback/rivera.md": (
                "---\nauthor: Ms. Rivera\nrole: mentor\nauthor: Mr. Lee\ndate: 2026-03-05\n---\nGood.\n"
            ),
        },
        config=config,
    )
    (root / "portfolio.local.yml").write_text("recipients: [a@example.org]\nrecipients: []\n")
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert run.lines == [
        "content/projects/a.md:4: warning: 'title' is given twice; the later value is used",
        "content/projects/c/feedback/rivera.md:4: warning: 'author' is given twice; the later value is used",
        "portfolio.local.yml:2: warning: 'recipients' is given twice; the later value is used",
        "portfolio.yml:4: warning: 'learner.name' is given twice; the later value is used",
        "portfolio.yml:5: warning: 'title' is given twice; the later value is used",
    ]
    assert "Second" in (root / "site/index.html").read_text()
    # and from the cache: a warm build says it again
    assert cli("build", str(root)).lines == run.lines


def test_a_key_given_twice_in_hub_yml(cli, tmp_path):
    from support.helpers import BASIC_CONFIG, write_tree

    write_tree(tmp_path / "ana", {"portfolio.yml": BASIC_CONFIG})
    hub = tmp_path / "club/HUB.yml"
    write_tree(tmp_path / "club", {"HUB.yml": "title: A\nmembers: [../ana]\ntitle: B\n"})
    run = cli("hub", str(hub))
    assert "HUB.yml:3: warning: 'title' is given twice; the later value is used" in run.lines


def test_duplicates_are_only_in_one_mapping():
    located = yamlio.load("a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2, x: 3}]\n1: a\n'1': b\n<<: {}\n")
    assert located.duplicates == [(("c", 1, "x"), 3)]


# One pass for the lines and the data (yamlio._build), PyYAML's constructor for the rest:
# the same Located, or the same problem, on every document.
DOCUMENTS = [
    "title: T\ndate: 2026-03-14\nsummary: s\ninterests: [a, b]\nstandards:\n- X-1\n- code: Y\n"
    "  rationale: r\n",
    "a: 1\nb: 0x1f\nc: 1_000\nd: 1:30\ne: 1.5\nf: .inf\ng: yes\nh: ~\ni: null\nj: 2026-01-02 03:04:05\n",
    "a: 2026-13-45\nb: x\n",  # a date that is not one (ValueError)
    "base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  y: 3\n",  # merge keys
    "more:\n  <<: {x: 1, y: 2}\n  y: 3\n",
    "a: &x [1, 2]\nb: *x\n",  # a list twice
    "a: &s text\nb: *s\n",  # a scalar twice
    "a: &r [*r]\n",  # a list inside itself
    "a: !!str 1\nb: !!binary aGk=\nc: !!set {x, y}\nd: !!omap [{x: 1}]\n",
    "? [a, b]\n: x\n",  # a list as a key
    "1: one\ntrue: t\n~: n\n",  # keys that are not strings
    "= : value\n'<<': quoted\n'<<': again\n",
    "a: 1\na: 2\nb:\n  c: 1\n  c: 2\n",  # duplicates
    "- a\n- b: [c, {d: e}]\n- - f\n",
    "a: !custom x\n",
    "",
    "just text\n",
    "a: [" * 200 + "]" * 200 + "\n",
    "a:\n" + "".join(f"  - {i}\n" for i in range(100_001)),  # more values than allowed
    "a: [1, 2\n",
]


def parsed_both_ways(text, monkeypatch):
    def parse():
        try:
            return yamlio._parse(text, 3)
        except yamlio.YAMLProblem as exc:
            return exc.message, exc.line

    fast = parse()
    with monkeypatch.context() as patch:
        patch.setattr(yamlio, "_build", lambda *a: (_ for _ in ()).throw(yamlio._Unusual()))
        slow = parse()
    return fast, slow


def same(fast, slow) -> bool:
    """Equal, lines in the same order, and the data the same objects (an alias is one)."""
    if not isinstance(fast, yamlio.Located):
        return fast == slow
    return (
        fast == slow
        and list(fast.lines.items()) == list(slow.lines.items())
        and pickle.dumps(fast.data) == pickle.dumps(slow.data)
    )


@pytest.mark.parametrize("text", DOCUMENTS)
def test_one_pass_gives_what_the_constructor_gives(text, monkeypatch):
    assert same(*parsed_both_ways(text, monkeypatch))


def test_one_pass_on_every_front_matter_of_a_corpus(tmp_path, monkeypatch):
    from support.helpers import corpus_sources

    for path in corpus_sources(tmp_path, projects=30):
        text = path.read_text("utf-8")
        if text.startswith("---\n"):
            front_matter = text.split("---\n")[1]
            fast, slow = parsed_both_ways(front_matter, monkeypatch)
            assert same(fast, slow) and isinstance(fast, yamlio.Located), path
            with monkeypatch.context() as patch:  # the one pass taken, not the long way
                patch.setattr(yamlio, "_walk", lambda *a: pytest.fail("the long way"))
                yamlio._parse(front_matter, 3)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("_again", lambda node, seen: False),  # aliases not noticed
        ("_string", lambda yaml, node: isinstance(node, yaml.ScalarNode)),  # "<<" as a key
    ],
)
def test_a_broken_one_pass_is_caught(name, value, monkeypatch):
    monkeypatch.setattr(yamlio, name, value)
    assert not all(same(*parsed_both_ways(text, monkeypatch)) for text in DOCUMENTS)
