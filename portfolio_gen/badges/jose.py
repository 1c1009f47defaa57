"""Compact JWS (RFC 7515) for VC-JWT and OB 2.0 signed badges.

Parsing never verifies; :func:`check_signature` verifies with an explicit key
and refuses ``alg: none``, shared-secret (``HS*``) algorithms and any key whose
type does not fit the algorithm (no algorithm confusion).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ..lazy_dataclass import dataclass
from .keys import MIN_RSA_BITS, PublicKey, b64url_decode, b64url_encode, describe

SUPPORTED_ALGS = ("EdDSA", "Ed25519", "ES256", "RS256")


class JwsError(ValueError):
    """A token that cannot be read or is refused; the message says why."""


@dataclass(frozen=True)
class Jws:
    header: dict[str, Any]
    payload: bytes
    signature: bytes
    signing_input: bytes

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))

    def payload_json(self) -> Any:
        try:
            return json.loads(self.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise JwsError("the token's content is not JSON") from None


def parse(token: str) -> Jws:
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JwsError(f"not a signed token: it has {len(parts)} parts, a JWS has 3")
    try:
        header_raw = b64url_decode(parts[0])
        payload = b64url_decode(parts[1])
        signature = b64url_decode(parts[2])
    except ValueError:
        raise JwsError("the signed token is damaged (a part is not base64url)") from None
    try:
        header = json.loads(header_raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise JwsError("the signed token's header is not JSON") from None
    if not isinstance(header, dict):
        raise JwsError("the signed token's header is not a JSON object")
    if header.get("b64") is False:
        raise JwsError("the signed token uses an unencoded payload (b64: false), not supported")
    return Jws(header, payload, signature, (parts[0] + "." + parts[1]).encode("ascii"))


def refuse_alg(alg: str) -> str | None:
    """A reason to refuse ``alg`` before looking at any key, or None."""
    if not alg or alg.lower() == "none":
        return "the token is not signed ('alg: none'), which is never accepted"
    if alg.upper().startswith("HS"):
        return (
            f"the token uses a shared-secret algorithm ({alg}), "
            "which cannot show who signed it and is refused"
        )
    if alg not in SUPPORTED_ALGS:
        return f"the signature algorithm {alg!r} is not supported (EdDSA, ES256 or RS256)"
    return None


def check_signature(jws: Jws, key: PublicKey) -> str | None:
    """None if the signature is valid for ``key``; otherwise why not, in words."""
    alg = jws.alg
    refused = refuse_alg(alg)
    if refused:
        return refused
    data, sig = jws.signing_input, jws.signature
    try:
        if alg in ("EdDSA", "Ed25519"):
            if not isinstance(key, ed25519.Ed25519PublicKey):
                return _mismatch(alg, key)
            key.verify(sig, data)
        elif alg == "ES256":
            if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(
                key.curve, ec.SECP256R1
            ):
                return _mismatch(alg, key)
            if len(sig) != 64:
                return "the signature has the wrong length for ES256"
            der = encode_dss_signature(
                int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
            )
            key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        elif alg == "RS256":
            if not isinstance(key, rsa.RSAPublicKey):
                return _mismatch(alg, key)
            if key.key_size < MIN_RSA_BITS:
                return f"the RSA key is too short ({key.key_size} bits; at least {MIN_RSA_BITS})"
            key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return (
            "the signature does not match: the badge was changed after signing, "
            "or it was signed with a different key"
        )
    return None


def _mismatch(alg: str, key: PublicKey) -> str:
    return f"the token says {alg} but the key is {describe(key)}: algorithm and key do not match"


def sign(payload: bytes | str | dict[str, Any], private_key: Any, header: dict[str, Any]) -> str:
    """A compact JWS; for tests, the demo and tools. ``header['alg']`` picks the algorithm."""
    if isinstance(payload, dict):
        payload = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    h = b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signing_input = (h + "." + b64url_encode(payload)).encode("ascii")
    alg = header["alg"]
    if alg in ("EdDSA", "Ed25519"):
        sig = private_key.sign(signing_input)
    elif alg == "ES256":
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        r, s = decode_dss_signature(private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    elif alg == "RS256":
        sig = private_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ValueError(f"cannot sign with {alg!r}")
    return signing_input.decode("ascii") + "." + b64url_encode(sig)
