"""Verification: from what was read to one honest :class:`Verification`.

Statuses, strongest first: unreadable (decided by the reader), failed,
revoked, expired, verified, unconfirmed, unverified. A valid signature only
proves the badge is unchanged since a key signed it; :func:`bind_issuer` then
decides whether that key is the issuer's: "verified" when the key is the
issuer's own ``did:key`` / ``did:jwk`` or was found at the issuer's own
identifier (or, online, the issuer's server confirms a hosted badge),
"unconfirmed" when nothing ties the key to the issuer, "failed" when a
``did:key`` / ``did:jwk`` issuer's one key is not the key that signed.

"Found at the issuer's own identifier" means: the issuer's own profile or DID
document (:func:`issuer_profile`, fetched from its ``id`` by this computer,
online or sealed in the cache) publishes the key (:func:`published_keys`), and
a web issuer's profile does not give another name than the badge. Hosted
assertions and status lists come from :meth:`Store.live`: online, or the
answer the last online run kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.parse
import zlib
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import Any

from ..lazy_dataclass import dataclass
from . import integrity, jose, model
from .fetch import FetchError, Store
from .keys import (
    KeyError_,
    PublicKey,
    b64url_decode,
    did_of,
    key_from_did,
    key_from_jwk,
    key_from_multikey,
    key_from_pem,
    multibase_decode,
    same_key,
)
from .model import Status, Verification, as_list, is_web_url, text, url_of
from .normalise import Fields

MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024  # decompressed bitstring


# ------------------------------------------------------------------- recipient


def hash_identity(identity: str, salt: str | None, alg: str = "sha256") -> str:
    """``<alg>$<hex>`` of identity + salt, as OB 2.0 / 3.0 hash recipients."""
    h = hashlib.new(alg)
    h.update((identity + (salt or "")).encode("utf-8"))
    return f"{alg}${h.hexdigest()}"


def _candidates(identities: Sequence[str]) -> list[str]:
    out: list[str] = []
    for ident in identities:
        for form in (ident.strip(), ident.strip().lower()):
            if form and form not in out:
                out.append(form)
    return out


def _kind(identity: str) -> str:
    value = identity.strip().lower()
    if value.startswith("did:"):
        return "did"
    if value.startswith(("http://", "https://")):
        return "url"
    return "other"


def _is_hashed(recipient: dict[str, Any]) -> bool:
    alg, sep, _ = str(recipient.get("identity", "")).partition("$")
    return bool(sep) and alg.lower() in ("sha256", "md5")


def check_recipient(
    recipients: list[dict[str, Any]], identities: Sequence[str]
) -> model.RecipientCheck:
    """'match', 'mismatch', 'unchecked' (no identities given) or 'none' (badge names nobody)."""
    stated = [r for r in recipients if isinstance(r.get("identity"), str) and r["identity"]]
    if not stated:
        return "none"
    cands = _candidates(identities)
    if not cands:
        return "unchecked"
    # A plain DID or web address can only be compared with an identity of the same kind:
    # a learner who listed only e-mail addresses has not said what their DID is.
    kinds = {_kind(c) for c in cands}
    stated = [r for r in stated if _is_hashed(r) or _kind(r["identity"]) in kinds]
    if not stated:
        return "unchecked"
    for r in stated:
        value = r["identity"].strip()
        salt = r.get("salt") if isinstance(r.get("salt"), str) else ""
        alg, sep, digest = value.partition("$")
        if sep and alg.lower() in ("sha256", "md5"):
            for c in cands:
                if hash_identity(c, salt, alg.lower()).split("$", 1)[1] == digest.lower():
                    return "match"
            continue
        plain = value.lower()
        for c in cands:
            if plain in (c.lower(), "mailto:" + c.lower()):
                return "match"
    return "mismatch"


# --------------------------------------------------------------------- keys


@dataclass
class KeyInfo:
    key: PublicKey
    ref: str  # what named the key (kid, verificationMethod, creator URL, "embedded JWK")
    source: str  # "embedded" | "did" | "cache" | "placed" | "network" | "sidecar"


def resolve_key(ref: str, store: Store, *, jwk_kid: str | None = None) -> KeyInfo:
    """A key from a DID URL or web address: did:key/did:jwk locally, others via cache/network."""
    if ref.startswith(("did:key:", "did:jwk:")):
        return KeyInfo(key_from_did(ref), ref, "did")
    if ref.startswith("did:web:"):
        url = did_web_url(did_of(ref))
        doc, where = store.get_json(url)
        if doc is None:
            raise KeyError_(_unavailable(ref, where))
        return KeyInfo(_key_in_did_doc(doc, ref), ref, where)
    if is_web_url(ref):
        doc, where = store.get_json(ref.split("#", 1)[0])
        if doc is None:
            text_doc, where2 = store.get_text(ref.split("#", 1)[0])
            if text_doc and "BEGIN PUBLIC KEY" in text_doc:
                return KeyInfo(key_from_pem(text_doc), ref, where2)
            raise KeyError_(_unavailable(ref, where))
        return KeyInfo(_key_in_doc(doc, ref), ref, where)
    if ref.startswith("did:"):
        raise KeyError_(f"the key {ref} uses a DID method that cannot be resolved here")
    raise KeyError_(f"the key reference {ref!r} is not a DID or web address")


def _unavailable(ref: str, where: str) -> str:
    if where == "offline":
        return f"the key {ref} is not available offline (run with --online to fetch it)"
    return f"the key {ref} could not be fetched ({where})"


def did_web_url(did: str) -> str:
    parts = did[len("did:web:") :].split(":")
    host = urllib.parse.unquote(parts[0])
    path = "/".join(urllib.parse.unquote(p) for p in parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def _key_in_did_doc(doc: Any, ref: str) -> PublicKey:
    if not isinstance(doc, dict):
        raise KeyError_("the DID document is not a JSON object")
    did = did_of(ref)
    frag = ref.split("#", 1)[1] if "#" in ref else None
    methods = [m for m in as_list(doc.get("verificationMethod")) if isinstance(m, dict)]
    for m in methods:
        mid = str(m.get("id", ""))
        if mid == ref or (frag and mid in ("#" + frag, f"{did}#{frag}")) or (not frag):
            return _key_in_doc(m, ref)
    raise KeyError_(f"the DID document has no key {ref}")


def _key_in_doc(doc: Any, ref: str) -> PublicKey:
    if not isinstance(doc, dict):
        raise KeyError_(f"the key document for {ref} is not a JSON object")
    if isinstance(doc.get("keys"), list):  # JWKS
        kid = ref.split("#", 1)[1] if "#" in ref else None
        keys = [k for k in doc["keys"] if isinstance(k, dict)]
        chosen = [k for k in keys if kid and k.get("kid") == kid] or keys[:1]
        if not chosen:
            raise KeyError_(f"the key set at {ref} is empty")
        return key_from_jwk(chosen[0])
    frag = "#" + ref.split("#", 1)[1] if "#" in ref else None
    for entry in as_list(doc.get("verificationMethod")) + as_list(doc.get("publicKey")):
        if isinstance(entry, dict) and url_of(entry) in (ref, frag) and entry is not doc:
            return _key_in_doc(entry, ref)  # a profile or DID document listing its keys
    if isinstance(doc.get("publicKeyJwk"), dict):
        return key_from_jwk(doc["publicKeyJwk"])
    if isinstance(doc.get("publicKeyMultibase"), str):
        return key_from_multikey(doc["publicKeyMultibase"])
    if isinstance(doc.get("publicKeyPem"), str):
        return key_from_pem(doc["publicKeyPem"])
    if "kty" in doc:
        return key_from_jwk(doc)
    raise KeyError_(f"the document at {ref} holds no public key")


# --------------------------------------------------------------- verification


@dataclass
class Findings:
    """The facts gathered for one badge; compose() turns them into a Verification."""

    signature: model.Signature = "none"
    signature_reason: str = ""
    key_note: str = ""  # who signed, in words
    bound: bool = False  # the signing key (or hosted badge) was found at the issuer's identifier
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    revoked: str | None = None
    suspended: bool = False  # a status list's "suspension" bit: shown as revoked, said so
    recipient: model.RecipientCheck = "none"


@dataclass
class Input:
    fields: Fields
    kind: str  # json | jws | url
    doc: dict[str, Any] | None
    jws: jose.Jws | None
    store: Store
    identities: Sequence[str]
    today: dt.date
    sidecar_key: PublicKey | None = None
    jwt_problems: list[str] = field(default_factory=list)


def verify(inp: Input) -> Verification:
    f = inp.fields
    ev = Findings()
    ev.failures.extend(f"the badge is malformed: {p}" for p in f.problems)
    for method in METHODS:  # the first that applies checks the signature or the host
        if method.applies(inp):
            method.check(inp, ev)
            break
    if f.spec == "ob3" and not ev.failures:
        _check_ob3_status(inp, ev)  # offline: what the last online run kept
    if f.revoked and ev.revoked is None:
        ev.revoked = "the badge itself says it was revoked" + (
            f" ({f.revocation_reason})" if f.revocation_reason else ""
        )
    ev.recipient = check_recipient(f.recipients, inp.identities)
    if ev.recipient == "mismatch":
        ev.failures.append(
            "it was awarded to someone else: its recipient does not match the learner's identities"
        )
    return compose(inp, ev)


@dataclass(frozen=True)
class Method:
    """One way a badge proves itself: when it applies, and the check that fills ``Findings``."""

    name: str
    applies: Callable[[Input], bool]
    check: Callable[[Input, Findings], None]


def _ob3(inp: Input) -> bool:
    return inp.fields.spec == "ob3"


def compose(inp: Input, ev: Findings) -> Verification:
    f = inp.fields
    if ev.failures:
        return Verification("failed", _sentence(ev.failures[0]))
    if ev.revoked:
        label = "Suspended (for now; the issuer may lift it)" if ev.suspended else "Revoked"
        return Verification("revoked", _sentence(f"{label}: {ev.revoked}"))
    if f.expires is not None and f.expires < inp.today:
        extra = " (its signature is valid)" if ev.signature == "valid" else ""
        return Verification("expired", f"Expired on {f.expires.isoformat()}{extra}.")
    recipient = {
        "match": "It was awarded to this learner (the recipient matches).",
        "unchecked": "The recipient was not checked (no learner identity was given).",
        "none": "The badge does not name its recipient.",
    }[ev.recipient]
    if f.valid_from is not None and f.valid_from > inp.today:
        return Verification(
            "unverified", f"The badge is not valid until {f.valid_from.isoformat()}."
        )
    if ev.signature in ("valid", "hosted-ok"):
        status: Status = "verified" if ev.bound else "unconfirmed"
        return Verification(status, f"{ev.key_note} {recipient}".strip())
    reason = ev.signature_reason or "Nothing could be checked."
    notes = " ".join(_sentence(n) for n in ev.notes)
    return Verification("unverified", " ".join(x for x in (_sentence(reason), notes) if x))


def _sentence(s: str) -> str:
    s = s.strip()
    if not s:
        return s
    s = s[0].upper() + s[1:]
    return s if s.endswith((".", "!", "?")) else s + "."


def _short(ref: str) -> str:
    did = did_of(ref)
    if len(did) > 40:
        return did[:24] + "…" + did[-6:]
    return did


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def bind_issuer(inp: Input, info: KeyInfo, ev: Findings) -> None:
    """After a valid signature: is the key that made it the issuer's? (the issuer binding)

    Bound (verified) only when the key IS the issuer's identifier (a ``did:key`` /
    ``did:jwk`` issuer whose key verified), or was fetched from the issuer's own
    identifier (the same ``did:web`` DID, or a web address on the issuer's own
    origin). A ``did:key`` / ``did:jwk`` issuer whose key did NOT sign fails: such an
    issuer has exactly one key, so someone else signed in its name. Anything else is
    intact but unconfirmed.
    """
    issuer_id = inp.fields.issuer_id or ""
    name = inp.fields.issuer.name
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        try:
            own = key_from_did(issuer_id)
        except KeyError_ as exc:
            ev.key_note = (
                f"The badge is unchanged since it was signed, but its issuer's identifier "
                f"is not a usable key ({exc}), so nothing ties the signature to {name}."
            )
            return
        if same_key(own, info.key):
            ev.bound = True
            ev.key_note = (
                f"Signature checked offline: the badge is unchanged since it was signed with "
                f"the issuer's own key ({_short(issuer_id)}, its identifier); nothing offline "
                f"shows that this key belongs to {name}."
            )
            return
        ev.failures.append(
            f"the signature is intact but was made with {_which(info)}, not with the key of "
            f"the issuer it names ({_short(issuer_id)}): someone else signed in the issuer's name"
        )
        return
    fetched = info.source in ("network", "cache")
    key_did = did_of(info.ref)
    profile, where = issuer_profile(inp.store, issuer_id)
    published = profile is not None and any(
        same_key(k, info.key) for k in published_keys(inp.store, issuer_id, profile)
    )
    claimed = text((inp.fields.issuer_doc or {}).get("name"))  # the name the badge gives
    renamed = _renamed(profile, claimed) if is_web_url(issuer_id) else None  # not DID documents
    if (published or fetched) and renamed:
        ev.key_note = (
            f"The badge is unchanged since it was signed with {_which(info)}, but it names "
            f"its issuer {name}, while the profile at the issuer's address "
            f"({_short(issuer_id)}) names it {renamed}: nothing ties the badge to {name}."
        )
        return
    if published:
        ev.bound = True
        shown = _short(info.ref) if info.source != "embedded" else "in its header"
        ev.key_note = (
            f"Signature checked with the key {shown}, which the issuer publishes at its "
            f"own address ({_short(issuer_id)})" + _from_cache(inp.store, where) + "."
        )
        return
    if fetched and issuer_id.startswith("did:web:") and key_did == issuer_id:
        ev.bound = True
    elif fetched and inp.fields.spec == "ob3" and is_web_url(issuer_id) and is_web_url(info.ref):
        # OB 3.0: a key address on the issuer's own web origin. (OB 2.0 wants more: the
        # issuer's profile must list the key, above.)
        ev.bound = _origin(info.ref) == _origin(issuer_id)
    if ev.bound:
        ev.key_note = (
            f"Signature checked with the key {_short(info.ref)}, "
            f"published by the issuer's own address" + _from_cache(inp.store, info.source) + "."
        )
        return
    if profile is not None:
        why = "the issuer's own profile does not list it"
    elif where == "offline":
        why = "the issuer's profile is not available offline (build with --online to check it)"
    else:
        why = "it is not the issuer's own identifier and was not found at the issuer's address"
    ev.key_note = (
        f"The badge is unchanged since it was signed with {_which(info)}, "
        f"but nothing ties that key to {name}: {why}."
    )


def _renamed(profile: dict[str, Any] | None, name: str | None) -> str | None:
    """The issuer's own profile's name when it is not the one the badge gives."""
    own = text(profile.get("name")) if profile else None
    if own and name and " ".join(own.split()).casefold() != " ".join(name.split()).casefold():
        return own
    return None


def _from_cache(store: Store, where: str) -> str:
    """How old a result from the cache is: " (from the local cache, fetched on D)"."""
    when = min(store.dates) if store.dates else None
    if where != "cache" or (when is not None and when >= store.today):
        return ""  # fetched by this run
    return " (from the local cache" + (f", fetched on {when.isoformat()})" if when else ")")


def issuer_profile(store: Store, issuer_id: str) -> tuple[dict[str, Any] | None, str]:
    """The issuer's own profile or DID document, fetched from its own identifier by
    this computer (online, or sealed in the cache), with where it came from; else
    (None, why not). A document whose ``id`` is not the issuer's is not its profile."""
    if issuer_id.startswith("did:web:"):
        url = did_web_url(did_of(issuer_id))
    elif issuer_id.startswith("https://"):
        url = issuer_id.split("#", 1)[0]
    else:
        return None, "no profile address"
    doc, where = store.get_json(url)
    if not isinstance(doc, dict):
        return None, where if doc is None else "not a profile"
    if where not in ("network", "cache") or url_of(doc.get("id")) != issuer_id:
        return None, where
    return doc, where


