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

Every seal carries the date the document was fetched (``<date> <hmac>``;
the HMAC covers address, date and bytes), so a result drawn from the cache
says how old it is (:attr:`Store.dates`, ``Badge.checked``).

Hosted assertions, revocation lists and status lists (:meth:`Store.live`) are
fetched fresh on every online run; the answer is kept, sealed and dated, in
``cache_dir/responses/`` and used by offline runs (or when the server cannot
be reached), so an offline rebuild keeps what the last online run found.

The badges' network (:func:`safe_fetch`, the default fetcher): https only,
the host's addresses must be public (no loopback, private, link-local or
reserved address, checked on the address actually connected to), redirects
are followed only to addresses that pass the same checks, 5 s per connect or
read, 10 s in all, 2 MiB at most. :data:`NETWORK` is replaced only by tests
(a local CA, a resolver, an allow-list of local addresses).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.parse
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import mac, write_new
from ..lazy_dataclass import dataclass
from ..paths import read_at_most
from .containers import MAX_PAYLOAD_BYTES

if TYPE_CHECKING:  # imported where used: they load only for an online run
    import http.client
    import ssl

#: Seconds before one request gives up (hub fetches; badges: ``safe_fetch``).
TIMEOUT_SECONDS = 10.0
#: Badges: seconds for one connect or read, and for the whole request.
SOCKET_SECONDS = 5.0
DEADLINE_SECONDS = 10.0
MAX_REDIRECTS = 5
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


@dataclass(frozen=True)
class Network:
    """How ``safe_fetch`` reaches the network. Only tests change it: ``context``
    trusts their own CA, ``resolve`` maps a test host name to 127.0.0.1 (and port
    443 to the test server's), and ``allow`` lists the local addresses they may reach."""

    context: ssl.SSLContext | None = None  # None: the system's trusted CAs
    resolve: Callable[[str, int], list[tuple[str, int]]] | None = None  # (address, port)
    allow: frozenset[str] = field(default_factory=frozenset)


NETWORK = Network()


def _addresses(host: str, port: int, net: Network) -> list[tuple[str, int]]:
    import socket

    if net.resolve is not None:
        return list(net.resolve(host, port))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"could not find {host} ({exc})") from None
    return [(str(info[4][0]), port) for info in infos]


def _public_address(host: str, port: int, net: Network) -> tuple[str, int]:
    """Where to connect; every address of the host must be public (or allowed)."""
    found = _addresses(host, port, net)
    if not found:
        raise FetchError(f"could not find {host}")
    for address, _port in found:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            raise FetchError(f"{host} has an unusable address ({address})") from None
        mapped = getattr(ip, "ipv4_mapped", None)
        public = (mapped or ip).is_global and not (mapped or ip).is_multicast
        if not public and address not in net.allow:
            raise FetchError(
                f"{host} is a local or private address ({address}); badges are only "
                "checked against public web servers"
            )
    return found[0]


def safe_fetch(url: str, network: Network | None = None) -> Response:
    """GET ``url`` over https only, from a public address, with timeouts and a size cap."""
    import http.client
    import socket
    import ssl

    net = network or NETWORK
    context = net.context or ssl.create_default_context()
    deadline = time.monotonic() + DEADLINE_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        try:
            parts = urllib.parse.urlsplit(url)
            host, port = parts.hostname, parts.port or 443
        except ValueError:
            raise FetchError(f"{url} is not a usable web address") from None
        if parts.scheme.lower() != "https" or not host:
            raise FetchError(f"only https addresses are fetched, not {url}")
        address, real_port = _public_address(host, port, net)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn = http.client.HTTPSConnection(host, port, timeout=SOCKET_SECONDS, context=context)
        # A server that answers a byte at a time stays under the per-read timeout: at the
        # deadline the connection is shut, whatever the request is waiting for.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut, [conn])
        watchdog.start()
        try:
            sock = socket.create_connection((address, real_port), SOCKET_SECONDS)
            try:
                conn.sock = context.wrap_socket(sock, server_hostname=host)
            except BaseException:
                sock.close()
                raise
            conn.request("GET", path, headers={"Accept": _ACCEPT, "User-Agent": USER_AGENT})
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"{url} redirects nowhere")
                url = urllib.parse.urljoin(url, location)
                continue
            body = _read_capped(resp, url, deadline)
            return Response(url, resp.status, body, resp.getheader("Content-Type") or "")
        except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
            if time.monotonic() >= deadline:
                raise FetchError(_too_slow(url)) from None
            raise FetchError(f"could not reach {url} ({exc})") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"too many redirects from {url}")


def _shut(conn: http.client.HTTPConnection) -> None:
    import socket

    try:
        if conn.sock is not None:
            conn.sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _too_slow(url: str) -> str:
    return f"{url} took longer than {DEADLINE_SECONDS:g} seconds to answer"


_ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"


