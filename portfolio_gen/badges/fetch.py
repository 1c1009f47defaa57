"""The network (only with ``online=True``) and the badge cache folder.

Cache layout (``cache_dir``, documented in docs/badges.md)::

    cache_dir/contexts/<name>.json    JSON-LD contexts
    cache_dir/documents/<name>.json   badge classes, issuer profiles, keys, DID documents

``<name>`` is the URL percent-encoded with :func:`urllib.parse.quote` (``safe=""``),
so a file can be put there by hand; URLs longer than 200 characters use
``sha256-<hex of the URL>`` instead. Files are written atomically.

A document this computer fetched has a seal beside it (``<name>.json.seal``:
an HMAC under the user's cache key, cache.py): read back, it counts as
fetched from its address (``"cache"``). One put there by hand, or by whoever
wrote the portfolio's folder, has none and is only ``"placed"``: it can check
a signature, never tie a key to an issuer (verify.bind_issuer).

Hosted assertions, revocation lists and status lists are always fetched fresh
when online and never read from the cache: their answer can change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import mac, write_new
from .containers import MAX_PAYLOAD_BYTES

#: Seconds before one request gives up.
TIMEOUT_SECONDS = 10.0
#: Largest response read.
MAX_FETCH_BYTES = MAX_PAYLOAD_BYTES
USER_AGENT = "portfolio-gen badge verifier"


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    content_type: str = ""


class FetchError(Exception):
    """The request could not be made or answered (network, timeout, too large)."""


Fetcher = Callable[[str], Response]


def http_fetch(url: str) -> Response:
    """GET ``url`` (http/https only) with a timeout and a size cap; any status is returned."""
    import urllib.request  # imported here: it brings http.client, ssl and email (online only)

    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https addresses are fetched, not {scheme or 'this'}")
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/ld+json, application/json;q=0.9, */*;q=0.1",
            "User-Agent": USER_AGENT,
        },
    )
    try:
        try:
            resp = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310
        except urllib.error.HTTPError as err:
            resp = err
        with resp:
            body = resp.read(MAX_FETCH_BYTES + 1)
            status = resp.status if hasattr(resp, "status") else resp.getcode()
            ctype = resp.headers.get("Content-Type", "") if resp.headers else ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"could not reach {url} ({reason})") from None
    if len(body) > MAX_FETCH_BYTES:
        raise FetchError(f"the answer from {url} is larger than {MAX_FETCH_BYTES} bytes")
    return Response(url, int(status or 0), body, ctype)


def _seal(url: str, body: bytes) -> str:
    return mac(b"fetched document", url.encode("utf-8") + b"\0" + body).hex()


def cache_name(url: str) -> str:
    name = urllib.parse.quote(url, safe="")
    if len(name) > 200:
        name = "sha256-" + hashlib.sha256(url.encode("utf-8")).hexdigest()
    return name + ".json"


class Store:
    """Documents by URL: the cache folder first, then (online only) the network."""

    def __init__(
        self, cache_dir: Path | None, *, online: bool, fetch: Fetcher | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.online = online
        self.fetch = fetch or http_fetch
        self.problems: list[str] = []  # cache files that could not be read or written

    # -- cache files
    def _path(self, kind: str, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / kind / cache_name(url)

    def cached_text(self, kind: str, url: str) -> tuple[str, str] | None:
        """(text, "cache") for a document this computer fetched, (text, "placed")
        for one put in the cache folder otherwise, or None."""
        path = self._path(kind, url)
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_FETCH_BYTES + 1)
            if len(raw) > MAX_FETCH_BYTES:
                self.problems.append(f"cache file {path.name} is too large; ignored")
                return None
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(f"cache file {path.name} is not readable ({exc}); ignored")
            return None
        try:
            sealed = path.with_name(path.name + ".seal").read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            sealed = ""
        return text, "cache" if hmac.compare_digest(sealed, _seal(url, raw)) else "placed"

    def save(self, kind: str, url: str, body: bytes) -> None:
        path = self._path(kind, url)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(path, body)
            write_new(path.with_name(path.name + ".seal"), _seal(url, body).encode("ascii"))
        except OSError as exc:
            self.problems.append(f"could not write the cache folder ({exc})")

    # -- documents
    def get_text(self, url: str, kind: str = "documents") -> tuple[str | None, str]:
        """(text, where it came from) or (None, why not). Online, a copy this
        computer did not fetch (``"placed"``) is fetched again; offline, or when
        that fails, it is what there is."""
        cached = self.cached_text(kind, url)
        if cached is not None and (cached[1] == "cache" or not self.online):
            return cached
        if not self.online:
            return None, "offline"
        try:
            resp = self.fetch(url)
        except FetchError as exc:
            return cached or (None, str(exc))
        if resp.status != 200:
            return cached or (None, f"{url} answered HTTP {resp.status}")
        try:
            text = resp.body.decode("utf-8")
        except UnicodeDecodeError:
            return cached or (None, f"the answer from {url} is not UTF-8 text")
        self.save(kind, url, resp.body)
        return text, "network"

    def get_json(self, url: str, kind: str = "documents") -> tuple[Any, str]:
        """(parsed JSON, where from) or (None, why not)."""
        text, where = self.get_text(url, kind)
        if text is None:
            return None, where
        try:
            return json.loads(text), where
        except (ValueError, RecursionError):
            return None, f"the document for {url} is not JSON"

    def fresh(self, url: str) -> Response:
        """Always over the network (hosted assertions, status lists). Online only."""
        if not self.online:
            raise FetchError("offline")
        return self.fetch(url)
