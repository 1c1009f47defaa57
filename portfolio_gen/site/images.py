"""Publishing images: orientation applied, private metadata removed."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

REENCODE = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
}


class ImageProblem(Exception):
    pass


def publishable_image(path: Path, strip_metadata: bool = True) -> bytes:
    """The bytes to publish for an image file.

    With ``strip_metadata``, JPEG, PNG and WebP files are decoded, turned
    upright from their EXIF orientation and re-encoded with nothing but the
    pixels and the ICC colour profile: no EXIF, GPS, XMP, IPTC or comments.
    Other formats (SVG, GIF, AVIF) are published as they are.
    """
    data = path.read_bytes()
    if not strip_metadata:
        return data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                if fmt not in REENCODE:
                    return data
                icc = image.info.get("icc_profile")
                upright = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                options = dict(REENCODE[fmt])
                if icc:
                    options["icc_profile"] = icc
                if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                upright.save(out, fmt, **options)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(f"image is too large to process safely ({exc})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(
            f"cannot read the image ({exc}); export it again as JPEG or PNG"
        ) from None
