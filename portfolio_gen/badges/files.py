"""Which files in ``badges/`` are badges, and which are sidecars beside them.

Imports nothing heavy: every build asks this, even one that reads no badge.
"""

from __future__ import annotations

from pathlib import Path

BADGE_SUFFIXES = (".png", ".svg", ".json", ".jws", ".jwt")
ENDORSEMENT_SUFFIXES = (".endorsement.json", ".endorsement.jwt", ".endorsement.jws")
SIDECAR_SUFFIXES = (
    *(".badgeclass.json", ".achievement.json", ".issuer.json", ".key.pem"),
    *ENDORSEMENT_SUFFIXES,  # badges/endorsements.py
)


def is_badge_file(path: Path) -> bool:
    """True for .png .svg .json .jws .jwt files that are not sidecars or hidden files."""
    name = path.name.lower()
    if name.startswith(".") or not name.endswith(BADGE_SUFFIXES):
        return False
    return not name.endswith(SIDECAR_SUFFIXES)


#: The sanitized copy of an SVG badge that pages show (see docs/badges.md).
SVG_IMAGE = "image.svg"


def download_name(file: str) -> str:
    """The name a badge's exact bytes are published under, in ``badges/<slug>/``.

    An SVG is an active document: opened from the site, a script in it would
    run with the site's rights. Its exact bytes (which re-verification needs)
    are published as ``<file>.txt``, served as plain text; the download link
    names the saved file ``<file>`` again. Other badges keep their name.
    """
    return file + ".txt" if file.lower().endswith(".svg") else file


def image_name(file: str) -> str | None:
    """The picture a page shows for a badge file, or None (JSON, JWS, JWT)."""
    lower = file.lower()
    if lower.endswith(".svg"):
        return SVG_IMAGE
    return file if lower.endswith(".png") else None


def published(path: Path, *, image: bool = True) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file published for the badge file ``path``.

    ``image=False`` for a second file of the same credential: only its exact bytes.
    """
    data = path.read_bytes()
    files = [(download_name(path.name), data)]
    if image and image_name(path.name) == SVG_IMAGE:
        from ..svg import SvgError, sanitize  # imported here: only an SVG badge needs it

        try:
            shown = sanitize(data).data
        except SvgError:  # the browser could not show it either: an empty picture
            shown = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'
        files.append((SVG_IMAGE, shown))
    return files
