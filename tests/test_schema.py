"""One declarative schema per YAML format (portfolio_gen/schema.py): the one reporter's
messages, the defaults the records use, and the key tables in the docs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_gen import config, yamlio
from portfolio_gen import validate as v
from portfolio_gen.config import load_config
from portfolio_gen.content import feedback, projects
from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.hub import settings as hub_settings
from portfolio_gen.schema import Key, Reporter, Schema, key_name
from portfolio_gen.standards import reviews, yaml_framework
from portfolio_gen.standards.reviews import parse_reviews

REPO = Path(__file__).resolve().parent.parent
ALL = (
    config.PORTFOLIO, config.LEARNER, config.LINK, config.PRIVACY, config.THEME_OPTIONS,
    projects.FRONT_MATTER, projects.PERSON, projects.STANDARD_REF, feedback.NOTE,
    reviews.REVIEWS_FILE, reviews.REVIEW_ENTRY, yaml_framework.FRAMEWORK,
    yaml_framework.FRAMEWORK_ITEM, hub_settings.HUB,
)  # fmt: skip
DEMO = Schema(
    "demo",
    (
        Key("title", v.text, "a name", required=True, example="Maya's Portfolio"),
        Key("tags", v.text_list, "tags", (), synonyms=("topics",)),
        Key("nested", None, "read by the caller"),
    ),
)


def check(text: str, schema: Schema, **options):
    located = yamlio.load(text)
    diagnostics = Diagnostics()
    got = Reporter("f.yml", located, diagnostics).fields(located.data, (), schema, **options)
    return got, [str(d) for d in diagnostics.sorted()]


def test_the_reporter_checks_known_keys_and_leaves_the_others_to_the_caller():
    got, problems = check("title: T\ntags: robots\nnested: {a: 1}\n", DEMO)
    assert got == {"title": "T", "tags": ["robots"]} and problems == []


def test_every_problem_at_its_line_with_a_did_you_mean():
    _, problems = check("tags: {a: 1}\ntopics: x\ntitel: T\n", DEMO, required_line=1)
    assert problems == [
        "f.yml:1: error: tags: expected a list of text, got a mapping",
        "f.yml:1: error: title: required; add a line like 'title: Maya's Portfolio'",
        "f.yml:2: warning: unknown key 'topics' is ignored (did you mean 'tags'?)",
        "f.yml:3: warning: unknown key 'titel' is ignored (did you mean 'title'?)",
    ]


def test_another_tools_name_for_a_key_is_suggested_before_spelling():
    assert DEMO.hint("Topics") == " (did you mean 'tags'?)"
    assert projects.FRONT_MATTER.hint("tags") == " (did you mean 'interests'?)"


def test_an_empty_value_is_no_value_where_the_format_says_so():
    got, problems = check("title:\ntags:\n", DEMO, empty_is_missing=True)
    assert got == {} and problems == [
        "f.yml:1: error: title: required; add a line like 'title: Maya's Portfolio'"
    ]
    _, problems = check("title: T\ntags:\n", DEMO)
    assert problems == ["f.yml:2: error: tags: expected a list of text, got nothing"]


def test_a_strict_format_makes_an_unknown_key_an_error_listing_the_keys():
    strict = dataclasses.replace(DEMO, unknown=None)
    _, problems = check("title: T\nzzz: 1\n", strict)
    assert problems == ["f.yml:2: error: unknown key 'zzz' (allowed: title, tags, nested)"]


def test_key_names_say_where_in_the_file():
    assert key_name(("learner", "links", 0, "url")) == "learner.links[0].url"
    assert key_name(("reviews", 2)) == "reviews[2]"


def test_a_missing_key_in_a_list_item_is_named_with_its_path(tmp_path):
    (tmp_path / "portfolio.yml").write_text(
        "title: T\nlearner:\n  links:\n    - label: GitHub\n", encoding="utf-8"
    )
    diagnostics = Diagnostics(tmp_path)
    load_config(tmp_path, diagnostics)
    assert [str(d) for d in diagnostics] == [
        "portfolio.yml:4: error: learner.links[0].url: required"
    ]


def test_a_review_file_without_its_header_names_what_is_missing():
    diagnostics = Diagnostics()
    assert parse_reviews("reviews:\n  - {code: X, status: done}\n", "r.yml", diagnostics) == []
    assert [str(d) for d in diagnostics.sorted()] == [
        "r.yml:1: error: date: required; add a line like 'date: 2026-04-02'",
        "r.yml:1: error: reviewer: required; add a line like 'reviewer: Ms. Rivera'",
        "r.yml:2: error: reviews[0].status: unknown status 'done': use one of begun, partial, "
        "completed",
    ]


def test_the_records_defaults_are_the_schemas():
    def defaults(record: type) -> dict[str, object]:
        out = {}
        for f in dataclasses.fields(record):
            if f.default is not dataclasses.MISSING:
                out[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                out[f.name] = f.default_factory()
        return out

    pairs = [
        (config.PORTFOLIO, config.Config),
        (config.LEARNER, config.Learner),
        (config.PRIVACY, config.Privacy),
        (projects.FRONT_MATTER, projects.Project),
        (hub_settings.HUB, hub_settings.HubConfig),
    ]
    for schema, record in pairs:
        known = defaults(record)
        for name, default in schema.defaults().items():
            assert known[name] == default, (schema.name, name)


@pytest.mark.parametrize("schema", ALL, ids=lambda s: s.name)
def test_every_key_is_documented(schema):
    assert schema.keys and all(key.doc for key in schema.keys)
    assert len(set(schema.names)) == len(schema.names)


def test_the_key_tables_in_the_docs_are_the_schemas():
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "key_tables.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    content = (REPO / "docs" / "content.md").read_text(encoding="utf-8")
    assert "<!-- keys: portfolio.yml -->\n" + config.PORTFOLIO.table() in content
    assert "<!-- keys: front matter -->\n" + projects.FRONT_MATTER.table() in content
    standards = (REPO / "docs" / "standards.md").read_text(encoding="utf-8")
    for schema in ALL[9:13]:
        assert f"<!-- keys: {schema.name} -->\n{schema.table()}" in standards


# --------------------------------------------------------------------------- JSON documents


def test_json_documents_get_lines_for_the_reporter() -> None:
    from portfolio_gen.diagnostics import InputError
    from portfolio_gen.schema import load_json

    text = '{"a": [1,\n  {"b": 2,\n   "c": [3]}],\n "d": {}, "e": "x"}'
    located = load_json(text, depth=2)
    assert located.data == {"a": [1, {"b": 2, "c": [3]}], "d": {}, "e": "x"}
    assert located.lines == {("a",): 1, ("a", 0): 1, ("a", 1): 2, ("d",): 4, ("e",): 4}
    assert load_json(text, depth=lambda data: 3).lines[("a", 1, "c")] == 3
    diagnostics = Diagnostics()
    Reporter("x.json", located, diagnostics).bad(("a", 1, "c"), "expected text")
    assert [str(d) for d in diagnostics] == ["x.json:2: error: a[1].c: expected text"]
    with pytest.raises(InputError) as info:
        load_json('{"a":\n  [1,]}', depth=1)
    assert (info.value.message, info.value.line) == (
        "not valid JSON: Expecting value (column 6)",
        2,
    )
