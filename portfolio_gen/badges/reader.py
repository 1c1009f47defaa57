"""read_badge: one badge file in, one Badge plus diagnostics out; never raises."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..diagnostics import WARNING, Diagnostic
from ..kept_patterns import unkept
from ..lazy_dataclass import dataclass
from ..paths import read_at_most
from ..validate import slugify
from . import jose
from .containers import (
    CONTAINERS,
    MAX_FILE_BYTES,
    MAX_PAYLOAD_BYTES,
    NOT_A_BADGE_FILE,
    ContainerError,
    Payload,
    _size,
    classify,
    container_of,
    sniff,
    to_payload_text,
)
from .endorsements import read_endorsements, read_standalone
from .fetch import Fetcher, FetchError, Store
from .files import BADGE_SUFFIXES, SIDECAR_SUFFIXES, is_badge_file  # noqa: F401 - also named here
from .images import issuer_image
from .keys import KeyError_, PublicKey, key_from_pem
from .model import (
    Badge,
    Signed,
    Verification,
    detect_spec,
    is_web_url,
    not_a_badge_reason,
    types_of,
    unreadable,
    url_of,
)
from .normalise import Fields, Resolve, normalise_ob2, normalise_ob3, vc_from_jwt_payload
from .verify import Input, verify

_STATUS_WORDS = {
    "unreadable": "unreadable badge",
    "failed": "badge failed verification",
    "revoked": "badge is revoked",
    "unconfirmed": "signed, but nothing ties the key to the issuer",
}

_FIX = {
    "unconfirmed": (
        " (viewers see it as unconfirmed; to have it verified, ask the issuer for a badge signed"
        " with a key published under its own identifier: a did:key issuer, or its web address"
        " with --online)"
    ),
}


def _where(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)


# Errors that bad input makes the parsers raise (json's and base64's are
# ValueErrors; expat's, zlib's and struct's are their own). Anything else in
# read_badge is a bug in portfolio-gen: the badge is unreadable with BUG in its
# reason, which the fuzz tests look for (tests/test_fuzz.py).
INPUT_ERRORS = (ValueError, OverflowError, RecursionError, OSError, EOFError, zlib.error,
                struct.error, expat.ExpatError)  # fmt: skip
BUG = "portfolio-gen failed reading it, a bug to report with this message"


class _Unreadable(Exception):
    def __init__(self, message: str, line: int | None = None, container: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.container = container


def read_badge(
    path: Path,
    *,
    root: Path,
    identities: Sequence[str] = (),
    online: bool = False,
    cache_dir: Path | None = None,
    today: dt.date | None = None,
    fetch: Fetcher | None = None,
) -> tuple[Badge, list[Diagnostic]]:
    """Read, normalise and verify one badge file. Never raises on bad input.

    ``identities`` are the learner's recipient identities (e-mail addresses,
    URLs, DIDs); they are used only to check hashed recipients and never
    appear in the Badge or in any message. ``online`` allows the network
    (hosted assertions, keys, status lists, contexts), through ``fetch`` if
    given; ``cache_dir`` holds contexts and documents between runs.
    """
    path = Path(path)
    where = _where(path, root)
    diags: list[Diagnostic] = []
    store = Store(cache_dir, online=online, fetch=fetch, today=today)
    try:
        badge, line = _read(path, store, identities, store.today, diags, where)
    except _Unreadable as exc:
        badge, line = unreadable(path.name, _cap(exc.message), container=exc.container), exc.line
    except INPUT_ERRORS as exc:  # what a parser may raise on bytes from anywhere
        badge = unreadable(
            path.name, f"The file could not be read ({type(exc).__name__}: {str(exc)[:120]})."
        )
        line = None
    except Exception as exc:  # noqa: BLE001 - a bug of ours: said as one; the build goes on
        badge = unreadable(path.name, f"{BUG} ({type(exc).__name__}: {str(exc)[:120]}).")
        line = None
    status = badge.verification.status
    if badge.endorses is not None:  # an endorsement file: its own words, never "unreadable badge"
        check = badge.endorses.verification
        if check is not None and check.status in ("failed", "unreadable"):
            reason = check.reason[:1].lower() + check.reason[1:]
            diags.insert(
                0,
                Diagnostic(
                    where, line, WARNING, f"endorsement {status_word(check.status)}: {reason}"
                ),
            )
    elif status in _STATUS_WORDS:
        reason = badge.verification.reason.rstrip(".")
        if reason[:2] and reason[:2] != reason[:2].upper():
            reason = reason[0].lower() + reason[1:]
        message = f"{_STATUS_WORDS[status]}: {reason}" + _FIX.get(status, "")
        diags.insert(0, Diagnostic(where, line, WARNING, message))
    for problem in store.problems:
        diags.append(Diagnostic(where, None, WARNING, problem))
    return _scrub(badge, identities), [_scrub_diag(d, identities) for d in diags]


def status_word(status: str) -> str:
    return "failed verification" if status == "failed" else "not readable"


def _cap(message: str) -> str:
    message = message.strip()
    message = message[0].upper() + message[1:] if message else "The file could not be read"
    return message if message.endswith(".") else message + "."


def _read_bytes(path: Path) -> bytes:
    try:
        data = read_at_most(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise _Unreadable(f"the file cannot be read ({exc.strerror or exc})") from None
    if data is None:
        raise _Unreadable(
            f"the file is too large (over {_size(MAX_FILE_BYTES)}; "
            f"the limit is {_size(MAX_FILE_BYTES)})"
        )
    return data


def _extract(path: Path, data: bytes) -> Payload:
    """The payload of a badge file, by the first container in CONTAINERS that takes it."""
    container, by_suffix = container_of(path.suffix.lower(), data)
    try:
        if container is None:
            raise ContainerError(NOT_A_BADGE_FILE)
        return container.extract(data, path.suffix.lower())
    except ContainerError as exc:
        named = container if by_suffix and container and container.named_when_unreadable else None
        raise _Unreadable(exc.message, exc.line, named.name if named else None) from None


def _read(
    path: Path,
    store: Store,
    identities: Sequence[str],
    today: dt.date,
    diags: list[Diagnostic],
    where: str,
) -> tuple[Badge, int | None]:
    data = _read_bytes(path)
    payload = _extract(path, data)
    for note in payload.notes:
        diags.append(Diagnostic(where, payload.line, WARNING, note))

    decoded = FORMATS[payload.kind](path, payload, store)
    if isinstance(decoded, Badge):  # nothing more can be read (only a URL, offline)
        return decoded, payload.line
    doc, jws, kind, signed = decoded.doc, decoded.jws, decoded.kind, decoded.signed
    jwt_problems = decoded.jwt_problems
    hosted_url = decoded.hosted_url or payload.verify_url
    spec: str | None
    if not isinstance(doc, dict):
        raise _Unreadable(not_a_badge_reason(doc), payload.line, payload.container)
    if "EndorsementCredential" in types_of(doc):
        return _endorsement_file(path, payload, doc, store, today, diags, where), payload.line
    spec = detect_spec(doc)
    if spec is None:
        raise _Unreadable(not_a_badge_reason(doc), payload.line, payload.container)
    if spec == "ob3" and jws is None and "proof" in doc:
        signed = "data-integrity"

    resolve = _resolver(path, store, diags, root_where=where)
    fields: Fields = (
        normalise_ob3(doc, resolve) if spec == "ob3" else normalise_ob2(doc, resolve, spec)
    )
    if hosted_url and not fields.hosted_url and fields.verification_type != "signed":
        fields.hosted_url = hosted_url
    for w in fields.warnings:
        diags.append(Diagnostic(where, payload.line, WARNING, w))
    for missing in fields.missing:
        diags.append(Diagnostic(where, payload.line, WARNING, _missing_words(missing, store)))
    if any(_plain_email(r) for r in fields.recipients):
        diags.append(Diagnostic(where, payload.line, WARNING, PLAIN_EMAIL))

    sidecar_key = _sidecar_key(path, diags, where) if signed == "jws" else None
    verification = verify(
        Input(
            fields=fields,
            kind=kind,
            doc=doc,
            jws=jws,
            store=store,
            identities=identities,
            today=today,
            sidecar_key=sidecar_key,
            jwt_problems=jwt_problems,
        )
    )
    picture = issuer_image(fields.issuer.image, store)
    badge = Badge(
        file=path.name,
        slug=slugify(path.stem),
        spec=spec,
        name=fields.name or path.stem,
        description=fields.description,
        image=fields.image if is_web_url(fields.image) else None,
        criteria_url=fields.criteria_url if is_web_url(fields.criteria_url) else None,
        criteria_narrative=fields.criteria_narrative,
        issuer=fields.issuer,
        issued_on=fields.issued_on,
        expires=fields.expires,
        # Every URL a page may link to is a web address: never javascript: or data:.
        evidence=tuple(_web_only(e) for e in fields.evidence),
        alignments=tuple(_web_only(a) for a in fields.alignments),
        tags=tuple(fields.tags),
        recipient_kind=fields.recipient_kind,
        verification=verification,
        missing=tuple(fields.missing),
        endorsements=read_endorsements(path, doc, fields, store, today, resolve, diags, where),
        id=fields.id,
        narrative=fields.narrative,
        achievement_type=fields.achievement_type,
        human_code=fields.human_code,
        field_of_study=fields.field_of_study,
        results=tuple(fields.results),
        credits_available=fields.credits_available,
        badge_class_url=fields.badge_class_url,
        container=payload.container,
        signed=signed,
        digest=_digest(doc),
        checked=min(store.dates) if store.dates else None,
        issuer_image=picture,
        issuer_image_digest=hashlib.sha256(picture[1]).hexdigest() if picture else None,
    )
    return badge, payload.line


@dataclass(frozen=True)
class _Decoded:
    """A payload made into the credential's JSON, and how it came."""

    doc: Any  # the credential (not checked to be an object yet)
    kind: str  # what verify is told the payload was: "json" (a hosted one too) or "jws"
    jws: jose.Jws | None = None
    signed: Signed | None = None  # "jws" (OB 2.0 signed) or "vc-jwt"
    jwt_problems: list[str] = dataclasses.field(default_factory=list)
    hosted_url: str | None = None  # where a hosted assertion was fetched from


