"""OB 3.0 Data Integrity proofs: ``eddsa-rdfc-2022`` and legacy ``Ed25519Signature2020``.

Both hash the RDF-canonicalised proof options and document (URDNA2015 /
RDFC-1.0, via PyLD) and check an Ed25519 signature over the two hashes. JSON-LD
contexts come from the copies shipped in :mod:`._contexts`, then the cache
folder, then (online only) the network; nothing else is ever loaded.

Like JSON-LD "safe mode", a document with terms its contexts do not define is
refused: the signature would not cover those fields.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from ..lazy_dataclass import dataclass
from ._contexts import CONTEXTS
from .fetch import Store
from .keys import KeyError_, PublicKey, b58_encode, key_from_did, multibase_decode

SUPPORTED = ("eddsa-rdfc-2022", "Ed25519Signature2020")
_PROBE_VOCAB = "urn:portfolio-gen:undefined#"


class ContextMissing(Exception):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(url)
        self.url = url
        self.why = why


#: A Data Integrity proof: checked and valid or invalid, not checkable, or absent.
ProofStatus = Literal["valid", "invalid", "unavailable", "none"]


@dataclass(frozen=True)
class ProofResult:
    status: ProofStatus
    reason: str
    key: str | None = None  # the verification method
    created: str | None = None


_parsed_shipped: dict[str, Any] = {}


def _loader(store: Store | None) -> Callable[[str, Any], dict[str, Any]]:
    def load(url: str, _options: Any = None) -> dict[str, Any]:
        doc: Any = None
        if url in CONTEXTS:
            if url not in _parsed_shipped:
                _parsed_shipped[url] = json.loads(CONTEXTS[url])
            doc = _parsed_shipped[url]
        elif store is not None:
            doc, why = store.get_json(url, kind="contexts")
            if doc is None:
                raise ContextMissing(url, why)
        else:
            raise ContextMissing(url, "offline")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(doc)}

    return load


def canonical(doc: dict[str, Any], store: Store | None) -> str:
    """URDNA2015 (RDFC-1.0) N-Quads of a JSON-LD document."""
    from cachetools import LRUCache
    from pyld import jsonld
    from pyld.context_resolver import ContextResolver

    load = _loader(store)
    try:
        quads: str = jsonld.normalize(  # pyld has no types: with "format", it returns text
            doc,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": load,
                "contextResolver": ContextResolver(LRUCache(maxsize=64), load),
                "base": "",
            },
        )
    except jsonld.JsonLdError as exc:
        missing = _find_missing(exc)
        if missing is not None:
            raise missing from None
        raise ValueError(_jsonld_message(exc)) from None
    return quads


def _find_missing(exc: BaseException | None) -> ContextMissing | None:
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, ContextMissing):
            return exc
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "cause", None)
        seen += 1
    return None


def _jsonld_message(exc: BaseException) -> str:
    msgs = []
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 5:
        msgs.append(str(getattr(cur, "message", "") or cur).split("\n")[0])
        cur = cur.__cause__ or getattr(cur, "cause", None)
        seen += 1
    return "; ".join(m for m in msgs if m)[:300]


def undefined_terms(doc: dict[str, Any], store: Store | None) -> list[str]:
    """Terms the document's contexts do not define (they would be dropped unsigned)."""
    probe = copy.deepcopy(doc)
    ctx = probe.get("@context")
    ctx_list = ctx if isinstance(ctx, list) else [ctx] if ctx is not None else []
    probe["@context"] = [*ctx_list, {"@vocab": _PROBE_VOCAB}]
    plain = canonical(doc, store).count("\n")
    probed = canonical(probe, store)
    if probed.count("\n") == plain:
        return []
    names = set()
    for line in probed.splitlines():
        for part in line.split(" "):
            if part.startswith("<" + _PROBE_VOCAB):
                names.add(part[len(_PROBE_VOCAB) + 1 : -1])
    return sorted(names) or ["(unnamed)"]


def _proofs(doc: dict[str, Any]) -> list[Any]:
    proof = doc.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def has_proof(doc: dict[str, Any]) -> bool:
    return bool(_proofs(doc))


def _hash_data(doc: dict[str, Any], proof: dict[str, Any], store: Store | None) -> bytes:
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "jws", "signatureValue")}
    options["@context"] = doc.get("@context")
    return (
        hashlib.sha256(canonical(options, store).encode("utf-8")).digest()
        + hashlib.sha256(canonical(unsecured, store).encode("utf-8")).digest()
    )


