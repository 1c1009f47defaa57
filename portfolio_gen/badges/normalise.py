"""Parsed Open Badges 1.x, 2.0 and 3.0 JSON into a :class:`~.model.Badge`'s fields.

The functions here never touch files or the network themselves: badge classes
and issuers given only as URLs are looked up through a ``resolve(url, what)``
callback (sidecar, cache, or network), and what could not be known is listed
in ``Badge.missing``. Only reading a badge needs this (badges/reader.py); a
build whose badges come from the cache imports the model (model.py) alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import field
from typing import Any

from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from ..schema import KeyPath, Reporter
from ..yamlio import Located
from .model import (
    IDENTITY_TYPES,
    Alignment,
    DateError,
    Endorsement,
    Evidence,
    Issuer,
    Result,
    Spec,
    as_list,
    is_web_url,
    parse_date,
    text,
    url_of,
)

Resolve = Callable[[str, str], "dict[str, Any] | None"]


def _reporter() -> Reporter:
    return Reporter("", Located(None), Diagnostics())


@dataclass
class Fields:
    """What normalisation found, before verification.

    Problems are reported with schema.Reporter, the one validation helper, at
    their key path in the credential (``report.error_at(("expires",), ...)``):
    an error makes the badge fail ("the badge is malformed: ..."), a warning
    is said beside it.
    """

    spec: Spec
    name: str | None = None
    description: str | None = None
    image: str | None = None
    criteria_url: str | None = None
    criteria_narrative: str | None = None
    issuer: Issuer = field(default_factory=lambda: Issuer(name="Unknown issuer"))
    issued_on: dt.date | None = None
    expires: dt.date | None = None
    valid_from: dt.date | None = None
    evidence: list[Evidence] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    recipient_kind: str | None = None
    missing: list[str] = field(default_factory=list)
    report: Reporter = field(default_factory=_reporter, repr=False, compare=False)
    endorsements: list[Endorsement] = field(default_factory=list)
    id: str | None = None
    narrative: str | None = None
    achievement_type: str | None = None
    human_code: str | None = None
    field_of_study: str | None = None
    badge_class_url: str | None = None
    issuer_id: str | None = None
    revoked: bool = False
    revocation_reason: str | None = None
    verification_type: str | None = None  # OB 1/2: hosted | signed
    verification_creator: str | None = None  # OB 2 signed key URL
    hosted_url: str | None = None
    issuer_doc: dict[str, Any] | None = None
    badge_class_doc: dict[str, Any] | None = None
    credential_status: list[dict[str, Any]] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    credits_available: str | None = None

    @property
    def problems(self) -> list[str]:
        """The structural problems, in the order found: any makes the badge fail."""
        return [d.message for d in self.report.diagnostics.errors]

    @property
    def warnings(self) -> list[str]:
        return [d.message for d in self.report.diagnostics.warnings]


def _date_field(
    f: Fields, doc: dict[str, Any], key: str, *, strict: bool, at: KeyPath = ()
) -> dt.date | None:
    """The date at ``doc[key]`` (``doc`` is the value at ``at``), or None and a problem."""
    try:
        return parse_date(doc.get(key))
    except DateError:
        msg = f"its '{key}' ({str(doc.get(key))[:40]!r}) is not a date"
        (f.report.error_at if strict else f.report.warning_at)((*at, key), msg)
        return None


def _image(value: Any) -> str | None:
    url = url_of(value)
    if url and len(url) > 2_000_000:
        return None
    return url


def _alignment(obj: Any, spec: Spec) -> Alignment | None:
    if not isinstance(obj, dict):
        return None
    if spec == "ob1" and ("name" in obj or "url" in obj) and "targetName" not in obj:
        name = text(obj.get("name"))
        return Alignment(
            name=name or text(obj.get("url")) or "Unnamed alignment",
            url=text(obj.get("url")),
            description=text(obj.get("description")),
        )
    name = text(obj.get("targetName")) or text(obj.get("name"))
    url = text(obj.get("targetUrl")) or text(obj.get("url"))
    code = text(obj.get("targetCode"))
    if not (name or url or code):
        return None
    return Alignment(
        name=name or code or url or "Unnamed alignment",
        url=url,
        code=code,
        framework=text(obj.get("targetFramework")),
        description=text(obj.get("targetDescription")),
        target_type=text(obj.get("targetType")),
    )


def _evidence(value: Any) -> list[Evidence]:
    out = []
    for item in as_list(value):
        if isinstance(item, str) and item.strip():
            out.append(Evidence(url=item.strip()))
        elif isinstance(item, dict):
            ev = Evidence(
                url=text(item.get("id")) or text(item.get("url")),
                narrative=text(item.get("narrative")),
                name=text(item.get("name")),
                description=text(item.get("description")),
                genre=text(item.get("genre")),
                audience=text(item.get("audience")),
            )
            if any((ev.url, ev.narrative, ev.name, ev.description)):
                out.append(ev)
    return out


def _issuer(doc: dict[str, Any] | None, ref: str | None) -> Issuer:
    if not doc:
        return Issuer(name="Unknown issuer", url=ref if is_web_url(ref) else None, id=ref)
    ident = url_of(doc.get("id")) or ref
    page = text(doc.get("url"))
    if not is_web_url(page):
        page = ident if is_web_url(ident) else None
    org = text(doc.get("org"))
    name = text(doc.get("name")) or org or "Unknown issuer"
    if org and org != name:
        name = f"{name} ({org})"
    email = text(doc.get("email")) or text(doc.get("contact"))
    return Issuer(
        name=name,
        url=page,
        id=ident,
        email=email,
        description=text(doc.get("description")),
        image=_image(doc.get("image")),
    )


def _tags(value: Any) -> list[str]:
    return [t.strip() for t in as_list(value) if isinstance(t, str) and t.strip()]


def _endorsements(value: Any) -> list[Endorsement]:
    out = []
    for item in as_list(value):
        if not isinstance(item, dict):
            continue
        issuer = item.get("issuer")
        name = text(issuer.get("name")) if isinstance(issuer, dict) else url_of(issuer)
        claim = item.get("claim") or item.get("credentialSubject") or {}
        comment = text(claim.get("endorsementComment")) if isinstance(claim, dict) else None
        if name:
            out.append(Endorsement(issuer=name, comment=comment))
    return out


def _criteria(f: Fields, value: Any) -> None:
    """A badge's criteria: a web address, or an object with one and a narrative."""
    if isinstance(value, dict):
        f.criteria_url = text(value.get("id"))
        f.criteria_narrative = text(value.get("narrative"))
    else:
        f.criteria_url = text(value)


