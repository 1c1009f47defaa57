"""Real-world badge files (tests/fixtures/badges-world/, SOURCES.md): each gets its status.

Offline, as a learner's build sees them; and the vc-test-fixtures did:web files
online, their DID document and status list served by the local HTTPS issuer
(conftest.py) under their real host name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import Site

from portfolio_gen.badges import read_badge
from portfolio_gen.badges.fetch import FetchError, cache_name

WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "badges-world"
TODAY = dt.date(2026, 12, 1)
STATUS_V1 = "https://www.w3.org/ns/credentials/status/v1"

EXPECTED = {
    # 1EdTech validator (inspector-vc test resources)
    "1edtech-ob20-simple.jwt": "unverified",  # signed 2.0: key at example.org, offline
    "1edtech-ob20-simple-badge.png": "unverified",  # hosted 2.0, offline
    "1edtech-ob30-simple.json": "unverified",  # key at an https issuer, offline
    "1edtech-ob30-simple.jwt": "failed",  # no achievement: malformed
    "1edtech-ob30-simple-jwt.svg": "unconfirmed",  # jwk in the header, https issuer
    "1edtech-ob30-simple-jwt.png": "unconfirmed",  # the same in a PNG
    "1edtech-ob30-simple-json.svg": "unverified",  # Data Integrity, https key, offline
    "1edtech-ob30-simple-did-key-method.json": "unconfirmed",  # did:key signer, https issuer
    "1edtech-ob30-simple-err-expired.json": "expired",
    "1edtech-ob30-simple-eddsa-2022.json": "unverified",  # the draft cryptosuite eddsa-2022
    "1edtech-ob30-credential-status-revoked.json": "unverified",  # did:web key, offline
    # vc-test-fixtures (Digital Credentials Consortium)
    "vcfix-bothSignatureTypes-didKey-legacy-noStatus-noExpiry-basicOBv3.json": "verified",
    "vcfix-dataIntegrityProof-didKey-legacy-noStatus-noExpiry.json": "verified",
    "vcfix-dataIntegrityProof-didKey-oidf-noStatus-expired.json": "expired",
    "vcfix-bothSignatureTypes-didWeb-oidf-revokedStatus-noExpiry.json": "unverified",
    "vcfix-bothSignatureTypes-didWeb-oidf-validStatus-noExpiry.json": "unverified",
    # the two bakeries (make_bakery_badges.py)
    "bakery-py-ob3-did-key.png": "verified",
    "bakery-py-ob3-forged-harvard.svg": "unconfirmed",
    "bakery-npm-ob3-did-key.svg": "verified",
    "bakery-npm-ob2-hosted.svg": "unverified",
    "bakery-npm-ob2-signed.svg": "unverified",
}


def read(path: Path, today: dt.date = TODAY, **kw):  # type: ignore[no-untyped-def]
    return read_badge(path, root=path.parent, today=today, cache_dir=path.parent / "cache", **kw)


def test_every_file_here_has_an_expected_status() -> None:
    files = {p.name for p in WORLD.iterdir() if p.is_file() and p.suffix != ".py"}
    files -= {"SOURCES.md", "1edtech-ob30-endorsement-valid.json"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize(("name", "status"), sorted(EXPECTED.items()))
def test_real_world_file_offline(tmp_path: Path, name: str, status: str) -> None:
    path = tmp_path / name
    path.write_bytes((WORLD / name).read_bytes())
    badge, _ = read(path)
    assert badge.verification.status == status, badge.verification.reason


def test_the_1edtech_endorsement_is_an_endorsement_not_a_failed_badge(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_bytes((WORLD / "1edtech-ob30-endorsement-valid.json").read_bytes())
    badge, diags = read(path)
    assert badge.endorses is not None and badge.endorses.verification is not None
    assert badge.endorses.verification.status == "unverified"  # its key is at an https address
    assert diags == []


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("vcfix-bothSignatureTypes-didWeb-oidf-revokedStatus-noExpiry.json", "revoked"),
        ("vcfix-bothSignatureTypes-didWeb-oidf-validStatus-noExpiry.json", "verified"),
    ],
)
def test_vc_test_fixtures_did_web_online(
    tmp_path: Path, site: Site, name: str, status: str
) -> None:
    site.add("/vc-test-fixtures/dids/oidf/did.json", (WORLD / "served/did.json").read_bytes())
    status_list = "/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj"
    site.add(status_list, (WORLD / "served/e5WK8CbZ1GjycuPombrj").read_bytes())
    # the W3C status list context is not one portfolio-gen ships: the learner puts it in
    # the cache folder (docs/badges.md, "The cache folder")
    context = WORLD / "served" / "vc-bitstring-status-list-v1.jsonld"
    contexts = tmp_path / "cache" / "contexts"
    contexts.mkdir(parents=True)
    (contexts / cache_name(STATUS_V1)).write_bytes(context.read_bytes())
    path = tmp_path / name
    path.write_bytes((WORLD / name).read_bytes())
    badge, _ = read(path, online=True)
    assert badge.verification.status == status, badge.verification.reason
    assert site.hits == ["/vc-test-fixtures/dids/oidf/did.json", status_list]
    badge, _ = read(path, today=TODAY + dt.timedelta(days=3))  # offline: kept, with its date
    assert (badge.verification.status, badge.checked) == (status, TODAY)


def test_offline_nothing_is_fetched(tmp_path: Path) -> None:
    """Without --online no file here makes a request, whatever addresses it names."""

    asked: list[str] = []

    def no_network(url: str):  # type: ignore[no-untyped-def]
        asked.append(url)
        raise FetchError("no network in this test")

    for file in WORLD.iterdir():
        if file.is_file() and file.suffix in (".png", ".svg", ".json", ".jwt"):
            path = tmp_path / file.name
            path.write_bytes(file.read_bytes())
            read(path, fetch=no_network)
            read(path, fetch=no_network, online=True)  # the same fetcher is used online
    assert asked  # online, the fetcher is asked (safe_fetch then refuses what is not https)
    count = len(asked)
    for path in tmp_path.iterdir():
        if path.is_file():
            read(path, fetch=no_network)
    assert len(asked) == count  # offline: nothing
