"""A local HTTPS issuer for the badge tests (issue 19).

``site`` is a web server on 127.0.0.1 (port 0) serving canned answers by path,
over TLS with a certificate from a CA made for the test session. Only the
``site`` fixture's tests trust that CA: it replaces the badge verifier's
``NETWORK`` (fetch.py) with one whose SSL context knows the CA, whose resolver
maps the test host names (``*.test``) to 127.0.0.1 and refuses every other
name (no test reaches the real network), and whose allow-list admits 127.0.0.1.
The verifier's own rules (https only, public addresses, size cap, deadline)
stay as they are.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from portfolio_gen.badges import fetch

#: Host names the test resolver sends to the local server (and its certificate names):
#: test issuers, and the did:web host of the vc-test-fixtures files (badges-world).
HOSTS = ("issuer.test", "other.test", "localhost", "digitalcredentials.github.io")


def _pem_pair(tmp: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) written under ``tmp``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portfolio-gen test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(h) for h in HOSTS] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.test")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = (tmp / "ca.pem", tmp / "server.pem", tmp / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return _pem_pair(tmp_path_factory.mktemp("tls"))


class Site:
    """A local HTTPS server on 127.0.0.1 serving canned answers by path."""

    def __init__(self, tls: tuple[Path, Path, Path], *, tls_on: bool = True) -> None:
        self.routes: dict[str, tuple[int, bytes, str, dict[str, str]]] = {}
        self.slow: dict[str, float] = {}  # path -> seconds to wait before answering
        self.hits: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        scheme = "http"
        if tls_on:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls[1], tls[2])
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str, host: str | None = None) -> str:
        if host is None:
            return self.base + path
        return f"{self.base.split('://')[0]}://{host}:{self.port}{path}"

    def add(  # type: ignore[no-untyped-def]
        self,
        path: str,
        body: bytes | str,
        status: int = 200,
        ctype: str = "application/json",
        headers: dict[str, str] | None = None,
        host: str | None = None,
    ):
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, data, ctype, headers or {})
        return self.url(path, host)

    def redirect(self, path: str, to: str) -> str:
        return self.add(path, b"", status=302, headers={"Location": to})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.hits.append(self.path)
                if self.path in site.slow:
                    time.sleep(site.slow[self.path])
                status, body, ctype, headers = site.routes.get(
                    self.path, (404, b"not found", "text/plain", {})
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (a size cap, a timeout)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_network(tls: tuple[Path, Path, Path], port: int = 0) -> fetch.Network:
    """The verifier's network, trusting the test CA and sending the test host names to
    127.0.0.1 (port 443, the default, to ``port``: the local server)."""
    context = ssl.create_default_context(cafile=str(tls[0]))

    def resolve(host: str, asked: int) -> list[tuple[str, int]]:
        to = port if asked == 443 and port else asked
        if host in HOSTS:
            return [("127.0.0.1", to)]
        try:
            return [(str(ipaddress.ip_address(host)), asked)]  # an address: itself
        except ValueError:
            raise fetch.FetchError(f"could not find {host} (tests use no real network)") from None

    return fetch.Network(context=context, resolve=resolve, allow=frozenset({"127.0.0.1"}))


test_network.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def site(tls_files, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    s = Site(tls_files)
    monkeypatch.setattr(fetch, "NETWORK", test_network(tls_files, s.port))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def plain_site(tls_files) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    """The same server without TLS (http://): the verifier must refuse it."""
    s = Site(tls_files, tls_on=False)
    try:
        yield s
    finally:
        s.close()
