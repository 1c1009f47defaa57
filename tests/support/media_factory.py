"""Builders for media tests: phone-like photos with private metadata, broken files."""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageCms

GPS = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}  # a home address
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:RDF><rdf:Description exif:GPSLatitude='40,26.76N'/></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
PRIVATE_MARKERS = (b"Exif\0\0", b"PhoneCo", b"xpacket", b"GPSLatitude", b"Secret comment")


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def two_halves(size: tuple[int, int]) -> Image.Image:
    """Left half red, right half blue (as stored, before any EXIF rotation)."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


def phone_jpeg(
    size: tuple[int, int] = (800, 600),
    orientation: int = 6,
    quality: int = 85,
    trailer: bytes = b"",
) -> bytes:
    """A JPEG as phones make them: EXIF with camera, GPS and orientation, XMP, a comment,
    an ICC profile, and optionally data after the image (like motion photos)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneCo"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    two_halves(size).save(
        buffer,
        "JPEG",
        quality=quality,
        exif=exif.tobytes(),
        icc_profile=srgb_profile(),
        comment=b"Secret comment",
        xmp=XMP,
    )
    return buffer.getvalue() + trailer


def png(size: tuple[int, int] = (300, 200), text: bool = True, color: str = "green") -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", "Secret comment")
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[0x010F] = "PhoneCo"
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG", pnginfo=info, exif=exif.tobytes())
    return buffer.getvalue()


def webp(size: tuple[int, int] = (300, 200)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneCo"
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, "WEBP", exif=exif.tobytes(), xmp=XMP)
    return buffer.getvalue()


def gif_with_comment() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "blue")]
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], comment=b"Secret comment", loop=0
    )
    return buffer.getvalue()


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims a huge image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
        )

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    pixels = zlib.compress(b"\0" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def heic() -> bytes:
    """The start of an HEIC file (what iPhones save), which Pillow cannot read."""
    return b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200


def clean(path) -> list[str]:
    """What private metadata a published image still carries (empty when clean)."""
    found = []
    data = path.read_bytes()
    found += [marker.decode("latin-1") for marker in PRIVATE_MARKERS if marker in data]
    with Image.open(path) as image:
        if image.getexif():
            found.append("getexif()")
        found += [
            k for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment") if k in image.info
        ]
        if getattr(image, "text", None):
            found.append("text")
    return found