def published_keys(store: Store, issuer_id: str, profile: dict[str, Any]) -> list[PublicKey]:
    """Every key the issuer's own profile publishes: its ``verificationMethod``,
    ``assertionMethod``, ``publicKeyJwk`` / ``publicKeyMultibase``, a key set it names
    (``jwks_uri`` / ``jwks``), and OB 2.0 ``publicKey`` entries. A key given by address
    counts only when fetched by this computer from the issuer's own origin, and an OB 2.0
    key document whose ``owner`` is someone else does not count."""
    origin = _origin(issuer_id) if is_web_url(issuer_id) else None
    found: list[PublicKey] = []
    docs: list[Any] = [profile]
    for prop in ("verificationMethod", "assertionMethod", "publicKey", "jwks_uri", "jwks"):
        for entry in as_list(profile.get(prop)):
            if isinstance(entry, str) and is_web_url(entry) and _origin(entry) == origin:
                doc, where = store.get_json(entry.split("#", 1)[0])
                if where not in ("network", "cache") or not isinstance(doc, dict):
                    continue
                owner = url_of(doc.get("owner")) or url_of(doc.get("controller"))
                if owner is None or owner == issuer_id:
                    docs.append(doc)
            elif isinstance(entry, dict):
                docs.append(entry)
    for doc in docs:
        entries = [k for k in as_list(doc.get("keys")) if isinstance(k, dict)] or [doc]
        for entry in entries:
            try:
                found.append(_key_in_doc(entry, url_of(entry) or issuer_id))
            except (KeyError_, ValueError, TypeError):
                continue
    return found


