"""Pictures as published, without Pillow: the files made from each image, the markup
that shows them, and the cache of processed files.

Every build needs these, also one that processes no image (a warm build, a
portfolio without pictures): decoding and encoding pixels is media/images.py's,
imported only when an image is probed or processed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from ..cache import cache_folder, digest, seal, unseal, write_new
from ..escaping import escape
from ..lazy_dataclass import dataclass
from ..urls import relative_url

WIDTHS = (480, 960, 1600)  # responsive widths; an image is never made wider than it is
CARD_SIZES = ((480, 270), (960, 540))  # project cards: 16:9 crops
AVATAR_SIZES = (128, 256)  # the learner's picture: square crops, 1x and 2x of 128 CSS px
SOCIAL_CARD = (1200, 630)  # Open Graph image
WEB_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "AVIF", "SVG"}
FALLBACK = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "AVIF": "JPEG"}  # beside WebP
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
ENCODE = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"compress_level": 6},
}
ORIGINAL = {"JPEG": {"quality": 90}, "PNG": {"compress_level": 6}, "WEBP": {"quality": 90}}
SETTINGS = digest(
    "images/1", repr((WIDTHS, CARD_SIZES, AVATAR_SIZES, SOCIAL_CARD, ENCODE, ORIGINAL))
)
NOT_FOR_THE_WEB = {
    ".heic": "HEIC", ".heif": "HEIF", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP",
    ".psd": "Photoshop", ".dng": "raw camera", ".cr2": "raw camera", ".cr3": "raw camera",
    ".nef": "raw camera", ".arw": "raw camera", ".orf": "raw camera", ".rw2": "raw camera",
}  # fmt: skip


class ImageProblem(Exception):
    """An image that cannot be published; the message says why and what to do."""


# ---------------------------------------------------------------- the plan


#: The original, resized to a width, cropped to an exact box, or the social card.
OutputKind = Literal["original", "width", "crop", "card"]


@dataclass(frozen=True)
class Output:
    """One file to publish from a source image."""

    url: str  # site URL
    kind: OutputKind
    format: str  # JPEG | PNG | WEBP | GIF | AVIF | SVG
    width: int = 0
    height: int = 0

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.width}x{self.height}:{self.format}"


@dataclass(frozen=True)
class Picture:
    """An image as published: its original plus resized files; the markup that shows it."""

    url: str  # site URL of the original
    source: str = ""  # the file, relative to the portfolio root
    format: str = ""  # Pillow's format name, "SVG", or "" when unreadable
    width: int = 0  # upright size of the original (0 when unknown)
    height: int = 0
    widths: tuple[int, ...] = ()  # responsive widths; () when shown as it is (GIF, SVG)
    problem: str | None = None  # why it cannot be shown; pages show the alt text instead

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def raster(self) -> bool:
        """True for images that are resized (not GIF, SVG or animations)."""
        return self.ok and bool(self.widths)

    @property
    def fallback(self) -> str | None:
        """The format offered beside WebP to browsers without it (the original's)."""
        return FALLBACK.get(self.format) if self.widths else None

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width)) if self.width else 0

    def file(self, width: int, fmt: str) -> str:
        """The site URL of this picture at ``width`` in ``fmt``."""
        if width == self.width and fmt == self.format:
            return self.url  # the (stripped) original is that file
        return derived(self.url, f"{width}w.{EXTENSION[fmt]}")

    def crop(self, width: int, height: int, fmt: str) -> str:
        return derived(self.url, f"{width}x{height}.{EXTENSION[fmt]}")

    @property
    def social_card(self) -> str | None:
        return self.crop(*SOCIAL_CARD, "JPEG") if self.raster else None

    def outputs(self) -> list[Output]:
        """The original and every responsive file."""
        if not self.ok:
            return []
        found = [Output(self.url, "original", self.format)]
        for fmt in dict.fromkeys(("WEBP", self.fallback or "WEBP")):
            for width in self.widths:
                url = self.file(width, fmt)
                if url != self.url:
                    found.append(Output(url, "width", fmt, width))
        return found

    def crop_outputs(self, sizes: tuple[tuple[int, int], ...]) -> list[Output]:
        if not self.raster:
            return []
        formats = dict.fromkeys(("WEBP", self.fallback or "WEBP"))
        return [Output(self.crop(w, h, f), "crop", f, w, h) for f in formats for w, h in sizes]

    def card_output(self) -> Output | None:
        url = self.social_card
        return Output(url, "card", "JPEG", *SOCIAL_CARD) if url else None

    # ------------------------------------------------------------ markup

    def html(
        self,
        page_url: str,
        alt: str,
        sizes: str,
        eager: bool = False,
        css_class: str | None = None,
        title: str | None = None,
    ) -> Markup:
        """``<picture>`` (WebP plus the original's format) or ``<img>``, for a page at ``page_url``."""
        if not self.ok:
            return unavailable(alt, self.url)
        extra = _attrs(("class", css_class), ("title", title))
        lazy = "" if eager else ' loading="lazy" decoding="async"'
        if not self.widths:
            size = f' width="{self.width}" height="{self.height}"' if self.width else ""
            src = _href(page_url, self.url)
            return Markup(f'<img{extra} src="{src}" alt="{_esc(alt)}"{size}{lazy}>')
        largest = self.widths[-1]
        fallback = self.fallback or "WEBP"
        default = max((w for w in self.widths if w <= 960), default=self.widths[0])

        def srcset(fmt: str) -> str:
            return ", ".join(f"{_href(page_url, self.file(w, fmt))} {w}w" for w in self.widths)

        img = (
            f'<img{extra} src="{_href(page_url, self.file(default, fallback))}" '
            f'srcset="{srcset(fallback)}" sizes="{_esc(sizes)}" alt="{_esc(alt)}" '
            f'width="{largest}" height="{self.height_at(largest)}"{lazy}>'
        )
        if fallback == "WEBP":
            return Markup(img)
        return Markup(
            f'<picture><source type="image/webp" srcset="{srcset("WEBP")}" sizes="{_esc(sizes)}">'
            f"{img}</picture>"
        )

    def crop_html(
        self,
        page_url: str,
        alt: str,
        sizes: str,
        boxes: tuple[tuple[int, int], ...] = CARD_SIZES,
        eager: bool = False,
        css_class: str | None = None,
    ) -> Markup:
        """The picture cropped to the boxes' shape (cards), as ``<picture>``."""
        if not self.raster:
            if not self.ok:
                return Markup("")
            width, height = boxes[0]
            lazy = "" if eager else ' loading="lazy" decoding="async"'
            return Markup(
                f'<img{_attrs(("class", css_class))} src="{_href(page_url, self.url)}" '
                f'alt="{_esc(alt)}" width="{width}" height="{height}"{lazy}>'
            )
        return crop_markup(
            self.url, self.fallback or "WEBP", page_url, alt, sizes, boxes, eager, css_class
        )


