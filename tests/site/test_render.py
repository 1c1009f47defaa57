"""The translation catalog of site/render.py: strings, plurals, dates and direction per language."""

from __future__ import annotations

import datetime as dt

import pytest
from support.helpers import html

from portfolio_gen.site.i18n import Translations, plural_category
from portfolio_gen.site.themes import builtin_themes

DEFAULT = builtin_themes() / "default"
PI_DAY = dt.date(2026, 3, 14)


def catalog(tmp_path, language: str, yml: str | None = None) -> Translations:
    """A catalog for ``language`` with a theme of its own whose i18n/<language>.yml is ``yml``."""
    theme = tmp_path / "theme"
    (theme / "i18n").mkdir(parents=True, exist_ok=True)
    if yml is not None:
        (theme / "i18n" / f"{language.split('-')[0]}.yml").write_text(yml, encoding="utf-8")
    return Translations(theme, language)


@pytest.mark.parametrize(
    "language, expected",
    [("en", "March 14, 2026"), ("es", "14 de marzo de 2026"), ("ar", "14 مارس 2026"),
     ("es-MX", "14 de marzo de 2026"), ("xx", "March 14, 2026")],
)  # fmt: skip
def test_dates_are_written_the_way_the_language_writes_them(language, expected):
    assert Translations(DEFAULT, language).date(PI_DAY) == expected
    assert Translations(DEFAULT, language).date(None) == ""


def test_the_date_filter_remembers_each_language_s_dates_apart():
    """The ``date`` filter remembers a date as each Translations writes it: a build in
    another language (a hub, a preview whose language changed) gets its own."""
    from portfolio_gen.site.render import _date

    moment = dt.datetime(2026, 3, 14, 9, 30)  # not a plain date: asked every time
    for language, expected in [("en", "March 14, 2026"), ("es", "14 de marzo de 2026")] * 2:
        t = Translations(DEFAULT, language)
        context = type("C", (), {"environment": type("E", (), {"globals": {"t": t}})})()
        assert _date(context, PI_DAY) == _date(context, moment) == expected
        assert _date(context, None) == ""


def test_direction_comes_from_the_catalog_or_the_language():
    assert Translations(DEFAULT, "ar").direction == "rtl"
    assert Translations(DEFAULT, "es").direction == Translations(DEFAULT, "en").direction == "ltr"
    assert Translations(DEFAULT, "he").direction == "rtl"  # no catalog, but written right to left


def test_strings_translate_and_fall_back_to_english_remembering_what_was_missing(tmp_path):
    t = catalog(tmp_path, "es", '"Skip to content": "Saltar al contenido"\n')
    assert t("Skip to content") == "Saltar al contenido"
    assert t("Portfolio of {name}", name="Ana") == "Portafolio de Ana"  # the default theme's es.yml
    assert t("Not a theme string {x}", x=1) == "Not a theme string 1"
    assert t.missing == {"Not a theme string {x}"}
    assert Translations(DEFAULT, "en")("Anything") == "Anything"
    assert Translations(DEFAULT, "en").missing == set()  # English needs no translation


def test_a_translation_with_a_wrong_placeholder_falls_back_to_english(tmp_path):
    t = catalog(tmp_path, "es", '"Portfolio of {name}": "Portafolio de {nombre}"\n')
    assert t("Portfolio of {name}", name="Ana") == "Portfolio of Ana"


@pytest.mark.parametrize(
    "language, counts",
    [("en", {0: "other", 1: "one", 2: "other"}),
     ("es", {0: "other", 1: "one", 5: "other"}),
     ("fr", {0: "one", 1: "one", 2: "other"}),
     ("ar", {0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many",
             100: "other", 103: "few"})],
)  # fmt: skip
def test_plural_categories(language, counts):
    assert {n: plural_category(language, n) for n in counts} == counts


def test_plurals_in_spanish_and_in_all_six_arabic_forms():
    es = Translations(DEFAULT, "es")
    assert [es.plural(n, "{n} badge", "{n} badges") for n in (0, 1, 2)] == [
        "0 insignias", "1 insignia", "2 insignias"
    ]  # fmt: skip
    ar = Translations(DEFAULT, "ar")
    assert [ar.plural(n, "{n} badge", "{n} badges") for n in (0, 1, 2, 3, 11, 100)] == [
        "لا شارات", "شارة واحدة", "شارتان", "3 شارات", "11 شارة", "100 شارة"
    ]  # fmt: skip
    en = Translations(DEFAULT, "en")
    assert [en.plural(n, "{n} badge", "{n} badges") for n in (0, 1, 2)] == [
        "0 badges", "1 badge", "2 badges"
    ]  # fmt: skip


def test_language_picks_the_catalog_for_every_page(cli, make_portfolio):
    from support.helpers import BASIC_CONFIG, project

    root = make_portfolio(
        {"content/projects/a.md": project("Arm", "2026-03-14", setting="home")},
        config=BASIC_CONFIG + "language: es\n",
    )
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/projects/a/index.html")
    assert page.html["lang"] == "es" and page.html["dir"] == "ltr"
    assert page.select_one(".skip-link").text == "Saltar al contenido"
    assert page.select_one(".facts time").text == "14 de marzo de 2026"
    assert "en casa" in page.select_one(".facts").text
