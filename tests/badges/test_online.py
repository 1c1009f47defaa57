"""Online verification against a local HTTPS issuer (issue 19).

The ``site`` fixture (conftest.py) is a web server on 127.0.0.1 with a
certificate from a CA made for the test; only these tests trust it. It plays
the issuer: its profile with keys (OB 2.0 ``publicKey``, OB 3.0
``verificationMethod`` and a JWKS), a did:web DID document (the did:web host
``issuer.test`` is mapped to 127.0.0.1 by the test's resolver), hosted
assertions and status lists. A second host name, ``other.test``, is a server
that is not the issuer.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import Site, test_network
from support.badge_factory import (
    LEARNER,
    badge_class,
    di_sign,
    ed_key,
    issuer_profile,
    ob2_assertion,
    ob2_jws,
    ob3_credential,
    pem,
    png_image,
    rsa_key,
    svg_image,
    vc_jwt,
    write,
)

from portfolio_gen.badges import bake, integrity, keys, read_badge
from portfolio_gen.badges import fetch as fetch_mod
from portfolio_gen.badges.fetch import FetchError, Network, cache_name, safe_fetch

TODAY = dt.date(2026, 6, 1)
LATER = dt.date(2026, 6, 20)
CONTAINERS = ["png", "svg", "json", "jwt"]


def read(path: Path, *, online: bool = False, today: dt.date = TODAY):  # type: ignore[no-untyped-def]
    return read_badge(
        path,
        root=path.parent,
        identities=[LEARNER],
        online=online,
        cache_dir=path.parent / "cache",
        today=today,
    )


def jwk(key: Any, kid: str | None = None) -> dict[str, Any]:
    return keys.jwk_for(key.public_key()) | ({"kid": kid} if kid else {})


def ob3_issuer(site: Site, key: Any, **extra: Any) -> str:
    """An OB 3.0 issuer profile on issuer.test publishing ``key`` as ``#key-1``."""
    issuer = site.url("/issuer", "issuer.test")
    profile = {
        "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": issuer,
        "type": ["Profile"],
        "name": "Eastside Library Code Club",
        "verificationMethod": [
            {"id": issuer + "#key-1", "type": "JsonWebKey", "publicKeyJwk": jwk(key)}
        ],
        **extra,
    }
    site.add("/issuer", json.dumps(profile))
    return issuer


def save3(tmp_path: Path, container: str, cred: dict[str, Any], key: Any, kid_or_jwk: Any) -> Path:
    """``cred`` signed by ``key``: a VC-JWT (png, svg, jwt; ``kid_or_jwk`` is the kid,
    or a dict of header fields) or a Data Integrity proof naming ``kid_or_jwk`` (json;
    a dict: the key's own did:key)."""
    if container == "json":
        if isinstance(kid_or_jwk, dict):
            signed = di_sign(cred, key)
        else:
            signed = integrity.add_proof(cred, key, kid_or_jwk, created="2026-04-02T15:00:00Z")
        return write(tmp_path, "cred.json", json.dumps(signed))
    header = kid_or_jwk if isinstance(kid_or_jwk, dict) else {"kid": kid_or_jwk}
    token = vc_jwt(cred, key, header=header)
    if container == "jwt":
        return write(tmp_path, "cred.jwt", token)
    image = png_image() if container == "png" else svg_image()
    return write(tmp_path, "cred." + container, bake(image, token))


# ------------------------------------------------- OB 3.0 issuer profile with keys


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_key_the_issuers_profile_publishes_is_verified_and_kept_with_its_date(
    tmp_path: Path, site: Site, container: str
) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    path = save3(tmp_path, container, ob3_credential(issuer), key, issuer + "#key-1")
    badge, _ = read(path)  # offline, nothing fetched yet
    assert badge.verification.status == "unverified", badge.verification.reason
    assert badge.checked is None
    badge, _ = read(path, online=True)
    assert badge.verification.status == "verified", badge.verification.reason
    assert "which the issuer publishes at its own address" in badge.verification.reason
    assert badge.checked == TODAY
    site.routes.clear()  # the issuer's server is gone: an offline rebuild keeps the result
    badge, _ = read(path, today=LATER)
    assert badge.verification.status == "verified", badge.verification.reason
    assert "(from the local cache, fetched on 2026-06-01)" in badge.verification.reason
    assert badge.checked == TODAY