def crop_markup(
    url: str,
    fallback: str,
    page_url: str,
    alt: str,
    sizes: str,
    boxes: tuple[tuple[int, int], ...],
    eager: bool = False,
    css_class: str | None = None,
) -> Markup:
    """``<picture>`` for the fixed crops of ``url`` (cards, avatar); needs no image size."""

    def srcset(fmt: str) -> str:
        return ", ".join(
            f"{_href(page_url, derived(url, f'{w}x{h}.{EXTENSION[fmt]}'))} {w}w" for w, h in boxes
        )

    width, height = boxes[0]
    lazy = "" if eager else ' loading="lazy" decoding="async"'
    img = (
        f"<img{_attrs(('class', css_class))} "
        f'src="{_href(page_url, derived(url, f"{width}x{height}.{EXTENSION[fallback]}"))}" '
        f'srcset="{srcset(fallback)}" sizes="{_esc(sizes)}" alt="{_esc(alt)}" '
        f'width="{width}" height="{height}"{lazy}>'
    )
    if fallback == "WEBP":
        return Markup(img)
    return Markup(
        f'<picture><source type="image/webp" srcset="{srcset("WEBP")}" sizes="{_esc(sizes)}">'
        f"{img}</picture>"
    )


def unavailable(alt: str, url: str) -> Markup:
    """What a page shows instead of an image that cannot be published: its alt text."""
    text = alt or url.rsplit("/", 1)[-1]
    return Markup(f'<span class="image-unavailable">{_esc(text)}</span>')


def _esc(value: str) -> str:
    return escape(value, quote=True)


NAME_BYTES = 255  # the longest file name most file systems allow


def derived(url: str, suffix: str) -> str:
    """The site URL of a file made from the picture at ``url``: its name plus
    ``.suffix``, the name shortened (with a hash of it, so names stay apart)
    where the two would be longer than a file system allows."""
    folder, _, name = url.rpartition("/")
    if len(name.encode()) + 1 + len(suffix) > NAME_BYTES:
        short = name.encode()[:160].decode(errors="ignore")
        name = f"{short}-{digest(name)[:10]}"
    return f"{folder}/{name}.{suffix}" if folder else f"{name}.{suffix}"


