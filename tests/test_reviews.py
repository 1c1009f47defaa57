"""Teacher reviews: export --csv -> a spreadsheet -> review import -> reviews/*.yml -> the site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.helpers import html, project, site_json, write_tree

from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.export import CSV_COLUMNS
from portfolio_gen.review import read_rows
from portfolio_gen.standards.reviews import MAX_COMMENT, STATUSES, parse_reviews

ARM = "CCSS.Math.Content.7.RP.A.2"
FILES = {
    "content/projects/arm/index.md": project(
        "Arm", "2026-03-01", setting="out-of-school",
        standards=f"[{{code: {ARM}, level: proficient}}, MS-ETS1-4]",
    ),
    "content/projects/oven.md": project("Oven", "2026-02-01", standards=f"[{ARM}]"),
}  # fmt: skip
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RTL = "عمل رائع في النسب"  # "great work on ratios"


def text(element) -> str:
    """An element's text as a reader sees it: white space collapsed."""
    return " ".join(element.get_text().split())


def export_rows(cli, root: Path, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "blank.csv"
    run = cli("export", str(root), "--csv", str(out))
    assert run.code == 0, run.err
    return list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))


def fill(rows: list[list[str]], answers: dict[tuple[str, str], tuple[str, str]]) -> list[list[str]]:
    """Fill review_status and review_comment of the rows (code, title) names."""
    header = rows[0]
    code, title = header.index("code"), header.index("title")
    status, comment = header.index("review_status"), header.index("review_comment")
    for row in rows[1:]:
        if (row[code], row[title]) in answers:
            row[status], row[comment] = answers[(row[code], row[title])]
    return rows


def save(path: Path, rows: list[list[str]], *, delimiter=",", bom=False, newline="\r\n") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def review_import(cli, csv_file: Path, root: Path, *extra: str, reviewer: str = "Ms. Rivera"):
    return cli("review", "import", str(csv_file), "--reviewer", reviewer,
               "--date", "2026-05-20", *extra, str(root))  # fmt: skip


ANSWERS = {
    (ARM, "Arm"): ("Completed", f'Clear ratios, "sized" syringes; well done.\n{HOSTILE}'),
    (ARM, "Oven"): ("parcial", RTL),
    ("MS-ETS1-4", "Arm"): ("begun", ""),
}


