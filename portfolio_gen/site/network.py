"""The learner's network: peers' portfolios, and projects made together.

``network:`` in portfolio.yml lists peers' portfolios, each a local folder
(relative to the portfolio root) or the web address of a published
``portfolio.json`` (the entries' form: :mod:`portfolio_gen.entries`). Whatever
the source, a peer is known only by what their portfolio.json says
(:mod:`portfolio_gen.contract`), or, for a local portfolio folder, what it
would say: drafts and private settings never cross over. Web addresses are
fetched only with ``--online`` (one request each, with a timeout) and kept in
``.portfolio-cache/network/``; offline, the cached copy is used, or the
warning says what is missing.

The build reads the peers (:func:`read_peers`, before linking) and the link
stage matches them with the projects (:func:`match`) into
``Portfolio.network``, from which the "my learning network" page
(``network/``, made in site/pages.py) and portfolio.json's ``network`` come;
see docs/content.md, "Your learning network":

- a collaborator *is* a peer when the collaborator's ``url`` is the peer's
  site or a page in it, or else when the names match (ignoring case and
  punctuation; "Jay" matches "Jay K.");
- the peer's project is *the same project* when one of its collaborators
  links to this project's own page, or else when it has the same title.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import cache_folder, digest
from ..lazy_dataclass import dataclass

if TYPE_CHECKING:
    from ..config import Config
    from ..content.projects import Person, Project
    from ..contract import Summary, SummaryProject
    from ..diagnostics import Diagnostics
    from .graph import Portfolio

# Reads a local peer's portfolio folder in memory (offline, one process, no
# cache written, its own network not read): (its portfolio.json data, or None,
# and its number of errors). Given by the build (build.read_peer), which this
# layer may not import.
PeerReader = Callable[[Path], "tuple[dict[str, Any] | None, int]"]


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

    def shared(self, peer: Peer, projects: Sequence[Project]) -> list[tuple[Project, Together]]:
        """This portfolio's projects made with ``peer`` (newest first), with the link across."""
        found = []
        for project in projects:
            for item in self.together.get(project.slug, []):
                if item.peer is peer:
                    found.append((project, item))
        return found

    def __bool__(self) -> bool:
        return bool(self.peers)


def read_peers(
    config: Config, online: bool, diagnostics: Diagnostics, read_peer: PeerReader
) -> list[Peer]:
    """Read every peer in ``network:`` (what they publish, or a note on what is missing)."""
    if not config.network:
        return []
    # imported here: contract.py costs a build without a network 3 ms (4 dataclasses)
    from ..contract import fetch_summary, site_of, summary_url

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
            summary, note = fetch_summary(url, cache_dir, online)
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
        summary, note = _local_summary(folder, read_peer)
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
    return peers


def match(config: Config, projects: Sequence[Project], peers: list[Peer]) -> Network:
    """The peers, with this portfolio's projects made with them (the link stage's)."""
    return Network(list(peers), _match(config, projects, peers)) if peers else Network()


_local_memo: dict[str, tuple[str, Summary | None, str]] = {}


def _local_summary(folder: Path, read_peer: PeerReader) -> tuple[Summary | None, str]:
    """What a local peer publishes: its built portfolio.json, or its sources read in memory."""
    from ..contract import NotASummary, load_summary_file, parse_summary

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
    data, errors = read_peer(folder.resolve())
    if data is None or errors:
        found: tuple[Summary | None, str] = (
            None,
            f"has {errors or 'some'} error(s); run 'portfolio-gen check {folder}' to see them",
        )
    else:
        found = parse_summary(json.loads(json.dumps(data))), ""
    _local_memo[str(folder.resolve())] = (state, found[0], found[1])
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


def _match(
    config: Config, projects: Sequence[Project], peers: list[Peer]
) -> dict[str, list[Together]]:
    together: dict[str, list[Together]] = {}
    for project in projects:
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


def _peer_for(person: Person, peers: list[Peer]) -> Peer | None:
    if person.url:
        for peer in peers:
            if peer.site and within(person.url, peer.site):
                return peer
    named = [p for p in peers if p.name and names_match(person.name, p.name)]
    return named[0] if len(named) == 1 else None  # two peers with that name: not a match


def _same_project(project: Project, own_page: str | None, peer: Peer) -> SummaryProject | None:
    if peer.summary is None or peer.site is None:
        return None
    if own_page:
        for theirs in peer.summary.projects:
            if any(url and url_key(url) == url_key(own_page) for _, url in theirs.collaborators):
                return theirs
    title = _name_key(project.title)
    return next((p for p in peer.summary.projects if _name_key(p.title) == title), None)


# ------------------------------------------------------- what the build uses


def extend_hashes(portfolio: Portfolio, hashes: dict[str, str]) -> None:
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


def published_network(portfolio: Portfolio) -> list[dict[str, Any]]:
    """portfolio.json's ``network``: each peer's name and site (never a local folder)."""
    return [{"name": p.name, "url": p.site} for p in portfolio.network.peers if p.site]
