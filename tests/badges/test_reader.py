from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.badge_factory import (
    LEARNER,
    badge_class,
    ob2_assertion,
    ob3_credential,
    png_image,
    svg_image,
    write,
)

from portfolio_gen.badges import bake, is_badge_file, read_badge
from portfolio_gen.badges.containers import MAX_FILE_BYTES
from portfolio_gen.badges.reader import BUG, PLAIN_EMAIL


def read(path: Path, **kw):  # type: ignore[no-untyped-def]
    return read_badge(path, root=path.parent.parent, identities=[LEARNER], **kw)


def one_warning(path: Path) -> tuple[str, str]:
    badge, diags = read(path)
    assert len(diags) == 1, diags
    assert diags[0].severity == "warning"
    return badge.verification.status, str(diags[0])


def baked_png_with(text: bytes) -> bytes:
    png = png_image()
    body = b"openbadges\x00\x00\x00\x00\x00" + text
    crc = zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", crc)
    return png[:33] + chunk + png[33:]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "gif.png",
            b"GIF89a\x01\x00",
            "badges/gif.png: warning: unreadable badge: not a PNG image (the file does not "
            "start with the PNG signature)",
        ),
        (
            "half.png",
            bake(png_image(), json.dumps(ob2_assertion()))[:70],
            "badges/half.png: warning: unreadable badge: the PNG file is truncated (it ends "
            "inside the 'iTXt' chunk)",
        ),
        (
            "plain.png",
            png_image(),
            "badges/plain.png: warning: unreadable badge: no badge data found: the PNG has no "
            "'openbadges' or 'openbadgecredential' chunk",
        ),
        (
            "latin1.png",
            baked_png_with(b'{"name": "\xff"}'),
            "badges/latin1.png: warning: unreadable badge: the badge data in the iTXt chunk "
            "'openbadges' is not valid UTF-8 text (byte 0xff at position 10)",
        ),
        (
            "words.png",
            baked_png_with(b"congratulations!"),
            "badges/words.png: warning: unreadable badge: the badge data (16 characters) is "
            "neither JSON, a signed token (JWS) nor a web address",
        ),
        (
            "broken.png",
            baked_png_with(b'{"recipient": '),
            "badges/broken.png: warning: unreadable badge: the badge data is not valid JSON: "
            "Expecting value (line 1, column 14)",
        ),
        (
            "class.png",
            baked_png_with(json.dumps(badge_class()).encode()),
            "badges/class.png: warning: unreadable badge: the JSON is a badge description "
            "(BadgeClass/Achievement), not a badge awarded to someone",
        ),
        (
            "random.json",
            b'{"title": "my homework"}',
            "badges/random.json: warning: unreadable badge: the JSON is not an Open Badge (it "
            "has no Open Badges or Verifiable Credentials @context, and no 'recipient' and "
            "'badge')",
        ),
        (
            "bad.jwt",
            b"abc.def",
            "badges/bad.jwt: warning: unreadable badge: the badge data (7 characters) is "
            "neither JSON, a signed token (JWS) nor a web address",
        ),
        (
            "bad2.jwt",
            b"e30.bm90IGpzb24.c2ln",
            "badges/bad2.jwt: warning: unreadable badge: the token's content is not JSON",
        ),
        (
            "png.svg",
            png_image(),
            "badges/png.svg: warning: unreadable badge: not an SVG image (it is a PNG file with "
            "a .svg name)",
        ),
        (
            "bomb.svg",
            b'<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
            "badges/bomb.svg:1: warning: unreadable badge: the SVG declares entities in a DTD, "
            "which is refused for safety (no entity expansion, no external entities)",
        ),
    ],
)
def test_bad_input_gives_one_warning_naming_the_file(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path / "badges", name, data)
    status, text = one_warning(path)
    assert status == "unreadable"
    assert text == message


def test_bad_crc_and_gigantic_chunk(tmp_path: Path) -> None:
    good = baked_png_with(json.dumps(ob2_assertion()).encode())
    bad_crc = bytearray(good)
    bad_crc[70] ^= 0x01  # a byte inside the badge chunk's text
    status, text = one_warning(write(tmp_path / "badges", "crc.png", bytes(bad_crc)))
    assert status == "unreadable"
    assert "checksum mismatch in the iTXt chunk 'openbadges'" in text
    huge = png_image()[:33] + struct.pack(">I", 0x40000000) + b"iTXt" + b"openbadges\x00\x00\x00"
    status, text = one_warning(write(tmp_path / "badges", "huge.png", huge))
    assert text.endswith("the badge chunk is too large (1024.0 MiB; the limit is 2.0 MiB)")