def _from_url(path: Path, payload: Payload, store: Store) -> _Decoded | Badge:
    """Only a web address is baked in: the hosted assertion (OB 1.x / 2.0 hosted)."""
    try:
        doc = _fetch_hosted(payload.text, store, payload)
    except _Offline:
        return _url_only(path, payload)
    except _Revoked:
        gone = "Revoked: the issuer's server says the badge is gone (HTTP 410)."
        return dataclasses.replace(
            _url_only(path, payload), verification=Verification("revoked", gone)
        )
    return _Decoded(doc, "json", hosted_url=payload.text)


def _from_json(path: Path, payload: Payload, store: Store) -> _Decoded | Badge:
    """JSON text: an OB 2.0 assertion or an OB 3.0 credential (with a Data Integrity proof)."""
    return _Decoded(_parse_json(payload), "json")


def _from_jws(path: Path, payload: Payload, store: Store) -> _Decoded | Badge:
    """A compact JWS: an OB 2.0 signed assertion, or an OB 3.0 VC-JWT."""
    try:
        jws = jose.parse(payload.text)
        content = jws.payload_json()
    except jose.JwsError as exc:
        raise _Unreadable(str(exc), payload.line, payload.container) from None
    if not isinstance(content, dict):
        raise _Unreadable(not_a_badge_reason(content), payload.line, payload.container)
    if "vc" in content or detect_spec(content) == "ob3":
        doc, jwt_problems = vc_from_jwt_payload(content)
        return _Decoded(doc, "jws", jws, "vc-jwt", jwt_problems)
    return _Decoded(content, "jws", jws, "jws")


