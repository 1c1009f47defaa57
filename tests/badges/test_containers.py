from __future__ import annotations

import json
import struct
import zlib

import pytest
from support.badge_factory import png_image, svg_image

from portfolio_gen.badges import containers as c
from portfolio_gen.badges.containers import ContainerError

ASSERTION = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"})


def chunk(ctype: bytes, body: bytes, *, crc: int | None = None) -> bytes:
    value = zlib.crc32(ctype + body) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", value)


def insert_after_ihdr(png: bytes, *chunks: bytes) -> bytes:
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    return png[:ihdr_end] + b"".join(chunks) + png[ihdr_end:]


def itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    data = zlib.compress(text) if compressed else text
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return chunk(b"iTXt", keyword + b"\x00" + flag + b"en\x00\x00" + data)


def chunk_types(png: bytes) -> list[bytes]:
    out, pos = [], 8
    while pos < len(png):
        length, ctype = struct.unpack(">I4s", png[pos : pos + 8])
        out.append(ctype)
        pos += 12 + length
    return out


# ----------------------------------------------------------------------- PNG


def test_png_bake_puts_one_itxt_chunk_right_after_ihdr_and_reads_back() -> None:
    baked = c.bake_png(png_image(), ASSERTION, ob3=False)
    assert chunk_types(baked)[:2] == [b"IHDR", b"iTXt"]
    payload = c.extract_png(baked)
    assert payload.text == ASSERTION
    assert payload.kind == "json"
    assert payload.location == "the iTXt chunk 'openbadges'"
    assert payload.hint is None


def test_png_rebake_replaces_the_previous_chunk_and_uses_the_ob3_keyword() -> None:
    once = c.bake_png(png_image(), ASSERTION, ob3=False)
    twice = c.bake_png(once, "aaa.bbb.ccc", ob3=True)
    assert chunk_types(twice).count(b"iTXt") == 1
    payload = c.extract_png(twice)
    assert (payload.text, payload.kind, payload.hint) == ("aaa.bbb.ccc", "jws", "ob3")
    assert b"openbadgecredential\x00\x00\x00\x00\x00aaa" in twice


def test_png_bake_keeps_the_image_pixels() -> None:
    from io import BytesIO

    from PIL import Image

    original = png_image("orange")
    baked = c.bake_png(original, ASSERTION, ob3=False)
    assert Image.open(BytesIO(baked)).getpixel((3, 3)) == Image.open(BytesIO(original)).getpixel(
        (3, 3)
    )


def test_png_compressed_itxt_and_ztxt_are_read() -> None:
    png = insert_after_ihdr(png_image(), itxt(b"openbadges", ASSERTION.encode(), compressed=True))
    assert c.extract_png(png).text == ASSERTION
    z = chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(ASSERTION.encode()))
    assert c.extract_png(insert_after_ihdr(png_image(), z)).text == ASSERTION


def test_png_legacy_text_chunk_with_url() -> None:
    t = chunk(b"tEXt", b"openbadges\x00https://example.org/assertions/1")
    payload = c.extract_png(insert_after_ihdr(png_image(), t))
    assert (payload.kind, payload.text) == ("url", "https://example.org/assertions/1")
    assert payload.location == "the tEXt chunk 'openbadges'"


def test_png_not_a_png() -> None:
    with pytest.raises(ContainerError, match=r"^not a PNG image \(the file does not start"):
        c.extract_png(b"GIF89a....")


def test_png_no_badge_data() -> None:
    with pytest.raises(ContainerError, match="no badge data found: the PNG has no 'openbadges'"):
        c.extract_png(png_image())


def test_png_truncated() -> None:
    baked = c.bake_png(png_image(), ASSERTION, ob3=False)
    with pytest.raises(ContainerError, match=r"the PNG file is truncated \(it ends inside the"):
        c.extract_png(baked[:60])
    with pytest.raises(ContainerError, match=r"truncated \(it has no IEND chunk\)"):
        c.extract_png(baked[:-12])


