"""Builders for badge tests: images, keys, credentials and signed tokens, all made here."""

from __future__ import annotations

import copy
import functools
import io
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from PIL import Image

from portfolio_gen.badges import hash_identity, integrity, jose, keys

LEARNER = "maya@example.org"
SALT = "pepper-42"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ED2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def png_image(color: str = "teal", size: int = 16) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "PNG")
    return buf.getvalue()


def svg_image() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
        b'  <circle cx="32" cy="32" r="30" fill="#2a9d8f"/>\n'
        b"</svg>\n"
    )


def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def p256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@functools.lru_cache(maxsize=2)
def rsa_key(n: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(public: Any) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def did_key(private: ed25519.Ed25519PrivateKey) -> str:
    return keys.did_key_for(private.public_key())


def did_jwk(private: Any) -> str:
    jwk = keys.jwk_for(private.public_key())
    return "did:jwk:" + keys.b64url_encode(json.dumps(jwk).encode())


def kid_for(did: str) -> str:
    return f"{did}#{did.split(':')[-1]}" if did.startswith("did:key:") else f"{did}#0"


# ------------------------------------------------------------------ OB 2.0


def badge_class(issuer: Any = "https://hive-maker.example.org/issuer.json") -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": "https://hive-maker.example.org/badges/maker-1.json",
        "name": "Maker Level 1",
        "description": "Designed and built a working machine.",
        "image": "https://hive-maker.example.org/badges/maker-1.png",
        "criteria": {"narrative": "Build a machine that moves and explain how."},
        "issuer": issuer,
        "alignment": [
            {
                "targetName": "MS-ETS1-4",
                "targetUrl": "https://www.nextgenscience.org/pe/ms-ets1-4-engineering-design",
                "targetCode": "MS-ETS1-4",
                "targetFramework": "NGSS",
            }
        ],
        "tags": ["robotics", "making"],
    }


def issuer_profile(**extra: Any) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": "https://hive-maker.example.org/issuer.json",
        "name": "Hive Maker Club",
        "url": "https://hive-maker.example.org",
        **extra,
    }


def ob2_assertion(
    *,
    signed_by: str | None = None,
    embedded: bool = True,
    identity: str = LEARNER,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": "https://hive-maker.example.org/assertions/42.json",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": SALT,
            "identity": hash_identity(identity, SALT),
        },
        "badge": badge_class(issuer_profile()) if embedded else badge_class()["id"],
        "issuedOn": "2026-03-14T10:00:00Z",
        "evidence": [
            {
                "id": "https://maya-r.github.io/portfolio/projects/robot-arm/",
                "narrative": "Built a cardboard hydraulic arm.",
            }
        ],
        "verification": {"type": "HostedBadge"},
    }
    if signed_by:
        doc["id"] = "urn:uuid:2f1e4b7c-0000-4000-8000-000000000042"
        doc["verification"] = {"type": "SignedBadge", "creator": signed_by}
    doc.update(extra)
    return doc


def ob2_jws(assertion: dict[str, Any], private: Any, alg: str = "RS256") -> str:
    return jose.sign(assertion, private, {"alg": alg})


# ------------------------------------------------------------------ OB 3.0


def ob3_credential(
    issuer_id: str,
    *,
    vc1: bool = False,
    identity: str = LEARNER,
    valid_until: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    cred: dict[str, Any] = {
        "@context": [VC1, OB3_CONTEXT] if vc1 else [VC2, OB3_CONTEXT],
        "id": "urn:uuid:6a7b8c9d-0000-4000-8000-000000000003",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Maze Game Coder",
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": "Eastside Library Code Club",
            "url": "https://eastside-library.example.org",
        },
        ("issuanceDate" if vc1 else "validFrom"): "2026-04-02T15:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": hash_identity(identity, SALT),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": SALT,
                }
            ],
            "achievement": {
                "id": "https://eastside-library.example.org/achievements/maze",
                "type": ["Achievement"],
                "name": "Maze Game Coder",
                "description": "Coded a maze game with functions and variables.",
                "criteria": {"narrative": "Publish a playable maze game."},
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Functions: input and output",
                        "targetCode": "CCSS.Math.Content.8.F.A.1",
                        "targetUrl": "https://www.thecorestandards.org/Math/Content/8/F/A/1/",
                        "targetFramework": "Common Core State Standards for Mathematics",
                        "targetType": "CFItem",
                    }
                ],
                "tag": ["coding", "games"],
                "achievementType": "Badge",
            },
        },
        "evidence": [
            {
                "id": "https://maya-r.github.io/portfolio/projects/maze-game/",
                "type": ["Evidence"],
                "name": "Maze game",
                "narrative": "Play it in the browser.",
            }
        ],
    }
    if valid_until:
        cred["expirationDate" if vc1 else "validUntil"] = valid_until
    if vc1:
        cred["@context"].append(ED2020_CONTEXT)
    cred.update(extra)
    return cred


def vc_jwt(
    cred: dict[str, Any],
    private: Any,
    *,
    alg: str = "EdDSA",
    header: dict[str, Any] | None = None,
    wrap: bool = True,
) -> str:
    h = {"alg": alg, "typ": "JWT", **(header or {})}
    payload: dict[str, Any] = cred
    if wrap:
        payload = {"vc": cred, "iss": cred["issuer"]["id"], "jti": cred["id"]}
    return jose.sign(payload, private, h)


def di_sign(cred: dict[str, Any], private: ed25519.Ed25519PrivateKey, *, legacy: bool = False):
    did = did_key(private)
    return integrity.add_proof(
        cred, private, kid_for(did), created="2026-04-02T15:00:00Z", legacy=legacy
    )


def tamper_jws(token: str, change) -> str:  # type: ignore[no-untyped-def]
    """Re-encode the payload after ``change(payload_dict)``, keeping the old signature."""
    h, p, s = token.split(".")
    payload = json.loads(keys.b64url_decode(p))
    change(payload)
    return h + "." + keys.b64url_encode(json.dumps(payload).encode()) + "." + s


def deep(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path
