"""Where badge data sits in a file: PNG chunks, SVG elements, stand-alone files.

Reading returns the badge *payload* (JSON text, a compact JWS, or a URL) and
where it was found; it raises :class:`ContainerError` with a one-sentence
message on any bad input. Baking writes exactly one badge chunk/element.

Every read is capped (see the ``MAX_*`` constants and docs/badges.md).
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from .. import svg
from ..diagnostics import InputError
from ..lazy_dataclass import dataclass

MiB = 1024 * 1024
#: Largest badge file read at all (PNG, SVG, JSON, JWS/JWT).
MAX_FILE_BYTES = 16 * MiB
#: Largest badge payload: one PNG badge chunk (before and after decompression),
#: one SVG badge element's text, one stand-alone credential.
MAX_PAYLOAD_BYTES = 2 * MiB
#: Most bytes inflated from all the badge chunks of one PNG together.
MAX_INFLATED_BYTES = 8 * MiB
#: Most chunks in one PNG (an image has a few dozen; each costs memory to list).
MAX_PNG_CHUNKS = 100_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = ("openbadges", "openbadgecredential")
TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")

NS_OB2 = "http://openbadges.org"
NS_OB3 = "https://purl.imsglobal.org/ob/v3p0"
SVG_NS = "http://www.w3.org/2000/svg"
BADGE_ELEMENTS = ("assertion", "credential")

_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]*={0,2}\.[A-Za-z0-9_-]*={0,2}$")


class ContainerError(InputError):
    """A badge file whose container cannot be read: one sentence, and the line if known."""


@dataclass(frozen=True)
class Payload:
    """The badge data found in a file."""

    text: str  # JSON text, a compact JWS, or a URL
    kind: str  # "json" | "jws" | "url"
    container: str  # "png" | "svg" | "json" | "jws"
    location: str  # human words: "the iTXt chunk 'openbadges'"
    hint: str | None = None  # "ob3" when the keyword/namespace says so (content decides)
    verify_url: str | None = None  # SVG `verify` URL when the body holds the JSON
    line: int | None = None
    notes: tuple[str, ...] = ()  # non-fatal oddities worth a warning


def classify(text: str) -> str:
    """'json', 'jws' or 'url' for a payload text; raise ContainerError otherwise."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if _JWS_RE.match(stripped):
        return "jws"
    if re.match(r"^https?://\S+$", stripped, re.IGNORECASE):
        return "url"
    if not stripped:
        raise ContainerError("the badge data is empty")
    raise ContainerError(
        f"the badge data ({len(stripped)} characters) is neither JSON, "
        "a signed token (JWS) nor a web address"
    )


def _decode_text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise ContainerError(
            f"the badge data in {where} is not valid UTF-8 text "
            f"(byte 0x{bad} at position {exc.start})"
        ) from None


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n} bytes"


def _inflate(data: bytes, where: str, budget: int = MAX_PAYLOAD_BYTES) -> bytes:
    """``data`` decompressed, never more than ``budget`` (and the payload limit) bytes."""
    limit = min(budget, MAX_PAYLOAD_BYTES)
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error:
        raise ContainerError(f"the compressed badge data in {where} is damaged") from None
    if len(out) > limit or d.unconsumed_tail:
        if limit < MAX_PAYLOAD_BYTES:
            raise ContainerError(
                f"the badge chunks of this PNG expand beyond the {_size(MAX_INFLATED_BYTES)} "
                "limit together; a baked badge holds one chunk"
            )
        raise ContainerError(
            f"the compressed badge data in {where} expands beyond the "
            f"{_size(MAX_PAYLOAD_BYTES)} limit"
        )
    return out


# --------------------------------------------------------------------------- PNG


@dataclass(frozen=True, slots=True)
class _Chunk:
    type: bytes
    start: int  # offset of the length field
    end: int  # offset after the CRC
    data: bytes | None  # the body of a text chunk; None for other chunks
    crc_ok: bool


