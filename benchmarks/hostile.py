"""Hostile inputs against the readers: time per KB and peak memory at growing sizes.

    .venv/bin/python benchmarks/hostile.py [--sizes 10,100,1000] [--only NAME,...]

Every case makes one hostile input of each size (in KB) under
benchmarks/.work/hostile/, reads it in a fresh process (so one case's memory
does not hide another's) and prints the time per KB (flat when the reader is
linear) and the peak memory: Python's allocations (tracemalloc, a second run)
and the process's peak resident size. A reader that refuses an input with a
message has done its job: the message is printed too.

Cases are a list of named cases (CASES): add one with a name, how to make its
input for a size, and how to read it. See docs/benchmarks.md ("Hostile inputs").
"""

from __future__ import annotations

import argparse
import json
import resource
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "hostile"
KB = 1024


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    file: str  # the input's file name (its suffix picks the reader)
    make: Callable[[int], bytes]  # size in bytes -> the input
    read: Callable[[Path], str]  # the input -> what the reader said (one line)


# ---------------------------------------------------------------- badges


def _png_chunk(ctype: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(ctype + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", crc)


def _png(*chunks: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", ihdr),
            *chunks,
            _png_chunk(b"IDAT", idat),
            _png_chunk(b"IEND", b""),
        ]
    )


def png_itxt_bombs(size: int) -> bytes:
    """Compressed 'openbadges' iTXt chunks, each inflating to the same 2 MB of text
    (the worst case: the chunks' bytes differ only in their language tag, so a
    reader cannot tell them apart without inflating them)."""
    text = zlib.compress(b" " * (2 * 1024 * 1024 - 2) + b"{}", 9)
    chunks, total, i = [], 0, 0
    while total < size:
        body = b"openbadges\x00\x01\x00x-%d\x00\x00" % i + text
        chunk = _png_chunk(b"iTXt", body)
        chunks.append(chunk)
        total += len(chunk)
        i += 1
    return _png(*chunks)


def _svg_badge(body: bytes) -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:assertion>" + body + b"</openbadges:assertion></svg>"
    )


