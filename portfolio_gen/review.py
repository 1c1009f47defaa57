"""``portfolio-gen review import FILE.csv --reviewer NAME``: a teacher's filled-in CSV
becomes ``reviews/<reviewer-slug>.yml`` (see standards/reviews.py for the file).

The CSV is the one ``export --csv`` writes, with ``review_status`` and
``review_comment`` filled in by the teacher in any spreadsheet: UTF-8 with or
without a byte order mark (or UTF-16 with one), commas or semicolons (Excel
in many European locales writes ``;``), CRLF or LF, quoted line breaks. Rows
with neither a status nor a comment are skipped. Every bad row is reported
at once as ``FILE.csv:LINE: error: ...``, and then nothing is written.

One file per reviewer, replaced whole: a second import for the same reviewer
is refused unless ``--replace`` is given (the CSV is the teacher's complete
answer; merging two answers would hide which one is meant).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as _dt
import io
import json
import os
import sys
import tempfile
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .diagnostics import Diagnostics
from .lazy_dataclass import dataclass
from .paths import read_at_most, refusal
from .standards.reviews import (
    FOLDER,
    MAX_COMMENT,
    MAX_REVIEWER,
    STATUSES,
    evidence_key,
    not_shown,
    parse_reviews,
    plain,
    status_of,
    status_problem,
)
from .validate import slugify

if TYPE_CHECKING:
    from .site.graph import Portfolio, StandardNode
    from .standards.frameworks import Catalog

REQUIRED = ("code", "review status", "review comment")  # header names, compared loosely
MAX_CSV_BYTES = 20_000_000
MAX_CELL = 100_000  # characters: csv's own limit is 131072, and its error names no line
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # what export.neutralise guards


@dataclass
class Entry:
    code: str
    status: str
    comment: str | None
    evidence: str | None
    line: int


@dataclass
class Imported:
    entries: list[Entry] = field(default_factory=list)
    skipped: int = 0  # rows without a review


def header_name(cell: str) -> str:
    """``Review_Status``, ``review status `` and ``review-status`` name one column."""
    return " ".join(
        cell.replace("\ufeff", "").replace("_", " ").replace("-", " ").split()
    ).casefold()


def decode(data: bytes, diagnostics: Diagnostics, name: str) -> str | None:
    """The CSV's text: UTF-8 (a byte order mark is dropped) or UTF-16 with its mark."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        diagnostics.error(
            name,
            f"not UTF-8 text (byte {exc.start}); save it again as 'CSV UTF-8' (Excel) or with "
            "the character set 'Unicode (UTF-8)' (LibreOffice)",
        )
        return None


def _delimiters(text: str) -> tuple[str, str]:
    """The header line's delimiter first (csv.Sniffer, limited to ',' and ';'), then the other."""
    first = text.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(first, delimiters=",;").delimiter
    except csv.Error:
        found = ";" if first.count(";") > first.count(",") else ","
    return (found, ";" if found == "," else ",")


def read_rows(
    text: str, diagnostics: Diagnostics, name: str
) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The header (names as header_name gives them) and the rows with their first line."""
    headers: list[list[str]] = []
    for delimiter in _delimiters(text):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [header_name(c) for c in next(reader, [])]
        except csv.Error:
            header = []
        headers.append(header)
        if all(column in header for column in REQUIRED):
            break
    else:
        header = headers[0]  # the sniffed delimiter's: say what that one lacks
        missing = [c.replace(" ", "_") for c in REQUIRED if c not in header]
        diagnostics.error(
            name,
            f"no {', '.join(repr(m) for m in missing)} column in the first row; use the CSV "
            "that 'portfolio-gen export --csv' writes (its first row names the columns) and "
            "fill in review_status and review_comment",
            1,
        )
        return None
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            diagnostics.error(name, f"cannot read this row: {exc}", start)
            return None
        if any(len(cell) > MAX_CELL for cell in row):
            diagnostics.error(name, f"a cell longer than {MAX_CELL} characters", start)
            continue
        if any(cell.strip() for cell in row):
            rows.append((start, row))
    return header, rows


def unneutralise(cell: str) -> str:
    """A cell as written before export.neutralise guarded it ("'-5 degrees" -> "-5 degrees")."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in "=+-@\t\r\n" else cell


