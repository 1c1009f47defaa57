"""Built-in identifier grammars: CCSS Math, CCSS ELA/Literacy and NGSS.

No statement text is bundled (the texts are copyrighted, see docs/standards.md):
the grammar alone gives the canonical spelling, the grade, grade band, subject
and domain a code implies and, for CCSS, the official URI.

``parse_code`` accepts the spellings people write (any letter case, with or
without the ``CCSS.Math.Content.`` style prefix, ``HSA.SSE`` for ``HSA-SSE``,
``2.a`` for ``2a``) and returns the canonical form; ``code_from_url`` maps an
official corestandards.org URI back to its code; ``explain_code`` says why a
code-like text is not a valid code, for error messages.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from ..lazy_dataclass import dataclass
from ..patterns import lazy_compile

CCSS_MATH = "CCSS Math"
CCSS_ELA = "CCSS ELA/Literacy"
NGSS = "NGSS"

#: Scheme names a portfolio can list under ``standards:`` in portfolio.yml.
SchemeName = Literal["ccss", "ngss"]
SCHEME_NAMES: tuple[SchemeName, ...] = get_args(SchemeName)
#: The built-in grammar a code follows.
Scheme = Literal["CCSS", "NGSS"]
#: What a built-in code names: a standard, a component of one, or a group of them.
CodeType = Literal[
    "Standard",
    "Component",
    "Practice",
    "Anchor Standard",
    "Performance Expectation",
    "Category",
    "Domain",
    "Cluster",
]

#: The coarse grade bands used for grouping, in display order. Codes that apply
#: to every grade (Mathematical Practices, CCR anchor standards) have band "K-12".
BANDS: tuple[str, ...] = ("K-2", "3-5", "6-8", "9-12", "K-12")

_CORE = "http://corestandards.org"


@dataclass(frozen=True)
class Code:
    """A code that follows one of the built-in grammars, in canonical form."""

    canonical: str  # CCSS.Math.Content.7.RP.A.2, HS-ETS1-2
    scheme: Scheme
    framework: str  # "CCSS Math" | "CCSS ELA/Literacy" | "NGSS"
    subject: str  # "Math", "ELA/Literacy", "Physical Science", ...
    grade: str  # "7", "K", "HS", "MS", "6-8", "3-5", "K-12"
    band: str  # one of BANDS
    domain: str  # "RP", "HSA-SSE", "W", "CCRA.R", "PS2", "MP"
    url: str | None  # official CCSS URI; None for NGSS
    short: str  # the usual short spelling: 7.RP.A.2, W.8.6, HS-ETS1-2
    item_type: CodeType
    parent: str | None = None  # for a component, the canonical code of its standard

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True)
class SchemeInfo:
    """One built-in scheme, as ``standards list`` shows it."""

    name: SchemeName  # the portfolio.yml name
    framework: str
    examples: tuple[str, ...]
    note: str


BUILTIN_SCHEMES: tuple[SchemeInfo, ...] = (
    SchemeInfo(
        "ccss",
        CCSS_MATH,
        ("CCSS.Math.Content.7.RP.A.2", "7.RP.A.2a", "HSA-SSE.A.1", "MP4"),
        "grades K-8, high school (HSN HSA HSF HSG HSS), practices MP1-MP8",
    ),
    SchemeInfo(
        "ccss",
        CCSS_ELA,
        ("CCSS.ELA-Literacy.W.8.6", "RL.K.1", "RST.6-8.3", "CCRA.R.1"),
        "strands RL RI RF W SL L RH RST WHST, anchors CCRA.R/W/SL/L",
    ),
    SchemeInfo(
        "ngss",
        NGSS,
        ("K-PS2-1", "3-5-ETS1-2", "MS-LS1-6", "HS-ETS1-2"),
        "performance expectations; no URI is derived",
    ),
)


class _Reject(Exception):
    """A code-like text that breaks the grammar; the message says why."""


# --------------------------------------------------------------------------- grades


def grade_range(grade: str | None) -> tuple[int, int] | None:
    """(first, last) grade number for a grade label, K = 0; None when unknown.

    Understands "K", "KG", "7", "07", "6-8", "9-10", "K-2", "MS", "HS", "K-12".
    """
    if not grade:
        return None
    text = grade.strip().upper().replace("–", "-")
    named = {"MS": (6, 8), "HS": (9, 12)}
    if text in named:
        return named[text]
    parts = text.split("-")
    if len(parts) > 2:
        return None
    nums = [_grade_number(p) for p in parts]
    if any(n is None for n in nums):
        return None
    first, last = nums[0], nums[-1]
    assert first is not None and last is not None
    return (first, last) if first <= last else None


def _grade_number(text: str) -> int | None:
    text = text.strip()
    if text in ("K", "KG"):
        return 0
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return None


def _band_of(number: int) -> tuple[int, int]:
    for low, high in ((0, 2), (3, 5), (6, 8), (9, 12)):
        if low <= number <= high:
            return low, high
    raise ValueError(number)


def _label(number: int) -> str:
    return "K" if number == 0 else str(number)


def band_for_grade(grade: str | None) -> str | None:
    """The coarse band ("K-2", "3-5", "6-8", "9-12") a grade falls in.

    A range that crosses bands gets the span of the bands it touches
    ("6-12", "K-12"); an unknown label gives None.
    """
    span = grade_range(grade)
    if span is None:
        return None
    low = _band_of(span[0])[0]
    high = _band_of(span[1])[1]
    return f"{_label(low)}-{_label(high)}"


def grade_sort_key(grade: str | None) -> tuple[int, int, str]:
    """Sort key that orders grades and bands by school year (K first, unknown last)."""
    span = grade_range(grade)
    if span is None:
        return (99, 99, grade or "")
    return (span[0], span[1], grade or "")


# --------------------------------------------------------------------------- CCSS Math

_K8_DOMAINS: dict[str, tuple[str, ...]] = {
    "K": ("CC", "OA", "NBT", "MD", "G"),
    "1": ("OA", "NBT", "MD", "G"),
    "2": ("OA", "NBT", "MD", "G"),
    "3": ("OA", "NBT", "NF", "MD", "G"),
    "4": ("OA", "NBT", "NF", "MD", "G"),
    "5": ("OA", "NBT", "NF", "MD", "G"),
    "6": ("RP", "NS", "EE", "G", "SP"),
    "7": ("RP", "NS", "EE", "G", "SP"),
    "8": ("NS", "EE", "F", "G", "SP"),
}
_K8_ALL = ("CC", "OA", "NBT", "NF", "MD", "G", "RP", "NS", "EE", "F", "SP")

_HS_DOMAINS: dict[str, tuple[str, ...]] = {
    "N": ("RN", "Q", "CN", "VM"),
    "A": ("SSE", "APR", "CED", "REI"),
    "F": ("IF", "BF", "LE", "TF"),
    "G": ("CO", "SRT", "C", "GPE", "GMD", "MG"),
    "S": ("ID", "IC", "CP", "MD"),
}

_NUM = r"([0-9]+)"
_COMPONENT = r"(?:\.?([A-Z]))?"
_MATH_K8 = re.compile(rf"(K|[0-9]+)\.([A-Z]+)\.([A-Z])\.{_NUM}{_COMPONENT}")
_MATH_K8_NO_CLUSTER = re.compile(r"(K|[0-9]+)\.([A-Z]+)\.([0-9]+)[A-Z]?")
_MATH_HS = re.compile(rf"(?:HS([A-Z])[-.]|([NAFGS])-)([A-Z]+)\.([A-Z])\.{_NUM}{_COMPONENT}")
_MATH_HS_NO_CLUSTER = re.compile(r"(?:HS[A-Z][-.]|[NAFGS]-)[A-Z]+\.[0-9]+[A-Z]?")
_PRACTICE = re.compile(r"MP\.?([0-9]+)")


def _number(text: str, highest: int, what: str) -> int:
    if text.startswith("0") or not 1 <= int(text) <= highest:
        raise _Reject(f"{what} are numbered 1-{highest}")
    return int(text)


def _cluster(letter: str) -> str:
    if letter not in "ABCD":
        raise _Reject(f"cluster letters are A-D, not {letter}")
    return letter


def _component(letter: str | None) -> str:
    if letter is None:
        return ""
    if letter not in "ABCDEFGHIJ":  # which of them exist: the bundled catalog
        raise _Reject(f"component letters are a-j, not {letter.lower()}")
    return letter.lower()


def _math_code(short: str, url_path: str, grade: str, domain: str, component: str) -> Code:
    base_short = short[: -len(component)] if component else short
    canonical = f"CCSS.Math.Content.{short}"
    return Code(
        canonical=canonical,
        scheme="CCSS",
        framework=CCSS_MATH,
        subject="Math",
        grade=grade,
        band=band_for_grade(grade) or "9-12",
        domain=domain,
        url=f"{_CORE}/Math/Content/{url_path}" + (f"/{component}" if component else ""),
        short=short,
        item_type="Component" if component else "Standard",
        parent=f"CCSS.Math.Content.{base_short}" if component else None,
    )


def _parse_math_k8(s: str) -> Code | None:
    m = _MATH_K8.fullmatch(s)
    if m is None:
        if _MATH_K8_NO_CLUSTER.fullmatch(s):
            g, d, num = s.split(".")
            raise _Reject(
                f"CCSS Math codes name the cluster letter after the domain, e.g. {g}.{d}.A.{num}"
            )
        return None
    grade, domain, cluster, number, comp = m.groups()
    if grade not in _K8_DOMAINS:
        raise _Reject(f"grade {grade} is not a CCSS Math grade (K-8, then high school HSN-HSS)")
    if domain not in _K8_ALL:
        raise _Reject(f"{domain} is not a CCSS Math domain ({', '.join(_K8_ALL)})")
    if domain not in _K8_DOMAINS[grade]:
        raise _Reject(
            f"{domain} is not a grade {grade} math domain "
            f"(grade {grade}: {', '.join(_K8_DOMAINS[grade])})"
        )
    cluster = _cluster(cluster)
    n = _number(number, 99, "standards")
    c = _component(comp)
    return _math_code(
        f"{grade}.{domain}.{cluster}.{n}{c}", f"{grade}/{domain}/{cluster}/{n}", grade, domain, c
    )


def _parse_math_hs(s: str) -> Code | None:
    m = _MATH_HS.fullmatch(s)
    if m is None:
        if _MATH_HS_NO_CLUSTER.fullmatch(s):
            raise _Reject("CCSS Math codes name the cluster letter, e.g. HSA-SSE.A.1")
        return None
    category = m.group(1) or m.group(2)
    domain, cluster, number, comp = m.group(3), m.group(4), m.group(5), m.group(6)
    if category not in _HS_DOMAINS:
        raise _Reject(
            f"HS{category} is not a high school conceptual category (HSN HSA HSF HSG HSS)"
        )
    if domain not in _HS_DOMAINS[category]:
        raise _Reject(
            f"{domain} is not a domain of HS{category} "
            f"(HS{category}: {', '.join(_HS_DOMAINS[category])})"
        )
    cluster = _cluster(cluster)
    n = _number(number, 99, "standards")
    c = _component(comp)
    short = f"HS{category}-{domain}.{cluster}.{n}{c}"
    return _math_code(
        short, f"HS{category}/{domain}/{cluster}/{n}", "HS", f"HS{category}-{domain}", c
    )


def _parse_practice(s: str) -> Code | None:
    m = _PRACTICE.fullmatch(s)
    if m is None:
        return None
    n = _number(m.group(1), 8, "Mathematical Practices")
    return Code(
        canonical=f"CCSS.Math.Practice.MP{n}",
        scheme="CCSS",
        framework=CCSS_MATH,
        subject="Math",
        grade="K-12",
        band="K-12",
        domain="MP",
        url=f"{_CORE}/Math/Practice/MP{n}",
        short=f"MP{n}",
        item_type="Practice",
    )


_MATH_K8_GROUP = re.compile(r"(K|[0-9]+)\.([A-Z]+)(?:\.([A-Z]))?")
_MATH_HS_GROUP = re.compile(r"HS([A-Z])(?:[-.]([A-Z]+)(?:\.([A-Z]))?)?")
_OLD_MATH = re.compile(r"(?:K|[0-9]+)\.[A-Z]+\.[0-9]+(?:\.?[A-Z])?")
_OLD_HS = re.compile(r"(?:HS)?[NAFGS][-.][A-Z]+\.[0-9]+(?:\.?[A-Z])?")
_OLD_CCR = re.compile(r"CCR\.[A-Z]+\.[0-9]+")


def _group_code(short: str, path: str, grade: str, domain: str, kind: CodeType) -> Code:
    return Code(
        canonical=f"CCSS.Math.Content.{short}",
        scheme="CCSS",
        framework=CCSS_MATH,
        subject="Math",
        grade=grade,
        band=band_for_grade(grade) or "9-12",
        domain=domain,
        url=f"{_CORE}/Math/Content/{path}",
        short=short,
        item_type=kind,
    )


def _parse_math_group(s: str) -> Code | None:
    """A grade-level domain or a cluster: ``6.RP``, ``6.RP.A``, ``HSA``, ``HSA-SSE``, ``HSA-SSE.A``."""
    m = _MATH_K8_GROUP.fullmatch(s)
    if m is not None:
        grade, domain, cluster = m.groups()
        if grade not in _K8_DOMAINS or domain not in _K8_DOMAINS[grade]:
            return None
        short = f"{grade}.{domain}" + (f".{_cluster(cluster)}" if cluster else "")
        kind: CodeType = "Cluster" if cluster else "Domain"
        return _group_code(short, short.replace(".", "/"), grade, domain, kind)
    m = _MATH_HS_GROUP.fullmatch(s)
    if m is None:
        return None
    category, domain, cluster = m.groups()
    if category not in _HS_DOMAINS or (domain and domain not in _HS_DOMAINS[category]):
        return None
    if domain is None:
        return _group_code(f"HS{category}", f"HS{category}", "HS", f"HS{category}", "Category")
    short = f"HS{category}-{domain}" + (f".{_cluster(cluster)}" if cluster else "")
    path = f"HS{category}/{domain}" + (f"/{cluster}" if cluster else "")
    return _group_code(
        short, path, "HS", f"HS{category}-{domain}", "Cluster" if cluster else "Domain"
    )


def _parse_2010(s: str) -> Code | None:
    """A 2010 spelling (``7.RP.2``, ``K.CC.4.a``, ``A-SSE.1``, ``CCR.R.1``) as today's code.

    The 2010 codes name no cluster, so only the catalog knows which one it is.
    """
    if not (_OLD_MATH.fullmatch(s) or _OLD_HS.fullmatch(s) or _OLD_CCR.fullmatch(s)):
        return None
    from .bundled import from_2010  # the catalog: read only for such a code

    canonical = from_2010(s)
    return _parse(canonical) if canonical else None


# --------------------------------------------------------------------------- CCSS ELA

_ELA_GRADES_MAIN = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9-10", "11-12")
_ELA_STRANDS: dict[str, tuple[tuple[str, ...], int, str]] = {
    # strand: (grades, highest number, what the grades are)
    "RL": (_ELA_GRADES_MAIN, 10, "grades K-8, 9-10 and 11-12"),
    "RI": (_ELA_GRADES_MAIN, 10, "grades K-8, 9-10 and 11-12"),
    "RF": (("K", "1", "2", "3", "4", "5"), 4, "grades K-5"),
    "W": (_ELA_GRADES_MAIN, 10, "grades K-8, 9-10 and 11-12"),
    "SL": (_ELA_GRADES_MAIN, 6, "grades K-8, 9-10 and 11-12"),
    "L": (_ELA_GRADES_MAIN, 6, "grades K-8, 9-10 and 11-12"),
    "RH": (("6-8", "9-10", "11-12"), 10, "the bands 6-8, 9-10 and 11-12"),
    "RST": (("6-8", "9-10", "11-12"), 10, "the bands 6-8, 9-10 and 11-12"),
    "WHST": (("6-8", "9-10", "11-12"), 10, "the bands 6-8, 9-10 and 11-12"),
}
_CCRA: dict[str, int] = {"R": 10, "W": 10, "SL": 6, "L": 6}

_ELA = re.compile(rf"([A-Z]+)\.(K|[0-9]+(?:-[0-9]+)?)\.{_NUM}{_COMPONENT}")
_ANCHOR = re.compile(r"CCRA\.([A-Z]+)\.([0-9]+)")


def _parse_ela_group(s: str) -> Code | None:
    """A strand at a grade (``RL.7``, ``RST.6-8``) or an anchor strand (``CCRA.R``)."""
    m = re.fullmatch(r"([A-Z]+)\.(K|[0-9]+(?:-[0-9]+)?)", s)
    if s in ("CCRA.R", "CCRA.W", "CCRA.SL", "CCRA.L"):
        strand = s.split(".", 1)[1]
        grade, path, short = "K-12", f"CCRA/{strand}", s
    elif m is not None and m.group(1) in _ELA_STRANDS and m.group(2) in _ELA_STRANDS[m.group(1)][0]:
        strand, grade = m.groups()
        path, short = f"{strand}/{grade}", s
    else:
        return None
    return Code(
        canonical=f"CCSS.ELA-Literacy.{short}",
        scheme="CCSS",
        framework=CCSS_ELA,
        subject="ELA/Literacy",
        grade=grade,
        band=band_for_grade(grade) or "9-12",
        domain=short if short.startswith("CCRA") else strand,
        url=f"{_CORE}/ELA-Literacy/{path}",
        short=short,
        item_type="Domain",
    )


def _parse_ela(s: str) -> Code | None:
    m = _ANCHOR.fullmatch(s)
    if m is not None:
        strand, number = m.groups()
        if strand not in _CCRA:
            raise _Reject(
                f"CCRA.{strand} is not an anchor strand (CCRA.R, CCRA.W, CCRA.SL, CCRA.L)"
            )
        n = _number(number, _CCRA[strand], f"CCRA.{strand} anchor standards")
        return Code(
            canonical=f"CCSS.ELA-Literacy.CCRA.{strand}.{n}",
            scheme="CCSS",
            framework=CCSS_ELA,
            subject="ELA/Literacy",
            grade="K-12",
            band="K-12",
            domain=f"CCRA.{strand}",
            url=f"{_CORE}/ELA-Literacy/CCRA/{strand}/{n}",
            short=f"CCRA.{strand}.{n}",
            item_type="Anchor Standard",
        )
    m = _ELA.fullmatch(s)
    if m is None:
        return None
    strand, grade, number, comp = m.groups()
    if strand not in _ELA_STRANDS:
        return None  # not an ELA code at all (could be anything)
    grades, highest, grades_text = _ELA_STRANDS[strand]
    if grade not in grades:
        raise _Reject(f"{strand} is written for {grades_text}, not {grade}")
    n = _number(number, highest, f"{strand} standards")
    c = _component(comp)
    short = f"{strand}.{grade}.{n}{c}"
    path = f"{strand}/{grade}/{n}" + (f"/{c}" if c else "")
    return Code(
        canonical=f"CCSS.ELA-Literacy.{short}",
        scheme="CCSS",
        framework=CCSS_ELA,
        subject="ELA/Literacy",
        grade=grade,
        band=band_for_grade(grade) or "9-12",
        domain=strand,
        url=f"{_CORE}/ELA-Literacy/{path}",
        short=short,
        item_type="Component" if c else "Standard",
        parent=f"CCSS.ELA-Literacy.{strand}.{grade}.{n}" if c else None,
    )


# --------------------------------------------------------------------------- NGSS

_NGSS_SUBJECTS = {
    "PS": "Physical Science",
    "LS": "Life Science",
    "ESS": "Earth and Space Science",
    "ETS": "Engineering",
}
_NGSS_IDEAS = {"PS": 4, "LS": 4, "ESS": 3, "ETS": 2}
_NGSS_ALL_SCIENCE = tuple(
    f"{d}{i}" for d in ("PS", "LS", "ESS") for i in range(1, _NGSS_IDEAS[d] + 1)
)
_NGSS_ETS = ("ETS1", "ETS2")
_NGSS_GRADES: dict[str, tuple[str, ...]] = {
    "K": ("PS2", "PS3", "LS1", "ESS2", "ESS3"),
    "1": ("PS4", "LS1", "LS3", "ESS1"),
    "2": ("PS1", "LS2", "LS4", "ESS1", "ESS2"),
    "3": ("PS2", "LS1", "LS2", "LS3", "LS4", "ESS2", "ESS3"),
    "4": ("PS3", "PS4", "LS1", "ESS1", "ESS2", "ESS3"),
    "5": ("PS1", "PS2", "PS3", "LS1", "LS2", "ESS1", "ESS2", "ESS3"),
    "K-2": _NGSS_ETS,
    "3-5": _NGSS_ETS,
    "MS": _NGSS_ALL_SCIENCE + _NGSS_ETS,
    "HS": _NGSS_ALL_SCIENCE + _NGSS_ETS,
}
_NGSS_BANDS = {"K-2": "K-2", "3-5": "3-5", "MS": "6-8", "HS": "9-12"}
_NGSS = re.compile(r"(K-2|3-5|K|MS|HS|[0-9]+)-([A-Z]+)([0-9]+)-([0-9]+)")


def _parse_ngss(s: str) -> Code | None:
    m = _NGSS.fullmatch(s)
    if m is None:
        return None
    grade, discipline, idea, number = m.groups()
    if discipline not in _NGSS_SUBJECTS:
        raise _Reject(f"{discipline} is not an NGSS discipline (PS, LS, ESS, ETS)")
    dci = f"{discipline}{int(idea)}"
    if idea.startswith("0") or not 1 <= int(idea) <= _NGSS_IDEAS[discipline]:
        raise _Reject(
            f"{discipline}{idea} is not an NGSS core idea "
            f"({discipline}1-{discipline}{_NGSS_IDEAS[discipline]})"
        )
    if grade not in _NGSS_GRADES:
        raise _Reject(f"{grade} is not an NGSS grade (K, 1-5, K-2, 3-5, MS, HS)")
    if dci not in _NGSS_GRADES[grade]:
        where = "kindergarten" if grade == "K" else f"grade {grade}"
        if grade in ("K-2", "3-5"):
            raise _Reject(f"the {grade} band holds only engineering (ETS) expectations")
        if discipline == "ETS":
            raise _Reject(
                f"engineering (ETS) expectations are written for K-2, 3-5, MS and HS, not {where}"
            )
        raise _Reject(
            f"NGSS has no {dci} expectations in {where} ({grade}: {', '.join(_NGSS_GRADES[grade])})"
        )
    n = _number(number, 99, "performance expectations")
    canonical = f"{grade}-{dci}-{n}"
    return Code(
        canonical=canonical,
        scheme="NGSS",
        framework=NGSS,
        subject=_NGSS_SUBJECTS[discipline],
        grade=grade,
        band=_NGSS_BANDS.get(grade) or band_for_grade(grade) or "K-2",
        domain=dci,
        url=None,
        short=canonical,
        item_type="Performance Expectation",
    )


# --------------------------------------------------------------------------- entry points

_CCSS_PREFIXES: tuple[tuple[str, str], ...] = (
    ("MATH.CONTENT.", "content"),
    ("MATH.PRACTICE.", "practice"),
    ("MATH.", "math"),
    ("ELA-LITERACY.", "ela"),
    ("ELA.", "ela"),
)

_MATH_PARSERS = (_parse_2010, _parse_math_k8, _parse_math_hs, _parse_math_group)
_ELA_PARSERS = (_parse_2010, _parse_ela, _parse_ela_group)
_PARSERS = {
    "content": _MATH_PARSERS,
    "practice": (_parse_practice,),
    "math": (*_MATH_PARSERS, _parse_practice),
    "ela": _ELA_PARSERS,
    "ccss": (*_MATH_PARSERS, _parse_practice, *_ELA_PARSERS[1:]),
    "ngss": (_parse_ngss,),
    "any": (*_MATH_PARSERS, _parse_practice, *_ELA_PARSERS[1:], _parse_ngss),
}


def _split_prefix(text: str) -> tuple[str, str]:
    """(family, rest): strip a CCSS./NGSS prefix, upper-cased."""
    s = text.strip().upper()
    for scheme in ("CCSS", "NGSS"):
        if s.startswith(scheme) and s[len(scheme) : len(scheme) + 1] in (".", ":", " "):
            rest = s[len(scheme) + 1 :].strip()
            if scheme == "NGSS":
                return "ngss", rest
            for prefix, family in _CCSS_PREFIXES:
                if rest.startswith(prefix):
                    return family, rest[len(prefix) :]
            return "ccss", rest
    return "any", s


def _parse(text: str) -> Code | None:
    family, rest = _split_prefix(text)
    if not rest or any(ch.isspace() for ch in rest):
        return None
    reasons: list[str] = []
    for parser in _PARSERS[family]:
        try:
            code = parser(rest)
        except _Reject as reject:
            reasons.append(str(reject))
            continue
        if code is not None:
            return code
    if reasons:
        raise _Reject(reasons[0])
    return None


def parse_code(text: str) -> Code | None:
    """The canonical built-in code ``text`` spells, or None.

    Case-insensitive; accepts the official prefixes (``CCSS.Math.Content.``,
    ``CCSS.Math.Practice.``, ``CCSS.ELA-Literacy.``, ``NGSS.``), short forms
    without them, ``HSA.SSE.A.1`` for ``HSA-SSE.A.1``, ``A-SSE.A.1`` and
    ``7.RP.A.2.a`` for ``7.RP.A.2a``. Malformed codes (a domain not taught in
    that grade, a bad letter, a number out of range) give None.
    """
    if not isinstance(text, str):
        return None
    try:
        return _parse(text)
    except _Reject:
        return None


def explain_code(text: str) -> str | None:
    """Why ``text`` is not a valid built-in code, when it resembles one; else None.

    ``explain_code("3.RP.A.1")`` -> ``"RP is not a grade 3 math domain (grade 3:
    OA, NBT, NF, MD, G)"``. Returns None for valid codes and for text that does not
    look like a CCSS or NGSS code at all.
    """
    if not isinstance(text, str):
        return None
    try:
        _parse(text)
    except _Reject as reject:
        return str(reject)
    return None


_URL = lazy_compile(
    r"https?://(?:www\.)?(?:the)?corestandards\.org/([^?#]*)(?:[?#].*)?", re.IGNORECASE
)
_NGSS_URL = lazy_compile(
    r"https?://(?:www\.)?nextgenscience\.org/pe/((?:k-2|3-5|k|ms|hs|[0-9])-[a-z]+[0-9]-[0-9]+)"
    r"(?:-[a-z0-9-]*)?/?(?:[?#].*)?",
    re.IGNORECASE,
)


def code_from_url(url: str) -> Code | None:
    """The code an official corestandards.org URI or NGSS page names, or None.

    ``http://corestandards.org/Math/Content/7/RP/A/2/a`` -> 7.RP.A.2a; https,
    ``www.``, the thecorestandards.org host and a trailing slash are accepted,
    and so are the 2010 URIs (``http://corestandards.org/2010/math/content/7/RP/2``)
    and nextgenscience.org pages (``https://www.nextgenscience.org/pe/ms-ls1-6-...``).
    """
    if not isinstance(url, str):
        return None
    ngss = _NGSS_URL.fullmatch(url.strip())
    if ngss is not None:
        return parse_code("NGSS." + ngss.group(1))
    m = _URL.fullmatch(url.strip())
    if m is None:
        return None
    parts = [p for p in m.group(1).split("/") if p]
    if parts[:1] == ["2010"]:
        parts = parts[1:]
    if len(parts) < 2:
        return None
    head = [p.upper() for p in parts[:2]]
    if head == ["MATH", "CONTENT"]:
        family, rest = "content", parts[2:]
    elif head == ["MATH", "PRACTICE"]:
        family, rest = "practice", parts[2:]
    elif head[0] == "ELA-LITERACY":
        family, rest = "ela", parts[1:]
    else:
        return None
    if not rest:
        return None
    try:
        for parser in _PARSERS[family]:
            code = parser(".".join(rest).upper())
            if code is not None:
                return code
    except _Reject:
        return None
    return None


def looks_like_code(text: str) -> bool:
    """True when ``text`` is a single token with a digit: worth parsing as a code."""
    s = text.strip()
    return bool(s) and not any(ch.isspace() for ch in s) and any(ch.isdigit() for ch in s)


def repairs(text: str) -> list[str]:
    """Canonical codes that ``text`` becomes with its separators fixed.

    ``HS.ETS1.2`` -> ``HS-ETS1-2``; ``7-RP-A-2`` -> ``CCSS.Math.Content.7.RP.A.2``;
    ``7.RP.2`` -> the four grammatical cluster choices. For did-you-mean hints.
    """
    family, rest = _split_prefix(text)
    tokens = [t for t in re.split(r"[\s._/:\-]+", rest) if t]
    if not tokens:
        return []
    candidates: list[str] = []
    joined_dots = ".".join(tokens)
    candidates.append(joined_dots)
    # NGSS: grade (possibly a two-token band), core idea, number
    if len(tokens) in (3, 4):
        if len(tokens) == 4:
            candidates.append(f"{tokens[0]}-{tokens[1]}-{tokens[2]}-{tokens[3]}")
        else:
            candidates.append("-".join(tokens))
    # HS math: category-domain.cluster.number
    if len(tokens) >= 4 and tokens[0].startswith("HS"):
        candidates.append(f"{tokens[0]}-{'.'.join(tokens[1:])}")
    # ELA bands: RST.6.8.3 -> RST.6-8.3
    if len(tokens) == 4 and tokens[1].isdigit() and tokens[2].isdigit():
        candidates.append(f"{tokens[0]}.{tokens[1]}-{tokens[2]}.{tokens[3]}")
    # a missing cluster letter: 7.RP.2 -> 7.RP.A.2 ... 7.RP.D.2
    if len(tokens) == 3 and tokens[2][:1].isdigit():
        candidates.extend(f"{tokens[0]}.{tokens[1]}.{c}.{tokens[2]}" for c in "ABCD")
    found: list[str] = []
    for candidate in candidates:
        prefix = {"ngss": "NGSS.", "any": ""}.get(family, "CCSS.")
        code = parse_code(prefix + candidate if family != "any" else candidate)
        if code is not None and code.canonical not in found:
            found.append(code.canonical)
    return found