def svg_brackets(size: int) -> bytes:
    """Badge text of escaped angle brackets: one parser callback per entity."""
    return _svg_badge(b"&lt;&gt;" * (size // 8))


def svg_cdata(size: int) -> bytes:
    """Badge text of many tiny CDATA sections (100,000 of them in 1.3 MB)."""
    return _svg_badge(b"<![CDATA[a]]>" * (size // 13))


def read_badge_file(path: Path) -> str:
    from portfolio_gen.badges import read_badge

    badge, _ = read_badge(path, root=path.parent)
    return f"{badge.verification.status}: {badge.verification.reason}"


# ---------------------------------------------------------------- published SVG


def svg_hostile_drawing(size: int) -> bytes:
    """A drawing of many elements, each with an event handler, a CSS url() and a link."""
    one = (
        b'<a xlink:href="javascript:alert(1)"><rect width="1" height="1" onclick="alert(2)" '
        b'style="fill:url(https://x.invalid/a);stroke:red"/></a>'
    )
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        + one * (size // len(one))
        + b"</svg>"
    )


def sanitize_file(path: Path) -> str:
    from portfolio_gen.svg import SvgError, notes, sanitize

    try:
        cleaned = sanitize(path.read_bytes())
    except SvgError as exc:
        return f"refused: {exc.message}"
    return f"{len(cleaned.data):,} bytes out; " + "; ".join(notes(cleaned))


BADGES: list[Case] = [
    Case(
        "png-itxt-bombs",
        "PNG badge of compressed 'openbadges' iTXt chunks, 2 MB each inflated",
        "bomb.png",
        png_itxt_bombs,
        read_badge_file,
    ),
    Case(
        "svg-brackets", "SVG badge text of &lt;&gt;", "brackets.svg", svg_brackets, read_badge_file
    ),
    Case(
        "svg-cdata",
        "SVG badge text of tiny CDATA sections",
        "cdata.svg",
        svg_cdata,
        read_badge_file,
    ),
    Case(
        "svg-sanitize",
        "project SVG of event handlers, CSS url() and javascript: links",
        "drawing.svg",
        svg_hostile_drawing,
        sanitize_file,
    ),
]


# ---------------------------------------------------------------- Markdown


def _repeat(unit: str) -> Callable[[int], bytes]:
    def make(size: int) -> bytes:
        return (unit * (size // len(unit.encode()) + 1)).encode()[:size]

    return make


def footnotes(size: int) -> bytes:
    """Footnote references and their notes, 515 KB of them took 24 s."""
    out, total, i = [], 0, 0
    while total < size:
        part = f"Text[^{i}] and more.\n\n[^{i}]: Note {i}.\n\n"
        out.append(part)
        total += len(part)
        i += 1
    return "".join(out).encode()


def table(size: int) -> bytes:
    """A table of 200 columns and as many rows as fit."""
    head = "|" + "a|" * 200 + "\n|" + "-|" * 200 + "\n"
    row = "|" + "1|" * 200 + "\n"
    return (head + row * max(1, (size - len(head)) // len(row))).encode()


def render_markdown(path: Path) -> str:
    from portfolio_gen.content.markdown import MarkdownRenderer

    result = MarkdownRenderer().render(path.read_text("utf-8"), "projects/a/index.md")
    said = f"{len(result.html):,} bytes out, {len(result.problems)} problem(s)"
    return said + (f"; {result.problems[-1][2]}" if result.problems else "")


def _markdown(name: str, about: str, make: Callable[[int], bytes]) -> Case:
    return Case(name, about, f"{name}.md", make, render_markdown)


MARKDOWN: list[Case] = [
    _markdown("md-brackets", "'[' repeated (75 s for 20 KB before cmark-gfm)", _repeat("[")),
    _markdown("md-headings", "'## h' lines (36 s for 100 KB: heading anchors)", _repeat("## h\n")),
    _markdown("md-footnotes", "footnotes and references", footnotes),
    _markdown("md-quotes", "'> ' repeated: quotes nested on one line", _repeat("> ")),
    _markdown(
        "md-lists", "'- ' repeated: lists nested on one line", lambda n: _repeat("- ")(n - 1) + b"x"
    ),
    _markdown("md-emphasis", "'*a' repeated: emphasis that never closes", _repeat("*a")),
    _markdown("md-table", "a table of 200 columns", table),
    _markdown("md-links", "links and images to resolve", _repeat("[a](b/) ![c](d.png) ")),
    _markdown("md-raw-divs", "raw '<div>' tags, never closed", _repeat("<div>")),
    _markdown("md-raw-attrs", "raw tags with an unclosed quote", _repeat('<a b="')),
    _markdown("md-emoji-math", "':a' and '$a' repeated", _repeat(":a $a ")),
    _markdown("md-formulas", "'$x$' formulas (500 converted, the rest code)", _repeat("$x$ ")),
    _markdown(
        "md-raw-href",
        "raw attributes with unclosed quotes",
        lambda n: b"<div" + _repeat(' href="')(n - 4),
    ),
]

CASES: list[Case] = BADGES + MARKDOWN


# ---------------------------------------------------------------- running


def measure(name: str, path: Path) -> dict:
    """In this (fresh) process: the reader's time, then its peak allocations."""
    case = next(c for c in CASES if c.name == name)
    case.read(path)  # once untimed: the reader's imports are not the reader's cost
    start = time.perf_counter()
    said = case.read(path)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    case.read(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KB  # KiB on Linux
    return {"seconds": seconds, "peak": peak, "rss": rss, "said": said.splitlines()[0][:110]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="input sizes in KB")
    parser.add_argument("--only", default="", help="case names, comma-separated")
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    only = {n for n in args.only.split(",") if n}
    sizes = [int(s) for s in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"{'case':16} {'size':>8} {'ms':>9} {'ms/KB':>8} {'peak MB':>8} {'RSS MB':>7}  result")
    for case in CASES:
        if only and case.name not in only:
            continue
        for kb in sizes:
            path = WORK / f"{kb}k-{case.file}"
            data = case.make(kb * KB)
            path.write_bytes(data)
            run = subprocess.run(
                [sys.executable, __file__, "--measure", case.name, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            m = json.loads(run.stdout)
            real_kb = len(data) / KB
            print(
                f"{case.name:16} {real_kb:7.0f}K {m['seconds'] * 1000:9.1f} "
                f"{m['seconds'] * 1000 / real_kb:8.4f} {m['peak'] / 2**20:8.1f} "
                f"{m['rss'] / 2**20:7.0f}  {m['said']}"
            )


if __name__ == "__main__":
    main()
