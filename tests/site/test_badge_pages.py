"""Badges in the site: gallery, badge pages, project links, the untouched baked file."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image
from support.helpers import html, project, site_json

from portfolio_gen.badges import bake

REPO = Path(__file__).resolve().parents[2]


def hosted_assertion(name: str, evidence: str, code: str) -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://issuer.example.org/assertions/{name}",
        "recipient": {"type": "email", "hashed": False, "identity": "someone@example.org"},
        "issuedOn": "2026-02-03",
        "verification": {"type": "hosted"},
        "evidence": [{"id": evidence, "narrative": "Built it."}],
        "badge": {
            "type": "BadgeClass",
            "id": f"https://issuer.example.org/badges/{name}",
            "name": name.title(),
            "description": "A test badge.",
            "image": "https://issuer.example.org/badge.png",
            "criteria": {"narrative": "Do the thing."},
            "alignment": [{"targetName": code, "targetUrl": "https://example.org/std", "targetCode": code}],
            "issuer": {"type": "Profile", "id": "https://issuer.example.org/", "name": "Test Issuer", "url": "https://issuer.example.org/"},
        },
    }  # fmt: skip


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "teal").save(buf, "PNG")
    return buf.getvalue()


def test_badges_link_projects_and_standards(cli, make_portfolio):
    baked = bake(
        png(),
        json.dumps(
            hosted_assertion(
                "maker", "https://ana.example.org/portfolio/projects/arm/", "MS-ETS1-4"
            )
        ),
    )
    root = make_portfolio(
        {
            "content/projects/arm.md": project("Arm", "2026-01-01"),
            "content/projects/poem.md": project("Poem", "2026-01-02", badges="[other.png]"),
            "badges/maker.png": baked,
            "badges/other.png": bake(
                png(),
                json.dumps(
                    hosted_assertion("other", "https://elsewhere.example.org/", "MS-ETS1-1")
                ),
            ),
        }
    )
    run = cli("build", str(root))
    assert run.code == 0, run.err
    site = root / "site"
    # The baked file is published byte for byte, beside its page.
    assert (site / "badges/maker/maker.png").read_bytes() == baked
    page = html(site / "badges/maker/index.html")
    assert page.find("h1").text == "Maker"
    assert (
        "Unverified" in page.select_one(".status").text and page.select_one(".status-reason").text
    )
    assert (
        page.select_one("ul.evidence a")["href"] == "../../projects/arm/"
    )  # evidence URL -> project page
    assert page.select_one(".standard-list a")["href"] == "../../standards/ms-ets1-4/"
    assert page.select_one("a[download]")["href"] == "maker.png"
    # The project lists the badge it was evidence for, and the one its front matter names.
    arm = html(site / "projects/arm/index.html")
    assert [a.text for a in arm.select(".badge-card h3 a")] == ["Maker"]
    poem = html(site / "projects/poem/index.html")
    assert [a.text for a in poem.select(".badge-card h3 a")] == ["Other"]
    # The gallery, the home page and portfolio.json.
    assert len(html(site / "badges/index.html").select(".badge-card")) == 2
    assert len(html(site / "index.html").select(".badge-card")) == 2
    data = site_json(site)
    maker = next(b for b in data["badges"] if b["slug"] == "maker")
    assert (
        maker["file"] == "maker.png"
        and maker["spec"] == "ob2"
        and maker["issued_on"] == "2026-02-03"
    )
    assert maker["issuer"] == {"name": "Test Issuer", "url": "https://issuer.example.org/"}
    assert maker["verification"]["status"] == "unverified"
    assert maker["alignments"][0]["code"] == "MS-ETS1-4"
    assert next(p for p in data["projects"] if p["slug"] == "arm")["badges"] == ["maker"]
    standard = next(s for s in data["standards"] if s["code"] == "MS-ETS1-4")
    assert standard["evidence"] == [{"type": "badge", "slug": "maker"}]


def test_unreadable_badge_is_shown_and_strict_fails(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project(), "badges/broken.png": b"\x89PNG\r\n\x1a\n garbage"}
    )
    run = cli("build", str(root))
    assert run.code == 0
    assert any(line.startswith("badges/broken.png: warning:") for line in run.lines), run.err
    assert "Unreadable" in html(root / "site/badges/broken/index.html").select_one(".status").text
    assert cli("build", str(root), "--strict").code == 1


def test_two_badges_with_one_slug_are_an_error(cli, make_portfolio):
    root = make_portfolio(
        {
            "badges/a.png": bake(png(), json.dumps(hosted_assertion("a", "x", "y"))),
            "badges/A.svg": "<svg/>",
        }
    )
    run = cli("build", str(root))
    assert run.code == 1
    assert any("two badges would be published at badges/a/" in line for line in run.lines), run.err


def test_demo_site_shows_badges_with_status(cli, tmp_path):
    out = tmp_path / "site"
    assert cli("build", str(REPO), "-o", str(out), "--quiet").code == 0
    data = site_json(out)
    statuses = {b["file"]: b["verification"]["status"] for b in data["badges"]}
    assert len(statuses) >= 3
    assert statuses["maker-level-1.png"] == "verified"  # the signed OB 3.0 VC-JWT verifies offline
    gallery = html(out / "badges/index.html")
    assert len(gallery.select(".badge-card .status")) == len(statuses)
