"""The issuer's picture: published only when it is safe and this build has it.

Copied to the site (``badges/<slug>/issuer/image.<ext>``: in a folder, so no
badge file can have its name) only when it is inside the credential as a
``data:`` URL, or was fetched with ``--online`` (kept in the cache folder,
sealed, for offline rebuilds). Either way it must be a PNG, a JPEG (checked
by their first bytes) or an SVG, which is published as the SVG sanitizer's
copy (svg.py: no scripts, no links to other sites). Anything else is not
copied and the page shows no picture.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse

from .containers import MAX_PAYLOAD_BYTES
from .fetch import FetchError, Store
from .model import is_web_url

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


def issuer_image(url: str | None, store: Store) -> tuple[str, bytes] | None:
    """(``issuer/image.<ext>``, bytes to publish) or None."""
    if not url:
        return None
    if url[:5].lower() == "data:":
        data = _data_url(url)
    elif is_web_url(url):
        data = _fetched(url, store)
    else:
        return None
    return _checked(data) if data else None


def _data_url(url: str) -> bytes | None:
    head, comma, body = url[5:].partition(",")
    if not comma:
        return None
    try:
        if head.lower().endswith(";base64"):
            data = base64.b64decode(body.strip(), validate=False)
        else:
            data = urllib.parse.unquote_to_bytes(body)
    except (binascii.Error, ValueError):
        return None
    return data if len(data) <= MAX_PAYLOAD_BYTES else None


def _fetched(url: str, store: Store) -> bytes | None:
    """Online: fetched (and kept); offline: the copy an earlier --online run kept."""
    if store.online:
        try:
            resp = store.fetch(url)
        except FetchError:
            resp = None
        if resp is not None and resp.status == 200 and _checked(resp.body):
            store.save("images", url, resp.body)
            return resp.body
    return store.cached_bytes("images", url)


def _checked(data: bytes) -> tuple[str, bytes] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "issuer/image.png", data
    if data.startswith(b"\xff\xd8\xff"):
        return "issuer/image.jpg", data
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        from ..svg import SvgError, sanitize  # imported here: only an SVG picture needs it

        try:
            return "issuer/image.svg", sanitize(data).data
        except SvgError:
            return None
    return None