# How each kind of payload (``Payload.kind``, containers.classify) becomes the
# credential's JSON: a new kind is a function like these and one line here.
FORMATS: dict[str, Callable[[Path, Payload, Store], _Decoded | Badge]] = {
    "url": _from_url,
    "json": _from_json,
    "jws": _from_jws,
}


def _missing_words(missing: str, store: Store) -> str:
    """The build's warning for a badge class or issuer given only as a web address."""
    what = missing.split(" (", 1)[0]
    if store.online:
        return f"the {what} could not be fetched, so the page shows only what the badge says: {missing}"
    return (
        f"the {what} is only a web address and no copy has been fetched: {missing}; build "
        f"with --online to fetch it (or save it beside the badge: docs/badges.md, sidecar files)"
    )


def _digest(doc: dict[str, Any]) -> str:
    """The same credential read from any file (PNG, SVG, JSON, JWT) has the same digest."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _endorsement_file(
    path: Path,
    payload: Payload,
    doc: dict[str, Any],
    store: Store,
    today: dt.date,
    diags: list[Diagnostic],
    where: str,
) -> Badge:
    """An OB 3.0 EndorsementCredential in badges/: not a badge, an endorsement (combine.py)."""
    raw: Any = payload.text if payload.kind == "jws" else doc
    resolve = _resolver(path, store, diags, root_where=where)
    endorsement, subject = read_standalone(raw, doc, path.name, store, today, resolve)
    shell = unreadable(path.name, "It is an endorsement, not a badge.", container=payload.container)
    return dataclasses.replace(shell, id=subject, endorses=endorsement)


PLAIN_EMAIL = (
    "this badge shows your e-mail address to anyone who downloads it (its recipient is "
    "not hashed); ask the issuer for a hashed badge or remove it"
)
_EMAIL = re.compile(r"(?:mailto:)?[^@\s:$]+@[^@\s]+\.[^@\s]+", re.IGNORECASE)


def _plain_email(recipient: Mapping[str, Any]) -> bool:
    """True for a recipient given as a readable e-mail address (published with the file)."""
    identity = recipient.get("identity")
    return (
        not recipient.get("hashed")
        and isinstance(identity, str)
        and _EMAIL.fullmatch(identity.strip()) is not None
    )


def _web_only(item: Any) -> Any:
    """``item`` with its ``url`` dropped unless it is an http(s) address."""
    return item if item.url is None or is_web_url(item.url) else dataclasses.replace(item, url=None)


def _parse_json(payload: Payload) -> Any:
    try:
        return json.loads(payload.text)
    except RecursionError:
        raise _Unreadable(
            "the badge data is JSON nested too deeply to read", payload.line, payload.container
        ) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", str(exc))
        file_line = line if payload.container == "json" else payload.line
        at = f" (line {line}, column {getattr(exc, 'colno', '?')})" if line else ""
        raise _Unreadable(
            f"the badge data is not valid JSON: {msg}{at}", file_line, payload.container
        ) from None


def _fetch_hosted(url: str, store: Store, payload: Payload) -> Any:
    try:
        resp = store.live(url)  # offline: the answer the last online run kept, if any
    except FetchError as exc:
        if str(exc) == "offline":
            raise _Offline(url) from None
        raise _Unreadable(
            f"only a web address is baked in, and it could not be fetched ({exc})",
            payload.line,
            payload.container,
        ) from None
    if resp.status == 410:
        raise _Revoked(url)
    if resp.status != 200:
        raise _Unreadable(
            f"only a web address is baked in, and {url} answered HTTP {resp.status}",
            payload.line,
            payload.container,
        )
    try:
        return json.loads(resp.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _Unreadable(
            f"only a web address is baked in, and {url} did not answer with JSON",
            payload.line,
            payload.container,
        ) from None


class _Revoked(_Unreadable):
    pass


class _Offline(_Unreadable):
    pass


def _url_only(path: Path, payload: Payload) -> Badge:
    base = unreadable(path.name, "", container=payload.container)
    return dataclasses.replace(
        base,
        spec="ob1",
        missing=(f"assertion (only a URL: {payload.text})",),
        id=payload.text,
        verification=Verification(
            "unverified",
            "Only a web address is baked into this badge; its details and its verification "
            "need the issuer's server (run with --online).",
        ),
    )


def _resolver(path: Path, store: Store, diags: list[Diagnostic], root_where: str) -> Resolve:
    """resolve(url, what): the sidecar file first, then the cache / network."""
    suffixes = {
        "badge class": (".badgeclass.json",),
        "achievement": (".achievement.json", ".badgeclass.json"),
        "issuer": (".issuer.json",),
    }
    sidecar_dir = root_where.rsplit("/", 1)[0] + "/" if "/" in root_where else ""

    def resolve(url: str, what: str) -> dict[str, Any] | None:
        for suffix in suffixes.get(what, ()):
            side = path.with_name(path.stem + suffix)
            if not side.is_file():
                continue
            shown = sidecar_dir + side.name
            try:
                raw = side.read_bytes()[: MAX_PAYLOAD_BYTES + 1]
                if len(raw) > MAX_PAYLOAD_BYTES:
                    raise ValueError("it is too large")
                doc = json.loads(raw.decode("utf-8"))
            except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
                diags.append(
                    Diagnostic(
                        shown, None, WARNING, f"sidecar file ignored: not readable JSON ({exc})"
                    )
                )
                continue
            if not isinstance(doc, dict):
                diags.append(
                    Diagnostic(shown, None, WARNING, "sidecar file ignored: not a JSON object")
                )
                continue
            ident = url_of(doc.get("id"))
            if ident and ident != url:
                diags.append(
                    Diagnostic(
                        shown,
                        None,
                        WARNING,
                        f"sidecar file ignored: its id ({ident}) is not the {what} the badge "
                        f"names ({url})",
                    )
                )
                continue
            return doc
        if not is_web_url(url):
            return None
        doc, _where = store.get_json(url)
        return doc if isinstance(doc, dict) else None

    return resolve


def _sidecar_key(path: Path, diags: list[Diagnostic], where: str) -> PublicKey | None:
    side = path.with_name(path.stem + ".key.pem")
    if not side.is_file():
        return None
    try:
        return key_from_pem(side.read_bytes()[:MAX_PAYLOAD_BYTES].decode("ascii", "replace"))
    except (OSError, KeyError_) as exc:
        shown = where.rsplit("/", 1)[0] + "/" + side.name if "/" in where else side.name
        diags.append(Diagnostic(shown, None, WARNING, f"key file ignored: {exc}"))
        return None


# ------------------------------------------------------------------- identities


def _scrubber(identities: Sequence[str]) -> Callable[[str], str] | None:
    forms = sorted(
        {i.strip() for i in identities if isinstance(i, str) and len(i.strip()) >= 3},
        key=len,
        reverse=True,
    )
    if not forms:
        return None
    # (never kept between runs: the learner's e-mail addresses stay out of every file)
    pattern = unkept("|".join(re.escape(f) for f in forms), re.IGNORECASE)
    return lambda s: pattern.sub("[recipient]", s)


def _scrub_value(value: Any, sub: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return sub(value)
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, sub) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _scrub_value(getattr(value, f.name), sub) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def _scrub(badge: Badge, identities: Sequence[str]) -> Badge:
    """The learner's identities never appear in a Badge field."""
    sub = _scrubber(identities)
    return badge if sub is None else _scrub_value(badge, sub)


