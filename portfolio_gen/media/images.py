"""Images: probe at read time, plan the published files, process them with Pillow.

A picture is planned when its project is read: its header gives the upright
size, from which the responsive widths follow (``WIDTHS``, never wider than
the original), so pages can carry ``width``, ``height`` and ``srcset``
before any pixel is decoded. At publish time each planned file (an
``Output``) is made once: the processed bytes are cached in
``.portfolio-cache/images/`` under a hash of the source's content and the
output's settings, so an unchanged image is never processed twice. The plan
(``Picture``, ``Output``), its markup and that cache are in media/pictures.py,
which needs no Pillow; they are importable from here too.

Every published file is free of EXIF, GPS, XMP, IPTC and comments: originals
are stripped segment by segment (JPEG, PNG, WebP, GIF; nothing re-encoded,
colour profile kept) or re-encoded upright when their EXIF orientation says
they are sideways; resized files are encoded from pixels alone, with the
colour profile. Every file is read back and checked before it is published.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

from ..lazy_dataclass import dataclass
from .pictures import (  # noqa: F401 - the plan's names are importable from here too
    AVATAR_SIZES,
    CARD_SIZES,
    ENCODE,
    EXTENSION,
    FALLBACK,
    MIME,
    NOT_FOR_THE_WEB,
    ORIGINAL,
    SETTINGS,
    SOCIAL_CARD,
    WEB_FORMATS,
    WIDTHS,
    ImageCache,
    ImageProblem,
    Output,
    Picture,
    _not_for_the_web,
    crop_markup,
    responsive_widths,
    unavailable,
)

CARD_BACKGROUND = (246, 247, 249)
ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


# ---------------------------------------------------------------- probing


@dataclass(frozen=True)
class Probe:
    format: str
    width: int  # upright
    height: int
    animated: bool = False
    orientation: int = 1


def probe(path: Path) -> Probe:
    """The format and upright size of an image, from its header; ImageProblem if unusable.

    Decodes no pixels. Truncated JPEG, PNG, WebP and GIF files are found by
    walking their structure to the end.
    """
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _probe_svg(path)
    if suffix in NOT_FOR_THE_WEB:
        raise ImageProblem(_not_for_the_web(NOT_FOR_THE_WEB[suffix]))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc.strerror or exc}") from None
    _check_complete(data)
    with _bomb_guard():
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
                raise ImageProblem(_not_for_the_web("HEIC")) from None
            raise ImageProblem(
                "is not an image portfolio-gen can read (the file is damaged or in another "
                "format); export it again as JPEG or PNG"
            ) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"cannot be read ({exc}); export it again as JPEG or PNG") from None
        with image:
            fmt = _format(image)
            if fmt not in WEB_FORMATS:
                raise ImageProblem(_not_for_the_web(fmt or suffix.lstrip(".").upper()))
            width, height = image.size
            orientation = _orientation(image)
            animated = fmt != "JPEG" and bool(getattr(image, "is_animated", False))
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Probe(fmt, width, height, animated, orientation)


def picture_for(url: str, path: Path, source: str) -> Picture:
    """The Picture published at ``url`` from the file ``path`` (``source`` relative to the root)."""
    try:
        found = probe(path)
    except ImageProblem as exc:
        return Picture(url, source, problem=str(exc))
    resized = found.format in FALLBACK and not found.animated
    widths = responsive_widths(found.width) if resized else ()
    return Picture(url, source, found.format, found.width, found.height, widths)


@contextmanager
def _bomb_guard() -> Iterator[None]:
    """Pillow's decompression-bomb limit (its warning included) as an ImageProblem."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            found = re.search(r"\((\d+) pixels\)", str(exc))
            pixels = f"{int(found.group(1)) / 1e6:.0f} megapixels, " if found else ""
            limit = (Image.MAX_IMAGE_PIXELS or 0) / 1e6
            raise ImageProblem(
                f"is too large to process safely ({pixels}more than the {limit:.0f} megapixel "
                "limit that protects against decompression bombs); make it smaller"
            ) from None


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block only loses its orientation
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_TRUNCATED = "is cut off (the file is incomplete); copy or export it again"