def test_png_bad_crc_on_the_badge_chunk() -> None:
    bad = chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + ASSERTION.encode(), crc=1234)
    with pytest.raises(
        ContainerError, match=r"the badge data is damaged \(checksum mismatch in the iTXt"
    ):
        c.extract_png(insert_after_ihdr(png_image(), bad))


def test_png_several_different_badge_chunks() -> None:
    png = insert_after_ihdr(
        png_image(), itxt(b"openbadges", b"{}"), itxt(b"openbadgecredential", b"a.b.c")
    )
    with pytest.raises(ContainerError, match="the PNG holds 2 different badge chunks"):
        c.extract_png(png)


def test_png_identical_duplicate_chunks_are_read_with_a_note() -> None:
    png = insert_after_ihdr(
        png_image(),
        itxt(b"openbadges", ASSERTION.encode()),
        itxt(b"openbadges", ASSERTION.encode()),
    )
    payload = c.extract_png(png)
    assert payload.text == ASSERTION
    assert payload.notes == ("the PNG holds 2 identical badge chunks; a baked badge holds one",)


def test_png_invalid_utf8() -> None:
    png = insert_after_ihdr(png_image(), itxt(b"openbadges", b'{"name": "caf\xe9"}'))
    with pytest.raises(
        ContainerError, match=r"is not valid UTF-8 text \(byte 0xe9 at position 13\)"
    ):
        c.extract_png(png)


def test_png_non_json_text() -> None:
    png = insert_after_ihdr(png_image(), itxt(b"openbadges", b"hello, world"))
    with pytest.raises(
        ContainerError, match=r"is neither JSON, a signed token \(JWS\) nor a web address"
    ):
        c.extract_png(png)


def test_png_gigantic_chunk_is_refused_without_reading_it() -> None:
    header = struct.pack(">I", 0x7FFFFFF0) + b"iTXt" + b"openbadges\x00\x00\x00\x00\x00{"
    png = insert_after_ihdr(png_image(), header)
    with pytest.raises(
        ContainerError, match=r"the badge chunk is too large \(2048.0 MiB; the limit"
    ):
        c.extract_png(png)


def test_png_decompression_bomb_is_capped() -> None:
    bomb = itxt(b"openbadges", b"{" + b" " * (c.MAX_PAYLOAD_BYTES + 10) + b"}", compressed=True)
    assert len(bomb) < 20_000
    with pytest.raises(ContainerError, match="expands beyond the 2.0 MiB limit"):
        c.extract_png(insert_after_ihdr(png_image(), bomb))


# ----------------------------------------------------------------------- SVG


def test_svg_bake_hosted_json_into_cdata_with_verify_url() -> None:
    baked = c.bake_svg(svg_image(), ASSERTION, ob3=False, verify="https://example.org/a/1")
    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    # the element is the root's first child
    root_end = baked.index(b">", baked.index(b"<svg")) + 1
    assert baked[root_end:].startswith(b'<openbadges:assertion verify="https://example.org/a/1">')
    payload = c.extract_svg(baked)
    assert (payload.text, payload.kind, payload.verify_url) == (
        ASSERTION,
        "json",
        "https://example.org/a/1",
    )


def test_svg_bake_ob3_jwt_in_verify_attribute_and_rebake_replaces() -> None:
    once = c.bake_svg(svg_image(), ASSERTION, ob3=False)
    twice = c.bake_svg(once, "aaa.bbb.ccc", ob3=True)
    assert twice.count(b"openbadges:") == 2  # start tag + end tag
    assert twice.count(b"xmlns:openbadges=") == 1
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in twice
    payload = c.extract_svg(twice)
    assert (payload.text, payload.hint, payload.location) == (
        "aaa.bbb.ccc",
        "ob3",
        "the verify attribute of <openbadges:credential>",
    )