def _scrub_diag(diag: Diagnostic, identities: Sequence[str]) -> Diagnostic:
    sub = _scrubber(identities)
    if sub is None:
        return diag
    return dataclasses.replace(diag, message=sub(diag.message), path=diag.path)


# ------------------------------------------------------------------------ baking


def bake(image: bytes, credential: str | Mapping[str, Any], *, kind: str | None = None) -> bytes:
    """Bake ``credential`` into a PNG or SVG ``image`` and return the new file's bytes.

    ``credential`` is an OB 2.0 assertion or an OB 3.0 credential: a mapping,
    JSON text, a compact JWS / VC-JWT, or (OB 1.x / 2.0 hosted) its URL.
    The version is read from the content: OB 3.0 goes into the
    ``openbadgecredential`` chunk / ``<openbadges:credential>`` element, older
    ones into ``openbadges`` / ``<openbadges:assertion>``. ``kind`` ("png" or
    "svg") is sniffed from the image when omitted. Raises ``ValueError`` with
    a one-sentence message on bad input.
    """
    text = to_payload_text(credential)
    payload_kind = classify(text)
    verify_url: str | None = None
    if payload_kind == "json":
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"the credential is not valid JSON ({exc})") from None
        spec = detect_spec(doc) if isinstance(doc, dict) else None
        if spec is None:
            raise ValueError(not_a_badge_reason(doc))
        ident = url_of(doc.get("id"))
        if spec != "ob3" and is_web_url(ident):
            verify_url = ident
    elif payload_kind == "jws":
        try:
            content = jose.parse(text).payload_json()
        except jose.JwsError as exc:
            raise ValueError(str(exc)) from None
        if not isinstance(content, dict):
            raise ValueError(not_a_badge_reason(content))
        spec = "ob3" if "vc" in content else detect_spec(content)
        if spec is None:
            raise ValueError(not_a_badge_reason(content))
    else:
        spec = "ob1"
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"the credential is too large (the limit is {_size(MAX_PAYLOAD_BYTES)})")
    kind = kind or sniff(image)
    for container in CONTAINERS:
        if container.name == kind and container.bake is not None:
            return container.bake(image, text, spec == "ob3", verify_url)
    raise ValueError("the image is neither a PNG nor an SVG file")