def _check_complete(data: bytes) -> None:
    """ImageProblem if a JPEG, PNG, WebP or GIF file ends before its image does."""
    walk: Callable[[bytes], Iterable[object]] | None = None
    if data.startswith(b"\xff\xd8"):
        walk = _jpeg_segments
    elif data.startswith(_PNG_SIGNATURE):
        walk = _png_chunks
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        walk = _webp_chunks
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        walk = _gif_blocks
    if walk is None:
        return
    try:
        for _ in walk(data):
            pass
    except ValueError as exc:
        if str(exc) == "truncated":
            raise ImageProblem(_TRUNCATED) from None
        # other damage: Pillow decides whether it can read the file


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def _probe_svg(path: Path) -> Probe:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageProblem(f"cannot be read: {exc.strerror or exc}") from None
    root = _SVG_ROOT.search(data[:65536])
    if root is None:
        raise ImageProblem("is not an SVG image (no <svg> element); export it again")
    tag = root.group(0).decode("utf-8", "replace")
    attrs = dict(re.findall(r'([\w:-]+)\s*=\s*"([^"]*)"', tag))
    attrs.update(re.findall(r"([\w:-]+)\s*=\s*'([^']*)'", tag))
    width = height = 0.0
    w, h = _SVG_LENGTH.match(attrs.get("width", "")), _SVG_LENGTH.match(attrs.get("height", ""))
    if w and h:
        width, height = float(w.group(1)), float(h.group(1))
    elif "viewBox" in attrs:
        parts = re.split(r"[\s,]+", attrs["viewBox"].strip())
        if len(parts) == 4:
            try:
                width, height = float(parts[2]), float(parts[3])
            except ValueError:
                pass
    return Probe("SVG", round(width), round(height))


# ---------------------------------------------------------------- metadata removal


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, start, end) of each JPEG segment; entropy-coded data as marker 0."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    yield 0xD8, 0, 2
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            raise ValueError("bad marker")
        while pos + 1 < size and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 1 >= size:
            break
        marker = data[pos + 1]
        if marker == 0xD9:
            yield marker, pos, pos + 2
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            yield marker, pos, pos + 2
            pos += 2
            continue
        if pos + 4 > size:
            break
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > size:
            break
        yield marker, pos, end
        pos = end
        if marker == 0xDA:  # the scan's data runs to the next marker that is not RSTn
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                break
            yield 0, pos, found.start()
            pos = found.start()
    raise ValueError("truncated")


