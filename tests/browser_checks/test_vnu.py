"""The W3C Nu HTML checker (vnu) over the whole output of the demo (in every shipped
language) and of the feature fixture and its hub: no error."""

from __future__ import annotations

from support.checkers import html_pages, vnu_errors


def test_the_nu_checker_finds_no_error(demo_sites, feature_sites):
    folders = [*demo_sites.values(), *feature_sites.values()]
    pages = sum(len(html_pages(f)) for f in folders)
    assert pages > 200  # the hub holds both members' sites too
    errors = vnu_errors(*folders)
    assert not errors, f"vnu found {len(errors)} error(s) in {pages} pages:\n" + "\n".join(
        errors[:50]
    )


def test_the_checker_does_report_errors(tmp_path):
    """The check is real: a page with a broken table and a duplicate id fails."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p id="a">x</p><p id="a">y</p><table><tr><td role="cell">1</td></tr></table>'
        "</body></html>",
        encoding="utf-8",
    )
    errors = vnu_errors(bad)
    assert any("Duplicate ID" in e for e in errors), errors
