"""The learner's network: peers' portfolios, and projects made together.

``network:`` in portfolio.yml lists peers' portfolios, each a local folder
(relative to the portfolio root) or the web address of a published
``portfolio.json``. Whatever the source, a peer is known only by what their
portfolio.json says (or, for a local portfolio folder, what it would say:
drafts and private settings never cross over). Web addresses are fetched only
with ``--online`` (one request each, with a timeout) and kept in
``.portfolio-cache/network/``; offline, the cached copy is used, or the
warning says what is missing.

From that, the build makes the "my learning network" page (``network/``) and
links projects done together (see docs/content.md, "Your learning network"):

- a collaborator *is* a peer when the collaborator's ``url`` is the peer's
  site or a page in it, or else when the names match (ignoring case and
  punctuation; "Jay" matches "Jay K.");
- the peer's project is *the same project* when one of its collaborators
  links to this project's own page, or else when it has the same title.

This module also reads published portfolio.json files for hubs
(:func:`parse_summary`, :func:`fetch_summary`): the contract between
portfolios, documented in docs/portfolio-json.md.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import validate as v
from ..cache import CACHE_DIR, cache_folder, digest
from ..standards.reviews import read_published

if TYPE_CHECKING:
    from ..badges.fetch import Response

CACHE_KIND = "network"  # .portfolio-cache/network/
SCHEMA_PREFIX = "portfolio-gen/"
READS_SCHEMA = "portfolio-gen/1"
MAX_SUMMARY_BYTES = 16_000_000  # a local portfolio.json; fetched ones are capped by fetch.py
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_PATH = re.compile(r"^(?:[A-Za-z0-9._~!$&'()*+,;=:@%/-]|[^\x00-\x7f\s])*$")


# ------------------------------------------------------------- portfolio.yml


def portfolio_entries(
    value: Any, report: Any, key: str, expected: str, *, single: bool = False
) -> tuple[str, ...]:
    """A list of portfolio folders or portfolio.json addresses under ``key``
    (``network:`` in portfolio.yml, ``members:`` in HUB.yml); ``single``
    accepts one entry written without a list."""
    if single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.bad((key,), f"expected a list of {expected}, got {v.describe(value)}")
        return ()
    entries: list[str] = []
    for i, item in enumerate(value):
        try:
            entries.append(check_entry(item))
        except v.Invalid as exc:
            report.bad((key, i), str(exc))
    return tuple(entries)


def config_entries(value: Any, report: Any) -> tuple[str, ...]:
    """``network:`` in portfolio.yml."""
    expected = "peers' portfolios (folders or portfolio.json web addresses)"
    return portfolio_entries(value, report, "network", expected, single=True)


def check_entry(item: Any) -> str:
    """A folder (relative) or an http(s) address; raises ``validate.Invalid``."""
    text = v.text(item)
    if "://" in text:
        return v.url(text)
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text):
        raise v.Invalid(
            f"{text!r} is an absolute path; write the folder relative to this file "
            "(e.g. ../jay-portfolio)"
        )
    return text


def summary_url(entry: str) -> str:
    """The portfolio.json address of a web entry (a site address gets portfolio.json)."""
    path = urllib.parse.urlsplit(entry).path
    if path.endswith(".json"):
        return entry
    return entry + ("portfolio.json" if entry.endswith("/") else "/portfolio.json")


def site_of(json_url: str) -> str:
    """The site address a portfolio.json was published in."""
    return urllib.parse.urljoin(json_url, ".")


# ------------------------------------------------------ reading portfolio.json


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
    reviews: tuple[Any, ...] = ()  # teacher reviews: standards.reviews.Verdict


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
    learner = data.get("learner") if isinstance(data.get("learner"), dict) else {}
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
        issuer = item.get("issuer") if isinstance(item.get("issuer"), dict) else {}
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
        with path.open("rb") as fh:
            raw = fh.read(MAX_SUMMARY_BYTES + 1)
    except OSError as exc:
        raise NotASummary(f"it cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_SUMMARY_BYTES:
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
    from ..badges.fetch import FetchError, Store, http_fetch  # imported here: peers, hubs only

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


# ------------------------------------------------------------------ the peers


@dataclass(frozen=True)
class Peer:
    """One portfolio in the learner's network, as its portfolio.json shows it."""

    entry: str  # as written in portfolio.yml; a folder is never published
    index: int
    summary: Summary | None  # None: not known (offline and not cached, or unreadable)
    site: str | None  # the peer's site address, when known (links go there)
    note: str = ""  # what is missing, in words

    @property
    def name(self) -> str | None:
        return self.summary.name if self.summary else None

    def link(self, url: str) -> str | None:
        """The absolute address of a page of the peer's site, if the site is known."""
        return urllib.parse.urljoin(self.site, url) if self.site else None