def _png_chunks(data: bytes) -> tuple[list[_Chunk], str | None]:
    """All chunks, and a truncation message if the file ends early."""
    if not data.startswith(PNG_SIGNATURE):
        raise ContainerError("not a PNG image (the file does not start with the PNG signature)")
    chunks: list[_Chunk] = []
    pos = len(PNG_SIGNATURE)
    view = memoryview(data)
    while pos < len(data):
        if len(chunks) >= MAX_PNG_CHUNKS:
            raise ContainerError(
                f"the PNG file has more than {MAX_PNG_CHUNKS:,} chunks; export the image again"
            )
        if pos + 8 > len(data):
            return chunks, "the PNG file is truncated (it ends inside a chunk header)"
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        if not re.fullmatch(rb"[A-Za-z]{4}", ctype):
            raise ContainerError(f"the PNG file is damaged (bad chunk type at byte {pos + 4})")
        end = pos + 12 + length
        if ctype in TEXT_CHUNKS and length > MAX_PAYLOAD_BYTES:
            head = data[pos + 8 : pos + 8 + 80]
            if _text_keyword(head) in PNG_KEYWORDS:
                raise ContainerError(
                    f"the badge chunk is too large ({_size(length)}; "
                    f"the limit is {_size(MAX_PAYLOAD_BYTES)})"
                )
        if end > len(data):
            return chunks, (
                f"the PNG file is truncated (it ends inside the '{ctype.decode('ascii')}' chunk)"
            )
        body = view[pos + 8 : pos + 8 + length]  # no copy
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        crc_ok = zlib.crc32(body, zlib.crc32(ctype)) & 0xFFFFFFFF == crc
        chunks.append(
            _Chunk(ctype, pos, end, bytes(body) if ctype in TEXT_CHUNKS else None, crc_ok)
        )
        pos = end
        if ctype == b"IEND":
            return chunks, None
    return chunks, "the PNG file is truncated (it has no IEND chunk)"


def _text_keyword(body: bytes) -> str:
    nul = body.find(b"\x00")
    if nul < 0:
        return ""
    return body[:nul].decode("latin-1")


def _png_chunk_text(chunk: _Chunk, budget: int = MAX_PAYLOAD_BYTES) -> tuple[str, str]:
    """(keyword, text) of a tEXt/zTXt/iTXt chunk, inflating at most ``budget`` bytes."""
    body = chunk.data or b""
    keyword = _text_keyword(body)
    where = f"the {chunk.type.decode('ascii')} chunk '{keyword}'"
    rest = body[len(keyword) + 1 :]
    if chunk.type == b"tEXt":
        return keyword, _decode_text(rest, where)
    if chunk.type == b"zTXt":
        if not rest or rest[0] != 0:
            raise ContainerError(f"{where} uses an unknown compression method")
        return keyword, _decode_text(_inflate(rest[1:], where, budget), where)
    # iTXt: compression flag, method, language\0, translated keyword\0, text
    if len(rest) < 2:
        raise ContainerError(f"{where} is damaged (too short)")
    flag, method = rest[0], rest[1]
    rest = rest[2:]
    parts = rest.split(b"\x00", 2)
    if len(parts) != 3:
        raise ContainerError(f"{where} is damaged (its header is incomplete)")
    text = parts[2]
    if flag == 1:
        if method != 0:
            raise ContainerError(f"{where} uses an unknown compression method")
        text = _inflate(text, where, budget)
    elif flag != 0:
        raise ContainerError(f"{where} is damaged (bad compression flag {flag})")
    return keyword, _decode_text(text, where)


