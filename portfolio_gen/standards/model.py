"""The records the standards stage produces: Standard and Framework."""

from __future__ import annotations

import re
from typing import Literal

from ..lazy_dataclass import dataclass
from .schemes import Code, Scheme, parse_code

#: A framework file's format: a CASE package (JSON) or a YAML framework.
FrameworkKind = Literal["CASE", "YAML"]


@dataclass(frozen=True)
class Standard:
    """One standard (or any addressable item of a framework: domain, cluster, skill).

    ``code`` is what people write, canonical for the built-in grammars
    (``CCSS.Math.Content.7.RP.A.2``). A CASE item without a humanCodingScheme
    has ``code=None`` and is addressed by ``uuid``/``url``; use ``key`` when a
    string id is needed and ``label`` to show it.
    """

    code: str | None
    framework: str  # display name: "CCSS Math", "NGSS", a CASE document title, a YAML framework
    subject: str | None = None
    grade: str | None = None
    band: str | None = None  # "K-2" | "3-5" | "6-8" | "9-12" | "K-12" | a span like "6-12"
    statement: str | None = None  # built-in CCSS: from the bundled catalog; NGSS: None
    url: str | None = None  # CASE URI, a YAML item's url, or the official CCSS URI
    uuid: str | None = None  # CASE identifier
    parent: str | None = None  # the parent's key (its code, else its UUID)
    source: str | None = None  # the framework file, relative to the portfolio root; None = built-in
    item_type: str | None = None  # CFItemType, "Standard", "Component", "Practice", ...
    line: int | None = None  # where the item starts in ``source``, when known
    scheme: Scheme | None = None  # when the code follows a built-in grammar
    abbreviated: str | None = None  # CASE abbreviatedStatement
    domain: str | None = None  # built-in grammar domain ("RP", "PS2"), when the code has one
    # a framework file's item: its ancestors, outermost first, as (type, label, statement)
    trail: tuple[tuple[str, str, str], ...] = ()

    @property
    def key(self) -> str:
        """A stable string id: the code, else the CASE UUID, else the URI."""
        return self.code or self.uuid or self.url or ""

    @property
    def label(self) -> str:
        """What to show where a code is expected: the code, else a short statement."""
        if self.code:
            return self.code
        text = self.abbreviated or self.statement or self.key
        return text if len(text) <= 60 else text[:59].rstrip() + "…"

    @property
    def short(self) -> str | None:
        """The short spelling of a built-in-grammar code (``7.RP.A.2``), else None."""
        code = parse_code(self.code) if self.code else None
        return code.short if code else None

    @property
    def notice(self) -> str | None:
        """The copyright notice the CCSS public licence requires beside its statements."""
        if self.scheme == "CCSS" and self.builtin and self.statement:
            from .bundled import CCSS_ATTRIBUTION

            return CCSS_ATTRIBUTION
        return None

    @property
    def lang(self) -> str | None:
        """The language of the statement and trail when known: "en" for the bundled
        CCSS catalog (pages mark it, so a translated page says where English is)."""
        return "en" if self.scheme == "CCSS" and self.builtin else None

    @property
    def ancestors(self) -> list[tuple[str, str, str]]:
        """A built-in CCSS item's trail, outermost first: (kind, short code, heading)
        for its domain, cluster and, for a component, its standard."""
        if not self.builtin:
            return list(self.trail)
        if self.scheme != "CCSS" or not self.parent:
            return []
        from .bundled import ccss_item

        out: list[tuple[str, str, str]] = []
        item = ccss_item(self.parent)
        while item is not None and len(out) < 6:
            short = re.sub(r"^CCSS\.(Math\.Content|ELA-Literacy)\.", "", item.code)
            out.insert(0, (item.kind, short, item.text))
            item = ccss_item(item.parent) if item.parent else None
        return out

    @property
    def group(self) -> bool:
        """True for a domain, cluster or category: a goal on it means every standard inside."""
        return (self.item_type or "").lower() in ("category", "domain", "cluster", "strand")

    @property
    def builtin(self) -> bool:
        """True for a standard known only from the built-in grammar (no file)."""
        return self.source is None


def builtin_standard(code: Code) -> Standard:
    """The Standard a built-in code stands for: for CCSS, with the bundled catalog's
    statement (or a group's heading) and parent; for NGSS, with its page's URL."""
    from . import bundled  # the catalogs: read the first time a built-in code is resolved

    statement, parent, url = None, code.parent, code.url
    kind: str = code.item_type  # the catalog's kind may be finer (a CFItemType is open)
    if code.scheme == "CCSS":
        item = bundled.ccss_item(code.canonical)
        if item is not None:
            statement, parent = item.text, item.parent
            if kind in ("Standard", "Component"):
                kind = item.kind
    elif code.scheme == "NGSS":
        url = bundled.ngss_url(code.canonical)
    return Standard(
        code=code.canonical,
        framework=code.framework,
        subject=code.subject,
        grade=code.grade,
        band=code.band,
        statement=statement,
        url=url,
        parent=parent,
        item_type=kind,
        scheme=code.scheme,
        domain=code.domain,
    )


def in_catalog(code: Code) -> bool:
    """True when a built-in code names a real CCSS item or NGSS expectation."""
    from . import bundled

    if code.scheme == "CCSS":
        return bundled.ccss_item(code.canonical) is not None
    return bundled.ngss_url(code.canonical) is not None


@dataclass(frozen=True)
class Framework:
    """One framework file: a CASE package or a YAML framework."""

    name: str  # CFDocument title or the YAML ``framework:`` name
    source: str  # file path relative to the portfolio root (or as given)
    kind: FrameworkKind
    standards: tuple[Standard, ...] = ()
    url: str | None = None  # CFDocument uri or the YAML ``url:``
    uuid: str | None = None  # CFDocument identifier
    subject: str | None = None
    creator: str | None = None
    license: str | None = None  # licence title or URI, to show beside statements
    description: str | None = None
    version: str | None = None  # CASE version the package declares, when it does

    @property
    def count(self) -> int:
        return len(self.standards)