def test_file_size_is_capped_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "badges" / "big.png"
    path.parent.mkdir()
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    status, text = one_warning(path)
    assert text == (
        "badges/big.png: warning: unreadable badge: the file is too large (over 16.0 MiB; "
        "the limit is 16.0 MiB)"
    )


def test_unreadable_badge_keeps_a_usable_record(tmp_path: Path) -> None:
    badge, _ = read(write(tmp_path / "badges", "Maker Level 1.png", b"nope"))
    assert (badge.file, badge.slug, badge.spec, badge.name) == (
        "Maker Level 1.png",
        "maker-level-1",
        None,
        "Maker Level 1",
    )
    assert badge.verification.reason.startswith("Not a PNG image")


def test_sidecars_fill_in_badge_class_and_issuer(tmp_path: Path) -> None:
    folder = tmp_path / "badges"
    path = write(folder, "maker.png", bake(png_image(), json.dumps(ob2_assertion(embedded=False))))
    badge, diags = read(path)
    assert badge.name == "maker"
    assert badge.missing == (
        "badge class (only a URL: https://hive-maker.example.org/badges/maker-1.json)",
    )
    write(folder, "maker.badgeclass.json", json.dumps(badge_class()))
    write(
        folder,
        "maker.issuer.json",
        json.dumps({"id": "https://hive-maker.example.org/issuer.json", "name": "Hive Maker Club"}),
    )
    badge, diags = read(path)
    assert (badge.name, badge.issuer.name, badge.missing, diags) == (
        "Maker Level 1",
        "Hive Maker Club",
        (),
        [],
    )


def test_sidecar_for_another_badge_class_is_ignored_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "badges"
    path = write(folder, "maker.png", bake(png_image(), json.dumps(ob2_assertion(embedded=False))))
    write(folder, "maker.badgeclass.json", json.dumps({**badge_class(), "id": "https://x.org/b"}))
    badge, diags = read(path)
    assert badge.name == "maker"
    assert [str(d) for d in diags] == [
        "badges/maker.badgeclass.json: warning: sidecar file ignored: its id (https://x.org/b) "
        "is not the badge class the badge names "
        "(https://hive-maker.example.org/badges/maker-1.json)",
        "badges/maker.png: warning: the badge class is only a web address and no copy has been "
        "fetched: badge class (only a URL: https://hive-maker.example.org/badges/maker-1.json); "
        "build with --online to fetch it (or save it beside the badge: docs/badges.md, "
        "sidecar files)",
    ]
    write(folder, "maker.badgeclass.json", "{not json")
    _, diags = read(path)
    assert str(diags[0]).startswith(
        "badges/maker.badgeclass.json: warning: sidecar file ignored: not readable JSON"
    )


def test_identical_duplicate_chunks_warn_but_read(tmp_path: Path) -> None:
    text = json.dumps(ob2_assertion()).encode()
    twice = baked_png_with(text)
    body = b"openbadges\x00\x00\x00\x00\x00" + text
    chunk = (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
    )
    twice = twice[:33] + chunk + twice[33:]
    badge, diags = read(write(tmp_path / "badges", "dup.png", twice))
    assert badge.name == "Maker Level 1"
    assert [str(d) for d in diags] == [
        "badges/dup.png: warning: the PNG holds 2 identical badge chunks; a baked badge holds one"
    ]


def test_ob3_content_under_the_ob2_keyword_is_read_as_ob3(tmp_path: Path) -> None:
    cred = json.dumps(ob3_credential("did:example:x"))
    badge, _ = read(write(tmp_path / "badges", "mixed.png", baked_png_with(cred.encode())))
    assert badge.spec == "ob3"


def test_is_badge_file() -> None:
    yes = ["a.png", "a.SVG", "a.json", "a.jws", "a.jwt"]
    no = ["a.badgeclass.json", "a.issuer.json", "a.key.pem", ".hidden.png", "a.gif", "a.md"]
    assert [is_badge_file(Path(n)) for n in yes] == [True] * len(yes)
    assert [is_badge_file(Path(n)) for n in no] == [False] * len(no)