def _linked(f: Fields, value: Any, what: str, resolve: Resolve) -> dict[str, Any] | None:
    """The badge class (OB 2) or achievement (OB 3) a credential holds or names by
    URL (``f.badge_class_url``); one named and not resolved is noted as missing."""
    if isinstance(value, dict):
        f.badge_class_url = url_of(value)
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    f.badge_class_url = value.strip()
    found = resolve(f.badge_class_url, what)
    if found is None:
        f.missing.append(f"{what} (only a URL: {f.badge_class_url})")
    return found


def _resolve_issuer(f: Fields, value: Any, resolve: Resolve) -> None:
    if isinstance(value, dict):
        f.issuer_doc = value
        f.issuer_id = url_of(value)
        f.issuer = _issuer(value, f.issuer_id)
        return
    ref = url_of(value)
    f.issuer_id = ref
    if not ref:
        f.report.error_at(("issuer",), "it names no issuer")
        return
    doc = resolve(ref, "issuer")
    if doc is None:
        f.missing.append(f"issuer (only {'a URL' if is_web_url(ref) else 'an identifier'}: {ref})")
    f.issuer_doc = doc
    f.issuer = _issuer(doc, ref)


def normalise_ob2(doc: dict[str, Any], resolve: Resolve, spec: Spec = "ob2") -> Fields:
    """OB 2.0 Assertion, and OB 1.0 / 0.5 assertions (``spec='ob1'``)."""
    f = Fields(spec=spec)
    f.id = url_of(doc.get("id")) or text(doc.get("uid"))
    for key in ("recipient", "badge"):
        if doc.get(key) in (None, "", {}):
            f.report.error_at((key,), f"it has no '{key}'")
    f.issued_on = _date_field(f, doc, "issuedOn", strict=False)
    if f.issued_on is None and "issued_on" in doc:  # 0.5
        f.issued_on = _date_field(f, doc, "issued_on", strict=False)
    f.expires = _date_field(f, doc, "expires", strict=True)
    f.evidence = _evidence(doc.get("evidence"))
    f.narrative = text(doc.get("narrative"))
    if doc.get("revoked") is True:
        f.revoked = True
        f.revocation_reason = text(doc.get("revocationReason"))

    recipient = doc.get("recipient")
    if isinstance(recipient, dict):
        f.recipients = [
            {
                "identity": recipient.get("identity"),
                "hashed": recipient.get("hashed"),
                "salt": recipient.get("salt"),
                "type": recipient.get("type"),
            }
        ]
        kind = text(recipient.get("type")) or "email"
        f.recipient_kind = kind + (" (hashed)" if recipient.get("hashed") else "")
    elif isinstance(recipient, str):  # 0.5: plain e-mail or "sha256$..."
        hashed = "$" in recipient
        f.recipients = [{"identity": recipient, "hashed": hashed, "salt": doc.get("salt")}]
        f.recipient_kind = "email (hashed)" if hashed else "email"

    verification = doc.get("verification") or doc.get("verify")
    if isinstance(verification, dict):
        vtype = (text(verification.get("type")) or "").lower()
        f.verification_type = (
            "signed" if "signed" in vtype else "hosted" if "hosted" in vtype else vtype
        )
        f.verification_creator = text(verification.get("creator"))
        if spec == "ob1":
            f.hosted_url = text(verification.get("url"))
            if f.verification_type == "signed":
                f.verification_creator = text(verification.get("url"))
    if f.hosted_url is None and f.verification_type == "hosted" and is_web_url(f.id):
        f.hosted_url = f.id

    bc = _linked(f, doc.get("badge"), "badge class", resolve)
    f.badge_class_doc = bc
    f.image = _image(doc.get("image"))
    if bc is not None:
        f.name = text(bc.get("name"))
        f.description = text(bc.get("description"))
        f.image = f.image or _image(bc.get("image"))
        _criteria(f, bc.get("criteria"))
        f.alignments = [a for a in (_alignment(x, spec) for x in as_list(bc.get("alignment"))) if a]
        f.tags = _tags(bc.get("tags"))
        f.endorsements = _endorsements(bc.get("endorsement"))
        issuer = bc.get("issuer")
        if spec == "ob1" and isinstance(issuer, dict) and "origin" in issuer:  # 0.5
            f.issuer_doc = issuer
            f.issuer_id = text(issuer.get("origin"))
            f.issuer = _issuer({**issuer, "url": issuer.get("origin")}, f.issuer_id)
        else:
            _resolve_issuer(f, issuer, resolve)
        if not f.name:
            f.report.error_at(("badge", "name"), "its badge class has no name")
    return f