def _read_capped(resp: http.client.HTTPResponse, url: str, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(_too_slow(url))
        chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_FETCH_BYTES:
            raise FetchError(f"the answer from {url} is larger than {MAX_FETCH_BYTES} bytes")
        chunks.append(chunk)


def _seal(url: str, body: bytes, date: str = "", status: int = 200) -> str:
    """``<date> <hmac>`` (documents) or ``<date> <status> <hmac>`` (kept answers);
    a bare ``<hmac>`` is the older, undated form."""
    if not date:
        return mac(b"fetched document", url.encode("utf-8") + b"\0" + body).hex()
    head = date if status == 200 else f"{date} {status}"
    data = f"{url}\0{head}\0".encode() + body
    return f"{head} {mac(b'fetched document, dated', data).hex()}"


def _unseal(url: str, body: bytes, sealed: str) -> tuple[dt.date | None, int] | None:
    """(date fetched or None, HTTP status) when ``sealed`` is this computer's seal."""
    parts = sealed.split()
    try:
        if len(parts) == 1 and hmac.compare_digest(parts[0], _seal(url, body)):
            return None, 200
        if len(parts) in (2, 3):
            status = int(parts[1]) if len(parts) == 3 else 200
            if hmac.compare_digest(sealed, _seal(url, body, parts[0], status)):
                return dt.date.fromisoformat(parts[0]), status
    except ValueError:
        pass
    return None


def cache_name(url: str) -> str:
    name = urllib.parse.quote(url, safe="")
    if len(name) > 200:
        name = "sha256-" + hashlib.sha256(url.encode("utf-8")).hexdigest()
    return name + ".json"


class Store:
    """Documents by URL: the cache folder first, then (online only) the network."""

    def __init__(
        self,
        cache_dir: Path | None,
        *,
        online: bool,
        fetch: Fetcher | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.online = online
        self.fetch = fetch or (lambda url: safe_fetch(url))  # NETWORK read at each call
        self.today = today or dt.date.today()
        self.problems: list[str] = []  # cache files that could not be read or written
        #: When each document or answer used (not a JSON-LD context) was fetched.
        self.dates: list[dt.date] = []
        self._when: dict[tuple[str, str], dt.date | None] = {}

    # -- cache files
    def _path(self, kind: str, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / kind / cache_name(url)

    def _cached(
        self, kind: str, url: str
    ) -> tuple[bytes, tuple[dt.date | None, int] | None] | None:
        """(bytes, (date, status) when this computer's seal is beside it) or None."""
        path = self._path(kind, url)
        if path is None or not path.is_file():
            return None
        try:
            raw = read_at_most(path, MAX_FETCH_BYTES)
        except OSError as exc:
            self.problems.append(f"cache file {path.name} is not readable ({exc}); ignored")
            return None
        if raw is None:
            self.problems.append(f"cache file {path.name} is too large; ignored")
            return None
        try:
            sealed = path.with_name(path.name + ".seal").read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            sealed = ""
        return raw, _unseal(url, raw, sealed)

    def cached_bytes(self, kind: str, url: str) -> bytes | None:
        """A file this computer fetched (sealed), else None."""
        found = self._cached(kind, url)
        return found[0] if found and found[1] is not None else None

    def cached_text(self, kind: str, url: str) -> tuple[str, str] | None:
        """(text, "cache") for a document this computer fetched, (text, "placed")
        for one put in the cache folder otherwise, or None."""
        found = self._cached(kind, url)
        if found is None:
            return None
        raw, seal = found
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(f"cache file for {url} is not readable ({exc}); ignored")
            return None
        if seal is None:
            return text, "placed"
        self._when[(kind, url)] = seal[0]
        return text, "cache"

    def save(self, kind: str, url: str, body: bytes, status: int = 200) -> None:
        path = self._path(kind, url)
        if path is None:
            return
        seal = _seal(url, body, self.today.isoformat(), status)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(path, body)
            write_new(path.with_name(path.name + ".seal"), seal.encode("ascii"))
        except OSError as exc:
            self.problems.append(f"could not write the cache folder ({exc})")

    def fetched_on(self, url: str, kind: str = "documents") -> dt.date | None:
        """When the document last returned for ``url`` was fetched (None: unknown)."""
        return self._when.get((kind, url))

    def _used(self, kind: str, url: str) -> None:
        when = self._when.get((kind, url))
        if kind != "contexts" and when is not None:
            self.dates.append(when)

    # -- documents
    def get_text(self, url: str, kind: str = "documents") -> tuple[str | None, str]:
        """(text, where it came from) or (None, why not). Online, a copy this
        computer did not fetch (``"placed"``) is fetched again; offline, or when
        that fails, it is what there is. A document the server answered from
        another origin (a redirect) is ``"redirected"``: it is not the address's own."""
        cached = self.cached_text(kind, url)
        if cached is not None and (cached[1] == "cache" or not self.online):
            self._used(kind, url)
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
        if _origin(resp.url) != _origin(url):
            return text, "redirected"
        self.save(kind, url, resp.body)
        self._when[(kind, url)] = self.today
        self._used(kind, url)
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
        """Always over the network, never kept (hub summaries). Online only."""
        if not self.online:
            raise FetchError("offline")
        return self.fetch(url)

    def live(self, url: str) -> Response:
        """A hosted assertion or status list: online, fetched and kept (sealed, dated);
        offline, or when the server cannot be reached, the answer the last online run
        kept. ``Response.url`` of a kept answer is the address asked for."""
        if self.online:
            try:
                resp = self.fetch(url)
            except FetchError as exc:
                kept = self._kept(url)
                if kept is None:
                    raise
                self.problems.append(f"{exc}; the answer kept from an earlier --online run is used")
                return kept
            if resp.status in (200, 404, 410) and _origin(resp.url) == _origin(url):
                self.save("responses", url, resp.body, resp.status)
                self._when[("responses", url)] = self.today
                self._used("responses", url)
            return resp
        kept = self._kept(url)
        if kept is None:
            raise FetchError("offline")
        return kept

    def _kept(self, url: str) -> Response | None:
        found = self._cached("responses", url)
        raw, seal = found if found is not None else (b"", None)
        when, status = seal if seal is not None else (None, 0)
        if when is None:
            return None  # never kept, or not by this computer: not an answer from the server
        self._when[("responses", url)] = when
        self._used("responses", url)
        return Response(url, status, raw)


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