def _href(page_url: str, url: str) -> str:
    """A page-relative, percent-encoded URL, safe inside ``srcset`` (no spaces or commas)."""
    return _esc(relative_url(page_url, url))


def _attrs(*pairs: tuple[str, str | None]) -> str:
    return "".join(f' {name}="{_esc(value)}"' for name, value in pairs if value)


def responsive_widths(width: int) -> tuple[int, ...]:
    """The widths an image of ``width`` pixels is published at: never wider than itself."""
    found = [w for w in WIDTHS if w <= width]
    if width < WIDTHS[-1] and (not found or width > found[-1] * 1.1):
        found.append(width)
    return tuple(found)


def _not_for_the_web(kind: str) -> str:
    if kind in ("HEIC", "HEIF"):
        return (
            f"is a {kind} photo, which browsers cannot show and portfolio-gen cannot read; "
            "export it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible)"
        )
    return f"is a {kind} image, which browsers cannot show; export it as JPEG or PNG"


# ---------------------------------------------------------------- the cache


class ImageCache:
    """Processed files in ``.portfolio-cache/images/``, named by a hash of the source's
    content and the output's settings; plus an index from a source's size and
    modification time to its content hash, so a warm build reads no image."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = cache_folder(root, "images")
        self.index_path = self.folder / "index.json"
        self.dirty = False
        try:
            self.index: dict[str, list] = json.loads(self.index_path.read_text("utf-8"))
            if not isinstance(self.index, dict):
                self.index = {}
        except (OSError, ValueError):
            self.index = {}
        # Warnings about a published file (SVG editor metadata, a PDF's author), by the
        # key of what was published: said again on every build that publishes it,
        # also when the file is reused. Sealed (cache.py): only this user's builds
        # put words in the learner's terminal.
        self.notes_path = self.folder / "notes.json"
        self.notes: dict[str, list[str]] = {}
        try:
            data = unseal(b"image notes", self.notes_path.read_bytes())
            notes = json.loads(data) if data is not None else {}
            if isinstance(notes, dict):
                self.notes = {
                    k: [n for n in v if isinstance(n, str)]
                    for k, v in notes.items()
                    if isinstance(v, list)
                }
        except (OSError, ValueError):
            pass
        self.notes_dirty = False

    def remember_notes(self, key: str, notes: tuple[str, ...] | list[str]) -> None:
        """What was said about a file (nothing, too: then it is not looked at again)."""
        if self.notes.get(key) != list(notes):
            self.notes[key] = list(notes)
            self.notes_dirty = True

    def content_hash(self, path: Path) -> str:
        """The hash of a source's bytes, remembered by size and modification time."""
        stat = path.stat()
        name = (
            path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
        )
        known = self.index.get(name)
        if isinstance(known, list) and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            return str(known[2])
        value = digest(path.read_bytes())
        self.index[name] = [stat.st_size, stat.st_mtime_ns, value]
        self.dirty = True
        return value

    def key(self, content: str, output: Output, strip: bool) -> str:
        svg: tuple[str, ...] = ()
        if output.format == "SVG":  # a new sanitizer: made again
            from ..svg import VERSION  # imported here: svg.py costs a build without SVGs 2 ms

            svg = (VERSION,)
        return digest(
            SETTINGS, content, output.spec, str(strip and output.kind == "original"), *svg
        )

    def path(self, key: str, output: Output) -> Path:
        ext = EXTENSION.get(output.format, output.format.lower())
        return self.folder / key[:2] / f"{key}.{ext}"

    def save_notes(self) -> None:
        if not self.notes_dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = json.dumps(self.notes, sort_keys=True).encode("utf-8")
            write_new(self.notes_path, seal(b"image notes", data))
            self.notes_dirty = False
        except OSError:
            pass

    def save(self) -> None:
        if not self.dirty:
            return
        gone = [name for name in self.index if not (self.root / name).exists()]
        for name in gone:  # files deleted since: forget them
            del self.index[name]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.index_path.with_name(f".index.{os.getpid()}")
            tmp.write_text(json.dumps(self.index, sort_keys=True), "utf-8")
            os.replace(tmp, self.index_path)
            self.dirty = False
        except OSError:
            pass  # a read-only checkout still builds, just without a warm cache
