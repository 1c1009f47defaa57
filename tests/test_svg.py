"""portfolio_gen.svg: only inert SVG comes out, whatever goes in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio_gen.svg import ATTRIBUTES, ELEMENTS, SvgError, clean_css, notes, sanitize

FIXTURES = Path(__file__).parent / "fixtures" / "svg"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def assert_inert(data: bytes) -> None:
    """Parsed again: allow-listed elements and attributes, local links, no outside URL."""
    root = ElementTree.fromstring(data)
    for el in root.iter():
        assert el.tag.startswith(SVG) and el.tag[len(SVG) :] in ELEMENTS, el.tag
        for name, value in el.attrib.items():
            local = name.rpartition("}")[2]
            assert local in ATTRIBUTES or name.startswith("{http://www.w3.org/XML"), name
            assert not local.lower().startswith("on"), name
            if local == "href":
                assert re.fullmatch(r"#\S*|data:image/(png|jpeg|gif|webp)[;,]\S*", value), value
            for target in re.findall(r"url\(\s*['\"]?\s*(.?)", value, re.I):
                assert target == "#", value
            assert "javascript:" not in value.lower() and "\\" not in value
        if el.tag == SVG + "animate" or el.tag == SVG + "set":
            assert el.get("attributeName", "").rpartition(":")[2] not in ("href", "style")
        if el.tag == SVG + "style":  # text elsewhere is only text
            css = (el.text or "").lower()
            for word in ("@import", "image-set", "expression", "\\", "//"):
                assert word not in css, word
            assert all(t == "#" for t in re.findall(r"url\(\s*['\"]?\s*(.?)", css)), css


def test_every_attack_in_the_hostile_fixture_is_removed():
    cleaned = sanitize((FIXTURES / "hostile.svg").read_bytes())
    assert_inert(cleaned.data)
    root = ElementTree.fromstring(cleaned.data)
    assert root.find(f"{SVG}title").text == "A hostile drawing"  # kept for accessibility
    assert [e.get("href") for e in root.iter(SVG + "image")] == [
        None,
        None,
        "data:image/png;base64,iVBORw0KGgo=",
    ]
    assert [e.get(XLINK_HREF) for e in root.iter(SVG + "use")] == [None, "#g"]
    assert root.find(SVG + "rect").get("fill") == "url(#g)"
    assert root.find(SVG + "rect").get("style") == ";stroke:red"
    assert b"alert" not in cleaned.data and b"tracker" not in cleaned.data
    assert cleaned.active and not cleaned.paths
    assert notes(cleaned) == (
        "scripts, event handlers or references to other sites removed "
        "(an SVG on the site may not run code or load anything from elsewhere)",
    )


def test_editor_metadata_and_its_folders_are_removed():
    cleaned = sanitize((FIXTURES / "inkscape.svg").read_bytes())
    assert_inert(cleaned.data)
    for private in (b"ana-lopez", b"Ana Lopez", b"inkscape", b"sodipodi", b"robot-arm", b"rdf"):
        assert private not in cleaned.data
    root = ElementTree.fromstring(cleaned.data)
    assert root.find(f"{SVG}g/{SVG}rect").get("style") == "fill:#3a7;stroke:#000;stroke-width:0.5"
    assert root.get("viewBox") == "0 0 80 40"
    assert cleaned.paths and not cleaned.active
    assert notes(cleaned) == ("editor metadata removed (it named a folder on your computer)",)


def test_metadata_without_a_folder_is_removed_silently():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"'
        b' sodipodi:docname="arm.svg"><metadata>made by Ana</metadata><rect/></svg>'
    )
    cleaned = sanitize(svg)
    assert b"arm.svg" not in cleaned.data and b"Ana" not in cleaned.data
    assert notes(cleaned) == ()


@pytest.mark.parametrize(
    "case",
    json.loads((FIXTURES / "dompurify-svg-payloads.json").read_text("utf-8")),
    ids=lambda c: c["title"][:40],
)
def test_dompurify_payloads_are_refused_or_made_inert(case):
    payload = case["payload"]
    for text in (payload, f'<svg xmlns="http://www.w3.org/2000/svg">{payload}</svg>'):
        try:
            cleaned = sanitize(text.encode("utf-8"))
        except SvgError:
            continue  # not well-formed XML: not published at all
        assert_inert(cleaned.data)


def test_output_is_deterministic_and_stable():
    data = (FIXTURES / "hostile.svg").read_bytes()
    once = sanitize(data).data
    assert sanitize(data).data == once
    assert sanitize(once).data == once  # sanitizing again changes nothing
    assert sanitize(b"<svg><rect/></svg>").data == sanitize(b"<svg><rect></rect></svg>").data


@pytest.mark.parametrize(
    "svg, message",
    [
        (
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
            "the SVG declares entities in a DTD, which is refused for safety (no entity "
            "expansion, no external entities); export it again without them (in Illustrator: "
            "File > Export > Export As > SVG)",
        ),
        (b"<html><svg/></html>", "not an SVG image (the root element is <html>, not <svg>)"),
        (b"<svg><g></svg>", "not a well-formed SVG file (mismatched tag, line 1, column 11)"),
        (
            b"<svg>" + b"<g>" * 600 + b"</g>" * 600 + b"</svg>",
            "the SVG file is nested too deeply (more than 512 elements inside one another)",
        ),
    ],
)
def test_unreadable_svg_is_refused_with_a_reason(svg, message):
    with pytest.raises(SvgError) as info:
        sanitize(svg)
    assert info.value.message == message


def test_undeclared_prefixes_are_read_by_prefix():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><metadata><rdf:RDF>/home/ana</rdf:RDF></metadata>'
        b'<a xlink:href="javascript:alert(1)">x</a><a xlink:href="#y">y</a></svg>'
    )
    cleaned = sanitize(svg)
    assert_inert(cleaned.data)
    assert b'<a xlink:href="#y">y</a>' in cleaned.data and cleaned.paths and cleaned.active


@pytest.mark.parametrize(
    "css, kept",
    [
        ("fill:red;stroke:url(#g)", "fill:red;stroke:url(#g)"),
        ("fill:url( 'https://x.invalid/a' );stroke:red", ";stroke:red"),
        ("a{b:c}@import 'https://x.invalid';d{e:f}", "a{b:c};d{e:f}"),
        ("x{fill:u\\72 l(https://x.invalid)}", "x{}"),
        ("x{background:-webkit-image-set('https://x.invalid' 1x)}", "x{}"),
        ("x{width:expression(alert(1))}", "x{}"),
        ("x{/* url(https://x.invalid) */fill:red}", "x{fill:red}"),
        ("x{fill:ur/**/l(https://x.invalid)}", "x{}"),
    ],
)
def test_css_keeps_only_what_loads_nothing(css, kept):
    assert clean_css(css) == kept


def test_a_style_element_keeps_only_its_text():
    cleaned = sanitize(
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>a{fill:red}<g><rect/></g>b{}</style></svg>'
    )
    assert cleaned.data.endswith(b"<style>a{fill:red}b{}</style></svg>")


# ---------------------------------------------------------------- random trees

NAMES = ["svg", "g", "a", "rect", "style", "animate", "set", "use", "image", "feImage", "text",
         "script", "foreignObject", "metadata", "html:script", "html:iframe", "x:y", "title"]  # fmt: skip
ATTRS = ["href", "xlink:href", "style", "fill", "onload", "onclick", "attributeName", "to",
         "values", "filter", "xml:base", "id", "begin", "html:onload"]  # fmt: skip
VALUES = ["javascript:alert(1)", " #ok", "#ok", "url(https://x.invalid/a)", "url(#ok)",
          "data:image/png;base64,AA==", "data:image/svg+xml,<svg onload=alert(1)>", "href",
          "xlink:href", "fill:u\\72 l(https://x.invalid)", "@import 'https://x.invalid';",
          "image-set('https://x.invalid' 1x)", "/home/ana/x.png", "red", "a&b<c>\"'"]  # fmt: skip


@st.composite
def trees(draw, depth: int = 0) -> str:  # type: ignore[no-untyped-def]
    name = "svg" if depth == 0 else draw(st.sampled_from(NAMES))
    attrs = draw(st.dictionaries(st.sampled_from(ATTRS), st.sampled_from(VALUES), max_size=4))
    text = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
    if depth == 0:
        text += (
            ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            ' xmlns:html="http://www.w3.org/1999/xhtml" xmlns:x="urn:x"'
        )
    kids = draw(st.lists(trees(depth + 1), max_size=3)) if depth < 3 else []
    body = draw(
        st.sampled_from(["", "@import 'https://x.invalid';", "x{fill:url(https://x.invalid)}"])
    )
    return f"<{name}{text}>{body.replace('<', '&lt;')}{''.join(kids)}</{name}>"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@settings(max_examples=300, deadline=None)
@given(trees())
def test_random_hostile_trees_come_out_inert(svg: str) -> None:
    cleaned = sanitize(svg.encode("utf-8"))
    assert_inert(cleaned.data)  # text outside <style> may say anything: it is only text
    assert sanitize(cleaned.data).data == cleaned.data


# ------------------------------------------- one reader: pictures and badges alike

BADGE = b'<openbadges:assertion verify="https://example.org/a/1"/>'
HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"'


def _badge_svg(inside: bytes = b"", before: bytes = b"") -> bytes:
    return before + HEAD + b">" + BADGE + inside + b"</svg>"


HOSTILE_SVGS = {
    "entity bomb": _badge_svg(
        b"<text>&c;</text>",
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n',
    ),
    "external entity": _badge_svg(
        b"<text>&x;</text>", b'<!DOCTYPE svg [\n<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    ),
    "parameter entity": _badge_svg(
        b"", b'<!DOCTYPE svg [<!ENTITY % p SYSTEM "https://x.invalid/p.dtd"> %p;]>\n'
    ),
    "external DTD, never loaded": _badge_svg(
        b"", b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "https://x.invalid/svg11.dtd">\n'
    ),
    "nested too deeply": _badge_svg(b"<g>\n" * 600 + b"</g>" * 600),
    "nested to the limit": _badge_svg(b"<g>" * 510 + b"</g>" * 510),
    "too large": _badge_svg(b"<desc>" + b"x" * (16 * 1024 * 1024) + b"</desc>"),
    "a huge attribute": _badge_svg(b'<path d="' + b"M0 0 " * 600_000 + b'"/>'),
    "CDATA tricks": _badge_svg(
        b"<text><![CDATA[</text><script>alert(1)</script>]]]]><![CDATA[>]]></text>"
    ),
    "undeclared prefixes": b'<svg xmlns="http://www.w3.org/2000/svg">'
    + BADGE
    + b"<metadata><rdf:RDF/></metadata></svg>",
    "not SVG": b'<html xmlns:openbadges="http://openbadges.org">' + BADGE + b"</html>",
    "<svg> of another namespace": b'<svg xmlns="urn:x" xmlns:openbadges="http://openbadges.org">'
    + BADGE
    + b"</svg>",
    "not well-formed": _badge_svg(b"<g></svg>"),
}


def _outcome(read, data: bytes) -> tuple[str, int | None]:
    """'read', or the reason (without a picture's export hint) and the line."""
    from portfolio_gen.diagnostics import InputError

    try:
        read(data)
    except InputError as exc:
        return exc.message.split("; export it again")[0], exc.line
    return "read", None


@pytest.mark.parametrize("data", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_hostile_svg_is_treated_alike_as_a_picture_and_as_a_badge(data: bytes) -> None:
    """svg.scan is the one SVG reader: the same limits, refusals and lines for both users."""
    from portfolio_gen.badges.containers import extract_svg

    picture, badge = _outcome(sanitize, data), _outcome(extract_svg, data)
    assert picture == badge
    if picture[0] == "read":
        assert extract_svg(data).text == "https://example.org/a/1"
        assert_inert(sanitize(data).data)
        assert b"<script" not in sanitize(data).data


def test_a_file_with_an_undeclared_prefix_keeps_its_declared_ones() -> None:
    """Read again by prefixes, a prefix the file declares means what it declares."""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg" '
        b'xmlns:l="http://www.w3.org/1999/xlink" xmlns:evil="urn:evil">'
        b'<s:rect width="1"/><metadata><rdf:RDF/></metadata><a l:href="#x" evil:href="#y">'
        b"<evil:script>alert(1)</evil:script>a</a></svg>"
    )
    cleaned = sanitize(svg)
    assert_inert(cleaned.data)
    assert cleaned.data.endswith(b'<rect width="1"></rect><a xlink:href="#x">a</a></svg>')
