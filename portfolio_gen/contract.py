"""The portfolio.json reading contract: what one published portfolio says,
read tolerantly (documented in docs/portfolio-json.md).

A peer in the learner's network (:mod:`portfolio_gen.site.network`) and a
hub's member (:mod:`portfolio_gen.hub`) are known only by this: a local
portfolio.json (:func:`load_summary_file`) or a published one
(:func:`fetch_summary`: fetched only with ``--online``, one request with a
timeout, kept in ``.portfolio-cache/network/``), parsed by
:func:`parse_summary`. The writing side is ``site/summary.py``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import validate as v
from .cache import CACHE_DIR
from .lazy_dataclass import dataclass
from .paths import read_at_most
from .standards.reviews import Verdict, read_published

if TYPE_CHECKING:
    from .badges.fetch import Response

CACHE_KIND = "network"  # .portfolio-cache/network/
SCHEMA_PREFIX = "portfolio-gen/"
READS_SCHEMA = "portfolio-gen/1"
MAX_SUMMARY_BYTES = 16_000_000  # a local portfolio.json; fetched ones are capped by fetch.py
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_PATH = re.compile(r"^(?:[A-Za-z0-9._~!$&'()*+,;=:@%/-]|[^\x00-\x7f\s])*$")


def summary_url(entry: str) -> str:
    """The portfolio.json address of a web entry (a site address gets portfolio.json)."""
    path = urllib.parse.urlsplit(entry).path
    if path.endswith(".json"):
        return entry
    return entry + ("portfolio.json" if entry.endswith("/") else "/portfolio.json")


def site_of(json_url: str) -> str:
    """The site address a portfolio.json was published in."""
    return urllib.parse.urljoin(json_url, ".")


class NotASummary(ValueError):
    """A file that is not a portfolio.json this version can read; the message says why."""


@dataclass(frozen=True)
class SummaryProject:
    """A project as another portfolio's portfolio.json describes it."""

    slug: str
    title: str
    url: str  # relative to the site root: projects/<slug>/
    date: str | None = None
    summary: str = ""
    interests: tuple[str, ...] = ()
    setting: str | None = None
    standards: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()
    collaborators: tuple[tuple[str, str | None], ...] = ()  # (name, url)
    feedback: int = 0


@dataclass(frozen=True)
class SummaryBadge:
    """A badge as another portfolio's portfolio.json describes it."""

    slug: str
    name: str
    issuer: str
    issuer_url: str | None
    issued_on: str | None
    status: str
    spec: str | None = None


@dataclass(frozen=True)
class SummaryStandard:
    """A standard, with its evidence, as another portfolio's portfolio.json describes it."""

    code: str
    framework: str | None
    statement: str | None
    url: str | None  # the standard's official address
    page: str  # the learner's page for it, relative to their site root
    evidence: tuple[tuple[str, str], ...] = ()  # (type, slug)
    reviews: tuple[Verdict, ...] = ()  # teacher reviews


@dataclass(frozen=True)
class Summary:
    """What one published portfolio.json says; nothing else is ever known of a peer."""

    title: str
    name: str
    bio: str = ""
    base_url: str | None = None
    interests: tuple[str, ...] = ()
    projects: tuple[SummaryProject, ...] = ()
    badges: tuple[SummaryBadge, ...] = ()
    standards: tuple[SummaryStandard, ...] = ()
    schema: str = READS_SCHEMA
    problems: tuple[str, ...] = field(default=(), compare=False)  # what was left out, and why

    @property
    def feedback(self) -> int:
        return sum(p.feedback for p in self.projects)


def _str(value: Any, default: str = "") -> str:
    return value.strip() if isinstance(value, str) else default


