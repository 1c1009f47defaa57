"""One normalised :class:`Badge` for Open Badges 1.x, 2.0 and 3.0: the model.

:mod:`portfolio_gen.badges.normalise` turns parsed JSON into the model's
fields; a build whose badges come from the cache imports this module alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from typing import Any, Literal, get_args

from ..lazy_dataclass import dataclass
from ..validate import slugify
from .files import download_name, image_name

VC_CONTEXTS = (
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
)
OB3_TYPES = ("OpenBadgeCredential", "AchievementCredential")
#: Open Badges documents that are not an award to someone.
NOT_AWARDS = {"BadgeClass", "Achievement", "Issuer", "Profile", "CryptographicKey"}

IDENTITY_TYPES = {
    "emailAddress": "email",
    "url": "web address",
    "telephone": "telephone",
    "sourcedId": "student id",
    "studentId": "student id",
    "name": "name",
}

#: Every verification status, in one closed set (docs/badges.md has the table of what
#: leads to each). ``unconfirmed``: the signature is intact, but nothing ties the key
#: that made it to the issuer (a key carried in the file, a key file beside it...).
Status = Literal[
    "verified", "unconfirmed", "unverified", "failed", "expired", "revoked", "unreadable"
]
STATUSES: tuple[str, ...] = get_args(Status)
#: The Open Badges version a credential follows (detect_spec: from its content).
Spec = Literal["ob1", "ob2", "ob3"]
#: How a credential is signed: a JWS (OB 2.0), a VC-JWT or a Data Integrity proof (OB 3.0).
Signed = Literal["jws", "vc-jwt", "data-integrity"]
#: What an endorsement endorses.
About = Literal["badge", "award", "issuer"]
#: What checking a badge's signature (or fetching the hosted badge) found (verify.py).
Signature = Literal["valid", "invalid", "unavailable", "none", "hosted-ok"]
#: The recipient against the learner's identities: ``unchecked`` when none were given,
#: ``none`` when the badge names nobody (verify.check_recipient).
RecipientCheck = Literal["match", "mismatch", "unchecked", "none"]


@dataclass(frozen=True)
class Issuer:
    """Who awarded a badge (or endorsed it), as the badge names them."""

    name: str
    url: str | None = None  # a web page for people (the profile's url, else its id if http)
    id: str | None = None  # the issuer's identifier (URL or DID)
    email: str | None = None
    description: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Alignment:
    """A standard or competency a badge aligns to, as the badge states it."""

    name: str
    url: str | None = None
    code: str | None = None
    framework: str | None = None
    description: str | None = None
    target_type: str | None = None


@dataclass(frozen=True)
class Result:
    """An OB 3.0 result: a grade, a level, a score (credentialSubject.result)."""

    name: str  # what was assessed: the achievement's resultDescription name
    value: str  # the value, the achieved level's name, or the status


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence a badge points to: a page, a narrative, or both."""

    url: str | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class Verification:
    """What checking a badge found: one of STATUSES and why, in words."""

    status: Status
    reason: str  # one or two sentences a learner or teacher understands

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verification status {self.status!r}")


@dataclass(frozen=True)
class Endorsement:
    """An OB 2.0 Endorsement or OB 3.0 EndorsementCredential (see badges/endorsements.py)."""

    issuer: str  # the endorser's name
    comment: str | None = None
    issuer_url: str | None = None  # the endorser's web page (http/https only)
    issued_on: dt.date | None = None
    about: About | None = None  # what it endorses
    spec: Spec | None = None  # "ob2" | "ob3"
    source: str | None = None  # where it was found: None (in the badge) or a file in badges/
    verification: Verification | None = None  # None: not checked


@dataclass(frozen=True)
class Badge:
    """One badge of the portfolio as its pages show it, read from its file in badges/."""

    file: str
    slug: str
    spec: Spec | None  # None when unreadable
    name: str
    description: str | None
    image: str | None
    criteria_url: str | None
    criteria_narrative: str | None
    issuer: Issuer
    issued_on: dt.date | None
    expires: dt.date | None
    evidence: tuple[Evidence, ...]
    alignments: tuple[Alignment, ...]
    tags: tuple[str, ...]
    recipient_kind: str | None
    verification: Verification
    missing: tuple[str, ...] = ()
    endorsements: tuple[Endorsement, ...] = ()
    id: str | None = None  # the assertion / credential id
    narrative: str | None = None  # the recipient's own narrative (OB 2.0 / 3.0)
    achievement_type: str | None = None
    human_code: str | None = None
    field_of_study: str | None = None
    badge_class_url: str | None = None  # the BadgeClass / Achievement id
    container: str | None = None  # "png" | "svg" | "json" | "jws"
    signed: Signed | None = None
    results: tuple[Result, ...] = ()  # OB 3.0 grades, levels, scores
    credits_available: str | None = None  # OB 3.0 achievement.creditsAvailable
    other_files: tuple[str, ...] = ()  # more files holding the same credential (combine.py)
    digest: str | None = None  # sha256 of the credential's JSON: the same credential, any file
    endorses: Endorsement | None = None  # set when the file is an endorsement, not a badge
    #: When the network facts its status rests on (keys, profiles, hosted assertion,
    #: status lists) were fetched: today after an --online run, the date kept in the
    #: cache on an offline rebuild; None when its status needed no network.
    checked: dt.date | None = None
    #: The issuer's picture to publish beside the page (``issuer/image.png``, ``.jpg``,
    #: ``.svg``, images.py): only from a data: URL in the credential or fetched online.
    issuer_image: tuple[str, bytes] | None = field(default=None, repr=False)
    issuer_image_digest: str | None = None  # so that a changed picture changes the page

    @property
    def issuer_image_file(self) -> str | None:
        """The issuer's picture's name in ``badges/<slug>/``, or None."""
        return self.issuer_image[0] if self.issuer_image else None

    @property
    def files(self) -> tuple[str, ...]:
        """Every file that holds this credential, its own first."""
        return (self.file, *self.other_files)

    @property
    def downloads(self) -> tuple[tuple[str, str], ...]:
        """(file, published name) of every file that holds this credential."""
        return tuple((f, download_name(f)) for f in self.files)

    @property
    def download_file(self) -> str:
        """The published name of the exact file (``x.svg.txt`` for an SVG; files.py)."""
        return download_name(self.file)

    @property
    def image_file(self) -> str | None:
        """The published picture pages show (a sanitized copy for an SVG), or None."""
        return image_name(self.file)


