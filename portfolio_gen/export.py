"""``portfolio-gen export``: what a teacher takes away from a portfolio.

- ``--csv FILE``: one row per standard-evidence pair (code, framework,
  statement, evidence type, title, URL, date, setting, program, rationale,
  level, badge issuer, verification status). UTF-8 with a byte order mark,
  CRLF line ends (RFC 4180), every cell that a spreadsheet would read as a
  formula neutralised.
- ``--json FILE``: the standards view of ``portfolio.json`` (same schema,
  same lists), so a script reads either.
- ``--zip FILE``: the whole site, built into a temporary folder, with every
  link to a folder naming its ``index.html`` so that it works opened from
  disk (file://), plus the CSV. Entries are sorted and timestamps fixed, so
  the same portfolio gives the same bytes.

``FILE`` may be ``-`` for standard output (CSV and JSON only). The site
folder (``PATH/site``) is never touched. Problems are reported as the build
reports them (``path:line: error: ...``, exit code 1); usage errors exit 2.

``register(subparsers)`` adds the command to the CLI, like
``portfolio_gen/standards/commands.py``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from .build import Options, Result, build, load
from .site import summary
from .site.graph import Portfolio
from .site.matrix import scoped
from .site.write import MARKER
from .urls import encode_path
from .validate import slugify

CSV_COLUMNS: tuple[str, ...] = (
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
    "review_status",  # left empty for a teacher to fill in: portfolio-gen review import
    "review_comment",
)
CSV_NAME = "evidence.csv"  # the CSV's name inside the zip, beside index.html
BOM = "\ufeff"
# What a spreadsheet may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: fixed, so builds repeat
JSON_KEYS = ("schema", "generator", "title", "learner", "standards")


# --------------------------------------------------------------------------- CSV


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` before = + - @ tab CR LF.

    This is OWASP's advice against CSV (formula) injection: the apostrophe
    makes Excel, LibreOffice and Google Sheets treat the cell as text. A
    rationale such as "-5 degrees" shows as "'-5 degrees" in a plain text
    editor; that is the price of safety.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def evidence_rows(portfolio: Portfolio) -> list[list[str]]:
    """One row per standard-evidence pair, standards by code, evidence newest first."""
    base = portfolio.config.base_url
    rows = []
    for node in portfolio.standards:
        standard = node.standard
        for e in node.evidence:
            badge = e.kind == "badge"
            rows.append(
                [
                    node.code,
                    standard.framework or "",
                    standard.statement or "",
                    e.kind,
                    e.title,
                    base + encode_path(e.url) if base else e.url,  # a URL, or the site's file
                    e.date.isoformat() if e.date else "",
                    e.setting or "",
                    e.program or "",
                    e.rationale or "",
                    e.level or "",
                    (e.issuer or "") if badge else "",
                    (e.status or "") if badge else "",
                    "",  # review_status
                    "",  # review_comment
                ]
            )
    return rows


def csv_text(portfolio: Portfolio, *, bom: bool = True, blanks: bool = False) -> str:
    """The CSV export as text: a header row, then :func:`evidence_rows`, quoted as needed;
    with ``blanks`` (``--scope``), then a row for each standard with no evidence yet."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in evidence_rows(portfolio):
        writer.writerow([neutralise(cell) for cell in row])
    for node in portfolio.standards if blanks else ():
        if not node.evidence:
            cells = [node.code, node.standard.framework or "", node.standard.statement or ""]
            writer.writerow([neutralise(c) for c in cells] + [""] * (len(CSV_COLUMNS) - 3))
    return (BOM if bom else "") + buffer.getvalue()


# --------------------------------------------------------------------------- JSON


def standards_json(portfolio: Portfolio) -> dict[str, Any]:
    """portfolio.json's standards view: the same schema and the same ``standards`` list."""
    data = summary.portfolio_json(portfolio)
    return {key: data[key] for key in JSON_KEYS}


# --------------------------------------------------------------------------- zip

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|action|formaction))(?P<eq>\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.IGNORECASE,
)


