"""What a published PDF tells about its maker: its Info dictionary and XMP metadata.

Word processors write the author's name (``/Author``), and "print to PDF"
often a file's full path (``/Title (C:\\Users\\ana\\Desktop\\report.docx)``).
portfolio-gen publishes PDFs byte for byte, so it only warns: removing them
safely needs a PDF library (earlier revisions of an edited PDF stay inside
it), see docs/security.md. Reading is a linear scan of the bytes for the
keys; a PDF whose metadata sits in a compressed object stream is not read.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..svg import looks_like_a_folder

_INFO = re.compile(
    rb"/(Author|Creator|Producer|Title)\s*(\((?:\\.|[^\\)]){0,2000}\)|<[0-9A-Fa-f\s]{0,4000}>)"
)
_XMP = re.compile(
    rb"<(dc:creator|xmp:CreatorTool|pdf:Producer|dc:title)\b[^>]{0,200}>(.{0,4000}?)</\1>", re.S
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes([int(c, 8) & 0xFF])
        return _ESCAPES.get(c, c)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw[1:-1], flags=re.S)


def _text(raw: bytes) -> str:
    if raw[:1] == b"(":
        data = _literal(raw)
    else:  # <hex>, an odd last digit followed by 0 (PDF 32000, 7.3.4.3)
        digits = re.sub(rb"\s", b"", raw[1:-1]).decode("ascii")
        data = bytes.fromhex(digits + "0" * (len(digits) % 2))
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("latin-1")


def notes(path: Path) -> tuple[str, ...]:
    """A warning if the PDF at ``path`` names its author or a folder; () otherwise."""
    try:
        data = path.read_bytes()
    except OSError:
        return ()
    author = folder = False
    for m in _INFO.finditer(data):
        value = _text(m.group(2)).strip()
        author |= m.group(1) == b"Author" and any(c.isalpha() for c in value)
        folder |= looks_like_a_folder(value)
    for m in _XMP.finditer(data):
        value = re.sub(r"<[^>]*>", " ", m.group(2).decode("utf-8", "replace")).strip()
        author |= m.group(1) == b"dc:creator" and any(c.isalpha() for c in value)
        folder |= looks_like_a_folder(value)
    named = [w for w, on in (("its author", author), ("a folder on your computer", folder)) if on]
    if not named:
        return ()
    return (
        f"this PDF's metadata names {' and '.join(named)}, which anyone who downloads it can "
        "read; clear it in the program that made the PDF (File > Properties) and export again",
    )