@pytest.mark.parametrize("container", ["png", "svg", "jwt"])
def test_a_jwks_the_profile_names_and_a_bare_kid(
    tmp_path: Path, site: Site, container: str
) -> None:
    key = ed_key()
    jwks = site.add("/jwks.json", json.dumps({"keys": [jwk(ed_key(), "old"), jwk(key, "k2")]}))
    issuer = ob3_issuer(site, ed_key(), jwks_uri=jwks.replace("127.0.0.1", "issuer.test"))
    path = save3(tmp_path, container, ob3_credential(issuer), key, "k2")
    badge, _ = read(path, online=True)
    assert badge.verification.status == "verified", badge.verification.reason


@pytest.mark.parametrize("container", CONTAINERS)
def test_forged_issuer_key_in_the_file_but_not_at_the_issuer_is_unconfirmed(
    tmp_path: Path, site: Site, container: str
) -> None:
    issuer_key, forger = ed_key(), ed_key()
    issuer = ob3_issuer(site, issuer_key)
    # png, svg, jwt: the forger's key in the token's header; json: its own did:key
    path = save3(tmp_path, container, ob3_credential(issuer), forger, {"jwk": jwk(forger)})
    badge, diags = read(path, online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "the issuer's own profile does not list it" in badge.verification.reason
    assert any("nothing ties the key to the issuer" in d.message for d in diags)


@pytest.mark.parametrize("container", ["png", "svg", "jwt"])
def test_the_issuers_own_key_carried_in_the_header_is_verified_online(
    tmp_path: Path, site: Site, container: str
) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    path = save3(tmp_path, container, ob3_credential(issuer), key, {"jwk": jwk(key)})
    assert read(path)[0].verification.status == "unconfirmed"  # offline: only the file's word
    badge, _ = read(path, online=True)
    assert badge.verification.status == "verified", badge.verification.reason


@pytest.mark.parametrize("container", CONTAINERS)
def test_forged_issuer_key_at_another_host_is_not_verified(
    tmp_path: Path, site: Site, container: str
) -> None:
    forger = ed_key()
    issuer = ob3_issuer(site, ed_key())
    elsewhere = site.url("/keys/k2", "other.test")
    site.add(
        "/keys/k2",
        json.dumps(
            {
                "id": elsewhere,
                "verificationMethod": [{"id": elsewhere + "#k", "publicKeyJwk": jwk(forger)}],
                "publicKeyJwk": jwk(forger),
            }
        ),
    )
    path = save3(tmp_path, container, ob3_credential(issuer), forger, elsewhere + "#k")
    badge, _ = read(path, online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "nothing ties that key to" in badge.verification.reason


def test_a_tampered_cache_copy_of_the_profile_is_unconfirmed_not_verified(
    tmp_path: Path, site: Site
) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    path = save3(tmp_path, "jwt", ob3_credential(issuer), key, issuer + "#key-1")
    assert read(path, online=True)[0].verification.status == "verified"
    cached = tmp_path / "cache" / "documents" / cache_name(issuer)
    cached.write_text(cached.read_text().replace("Eastside", "Westside"))
    badge, _ = read(path, today=LATER)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "a key put in the badge cache by hand" in badge.verification.reason


# ------------------------------------------------------------------ did:web


def test_did_web_issuer_on_the_local_server(tmp_path: Path, site: Site) -> None:
    key, forger = ed_key(), ed_key()
    did = f"did:web:issuer.test%3A{site.port}"
    doc = {
        "id": did,
        "verificationMethod": [
            {"id": did + "#key-1", "type": "JsonWebKey", "publicKeyJwk": jwk(key)}
        ],
    }
    site.add("/.well-known/did.json", json.dumps(doc))
    path = save3(tmp_path, "png", ob3_credential(did), key, did + "#key-1")
    badge, _ = read(path, online=True)
    assert badge.verification.status == "verified", badge.verification.reason
    assert site.hits == ["/.well-known/did.json"]
    badge, _ = read(path, today=LATER)
    assert (badge.verification.status, badge.checked) == ("verified", TODAY)
    forged = save3(tmp_path, "svg", ob3_credential(did), forger, {"jwk": jwk(forger)})
    badge, _ = read(forged, online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason


# --------------------------------------------------- OB 2.0 signed: the profile's publicKey


def ob2_issuer(site: Site, key: Any, *, listed: bool = True, owner: str | None = None) -> str:
    issuer = site.url("/ob2/issuer.json", "issuer.test")
    key_url = site.url("/ob2/key-1.json", "issuer.test")
    profile = issuer_profile(id=issuer, **({"publicKey": key_url} if listed else {}))
    site.add("/ob2/issuer.json", json.dumps(profile))
    key_doc = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": key_url,
        "owner": owner or issuer,
        "publicKeyPem": pem(key.public_key()),
    }
    site.add("/ob2/key-1.json", json.dumps(key_doc))
    return issuer


def ob2_signed(tmp_path: Path, container: str, issuer: Any, key: Any, creator: str) -> Path:
    doc = ob2_assertion(signed_by=creator, badge=badge_class(issuer))
    token = ob2_jws(doc, key)
    if container == "jws":
        return write(tmp_path, "b.jws", token)
    image = png_image() if container == "png" else svg_image()
    return write(tmp_path, "b." + container, bake(image, token))


@pytest.mark.parametrize("container", ["png", "svg", "jws"])
@pytest.mark.parametrize(
    ("listed", "owner", "status"),
    [
        (True, None, "verified"),
        (False, None, "unconfirmed"),
        (True, "https://x.test/", "unconfirmed"),
    ],
)
def test_ob2_signed_key_counts_only_when_the_issuers_profile_lists_it(
    tmp_path: Path, site: Site, container: str, listed: bool, owner: str | None, status: str
) -> None:
    key = rsa_key()
    issuer = ob2_issuer(site, key, listed=listed, owner=owner)
    path = ob2_signed(tmp_path, container, issuer, key, site.url("/ob2/key-1.json", "issuer.test"))
    badge, _ = read(path, online=True)
    assert badge.verification.status == status, badge.verification.reason
    badge, _ = read(path, today=LATER)  # offline, from the sealed cache
    assert badge.verification.status == status, badge.verification.reason


@pytest.mark.parametrize("container", ["png", "svg", "jws"])
def test_ob2_forged_key_in_the_file_or_at_another_host(
    tmp_path: Path, site: Site, container: str
) -> None:
    forger = rsa_key(1)
    issuer = ob2_issuer(site, rsa_key())
    # the key inside the file's own issuer profile
    embedded = issuer_profile(
        id=issuer, publicKey={"id": issuer + "#k", "publicKeyPem": pem(forger.public_key())}
    )
    badge, _ = read(ob2_signed(tmp_path, container, embedded, forger, issuer + "#k"), online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    # a key at another host
    other = site.add(
        "/ob2/forger.json",
        json.dumps({"id": "x", "publicKeyPem": pem(forger.public_key())}),
        host="other.test",
    )
    badge, _ = read(ob2_signed(tmp_path, container, issuer, forger, other), online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason


# ---------------------------------------------------------------- OB 2.0 hosted


def hosted(site: Site) -> dict[str, Any]:
    doc = ob2_assertion()
    doc["id"] = site.url("/assertions/42.json")
    doc["badge"]["issuer"]["id"] = site.url("/issuer.json")
    return doc


def test_hosted_ok_then_offline_keeps_status_and_date(tmp_path: Path, site: Site) -> None:
    doc = hosted(site)
    site.add("/assertions/42.json", json.dumps(doc))
    path = write(tmp_path, "h.png", bake(png_image(), json.dumps(doc)))
    badge, _ = read(path, online=True)
    assert (badge.verification.status, badge.checked) == ("verified", TODAY)
    site.routes.clear()
    badge, _ = read(path, today=LATER)
    assert (badge.verification.status, badge.checked) == ("verified", TODAY)
    assert badge.verification.reason.startswith("Checked online on 2026-06-01: the issuer's server")
    # a kept answer edited by hand is not the server's word
    kept = tmp_path / "cache" / "responses" / cache_name(doc["id"])
    kept.write_text(kept.read_text().replace("2026", "2025"))
    badge, _ = read(path, today=LATER)
    assert badge.verification.status == "unverified", badge.verification.reason
    assert badge.checked is None


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (lambda d: json.dumps({**d, "revoked": True}), "revoked"),
        (lambda d: json.dumps({**d, "issuedOn": "2020-01-01T00:00:00Z"}), "failed"),  # tampered
    ],
)
def test_hosted_revoked_or_tampered_is_kept_too(tmp_path: Path, site: Site, answer, status) -> None:  # type: ignore[no-untyped-def]
    doc = hosted(site)
    site.add("/assertions/42.json", answer(doc))
    path = write(tmp_path, "h.svg", bake(svg_image(), json.dumps(doc)))
    assert read(path, online=True)[0].verification.status == status
    badge, _ = read(path, today=LATER)
    assert (badge.verification.status, badge.checked) == (status, TODAY)


# ------------------------------------------------------------------ status lists


def bitstring(index: int) -> str:
    bits = bytearray(16 * 1024)
    bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")


def test_1edtech_revocation_list_online_then_offline(tmp_path: Path, site: Site) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    cred = ob3_credential(issuer)
    url = site.add("/revocations", json.dumps({"revokedCredentials": [{"id": cred["id"]}]}))
    cred["credentialStatus"] = {"id": url, "type": "1EdTechRevocationList"}
    path = save3(tmp_path, "jwt", cred, key, issuer + "#key-1")
    badge, _ = read(path, online=True)
    assert badge.verification.status == "revoked", badge.verification.reason
    site.routes.clear()
    badge, _ = read(path, today=LATER)
    assert (badge.verification.status, badge.checked) == ("revoked", TODAY)


@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_bitstring_status_list_online_then_offline(
    tmp_path: Path, site: Site, purpose: str
) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    list_vc = {
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bitstring(1234),
        },
    }
    url = site.add("/status/3", json.dumps(list_vc))
    cred = ob3_credential(
        issuer,
        credentialStatus={
            "id": url + "#1234",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": "1234",
            "statusListCredential": url,
        },
    )
    path = save3(tmp_path, "png", cred, key, issuer + "#key-1")
    badge, _ = read(path, online=True)
    assert badge.verification.status == "revoked", badge.verification.reason
    assert badge.verification.reason.startswith(
        "Suspended (for now" if purpose == "suspension" else "Revoked: "
    )
    badge, _ = read(path, today=LATER)
    assert (badge.verification.status, badge.checked) == ("revoked", TODAY)


# ----------------------------------------------------------------- the network's rules


def test_http_is_refused(tmp_path: Path, site: Site, plain_site: Site) -> None:
    doc = ob2_assertion()
    doc["id"] = plain_site.add("/a.json", json.dumps(doc))
    doc["badge"]["issuer"]["id"] = plain_site.url("/issuer.json")
    badge, _ = read(write(tmp_path, "h.png", bake(png_image(), json.dumps(doc))), online=True)
    assert badge.verification.status == "unverified"
    assert "only https addresses are fetched" in badge.verification.reason
    assert plain_site.hits == []


def test_redirects_to_http_or_a_private_address_are_refused(site: Site, plain_site: Site) -> None:
    to_http = site.redirect("/r1", plain_site.url("/a.json"))
    with pytest.raises(FetchError, match="only https addresses are fetched"):
        safe_fetch(to_http)
    to_private = site.redirect("/r2", "https://10.1.2.3/x.json")
    with pytest.raises(FetchError, match="local or private address"):
        safe_fetch(to_private)
    site.add("/ok", "{}")
    assert safe_fetch(site.redirect("/r3", site.url("/ok", "issuer.test"))).body == b"{}"
    assert plain_site.hits == []


def test_loopback_is_refused_without_the_tests_allow_list(site: Site, tls_files) -> None:  # type: ignore[no-untyped-def]
    site.add("/ok", "{}")
    allowed = test_network(tls_files)
    assert safe_fetch(site.url("/ok"), allowed).status == 200
    closed = Network(context=allowed.context, resolve=allowed.resolve)
    with pytest.raises(FetchError, match="local or private address"):
        safe_fetch(site.url("/ok"), closed)
    with pytest.raises(FetchError, match="could not reach"):  # the test CA is not trusted
        safe_fetch(site.url("/ok"), Network(resolve=allowed.resolve, allow=allowed.allow))


def test_size_cap_and_timeout(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    url = site.add("/big", b"x" * (fetch_mod.MAX_FETCH_BYTES + 1))
    with pytest.raises(FetchError, match="is larger than"):
        safe_fetch(url)
    monkeypatch.setattr(fetch_mod, "SOCKET_SECONDS", 0.2)
    slow = site.add("/slow", "{}")
    site.slow["/slow"] = 1.0
    with pytest.raises(FetchError, match="timed out"):
        safe_fetch(slow)
    # an answer dragged out past the deadline (each read within the per-read timeout)
    monkeypatch.setattr(fetch_mod, "SOCKET_SECONDS", 5.0)
    monkeypatch.setattr(fetch_mod, "DEADLINE_SECONDS", 0.3)
    with pytest.raises(FetchError, match="took longer than 0.3 seconds"):
        safe_fetch(slow)


# ----------------------------------------------------------------- a whole build


def test_build_online_then_offline_keeps_status_date_and_files(
    cli, make_portfolio, tmp_path: Path, site: Site
) -> None:  # type: ignore[no-untyped-def]
    key = ed_key()
    issuer = ob3_issuer(site, key)
    token = vc_jwt(ob3_credential(issuer), key, header={"kid": issuer + "#key-1"})
    root = make_portfolio(
        {"badges/maze.png": bake(png_image(), token), "badges/maze-copy.jwt": token}
    )
    out = tmp_path / "site"

    def entry() -> dict[str, Any]:
        (only,) = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["badges"]
        return only

    run = cli("build", str(root), "-o", str(out), "--online")
    assert run.code == 0, run.err
    first = entry()
    assert first["verification"]["status"] == "verified"
    assert first["checked"] == dt.date.today().isoformat()
    assert first["files"] == ["maze-copy.jwt", "maze.png"]
    site.routes.clear()
    run = cli("build", str(root), "-o", str(out))
    assert run.code == 0, run.err
    assert (entry()["verification"]["status"], entry()["checked"]) == ("verified", first["checked"])
    assert site.hits == ["/issuer"]  # the offline build made no request


# ------------------------------------------------------------ the issuer's picture


def data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)">'
    b'<script>alert(2)</script><rect width="4" height="4" fill="#123"/></svg>'
)


