"""Endorsements of badges: inside the badge or beside it, each verified like a badge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.badge_factory import (
    LEARNER,
    OB2_CONTEXT,
    OB3_CONTEXT,
    VC2,
    deep,
    di_sign,
    did_key,
    ed_key,
    kid_for,
    ob2_assertion,
    ob3_credential,
    png_image,
    vc_jwt,
    write,
)
from support.helpers import html, project

from portfolio_gen.badges import bake, is_badge_file, read_badge
from portfolio_gen.badges.fetch import Response

ACHIEVEMENT = "https://eastside-library.example.org/achievements/maze"
MUSEUM = "Riverside Science Museum"


def endorsement(subject: str = ACHIEVEMENT, comment: str = "A rigorous badge.", **extra: Any):
    key = ed_key()
    did = did_key(key)
    cred = {
        "@context": [VC2, OB3_CONTEXT],
        "id": "urn:uuid:11111111-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "The museum endorses Maze Game Coder",
        "issuer": {"id": did, "type": ["Profile"], "name": MUSEUM, "url": "https://museum.example.org"},
        "validFrom": "2026-04-02T12:00:00Z",
        "credentialSubject": {"id": subject, "type": ["EndorsementSubject"], "endorsementComment": comment},
        **extra,
    }  # fmt: skip
    return cred, key


def signed_badge(tmp_path: Path, cred: dict[str, Any], name: str = "maze.png") -> Path:
    key = ed_key()
    did = did_key(key)
    cred = deep(cred)
    cred["issuer"]["id"] = did
    token = vc_jwt(cred, key, header={"kid": kid_for(did)})
    return write(tmp_path, name, bake(png_image(), token))


def read(path: Path, **kw: Any):  # type: ignore[no-untyped-def]
    return read_badge(path, root=path.parent, identities=[LEARNER], **kw)


def test_an_embedded_endorsement_credential_is_verified(tmp_path: Path) -> None:
    endorsed, key = endorsement()
    cred = ob3_credential("did:example:placeholder")
    cred["credentialSubject"]["achievement"]["endorsement"] = [di_sign(endorsed, key)]
    badge, diags = read(signed_badge(tmp_path, cred))
    assert badge.verification.status == "verified", badge.verification
    (e,) = badge.endorsements
    assert (e.issuer, e.comment, e.about, e.spec, e.source) == (
        MUSEUM, "A rigorous badge.", "badge", "ob3", None,
    )  # fmt: skip
    assert e.issuer_url == "https://museum.example.org"
    assert e.verification.status == "verified"
    # honest about what an offline check proves, and said of the endorsement
    assert "the endorsement is unchanged since it was signed" in e.verification.reason
    assert f"nothing offline shows that this key belongs to {MUSEUM}" in e.verification.reason
    assert not diags


def test_a_changed_endorsement_fails(tmp_path: Path) -> None:
    endorsed, key = endorsement()
    signed = di_sign(endorsed, key)
    signed["credentialSubject"]["endorsementComment"] = "The best badge ever."
    cred = ob3_credential("did:example:placeholder")
    cred["credentialSubject"]["achievement"]["endorsement"] = [signed]
    badge, _ = read(signed_badge(tmp_path, cred))
    assert badge.verification.status == "verified"  # the badge itself is fine
    (e,) = badge.endorsements
    assert e.verification.status == "failed"
    assert "the endorsement was changed after signing" in e.verification.reason


def test_an_endorsement_jwt_is_verified(tmp_path: Path) -> None:
    endorsed, key = endorsement(subject="urn:uuid:6a7b8c9d-0000-4000-8000-000000000003")
    did = endorsed["issuer"]["id"]
    token = vc_jwt(endorsed, key, header={"kid": kid_for(did)})
    cred = ob3_credential("did:example:placeholder", endorsementJwt=[token])
    badge, _ = read(signed_badge(tmp_path, cred))
    (e,) = badge.endorsements
    assert e.verification.status == "verified", e.verification
    assert e.about == "award"  # it names the credential's own id


def test_endorsement_files_beside_the_badge(tmp_path: Path) -> None:
    cred = ob3_credential("did:example:placeholder")
    badge_path = signed_badge(tmp_path, cred)
    good, key = endorsement(comment="We welcome holders as volunteers.")
    write(tmp_path, "maze.endorsement.json", json.dumps(di_sign(good, key)))
    other, key2 = endorsement(subject="https://elsewhere.example.org/achievements/x")
    write(tmp_path, "maze.museum.endorsement.json", json.dumps(di_sign(other, key2)))
    write(tmp_path, "maze.broken.endorsement.json", "{not json")
    write(tmp_path, "maze.badge.endorsement.json", json.dumps(cred))
    write(tmp_path, "other.endorsement.json", json.dumps(di_sign(good, key)))  # names another badge
    for name in ("maze.endorsement.json", "maze.endorsement.jwt"):
        assert not is_badge_file(tmp_path / name)
    badge, diags = read(badge_path)
    by_file = {e.source: e for e in badge.endorsements}
    assert set(by_file) == {"maze.endorsement.json", "maze.museum.endorsement.json"}
    assert by_file["maze.endorsement.json"].verification.status == "verified"
    assert by_file["maze.endorsement.json"].comment == "We welcome holders as volunteers."
    failed = by_file["maze.museum.endorsement.json"].verification
    assert failed.status == "failed"
    assert failed.reason.startswith(
        "It endorses https://elsewhere.example.org/achievements/x, which is not this badge"
    )
    messages = sorted(str(d) for d in diags)
    assert any(
        m.startswith("maze.broken.endorsement.json: warning: endorsement not readable")
        for m in messages
    )
    assert any(
        m.startswith("maze.badge.endorsement.json: warning: endorsement ignored: It is not an Open "
                     "Badges endorsement") for m in messages
    ), messages  # fmt: skip
    assert any(
        m.startswith("maze.museum.endorsement.json: warning: endorsement failed verification")
        for m in messages
    )


def test_an_expired_endorsement_says_so(tmp_path: Path) -> None:
    endorsed, key = endorsement(validUntil="2026-05-01T00:00:00Z")
    cred = ob3_credential("did:example:placeholder")
    cred["credentialSubject"]["achievement"]["endorsement"] = [di_sign(endorsed, key)]
    badge, _ = read(signed_badge(tmp_path, cred))
    assert badge.endorsements[0].verification.status == "expired"


def ob2_endorsement() -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "Endorsement",
        "id": "https://museum.example.org/endorsements/1.json",
        "issuer": {
            "type": "Profile",
            "id": "https://museum.example.org/issuer.json",
            "name": MUSEUM,
            "url": "https://museum.example.org",
        },
        "issuedOn": "2026-04-01T00:00:00Z",
        "claim": {
            "id": "https://hive-maker.example.org/badges/maker-1.json",
            "endorsementComment": "Solid engineering criteria.",
        },
        "verification": {"type": "HostedBadge"},
    }


def test_ob2_hosted_endorsement_offline_and_online(tmp_path: Path) -> None:
    assertion = ob2_assertion()
    assertion["badge"]["endorsement"] = [ob2_endorsement()]
    path = write(tmp_path, "maker.png", bake(png_image(), json.dumps(assertion)))
    badge, _ = read(path)
    (e,) = badge.endorsements
    assert (e.issuer, e.about, e.spec) == (MUSEUM, "badge", "ob2")
    assert e.verification.status == "unverified"
    assert e.verification.reason == (
        "This hosted endorsement can only be checked on the endorser's server "
        "(run with --online to check it)."
    )
    served = {
        ob2_endorsement()["id"]: json.dumps(ob2_endorsement()),
        assertion["id"]: json.dumps(assertion),
    }
    fetch = lambda url: Response(url, 200, served[url].encode())  # noqa: E731
    badge, _ = read(path, online=True, fetch=fetch)
    assert badge.endorsements[0].verification.status == "verified"
    assert "museum.example.org" in badge.endorsements[0].verification.reason


def test_ob2_endorsement_given_only_as_an_address(tmp_path: Path) -> None:
    assertion = ob2_assertion()
    assertion["badge"]["endorsement"] = ["https://museum.example.org/endorsements/1.json"]
    path = write(tmp_path, "maker.png", bake(png_image(), json.dumps(assertion)))
    badge, _ = read(path)
    (e,) = badge.endorsements
    assert e.verification.status == "unverified"
    assert e.verification.reason == (
        "Only the endorsement's web address is known: "
        "https://museum.example.org/endorsements/1.json (run with --online to fetch it)."
    )


def test_the_badge_page_shows_endorsements_with_their_status(cli, make_portfolio, tmp_path):
    endorsed, key = endorsement()
    cred = ob3_credential("did:example:placeholder")
    badge_file = signed_badge(tmp_path, cred)
    root = make_portfolio(
        {
            "content/projects/a.md": project("A"),
            "badges/maze.png": badge_file.read_bytes(),
            "badges/maze.endorsement.json": json.dumps(di_sign(endorsed, key)),
        }
    )
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    page = html(root / "site/badges/maze/index.html")
    section = page.find("section", class_="endorsements")
    item = section.select_one(".endorsement")
    assert item.select_one(".endorser a").get_text() == MUSEUM
    assert item.select_one(".endorsement-comment").get_text(strip=True) == "A rigorous badge."
    assert item.select_one(".status").get_text(" ", strip=True) == "✔ Endorsement: Verified"
    # what it means to a viewer, not the verifier's reason (that is for the terminal)
    assert "this endorsement is authentic." in item.select_one(".status-reason").get_text()
    # the endorsement file is not a badge of its own
    assert not (root / "site/badges/maze-endorsement").exists()


def test_the_demo_badge_is_endorsed_and_verified():
    repo = Path(__file__).resolve().parents[2]
    badge, _ = read_badge(repo / "badges/maker-level-1.png", root=repo, identities=[LEARNER])
    assert badge.verification.status == "verified"
    assert [(e.issuer, e.verification.status) for e in badge.endorsements] == [(MUSEUM, "verified")]
