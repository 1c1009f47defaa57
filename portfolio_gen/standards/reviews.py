"""Teacher reviews: ``reviews/<reviewer>.yml``, read, checked and attached to standards.

A review is a teacher's answer to the learner's evidence, standard by
standard, on the SmartEvidence scale (begun, partial, completed); it is kept
apart from the learner's own self-assessed levels everywhere it is shown
(docs/standards.md, "Teacher reviews")::

    reviewer: Ms. Rivera
    date: 2026-04-02
    reviews:
      - code: CCSS.Math.Content.7.RP.A.2
        status: completed
        comment: Clear use of ratios to size the syringes.
        evidence: projects/robot-arm/      # optional: the piece of evidence meant

``portfolio-gen review import`` (review.py) writes these
files from a filled-in ``export --csv``; they may also be written by hand.
Every problem is a diagnostic at its line. Comments are plain text: templates
escape them like every other value.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from .. import validate as v
from .. import yamlio
from ..diagnostics import Diagnostics, did_you_mean
from ..lazy_dataclass import dataclass
from ..paths import files
from ..schema import Key, Reporter, Schema

if TYPE_CHECKING:
    from .frameworks import Catalog

FOLDER = "reviews"
Status = Literal["begun", "partial", "completed"]  # lowest first
STATUSES: tuple[Status, ...] = get_args(Status)
# Accepted spellings (any case): English, Spanish and Arabic, as a teacher types them.
SPELLINGS: dict[str, Status] = {
    "begun": "begun", "started": "begun", "iniciado": "begun", "comenzado": "begun",
    "empezado": "begun", "بدأ": "begun", "بدأت": "begun", "مبتدئ": "begun",
    "partial": "partial", "partially": "partial", "parcial": "partial",
    "جزئي": "partial", "جزئيا": "partial", "جزئياً": "partial",
    "completed": "completed", "complete": "completed", "completado": "completed",
    "completo": "completed", "logrado": "completed", "مكتمل": "completed", "أكمل": "completed",
}  # fmt: skip
MAX_COMMENT = 4000  # characters; a comment is a note, not an essay
MAX_ENTRIES = 5000  # per file
MAX_REVIEWER = 200  # characters of a name


@dataclass(frozen=True)
class Review:
    """One reviewer's status (and comment) for one standard, maybe one piece of its evidence."""

    reviewer: str
    date: _dt.date
    code: str  # as written; once attached, the standard's own key
    status: Status
    comment: str | None
    evidence: str | None  # the evidence's page as written (``projects/robot-arm/``)
    source: str  # reviews/<file>, relative to the portfolio root
    line: int | None
    target: Any = None  # the graph's EvidenceItem it is about, once attached

    @property
    def rank(self) -> int:
        return STATUSES.index(self.status)


_CONTROLS = dict.fromkeys(c for c in range(0x20) if c not in (9, 10)) | dict.fromkeys(
    range(0x7F, 0xA0)
)


