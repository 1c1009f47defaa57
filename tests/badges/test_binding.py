"""Issuer binding: an intact signature is "verified" only when the key is the issuer's.

For every container (PNG, SVG, JSON with a proof, JWT): a credential naming
"Harvard University" at an https id and signed with a key the file carries
itself is ``unconfirmed``; the same credential whose issuer is the ``did:key``
of the signing key is ``verified``; a ``did:key`` issuer signed by another key
``failed`` (a did:key issuer has exactly one key: someone else signed in its name).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from support.badge_factory import (
    LEARNER,
    badge_class,
    di_sign,
    did_jwk,
    did_key,
    ed_key,
    issuer_profile,
    kid_for,
    ob2_assertion,
    ob2_jws,
    ob3_credential,
    pem,
    png_image,
    rsa_key,
    svg_image,
    vc_jwt,
    write,
)

from portfolio_gen.badges import STATUSES, bake, keys, read_badge

HARVARD = "https://www.harvard.edu/issuer"
CONTAINERS = ["png", "svg", "json", "jwt"]


def read(path: Path):  # type: ignore[no-untyped-def]
    return read_badge(path, root=path.parent, identities=[LEARNER], today=dt.date(2026, 6, 1))


def forged(issuer_id: str) -> dict[str, Any]:
    cred = ob3_credential(issuer_id)
    cred["issuer"]["name"] = "Harvard University"
    return cred


def save(tmp_path: Path, container: str, cred: dict[str, Any], key: Any, header: dict) -> Path:
    """The credential as a VC-JWT (png, svg, jwt) or with a Data Integrity proof (json)."""
    if container == "json":
        return write(tmp_path, "cred.json", json.dumps(di_sign(cred, key)))
    token = vc_jwt(cred, key, header=header)
    if container == "jwt":
        return write(tmp_path, "cred.jwt", token)
    image = png_image() if container == "png" else svg_image()
    return write(tmp_path, "cred." + container, bake(image, token))


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_forged_issuer_with_a_key_carried_in_the_file_is_unconfirmed(
    tmp_path: Path, container: str
) -> None:
    key = ed_key()
    jwk = {"jwk": keys.jwk_for(key.public_key())}  # JSON: the proof names the key's own did:key
    badge, diags = read(save(tmp_path, container, forged(HARVARD), key, jwk))
    assert badge.issuer.name == "Harvard University"
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "nothing ties that key to Harvard University" in badge.verification.reason
    (warning,) = [d for d in diags if "ties the key" in d.message]
    assert warning.message.startswith("signed, but nothing ties the key to the issuer: ")


@pytest.mark.parametrize("container", CONTAINERS)
def test_the_issuers_own_did_key_is_verified(tmp_path: Path, container: str) -> None:
    key = ed_key()
    did = did_key(key)
    badge, diags = read(save(tmp_path, container, forged(did), key, {"kid": kid_for(did)}))
    assert badge.verification.status == "verified", badge.verification.reason
    assert "the issuer's own key" in badge.verification.reason
    assert not [d for d in diags if "ties the key" in d.message]


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_did_key_issuer_signed_by_another_key_fails(tmp_path: Path, container: str) -> None:
    signer, issuer = ed_key(), ed_key()
    header = {"kid": kid_for(did_key(signer))}
    badge, _ = read(save(tmp_path, container, forged(did_key(issuer)), signer, header))
    assert badge.verification.status == "failed", badge.verification.reason
    assert "someone else signed in the issuer's name" in badge.verification.reason


@pytest.mark.parametrize("container", ["png", "svg", "jwt"])
def test_an_embedded_jwk_that_is_the_did_key_issuers_key_is_verified(
    tmp_path: Path, container: str
) -> None:
    key = ed_key()
    header = {"jwk": keys.jwk_for(key.public_key())}
    badge, _ = read(save(tmp_path, container, forged(did_key(key)), key, header))
    assert badge.verification.status == "verified", badge.verification.reason


@pytest.mark.parametrize("container", ["png", "svg", "jwt"])
def test_a_jwk_header_cannot_override_the_did_key_kid(tmp_path: Path, container: str) -> None:
    """kid names the issuer's did:key, jwk is the forger's: the kid's key is used, and fails."""
    issuer, forger = ed_key(), ed_key()
    did = did_key(issuer)
    header = {"kid": kid_for(did), "jwk": keys.jwk_for(forger.public_key())}
    badge, _ = read(save(tmp_path, container, forged(did), forger, header))
    assert badge.verification.status == "failed"