def folder_link(url: str) -> str:
    """``../b/`` -> ``../b/index.html`` (query and fragment kept); other URLs unchanged.

    Only relative links are changed: absolute URLs, ``/root`` and ``//host``
    links and in-page ``#anchors`` stay as they are.
    """
    if not url or _SCHEME.match(url) or url.startswith(("/", "#", "?")):
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, tail = url[:cut], url[cut:]
    if path.endswith("/"):
        return f"{path}index.html{tail}"
    if path in (".", "..") or path.endswith(("/.", "/..")):
        return f"{path}/index.html{tail}"
    return url


class _StartTags(HTMLParser):
    """Finds every start tag (not text, comments or script contents) with its position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text()
        if raw is not None:
            line, column = self.getpos()
            self.tags.append((line, column, raw))

    handle_startendtag = handle_starttag


def file_links(html: str) -> str:
    """The page with every relative link to a folder naming its ``index.html``.

    Browsers open ``folder/`` from a web server but not from disk, so pages
    exported for file:// must link ``folder/index.html``. Templates and
    Markdown bodies (``[b](../b/)``) are handled alike: the attributes of each
    start tag are rewritten in place and nothing else in the page changes.
    """
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    starts = [0]
    for match in re.finditer("\n", html):
        starts.append(match.end())
    out: list[str] = []
    done = 0
    for line, column, raw in parser.tags:
        offset = starts[line - 1] + column
        if offset < done or html[offset : offset + len(raw)] != raw:
            continue  # never rewrite what cannot be found exactly
        changed = _LINK_ATTRIBUTE.sub(_rewrite_attribute, raw)
        if changed != raw:
            out.append(html[done:offset])
            out.append(changed)
            done = offset + len(raw)
    out.append(html[done:])
    return "".join(out)


def _rewrite_attribute(match: re.Match[str]) -> str:
    for group, quote in (("dq", '"'), ("sq", "'"), ("bare", "")):
        value = match.group(group)
        if value is not None:
            return f"{match.group('name')}{match.group('eq')}{quote}{folder_link(value)}{quote}"
    return match.group(0)  # pragma: no cover - one group always matches


def zip_folder_name(portfolio: Portfolio) -> str:
    """The one top-level folder in the zip, named after the portfolio."""
    return slugify(portfolio.config.title)


def site_entries(site: Path) -> Iterator[tuple[str, Path]]:
    """Files of a built site to put in the zip (the build's marker file is left out)."""
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and rel != MARKER:
            yield rel, path


def write_zip(handle: IO[bytes], site: Path, folder: str, extra: dict[str, bytes]) -> int:
    """Write the site (links made file://-ready) and ``extra`` files into one zip.

    Entries are sorted by name, with fixed times and permissions, so equal
    inputs give equal bytes. Returns the number of files.
    """
    entries: dict[str, Path | bytes] = {f"{folder}/{rel}": path for rel, path in site_entries(site)}
    for name, data in extra.items():
        entries[f"{folder}/{name}"] = data
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever the zip is made
            info.external_attr = 0o100644 << 16
            source = entries[name]
            if isinstance(source, bytes):
                archive.writestr(info, source)
            elif source.suffix.lower() == ".html":
                archive.writestr(info, file_links(source.read_text(encoding="utf-8")).encode())
            else:
                with source.open("rb") as src, archive.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    return len(entries)


# --------------------------------------------------------------------------- command


def register(subparsers: Any) -> None:
    """Add ``export`` to an ``ArgumentParser.add_subparsers()`` object."""
    parser = subparsers.add_parser(
        "export",
        help="teacher-facing exports: a zip of the site that works from disk, CSV, JSON",
        description=(
            "Export the portfolio for teachers: --zip the whole site (it works opened from "
            "disk, and holds the CSV), --csv one row per standard-evidence pair, --json the "
            "standards view of portfolio.json. Give one or more. The site folder is never "
            "touched; nothing is written if the portfolio has errors."
        ),
    )
    parser.add_argument(
        "path", type=Path, nargs="?", default=Path("."), metavar="PATH",
        help="the portfolio folder (default: the current folder)",
    )  # fmt: skip
    parser.add_argument(
        "--zip", metavar="FILE", help="write the site as a zip that works from disk"
    )
    parser.add_argument(
        "--csv", metavar="FILE", help="write the standards x evidence CSV ('-': standard output)"
    )
    parser.add_argument(
        "--json", metavar="FILE", help="write the standards view as JSON ('-': standard output)"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the address the site is published at (makes CSV URLs absolute)",
    )
    parser.add_argument(
        "--scope",
        metavar="CODE",
        help="only this standard or group (7.RP.A, K.CC, HSA-SSE...), every standard in it "
        "listed, with evidence or not",
    )
    parser.set_defaults(func=run_export)


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _check_targets(args: argparse.Namespace) -> int | None:
    """A usage error's exit code, or None when the output files make sense."""
    wanted = [(flag, getattr(args, flag)) for flag in ("zip", "csv", "json")]
    wanted = [(flag, value) for flag, value in wanted if value is not None]
    if not wanted:
        return _usage("nothing to export: give --zip FILE, --csv FILE and/or --json FILE")
    if args.zip == "-":
        return _usage("--zip needs a file name (a zip cannot go to standard output)")
    files = [value for _, value in wanted if value != "-"]
    if [value for _, value in wanted].count("-") > 1:
        return _usage("only one export can go to standard output ('-')")
    resolved = [Path(value).resolve() for value in files]
    if len(set(resolved)) != len(resolved):
        return _usage("give each export its own file")
    for flag, value in wanted:
        if value != "-" and Path(value).is_dir():
            return _usage(f"--{flag} {value}: is a folder; give a file name")
    return None


def _report(result: Result) -> None:
    for diagnostic in result.diagnostics.sorted():
        print(diagnostic, file=sys.stderr)


def run_export(args: argparse.Namespace) -> int:
    problem = _check_targets(args)
    if problem is not None:
        return problem
    root: Path = args.path
    if not root.is_dir():
        print(f"{root}: error: no such folder", file=sys.stderr)
        return 2
    to_stdout = "-" in (args.csv, args.json)
    say = sys.stderr if to_stdout else sys.stdout
    with tempfile.TemporaryDirectory(prefix="portfolio-gen-export-") as temp:
        if args.zip:
            options = Options(out=Path(temp) / "site", base_url=args.base_url, quick=False)
            result = build(root, options)
        else:
            result, loaded = load(root.resolve(), Options(base_url=args.base_url))
            result.portfolio = loaded.portfolio if loaded is not None else None
        _report(result)
        portfolio = result.portfolio
        if result.failed or portfolio is None:
            errors = len(result.diagnostics.errors)
            print(f"export failed: {errors} error(s); nothing was written", file=sys.stderr)
            return 1
        if args.scope is not None:  # standards/coverage: site/matrix.py
            portfolio, unknown = scoped(portfolio, args.scope)
            if portfolio is None:
                return _usage(f"--scope {args.scope}: {unknown}")
        scope = args.scope is not None
        rows = len(evidence_rows(portfolio))
        rows += sum(1 for node in portfolio.standards if not node.evidence) if scope else 0
        written: list[str] = []
        if args.csv is not None:
            if args.csv == "-":
                sys.stdout.write(csv_text(portfolio, bom=False, blanks=scope))
            elif not _write(
                args.csv, lambda h: h.write(csv_text(portfolio, blanks=scope).encode("utf-8"))
            ):
                return 1
            else:
                written.append(f"{args.csv} (CSV, {rows} row{'s' if rows != 1 else ''})")
        if args.json is not None:
            text = summary.dumps(standards_json(portfolio))
            if args.json == "-":
                sys.stdout.write(text)
            elif not _write(args.json, lambda h: h.write(text.encode("utf-8"))):
                return 1
            else:
                count = len(portfolio.standards)
                written.append(f"{args.json} (JSON, {count} standard{'s' if count != 1 else ''})")
        if args.zip:
            folder = zip_folder_name(portfolio)
            extra = {CSV_NAME: csv_text(portfolio, blanks=scope).encode("utf-8")}
            site = Path(temp) / "site"
            counted: list[int] = []
            if not _write(args.zip, lambda h: counted.append(write_zip(h, site, folder, extra))):
                return 1
            written.append(
                f"{args.zip} (zip, {counted[0]} files; unpack it and open {folder}/index.html)"
            )
    for line in written:
        print(f"exported {line}", file=say)
    return 0


def _write(name: str, fill: Callable[[IO[bytes]], object]) -> bool:
    """Write a file atomically (a temporary file beside it, then renamed); False on failure."""
    target = Path(name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        print(f"{name}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        print(f"{name}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return False
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