def plain(text: str) -> str:
    """Comment text without control characters (NUL, vertical tab...): tabs and line breaks
    stay; CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS).strip()


def status_of(value: object) -> Status | None:
    """The status a cell or value names (``Completed``, ``parcial``, ``مكتمل``), or None."""
    if not isinstance(value, str):
        return None
    return SPELLINGS.get(" ".join(value.split()).casefold())


def status_problem(value: object) -> str:
    """Why ``value`` is not a status, with a did-you-mean."""
    import difflib  # imported here: only a misspelt status needs it

    shown = value.strip() if isinstance(value, str) else v.describe(value)
    match = difflib.get_close_matches(shown.casefold(), list(SPELLINGS), n=1, cutoff=0.6)
    hint = f" (did you mean '{SPELLINGS[match[0]]}'?)" if match else ""
    return f"unknown status '{shown}': use one of {', '.join(STATUSES)}{hint}"


def not_shown(code: str) -> str:
    """The warning for a review of a standard with no evidence and no goal in the portfolio.

    One sentence for both places that find it: ``review import`` (review.py) and
    the build (:func:`attach`).
    """
    return (
        f"{code} has no evidence and is not a goal in this portfolio; the review is kept, "
        "but not shown until the standard has evidence or is a goal"
    )


def read_reviews(root: Path, diagnostics: Diagnostics) -> list[Review]:
    """Every ``reviews/*.yml`` (and ``*.yaml``) file of the portfolio; other files are ignored."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found: list[Review] = []
    for rel, path in files(root, folder, diagnostics.warning):
        if "/" in rel or not rel.lower().endswith((".yml", ".yaml")):
            continue
        source = f"{FOLDER}/{rel}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            diagnostics.error(source, f"not UTF-8 text (byte {exc.start}); save it as UTF-8")
            continue
        except OSError as exc:
            diagnostics.error(source, f"cannot read: {exc.strerror or exc}")
            continue
        found += parse_reviews(text, source, diagnostics)
    return found


def _reviewer(value: Any) -> str:
    try:
        name = " ".join(v.text(value).split())
        if len(name) > MAX_REVIEWER:
            raise v.Invalid(f"{len(name)} characters; at most {MAX_REVIEWER}")
    except v.Invalid as exc:
        raise v.Invalid(f"{exc} (the teacher's name, as it is shown)") from None
    return name


def _status(value: Any) -> Status:
    status = status_of(value)
    if status is None:
        raise v.Invalid(status_problem(value))
    return status


def _comment(value: Any) -> str | None:
    comment = plain(v.text(value)) or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise v.Invalid(f"{len(comment)} characters; at most {MAX_COMMENT}")
    return comment


REVIEWS_FILE = Schema(
    "reviews/<reviewer>.yml",
    (
        Key("reviewer", _reviewer,
            f"the reviewer's name, as shown (at most {MAX_REVIEWER} characters)",
            required=True, example="Ms. Rivera"),
        Key("date", v.date, "the date of the review, `YYYY-MM-DD`", required=True,
            example="2026-04-02"),
        Key("reviews", None, f"a list of entries (at most {MAX_ENTRIES}), with the keys below",
            required=True, example="[{code: ..., status: completed}]"),
    ),
    unknown=None,
)  # fmt: skip
REVIEW_ENTRY = Schema(
    "reviews[]",
    (
        Key("code", v.text, "the standard, in any spelling the portfolio accepts "
            "(`7.rp.a.2`, a CASE UUID...)", required=True),
        Key("status", _status, "`begun`, `partial` or `completed` (the spellings above are "
            "accepted)", required=True),
        Key("comment", _comment, f"plain text, at most {MAX_COMMENT} characters; line breaks "
            "are kept. Never HTML or Markdown: shown as written, escaped"),
        Key("evidence", v.text, "the page of the piece of evidence meant, as in the site: "
            "`projects/<slug>/` or `badges/<slug>/`"),
    ),
    unknown=None,
)  # fmt: skip
FILE_KEYS = REVIEWS_FILE.names
ENTRY_KEYS = REVIEW_ENTRY.names


def parse_reviews(text: str, source: str, diagnostics: Diagnostics) -> list[Review]:
    """The reviews of one file's text; every problem a diagnostic at its line.

    A file with an error in its header (reviewer, date) gives no reviews; an
    entry with an error is left out, the others are kept (and the build fails).
    """
    try:
        located = yamlio.load(text)
    except yamlio.YAMLProblem as exc:
        diagnostics.error(source, exc.message, exc.line)
        return []
    yamlio.report_duplicates(located, source, diagnostics)
    data = located.data
    if not isinstance(data, dict):
        what = "an empty file" if data is None else v.describe(data)
        diagnostics.error(
            source, f"expected a mapping with reviewer:, date: and reviews:, got {what}", 1
        )
        return []

    report = Reporter(source, located, diagnostics)
    got = report.fields(data, (), REVIEWS_FILE, empty_is_missing=True, required_line=1)
    reviewer, date = got.get("reviewer"), got.get("date")
    entries = data.get("reviews")
    if not isinstance(entries, list):
        if entries is not None:  # (no reviews: is reported as required)
            report.bad(
                ("reviews",),
                f"expected a list of {{code, status, comment}}, got {v.describe(entries)}",
            )
        return []
    if len(entries) > MAX_ENTRIES:
        report.bad(("reviews",), f"{len(entries)} entries; at most {MAX_ENTRIES} in one file")
        return []
    out: list[Review] = []
    seen: dict[tuple[str, str], int | None] = {}
    for i, entry in enumerate(entries):
        where = ("reviews", i)
        if not isinstance(entry, dict):
            report.bad(where, f"expected a mapping with code and status, got {v.describe(entry)}")
            continue
        count = len(diagnostics)
        values = report.fields(entry, where, REVIEW_ENTRY, empty_is_missing=True)
        ok = len(diagnostics) == count  # every problem fields() finds is an error
        code, status = values.get("code"), values.get("status")
        comment, evidence = values.get("comment"), values.get("evidence")
        if code is not None:
            key = (code.casefold(), evidence_key(evidence))
            line = located.line(*where)
            if key in seen:
                report.bad(where, f"{code} is reviewed twice (first at line {seen[key]})")
                ok = False
            seen.setdefault(key, line)
        if ok and reviewer and date and code and status:
            out.append(
                Review(
                    reviewer, date, code, status, comment, evidence, source, located.line(*where)
                )
            )
    return out


def evidence_key(text: str | None) -> str:
    """How an evidence reference is compared: ``projects/robot-arm``, ``/projects/robot-arm/``
    and ``projects/robot-arm/index.html`` all name one page."""
    if not text:
        return ""
    key = text.strip().split("#")[0].split("?")[0].removesuffix("index.html").strip("/")
    return key.casefold()


def attach(
    portfolio: Any,  # the site's Portfolio (a layer above: the import would go up)
    reviews: list[Review],
    catalog: Catalog,
    diagnostics: Diagnostics,
) -> None:
    """Give each of the portfolio's standards (``StandardNode.reviews``) its reviews.

    A code that is no standard, or a standard the portfolio neither has
    evidence for nor aims at, is a warning: the review is not shown.
    """
    nodes = {node.code: node for node in portfolio.standards}  # (Portfolio.standard() scans)
    for review in reviews:
        where = portfolio.config.root / review.source
        standard = catalog.resolve(review.code)
        if standard is None:
            diagnostics.warning(
                where, f"reviews: {catalog.unknown_message(review.code)}", review.line
            )
            continue
        node = nodes.get(standard.key)
        if node is None:
            diagnostics.warning(where, f"reviews: {not_shown(review.code)}", review.line)
            continue
        target = None
        if review.evidence:
            pages = {evidence_key(e.url): e for e in node.evidence}
            target = pages.get(evidence_key(review.evidence))
            if target is None:
                hint = did_you_mean(review.evidence, [e.url for e in node.evidence])
                diagnostics.warning(
                    where,
                    f"reviews: evidence {review.evidence} is not evidence for {node.code}{hint}; "
                    "the review is shown for the standard as a whole",
                    review.line,
                )
        node.reviews.append(replace(review, code=node.code, target=target))
    for node in portfolio.standards:
        node.reviews.sort(
            key=lambda r: (-r.date.toordinal(), r.reviewer.casefold(), r.source, r.line or 0)
        )


def published(review: Review) -> dict[str, Any]:
    """A review as portfolio.json lists it (docs/portfolio-json.md)."""
    target = review.target
    return {
        "reviewer": review.reviewer,
        "date": review.date.isoformat(),
        "status": review.status,
        "comment": review.comment,
        "evidence": {"type": target.kind, "slug": target.slug} if target is not None else None,
    }


@dataclass(frozen=True)
class Verdict:
    """A review as another portfolio's portfolio.json tells it (hubs): no comment, no evidence."""

    reviewer: str
    status: Status
    date: str | None  # ISO date, as published

    @property
    def rank(self) -> int:
        return STATUSES.index(self.status)


def read_published(value: Any, limit: int = 100) -> tuple[Verdict, ...]:
    """``standards[].reviews`` of a published portfolio.json, read tolerantly: entries
    without a reviewer or with a status that is not one of STATUSES are left out."""
    out: list[Verdict] = []
    for item in value[:limit] if isinstance(value, list) else ():
        if not isinstance(item, dict):
            continue
        reviewer, status, date = item.get("reviewer"), item.get("status"), item.get("date")
        if not isinstance(reviewer, str) or not reviewer.strip() or status not in STATUSES:
            continue
        try:
            day = _dt.date.fromisoformat(date).isoformat() if isinstance(date, str) else None
        except ValueError:
            day = None
        out.append(Verdict(" ".join(reviewer.split())[:MAX_REVIEWER], status, day))
    return tuple(out)