def _which(info: KeyInfo) -> str:
    return {
        "embedded": "a key carried inside the file itself (which anyone can make)",
        "sidecar": "the key file beside the badge (which the portfolio supplies)",
        "issuer": "a key in the issuer profile carried inside the file",
        "placed": "a key put in the badge cache by hand, not fetched by this computer",
    }.get(info.source, f"the key {_short(info.ref)}")


def _check_vc_jwt(inp: Input, ev: Findings) -> None:
    jws = inp.jws
    assert jws is not None
    refused = jose.refuse_alg(jws.alg)
    if refused:
        ev.failures.append(refused)
        return
    header = jws.header
    info: KeyInfo | None = None
    try:
        kid: str = header["kid"] if isinstance(header.get("kid"), str) else ""
        if kid.startswith(("did:key:", "did:jwk:")):  # names its key: preferred to a jwk
            info = resolve_key(kid, inp.store)
        elif isinstance(header.get("jwk"), dict):
            info = KeyInfo(key_from_jwk(header["jwk"]), "embedded JWK", "embedded")
        elif kid.startswith("did:") or is_web_url(kid):
            info = resolve_key(kid, inp.store)
        elif inp.fields.issuer_id and inp.fields.issuer_id.startswith(("did:key:", "did:jwk:")):
            info = resolve_key(inp.fields.issuer_id, inp.store)
        elif (found := _signed_by_published(inp, jws)) is not None:
            info = found  # no kid, or a bare one ("key-1"): a key the issuer publishes
        elif kid:
            hint = "" if inp.store.online else " (run with --online to fetch the issuer's keys)"
            raise KeyError_(f"the key {kid!r} was not found at the issuer's address{hint}")
        else:
            ev.signature = "unavailable"
            ev.signature_reason = "the token does not say which key signed it (no kid or jwk)"
            return
    except KeyError_ as exc:
        if "not readable" in str(exc) or "wrong length" in str(exc):
            ev.failures.append(str(exc))
        else:
            ev.signature = "unavailable"
            ev.signature_reason = f"the signature could not be checked: {exc}"
        return
    problem = jose.check_signature(jws, info.key)
    if problem:
        ev.failures.append(problem)
        return
    if inp.jwt_problems:
        ev.failures.append(inp.jwt_problems[0])
        return
    ev.signature = "valid"
    bind_issuer(inp, info, ev)