_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == 0xE0:  # JFIF without a thumbnail
        return payload.startswith(b"JFIF\0") and payload[12:14] in (b"\0\0", b"")
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\0")
    if marker == 0xEE:  # Adobe: how to read the colours
        return payload.startswith(b"Adobe")
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)  # other APPn and comments go


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without EXIF, XMP, IPTC, comments, thumbnails or trailing data."""
    parts = []
    for marker, start, end in _jpeg_segments(data):
        if marker in (0, 0xD8, 0xD9) or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            parts.append(data[start:end])
        elif _keep_jpeg_segment(marker, data[start + 4 : end]):
            parts.append(data[start:end])
    return b"".join(parts)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {
    b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"cLLI",
    b"pHYs", b"bKGD", b"hIST", b"sPLT", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            break
        yield kind, pos, end
        pos = end
        if kind == b"IEND":
            return
    raise ValueError("truncated")


def strip_png(data: bytes) -> bytes:
    """The PNG with only pixel, colour and animation chunks (no text, eXIf, time)."""
    parts = [_PNG_SIGNATURE]
    for kind, start, end in _png_chunks(data):
        if kind[0:1].isupper() or kind in _PNG_KEEP:
            parts.append(data[start:end])
    return b"".join(parts)


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP")
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise ValueError("truncated")
    chunks, pos = [], 12
    while pos + 8 <= end:
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if pos + 8 + length > end:
            raise ValueError("truncated")
        chunks.append((data[pos : pos + 4], data[pos + 8 : pos + 8 + length]))
        pos += 8 + length + (length & 1)
    return chunks


def strip_webp(data: bytes) -> bytes:
    """The WebP without EXIF and XMP chunks (and their flags)."""
    out = []
    for kind, payload in _webp_chunks(data):
        if kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"):
            continue
        if kind == b"VP8X":
            payload = bytes([payload[0] & ~0x0C]) + payload[1:]
        out.append(kind + len(payload).to_bytes(4, "little") + payload + b"\0" * (len(payload) & 1))
    body = b"WEBP" + b"".join(out)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _gif_blocks(data: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, keep) of each part of a GIF; comments and XMP are not kept."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")

    def table(flags: int) -> int:
        return 3 * (1 << ((flags & 7) + 1)) if flags & 0x80 else 0

    def sub_blocks(pos: int) -> int:
        while True:
            if pos >= len(data):
                raise ValueError("truncated")
            if data[pos] == 0:
                return pos + 1
            pos += data[pos] + 1

    pos = 13 + table(data[10]) if len(data) >= 13 else len(data) + 1
    parts = [(0, pos, True)]
    while pos < len(data):
        start, kind = pos, data[pos]
        if kind == 0x3B:
            parts.append((start, pos + 1, True))
            return parts
        if kind == 0x21 and pos + 1 < len(data):
            label = data[pos + 1]
            end = sub_blocks(pos + 2)
            keep = label not in (0xFE, 0xFF) or data[pos + 3 : pos + 14] in (
                b"NETSCAPE2.0",
                b"ANIMEXTS1.0",
                b"ICCRGBG1012",
            )
            parts.append((start, end, keep))
            pos = end
        elif kind == 0x2C and pos + 10 <= len(data):
            end = sub_blocks(pos + 10 + table(data[pos + 9]) + 1)
            parts.append((start, end, True))
            pos = end
        else:
            raise ValueError("bad block")
    raise ValueError("truncated")


def strip_gif(data: bytes) -> bytes:
    return b"".join(data[s:e] for s, e, keep in _gif_blocks(data) if keep)


_STRIP = {"JPEG": strip_jpeg, "PNG": strip_png, "WEBP": strip_webp, "GIF": strip_gif}
_PRIVATE_INFO = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "mp"}


def check_clean(data: bytes, fmt: str) -> None:
    """Raise ImageProblem if a raster file about to be published still carries
    metadata (SVG: portfolio_gen/svg.py rewrites it whole)."""
    with Image.open(io.BytesIO(data)) as image:
        found = _PRIVATE_INFO & set(image.info)
        found |= {"text"} if getattr(image, "text", None) else set()
        if (
            image.getexif()
            or found
            or getattr(image, "applist", None)
            and any(name not in ("APP0", "APP2", "APP14") for name, _ in image.applist)
        ):
            raise ImageProblem("metadata could not be removed")


# ---------------------------------------------------------------- processing


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    """Encode pixels (every processed file goes through here; tests count the calls).

    Pillow copies some of ``image.info`` (a JPEG comment, for one) into what it
    saves, so the image is saved without it: everything kept is in ``options``.
    """
    buffer = io.BytesIO()
    info, image.info = image.info, {}
    try:
        image.save(buffer, fmt, **options)
    finally:
        image.info = info
    return buffer.getvalue()


@dataclass(frozen=True)
class Job:
    """Make ``outputs`` from ``source``; each is written to its cache file."""

    source: str
    outputs: tuple[tuple[Output, str], ...]
    strip: bool = True


@dataclass(frozen=True)
class Done:
    source: str
    encoded: int = 0
    problem: str | None = None
    notes: tuple[str, ...] = ()  # warnings about a file that is published


def run(job: Job) -> Done:
    """Process one source image (in a worker process or not); never raises."""
    try:
        if Path(job.source).suffix.lower() == ".svg":
            return _run_svg(job)
        return Done(job.source, _run(job))
    except ImageProblem as exc:
        return Done(job.source, problem=str(exc))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return Done(job.source, problem=f"cannot be processed ({exc}); export it again")
    except MemoryError:
        return Done(job.source, problem="is too large to process with the memory available")


def _run_svg(job: Job) -> Done:
    """An SVG is published only as portfolio_gen.svg rewrites it (with or without ``strip``)."""
    from ..svg import SvgError, notes, sanitize

    try:
        cleaned = sanitize(Path(job.source).read_bytes())
    except SvgError as exc:
        return Done(job.source, problem=f"cannot be published safely: {exc.message}")
    for _, path in job.outputs:
        _store(path, cleaned.data)
    return Done(job.source, notes=notes(cleaned))


def _run(job: Job) -> int:
    data = Path(job.source).read_bytes()
    with _bomb_guard():
        image = Image.open(io.BytesIO(data))
    with image:
        fmt = _format(image)
        orientation = _orientation(image)
        icc = image.info.get("icc_profile")
        encoded = 0
        full: Image.Image | None = None
        resized = []
        for output, path in job.outputs:
            if output.kind == "original":
                body, full, count = _original(image, data, fmt, orientation, icc, job.strip)
                encoded += count
                _store(path, body)
            else:
                resized.append((output, path))
        if resized:
            if full is not None and fmt == "JPEG" and _draft_scale(image, orientation, resized) > 1:
                full, image = None, Image.open(io.BytesIO(data))  # decoding again, scaled down,
            base = (
                full if full is not None else _decoded(image, fmt, orientation, resized)
            )  # is cheaper
            base, icc = _web_mode(base, icc)
            encoded += _resized(base, icc, resized)
    return encoded


def _format(image: Image.Image) -> str:
    """Pillow's format name; a multi-picture JPEG (MPO, from some cameras) is a JPEG."""
    return "JPEG" if image.format == "MPO" else image.format or ""


