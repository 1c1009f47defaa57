"""Interoperability with the openbadges-bakery package, both directions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openbadges_bakery import bake as their_bake
from openbadges_bakery import unbake as their_unbake
from support.badge_factory import (
    LEARNER,
    did_key,
    ed_key,
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

from portfolio_gen.badges import bake, read_badge

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def theirs(image: bytes, text: str) -> bytes:
    return their_bake(io.BytesIO(image), text).read()


def read(path: Path):  # type: ignore[no-untyped-def]
    return read_badge(path, root=path.parent, identities=[LEARNER])


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_their_hosted_ob2_bake_is_read_by_us(tmp_path: Path, suffix: str) -> None:
    image = png_image() if suffix == ".png" else svg_image()
    doc = ob2_assertion()
    badge, diags = read(write(tmp_path, "theirs" + suffix, theirs(image, json.dumps(doc))))
    assert (badge.spec, badge.name, badge.issuer.name) == (
        "ob2",
        "Maker Level 1",
        "Hive Maker Club",
    )
    assert badge.verification.status == "unverified"  # hosted, offline
    assert diags == []


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_their_signed_ob2_bake_is_read_and_checked_by_us(tmp_path: Path, suffix: str) -> None:
    key = rsa_key()
    token = ob2_jws(ob2_assertion(signed_by="https://hive-maker.example.org/keys/1"), key)
    image = png_image() if suffix == ".png" else svg_image()
    path = write(tmp_path, "theirs" + suffix, theirs(image, token))
    write(tmp_path, "theirs.key.pem", pem(key.public_key()))
    badge, _ = read(path)
    assert (badge.spec, badge.signed) == ("ob2", "jws")
    # intact, but the key is the portfolio's own file, not the issuer's: unconfirmed
    assert badge.verification.status == "unconfirmed", badge.verification.reason


def test_their_png_bake_of_an_ob3_credential_is_read_as_ob3(tmp_path: Path) -> None:
    """Early OB 3.0 issuers used the 2.0 keyword: the content decides the version."""
    key = ed_key()
    did = did_key(key)
    token = vc_jwt(ob3_credential(did), key, header={"kid": kid_for(did)})
    badge, _ = read(write(tmp_path, "early.png", theirs(png_image(), token)))
    assert (badge.spec, badge.verification.status) == ("ob3", "verified")


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_our_ob2_bakes_are_read_by_them(suffix: str) -> None:
    image = png_image() if suffix == ".png" else svg_image()
    hosted = ob2_assertion()
    ours = bake(image, hosted)
    got = their_unbake(io.BytesIO(ours))
    if suffix == ".png":
        assert json.loads(got) == hosted
    else:  # their SVG reader returns the verify attribute: the hosted URL
        assert got == hosted["id"]
    token = ob2_jws(ob2_assertion(signed_by="https://hive-maker.example.org/keys/1"), rsa_key())
    assert their_unbake(io.BytesIO(bake(image, token))) == token


def test_our_rebake_replaces_their_chunk(tmp_path: Path) -> None:
    first = theirs(png_image(), json.dumps(ob2_assertion()))
    second = bake(first, ob2_assertion(narrative="Second version"))
    assert second.count(b"openbadges\x00") == 1
    assert json.loads(their_unbake(io.BytesIO(second)))["narrative"] == "Second version"