def _signed_by_published(inp: Input, jws: jose.Jws) -> KeyInfo | None:
    """A token naming no key: the key among the issuer's published ones that made it."""
    issuer_id = inp.fields.issuer_id or ""
    profile, where = issuer_profile(inp.store, issuer_id)
    for key in published_keys(inp.store, issuer_id, profile) if profile else []:
        if not jose.check_signature(jws, key):
            return KeyInfo(key, issuer_id, where)
    return None


def _check_data_integrity(inp: Input, ev: Findings) -> None:
    doc = inp.doc
    assert doc is not None
    if not integrity.has_proof(doc):
        ev.signature = "none"
        ev.signature_reason = (
            "the credential is not signed (it has no proof), so it cannot be checked"
        )
        return
    infos: dict[str, KeyInfo] = {}

    def resolver(ref: str) -> PublicKey:
        info = resolve_key(ref, inp.store)
        infos[ref] = info
        return info.key

    result = integrity.verify(doc, inp.store, resolver)
    if result.status == "invalid":
        ev.failures.append(result.reason)
    elif result.status in ("unavailable", "none"):
        ev.signature = "unavailable"
        ev.signature_reason = f"the signature could not be checked: {result.reason}"
    else:
        ev.signature = "valid"
        info = infos.get(result.key or "")
        if info is None:  # integrity.verify reported a key it did not resolve: never bound
            ev.key_note = "The signature is intact, but the key that made it is not known."
        else:
            bind_issuer(inp, info, ev)