def unreadable(file: str, reason: str, *, container: str | None = None) -> Badge:
    """The Badge shown for a file that could not be read."""
    stem = file.rsplit(".", 1)[0]
    return Badge(
        file=file,
        slug=slugify(stem),
        spec=None,
        name=stem,
        description=None,
        image=None,
        criteria_url=None,
        criteria_narrative=None,
        issuer=Issuer(name="Unknown issuer"),
        issued_on=None,
        expires=None,
        evidence=(),
        alignments=(),
        tags=(),
        recipient_kind=None,
        verification=Verification("unreadable", reason),
        container=container,
    )


# ----------------------------------------------------------------- JSON helpers


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def text(value: Any) -> str | None:
    """A display string from a JSON value (language maps pick 'en' or the first)."""
    if isinstance(value, str):
        s = value.strip()
        return s or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("@value", "en", "en-US", "en-GB"):
            if isinstance(value.get(key), str):
                return text(value[key])
        for v in value.values():
            if isinstance(v, str):
                return text(v)
    if isinstance(value, list) and value:
        return text(value[0])
    return None


def url_of(value: Any) -> str | None:
    """The URL/IRI of a value that is a string or an object with an id."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("id", "@id", "url"):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return found.strip()
    return None


def is_web_url(value: str | None) -> bool:
    return bool(value) and bool(re.match(r"^https?://", value or "", re.IGNORECASE))


def types_of(doc: dict[str, Any]) -> list[str]:
    return [t for t in as_list(doc.get("type") or doc.get("@type")) if isinstance(t, str)]


def contexts_of(doc: dict[str, Any]) -> list[str]:
    return [c for c in as_list(doc.get("@context")) if isinstance(c, str)]


class DateError(ValueError):
    pass


def parse_date(value: Any) -> dt.date | None:
    """A date from ISO 8601 (date or date-time) or a Unix timestamp (OB 1.x)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DateError(repr(value))
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            ts = float(value)
            return dt.datetime.fromtimestamp(ts, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            raise DateError(repr(value)) from None
    if not isinstance(value, str):
        raise DateError(repr(value))
    s = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d{2}:\d{2})", s)
    if not m:
        raise DateError(repr(value))
    try:
        if len(s) > 10:
            stamp = s.replace("Z", "+00:00").replace("z", "+00:00").replace(" ", "T", 1)
            stamp = re.sub(r"\.(\d{6})\d+", r".\1", stamp)
            parsed = dt.datetime.fromisoformat(stamp)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(dt.timezone.utc)
            return parsed.date()
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise DateError(repr(value)) from None


# -------------------------------------------------------------- spec detection


def detect_spec(doc: dict[str, Any]) -> Spec | None:
    """'ob3', 'ob2', 'ob1' from the content (never from the container), or None."""
    contexts = contexts_of(doc)
    types = types_of(doc)
    if set(types) & NOT_AWARDS and not set(types) & {"Assertion", "VerifiableCredential"}:
        return None
    if any(c in VC_CONTEXTS for c in contexts) or any(
        t in (*OB3_TYPES, "VerifiableCredential") for t in types
    ):
        return "ob3"
    if any("w3id.org/openbadges/v2" in c for c in contexts) or "Assertion" in types:
        return "ob2"
    if any("w3id.org/openbadges/v1" in c for c in contexts):
        return "ob1"
    if "recipient" in doc and "badge" in doc:
        return "ob1"  # 1.0 without @context, or 0.5
    return None


def not_a_badge_reason(doc: Any) -> str:
    if not isinstance(doc, dict):
        kind = type(doc).__name__.replace("dict", "object").replace("list", "a list")
        return f"the JSON is not an Open Badge (it is {kind}, not an object)"
    types = types_of(doc)
    if "BadgeClass" in types or "Achievement" in types:
        return (
            "the JSON is a badge description (BadgeClass/Achievement), "
            "not a badge awarded to someone"
        )
    if "Issuer" in types or "Profile" in types:
        return "the JSON is an issuer profile, not a badge"
    return (
        "the JSON is not an Open Badge (it has no Open Badges or Verifiable Credentials "
        "@context, and no 'recipient' and 'badge')"
    )
