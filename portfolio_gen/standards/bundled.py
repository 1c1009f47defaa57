"""The bundled catalogs: every CCSS item with its statement, every NGSS expectation code.

Made by scripts/make_catalogs.py from public sources (docs/standards.md,
"Bundled catalogs"); read the first time a code is checked, never before.

- CCSS: Math and ELA/Literacy, every domain, cluster, standard and component,
  with its parent, grade, 2010 spelling and statement text (CCSS public
  licence: the notice is data/CCSS-LICENSE.txt, the short attribution
  ``CCSS_ATTRIBUTION``).
- NGSS: every performance expectation code with its page on nextgenscience.org
  (no statement text: the NGSS texts are (c) Achieve).
"""

from __future__ import annotations

import gzip
import os
import re
from functools import cache, lru_cache

from ..lazy_dataclass import dataclass

CCSS_ATTRIBUTION = (
    "© Copyright 2010. National Governors Association Center for Best Practices "
    "and Council of Chief State School Officers. All rights reserved."
)
GROUP_KINDS = ("Category", "Domain", "Cluster")


@dataclass(frozen=True)
class Item:
    """One CCSS item: ``kind`` is Category, Domain, Cluster, Standard or Component."""

    code: str  # canonical: CCSS.Math.Content.K.CC.B.4a
    kind: str
    parent: str | None
    grade: str
    old: str | None  # the 2010 spelling: K.CC.4.a
    text: str  # the statement (a heading for a group)


def _data(name: str) -> bytes:
    # beside this file, as the package is installed (importlib.resources costs a
    # build 6 ms of imports: zipfile, threading)
    with open(os.path.join(os.path.dirname(__file__), "data", name), "rb") as f:
        return f.read()


@cache
def _rows() -> tuple[bytes, bytes]:
    """The CCSS table's rows, each after a newline, and the same bytes with the
    codes in upper case (bytes.upper changes ASCII letters only, so offsets agree)."""
    data = b"\n" + gzip.decompress(_data("ccss.tsv.gz"))
    return data, data.upper()


def _item(row: bytes) -> Item:
    code, kind, parent, grade, was, text = row.decode("utf-8").split("\t")
    return Item(code, kind, parent or None, grade, was or None, text)


@cache
def _ccss() -> tuple[dict[str, Item], dict[str, list[Item]], dict[str, str]]:
    """The whole table: for the trees and the 2010 spellings (a code alone is
    found without it: ``ccss_item``)."""
    items: dict[str, Item] = {}
    children: dict[str, list[Item]] = {}
    old: dict[str, str] = {}
    for row in _rows()[0][1:].splitlines():
        item = _item(row)
        items[item.code.upper()] = item
        if item.parent:
            children.setdefault(item.parent.upper(), []).append(item)
        if item.old:
            old.setdefault(old_key(item.old), item.code)
    return items, children, old


@cache
def _ngss() -> dict[str, str]:
    rows = (line.split("\t") for line in _data("ngss.tsv").decode("utf-8").splitlines())
    return {code.upper(): url for code, url in rows}


def old_key(text: str) -> str:
    """A 2010 spelling, normalised: ``A-SSE.1`` and ``A.SSE.1`` alike, ``K.CC.4.a`` = ``K.CC.4a``."""
    s = text.strip().upper().replace("-", ".")
    s = s.removeprefix("CCSS.").removeprefix("MATH.").removeprefix("ELA-LITERACY.")
    s = re.sub(r"^HS([NAFGS])\.", r"\1.", s)
    s = re.sub(r"^CCRA\.", "CCR.", s)
    return re.sub(r"\.([A-Z])$", r"\1", s)


@lru_cache(maxsize=4096)
def ccss_item(code: str) -> Item | None:
    """The CCSS item with this canonical code (any letter case), or None.

    A build resolves a few codes: each is looked for in the table's bytes (one
    search in C), not by reading the 1,800 rows into a dict (``_ccss``).
    """
    key = code.upper().encode("utf-8", "replace")
    if b"\t" in key or b"\n" in key:
        return None
    data, upper = _rows()
    at = upper.find(b"\n" + key + b"\t")
    if at < 0:
        return None
    end = data.find(b"\n", at + 1)
    return _item(data[at + 1 : end if end >= 0 else len(data)])


def ccss_children(code: str) -> list[Item]:
    """The items directly under a CCSS item, in the official order."""
    return list(_ccss()[1].get(code.upper(), []))


def ccss_items() -> list[Item]:
    """Every CCSS item, in the official order."""
    return list(_ccss()[0].values())


def standards_in(code: str) -> list[Item]:
    """The standards a CCSS group holds (all of them, through its clusters), in order;
    for a standard or component, the item itself."""
    item = ccss_item(code)
    if item is None:
        return []
    if item.kind not in GROUP_KINDS:
        return [item]
    out: list[Item] = []
    for child in ccss_children(item.code):
        out.extend(standards_in(child.code) if child.kind in GROUP_KINDS else [child])
    return out