MAX_RESULTS = 50


def _results(results: Any, descriptions: Any) -> list[Result]:
    """Each result with the name of what it assesses and its value or level, in words."""
    described: dict[str, dict[str, Any]] = {}
    for d in as_list(descriptions):
        if isinstance(d, dict) and url_of(d):
            described[url_of(d) or ""] = d
    out: list[Result] = []
    for r in as_list(results)[:MAX_RESULTS]:
        if not isinstance(r, dict):
            continue
        d = described.get(url_of(r.get("resultDescription")) or "", {})
        level = url_of(r.get("achievedLevel"))
        levels = [x for x in as_list(d.get("rubricCriterionLevel")) if isinstance(x, dict)]
        level_name = next((text(x.get("name")) for x in levels if url_of(x) == level), None)
        value = text(r.get("value")) or level_name or text(r.get("status"))
        name = text(d.get("name")) or text(d.get("resultType")) or "Result"
        if value:
            out.append(Result(name=name[:200], value=value[:200]))
    return out


def _subject(doc: dict[str, Any]) -> dict[str, Any]:
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    return subjects[0] if subjects else {}


SUBJECT: KeyPath = ("credentialSubject",)


def normalise_ob3(doc: dict[str, Any], resolve: Resolve) -> Fields:
    """OB 3.0 OpenBadgeCredential / AchievementCredential (VC 1.1 or 2.0)."""
    f = Fields(spec="ob3")
    f.id = url_of(doc.get("id"))
    subject = _subject(doc)
    if not subject:
        f.report.error_at(("credentialSubject",), "it has no 'credentialSubject'")
    if doc.get("issuer") in (None, "", {}):
        f.report.error_at(("issuer",), "it names no issuer")
    else:
        _resolve_issuer(f, doc.get("issuer"), resolve)

    valid_key = "validFrom" if "validFrom" in doc else "issuanceDate"
    f.valid_from = _date_field(f, doc, valid_key, strict=False)
    if valid_key not in doc:
        f.report.warning_at(("validFrom",), "it has no 'validFrom' or 'issuanceDate'")
    until_key = "validUntil" if "validUntil" in doc else "expirationDate"
    f.expires = _date_field(f, doc, until_key, strict=True)
    f.issued_on = _date_field(f, subject, "awardedDate", strict=False, at=SUBJECT) or f.valid_from
    if f.issued_on is None:
        f.issued_on = _date_field(f, doc, "awardedDate", strict=False)

    f.evidence = _evidence(doc.get("evidence"))
    f.narrative = text(subject.get("narrative"))
    f.endorsements = _endorsements(doc.get("endorsement"))
    f.credential_status = [s for s in as_list(doc.get("credentialStatus")) if isinstance(s, dict)]

    identifiers = [i for i in as_list(subject.get("identifier")) if isinstance(i, dict)]
    for ident in identifiers:
        f.recipients.append(
            {
                "identity": ident.get("identityHash"),
                "hashed": ident.get("hashed"),
                "salt": ident.get("salt"),
                "type": ident.get("identityType"),
            }
        )
    subject_id = url_of(subject.get("id"))
    if subject_id:
        f.recipients.append({"identity": subject_id, "hashed": False, "salt": None, "type": "id"})
    if identifiers:
        kind = text(identifiers[0].get("identityType")) or "identifier"
        kind = IDENTITY_TYPES.get(kind, kind)
        f.recipient_kind = kind + (" (hashed)" if identifiers[0].get("hashed") else "")
    elif subject_id:
        f.recipient_kind = "DID" if subject_id.startswith("did:") else "id"

    ach = _linked(f, subject.get("achievement"), "achievement", resolve)
    if ach is None and f.badge_class_url is None and subject:  # (neither given nor named)
        f.report.error_at((*SUBJECT, "achievement"), "its credentialSubject has no 'achievement'")
    f.badge_class_doc = ach
    f.name = text(doc.get("name"))
    f.description = text(doc.get("description"))
    f.image = _image(doc.get("image"))
    if ach is not None:
        f.name = text(ach.get("name")) or f.name
        f.description = text(ach.get("description")) or f.description
        f.image = _image(ach.get("image")) or f.image
        _criteria(f, ach.get("criteria"))
        f.alignments = [
            a for a in (_alignment(x, "ob3") for x in as_list(ach.get("alignment"))) if a
        ]
        f.tags = _tags(ach.get("tag"))
        f.achievement_type = text(ach.get("achievementType"))
        f.human_code = text(ach.get("humanCode"))
        f.field_of_study = text(ach.get("fieldOfStudy"))
        credits = ach.get("creditsAvailable")
        if isinstance(credits, (int, float)) and not isinstance(credits, bool) and credits >= 0:
            f.credits_available = f"{credits:g}"
        f.results = _results(subject.get("result"), ach.get("resultDescription"))
        f.endorsements += _endorsements(ach.get("endorsement"))
        if not f.name:
            f.report.error_at((*SUBJECT, "achievement", "name"), "its achievement has no name")
    return f