def import_rows(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    portfolio: Portfolio,
    catalog: Catalog,
    diagnostics: Diagnostics,
    name: str,
) -> Imported:
    """Check every row against the portfolio's standards; the entries to write."""
    done = Imported()
    first: dict[tuple[str, str], int] = {}
    base = portfolio.config.base_url or ""
    nodes = {node.code: node for node in portfolio.standards}
    for line, row in rows:
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        status_text = cells.get("review status", "")
        comment = plain(unneutralise(cells.get("review comment", "")))
        if not status_text and not comment:
            done.skipped += 1
            continue
        code = cells.get("code", "")
        problems = []
        status = status_of(status_text)
        if not status_text:
            problems.append(
                f"a comment without a status: write {', '.join(STATUSES)} in review_status"
            )
        elif status is None:
            problems.append(status_problem(status_text))
        if len(comment) > MAX_COMMENT:
            problems.append(f"review_comment is {len(comment)} characters; at most {MAX_COMMENT}")
        node = None
        if not code:
            problems.append("no code in this row: the review must name a standard")
        else:
            standard = catalog.resolve(code)
            if standard is None:
                problems.append(f"unknown code: {catalog.unknown_message(code)}")
            else:
                node = nodes.get(standard.key)
                if node is None:
                    diagnostics.warning(name, not_shown(code), line)
        for problem in problems:
            diagnostics.error(name, problem, line)
        if problems or status is None:
            continue
        evidence = _evidence(cells.get("url", ""), node, base)
        if evidence is None and cells.get("url") and node is not None:
            diagnostics.warning(
                name,
                f"{unneutralise(cells['url'])} is not evidence for {node.code} in this portfolio; "
                "the review is kept for the standard as a whole",
                line,
            )
        key = (node.code if node is not None else code, evidence or "")
        if key in first:
            diagnostics.error(name, f"{code} is reviewed twice (first at line {first[key]})", line)
            continue
        first[key] = line
        done.entries.append(Entry(key[0], status, comment or None, evidence, line))
    return done


def _evidence(url: str, node: StandardNode | None, base: str) -> str | None:
    """The page of the node's evidence that the row's ``url`` names, if any."""
    if not url or node is None:
        return None
    wanted = evidence_key(unquote(unneutralise(url).removeprefix(base)))
    for e in node.evidence:
        own = evidence_key(e.url)
        if wanted == own or wanted.endswith("/" + own):
            return str(e.url)
    return None


# --------------------------------------------------------------------------- YAML


def yaml_text(reviewer: str, date: _dt.date, entries: list[Entry], source: str) -> str:
    """The reviews file, as a person would write it (block scalars for long comments)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    items = []
    for e in entries:
        item: dict[str, Any] = {"code": e.code, "status": e.status}
        if e.comment:
            item["comment"] = e.comment
        if e.evidence:
            item["evidence"] = e.evidence
        items.append(item)
    body = yaml.dump(
        {"reviewer": reviewer, "date": date, "reviews": items},
        Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False,
    )  # fmt: skip
    note = json.dumps(source)  # ASCII only: no line break can end the comment early
    return (
        f"# A teacher's review, made by 'portfolio-gen review import' from {note}.\n"
        '# It may be edited by hand: docs/standards.md, "Teacher reviews".\n' + body
    )


def write_atomically(target: Path, text: str) -> None:
    """The file whole or not at all (a temporary file beside it, then renamed)."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- command


class _Intermixed(argparse.ArgumentParser):
    """Options and positionals in any order: ``FILE.csv --reviewer NAME PATH`` too (plain
    argparse gives PATH its default as soon as it reads FILE.csv, then refuses PATH)."""

    _inside = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self._inside:
            return super().parse_known_args(args, namespace)
        self._inside = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inside = False