def _check_ob2_signed(inp: Input, ev: Findings) -> None:
    jws = inp.jws
    assert jws is not None
    refused = jose.refuse_alg(jws.alg)
    if refused:
        ev.failures.append(refused)
        return
    f = inp.fields
    info: KeyInfo | None = None
    problem_fetch = ""
    if inp.sidecar_key is not None:
        info = KeyInfo(inp.sidecar_key, "the key file beside the badge", "sidecar")
    else:
        refs = [r for r in (f.verification_creator,) if r]
        pk = (f.issuer_doc or {}).get("publicKey")
        for item in as_list(pk):
            if isinstance(item, dict) and isinstance(item.get("publicKeyPem"), str):
                try:
                    info = KeyInfo(key_from_pem(item["publicKeyPem"]), url_of(item) or "", "issuer")
                except KeyError_ as exc:
                    ev.failures.append(str(exc))
                    return
                break
            ref = url_of(item)
            if ref and ref not in refs:
                refs.append(ref)
        if info is None:
            for ref in refs:
                try:
                    info = resolve_key(ref, inp.store)
                    break
                except KeyError_ as exc:
                    problem_fetch = str(exc)
    if info is None:
        ev.signature = "unavailable"
        ev.signature_reason = (
            "this is a signed badge, but the issuer's public key is not available"
            + (f" ({problem_fetch})" if problem_fetch else "")
            + "; run with --online, or put the key beside the badge as <name>.key.pem"
        )
        return
    problem = jose.check_signature(jws, info.key)
    if problem:
        ev.failures.append(problem)
        return
    ev.signature = "valid"
    bind_issuer(inp, info, ev)
    _check_revocation_list(inp, ev)