def test_export_appends_empty_review_columns(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    rows = export_rows(cli, root, tmp_path)
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[0][:13] == [
        "code",
        "framework",
        "statement",
        "evidence type",
        "title",
        "url",
        "date",
        "setting",
        "program",
        "rationale",
        "level",
        "badge issuer",
        "verification status",
    ]  # fmt: skip  (unchanged, in order)
    assert rows[0][13:] == ["review_status", "review_comment"]
    assert all(len(r) == 15 and r[13:] == ["", ""] for r in rows[1:])


@pytest.mark.parametrize(
    "style",
    [
        {"delimiter": ";", "bom": True, "newline": "\r\n"},  # Excel in a European locale
        {"delimiter": ",", "bom": False, "newline": "\r\n"},  # LibreOffice
        {"delimiter": ",", "bom": False, "newline": "\n"},  # Google Sheets download
    ],
    ids=["excel-semicolon-bom", "libreoffice-crlf", "sheets-lf"],
)
def test_round_trip_from_export_to_the_site(cli, make_portfolio, tmp_path, style):
    root = make_portfolio(FILES)
    rows = fill(export_rows(cli, root, tmp_path), ANSWERS)
    filled = save(tmp_path / "filled.csv", rows, **style)
    run = review_import(cli, filled, root)
    assert run.code == 0, run.err
    assert "imported 3 reviews by Ms. Rivera" in run.out
    written = root / "reviews" / "ms-rivera.yml"
    assert written.is_file()
    assert not list((root / "reviews").glob(".*"))  # no temporary file left

    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site"

    # the matrix: each reviewer's most advanced status, apart from the learner's level
    matrix = html(site / "standards/index.html")
    row = next(th for th in matrix.select("th[scope=row]") if th.code and th.code.text == ARM)
    verdict = row.select_one(".review-summary")
    assert text(verdict) == "Teacher review: ● Completed (Ms. Rivera, May 20, 2026)"
    tr = row.find_parent("tr")
    assert "Completed" not in tr.select_one(".level-cell").get_text()  # the learner's own column
    assert tr.select_one(".level-cell").get_text(strip=True).startswith("proficient")

    # the standard's page: every review, with comment, reviewer, date and the evidence meant
    page = html(site / "standards/ccss-math-content-7-rp-a-2/index.html")
    section = page.select_one("section.teacher-reviews")
    items = section.select("li.review-item")
    assert len(items) == 2
    heads = [text(i.select_one(".review-head")) for i in items]
    assert "Completed by Ms. Rivera, May 20, 2026 · about Arm" in heads[0]
    assert "Partial by Ms. Rivera" in heads[1] and heads[1].endswith("about Oven")
    comment = items[0].select_one(".review-comment")
    assert comment.get_text() == f'Clear ratios, "sized" syringes; well done.\n{HOSTILE}'
    assert comment.find("script") is None and comment.find("img") is None  # escaped, as text
    assert (
        "<script>alert"
        not in (site / "standards/ccss-math-content-7-rp-a-2/index.html").read_text()
    )
    rtl = items[1].select_one(".review-comment")
    assert rtl.get_text() == RTL and rtl["dir"] == "auto"
    assert section.find_next_sibling("h2").get_text() == "Evidence"  # set apart from the evidence

    # the printable report
    report = html(site / "report/index.html")
    reviews = report.select(".report-standard .teacher-reviews")
    assert len(reviews) == 2  # two standards reviewed
    assert "Reviewed by: Ms. Rivera (May 20, 2026)" in text(report)
    assert report.find("script", string=lambda s: s and "alert" in s) is None

    # portfolio.json (additive)
    data = site_json(site)
    by_code = {s["code"]: s for s in data["standards"]}
    assert by_code[ARM]["reviews"] == [
        {"reviewer": "Ms. Rivera", "date": "2026-05-20", "status": "completed",
         "comment": f'Clear ratios, "sized" syringes; well done.\n{HOSTILE}',
         "evidence": {"type": "project", "slug": "arm"}},
        {"reviewer": "Ms. Rivera", "date": "2026-05-20", "status": "partial", "comment": RTL,
         "evidence": {"type": "project", "slug": "oven"}},
    ]  # fmt: skip
    assert by_code["MS-ETS1-4"]["reviews"][0]["status"] == "begun"
    assert by_code["MS-ETS1-4"]["reviews"][0]["comment"] is None


def test_the_reviews_file_reads_like_one_written_by_hand(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    rows = fill(
        export_rows(cli, root, tmp_path), {(ARM, "Arm"): ("completed", "Line one\nLine two")}
    )
    assert review_import(cli, save(tmp_path / "f.csv", rows), root).code == 0
    text = (root / "reviews/ms-rivera.yml").read_text(encoding="utf-8")
    assert text.splitlines()[2:] == [
        "reviewer: Ms. Rivera",
        "date: 2026-05-20",
        "reviews:",
        f"- code: {ARM}",
        "  status: completed",
        "  comment: |-",
        "    Line one",
        "    Line two",
        "  evidence: projects/arm/",
    ]


def test_bad_rows_are_all_reported_with_their_lines_and_nothing_is_written(
    cli, make_portfolio, tmp_path
):
    root = make_portfolio(FILES)
    rows = export_rows(cli, root, tmp_path)
    header = rows[0]
    blank = [""] * len(header)

    def row(code: str, status: str, comment: str = "") -> list[str]:
        out = list(blank)
        out[0], out[13], out[14] = code, status, comment
        return out

    rows = [
        header,
        row(ARM, "complet"),  # line 2: a typo
        row("HS-ESTS1-2", "begun"),  # line 3: no such standard
        row(ARM, "", "A comment\nover two lines"),  # lines 4-5: no status
        row("", "partial"),  # line 6: no code
        row("", ""),  # line 7: nothing: skipped
        row(ARM, "completed", "x" * (MAX_COMMENT + 1)),  # line 8
        row("MS-ETS1-4", "begun"),  # line 9: fine
        row("MS-ETS1-4", "partial"),  # line 10: the same standard twice
    ]
    bad = save(tmp_path / "bad.csv", rows)
    run = review_import(cli, bad, root)
    assert run.code == 1
    name = str(bad)
    errors = [line for line in run.lines if ": error: " in line]
    assert errors == [
        f"{name}:2: error: unknown status 'complet': use one of begun, partial, completed "
        "(did you mean 'completed'?)",
        errors[1],
        f"{name}:4: error: a comment without a status: write begun, partial, completed in "
        "review_status",
        f"{name}:6: error: no code in this row: the review must name a standard",
        f"{name}:8: error: review_comment is {MAX_COMMENT + 1} characters; at most {MAX_COMMENT}",
        f"{name}:10: error: MS-ETS1-4 is reviewed twice (first at line 9)",
    ]
    assert errors[1].startswith(f"{name}:3: error: unknown code: ")
    assert "HS-ESTS1-2" in errors[1]
    assert run.lines[-1] == "review import failed: 6 error(s); nothing was written"
    assert not (root / "reviews").exists()


def test_missing_columns_and_undecodable_files(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    rows = export_rows(cli, root, tmp_path)
    cut = save(tmp_path / "cut.csv", [r[:13] for r in rows])  # the review columns deleted
    run = review_import(cli, cut, root)
    assert run.code == 1
    assert run.lines[0].startswith(
        f"{cut}:1: error: no 'review_status', 'review_comment' column in the first row"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "code,review_status,review_comment\nMS-ETS1-4,begun,Très bien\n".encode("cp1252")
    )
    run = review_import(cli, latin, root)
    assert run.code == 1 and f"{latin}: error: not UTF-8 text" in run.lines[0]
    assert not (root / "reviews").exists()


def test_a_sheet_over_the_size_limit_is_refused_unread(cli, make_portfolio, tmp_path, monkeypatch):
    import portfolio_gen.review

    root = make_portfolio(FILES)
    sheet = save(tmp_path / "big.csv", export_rows(cli, root, tmp_path))
    monkeypatch.setattr(portfolio_gen.review, "MAX_CSV_BYTES", sheet.stat().st_size - 1)
    run = review_import(cli, sheet, root)
    assert run.code == 1 and run.lines[0] == f"{sheet}: error: larger than 0 MB; not a review"
    assert not (root / "reviews").exists()


def test_a_minimal_sheet_with_translated_statuses_and_loose_headers(cli, make_portfolio, tmp_path):
    """A teacher's own sheet: only the needed columns, headers as typed, statuses in es/ar."""
    root = make_portfolio(FILES)
    sheet = tmp_path / "mine.csv"
    sheet.write_text(
        "Code;Review Status;Review-Comment\r\n"
        f'{ARM.lower()};COMPLETADO;"Bien;\r\nmuy bien"\r\n'
        "ms-ets1-4;جزئي;\r\n",
        encoding="utf-8",
    )
    run = review_import(cli, sheet, root)
    assert run.code == 0, run.err
    assert cli("build", str(root), "--quiet").code == 0
    reviews = {s["code"]: s["reviews"] for s in site_json(root / "site")["standards"]}
    assert reviews[ARM] == [{"reviewer": "Ms. Rivera", "date": "2026-05-20", "status": "completed",
                             "comment": "Bien;\nmuy bien", "evidence": None}]  # fmt: skip
    assert reviews["MS-ETS1-4"][0]["status"] == "partial"


def test_line_numbers_count_quoted_line_breaks(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    sheet = tmp_path / "lines.csv"
    sheet.write_text(
        "code,review_status,review_comment\n"
        f'{ARM},completed,"one\ntwo\nthree"\n'
        "MS-ETS1-4,finished,\n",
        encoding="utf-8",
    )
    run = review_import(cli, sheet, root)
    assert run.code == 1
    assert run.lines[0].startswith(f"{sheet}:5: error: unknown status 'finished'")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sra. Núñez", "sra-nunez"),
        ("أ. ليلى حسن", "أ-ليلى-حسن"),
        ("Mr. O'Brien <b>", "mr-o-brien-b"),
    ],
)
def test_reviewer_names_of_any_script_make_a_safe_file_name(
    cli, make_portfolio, tmp_path, name, slug
):
    root = make_portfolio(FILES)
    rows = fill(export_rows(cli, root, tmp_path), {(ARM, "Arm"): ("completed", "")})
    run = review_import(cli, save(tmp_path / "f.csv", rows), root, reviewer=name)
    assert run.code == 0, run.err
    assert [p.name for p in (root / "reviews").iterdir()] == [f"{slug}.yml"]
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/standards/ccss-math-content-7-rp-a-2/index.html")
    assert page.select_one(".review-by").get_text(strip=True).startswith(f"by {name},")
    assert page.select_one(".teacher-reviews b") is None


def test_an_existing_review_is_replaced_only_when_asked(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    rows = export_rows(cli, root, tmp_path)
    first = save(tmp_path / "1.csv", fill([list(r) for r in rows], {(ARM, "Arm"): ("begun", "")}))
    second = save(
        tmp_path / "2.csv", fill([list(r) for r in rows], {(ARM, "Arm"): ("completed", "")})
    )
    assert review_import(cli, first, root).code == 0
    before = (root / "reviews/ms-rivera.yml").read_bytes()
    run = review_import(cli, second, root)
    assert run.code == 1
    assert "reviews/ms-rivera.yml: error: already exists; give --replace to replace it" in run.err
    assert (root / "reviews/ms-rivera.yml").read_bytes() == before
    assert review_import(cli, second, root, "--replace").code == 0
    assert "status: completed" in (root / "reviews/ms-rivera.yml").read_text()


def test_a_review_edited_by_hand_shows_on_the_next_build(cli, make_portfolio):
    """Pages are reused between builds by their key: the reviews are part of it."""
    review = "reviewer: Mr. Li\ndate: 2026-04-01\nreviews:\n  - {code: MS-ETS1-4, status: %s}\n"
    root = make_portfolio({**FILES, "reviews/li.yml": review % "begun"})
    assert cli("build", str(root), "--quiet").code == 0
    page = root / "site/standards/ms-ets1-4/index.html"
    assert "Begun" in html(page).select_one(".teacher-reviews").get_text()
    (root / "reviews/li.yml").write_text(review % "completed", encoding="utf-8")
    assert cli("build", str(root), "--quiet").code == 0
    assert "Completed" in html(page).select_one(".teacher-reviews").get_text()
    assert (
        "Completed"
        in html(root / "site/standards/index.html").select_one(".review-summary").get_text()
    )
    assert site_json(root / "site")["standards"][1]["reviews"][0]["status"] == "completed"


def test_hand_written_reviews_are_checked_with_lines(cli, make_portfolio):
    root = make_portfolio(
        {
            **FILES,
            "reviews/bad.yml": (
                "reviewer: Mr. Li\n"
                "date: next week\n"  # 2
                "colour: red\n"  # 3
                "reviews:\n"
                "  - code: MS-ETS1-4\n"  # 5
                "    status: done\n"  # 6
                "  - code: MS-ETS1-4\n"  # 7
                "    status: begun\n"
                "    comentario: hi\n"  # 9
                "  - {code: HS-ESTS1-2, status: begun}\n"  # 10: no such standard: a warning
                f"  - {{code: {ARM}, status: begun, evidence: projects/nope/}}\n"  # 11
            ),
            "reviews/notes.txt": "not a review: ignored",
            "reviews/long.yml": f"reviewer: {'x' * 201}\ndate: 2026-01-01\nreviews: []\n",
            "reviews/empty.yml": "",
        }
    )
    run = cli("check", str(root))
    assert run.code == 1
    lines = [line for line in run.lines if line.startswith("reviews/")]
    assert (
        "reviews/bad.yml:2: error: date: expected an ISO date like 2026-03-14, got 'next week'"
        in lines
    )
    assert (
        "reviews/bad.yml:3: error: unknown key 'colour' (allowed: reviewer, date, reviews)" in lines
    )
    assert (
        "reviews/bad.yml:6: error: reviews[0].status: unknown status 'done': use one of begun, "
        "partial, completed" in lines
    )
    assert "reviews/long.yml:1: error: reviewer: 201 characters; at most 200" in lines[-1]
    assert (
        "reviews/bad.yml:9: error: reviews[1]: unknown key 'comentario' (did you mean 'comment'?)"
        in lines
    )
    assert (
        "reviews/bad.yml:1: error: expected a mapping with reviewer:, date: and reviews:, got an empty file"
        in [line.replace("empty.yml", "bad.yml") for line in lines]
    )
    # a file that parses: the codes are checked against the portfolio (warnings)
    (root / "reviews/empty.yml").unlink()
    (root / "reviews/long.yml").unlink()
    (root / "reviews/bad.yml").write_text(
        "reviewer: Mr. Li\ndate: 2026-04-01\nreviews:\n"
        "  - {code: MS-ETS1-4, status: partial}\n"  # 4
        "  - {code: ms-ets1-4, status: begun}\n"  # 5: the same standard again
        "  - {code: HS-ESTS1-2, status: begun}\n"  # 6: no such standard
        f"  - {{code: {ARM}, status: begun, evidence: projects/nope/}}\n"  # 7
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    assert (
        "reviews/bad.yml:5: error: reviews[1]: ms-ets1-4 is reviewed twice (first at line 4)"
        in run.lines
    )
    text = (root / "reviews/bad.yml").read_text()
    (root / "reviews/bad.yml").write_text(
        text.replace("  - {code: ms-ets1-4, status: begun}\n", "")
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    warnings = [line for line in run.lines if line.startswith("reviews/")]
    assert warnings[0].startswith(
        "reviews/bad.yml:5: warning: reviews: 'HS-ESTS1-2' is not a valid code"
    )
    assert warnings[1] == (
        "reviews/bad.yml:6: warning: reviews: evidence projects/nope/ is not evidence for "
        f"{ARM} (did you mean 'projects/oven/'?); the review is shown for the standard as a whole"
    )


def test_a_hub_shows_each_members_reviews(cli, tmp_path):
    learner = "title: {0}'s Portfolio\nlearner: {{name: {0}}}\nbase_url: https://{1}.example.org/\n"
    write_tree(tmp_path / "ana", {
        "portfolio.yml": learner.format("Ana B.", "ana"),
        "content/projects/arm.md": project("Arm", "2026-03-01", standards="[MS-ETS1-4]"),
        "reviews/rivera.yml": (
            "reviewer: Ms. Rivera\ndate: 2026-04-01\nreviews:\n"
            f"  - {{code: MS-ETS1-4, status: completed, comment: '{HOSTILE}'}}\n"
        ),
    })  # fmt: skip
    write_tree(tmp_path / "ben", {
        "portfolio.yml": learner.format("Ben C.", "ben"),
        "content/projects/bot.md": project("Bot", "2026-02-01", standards="[MS-ETS1-4]"),
    })  # fmt: skip
    write_tree(tmp_path / "club", {"HUB.yml": "title: Club\nmembers: [../ana, ../ben]\n"})
    run = cli("hub", str(tmp_path / "club/HUB.yml"), "--quiet")
    assert run.code == 0, run.err
    site = tmp_path / "club/site"
    table = html(site / "standards/index.html").find("table")
    cells = table.tbody.find("tr").find_all("td")
    assert text(cells[0].select_one(".review-status")) == "● Completed"
    assert "Teacher review: by Ms. Rivera" in text(cells[0])
    assert cells[1].select_one(".review-status") is None
    assert "alert" not in (site / "standards/index.html").read_text()  # comments stay home
    data = json.loads((site / "hub.json").read_text())
    members = data["standards"][0]["members"]
    assert members[0]["reviews"] == [
        {"reviewer": "Ms. Rivera", "status": "completed", "date": "2026-04-01"}
    ]
    assert members[1]["reviews"] == []


def test_the_demo_review_is_the_import_of_its_csv(cli, tmp_path):
    """reviews/ms-rivera.yml in the demo is exactly what review import makes of the CSV."""
    import shutil

    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "demo"
    root.mkdir()
    for name in ("portfolio.yml", "avatar.png"):
        shutil.copy(repo / name, root / name)
    for folder in ("content", "badges", "standards"):
        shutil.copytree(repo / folder, root / folder)
    run = review_import(cli, repo / "reviews/ms-rivera.csv", root)
    assert run.code == 0, run.err
    assert (root / "reviews/ms-rivera.yml").read_bytes() == (
        repo / "reviews/ms-rivera.yml"
    ).read_bytes()


def test_review_files_that_are_links_out_of_the_portfolio_are_not_read_or_written(
    cli, make_portfolio, tmp_path
):
    import os

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.yml").write_text("reviewer: Evil\ndate: 2026-01-01\nreviews: []\n")
    root = make_portfolio(FILES)
    (root / "reviews").mkdir()
    os.symlink(outside / "x.yml", root / "reviews/evil.yml")
    run = cli("check", str(root))
    assert "reviews/evil.yml: warning: is a link to a file outside the portfolio" in run.err
    rows = fill(export_rows(cli, root, tmp_path), {(ARM, "Arm"): ("completed", "")})
    os.symlink(outside / "x.yml", root / "reviews/ms-rivera.yml")
    run = review_import(cli, save(tmp_path / "f.csv", rows), root, "--replace")
    assert run.code == 1 and "is a link to a file outside the portfolio" in run.err
    assert (outside / "x.yml").read_text().startswith("reviewer: Evil")  # not written through


def test_a_long_unbroken_comment_and_a_binary_file(cli, make_portfolio, tmp_path):
    root = make_portfolio(FILES)
    word = "ب" * (MAX_COMMENT - 1)  # one right-to-left "word", as long as allowed
    rows = fill(export_rows(cli, root, tmp_path), {(ARM, "Arm"): ("completed", f"'={word}")})
    assert review_import(cli, save(tmp_path / "f.csv", rows), root).code == 0
    assert cli("build", str(root), "--quiet").code == 0
    page = html(root / "site/standards/ccss-math-content-7-rp-a-2/index.html")
    assert page.select_one(".review-comment").get_text() == f"={word}"  # the export's guard undone
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"code,review_status,review_comment\nMS-ETS1-4,begun,a\x00\x0b\x1bb\n")
    run = review_import(cli, binary, root, "--replace")
    assert run.code == 0, run.err
    assert "comment: ab\n" in (root / "reviews/ms-rivera.yml").read_text()  # no control characters


YAML_PIECES = st.sampled_from(
    ["reviewer: ", "date: ", "reviews:\n", "  - ", "code: ", "status: ", "comment: ", "evidence: ",
     "MS-ETS1-4", "completed", "2026-01-01", "[", "]", "{", "}", "\n", "'", '"', "&a ", "*a", "<<: ",
     "\x00", "\u2028", "ب", ": ", "- "]
)  # fmt: skip
CSV_PIECES = st.sampled_from(
    ["code", "review_status", "review_comment", ",", ";", '"', "\r\n", "\n", "\r", "MS-ETS1-4",
     "begun", "\ufeff", "'=", "\x00", "ب", " "]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(YAML_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_any_reviews_file_gives_diagnostics_never_an_exception(text):
    diagnostics = Diagnostics()
    for review in parse_reviews(text, "reviews/x.yml", diagnostics):
        assert review.status in STATUSES and review.reviewer and review.code
    assert all(d.path == "reviews/x.yml" for d in diagnostics)


@settings(max_examples=150, deadline=None)
@given(st.lists(CSV_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_any_csv_gives_diagnostics_never_an_exception(text):
    diagnostics = Diagnostics()
    read = read_rows(text, diagnostics, "f.csv")
    if read is None:
        assert diagnostics.errors
    else:
        header, rows = read
        assert all(isinstance(line, int) and line >= 2 for line, _ in rows)


def test_a_standard_with_no_evidence_and_no_goal_is_warned_about_in_one_sentence(
    cli, make_portfolio, tmp_path
):
    """review import and the build say it the same way (standards.reviews.not_shown)."""
    root = make_portfolio(FILES)
    rows = export_rows(cli, root, tmp_path)
    row = [""] * len(rows[0])
    row[0], row[13] = "MS-LS1-6", "begun"  # a real standard this portfolio does not have
    run = review_import(cli, save(tmp_path / "other.csv", [rows[0], row]), root)
    assert run.code == 0, run.err
    sentence = (
        "MS-LS1-6 has no evidence and is not a goal in this portfolio; the review is kept, "
        "but not shown until the standard has evidence or is a goal"
    )
    assert f"{tmp_path / 'other.csv'}:2: warning: {sentence}" in run.lines
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    assert f"reviews/ms-rivera.yml:6: warning: reviews: {sentence}" in run.lines