def test_svg_json_containing_cdata_end_survives() -> None:
    doc = json.dumps({"@context": "https://w3id.org/openbadges/v2", "narrative": "a]]>b"})
    payload = c.extract_svg(c.bake_svg(svg_image(), doc, ob3=False))
    assert json.loads(payload.text)["narrative"] == "a]]>b"


def test_svg_reads_ob3_namespace_with_json_body() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
        b'<ob:credential><![CDATA[{"a": 1}]]></ob:credential></svg>'
    )
    payload = c.extract_svg(svg)
    assert (payload.text, payload.hint, payload.line) == ('{"a": 1}', "ob3", 1)


def test_svg_undeclared_prefix_is_still_read() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><openbadges:assertion verify="a.b.c"/></svg>'
    assert c.extract_svg(svg).text == "a.b.c"
    rebaked = c.bake_svg(svg, "d.e.f", ob3=False)
    assert c.extract_svg(rebaked).text == "d.e.f"
    assert rebaked.endswith(b"</svg>")


def test_svg_self_closing_root_can_be_baked() -> None:
    baked = c.bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "a.b.c", ob3=False)
    assert c.extract_svg(baked).text == "a.b.c"


def test_svg_entity_bomb_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        b']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>'
    )
    with pytest.raises(
        ContainerError, match="the SVG declares entities in a DTD, which is refused"
    ):
        c.extract_svg(bomb)


def test_svg_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>'
    )
    with pytest.raises(ContainerError, match="no entity expansion, no external entities"):
        c.extract_svg(xxe)


def test_svg_external_dtd_reference_is_never_loaded() -> None:
    svg = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://example.org/a/1"/></svg>'
    )
    assert c.extract_svg(svg).text == "https://example.org/a/1"
    # an entity the external DTD would define is skipped, never fetched or expanded
    skipped = svg.replace(b'"/></svg>', b'">&nbsp;</openbadges:assertion></svg>')
    assert c.extract_svg(skipped).text == "https://example.org/a/1"
    # without a DTD, an undefined entity is an error
    with pytest.raises(ContainerError, match=r"not a well-formed SVG file \(undefined entity"):
        c.extract_svg(svg_image().replace(b"</svg>", b"&nbsp;</svg>"))


def test_svg_not_svg_and_not_xml() -> None:
    with pytest.raises(ContainerError, match=r"not an SVG image \(the root element is <html>"):
        c.extract_svg(b"<html><body/></html>")
    with pytest.raises(ContainerError, match=r"not a well-formed SVG file \(.*line 1"):
        c.extract_svg(b"\x89PNG not xml at all <")


def test_svg_no_badge_data_and_several_elements() -> None:
    with pytest.raises(ContainerError, match="no badge data found: the SVG has no"):
        c.extract_svg(svg_image())
    two = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">\n'
        b'<openbadges:assertion verify="a.b.c"/>\n<openbadges:assertion verify="d.e.f"/></svg>'
    )
    with pytest.raises(ContainerError, match="the SVG holds 2 badge elements") as info:
        c.extract_svg(two)
    assert info.value.line == 3


def test_svg_empty_badge_element() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:assertion></openbadges:assertion></svg>"
    )
    with pytest.raises(
        ContainerError, match=r"no badge data found: <openbadges:assertion> is empty"
    ):
        c.extract_svg(svg)


# ----------------------------------------------------------------- stand-alone


def test_standalone_files_and_classify() -> None:
    assert c.extract_standalone(b"\xef\xbb\xbf" + ASSERTION.encode(), ".json").kind == "json"
    assert c.extract_standalone(b"eyJh.eyJi.c2ln\n", ".jwt").kind == "jws"
    with pytest.raises(ContainerError, match="the credential file is too large"):
        c.extract_standalone(b"{" + b" " * c.MAX_PAYLOAD_BYTES + b"}", ".json")
    assert c.classify("https://example.org/a") == "url"
    with pytest.raises(ContainerError, match="the badge data is empty"):
        c.classify("  ")