def register(subparsers: Any) -> None:
    """Add ``review import`` to an ``ArgumentParser.add_subparsers()`` object."""
    parser = subparsers.add_parser("review", help="a teacher's answer to the learner's evidence")
    sub = parser.add_subparsers(title="what", metavar="WHAT", parser_class=_Intermixed)
    p = sub.add_parser(
        "import",
        help="turn a filled-in 'export --csv' into reviews/<reviewer>.yml",
        description=(
            "Read the CSV that 'portfolio-gen export --csv' wrote, with review_status "
            f"({', '.join(STATUSES)}) and review_comment filled in by a teacher, and write "
            "reviews/<reviewer>.yml in the portfolio. Rows without a review are skipped. "
            "Nothing is written if a row has an error."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE.csv", help="the filled-in CSV")
    p.add_argument("path", type=Path, nargs="?", default=Path("."), metavar="PATH",
                   help="the portfolio folder (default: the current folder)")  # fmt: skip
    p.add_argument("--reviewer", required=True, metavar="NAME", help="the teacher's name, as shown")
    p.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="the review's date (default: today)"
    )
    p.add_argument("--replace", action="store_true", help="replace this reviewer's earlier review")
    p.set_defaults(func=run_import)


def _date(value: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date like 2026-04-02, got {value!r}"
        ) from None


def run_import(args: argparse.Namespace) -> int:
    from .build import Options, load
    from .standards.frameworks import load_frameworks

    reviewer = " ".join(args.reviewer.split())
    if not reviewer or len(reviewer) > MAX_REVIEWER or not reviewer.isprintable():
        print(f"error: --reviewer: give the teacher's name (at most {MAX_REVIEWER} characters)",
              file=sys.stderr)  # fmt: skip
        return 2
    root: Path = args.path
    if not (root / "portfolio.yml").is_file():
        print(f"{root / 'portfolio.yml'}: error: not a portfolio; give its folder as PATH",
              file=sys.stderr)  # fmt: skip
        return 2
    name = str(args.file)
    diagnostics = Diagnostics()
    try:
        data = read_at_most(args.file, MAX_CSV_BYTES)
    except OSError as exc:
        print(f"{name}: error: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if data is None:
        diagnostics.error(name, f"larger than {MAX_CSV_BYTES // 1_000_000} MB; not a review")
    text = decode(data, diagnostics, name) if data is not None else None
    read = read_rows(text, diagnostics, name) if text is not None else None
    done = Imported()
    target = root / FOLDER / f"{slugify(reviewer)}.yml"
    if read is not None:
        result, loaded = load(root.resolve(), Options())
        if loaded is None:
            for diagnostic in result.diagnostics.sorted():
                print(diagnostic, file=sys.stderr)
            print("review import failed: the portfolio cannot be read; nothing was written",
                  file=sys.stderr)  # fmt: skip
            return 1
        portfolio = loaded.portfolio
        schemes = portfolio.config.standards or None
        catalog, _ = load_frameworks(portfolio.config.root, schemes=schemes)
        done = import_rows(*read, portfolio, catalog, diagnostics, name)
        if not done.entries and not diagnostics.errors:
            diagnostics.error(name, "no row has a review_status: fill some in, then import again")
    problem = refusal(root.resolve(), target.parent) or refusal(root.resolve(), target)
    if problem is not None:
        diagnostics.error(target, problem)
    elif target.exists() and not args.replace:
        diagnostics.error(
            target, "already exists; give --replace to replace it, or edit it by hand"
        )
    for diagnostic in diagnostics.sorted():
        print(str(diagnostic).encode("utf-8", "backslashreplace").decode(), file=sys.stderr)
    if diagnostics.errors:
        count = len(diagnostics.errors)
        print(f"review import failed: {count} error(s); nothing was written", file=sys.stderr)
        return 1
    date = args.date or _dt.date.today()
    out = yaml_text(reviewer, date, done.entries, args.file.name)
    check = Diagnostics()
    back = parse_reviews(out, target.name, check)
    wanted = [(e.code, e.status, e.comment, e.evidence) for e in done.entries]
    if check.errors or [(r.code, r.status, r.comment, r.evidence) for r in back] != wanted:
        raise RuntimeError(f"the reviews file would not read back as written: {list(check)}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, out)
    except OSError as exc:
        print(f"{target}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    n = len(done.entries)
    print(
        f"imported {n} review{'s' if n != 1 else ''} by {reviewer} ({done.skipped} row"
        f"{'s' if done.skipped != 1 else ''} without a review) -> {target}; build to see them"
    )
    return 0