def _original(
    image: Image.Image, data: bytes, fmt: str, orientation: int, icc: bytes | None, strip: bool
) -> tuple[bytes, Image.Image | None, int]:
    """The original's bytes to publish, the upright decoded image if made, files encoded."""
    if not strip:
        return data, None, 0
    if orientation == 1 and fmt in _STRIP:
        try:
            body = _STRIP[fmt](data)
            check_clean(body, fmt)
            return body, None, 0
        except (ValueError, ImageProblem):
            pass  # re-encoded below
    if fmt == "GIF" or fmt != "JPEG" and getattr(image, "is_animated", False):
        raise ImageProblem("metadata could not be removed from this animation; it is not published")
    image.load()
    upright = image.transpose(_TRANSPOSE[orientation]) if orientation in _TRANSPOSE else image
    options: dict[str, object] = dict(ORIGINAL.get(fmt, {}))
    if (
        fmt == "JPEG"
        and isinstance(image, JpegImagePlugin.JpegImageFile)  # a JPEG's own tables
        and getattr(image, "quantization", None)
    ):
        # the original's quantization tables: re-encoding loses as little as it can
        options = {
            "qtables": image.quantization,
            "subsampling": JpegImagePlugin.get_sampling(image),
        }
    elif fmt == "PNG" and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    elif fmt == "WEBP":
        options["lossless"] = b"VP8L" in data[12:64]
    if icc:
        options["icc_profile"] = icc
    body = encode(upright, fmt, **options)
    check_clean(body, fmt)
    return body, upright, 1


def _needed(image: Image.Image, orientation: int, outputs: list) -> tuple[int, int]:
    """The smallest stored (not upright) size from which every output can be made."""
    width, height = image.size
    upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
    need_w = need_h = 1
    for output, _ in outputs:
        w, h = _target(output, upright)
        if output.kind in ("crop", "card"):  # cropped from a box covering the output
            scale = max(w / upright[0], h / upright[1])
            w, h = round(upright[0] * scale), round(upright[1] * scale)
        need_w, need_h = max(need_w, w), max(need_h, h)
    return (need_h, need_w) if orientation in (5, 6, 7, 8) else (need_w, need_h)


