"""A published PDF whose metadata names its author or a folder gives a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.helpers import project

from portfolio_gen.site.pdfmeta import notes

WARNING = (
    "this PDF's metadata names {}, which anyone who downloads it can read; clear it in the "
    "program that made the PDF (File > Properties) and export again"
)


def pdf(info: bytes, xmp: bytes = b"") -> bytes:
    """A small PDF with the Info dictionary ``info`` (and an uncompressed XMP stream)."""
    return (
        b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"3 0 obj <<" + info + b">> endobj\n"
        b"4 0 obj <</Type /Metadata /Subtype /XML>> stream\n" + xmp + b"\nendstream endobj\n"
        b"trailer <</Root 1 0 R /Info 3 0 R>>\n%%EOF\n"
    )


@pytest.mark.parametrize(
    "data, named",
    [
        (pdf(b"/Producer (LibreOffice 7.3) /Creator (Writer)"), None),
        (pdf(b"/Author (Ana Lopez) /Producer (Microsoft\\256 Word)"), "its author"),
        (pdf(b"/Author <FEFF0041006E0061>"), "its author"),  # "Ana" in UTF-16
        (pdf(b"/Author ()"), None),
        (
            pdf(b"/Title (C:\\\\Users\\\\ana\\\\Desktop\\\\report.docx)"),
            "a folder on your computer",
        ),
        (
            pdf(b"/Author (Ana) /Title (/home/ana/school/report.odt)"),
            "its author and a folder on your computer",
        ),
        (
            pdf(b"", b"<dc:creator><rdf:Seq><rdf:li>Ana Lopez</rdf:li></rdf:Seq></dc:creator>"),
            "its author",
        ),
    ],
)
def test_notes_name_what_the_metadata_tells(tmp_path: Path, data: bytes, named: str | None):
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    assert notes(path) == (() if named is None else (WARNING.format(named),))


def test_a_build_warns_about_a_published_pdf(cli, make_portfolio):
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="[My report](report.pdf)\n"),
            "content/projects/a/report.pdf": pdf(b"/Author (Ana Lopez)"),
        }
    )
    run = cli("build", str(root))
    assert run.code == 0, run.err
    assert f"content/projects/a/report.pdf: warning: {WARNING.format('its author')}" in run.err
    assert cli("build", str(root)).lines == run.lines  # said again when it is reused
    assert (root / "site/projects/a/report.pdf").read_bytes() == pdf(b"/Author (Ana Lopez)")
