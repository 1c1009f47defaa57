"""site/messages.py: the theme's strings found in the templates, and complete translations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markupsafe import Markup
from support.helpers import write_tree

from portfolio_gen.site import badgeview, messages, render
from portfolio_gen.site.i18n import bdi
from portfolio_gen.site.themes import builtin_themes

TEMPLATES = builtin_themes() / "default" / "templates"


def test_strings_are_found_in_every_form_a_template_writes_them(tmp_path):
    write_tree(
        tmp_path,
        {
            "a.html": (
                '{{ t("Double {n}", n=1) }} {{ t(\'Single\') }} {{ t("It\'s") }}\n'
                '{{ t.plural(n, "{n} cat", "{n} cats") }}\n'
                "{{ t(\"Yes\" if x else 'No', name=y) }} {{ t(variable) }} {{ other('Not me') }}\n"
                "<a aria-label=\"{{ t('Label') }}\">{% set x = [(1, t('In a list'))] %}</a>"
            ),
            "sub/b.html": "{% if a %}{{ t('Nested') | upper }}{% endif %}",
        },
    )
    found = messages.template_strings(tmp_path)
    assert set(found) == {
        "Double {n}", "Single", "It's", "{n} cat", "{n} cats", "Yes", "No", "Label",
        "In a list", "Nested",
    }  # fmt: skip
    assert found["{n} cats"] == ["a.html:2"] and found["Nested"] == ["sub/b.html:1"]


def test_the_default_theme_has_its_strings_in_templates_python_and_closed_sets():
    strings = messages.theme_strings()
    assert {"Skip to content", "Main", "Projects", "{n} badges"} <= set(strings)
    assert "Evidence per subject and grade band, by setting" in strings  # chart.py
    assert {"Verified", "Revoked", "out-of-school", "proficient", "Members"} <= set(strings)


def test_every_string_of_the_theme_has_a_spanish_translation():
    """Fails naming each template string that es.yml lacks, and where it is used."""
    lacking = messages.missing("es")
    assert not lacking, "Strings without a Spanish translation in themes/default/i18n/es.yml:\n" + (
        "\n".join(f"  {text!r}  ({', '.join(places[:2])})" for text, places in lacking.items())
    )


def test_spanish_translations_keep_their_placeholders():
    catalog = render.Translations(builtin_themes() / "default", "es")
    import string

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    wrong = [
        (english, spanish)
        for english, spanish in catalog.strings.items()
        if not english.startswith("_") and isinstance(spanish, str)
        and not names(spanish) <= names(english)
    ]  # fmt: skip
    assert not wrong


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_checker_reports_nothing_missing(language, capsys):
    """``python -m portfolio_gen.site.messages es`` (and ar), as the catalogs' headers say."""
    assert messages.main([language]) == 0
    assert capsys.readouterr().err.startswith(f"0 string(s) without a translation in {language}")


def test_the_checker_knows_what_code_shows_through_the_catalog():
    strings = messages.theme_strings()
    assert set(badgeview.strings()) <= set(strings)  # a badge's status for viewers
    assert {"Link to this section", "Performance Expectation", "Unknown endorser"} <= set(strings)


def test_arabic_plurals_and_placeholders():
    catalog = render.Translations(builtin_themes() / "default", "ar")
    assert catalog.plural(2, "{n} gap", "{n} gaps") == "فجوتان"
    assert catalog.plural(5, "{n} gap", "{n} gaps") == "5 فجوات"
    assert catalog.plural(11, "{n} gap", "{n} gaps") == "11 فجوة"
    isolated = catalog.plural(5, "{n} gap", "{n} gaps", n=bdi(5))
    assert isolated == Markup("<bdi>5</bdi> فجوات")
    sentence = catalog("{open} of {n} goals still open", open=bdi(0), n=bdi(2))
    assert sentence == Markup("<bdi>0</bdi> من <bdi>2</bdi> أهداف ما زالت مفتوحة")
    # markup values escape the rest: a name with < > cannot make tags
    assert catalog("Picture of {name}", name=bdi("<b>x</b>")) == Markup(
        "صورة <bdi>&lt;b&gt;x&lt;/b&gt;</bdi>"
    )


def test_no_string_is_missing_when_the_feature_fixture_is_built_in_spanish(
    cli, tmp_path, monkeypatch
):
    """The run-time check: every lookup while rendering every page finds a translation."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser_checks"))
    from support.sites import feature_portfolio

    root = feature_portfolio(tmp_path)
    config = root / "portfolio.yml"
    config.write_text(config.read_text().replace("language: en", "language: es"))
    lookups: list[render.Translations] = []
    original = render.Translations.__init__

    def remember(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, **kwargs)
        lookups.append(self)

    monkeypatch.setattr(render.Translations, "__init__", remember)
    assert cli("build", str(root), "--drafts", "--jobs", "1", "--quiet").code == 0
    assert lookups
    missing = set().union(*(c.missing for c in lookups))
    assert not missing


def test_the_command_lists_missing_strings(tmp_path, capsys):
    theme = tmp_path / "theme"
    shutil.copytree(builtin_themes() / "default" / "i18n", theme / "i18n")
    (theme / "templates").mkdir()
    (theme / "templates" / "extra.html").write_text("{{ t('A brand new string') }}")
    assert messages.main(["es", str(theme)]) == 1
    out = capsys.readouterr()
    assert "A brand new string\t(extra.html:1)" in out.out
    assert "1 string(s) without a translation in es" in out.err
    assert messages.main(["es", str(theme), "--yaml"]) == 1
    assert '"A brand new string": ' in capsys.readouterr().out
    assert messages.main(["es"]) == 0