def extract_png(data: bytes) -> Payload:
    chunks, truncated = _png_chunks(data)
    if not chunks or chunks[0].type != b"IHDR":
        raise ContainerError("the PNG file is damaged (it does not start with an IHDR chunk)")
    found: list[tuple[_Chunk, str, str]] = []
    for chunk in chunks:
        if chunk.type in TEXT_CHUNKS and _text_keyword(chunk.data or b"") in PNG_KEYWORDS:
            keyword = _text_keyword(chunk.data or b"")
            where = f"the {chunk.type.decode('ascii')} chunk '{keyword}'"
            if not chunk.crc_ok:
                raise ContainerError(
                    f"the badge data is damaged (checksum mismatch in {where}): "
                    "the file was altered or corrupted"
                )
            found.append((chunk, keyword, where))
    if truncated and not found:
        raise ContainerError(truncated)
    if truncated:
        raise ContainerError(truncated + "; the badge data cannot be trusted")
    if not found:
        raise ContainerError(
            "no badge data found: the PNG has no 'openbadges' or 'openbadgecredential' chunk"
        )
    # Each chunk is compared with the first as it is read, and all of them together
    # inflate to MAX_INFLATED_BYTES at most: memory and time stay bounded whatever
    # the number of chunks (a chunk with the first one's exact bytes is not inflated).
    first, keyword, where = found[0]
    budget = MAX_INFLATED_BYTES
    text = _png_chunk_text(first, budget)[1]
    budget -= len(text.encode("utf-8")) if first.type != b"tEXt" else 0
    for chunk, _, _ in found[1:]:
        if chunk.data == first.data:
            continue
        other = _png_chunk_text(chunk, budget)[1]
        budget -= len(other.encode("utf-8")) if chunk.type != b"tEXt" else 0
        if other.strip() != text.strip():
            raise ContainerError(
                f"the PNG holds {len(found)} different badge chunks; "
                "a baked badge must hold exactly one"
            )
    notes: tuple[str, ...] = ()
    if len(found) > 1:
        notes = (f"the PNG holds {len(found)} identical badge chunks; a baked badge holds one",)
    kind = classify(text)
    return Payload(
        text=text.strip(),
        kind=kind,
        container="png",
        location=where,
        hint="ob3" if keyword == "openbadgecredential" else None,
        notes=notes,
    )