def _draft_scale(image: Image.Image, orientation: int, outputs: list) -> int:
    """The JPEG DCT scale (1, 2, 4 or 8) ``draft`` would decode at for these outputs."""
    need = _needed(image, orientation, outputs)
    ratio = min(image.size[0] // need[0], image.size[1] // need[1])
    return next((s for s in (8, 4, 2) if ratio >= s), 1)


def _decoded(image: Image.Image, fmt: str, orientation: int, outputs: list) -> Image.Image:
    """The image decoded upright; a JPEG at the smallest DCT scale that covers every output
    (Pillow's draft mode: 1/2, 1/4 or 1/8 of the pixels are decoded at all)."""
    if fmt == "JPEG":
        image.draft(image.mode, _needed(image, orientation, outputs))
    image.load()
    return image.transpose(_TRANSPOSE[orientation]) if orientation in _TRANSPOSE else image


def _web_mode(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """RGB or RGBA pixels; CMYK converted to sRGB through its profile when it has one."""
    if image.mode == "CMYK":
        if icc:
            try:
                source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                srgb = ImageCms.createProfile("sRGB")
                converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
                if converted is not None:  # (None only when converted in place)
                    return converted, None
            except (ImageCms.PyCMSError, OSError):
                pass
        return image.convert("RGB"), None
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda v: v / 256).convert("L"), icc
    if image.mode in ("RGB", "RGBA", "L"):
        return image, icc
    if image.mode in ("LA", "PA", "P", "RGBa", "La") or "transparency" in image.info:
        return image.convert("RGBA"), icc
    return image.convert("RGB"), icc


def _target(output: Output, upright: tuple[int, int]) -> tuple[int, int]:
    """The size of an output for an image of ``upright`` size (never larger than it)."""
    width, height = upright
    if output.kind == "width":
        w = min(output.width, width)
        return w, max(1, round(height * w / width))
    if output.kind == "crop":
        scale = min(1.0, width / output.width, height / output.height)
        return max(1, round(output.width * scale)), max(1, round(output.height * scale))
    return output.width, output.height


def _resized(base: Image.Image, icc: bytes | None, outputs: list) -> int:
    """Encode every resized output. Widths are made largest first, each from the one
    before (a cascade); crops and the social card from the smallest of those that
    still covers them, so the full-size image is resized only once."""
    order = {"width": 0, "crop": 1, "card": 2}
    chain = [base]  # base, then each width made, smaller and smaller, same shape
    made: dict[tuple[str, int, int], Image.Image] = {}
    for output, path in sorted(outputs, key=lambda item: (order[item[0].kind], -item[0].width)):
        size = _target(output, base.size)
        picture = made.get((output.kind, *size))
        if picture is None:
            if output.kind == "width":
                source = chain[-1] if chain[-1].width >= size[0] else base
                if source.size != size:
                    source = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
                    chain.append(source)
                picture = source
            else:
                scale = max(size[0] / base.width, size[1] / base.height)
                need = (base.width * scale, base.height * scale)
                covering = [im for im in chain if im.width >= need[0] and im.height >= need[1]]
                source = min(covering, key=lambda im: im.width) if covering else base
                if output.kind == "card":
                    picture = _social_card(source, base.size)
                else:
                    picture = ImageOps.fit(source, size, Image.Resampling.LANCZOS)
            made[(output.kind, size[0], size[1])] = picture
        if output.format == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = _flatten(picture)
        options: dict[str, object] = dict(ENCODE[output.format])
        if icc:
            options["icc_profile"] = icc
        body = encode(picture, output.format, **options)
        check_clean(body, output.format)
        _store(path, body)
    return len(outputs)


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _social_card(source: Image.Image, full: tuple[int, int]) -> Image.Image:
    """1200x630: the picture cropped to fill it, or, if the picture (``full`` size) is
    smaller, centred on a plain card (never enlarged)."""
    width, height = SOCIAL_CARD
    if full[0] >= width and full[1] >= height:
        return ImageOps.fit(source, SOCIAL_CARD, Image.Resampling.LANCZOS)
    card = Image.new("RGB", SOCIAL_CARD, CARD_BACKGROUND)
    fitted = source.copy()
    fitted.thumbnail(SOCIAL_CARD, Image.Resampling.LANCZOS)
    fitted = _flatten(fitted) if fitted.mode != "RGB" else fitted
    card.paste(fitted, ((width - fitted.width) // 2, (height - fitted.height) // 2))
    return card


def _store(path: str, body: bytes) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.write_bytes(body)
    os.replace(tmp, target)