def from_2010(text: str) -> str | None:
    """Today's canonical code for a 2010 spelling (``7.RP.2``, ``A-SSE.1``), or None."""
    return _ccss()[2].get(old_key(text))


def ngss_url(code: str) -> str | None:
    """The nextgenscience.org page of a performance expectation, or None when there is none."""
    return _ngss().get(code.strip().upper())


def ngss_codes() -> list[str]:
    return [code for code in _ngss()]  # upper case is the canonical case


# --------------------------------------------------------------------------- did you mean


def _num(text: str) -> int:
    return int(text) if text.isdigit() else 0


def ccss_near(short: str, canonical: str) -> tuple[str, list[str]]:
    """Why a well-formed CCSS code is not in the catalog, and the codes it may mean.

    ``K.CC.A.4`` -> ("K.CC.A holds standards 1-3; 4 is in cluster B",
    [CCSS.Math.Content.K.CC.B.4]): the same number in another cluster first,
    then the nearest numbers of the same cluster or domain.
    """
    prefix = canonical[: len(canonical) - len(short)]
    m = re.fullmatch(r"(.+?)\.([A-Z])\.(\d+)([a-z]?)", short)
    if m is not None:  # math: head.cluster.number[component]
        head, cluster, number, comp = m.groups()
        domain = ccss_item(prefix + head)
        clusters = [c for c in ccss_children(prefix + head)] if domain else []
        if comp:
            standard = ccss_item(f"{prefix}{head}.{cluster}.{number}")
            if standard is not None:
                parts = [c.code for c in ccss_children(standard.code)]
                letters = ", ".join(p[-1] for p in parts) or "none"
                return (
                    f"{head}.{cluster}.{number} has components {letters}",
                    parts[:1] + [standard.code],
                )
        same = [
            f"{c.code}.{number}{comp}"
            for c in clusters
            if ccss_item(f"{c.code}.{number}{comp}") is not None
        ]
        here = ccss_item(f"{prefix}{head}.{cluster}")
        numbers = [s.code for s in ccss_children(here.code)] if here else []
        if same:
            other = same[0][len(prefix) + len(head) + 1]
            if here is None:
                reason = f"{head} has no cluster {cluster}; standard {number} is in cluster {other}"
            else:
                reason = f"{head}.{cluster} holds {_range(numbers)}; {number} is in cluster {other}"
            return reason, same
        if here is None:
            codes = [c.code for c in clusters]
            return f"{head} has clusters {', '.join(c[-1] for c in codes)}", codes[:3]
        near = sorted(numbers, key=lambda c: (abs(_num(c.rsplit(".", 1)[1]) - _num(number)), c))
        return f"{head}.{cluster} holds {_range(numbers)}", near[:2]
    m = re.fullmatch(r"(.+)\.([A-Z])", short)  # a cluster: head.letter
    if m is not None and ccss_item(prefix + m.group(1)) is not None:
        codes = [c.code for c in ccss_children(prefix + m.group(1))]
        letters = ", ".join(c[-1] for c in codes)
        return f"{m.group(1)} has clusters {letters}", codes[:1]
    m = re.fullmatch(r"(.+)\.(\d+)([a-z]?)", short)  # ELA: strand.grade.number[component]
    if m is not None:
        head, number, comp = m.groups()
        if comp and ccss_item(f"{prefix}{head}.{number}") is not None:
            parts = [c.code for c in ccss_children(f"{prefix}{head}.{number}")]
            letters = ", ".join(p[-1] for p in parts) or "none"
            return f"{head}.{number} has components {letters}", parts[:1]
        numbers = [c.code for c in ccss_children(prefix + head)]
        if numbers:
            near = sorted(numbers, key=lambda c: (abs(_num(c.rsplit(".", 1)[1]) - _num(number)), c))
            return f"{head} holds {_range(numbers)}", near[:2]
    return "it is not in the Common Core", []


def _range(codes: list[str]) -> str:
    numbers = sorted({_num(re.sub(r"[a-z]$", "", c.rsplit(".", 1)[1])) for c in codes})
    if not numbers:
        return "no standards"
    if len(numbers) == 1:
        return f"standard {numbers[0]} only"
    return f"standards {numbers[0]}-{numbers[-1]}"


def ngss_near(code: str) -> tuple[str, list[str]]:
    """Why a well-formed NGSS code is not an expectation, and the nearest one."""
    head, _, number = code.rpartition("-")
    siblings = [c for c in ngss_codes() if c.rpartition("-")[0] == head.upper()]
    if not siblings:
        return f"NGSS has no {head} expectations", []
    near = sorted(siblings, key=lambda c: (abs(_num(c.rpartition("-")[2]) - _num(number)), c))
    last = siblings[-1].rpartition("-")[2]
    return f"{head} has performance expectations 1-{last}", near[:1]
