from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from support.badge_factory import (
    LEARNER,
    VC2,
    deep,
    di_sign,
    did_jwk,
    did_key,
    ed_key,
    issuer_profile,
    kid_for,
    ob2_assertion,
    ob2_jws,
    ob3_credential,
    p256_key,
    pem,
    png_image,
    rsa_key,
    svg_image,
    tamper_jws,
    vc_jwt,
    write,
)

from portfolio_gen.badges import bake, hash_identity, jose, keys, read_badge
from portfolio_gen.badges.fetch import Response, Store, cache_name
from portfolio_gen.badges.verify import check_recipient

TODAY = dt.date(2026, 6, 1)
ME = [LEARNER]


def read(path: Path, **kw: Any):  # type: ignore[no-untyped-def]
    kw.setdefault("identities", ME)
    kw.setdefault("today", TODAY)
    return read_badge(path, root=path.parent, **kw)


def baked(tmp_path: Path, name: str, credential: Any) -> Path:
    image = svg_image() if name.endswith(".svg") else png_image()
    return write(tmp_path, name, bake(image, credential))


# ----------------------------------------------------------------- recipient


def test_worked_example_from_the_ob3_spec() -> None:
    assert hash_identity("a@example.com", "Kosher").startswith("sha256$b5809d8a")


@pytest.mark.parametrize(
    ("stated", "identities", "expected"),
    [
        (
            {"identity": hash_identity("maya@example.org", "s"), "salt": "s"},
            ["Maya@Example.org"],
            "match",
        ),
        (
            {"identity": hash_identity("Maya@Example.org", "s"), "salt": "s"},
            ["Maya@Example.org"],
            "match",
        ),
        (
            {"identity": hash_identity("maya@example.org", None, "md5")},
            ["maya@example.org"],
            "match",
        ),
        ({"identity": "SHA256$" + hash_identity("m@x.org", "")[7:].upper()}, ["m@x.org"], "match"),
        ({"identity": "maya@example.org", "hashed": False}, ["MAYA@example.org"], "match"),
        (
            {"identity": hash_identity("jay@example.org", "s"), "salt": "s"},
            ["maya@example.org"],
            "mismatch",
        ),
        ({"identity": hash_identity("jay@example.org", "s"), "salt": "s"}, [], "unchecked"),
        ({"identity": None}, ["maya@example.org"], "none"),
        ({"identity": "did:example:maya"}, ["maya@example.org"], "unchecked"),
        ({"identity": "did:example:maya"}, ["did:example:jay"], "mismatch"),
        ({"identity": "did:example:maya"}, ["did:example:maya", "m@x.org"], "match"),
    ],
)
def test_check_recipient(stated: dict[str, Any], identities: list[str], expected: str) -> None:
    assert check_recipient([stated], identities) == expected


# -------------------------------------------------------------- OB 3.0 VC-JWT


def test_vc_jwt_eddsa_did_key_verifies_offline_and_says_what_it_proves(tmp_path: Path) -> None:
    key = ed_key()
    did = did_key(key)
    token = vc_jwt(ob3_credential(did), key, header={"kid": kid_for(did)})
    badge, diags = read(baked(tmp_path, "maze.png", token))
    assert badge.spec == "ob3" and badge.signed == "vc-jwt" and badge.container == "png"
    assert badge.verification.status == "verified"
    assert "issuer's own key" in badge.verification.reason
    assert "nothing offline shows that this key belongs to Eastside Library Code Club" in (
        badge.verification.reason
    )
    assert "recipient matches" in badge.verification.reason
    assert diags == []


def test_vc_jwt_es256_embedded_jwk_and_bare_credential_payload(tmp_path: Path) -> None:
    key = p256_key()
    token = vc_jwt(
        ob3_credential("https://eastside-library.example.org/issuer"),
        key,
        alg="ES256",
        header={"jwk": keys.jwk_for(key.public_key())},
        wrap=False,
    )
    badge, _ = read(baked(tmp_path, "maze.svg", token))
    assert badge.verification.status == "unconfirmed"  # the key is only in the file
    assert "a key carried inside the file itself" in badge.verification.reason


