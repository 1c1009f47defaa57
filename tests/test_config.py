from pathlib import Path

from portfolio_gen.config import load_config
from portfolio_gen.diagnostics import Diagnostics


def load(root: Path, text: str):
    (root / "portfolio.yml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics(root)
    return load_config(root, diagnostics), [str(d) for d in diagnostics.sorted()]


def test_full_config_is_typed(tmp_path):
    config, problems = load(
        tmp_path,
        """\
title: Maya's Portfolio
learner:
  name: Maya R.
  bio: I build things that move.
  links: [{label: GitHub, url: https://github.com/example}]
interests: [robotics, poetry]
base_url: https://maya.github.io/portfolio
goals: [HS-ETS1-2]
privacy: {noindex: true}
""",
    )
    assert problems == []
    assert config.title == "Maya's Portfolio"
    assert config.learner.links[0].url == "https://github.com/example"
    assert config.base_url == "https://maya.github.io/portfolio/"  # a trailing slash is added
    assert config.interests == ("robotics", "poetry")
    assert config.privacy.noindex is True and config.privacy.strip_metadata is True
    assert config.language == "en" and config.theme == "default"


def test_every_bad_key_is_reported_with_path_and_line(tmp_path):
    _, problems = load(
        tmp_path,
        """\
title: T
learner:
  name: [a, b]
  links:
    - label: GitHub
      url: ftp://example.org
titel: oops
privacy:
  noindex: maybe
interests: {a: 1}
""",
    )
    assert problems == [
        "portfolio.yml:3: error: learner.name: expected text, got a list",
        "portfolio.yml:6: error: learner.links[0].url: expected a web address starting with https:// or http://, got 'ftp://example.org'",
        "portfolio.yml:7: warning: unknown key 'titel' is ignored (did you mean 'title'?)",
        "portfolio.yml:9: error: privacy.noindex: expected true or false, got text",
        "portfolio.yml:10: error: interests: expected a list of text, got a mapping",
    ]


def test_missing_title_and_malformed_yaml(tmp_path):
    _, problems = load(tmp_path, "learner: {name: A}\n")
    assert problems == [
        "portfolio.yml:1: error: title: required; add a line like 'title: Maya's Portfolio'"
    ]
    config, problems = load(tmp_path, "title: [unclosed\nlearner: x\n")
    assert config is None
    assert len(problems) == 1 and problems[0].startswith(
        "portfolio.yml:1: error: malformed YAML"
    )  # the open [


def test_not_a_mapping_and_missing_file(tmp_path):
    config, problems = load(tmp_path, "- a\n- b\n")
    assert config is None
    assert problems == [
        "portfolio.yml:1: error: expected a mapping (settings, key: value), got a list"
    ]
    (tmp_path / "portfolio.yml").unlink()
    diagnostics = Diagnostics(tmp_path)
    assert load_config(tmp_path, diagnostics) is None
    assert "run 'portfolio-gen init'" in str(diagnostics.errors[0])


def test_identities_never_come_from_the_published_config(tmp_path, monkeypatch):
    _, problems = load(tmp_path, "title: T\nrecipients: [me@example.org]\n")
    assert "must not be in a published file" in problems[0]
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", "a@example.org, b@example.org")
    (tmp_path / "portfolio.local.yml").write_text("recipients: [c@example.org]\n")
    config, problems = load(tmp_path, "title: T\n")
    assert problems == []
    assert config.identities == ("a@example.org", "b@example.org", "c@example.org")
    assert "example.org" not in repr(config)  # identities stay out of logs and reprs


def test_base_url_from_the_command_line_wins(tmp_path):
    (tmp_path / "portfolio.yml").write_text("title: T\nbase_url: https://a.example.org/\n")
    diagnostics = Diagnostics(tmp_path)
    config = load_config(tmp_path, diagnostics, base_url="https://b.example.org/sub")
    assert config.base_url == "https://b.example.org/sub/"


def test_a_title_that_is_not_text_is_an_error_not_a_crash(cli, tmp_path):
    for value, got in (("null", "nothing"), ("true", "true/false"), ("2024-01-01", "a date"),
                       ("{a: 1}", "a mapping"), ("[a]", "a list")):  # fmt: skip
        (tmp_path / "portfolio.yml").write_text(f"learner: {{name: A}}\ntitle: {value}\n")
        run = cli("build", str(tmp_path), "-o", str(tmp_path / "site"))
        assert run.code == 1 and "Traceback" not in run.err and "internal error" not in run.err
        assert run.lines[0] == (
            f"portfolio.yml:2: error: title: expected text, got {got}; "
            "write it as text, like 'title: Maya's Portfolio'"
        )