def vc_from_jwt_payload(payload: Any) -> tuple[dict[str, Any], list[str]]:
    """The credential in a VC-JWT payload (the ``vc`` claim or the bare credential).

    With a ``vc`` claim (VC 1.1 JWT encoding), registered claims fill in what
    the credential leaves out; a claim that contradicts the credential is
    returned as a problem (the badge then fails).
    """
    if not isinstance(payload, dict):
        return {}, ["the token's content is not a JSON object"]
    if "vc" not in payload:
        return payload, []
    vc = payload["vc"]
    if not isinstance(vc, dict):
        return {}, ["the token's 'vc' claim is not a JSON object"]
    cred = dict(vc)
    problems: list[str] = []

    def stamp(claim: str) -> str | None:
        value = payload.get(claim)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                when = dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
            except (OverflowError, OSError, ValueError):
                return None
            return when.strftime("%Y-%m-%dT%H:%M:%SZ")
        return None

    iss = payload.get("iss")
    if isinstance(iss, str):
        current = cred.get("issuer")
        cur_id = url_of(current)
        if cur_id is None:
            cred["issuer"] = iss if current is None else {**current, "id": iss}
        elif cur_id != iss:
            problems.append(f"the token's issuer ({iss}) differs from the credential's ({cur_id})")
    jti = payload.get("jti")
    if isinstance(jti, str):
        if "id" not in cred:
            cred["id"] = jti
        elif cred["id"] != jti:
            problems.append("the token's id (jti) differs from the credential's id")
    sub = payload.get("sub")
    subject = cred.get("credentialSubject")
    if isinstance(sub, str) and isinstance(subject, dict):
        if "id" not in subject:
            cred["credentialSubject"] = {**subject, "id": sub}
        elif subject["id"] != sub:
            problems.append("the token's subject (sub) differs from the credential's subject")
    nbf, exp = stamp("nbf"), stamp("exp")
    date_keys = (
        ("validFrom", "validUntil") if "validFrom" in cred else ("issuanceDate", "expirationDate")
    )
    if nbf and not any(k in cred for k in ("validFrom", "issuanceDate")):
        cred[date_keys[0]] = nbf
    if exp and not any(k in cred for k in ("validUntil", "expirationDate")):
        cred[date_keys[1]] = exp
    elif exp:
        stated = cred.get("validUntil") or cred.get("expirationDate")
        try:
            if parse_date(stated) != parse_date(exp):
                problems.append("the token's expiry (exp) differs from the credential's")
        except DateError:
            pass
    return cred, problems