def test_vc_jwt_rs256_did_jwk(tmp_path: Path) -> None:
    key = rsa_key()
    did = did_jwk(key)
    token = vc_jwt(ob3_credential(did), key, alg="RS256", header={"kid": did + "#0"})
    badge, _ = read(write(tmp_path, "maze.jwt", token))
    assert badge.container == "jws"
    assert badge.verification.status == "verified"


@pytest.mark.parametrize("name", ["maze.png", "maze.svg", "maze.jwt"])
def test_vc_jwt_tampered_fails(tmp_path: Path, name: str) -> None:
    key = ed_key()
    did = did_key(key)
    token = vc_jwt(ob3_credential(did), key, header={"kid": kid_for(did)})
    forged = tamper_jws(
        token,
        lambda p: p["vc"]["credentialSubject"]["achievement"].update(name="Grand Master"),
    )
    path = write(tmp_path, name, forged) if name.endswith(".jwt") else baked(tmp_path, name, forged)
    badge, diags = read(path)
    assert badge.verification.status == "failed"
    assert badge.verification.reason.startswith("The signature does not match")
    where = f"{name}:2" if name.endswith(".svg") else name  # the SVG element's line
    assert [str(d) for d in diags] == [
        f"{where}: warning: badge failed verification: the signature does not match: the badge "
        "was changed after signing, or it was signed with a different key"
    ]