def test_did_jwk_issuer_is_verified_and_another_did_jwk_fails(tmp_path: Path) -> None:
    key, other = rsa_key(), rsa_key(1)
    did = did_jwk(key)
    token = vc_jwt(forged(did), key, alg="RS256", header={"kid": did + "#0"})
    badge, _ = read(write(tmp_path, "a.jwt", token))
    assert badge.verification.status == "verified", badge.verification.reason
    token = vc_jwt(forged(did), other, alg="RS256", header={"kid": did_jwk(other) + "#0"})
    badge, _ = read(write(tmp_path, "b.jwt", token))
    assert badge.verification.status == "failed"


@pytest.mark.parametrize("container", ["png", "svg"])
def test_ob2_signed_with_a_key_in_its_own_issuer_profile_is_unconfirmed(
    tmp_path: Path, container: str
) -> None:
    key = rsa_key()
    profile = issuer_profile(
        id=HARVARD,
        name="Harvard University",
        publicKey={"id": HARVARD + "#key", "publicKeyPem": pem(key.public_key())},
    )
    doc = ob2_assertion(signed_by=HARVARD + "#key", badge=badge_class(profile))
    image = png_image() if container == "png" else svg_image()
    badge, _ = read(write(tmp_path, "b." + container, bake(image, ob2_jws(doc, key))))
    assert badge.issuer.name == "Harvard University"
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "a key in the issuer profile carried inside the file" in badge.verification.reason


def test_statuses_are_one_closed_set() -> None:
    assert STATUSES == (
        "verified", "unconfirmed", "unverified", "failed", "expired", "revoked", "unreadable",
    )  # fmt: skip
    from portfolio_gen.badges.model import Verification

    with pytest.raises(ValueError):
        Verification("trusted", "no such status")  # type: ignore[arg-type]


def test_unconfirmed_reaches_the_json_csv_gallery_and_badge_page(
    cli, make_portfolio, tmp_path: Path
) -> None:
    key = ed_key()
    token = vc_jwt(forged(HARVARD), key, header={"jwk": keys.jwk_for(key.public_key())})
    root = make_portfolio({"badges/harvard.png": bake(png_image(), token)})
    out = tmp_path / "site"
    run = cli("build", str(root), "-o", str(out))
    assert run.code == 0, run.err
    assert "badges/harvard.png: warning: signed, but nothing ties the key to the issuer" in run.err
    (entry,) = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["badges"]
    assert entry["verification"]["status"] == "unconfirmed"
    for page in (out / "badges" / "harvard" / "index.html", out / "badges" / "index.html"):
        status = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "p.status-unconfirmed"
        )
        assert status is not None and status.get_text(" ", strip=True) == "◐ Unconfirmed"
    csv_file = tmp_path / "e.csv"
    assert cli("export", str(root), "--csv", str(csv_file)).code == 0
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert {r["verification status"] for r in rows if r["evidence type"] == "badge"} == {
        "unconfirmed"
    }


# ---------------------------------------- the files the project keeps, under the new rule

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("file", "status"),
    [
        ("maker-level-1.png", "verified"),  # OB 3.0 VC-JWT, issuer = did:key of the signing key
        ("maze-game-coder.svg", "verified"),  # the same, baked in an SVG
        ("water-data-collector.svg", "unconfirmed"),  # OB 2.0 JWS, key from .key.pem beside it
        ("creek-watcher.png", "unverified"),  # hosted OB 2.0, offline
    ],
)
def test_the_demo_badges_get_the_status_the_rule_gives(file: str, status: str) -> None:
    path = REPO / "badges" / file
    badge, _ = read_badge(
        path, root=REPO, identities=["maya@example.org"], today=dt.date(2026, 6, 1)
    )
    assert badge.verification.status == status, badge.verification.reason