@dataclass(frozen=True)
class Together:
    """A project of this portfolio made with a peer, and the peer's page for it."""

    peer: Peer
    project: SummaryProject | None = None
    name: str = ""  # the collaborator's name, as this project writes it

    @property
    def url(self) -> str | None:
        return self.peer.link(self.project.url) if self.project else None


@dataclass
class Network:
    """The peers this portfolio links to, and the projects made with them."""

    peers: list[Peer] = field(default_factory=list)
    together: dict[str, list[Together]] = field(default_factory=dict)  # project slug -> ...

    def shared(self, peer: Peer, projects: list[Any]) -> list[tuple[Any, Together]]:
        """This portfolio's projects made with ``peer`` (newest first), with the link across."""
        found = []
        for project in projects:
            for item in self.together.get(project.slug, []):
                if item.peer is peer:
                    found.append((project, item))
        return found

    def __bool__(self) -> bool:
        return bool(self.peers)


def read_network(portfolio: Any, options: Any, diagnostics: Any) -> Network:
    """Read every peer in ``network:`` and match them with the projects' collaborators."""
    config = portfolio.config
    if not config.network or getattr(options, "reading_peer", False):
        return Network()
    root = config.root
    cache_dir = cache_folder(root)
    peers: list[Peer] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(config.network):
        line = config.line("network", i)
        where = f"network[{i}]: {entry}"
        key = entry if "://" in entry else str((root / entry).resolve())
        if key in seen:
            diagnostics.warning(
                config.path, f"{where} is listed twice; the second is ignored", line
            )
            continue
        seen[key] = i
        if "://" in entry:
            url = summary_url(entry)
            summary, note = fetch_summary(url, cache_dir, bool(getattr(options, "online", False)))
            if note:
                diagnostics.warning(config.path, f"network[{i}]: {note}", line)
            peers.append(Peer(entry, i, summary, site_of(url), note if summary is None else ""))
            continue
        folder = root / entry
        if not folder.is_dir():
            diagnostics.error(config.path, f"network[{i}]: there is no folder {entry}", line)
            continue
        if folder.resolve() == root.resolve():
            diagnostics.warning(config.path, f"{where} is this portfolio itself; ignored", line)
            continue
        summary, note = _local_summary(folder)
        if summary is None:
            diagnostics.warning(config.path, f"{where} {note}", line)
        site = summary.base_url if summary else None
        if summary is not None and site is None:
            note = (
                f"{summary.name}'s portfolio has no base_url, so its pages cannot be linked; "
                "add base_url to its portfolio.yml"
            )
            diagnostics.warning(config.path, f"{where}: {note}", line)
        peers.append(Peer(entry, i, summary, site, note))
    return Network(peers, _match(portfolio, peers))


def _peer_options() -> Any:
    """Options to read a peer's portfolio: offline, one process, no cache written."""
    from ..build import Options

    options = Options(cache=False, jobs=1)
    options.reading_peer = True  # type: ignore[attr-defined]  # read_network: not recursive
    return options


_local_memo: dict[str, tuple[str, Summary | None, str]] = {}


def _local_summary(folder: Path) -> tuple[Summary | None, str]:
    """What a local peer publishes: its built portfolio.json, or its sources read in memory."""
    if not (folder / "portfolio.yml").is_file():
        if (folder / "portfolio.json").is_file():  # a built site
            try:
                return load_summary_file(folder / "portfolio.json"), ""
            except NotASummary as exc:
                return None, f"has a portfolio.json that cannot be read: {exc}"
        return None, "is not a portfolio (no portfolio.yml) or a built site (no portfolio.json)"
    state = _tree_state(folder)
    memo = _local_memo.get(str(folder.resolve()))
    if memo is not None and memo[0] == state:
        return memo[1], memo[2]
    from ..build import load
    from .summary import portfolio_json

    result, loaded = load(folder.resolve(), _peer_options())
    errors = len(result.diagnostics.errors)
    if loaded is None or errors:
        found: tuple[Summary | None, str] = (
            None,
            f"has {errors or 'some'} error(s); run 'portfolio-gen check {folder}' to see them",
        )
    else:
        found = parse_summary(json.loads(json.dumps(portfolio_json(loaded.portfolio)))), ""
    _local_memo[str(folder.resolve())] = (state, *found)
    return found