def test_jwt_alg_none_is_refused(tmp_path: Path) -> None:
    cred = ob3_credential("did:example:issuer")
    header = keys.b64url_encode(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    body = keys.b64url_encode(json.dumps({"vc": cred}).encode())
    badge, diags = read(write(tmp_path, "none.jwt", f"{header}.{body}."))
    assert badge.verification.status == "failed"
    assert "not signed ('alg: none'), which is never accepted" in badge.verification.reason
    assert "none.jwt: warning: badge failed verification: the token is not signed" in str(diags[0])


def test_jwt_shared_secret_algorithm_is_refused(tmp_path: Path) -> None:
    cred = ob3_credential("did:example:issuer")
    header = keys.b64url_encode(json.dumps({"alg": "HS256"}).encode())
    body = keys.b64url_encode(json.dumps({"vc": cred}).encode())
    badge, _ = read(write(tmp_path, "hs.jwt", f"{header}.{body}.c2ln"))
    assert badge.verification.status == "failed"
    assert "shared-secret algorithm (HS256)" in badge.verification.reason


def test_algorithm_confusion_is_refused(tmp_path: Path) -> None:
    ed = ed_key()
    cred = ob3_credential("https://eastside-library.example.org/issuer")
    # the header names RS256 but carries an Ed25519 key: never try RSA with it
    token = vc_jwt(cred, rsa_key(), alg="RS256", header={"jwk": keys.jwk_for(ed.public_key())})
    badge, _ = read(write(tmp_path, "confused.jwt", token))
    assert badge.verification.status == "failed"
    assert (
        "The token says RS256 but the key is Ed25519: algorithm and key do not match."
        in badge.verification.reason
    )


def test_key_that_does_not_match_fails(tmp_path: Path) -> None:
    signer, named = ed_key(), ed_key()
    did = did_key(named)
    token = vc_jwt(ob3_credential(did), signer, header={"kid": kid_for(did)})
    badge, diags = read(write(tmp_path, "wrongkey.jwt", token))
    assert badge.verification.status == "failed"
    assert "signed with a different key" in badge.verification.reason
    assert "wrongkey.jwt: warning: badge failed verification" in str(diags[0])


def test_valid_signature_by_a_key_that_is_not_the_did_key_issuer_fails(
    tmp_path: Path,
) -> None:
    signer, issuer = ed_key(), ed_key()
    token = vc_jwt(
        ob3_credential(did_key(issuer)),
        signer,
        header={"kid": kid_for(did_key(signer))},
        wrap=False,
    )
    badge, _ = read(write(tmp_path, "other.jwt", token))
    assert badge.verification.status == "failed"  # a did:key issuer has one key: not this one
    assert "someone else signed in the issuer's name" in badge.verification.reason


def test_jwt_claims_that_contradict_the_credential_fail(tmp_path: Path) -> None:
    key = ed_key()
    did = did_key(key)
    cred = ob3_credential(did)
    token = jose.sign(
        {"vc": cred, "iss": "did:example:someone-else"}, key, {"alg": "EdDSA", "kid": kid_for(did)}
    )
    badge, _ = read(write(tmp_path, "claims.jwt", token))
    assert badge.verification.status == "failed"
    assert "The token's issuer (did:example:someone-else) differs" in badge.verification.reason


def test_unresolvable_kid_is_unverified_offline(tmp_path: Path) -> None:
    key = ed_key()
    cred = ob3_credential("did:web:eastside-library.example.org")
    token = vc_jwt(cred, key, header={"kid": "did:web:eastside-library.example.org#key-1"})
    badge, _ = read(write(tmp_path, "web.jwt", token))
    assert badge.verification.status == "unverified"
    assert "is not available offline (run with --online" in badge.verification.reason


def test_did_web_key_online(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    key = ed_key()
    did = "did:web:eastside-library.example.org"
    doc = {
        "id": did,
        "verificationMethod": [
            {
                "id": did + "#key-1",
                "type": "JsonWebKey2020",
                "publicKeyJwk": keys.jwk_for(key.public_key()),
            }
        ],
    }
    token = vc_jwt(ob3_credential(did), key, header={"kid": did + "#key-1"})
    path = write(tmp_path, "web.jwt", token)
    calls: list[str] = []

    def fetch(url: str) -> Response:
        calls.append(url)
        return Response(url, 200, json.dumps(doc).encode())

    badge, _ = read(path, online=True, fetch=fetch, cache_dir=tmp_path / "cache")
    assert calls == ["https://eastside-library.example.org/.well-known/did.json"]
    assert badge.verification.status == "verified"
    assert "which the issuer publishes at its own address" in badge.verification.reason
    # the DID document is cached: offline runs now verify too
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "verified"
    # Cached under another computer's key (a cache restored in CI, a clone): only
    # unconfirmed offline, and fetched again online.
    seal = tmp_path / "cache/documents" / (cache_name(calls[0]) + ".seal")
    seal.write_text("0" * 64)
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "unconfirmed"
    badge, _ = read(path, online=True, fetch=fetch, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "verified" and len(calls) == 2
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "verified"


# ------------------------------------------------------- OB 3.0 Data Integrity


def test_eddsa_rdfc_2022_proof_verifies_offline(tmp_path: Path) -> None:
    key = ed_key()
    signed = di_sign(ob3_credential(did_key(key)), key)
    badge, diags = read(baked(tmp_path, "maze.svg", signed))
    assert badge.signed == "data-integrity"
    assert badge.verification.status == "verified", badge.verification.reason
    assert diags == []


def test_legacy_ed25519signature2020_vc11_verifies(tmp_path: Path) -> None:
    key = ed_key()
    signed = di_sign(ob3_credential(did_key(key), vc1=True), key, legacy=True)
    badge, _ = read(baked(tmp_path, "maze.png", signed))
    assert badge.verification.status == "verified", badge.verification.reason
    assert badge.issued_on == dt.date(2026, 4, 2)


@pytest.mark.parametrize("legacy", [False, True])
def test_data_integrity_tampered_fails(tmp_path: Path, legacy: bool) -> None:
    key = ed_key()
    signed = di_sign(ob3_credential(did_key(key), vc1=legacy), key, legacy=legacy)
    forged = deep(signed)
    forged["credentialSubject"]["achievement"]["name"] = "Grand Master"
    badge, diags = read(baked(tmp_path, "maze.svg", forged))
    assert badge.verification.status == "failed"
    assert badge.verification.reason.startswith("The proof does not match: the badge was")
    assert "maze.svg:2: warning: badge failed verification: the proof does not match" in str(
        diags[0]
    )


def test_data_integrity_undefined_terms_fail(tmp_path: Path) -> None:
    key = ed_key()
    cred = ob3_credential(did_key(key), vc1=True)
    cred["favouriteColour"] = "teal"
    badge, _ = read(write(tmp_path, "extra.json", json.dumps(di_sign(cred, key, legacy=True))))
    assert badge.verification.status == "failed"
    assert "fields its JSON-LD context does not define (favouriteColour)" in (
        badge.verification.reason
    )


def test_unsigned_ob3_json_is_unverified(tmp_path: Path) -> None:
    badge, diags = read(write(tmp_path, "plain.json", json.dumps(ob3_credential("did:example:x"))))
    assert badge.verification.status == "unverified"
    assert "not signed (it has no proof)" in badge.verification.reason
    assert diags == []


W3C_VECTOR = {
    "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "proofValue": "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3"
        "ijx4K1FBTQsCZahKZme",
    },
}


def test_w3c_eddsa_rdfc_2022_test_vector_with_a_context_from_the_cache(tmp_path: Path) -> None:
    """The signed example of W3C vc-di-eddsa (B.1): interop with other implementations."""
    from portfolio_gen.badges import integrity

    url = "https://www.w3.org/ns/credentials/examples/v2"
    cache = tmp_path / "cache"
    examples = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
    # offline with no cache: the context is missing, so the proof cannot be checked
    assert integrity.verify(W3C_VECTOR, None).status == "unavailable"
    write(cache / "contexts", cache_name(url), json.dumps(examples))

    store = Store(cache, online=False)
    assert integrity.verify(W3C_VECTOR, store).status == "valid"
    forged = deep(W3C_VECTOR)
    forged["credentialSubject"]["alumniOf"] = "The School of Forgery"
    assert integrity.verify(forged, store).status == "invalid"


def test_missing_context_is_unverified_and_says_how_to_fix_it(tmp_path: Path) -> None:
    key = ed_key()
    cred = ob3_credential(did_key(key))
    cred["@context"].append("https://eastside-library.example.org/context.json")
    signed = di_sign_with_context(cred, key, tmp_path)
    badge, _ = read(write(tmp_path, "ctx.json", json.dumps(signed)))
    assert badge.verification.status == "unverified"
    assert (
        "needs the JSON-LD context https://eastside-library.example.org/context.json, which is "
        "not in the local cache; run once with --online or put it in the cache folder"
    ) in badge.verification.reason
    # the context is fetched and cached online, then verifies offline
    ctx = json.dumps({"@context": {"club": "https://eastside-library.example.org/vocab#club"}})
    badge, _ = read(
        tmp_path / "ctx.json",
        online=True,
        cache_dir=tmp_path / "cache",
        fetch=lambda url: Response(url, 200, ctx.encode()),
    )
    assert badge.verification.status == "verified", badge.verification.reason
    badge, _ = read(tmp_path / "ctx.json", cache_dir=tmp_path / "cache")
    assert badge.verification.status == "verified"


def di_sign_with_context(cred: dict[str, Any], key: Any, tmp_path: Path) -> dict[str, Any]:
    from portfolio_gen.badges import integrity

    ctx = {"@context": {"club": "https://eastside-library.example.org/vocab#club"}}
    signer_cache = tmp_path / "signer"
    write(signer_cache / "contexts", cache_name(cred["@context"][-1]), json.dumps(ctx))
    did = did_key(key)
    return integrity.add_proof(
        cred,
        key,
        kid_for(did),
        created="2026-04-02T15:00:00Z",
        store=Store(signer_cache, online=False),
    )


# ------------------------------------------------------------ OB 2.0 signed


def test_ob2_signed_jws_with_key_in_the_cache(tmp_path: Path) -> None:
    key = rsa_key()
    creator = "https://hive-maker.example.org/keys/1.json"
    token = ob2_jws(ob2_assertion(signed_by=creator), key)
    path = baked(tmp_path, "signed.png", token)
    badge, _ = read(path)
    assert badge.spec == "ob2" and badge.signed == "jws"
    assert badge.verification.status == "unverified"
    assert "the issuer's public key is not available" in badge.verification.reason
    key_doc = {"type": "CryptographicKey", "id": creator, "publicKeyPem": pem(key.public_key())}
    # Put there by hand (or by whoever wrote the portfolio): it checks the
    # signature, but it is not a key found at the issuer's address.
    write(tmp_path / "cache" / "documents", cache_name(creator), json.dumps(key_doc))
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "a key put in the badge cache by hand" in badge.verification.reason
    # Fetched by this computer earlier (an --online build): sealed. An OB 2.0 key is
    # the issuer's only when the issuer's own profile lists it (issue 19): not yet.
    store = Store(tmp_path / "cache", online=False, today=dt.date(2026, 5, 30))
    store.save("documents", creator, json.dumps(key_doc).encode())
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "the issuer's profile is not available offline" in badge.verification.reason
    profile = issuer_profile(publicKey=creator)
    store.save("documents", profile["id"], json.dumps(profile).encode())
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "verified", badge.verification.reason
    assert "which the issuer publishes at its own address" in badge.verification.reason
    assert "(from the local cache, fetched on 2026-05-30)" in badge.verification.reason
    assert badge.checked == dt.date(2026, 5, 30)
    # A seal from another computer's key (a cloned .portfolio-cache) does not.
    seal = tmp_path / "cache" / "documents" / (cache_name(creator) + ".seal")
    seal.write_text("0" * 64)
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "unconfirmed", badge.verification.reason


def test_ob2_signed_jws_with_sidecar_key_and_tampering(tmp_path: Path) -> None:
    key = rsa_key()
    token = ob2_jws(ob2_assertion(signed_by="https://hive-maker.example.org/keys/1.json"), key)
    path = baked(tmp_path, "signed.svg", token)
    write(tmp_path, "signed.key.pem", pem(key.public_key()))
    badge, _ = read(path)
    assert badge.verification.status == "unconfirmed"  # the portfolio supplied the key
    assert "the key file beside the badge" in badge.verification.reason
    forged = tamper_jws(token, lambda p: p.update(issuedOn="2020-01-01T00:00:00Z"))
    badge, _ = read(baked(tmp_path, "signed.svg", forged))
    assert badge.verification.status == "failed"
    assert badge.verification.reason.startswith("The signature does not match")
    other = ob2_jws(ob2_assertion(signed_by="https://x.example/k"), p256_key(), alg="ES256")
    badge, _ = read(baked(tmp_path, "signed.svg", other))
    assert badge.verification.status == "failed"
    assert "The token says ES256 but the key is RSA-2048" in badge.verification.reason


def test_ob2_signed_key_fetched_online_then_cached(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    key = rsa_key()
    creator = site.add("/keys/1", json.dumps({"id": "x", "publicKeyPem": pem(key.public_key())}))
    path = baked(tmp_path, "signed.png", ob2_jws(ob2_assertion(signed_by=creator), key))
    badge, _ = read(path, online=True, cache_dir=tmp_path / "cache")
    # the key is served by 127.0.0.1, not by the issuer's own address (hive-maker.example.org)
    assert badge.verification.status == "unconfirmed"
    assert "nothing ties that key to Hive Maker Club" in badge.verification.reason
    assert (tmp_path / "cache" / "documents" / cache_name(creator)).is_file()
    site.routes.clear()
    badge, _ = read(path, cache_dir=tmp_path / "cache")
    assert badge.verification.status == "unconfirmed"


# ----------------------------------------------------------- dates, revoked


def test_expired_and_not_yet_valid(tmp_path: Path) -> None:
    key = ed_key()
    did = did_key(key)
    old = vc_jwt(
        ob3_credential(did, valid_until="2026-05-01T00:00:00Z"), key, header={"kid": kid_for(did)}
    )
    badge, diags = read(write(tmp_path, "old.jwt", old))
    assert badge.verification == dataclasses.replace(
        badge.verification,
        status="expired",
        reason="Expired on 2026-05-01 (its signature is valid).",
    )
    assert badge.expires == dt.date(2026, 5, 1)
    assert diags == []  # expiry is shown on the page, not a build warning
    future = ob3_credential(did, validFrom="2027-01-01T00:00:00Z")
    badge, _ = read(
        write(tmp_path, "future.jwt", vc_jwt(future, key, header={"kid": kid_for(did)}))
    )
    assert badge.verification.status == "unverified"
    assert badge.verification.reason == "The badge is not valid until 2027-01-01."


def test_recipient_mismatch_fails(tmp_path: Path) -> None:
    key = ed_key()
    did = did_key(key)
    token = vc_jwt(
        ob3_credential(did, identity="jay@example.org"), key, header={"kid": kid_for(did)}
    )
    badge, diags = read(write(tmp_path, "jay.jwt", token))
    assert badge.verification.status == "failed"
    assert str(diags[0]) == (
        "jay.jwt: warning: badge failed verification: it was awarded to someone else: "
        "its recipient does not match the learner's identities"
    )
    badge, _ = read(tmp_path / "jay.jwt", identities=[])
    assert badge.verification.status == "verified"
    assert "The recipient was not checked (no learner identity was given)." in (
        badge.verification.reason
    )


def test_assertion_marked_revoked(tmp_path: Path) -> None:
    doc = ob2_assertion(revoked=True, revocationReason="issued by mistake")
    badge, diags = read(baked(tmp_path, "gone.png", json.dumps(doc)))
    assert badge.verification.status == "revoked"
    assert badge.verification.reason == (
        "Revoked: the badge itself says it was revoked (issued by mistake)."
    )
    assert "gone.png: warning: badge is revoked" in str(diags[0])


# ------------------------------------------------------------ online hosted


def hosted(site, **extra: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    doc = ob2_assertion(**extra)
    doc["id"] = site.url("/assertions/42.json")
    doc["badge"]["issuer"]["id"] = site.url("/issuer.json")
    return doc


def test_hosted_ob2_offline_is_unverified(tmp_path: Path) -> None:
    badge, diags = read(baked(tmp_path, "hosted.png", json.dumps(ob2_assertion())))
    assert badge.verification.status == "unverified"
    assert "run with --online to check it" in badge.verification.reason
    assert diags == []


def test_hosted_ob2_online_verified(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    doc = hosted(site)
    site.add("/assertions/42.json", json.dumps(doc))
    badge, _ = read(baked(tmp_path, "hosted.svg", json.dumps(doc)), online=True)
    assert badge.verification.status == "verified", badge.verification.reason
    assert "the issuer's server (127.0.0.1:" in badge.verification.reason
    assert site.hits == ["/assertions/42.json"]


def test_hosted_ob2_online_410_and_revoked_flag(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    doc = hosted(site)
    path = baked(tmp_path, "hosted.png", json.dumps(doc))
    site.add("/assertions/42.json", "gone", status=410)
    badge, _ = read(path, online=True)
    assert badge.verification.status == "revoked"
    assert "HTTP 410" in badge.verification.reason
    site.add(
        "/assertions/42.json", json.dumps({**doc, "revoked": True, "revocationReason": "oops"})
    )
    badge, _ = read(path, online=True)
    assert (badge.verification.status, badge.verification.reason) == (
        "revoked",
        "Revoked: the issuer's server marks it revoked (oops).",
    )


def test_hosted_ob2_online_differs_or_unreachable(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    doc = hosted(site)
    path = baked(tmp_path, "hosted.png", json.dumps(doc))
    site.add("/assertions/42.json", json.dumps({**doc, "issuedOn": "2020-01-01T00:00:00Z"}))
    badge, _ = read(path, online=True)
    assert badge.verification.status == "failed"
    assert "differs from the one on the issuer's server (issuedOn)" in badge.verification.reason
    site.routes.clear()
    badge, _ = read(path, online=True)
    assert badge.verification.status == "unverified"
    assert "answered HTTP 404" in badge.verification.reason


def test_hosted_ob2_on_a_foreign_origin_fails(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    doc = hosted(site)
    doc["badge"]["issuer"]["id"] = "https://hive-maker.example.org/issuer.json"
    site.add("/assertions/42.json", json.dumps(doc))
    badge, _ = read(baked(tmp_path, "hosted.png", json.dumps(doc)), online=True)
    assert badge.verification.status == "failed"
    assert "which its issuer does not allow" in badge.verification.reason


def test_url_only_legacy_badge_online_and_offline(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    ob1 = {
        "uid": "abc",
        "recipient": {"type": "email", "hashed": False, "identity": LEARNER},
        "badge": site.url("/badge.json"),
        "verify": {"type": "hosted", "url": site.url("/a.json")},
        "issuedOn": 1773446400,
    }
    site.add("/a.json", json.dumps(ob1))
    site.add("/badge.json", json.dumps({"name": "Old Badge", "issuer": site.url("/org.json")}))
    site.add("/org.json", json.dumps({"name": "Old Org", "url": site.url("/")}))
    path = baked(tmp_path, "old.png", site.url("/a.json"))
    badge, _ = read(path)
    assert badge.verification.status == "unverified"
    assert badge.missing == (f"assertion (only a URL: {site.url('/a.json')})",)
    badge, _ = read(path, online=True)
    assert (badge.spec, badge.name, badge.issuer.name) == ("ob1", "Old Badge", "Old Org")
    assert badge.issued_on == dt.date(2026, 3, 14)
    assert badge.verification.status == "verified", badge.verification.reason


# ------------------------------------------------------- online status lists


def bitstring(revoked_index: int) -> str:
    bits = bytearray(16 * 1024)
    bits[revoked_index // 8] |= 0x80 >> (revoked_index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")


@pytest.mark.parametrize(("index", "status"), [(94567, "revoked"), (3, "verified")])
def test_bitstring_status_list_online(tmp_path: Path, site, index: int, status: str) -> None:  # type: ignore[no-untyped-def]
    key = ed_key()
    did = did_key(key)
    list_vc = {
        "credentialSubject": {"type": "BitstringStatusList", "encodedList": bitstring(94567)}
    }
    list_url = site.add("/status/1", json.dumps(list_vc))
    cred = ob3_credential(
        did,
        credentialStatus={
            "id": list_url + "#" + str(index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        },
    )
    path = write(tmp_path, "s.jwt", vc_jwt(cred, key, header={"kid": kid_for(did)}))
    badge, _ = read(path, online=True)
    assert badge.verification.status == status
    if status == "revoked":
        assert badge.verification.reason == "Revoked: the issuer's status list marks it revoked."
    badge, _ = read(path)  # offline: the list is not consulted
    assert badge.verification.status == "verified"


def test_1edtech_revocation_list_online(tmp_path: Path, site) -> None:  # type: ignore[no-untyped-def]
    key = ed_key()
    did = did_key(key)
    cred = ob3_credential(did)
    url = site.add(
        "/revocations",
        json.dumps({"revokedCredentials": [{"id": cred["id"], "revocationReason": "duplicate"}]}),
    )
    cred["credentialStatus"] = {"id": url, "type": "1EdTechRevocationList"}
    badge, _ = read(
        write(tmp_path, "r.jwt", vc_jwt(cred, key, header={"kid": kid_for(did)})), online=True
    )
    assert (
        badge.verification.reason
        == "Revoked: the issuer's revocation list includes it (duplicate)."
    )


def test_unreachable_server_is_unverified_not_a_crash(tmp_path: Path) -> None:
    from portfolio_gen.badges.fetch import http_fetch

    doc = ob2_assertion()
    doc["id"] = "http://127.0.0.1:9/assertions/1.json"  # discard port: nothing listens
    badge, _ = read(baked(tmp_path, "h.png", json.dumps(doc)), online=True, fetch=http_fetch)
    assert badge.verification.status == "unverified"
    assert "could not be reached" in badge.verification.reason


# --------------------------------------------------------------- identities


def test_identities_never_appear_in_the_badge_or_messages(tmp_path: Path) -> None:
    secret = "Maya.Secret@Example.org"
    key = ed_key()
    did = did_key(key)
    cred = ob3_credential(did, identity=secret)
    cred["credentialSubject"]["identifier"].append(
        {
            "type": "IdentityObject",
            "identityHash": secret,
            "identityType": "emailAddress",
            "hashed": False,
        }
    )
    cred["credentialSubject"]["id"] = "mailto:" + secret.lower()
    cred["credentialSubject"]["achievement"]["description"] = f"Awarded to {secret.lower()}."
    cred["evidence"][0]["narrative"] = f"Ask {secret} about it"
    for token in (
        vc_jwt(cred, key, header={"kid": kid_for(did)}),
        tamper_jws(vc_jwt(cred, key, header={"kid": kid_for(did)}), lambda p: p.update(x=secret)),
    ):
        path = write(tmp_path, "secret.jwt", token)
        for ids in ([secret], [secret.lower()], ["someone@else.org", secret]):
            badge, diags = read(path, identities=ids)
            dump = repr(badge) + repr(diags) + "".join(str(d) for d in diags)
            assert secret.lower() not in dump.lower()
            assert "[recipient]" in badge.description
    bad = write(tmp_path, "bad.png", b"not a png " + secret.encode())
    badge, diags = read(bad, identities=[secret])
    assert secret.lower() not in (repr(badge) + repr(diags)).lower()