def _check_revocation_list(inp: Input, ev: Findings) -> None:
    f = inp.fields
    rl = url_of((f.issuer_doc or {}).get("revocationList"))
    if not rl:
        return
    try:
        resp = inp.store.live(rl)
        doc = json.loads(resp.body.decode("utf-8")) if resp.status == 200 else None
    except FetchError as exc:
        if str(exc) == "offline":
            return  # never fetched: nothing to say offline
        doc = None
    except (ValueError, UnicodeDecodeError, RecursionError):
        doc = None
    if not isinstance(doc, dict):
        ev.notes.append("the issuer's revocation list could not be read")
        return
    for item in as_list(doc.get("revokedAssertions")):
        ident = url_of(item) if isinstance(item, dict) else item
        if ident and ident in (f.id,):
            reason = text(item.get("revocationReason")) if isinstance(item, dict) else None
            ev.revoked = "the issuer's revocation list includes it" + (
                f" ({reason})" if reason else ""
            )


def _check_hosted(inp: Input, ev: Findings) -> None:
    f = inp.fields
    url = f.hosted_url
    if not url:
        ev.signature = "none"
        ev.signature_reason = (
            "the badge names no way to verify it (no hosted address and no signature)"
        )
        return
    try:
        resp = inp.store.live(url)  # offline: the answer the last online run kept
    except FetchError as exc:
        ev.signature = "unavailable"
        ev.signature_reason = (
            "this hosted badge can only be checked on the issuer's server "
            "(run with --online to check it)"
            if str(exc) == "offline"
            else f"the issuer's server could not be reached ({exc})"
        )
        return
    if resp.status == 410:
        ev.revoked = "the issuer's server says the badge is gone (HTTP 410)"
        return
    if resp.status != 200:
        ev.signature = "unavailable"
        ev.signature_reason = f"the issuer's server answered HTTP {resp.status} for {url}"
        return
    try:
        hosted = json.loads(resp.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        ev.failures.append(f"the issuer's server did not answer with a badge at {url}")
        return
    if not isinstance(hosted, dict):
        ev.failures.append(f"the issuer's server did not answer with a badge at {url}")
        return
    if hosted.get("revoked") is True:
        reason = text(hosted.get("revocationReason"))
        ev.revoked = "the issuer's server marks it revoked" + (f" ({reason})" if reason else "")
        return
    baked = inp.doc
    if baked is not None:
        for key in ("recipient", "badge", "issuedOn"):
            if key in baked and json.dumps(hosted.get(key), sort_keys=True) != json.dumps(
                baked.get(key), sort_keys=True
            ):
                ev.failures.append(
                    f"the badge in the file differs from the one on the issuer's server ({key})"
                )
                return
    hosted_id = url_of(hosted.get("id")) or text(hosted.get("uid"))
    if f.spec == "ob2" and hosted_id and hosted_id != url:
        ev.failures.append("the issuer's server holds a different badge at that address")
        return
    if f.spec == "ob2" and not _origin_allowed(resp.url, f):  # where it came from, redirected
        ev.failures.append(
            f"the badge is hosted at {urllib.parse.urlsplit(resp.url).netloc}, "
            "which its issuer does not allow"
        )
        return
    ev.signature = "hosted-ok"
    ev.bound = True  # the issuer's server (on an origin the issuer allows) confirms it
    when = inp.store.fetched_on(url, "responses")
    online = "Checked online" if when == inp.store.today else f"Checked online on {when}"
    ev.key_note = (
        f"{online}: the issuer's server ({urllib.parse.urlsplit(url).netloc}) confirms this badge."
    )
    _check_revocation_list(inp, ev)


def _origin_allowed(url: str, f: Fields) -> bool:
    host = urllib.parse.urlsplit(url).netloc.lower()
    issuer = f.issuer_doc or {}
    verification = issuer.get("verification")
    if isinstance(verification, dict):
        allowed = [
            a.lower() for a in as_list(verification.get("allowedOrigins")) if isinstance(a, str)
        ]
        starts = [s for s in as_list(verification.get("startsWith")) if isinstance(s, str)]
        if allowed or starts:
            return host in allowed or any(url.startswith(s) for s in starts)
    ident = f.issuer_id or ""
    if not is_web_url(ident):
        return True  # nothing to compare against
    return urllib.parse.urlsplit(ident).netloc.lower() == host


def _check_ob3_status(inp: Input, ev: Findings) -> None:
    for status in inp.fields.credential_status:
        stype = text(status.get("type")) or ""
        try:
            if stype == "1EdTechRevocationList":
                _check_1edtech_list(inp, status, ev)
            elif stype in ("BitstringStatusListEntry", "StatusList2021Entry"):
                _check_bitstring(status, inp.store, ev)
            else:
                ev.notes.append(f"its status ({stype or 'unknown type'}) cannot be checked here")
        except FetchError as exc:
            if str(exc) != "offline":  # offline and never fetched: nothing to say
                ev.notes.append(f"its revocation status could not be checked ({exc})")
        except (ValueError, UnicodeDecodeError, zlib.error, OSError, EOFError) as exc:
            ev.notes.append(f"its revocation status could not be checked ({exc})")


def _check_1edtech_list(inp: Input, status: dict[str, Any], ev: Findings) -> None:
    url = url_of(status)
    if not url:
        raise ValueError("no list address")
    resp = inp.store.live(url)
    if resp.status != 200:
        raise ValueError(f"HTTP {resp.status}")
    doc = json.loads(resp.body.decode("utf-8"))
    for item in as_list(doc.get("revokedCredentials") if isinstance(doc, dict) else None):
        ident = url_of(item)
        if ident and ident == inp.fields.id:
            reason = text(item.get("revocationReason")) if isinstance(item, dict) else None
            ev.revoked = "the issuer's revocation list includes it" + (
                f" ({reason})" if reason else ""
            )


def _check_bitstring(status: dict[str, Any], store: Store, ev: Findings) -> None:
    url = text(status.get("statusListCredential"))
    index_raw = status.get("statusListIndex")
    if not url or index_raw is None:
        raise ValueError("the status entry is incomplete")
    index = int(str(index_raw))
    if index < 0:
        raise ValueError("negative index")
    resp = store.live(url)
    if resp.status != 200:
        raise ValueError(f"HTTP {resp.status}")
    body = resp.body.decode("utf-8").strip()
    if body.startswith("{"):
        doc = json.loads(body)
    else:
        doc = jose.parse(body).payload_json()
        doc = doc.get("vc", doc) if isinstance(doc, dict) else doc
    subject = doc.get("credentialSubject") if isinstance(doc, dict) else None
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    if not isinstance(encoded, str):
        raise ValueError("the status list has no encodedList")
    raw = multibase_decode(encoded) if encoded[:1] in ("u", "z") else b64url_decode(encoded)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    bits = d.decompress(raw, MAX_STATUS_LIST_BYTES)
    if d.unconsumed_tail:
        raise ValueError("the status list is too large")
    if index // 8 >= len(bits):
        raise ValueError("the index is outside the status list")
    if (bits[index // 8] >> (7 - index % 8)) & 1:
        purpose = text(status.get("statusPurpose")) or "revocation"
        ev.suspended = purpose == "suspension"
        ev.revoked = (
            "the issuer's status list marks it suspended"
            if purpose == "suspension"
            else "the issuer's status list marks it revoked"
        )


# Every verification method, in the order they are tried; the first that applies
# is used (docs/architecture.md, "a new badge format": a module with a check like
# these, and one line here). OB 3.0 status lists are checked after any of them.
METHODS: tuple[Method, ...] = (
    Method("OB 3.0 VC-JWT", lambda i: _ob3(i) and i.jws is not None, _check_vc_jwt),
    Method("OB 3.0 Data Integrity", lambda i: _ob3(i) and i.doc is not None, _check_data_integrity),
    Method("OB 2.0 signed", lambda i: not _ob3(i) and i.jws is not None, _check_ob2_signed),
    Method("OB 2.0 hosted", lambda i: not _ob3(i), _check_hosted),
)