def _tree_state(folder: Path) -> str:
    """Names, sizes and times of the files a portfolio is read from (to reuse a reading)."""
    parts = []
    for name in ("portfolio.yml", "content", "badges", "standards"):
        top = folder / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


# --------------------------------------------------------------- matching


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


def names_match(collaborator: str, learner: str) -> bool:
    """Same name ignoring case and punctuation, or one is the other's first name."""
    a, b = _name_key(collaborator), _name_key(learner)
    if not a or not b:
        return False
    return a == b or a == b.split()[0] or b == a.split()[0]


def url_key(url: str) -> str:
    """An address compared loosely: no scheme, case-insensitive host, no index.html or '/'."""
    parts = urllib.parse.urlsplit(url.strip())
    path = parts.path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return (parts.netloc.lower() + path).rstrip("/")


def within(url: str, site: str) -> bool:
    """True when ``url`` is the site ``site`` or a page in it."""
    page, base = url_key(url), url_key(site)
    return page == base or page.startswith(base + "/")


def _match(portfolio: Any, peers: list[Peer]) -> dict[str, list[Together]]:
    config = portfolio.config
    together: dict[str, list[Together]] = {}
    for project in portfolio.projects:
        own_page = config.base_url + project.url if config.base_url else None
        found: list[Together] = []
        for person in project.collaborators:
            peer = _peer_for(person, peers)
            if peer is None or any(t.peer is peer for t in found):
                continue
            found.append(Together(peer, _same_project(project, own_page, peer), person.name))
        if found:
            together[project.slug] = found
    return together


def _peer_for(person: Any, peers: list[Peer]) -> Peer | None:
    if person.url:
        for peer in peers:
            if peer.site and within(person.url, peer.site):
                return peer
    named = [p for p in peers if p.name and names_match(person.name, p.name)]
    return named[0] if len(named) == 1 else None  # two peers with that name: not a match


def _same_project(project: Any, own_page: str | None, peer: Peer) -> SummaryProject | None:
    if peer.summary is None or peer.site is None:
        return None
    if own_page:
        for theirs in peer.summary.projects:
            if any(url and url_key(url) == url_key(own_page) for _, url in theirs.collaborators):
                return theirs
    title = _name_key(project.title)
    return next((p for p in peer.summary.projects if _name_key(p.title) == title), None)


# ------------------------------------------------------- what the build uses


def extend_hashes(portfolio: Any, hashes: dict[str, str]) -> None:
    """Page-key tokens: ``network`` (the peers as read); feedback and peers also in ``cards``.

    portfolio.json and the lists are keyed by ``cards``; it then changes when a
    note is added to any project or a peer's portfolio.json changes.
    """
    from ..content.feedback import count

    network = digest(repr(portfolio.network)) if portfolio.network else ""
    hashes["network"] = network
    notes = [f"{p.slug}={count(p.feedback)}" for p in portfolio.projects if p.feedback]
    if network or notes:
        hashes["cards"] = digest(hashes.get("cards", ""), network, *notes)


def published_network(portfolio: Any) -> list[dict[str, Any]]:
    """portfolio.json's ``network``: each peer's name and site (never a local folder)."""
    network = getattr(portfolio, "network", None)
    if not network:
        return []
    return [{"name": p.name, "url": p.site} for p in network.peers if p.site]


def network_page(portfolio: Any) -> Any:
    """The "my learning network" page, or None when no peer is listed."""
    from .pages import Page

    network = getattr(portfolio, "network", None)
    if not network:
        return None
    peers = [(peer, network.shared(peer, portfolio.projects)) for peer in network.peers]
    return Page(
        "network/",
        "network.html",
        "My learning network",
        context={"peers": peers},
        deps=frozenset({"network", "cards"}),
        description=f"The learners {portfolio.config.learner.name} learns with.",
        kind="network",
    )