def test_bake_refuses_what_is_not_a_badge() -> None:
    with pytest.raises(ValueError, match="the JSON is a badge description"):
        bake(png_image(), badge_class())
    with pytest.raises(ValueError, match="neither a PNG nor an SVG"):
        bake(b"GIF89a", ob2_assertion())
    with pytest.raises(ValueError, match="is neither JSON, a signed token"):
        bake(svg_image(), "hello")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".png", ".svg", ".json", ".jwt"]))
def test_read_badge_never_raises(tmp_path: Path, data: bytes, suffix: str) -> None:
    prefix = {".png": png_image()[:33], ".svg": b"<svg xmlns='http://www.w3.org/2000/svg'>"}
    path = write(tmp_path / "badges", "fuzz" + suffix, prefix.get(suffix, b"") + data)
    badge, diags = read(path)
    assert badge.verification.status in ("unreadable", "unverified", "failed")
    assert BUG not in badge.verification.reason  # a TypeError in the reader: a bug, not input
    if badge.verification.status == "unreadable":
        assert diags and diags[0].path == "badges/fuzz" + suffix


OB1_ASSERTION = {
    "uid": "abc-1",
    "recipient": {"type": "email", "hashed": False, "identity": LEARNER},
    "badge": "https://old-club.example.org/badge.json",
    "verify": {"type": "hosted", "url": "https://old-club.example.org/assertions/abc-1.json"},
    "issuedOn": 1359217910,
}
OB1_BADGE_CLASS = {
    "name": "Early Bird",
    "description": "An Open Badges 1.0 badge.",
    "image": "https://old-club.example.org/early.png",
    "criteria": "https://old-club.example.org/criteria",
    "issuer": "https://old-club.example.org/org.json",
    "alignment": [{"name": "MS-ETS1-1", "url": "https://www.nextgenscience.org/pe/ms-ets1-1"}],
}


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_ob1_hosted_badge_with_sidecars(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "badges"
    image = png_image() if suffix == ".png" else svg_image()
    path = write(folder, "early" + suffix, bake(image, json.dumps(OB1_ASSERTION)))
    write(folder, "early.badgeclass.json", json.dumps(OB1_BADGE_CLASS))
    badge, diags = read(path)
    assert (badge.spec, badge.name, badge.issued_on.isoformat()) == (
        "ob1",
        "Early Bird",
        "2013-01-26",
    )
    assert badge.alignments[0].name == "MS-ETS1-1"
    assert badge.missing == ("issuer (only a URL: https://old-club.example.org/org.json)",)
    assert badge.recipient_kind == "email"
    assert badge.verification.status == "unverified"
    # issue 19: offline, the issuer given only as a URL is warned about, naming the file
    assert [d.message for d in diags] == [
        "the issuer is only a web address and no copy has been fetched: issuer (only a URL: "
        "https://old-club.example.org/org.json); build with --online to fetch it (or save it "
        "beside the badge: docs/badges.md, sidecar files)",
        PLAIN_EMAIL,  # its plain e-mail recipient is published with the file (issue 16)
    ]
    assert diags[0].path == f"badges/early{suffix}"


def test_legacy_text_chunk_with_only_a_url(tmp_path: Path) -> None:
    png = png_image()
    body = b"openbadges\x00https://old-club.example.org/assertions/abc-1.json"
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    badge, diags = read(write(tmp_path / "badges", "legacy.png", png[:33] + chunk + png[33:]))
    assert (badge.spec, badge.verification.status) == ("ob1", "unverified")
    assert badge.missing == (
        "assertion (only a URL: https://old-club.example.org/assertions/abc-1.json)",
    )
    assert diags == []


def test_a_plain_email_recipient_is_warned_about(tmp_path: Path) -> None:
    assertion = ob2_assertion(recipient={"type": "email", "hashed": False, "identity": LEARNER})
    path = write(tmp_path / "badges", "plain.png", bake(png_image(), json.dumps(assertion)))
    _, diags = read(path)
    assert (
        "badges/plain.png: warning: this badge shows your e-mail address to anyone who "
        "downloads it (its recipient is not hashed); ask the issuer for a hashed badge or "
        "remove it"
    ) in [str(d) for d in diags]
    hashed = write(
        tmp_path / "badges", "hashed.png", bake(png_image(), json.dumps(ob2_assertion()))
    )
    assert not any("e-mail" in str(d) for d in read(hashed)[1])
