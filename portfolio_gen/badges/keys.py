"""Public keys: JWK, PEM, multibase, ``did:key`` and ``did:jwk``.

Only public keys are read here. A key is returned as a ``cryptography`` public
key object; anything unusable raises :class:`KeyError_` with a plain message.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}

# multicodec prefixes (varint-encoded) for public keys in did:key / Multikey
ED25519_PUB = b"\xed\x01"
P256_PUB = b"\x80\x24"
RSA_PUB = b"\x85\x24"
MIN_RSA_BITS = 2048


class KeyError_(ValueError):
    """A key that cannot be used; the message says why."""


def b64url_decode(text: str) -> bytes:
    text = text.strip().rstrip("=")
    if any(
        c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in text
    ):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b58_decode(text: str) -> bytes:
    if len(text) > 4096:
        raise ValueError("too long")
    n = 0
    for c in text:
        if c not in _B58_INDEX:
            raise ValueError(f"not base58 (character {c!r})")
        n = n * 58 + _B58_INDEX[c]
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + raw


def b58_encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + out


def multibase_decode(text: str) -> bytes:
    """Decode base58btc (``z``) or base64url (``u``) multibase text."""
    if text.startswith("z"):
        return b58_decode(text[1:])
    if text.startswith("u"):
        return b64url_decode(text[1:])
    raise ValueError("unsupported multibase encoding (expected 'z' or 'u')")


def key_from_multikey(text: str) -> PublicKey:
    """A public key from a multibase Multikey value such as ``z6Mk...``."""
    try:
        raw = multibase_decode(text)
    except ValueError as exc:
        raise KeyError_(f"the key is not readable ({exc})") from None
    if raw.startswith(ED25519_PUB) and len(raw) == 34:
        return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw.startswith(P256_PUB) and len(raw) == 35:
        try:
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
        except ValueError:
            raise KeyError_("the P-256 key is not a valid curve point") from None
    if raw.startswith(RSA_PUB):
        try:
            key = serialization.load_der_public_key(_pkcs1_to_spki(raw[2:]))
        except ValueError:
            raise KeyError_("the RSA key is not readable") from None
        if isinstance(key, rsa.RSAPublicKey):
            return key
    raise KeyError_("the key type is not supported (expected Ed25519, P-256 or RSA)")


def _pkcs1_to_spki(der: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    # Parse PKCS#1 RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    def read(buf: bytes, pos: int) -> tuple[int, int, int]:
        tag = buf[pos]
        length = buf[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[pos : pos + n], "big")
            pos += n
        return tag, pos, length

    try:
        tag, pos, _ = read(der, 0)
        if tag != 0x30:
            raise ValueError
        tag, pos, ln = read(der, pos)
        modulus = int.from_bytes(der[pos : pos + ln], "big")
        tag, pos2, ln2 = read(der, pos + ln)
        exponent = int.from_bytes(der[pos2 : pos2 + ln2], "big")
    except (IndexError, ValueError):
        raise ValueError("bad PKCS#1") from None
    key = RSAPublicNumbers(exponent, modulus).public_key()
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_from_jwk(jwk: Any) -> PublicKey:
    """A public key from a JWK (private members, if any, are ignored)."""
    if not isinstance(jwk, dict):
        raise KeyError_("the key (JWK) is not a JSON object")
    kty = jwk.get("kty")
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            x = b64url_decode(str(jwk.get("x", "")))
            if len(x) != 32:
                raise KeyError_("the Ed25519 key (JWK) has the wrong length")
            return ed25519.Ed25519PublicKey.from_public_bytes(x)
        if kty == "EC" and jwk.get("crv") == "P-256":
            x = b64url_decode(str(jwk.get("x", "")))
            y = b64url_decode(str(jwk.get("y", "")))
            if len(x) != 32 or len(y) != 32:
                raise KeyError_("the P-256 key (JWK) has the wrong length")
            return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + x + y)
        if kty == "RSA":
            n = int.from_bytes(b64url_decode(str(jwk.get("n", ""))), "big")
            e = int.from_bytes(b64url_decode(str(jwk.get("e", ""))), "big")
            return rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError as exc:
        if isinstance(exc, KeyError_):
            raise
        raise KeyError_("the key (JWK) is not readable") from None
    raise KeyError_(
        f"the key type (kty {kty!r}, crv {jwk.get('crv')!r}) is not supported "
        "(expected Ed25519, P-256 or RSA)"
    )


def key_from_pem(pem: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii", "replace"))
    except (ValueError, TypeError):
        raise KeyError_("the public key (PEM) is not readable") from None
    if isinstance(key, (ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey, rsa.RSAPublicKey)):
        return key
    raise KeyError_("the public key type is not supported (expected Ed25519, P-256 or RSA)")


def did_of(reference: str) -> str:
    """The DID part of a DID URL (drops the fragment and query)."""
    return reference.split("#", 1)[0].split("?", 1)[0]


def key_from_did(reference: str) -> PublicKey:
    """The public key of a ``did:key`` or ``did:jwk`` DID (or DID URL)."""
    did = did_of(reference)
    if did.startswith("did:key:"):
        value = did[len("did:key:") :]
        frag = reference.split("#", 1)[1] if "#" in reference else None
        if frag and frag != value:
            raise KeyError_("the did:key fragment does not name the DID's own key")
        return key_from_multikey(value)
    if did.startswith("did:jwk:"):
        try:
            jwk = json.loads(b64url_decode(did[len("did:jwk:") :]))
        except (ValueError, UnicodeDecodeError):
            raise KeyError_("the did:jwk DID does not hold a readable key") from None
        return key_from_jwk(jwk)
    method = did.split(":")[1] if did.count(":") >= 2 else did
    raise KeyError_(f"the key {reference!r} needs the network to resolve (DID method {method!r})")


def did_key_for(public: ed25519.Ed25519PublicKey) -> str:
    """The ``did:key`` DID of an Ed25519 public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "did:key:z" + b58_encode(ED25519_PUB + raw)


def jwk_for(public: PublicKey) -> dict[str, str]:
    """The public JWK of a key."""
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    if isinstance(public, ec.EllipticCurvePublicKey):
        point = public.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url_encode(point.x.to_bytes(32, "big")),
            "y": b64url_encode(point.y.to_bytes(32, "big")),
        }
    nums = public.public_numbers()
    n = nums.n.to_bytes((nums.n.bit_length() + 7) // 8, "big")
    e = nums.e.to_bytes((nums.e.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "n": b64url_encode(n), "e": b64url_encode(e)}


def describe(public: PublicKey) -> str:
    if isinstance(public, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(public, ec.EllipticCurvePublicKey):
        return "P-256"
    return f"RSA-{public.key_size}"


def same_key(a: PublicKey, b: PublicKey) -> bool:
    """Whether two public keys are the same key (compared as SubjectPublicKeyInfo)."""
    der = serialization.Encoding.DER
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return a.public_bytes(der, spki) == b.public_bytes(der, spki)