def _make_chunk(ctype: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(ctype + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", crc)


def bake_png(image: bytes, text: str, *, ob3: bool) -> bytes:
    """The PNG with one iTXt badge chunk right after IHDR, replacing any previous one."""
    if not image.startswith(PNG_SIGNATURE):
        raise ContainerError("not a PNG image (the file does not start with the PNG signature)")
    chunks, truncated = _png_chunks(image)
    if truncated:
        raise ContainerError(truncated)
    if not chunks or chunks[0].type != b"IHDR":
        raise ContainerError("the PNG file is damaged (it does not start with an IHDR chunk)")
    keyword = b"openbadgecredential" if ob3 else b"openbadges"
    body = keyword + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    out = [PNG_SIGNATURE, image[chunks[0].start : chunks[0].end], _make_chunk(b"iTXt", body)]
    for chunk in chunks[1:]:
        if chunk.type in TEXT_CHUNKS and _text_keyword(chunk.data or b"") in PNG_KEYWORDS:
            continue
        out.append(image[chunk.start : chunk.end])
    return b"".join(out)


# --------------------------------------------------------------------------- SVG


@dataclass
class _Element:
    ns: str
    local: str
    attrs: dict[str, str]
    line: int
    start: int
    end: int = -1
    text: list[str] | None = None
    size: int = 0  # characters in text so far


# Undeclared prefixes read by name (svg.scan's ``guess``), as badge bakers write them.
_PREFIXED = {"openbadges:assertion": NS_OB2, "openbadges:credential": NS_OB3}


class _SvgScan(svg.Reader):
    """The root element and the badge elements of an SVG, found by namespace."""

    def __init__(self) -> None:
        self.root: svg.Tag | None = None
        self.badges: list[_Element] = []
        self.stack: list[_Element | None] = []
        self.current: list[_Element] = []

    @property
    def root_start(self) -> int:
        return self.root.offset if self.root is not None else -1

    def start(self, tag: svg.Tag) -> None:
        if self.root is None:
            self.root = tag
        if tag.ns in (NS_OB2, NS_OB3) and tag.local in BADGE_ELEMENTS:
            attrs = {k.rpartition(" ")[2]: v for k, v in tag.attrs.items()}
            el = _Element(tag.ns, tag.local, attrs, tag.line, tag.offset, text=[])
            self.badges.append(el)
            self.current.append(el)
            self.stack.append(el)
        else:
            self.stack.append(None)

    def end(self, offset: int) -> None:
        el = self.stack.pop()
        if el is not None:
            el.end = offset
            self.current.pop()

    def text(self, text: str) -> None:
        if self.current:
            el = self.current[-1]
            assert el.text is not None
            el.text.append(text)
            el.size += len(text)  # a running total: summing the list each time is quadratic
            if el.size > MAX_PAYLOAD_BYTES:
                raise ContainerError(
                    f"the badge element is too large (the limit is {_size(MAX_PAYLOAD_BYTES)})",
                    el.line,
                )


def _scan_svg(data: bytes) -> _SvgScan:
    """The SVG read by svg.scan, the one SVG reader, with its limits (svg.py)."""
    try:
        return svg.scan(data, _SvgScan, guess=_PREFIXED)
    except svg.SvgError as exc:
        raise ContainerError(exc.message, exc.line) from None


def extract_svg(data: bytes) -> Payload:
    scan = _scan_svg(data)
    badges = scan.badges
    if not badges:
        raise ContainerError(
            "no badge data found: the SVG has no <openbadges:assertion> "
            "or <openbadges:credential> element"
        )
    if len(badges) > 1:
        raise ContainerError(
            f"the SVG holds {len(badges)} badge elements; a baked badge must hold exactly one",
            badges[1].line,
        )
    el = badges[0]
    body = "".join(el.text or []).strip()
    verify = el.attrs.get("verify", "").strip()
    if len(verify) > MAX_PAYLOAD_BYTES:  # the body is capped as it is read (_SvgScan.text)
        raise ContainerError(
            f"the badge element is too large (the limit is {_size(MAX_PAYLOAD_BYTES)})", el.line
        )
    tag = f"<openbadges:{el.local}>"
    hint = "ob3" if el.ns == NS_OB3 or el.local == "credential" else None
    verify_url: str | None = None
    if body:
        kind = classify(body)
        text = body
        where = f"the body of {tag}"
        if verify and classify_quiet(verify) == "url":
            verify_url = verify
    elif verify:
        kind = classify(verify)
        text = verify
        where = f"the verify attribute of {tag}"
    else:
        raise ContainerError(f"no badge data found: {tag} is empty", el.line)
    return Payload(
        text=text,
        kind=kind,
        container="svg",
        location=where,
        hint=hint,
        verify_url=verify_url,
        line=el.line,
    )


def classify_quiet(text: str) -> str | None:
    try:
        return classify(text)
    except ContainerError:
        return None


def _tag_end(data: bytes, start: int) -> int:
    """Offset just after the '>' closing the tag that begins at ``start``."""
    quote: int | None = None
    for i in range(start, len(data)):
        c = data[i]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x3E:
            return i + 1
    raise ContainerError("not a well-formed SVG file (a tag is not closed)")


def _xml_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
    )


def bake_svg(image: bytes, text: str, *, ob3: bool, verify: str | None = None) -> bytes:
    """The SVG with one badge element as the root's first child, replacing any previous one.

    ``text`` is the JSON (put in a CDATA body) or a compact JWS (put in
    ``verify`` with an empty body). ``verify`` is the hosted assertion URL
    for a JSON body, if any.
    """
    scan = _scan_svg(image)
    ns = NS_OB3 if ob3 else NS_OB2
    local = "credential" if ob3 else "assertion"
    if classify(text) == "json":
        body = "<![CDATA[" + text.replace("]]>", "]]\\u003e") + "]]>"
        attr = f' verify="{_xml_attr(verify)}"' if verify else ""
    else:
        body = ""
        attr = f' verify="{_xml_attr(text.strip())}"'
    element = f"<openbadges:{local}{attr}>{body}</openbadges:{local}>".encode()

    # Remove old badge elements (byte ranges from the parse), last first.
    out = image
    for el in sorted(scan.badges, key=lambda e: e.start, reverse=True):
        start_tag_end = _tag_end(image, el.start)
        if el.end == start_tag_end and image[start_tag_end - 2 : start_tag_end] == b"/>":
            stop = start_tag_end  # an empty element: <openbadges:assertion .../>
        else:
            stop = _tag_end(image, el.end)
        out = out[: el.start] + out[stop:]
    root_start = scan.root_start
    root_end = _tag_end(out, root_start)
    tag = out[root_start:root_end].decode("utf-8")
    decl = f'xmlns:openbadges="{ns}"'
    tag, n = re.subn(r"""xmlns:openbadges\s*=\s*(["'])[^"']*\1""", decl, tag)
    self_closing = tag.endswith("/>")
    if not n:
        tag = tag[:-2].rstrip() if self_closing else tag[:-1].rstrip()
        tag += " " + decl + ("/>" if self_closing else ">")
    if self_closing:
        tag = tag[:-2].rstrip() + ">"
        new = tag.encode() + element + b"</" + _root_qname(tag).encode() + b">"
    else:
        new = tag.encode() + element
    return out[:root_start] + new + out[root_end:]


def _root_qname(tag: str) -> str:
    m = re.match(r"<\s*([^\s/>]+)", tag)
    return m.group(1) if m else "svg"


# --------------------------------------------------------------- stand-alone files


def extract_standalone(data: bytes, suffix: str) -> Payload:
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ContainerError(
            f"the credential file is too large ({_size(len(data))}; "
            f"the limit is {_size(MAX_PAYLOAD_BYTES)})"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = _decode_text(data, "the file").strip()
    kind = classify(text)
    container = "json" if suffix == ".json" else "jws"
    return Payload(text=text, kind=kind, container=container, location="the file")


def sniff(data: bytes) -> str | None:
    """'png', 'svg' or None, from the first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "svg"
    return None


def to_payload_text(credential: str | Mapping[str, Any]) -> str:
    """The text to bake: compact JSON for a mapping, the stripped string otherwise."""
    if isinstance(credential, Mapping):
        return json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    return credential.strip()


# ------------------------------------------------------------------ the registry


@dataclass(frozen=True)
class Container:
    """One kind of badge file: how it is recognised and how its payload is taken out.

    ``read_badge`` uses the first container whose ``suffixes`` end the file's
    name, else the first whose ``sniff`` recognises its first bytes (a badge
    picture saved under another name); ``bake`` only the containers that can
    hold a baked badge.
    """

    name: str  # as ``Payload.container`` and ``bake(kind=...)`` say it
    suffixes: tuple[str, ...]  # lower case, with the dot (also in files.BADGE_SUFFIXES)
    extract: Callable[[bytes, str], Payload]  # (the file's bytes, its lower-case suffix)
    sniff: Callable[[bytes], bool] | None = None  # True: the first bytes are this container's
    # (picture, payload text, OB 3.0?, SVG ``verify`` URL) -> the baked file's bytes
    bake: Callable[[bytes, str, bool, str | None], bytes] | None = None
    named_when_unreadable: bool = True  # an unreadable file says which container it is


def _png_file(data: bytes, suffix: str) -> Payload:
    if sniff(data) == "svg":
        raise ContainerError("not a PNG image (it is an SVG file with a .png name)")
    return extract_png(data)


def _svg_file(data: bytes, suffix: str) -> Payload:
    if sniff(data) == "png":
        raise ContainerError("not an SVG image (it is a PNG file with a .svg name)")
    if not data.strip():
        raise ContainerError("not an SVG image (the file is empty)")
    return extract_svg(data)


# Every kind of badge file, in the order they are tried (docs/architecture.md,
# "a new badge format": a module with an ``extract`` like these, and one line here).
CONTAINERS: tuple[Container, ...] = (
    Container("png", (".png",), _png_file, sniff=lambda data: sniff(data) == "png",
              bake=lambda image, text, ob3, verify: bake_png(image, text, ob3=ob3)),
    Container("svg", (".svg",), _svg_file, sniff=lambda data: sniff(data) == "svg",
              bake=lambda image, text, ob3, verify: bake_svg(image, text, ob3=ob3, verify=verify)),
    Container("json", (".json",), extract_standalone, named_when_unreadable=False),
    Container("jws", (".jws", ".jwt"), extract_standalone, named_when_unreadable=False),
)  # fmt: skip
NOT_A_BADGE_FILE = "not a badge file (expected PNG, SVG, JSON, JWS or JWT)"


def container_of(suffix: str, data: bytes) -> tuple[Container | None, bool]:
    """The container a file is read with, and whether its suffix chose it (else its bytes)."""
    for container in CONTAINERS:
        if suffix in container.suffixes:
            return container, True
    for container in CONTAINERS:
        if container.sniff is not None and container.sniff(data):
            return container, False
    return None, False