def test_the_issuers_picture_inside_the_credential_is_published_checked(
    cli, make_portfolio, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from support.badge_factory import did_key, kid_for

    badges: dict[str, bytes | str] = {}
    for name, image in {
        "png": data_url("image/png", png_image()),
        "svg": data_url("image/svg+xml", EVIL_SVG),
        "html": data_url("text/html", b"<script>alert(3)</script>"),
        "fake": data_url("image/png", b"<html><script>alert(4)</script></html>"),
    }.items():
        key = ed_key()
        cred = ob3_credential(did_key(key))
        cred["issuer"]["image"] = {"id": image, "type": "Image"}
        cred["id"] = f"urn:uuid:{name}"
        badges[f"badges/{name}.jwt"] = vc_jwt(cred, key, header={"kid": kid_for(did_key(key))})
    root = make_portfolio(badges)
    out = tmp_path / "site"
    run = cli("build", str(root), "-o", str(out))
    assert run.code == 0, run.err
    entries = {
        b["slug"]: b["issuer_image"]
        for b in json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["badges"]
    }
    assert entries == {
        "png": "badges/png/issuer/image.png",
        "svg": "badges/svg/issuer/image.svg",
        "html": None,
        "fake": None,
    }
    assert (out / "badges/png/issuer/image.png").read_bytes() == png_image()
    shown = (out / "badges/svg/issuer/image.svg").read_text(encoding="utf-8")
    assert "<rect" in shown and "script" not in shown and "onload" not in shown
    assert not (out / "badges/html/issuer").exists() and not (out / "badges/fake/issuer").exists()
    for slug, shown_image in (("png", "issuer/image.png"), ("svg", "issuer/image.svg")):
        page = BeautifulSoup((out / f"badges/{slug}/index.html").read_text(), "html.parser")
        logo = page.select_one(".badge-issuer img.issuer-logo")
        assert logo is not None and logo["src"] == shown_image and logo["alt"] == ""
    page = BeautifulSoup((out / "badges/html/index.html").read_text(), "html.parser")
    assert page.select_one("img.issuer-logo") is None  # nothing published, nothing shown
    (out / "badges/png/issuer/image.png").unlink()
    run = cli("build", str(root), "-o", str(out))  # from the build cache this time
    assert run.code == 0, run.err
    assert (out / "badges/png/issuer/image.png").read_bytes() == png_image()


def test_the_issuers_picture_at_an_address_only_with_online(tmp_path: Path, site: Site) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    cred = ob3_credential(issuer)
    cred["issuer"]["image"] = site.add(
        "/logo.png", png_image(), ctype="image/png", host="issuer.test"
    )
    path = save3(tmp_path, "jwt", cred, key, issuer + "#key-1")
    assert read(path)[0].issuer_image is None  # offline: never fetched, not copied
    assert site.hits == []
    badge, _ = read(path, online=True)
    assert badge.issuer_image == ("issuer/image.png", png_image())
    site.routes.clear()
    badge, _ = read(path, today=LATER)  # offline rebuild: the copy the online run kept
    assert badge.issuer_image == ("issuer/image.png", png_image())


# ------------------------------------------------------------------ redirects, URL-only


def test_a_hosted_assertion_redirected_to_another_host_fails(tmp_path: Path, site: Site) -> None:
    doc = hosted(site)
    site.add("/moved/42.json", json.dumps(doc))
    site.redirect("/assertions/42.json", site.url("/moved/42.json", "other.test"))
    badge, _ = read(write(tmp_path, "h.png", bake(png_image(), json.dumps(doc))), online=True)
    assert badge.verification.status == "failed", badge.verification.reason
    assert "hosted at other.test:" in badge.verification.reason


def test_a_profile_redirected_to_another_host_binds_nothing(tmp_path: Path, site: Site) -> None:
    key = ed_key()
    issuer = ob3_issuer(site, key)
    site.routes["/elsewhere"] = site.routes.pop("/issuer")
    site.redirect("/issuer", site.url("/elsewhere", "other.test"))
    path = save3(tmp_path, "jwt", ob3_credential(issuer), key, {"jwk": jwk(key)})
    badge, _ = read(path, online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert not (tmp_path / "cache" / "documents" / cache_name(issuer)).exists()


def test_a_url_only_badge_is_read_offline_from_what_the_online_run_kept(
    tmp_path: Path, site: Site
) -> None:
    url = site.url("/a.json")
    ob1 = {
        "uid": "abc",
        "recipient": {"type": "email", "hashed": False, "identity": LEARNER},
        "badge": site.url("/badge.json"),
        "verify": {"type": "hosted", "url": url},
        "issuedOn": 1773446400,
    }
    site.add("/a.json", json.dumps(ob1))
    site.add("/badge.json", json.dumps({"name": "Old Badge", "issuer": site.url("/org.json")}))
    site.add("/org.json", json.dumps({"name": "Old Org", "url": site.url("/")}))
    path = write(tmp_path, "old.png", bake(png_image(), url))
    assert read(path)[0].verification.status == "unverified"  # nothing fetched yet
    badge, _ = read(path, online=True)
    assert (badge.name, badge.verification.status, badge.checked) == (
        "Old Badge",
        "verified",
        TODAY,
    )
    site.routes.clear()
    badge, diags = read(path, today=LATER)
    assert (badge.name, badge.issuer.name) == ("Old Badge", "Old Org")
    assert (badge.verification.status, badge.checked) == ("verified", TODAY)


def test_badges_verify_online_says_when(cli, tmp_path: Path, site: Site) -> None:  # type: ignore[no-untyped-def]
    key = ed_key()
    issuer = ob3_issuer(site, key)
    path = save3(tmp_path, "jwt", ob3_credential(issuer), key, issuer + "#key-1")
    (tmp_path / "portfolio.yml").write_text("title: T\n", encoding="utf-8")
    run = cli("badges", "verify", str(path), "--online", "--json")
    (entry,) = json.loads(run.out)
    assert (entry["verification"]["status"], entry["checked"]) == (
        "verified",
        dt.date.today().isoformat(),
    )
    run = cli("badges", "show", str(path))
    assert "checked:" in run.out and dt.date.today().isoformat() in run.out


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_key_published_at_a_web_issuer_that_calls_itself_otherwise_is_unconfirmed(
    tmp_path: Path, site: Site, container: str
) -> None:
    """A forger's own site publishes the key, but the badge names Harvard."""
    key = ed_key()
    issuer = ob3_issuer(site, key, name="Forger & Co")
    cred = ob3_credential(issuer)
    cred["issuer"]["name"] = "Harvard University"
    badge, _ = read(save3(tmp_path, container, cred, key, issuer + "#key-1"), online=True)
    assert badge.verification.status == "unconfirmed", badge.verification.reason
    assert "names it Forger & Co: nothing ties the badge to Harvard University" in (
        badge.verification.reason
    )
