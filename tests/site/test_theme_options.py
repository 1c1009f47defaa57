"""theme_options in portfolio.yml: accent presets, a custom colour checked for contrast, layouts."""

from __future__ import annotations

import re

import pytest
from support.helpers import BASIC_CONFIG, html, project

from portfolio_gen import colours
from portfolio_gen.site.themes import builtin_themes


def accent(page) -> tuple[str, str]:
    """The accent colours a page sets: (light, dark)."""
    style = " ".join(s.text for s in page.select("head style"))
    found = re.findall(r"--accent: (#[0-9a-f]{6})", style)
    assert len(found) == 2, style
    return found[0], found[1]


def build(cli, make_portfolio, options: str):
    root = make_portfolio(
        {"content/projects/a.md": project()}, config=BASIC_CONFIG + "theme_options:\n" + options
    )
    run = cli("build", str(root), "--quiet")
    return root, run


@pytest.mark.parametrize("name", list(colours.ACCENTS))
def test_every_preset_reaches_aa_on_every_background_in_both_modes(name):
    light, dark = colours.ACCENTS[name]
    for background in colours.LIGHT_BACKGROUNDS:
        assert colours.contrast(light, background) >= 5, (name, background)
    for background in colours.DARK_BACKGROUNDS:
        assert colours.contrast(dark, background) >= 5, (name, background)
    assert colours.contrast(light, "#ffffff") >= colours.AA  # white text on a light button
    assert (
        colours.contrast(dark, colours.DARK_BACKGROUNDS[0]) >= colours.AA
    )  # and dark on a dark one


def test_the_backgrounds_are_the_stylesheets():
    css = (builtin_themes() / "default/static/style.css").read_text(encoding="utf-8")
    light, _, dark = css.partition("@media screen and (prefers-color-scheme: dark)")
    assert f"--bg: {colours.LIGHT_BACKGROUNDS[0]};" in light
    assert f"--card: {colours.LIGHT_BACKGROUNDS[1]};" in light
    assert f"--bg: {colours.DARK_BACKGROUNDS[0]};" in dark
    assert f"--card: {colours.DARK_BACKGROUNDS[1]};" in dark
    default_light, default_dark = colours.ACCENTS[colours.DEFAULT_ACCENT]
    assert f"--accent: {default_light};" in light and f"--accent: {default_dark};" in dark


def test_without_theme_options_the_default_look(cli, make_portfolio):
    root = make_portfolio({"content/projects/a.md": project()})
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/index.html")
    assert accent(page) == colours.ACCENTS[colours.DEFAULT_ACCENT]
    assert "layout-grid" in page.body["class"]


def test_a_preset_and_a_layout(cli, make_portfolio):
    root, run = build(cli, make_portfolio, "  accent: Teal\n  layout: journal\n")
    assert run.code == 0 and run.err == "", run.err
    for name in ("index.html", "projects/a/index.html", "projects/index.html"):
        page = html(root / "site" / name)
        assert accent(page) == colours.ACCENTS["teal"]
        assert "layout-journal" in page.body["class"]


def test_a_custom_colour_that_passes_is_used_and_dark_mode_gets_a_lighter_tint(cli, make_portfolio):
    root, run = build(cli, make_portfolio, "  accent: '#1A5E9A'\n")
    assert run.code == 0 and run.err == "", run.err
    light, dark = accent(html(root / "site/index.html"))
    assert light == "#1a5e9a"
    assert dark != light and colours.worst_contrast(dark, dark=True) >= colours.AA


def test_accent_dark_is_checked_too(cli, make_portfolio):
    root, run = build(cli, make_portfolio, "  accent: '#1a5e9a'\n  accent_dark: '#ffd166'\n")
    assert run.code == 0 and run.err == "", run.err
    assert accent(html(root / "site/index.html")) == ("#1a5e9a", "#ffd166")


def test_a_custom_colour_that_fails_is_a_warning_at_its_line_and_a_readable_shade_is_used(
    cli, make_portfolio
):
    root, run = build(cli, make_portfolio, "  layout: grid\n  accent: '#ffcc00'\n")
    assert run.code == 0
    line = BASIC_CONFIG.count("\n") + 3
    (warning,) = [w for w in run.lines if "theme_options.accent" in w]
    assert warning.startswith(f"portfolio.yml:{line}: warning: theme_options.accent: #ffcc00 ")
    ratio = colours.worst_contrast("#ffcc00", dark=False)
    assert f"contrast ratio of {ratio:.1f}:1 on the light background" in warning
    shade = colours.passing_shade("#ffcc00", dark=False)
    assert f"the site uses {shade} instead" in warning and f"like '{shade}'" in warning
    assert colours.worst_contrast(shade, dark=False) >= colours.AA
    assert accent(html(root / "site/index.html"))[0] == shade
    assert cli("build", str(root), "--quiet", "--strict").code == 1


def test_a_dark_colour_that_fails_is_a_warning(cli, make_portfolio):
    root, run = build(cli, make_portfolio, "  accent_dark: '#333366'\n")
    (warning,) = [w for w in run.lines if "theme_options.accent_dark" in w]
    assert "on the dark background" in warning and "Pick a lighter colour" in warning
    assert colours.worst_contrast(accent(html(root / "site/index.html"))[1], dark=True) >= 4.5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "  accent: #ffcc00\n",  # YAML: a comment, so no value
            "theme_options.accent: expected a colour like '#1a7f5a' (in quotes: YAML reads # "
            "as the start of a comment), got nothing",
        ),
        ("  accent: tael\n", "theme_options.accent: expected one of violet, teal"),
        ("  accent: tael\n", "got 'tael' (did you mean 'teal'?)"),
        ("  accent: '#12345'\n", "theme_options.accent: expected one of"),
        ("  accent_dark: teal\n", "theme_options.accent_dark: expected a colour like"),
        ("  layout: jornal\n", "theme_options.layout: expected grid or journal, got 'jornal'"),
        ("  layout: [grid]\n", "theme_options.layout: expected text, got a list"),
        ("  accent: 'red;}</style><script>alert(1)</script>'\n", "theme_options.accent: expected"),
        ("  layout: 'grid\" onload=\"alert(1)'\n", "theme_options.layout: expected grid or"),
    ],
)
def test_bad_values_are_errors_at_their_line(cli, make_portfolio, options, message):
    root, run = build(cli, make_portfolio, options)
    assert run.code == 1
    assert not (root / "site").exists()  # nothing of the value reaches a page
    line = BASIC_CONFIG.count("\n") + 2
    assert any(
        e.startswith(f"portfolio.yml:{line}: error: ") and message in e for e in run.lines
    ), run.err


def test_unknown_keys_are_warnings_and_not_a_mapping_is_an_error(cli, make_portfolio):
    _, run = build(cli, make_portfolio, "  colour: teal\n")
    line = BASIC_CONFIG.count("\n") + 2
    assert f"portfolio.yml:{line}: warning: unknown key 'theme_options.colour' is ignored" in (
        run.err
    )
    root = make_portfolio(
        {"content/projects/a.md": project()}, config=BASIC_CONFIG + "theme_options: teal\n"
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    assert "theme_options: expected a mapping, got text" in run.err