KeyResolver = Callable[[str], PublicKey]


def verify(
    doc: dict[str, Any], store: Store | None, resolve_key: KeyResolver = key_from_did
) -> ProofResult:
    """Check every Data Integrity proof on ``doc``; keys come from ``resolve_key``."""
    proofs = _proofs(doc)
    if not proofs:
        return ProofResult("none", "the credential has no proof")
    usable = [
        p
        for p in proofs
        if isinstance(p, dict)
        and (
            (p.get("type") == "DataIntegrityProof" and p.get("cryptosuite") == "eddsa-rdfc-2022")
            or p.get("type") == "Ed25519Signature2020"
        )
    ]
    if not usable:
        kinds = ", ".join(
            sorted(
                {
                    str(p.get("cryptosuite") or p.get("type")) if isinstance(p, dict) else "?"
                    for p in proofs
                }
            )
        )
        return ProofResult(
            "unavailable",
            f"its proof type ({kinds}) cannot be checked here "
            "(supported: eddsa-rdfc-2022, Ed25519Signature2020)",
        )
    result = ProofResult("none", "")
    for proof in usable:
        result = _verify_one(doc, proof, store, resolve_key)
        if result.status != "valid":
            return result
    return result


def _verify_one(
    doc: dict[str, Any], proof: dict[str, Any], store: Store | None, resolve_key: KeyResolver
) -> ProofResult:
    method = proof.get("verificationMethod")
    if isinstance(method, dict):
        method = method.get("id")
    if not isinstance(method, str) or not method:
        return ProofResult("invalid", "the proof does not name its key (verificationMethod)")
    purpose = proof.get("proofPurpose")
    if purpose != "assertionMethod":
        return ProofResult(
            "invalid", f"the proof's purpose is {purpose!r}, not 'assertionMethod' (issuing)"
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        return ProofResult("invalid", "the proof has no proofValue", method)
    try:
        signature = multibase_decode(value)
    except ValueError:
        return ProofResult("invalid", "the proof value is not readable (bad multibase)", method)
    if len(signature) != 64:
        return ProofResult("invalid", "the proof value has the wrong length for Ed25519", method)
    try:
        key = resolve_key(method)
    except KeyError_ as exc:
        return ProofResult("unavailable", str(exc), method)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        return ProofResult("invalid", "the proof's key is not an Ed25519 key", method)
    try:
        data = _hash_data(doc, proof, store)
        dropped = undefined_terms({k: v for k, v in doc.items() if k != "proof"}, store)
    except ContextMissing as exc:
        where = "" if exc.why in ("offline",) else f" ({exc.why})"
        return ProofResult(
            "unavailable",
            f"checking the proof needs the JSON-LD context {exc.url}, which is not in the "
            f"local cache{where}; run once with --online or put it in the cache folder",
            method,
        )
    except ValueError as exc:
        return ProofResult("invalid", f"the credential is not valid JSON-LD ({exc})", method)
    if dropped:
        return ProofResult(
            "invalid",
            "the credential has fields its JSON-LD context does not define "
            f"({', '.join(dropped[:5])}), so the signature does not cover them",
            method,
        )
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return ProofResult(
            "invalid",
            "the proof does not match: the badge was changed after signing, "
            "or it was signed with a different key",
            method,
        )
    created = proof.get("created")
    return ProofResult("valid", "", method, created if isinstance(created, str) else None)


def add_proof(
    doc: dict[str, Any],
    private_key: ed25519.Ed25519PrivateKey,
    verification_method: str,
    *,
    created: str,
    legacy: bool = False,
    store: Store | None = None,
) -> dict[str, Any]:
    """A copy of ``doc`` with an Ed25519 proof; for tests, the demo and tools."""
    proof: dict[str, Any] = (
        {"type": "Ed25519Signature2020"}
        if legacy
        else {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}
    )
    proof.update(
        {
            "created": created,
            "verificationMethod": verification_method,
            "proofPurpose": "assertionMethod",
        }
    )
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    signature = private_key.sign(_hash_data(unsecured, proof, store))
    out = copy.deepcopy(unsecured)
    out["proof"] = {**proof, "proofValue": "z" + b58_encode(signature)}
    return out