def test_sniff() -> None:
    assert c.sniff(png_image()) == "png"
    assert c.sniff(svg_image()) == "svg"
    assert c.sniff(b"GIF89a") is None


def test_png_badge_chunks_inflate_to_a_total_budget(monkeypatch) -> None:
    """Many compressed chunks of the same text (told apart only by their language tag)
    used to be inflated and kept, all of them: 1,500 took 3 GB. Now 8 MiB in all."""
    text = zlib.compress(b" " * (c.MAX_PAYLOAD_BYTES - 2) + b"{}", 9)
    chunks = [chunk(b"iTXt", b"openbadges\x00\x01\x00x-%d\x00\x00" % i + text) for i in range(6)]
    inflated: list[int] = []
    real = c._inflate
    monkeypatch.setattr(c, "_inflate", lambda *a: inflated.append(1) or real(*a))
    with pytest.raises(ContainerError) as info:
        c.extract_png(insert_after_ihdr(png_image(), *chunks))
    assert info.value.message == (
        "the badge chunks of this PNG expand beyond the 8.0 MiB limit together; "
        "a baked badge holds one chunk"
    )
    assert len(inflated) == 5  # 2 MiB each: the fifth goes over the budget and stops there


def test_png_chunks_with_the_same_bytes_are_not_inflated_again(monkeypatch) -> None:
    same = itxt(b"openbadges", ASSERTION.encode(), compressed=True)
    inflated: list[int] = []
    real = c._inflate
    monkeypatch.setattr(c, "_inflate", lambda *a: inflated.append(1) or real(*a))
    payload = c.extract_png(insert_after_ihdr(png_image(), *[same] * 50))
    assert payload.text == ASSERTION and len(inflated) == 1
    assert payload.notes == ("the PNG holds 50 identical badge chunks; a baked badge holds one",)


def test_png_with_too_many_chunks_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(c, "MAX_PNG_CHUNKS", 10)
    png = insert_after_ihdr(png_image(), *[chunk(b"tIME", b"\x00" * 7)] * 10)
    with pytest.raises(ContainerError, match="the PNG file has more than 10 chunks"):
        c.extract_png(png)


@pytest.mark.parametrize(
    "body",
    [b"&lt;&gt;" * 50_000, b"<![CDATA[{]]>" + b"<![CDATA[ ]]>" * 50_000 + b"<![CDATA[}]]>"],
    ids=["entities", "cdata-sections"],
)
def test_svg_badge_text_in_many_pieces_is_read_whole(body: bytes) -> None:
    """Each piece used to re-add the sizes of all before it (minutes for 1 MB:
    benchmarks/hostile.py); the text read is the same."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:assertion>" + body + b"</openbadges:assertion></svg>"
    )
    if body.startswith(b"&"):
        with pytest.raises(ContainerError, match=r"\(100000 characters\) is neither JSON"):
            c.extract_svg(svg)
    else:
        payload = c.extract_svg(svg)
        assert payload.kind == "json" and len(payload.text) == 50_002


def test_svg_badge_text_over_the_limit_is_refused() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:assertion>"
        + b"&lt;" * (c.MAX_PAYLOAD_BYTES + 1)
        + b"</openbadges:assertion></svg>"
    )
    with pytest.raises(ContainerError, match="the badge element is too large"):
        c.extract_svg(svg)


def test_svg_badge_verify_attribute_over_the_limit_is_refused() -> None:
    """The payload limit holds for a token in ``verify`` as for the element's text."""
    token = "a." + "b" * c.MAX_PAYLOAD_BYTES + ".c"
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">\n'
        b'<openbadges:assertion verify="' + token.encode() + b'"/></svg>'
    )
    with pytest.raises(ContainerError, match="the badge element is too large") as info:
        c.extract_svg(svg)
    assert info.value.line == 2
    assert c.extract_svg(svg.replace(b"b" * 1000, b"", 1100)).kind == "jws"