def _opt(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _web(value: Any) -> str | None:
    """Only http(s) addresses are ever linked: never javascript: or data:."""
    text = _opt(value)
    return text if text and re.match(r"^https?://[^\s]+$", text, re.I) else None


def _relative(value: Any) -> str | None:
    """A site-relative URL (projects/x/): no scheme, no leading slash, no '..'."""
    text = _opt(value)
    if text is None or text.startswith(("/", "\\")) or not _SAFE_PATH.match(text):
        return None
    if ":" in text.split("/", 1)[0] or ".." in text.split("/"):
        return None
    return text


def _date(value: Any, what: str, problems: list[str]) -> str | None:
    """An ISO date (2026-03-01), or None, with a note in ``problems`` when it is not one."""
    text = _opt(value)
    if value is None or (text is not None and _ISO_DATE.match(text) and _valid_date(text)):
        return text
    problems.append(f"{what} is not a date; left out")
    return None


def _valid_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(x.strip() for x in _list(value) if isinstance(x, str) and x.strip())


def parse_summary(data: Any) -> Summary:
    """A published portfolio.json, read tolerantly; raises NotASummary.

    Unknown keys are ignored (schema 1 grows by additions); an entry that
    lacks what it needs is skipped; every link is checked to be a web address
    or a path inside the site; a date that is not one is left out, and said
    in ``Summary.problems``.
    """
    problems: list[str] = []
    if not isinstance(data, dict):
        raise NotASummary("it is not a JSON object")
    schema = data.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise NotASummary("it has no 'schema: portfolio-gen/...' (not made by portfolio-gen)")
    if schema.split("/", 1)[1].split(".")[0] != READS_SCHEMA.split("/", 1)[1]:
        raise NotASummary(
            f"its schema is {schema}, and this version of portfolio-gen reads {READS_SCHEMA}; "
            "update portfolio-gen"
        )
    learner = data["learner"] if isinstance(data.get("learner"), dict) else {}
    projects = []
    for n, item in enumerate(_list(data.get("projects")), 1):
        if not isinstance(item, dict):
            continue
        slug, title, url = _opt(item.get("slug")), _opt(item.get("title")), item.get("url")
        if not slug or not title:
            continue
        url = _relative(url) or f"projects/{v.slugify(slug)}/"
        feedback = item.get("feedback")
        count = feedback.get("count") if isinstance(feedback, dict) else feedback
        collaborators = []
        for c in _list(item.get("collaborators")):
            if isinstance(c, dict) and _opt(c.get("name")):
                collaborators.append((_str(c.get("name")), _web(c.get("url"))))
        projects.append(
            SummaryProject(
                slug=slug,
                title=title,
                url=url,
                date=_date(item.get("date"), f"project {n}: date", problems),
                summary=_str(item.get("summary")),
                interests=_texts(item.get("interests")),
                setting=_opt(item.get("setting")),
                standards=_texts(item.get("standards")),
                badges=_texts(item.get("badges")),
                collaborators=tuple(collaborators),
                feedback=count if isinstance(count, int) and count > 0 else 0,
            )
        )
    badges = []
    for n, item in enumerate(_list(data.get("badges")), 1):
        if not isinstance(item, dict) or not _opt(item.get("slug")):
            continue
        issuer = item["issuer"] if isinstance(item.get("issuer"), dict) else {}
        verification = item.get("verification")
        status = verification.get("status") if isinstance(verification, dict) else None
        badges.append(
            SummaryBadge(
                slug=_str(item.get("slug")),
                name=_str(item.get("name")) or _str(item.get("slug")),
                issuer=_str(issuer.get("name")) or "Unknown issuer",
                issuer_url=_web(issuer.get("url")),
                issued_on=_date(item.get("issued_on"), f"badge {n}: issued_on", problems),
                status=status if isinstance(status, str) else "unverified",
                spec=_opt(item.get("spec")),
            )
        )
    standards = []
    for item in _list(data.get("standards")):
        if not isinstance(item, dict) or not _opt(item.get("code")):
            continue
        code = _str(item.get("code"))
        evidence = tuple(
            (_str(e.get("type")), _str(e.get("slug")))
            for e in _list(item.get("evidence"))
            if isinstance(e, dict) and _opt(e.get("slug"))
        )
        standards.append(
            SummaryStandard(
                code=code,
                framework=_opt(item.get("framework")),
                statement=_opt(item.get("statement")),
                url=_web(item.get("url")),
                page=_relative(item.get("page")) or f"standards/{v.slugify(code)}/",
                evidence=evidence,
                reviews=read_published(item.get("reviews")),
            )
        )
    interests = _texts(data.get("interests"))
    if not interests:  # a portfolio.json from before the addition: the projects' interests
        interests = tuple(dict.fromkeys(i for p in projects for i in p.interests))
    return Summary(
        title=_str(data.get("title")) or _str(learner.get("name")) or "Portfolio",
        name=_str(learner.get("name")) or "Learner",
        bio=_str(learner.get("bio")),
        base_url=_web(data.get("base_url")),
        interests=interests,
        projects=tuple(projects),
        badges=tuple(badges),
        standards=tuple(standards),
        schema=schema,
        problems=tuple(problems),
    )


def load_summary_file(path: Path) -> Summary:
    """A portfolio.json on disk; raises NotASummary (also when it cannot be read)."""
    try:
        raw = read_at_most(path, MAX_SUMMARY_BYTES)
    except OSError as exc:
        raise NotASummary(f"it cannot be read ({exc.strerror or exc})") from None
    if raw is None:
        raise NotASummary(f"it is larger than {MAX_SUMMARY_BYTES // 1_000_000} MB")
    return _parse_bytes(raw)


def _parse_bytes(raw: bytes) -> Summary:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotASummary(f"it is not JSON ({str(exc)[:80]})") from None
    return parse_summary(data)


Fetcher = Callable[[str], "Response"]


def fetch_summary(
    url: str, cache_dir: Path, online: bool, fetch: Fetcher | None = None
) -> tuple[Summary | None, str]:
    """(summary, note) for a published portfolio.json; (None, why not) when unknown.

    Online: fetched fresh (one request, with fetch.py's timeout and size cap)
    and the copy in ``cache_dir/network/`` updated; if the request fails, the
    cached copy is used and the note says so. Offline: the cached copy only.
    """
    from .badges.fetch import FetchError, Store, http_fetch  # imported here: peers, hubs only

    store = Store(cache_dir, online=online, fetch=fetch or http_fetch)
    problem = ""
    if online:
        try:
            resp = store.fresh(url)
            if resp.status == 200:
                summary = _parse_bytes(resp.body)
                store.save(CACHE_KIND, url, resp.body)
                return summary, ""
            problem = f"{url} answered HTTP {resp.status}"
        except FetchError as exc:
            problem = str(exc)
        except NotASummary as exc:
            problem = f"{url} is not a portfolio.json: {exc}"
    cached = store.cached_text(CACHE_KIND, url)
    if cached is None:
        if problem:
            return None, problem
        return None, (
            f"{url} has not been fetched yet; build once with --online "
            f"(the copy is kept in {CACHE_DIR}/{CACHE_KIND}/)"
        )
    try:
        summary = _parse_bytes(cached[0].encode("utf-8"))
    except NotASummary as exc:
        return None, f"the cached copy of {url} is not a portfolio.json: {exc}"
    if problem:
        return summary, f"{problem}; the copy from an earlier --online build is used"
    return summary, ""
