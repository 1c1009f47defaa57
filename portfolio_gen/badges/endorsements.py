"""Endorsements: third parties vouching for a badge, its badge class or its issuer.

Read from two places (see docs/badges.md, "Endorsements"):

- inside the badge: OB 2.0 ``endorsement`` on the assertion, the BadgeClass
  or the issuer profile (embedded objects, or web addresses fetched with
  ``--online``); OB 3.0 ``endorsement`` (EndorsementCredential objects) and
  ``endorsementJwt`` (VC-JWTs) on the credential, its achievement or its
  issuer;
- beside it: ``badges/<badge name>.endorsement.json`` (or ``.jwt`` / ``.jws``),
  several as ``badges/<badge name>.<anything>.endorsement.json``, where
  ``<badge name>`` is the badge file's name without its extension.

Each endorsement is checked with the same code as badges (verify.py): Data
Integrity proofs and VC-JWTs for OB 3.0, signed JWS and hosted endorsements
for OB 2.0; and it must endorse this badge (its award, its badge class or its
issuer). The status words are the badges' own; the reason never calls an
endorsement verified that was not.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from ..diagnostics import WARNING, Diagnostic
from ..paths import allowed
from . import jose
from .containers import MAX_PAYLOAD_BYTES
from .fetch import Store
from .files import ENDORSEMENT_SUFFIXES
from .model import (
    About,
    DateError,
    Endorsement,
    Issuer,
    Spec,
    Verification,
    as_list,
    contexts_of,
    is_web_url,
    parse_date,
    text,
    types_of,
    url_of,
)
from .normalise import Fields, Resolve, vc_from_jwt_payload
from .verify import (
    Findings,
    Input,
    _check_data_integrity,
    _check_hosted,
    _check_ob2_signed,
    _check_ob3_status,
    _check_vc_jwt,
)

MAX_ENDORSEMENTS = 50  # per badge: more are not read


def is_endorsement_file(path: Path) -> bool:
    return path.name.lower().endswith(ENDORSEMENT_SUFFIXES) and not path.name.startswith(".")


def files_for(badge: Path) -> list[Path]:
    """The endorsement files beside ``badge`` that name it: ``<stem>[.<x>].endorsement.*``."""
    stem = badge.stem.lower()
    try:
        found = sorted(badge.parent.iterdir())
    except OSError:
        return []
    chosen = []
    for path in found:
        if not is_endorsement_file(path) or not allowed(badge.parent.parent, path):
            continue
        base = _without_suffix(path.name).lower()
        if base == stem or base.startswith(stem + "."):
            chosen.append(path)
    return chosen


def _without_suffix(name: str) -> str:
    """``maker.mentor.endorsement.json`` -> ``maker.mentor``."""
    lowered = name.lower()
    for suffix in ENDORSEMENT_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_endorsements(
    badge: Path,
    doc: dict[str, Any],
    fields: Fields,
    store: Store,
    today: dt.date,
    resolve: Resolve,
    diags: list[Diagnostic],
    where: str,
) -> tuple[Endorsement, ...]:
    """Every endorsement of one badge, inside it and beside it, each checked."""
    targets: dict[About, str | None] = {
        "award": fields.id,
        "badge": fields.badge_class_url,
        "issuer": fields.issuer_id,
    }
    found: list[Endorsement] = []
    places: list[tuple[object, About]] = [
        (doc, "award"),
        (fields.badge_class_doc, "badge"),
        (fields.issuer_doc, "issuer"),
    ]
    for holder, about in places:
        if not isinstance(holder, dict):
            continue
        for key in ("endorsement", "endorsementJwt"):
            for raw in as_list(holder.get(key)):
                if len(found) < MAX_ENDORSEMENTS:
                    found.append(_read(raw, None, about, targets, store, today, resolve))
    folder = where.rsplit("/", 1)[0] + "/" if "/" in where else ""
    for path in files_for(badge):
        if len(found) >= MAX_ENDORSEMENTS:
            break
        shown = folder + path.name
        try:
            raw_bytes = path.read_bytes()[: MAX_PAYLOAD_BYTES + 1]
            if len(raw_bytes) > MAX_PAYLOAD_BYTES:
                raise ValueError("it is larger than 2 MiB")
            raw_text = raw_bytes.decode("utf-8").strip()
            given: Any = (
                raw_text if path.suffix.lower() in (".jwt", ".jws") else json.loads(raw_text)
            )
        except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
            diags.append(Diagnostic(shown, None, WARNING, f"endorsement not readable: {exc}"))
            continue
        endorsement = _read(given, path.name, None, targets, store, today, resolve)
        if endorsement.verification and endorsement.verification.status == "unreadable":
            diags.append(
                Diagnostic(
                    shown, None, WARNING, f"endorsement ignored: {endorsement.verification.reason}"
                )
            )
            continue
        if endorsement.verification and endorsement.verification.status == "failed":
            diags.append(
                Diagnostic(
                    shown,
                    None,
                    WARNING,
                    f"endorsement failed verification: {_lower(endorsement.verification.reason)}",
                )
            )
        found.append(endorsement)
    return tuple(found)


def read_standalone(
    raw: Any, doc: dict[str, Any], source: str, store: Store, today: dt.date, resolve: Resolve
) -> tuple[Endorsement, str | None]:
    """An EndorsementCredential file in badges/ under any name: (it, the id it endorses).

    Checked as if it endorsed what it names; combine.py attaches it to the badge
    whose award, achievement or issuer has that id (and says which), or warns.
    """
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = url_of(subjects[0].get("id")) if subjects else None
    targets: dict[About, str | None] = {"badge": subject}
    return _read(raw, source, None, targets, store, today, resolve), subject


def _lower(s: str) -> str:
    return s[:1].lower() + s[1:] if s[1:2] != s[1:2].upper() else s


def _unreadable(reason: str, source: str | None, about: About | None) -> Endorsement:
    return Endorsement(
        issuer="Unknown endorser",
        about=about,
        source=source,
        verification=Verification("unreadable", reason),
    )


def _read(
    raw: Any,
    source: str | None,
    about: About | None,
    targets: dict[About, str | None],
    store: Store,
    today: dt.date,
    resolve: Resolve,
) -> Endorsement:
    jws: jose.Jws | None = None
    jwt_problems: list[str] = []
    if isinstance(raw, str) and raw.count(".") == 2 and not is_web_url(raw):
        try:
            jws = jose.parse(raw)
            content = jws.payload_json()
        except jose.JwsError as exc:
            return _unreadable(_sentence(str(exc)), source, about)
        if not isinstance(content, dict):
            return _unreadable(
                "The signed endorsement's content is not a JSON object.", source, about
            )
        if "vc" in content:
            doc, jwt_problems = vc_from_jwt_payload(content)
        else:
            doc = content
    elif isinstance(raw, str) and is_web_url(raw):
        fetched, why = store.get_json(raw)
        if not isinstance(fetched, dict):
            hint = " (run with --online to fetch it)" if why == "offline" else f" ({why})"
            return Endorsement(
                issuer="Unknown endorser",
                about=about,
                source=source,
                verification=Verification(
                    "unverified", f"Only the endorsement's web address is known: {raw}{hint}."
                ),
            )
        doc = fetched
    elif isinstance(raw, dict):
        doc = raw
    else:
        return _unreadable("The endorsement is not a JSON object or a signed token.", source, about)

    types, contexts = types_of(doc), contexts_of(doc)
    spec: Spec
    if "EndorsementCredential" in types:
        spec = "ob3"
    elif "Endorsement" in types or any("openbadges/v2" in c for c in contexts):
        spec = "ob2"
    else:
        return _unreadable(
            "It is not an Open Badges endorsement (no Endorsement or EndorsementCredential type).",
            source,
            about,
        )
    f = Fields(spec=spec)
    f.id = url_of(doc.get("id"))
    issuer = doc.get("issuer")
    if isinstance(issuer, dict):
        f.issuer_doc, f.issuer_id = issuer, url_of(issuer)
    elif url_of(issuer):
        f.issuer_id = url_of(issuer)
        f.issuer_doc = resolve(f.issuer_id, "issuer") if f.issuer_id else None
    else:
        f.report.error_at(("issuer",), "it names no endorser (issuer)")
    profile = f.issuer_doc or {}
    name = text(profile.get("name")) or f.issuer_id or "Unknown endorser"
    page = text(profile.get("url"))
    if not is_web_url(page):
        page = f.issuer_id if is_web_url(f.issuer_id) else None
    f.issuer = Issuer(name=_NAME, url=page, id=f.issuer_id)  # the name goes in after _words()
    if spec == "ob3":
        subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
        claim = subjects[0] if subjects else {}
        f.valid_from = _date(doc, "validFrom", "issuanceDate", f)
        f.issued_on = f.valid_from
        f.expires = _date(doc, "validUntil", "expirationDate", f)
        f.credential_status = [
            s for s in as_list(doc.get("credentialStatus")) if isinstance(s, dict)
        ]
    else:
        given = doc.get("claim")
        claim = given if isinstance(given, dict) else {}
        f.issued_on = _date(doc, "issuedOn", "issuedOn", f)
        f.expires = _date(doc, "expires", "expires", f)
        verification = doc.get("verification") or doc.get("verify")
        if isinstance(verification, dict):
            vtype = (text(verification.get("type")) or "").lower()
            f.verification_type = "signed" if "signed" in vtype else "hosted"
            f.verification_creator = text(verification.get("creator"))
        if jws is None and is_web_url(f.id):
            f.hosted_url = f.id
    subject = url_of(claim.get("id")) if isinstance(claim, dict) else None
    comment = text(claim.get("endorsementComment")) if isinstance(claim, dict) else None
    endorsed = next((k for k, target in targets.items() if subject and target == subject), None)
    if endorsed is None and about is not None and (subject is None or targets.get(about) is None):
        endorsed = about  # inside the badge, on a part whose id is not known: it endorses that
    verification = _verify(
        f, doc, jws, jwt_problems, store, today, subject, endorsed, source is not None
    )
    verification = Verification(verification.status, verification.reason.replace(_NAME, name))
    return Endorsement(
        issuer=name,
        comment=comment,
        issuer_url=page,
        issued_on=f.issued_on,
        about=endorsed or about,
        spec=spec,
        source=source,
        verification=verification,
    )


def _date(doc: dict[str, Any], key: str, other: str, f: Fields) -> dt.date | None:
    value = doc.get(key) if key in doc else doc.get(other)
    try:
        return parse_date(value)
    except DateError:
        f.report.error_at((key,), f"its date ({str(value)[:40]!r}) is not a date")
        return None


def _verify(
    f: Fields,
    doc: dict[str, Any],
    jws: jose.Jws | None,
    jwt_problems: list[str],
    store: Store,
    today: dt.date,
    subject: str | None,
    endorsed: About | None,
    from_file: bool,
) -> Verification:
    if f.problems:
        return Verification("failed", _sentence(f"the endorsement is malformed: {f.problems[0]}"))
    if subject is not None and endorsed is None:
        return Verification("failed", _sentence(f"it endorses {subject}, which is not this badge"))
    if subject is None and from_file:
        return Verification(
            "failed", "It does not say what it endorses (no claim or credentialSubject id)."
        )
    ev = Findings()
    inp = Input(
        fields=f,
        kind="jws" if jws is not None else "json",
        doc=doc,
        jws=jws,
        store=store,
        identities=(),
        today=today,
        jwt_problems=jwt_problems,
    )
    if f.spec == "ob3":
        if jws is not None:
            _check_vc_jwt(inp, ev)
        else:
            _check_data_integrity(inp, ev)
        if not ev.failures:
            _check_ob3_status(inp, ev)  # offline: what the last online run kept
    elif jws is not None:
        _check_ob2_signed(inp, ev)
    else:
        _check_hosted(inp, ev)
    if ev.failures:
        return Verification("failed", _words(ev.failures[0]))
    if ev.revoked:
        return Verification("revoked", _words(f"Revoked: {ev.revoked}"))
    if f.expires is not None and f.expires < today:
        return Verification("expired", f"Expired on {f.expires.isoformat()}.")
    if f.valid_from is not None and f.valid_from > today:
        return Verification("unverified", f"Not valid until {f.valid_from.isoformat()}.")
    if ev.signature in ("valid", "hosted-ok"):
        return Verification("verified" if ev.bound else "unconfirmed", _words(ev.key_note))
    return Verification("unverified", _words(ev.signature_reason or "Nothing could be checked."))


_WORDS = {
    "badge": "endorsement",
    "Badge": "Endorsement",
    "issuer": "endorser",
    "Issuer": "Endorser",
}
_NAME = "\x00endorser-name\x00"  # stands for the endorser's name while messages are reworded


def _words(message: str) -> str:
    """A badge check's message, said of an endorsement (addresses are left as they are)."""
    parts = re.split(r"(\s+)", message)
    for i, part in enumerate(parts):
        if "/" not in part and ":" not in part:
            parts[i] = re.sub(
                r"\b(badge|Badge|issuer|Issuer)\b", lambda m: _WORDS[m.group(1)], part
            )
    return _sentence("".join(parts))


def _sentence(s: str) -> str:
    s = s.strip()
    if not s:
        return s
    s = s[0].upper() + s[1:]
    return s if s.endswith((".", "!", "?")) else s + "."
