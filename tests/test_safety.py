"""Hostile content builds into a site that runs no script from it and leaks nothing private."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image
from support.browser import serve_folder
from support.helpers import html, project

from portfolio_gen.badges import bake

XSS = [
    "<script>alert(1)</script>",
    "<img src=https://x.invalid/x.png onerror=alert(2)>",
    "<svg onload=alert(3)><script>alert(4)</script></svg>",
    '<a href="javascript:alert(5)">click</a>',
    '<a href="JaVaScRiPt:alert(6)">mixed case</a>',
    '<a href="&#106;avascript:alert(7)">encoded</a>',
    '<iframe src="javascript:alert(9)"></iframe>',
    '<body onload="alert(10)">',
    '<div style="background:url(javascript:alert(11))">style</div>',
    "<math><mtext><table><mglyph><style><img src=https://x.invalid/y.png onerror=alert(12)></style></mglyph></table></mtext></math>",
    '<form action="javascript:alert(13)"><button>go</button></form>',
    '<object data="data:text/html,<script>alert(14)</script>"></object>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=">data</a>',
    "[md link](javascript:alert(16))",
    "![md image](javascript:alert(17))",
    '<details open ontoggle="alert(18)">x</details>',
    "<scr<script>ipt>alert(19)</script>",
]
PAYLOAD = "\n\n".join(XSS)


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return buf.getvalue()


def hostile_badge() -> bytes:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://issuer.example.org/a/1",
        "recipient": {"type": "email", "hashed": True, "salt": "s", "identity": "sha256$" + "0" * 64},
        "issuedOn": "2026-01-01",
        "verification": {"type": "hosted"},
        "evidence": [{"id": "javascript:alert(20)", "narrative": "<script>alert(21)</script>"}],
        "badge": {
            "type": "BadgeClass", "id": "https://issuer.example.org/b", "name": "<script>alert(22)</script>",
            "description": "<img src=x onerror=alert(23)>", "image": "javascript:alert(24)",
            "criteria": {"id": "javascript:alert(25)", "narrative": "<b onmouseover=alert(26)>x</b>"},
            "alignment": [{"targetName": "<script>alert(27)</script>", "targetUrl": "javascript:alert(28)"}],
            "issuer": {"type": "Profile", "id": "https://issuer.example.org/", "name": "<svg onload=alert(29)>", "url": "javascript:alert(30)"},
        },
    }  # fmt: skip
    return bake(png(), json.dumps(assertion))


def hostile_portfolio(make_portfolio) -> Path:
    quoted = json.dumps("<script>alert(31)</script>")
    return make_portfolio(
        {
            "content/projects/evil.md": project(
                "<script>alert(32)</script>", "2026-01-02", body=PAYLOAD,
                summary=quoted, program=quoted, interests=f"[{quoted}]", mentors=f"[{quoted}]",
                collaborators="[{name: x, url: 'javascript:alert(33)'}]",
            ),
            "content/projects/ok.md": project("OK", "2026-01-01", interests="['<img src=x onerror=alert(34)>']"),
            "content/about.md": "---\ntitle: <script>alert(35)</script>\n---\n" + PAYLOAD,
            "badges/evil.png": hostile_badge(),
        },
        config="title: '<script>alert(36)</script>'\nlearner:\n  name: '<img src=x onerror=alert(37)>'\n"
        "  bio: '\"><script>alert(38)</script>'\n  links: [{label: '<b>x</b>', url: 'https://ok.example.org'}]\n"
        "interests: ['</style><script>alert(39)</script>']\nbase_url: https://e.example.org/\n",
    )  # fmt: skip


def test_no_script_from_content_reaches_the_output(cli, make_portfolio):
    root = hostile_portfolio(make_portfolio)
    run = cli("build", str(root))
    assert run.code in (0, 1), run.err
    site = root / "site"
    assert (
        run.code == 1
    )  # a javascript: URL for a collaborator is refused: it must be a web address
    assert "content/projects/evil.md:8: error: collaborators[0]: expected a web address" in run.err
    evil = root / "content/projects/evil.md"
    evil.write_text(evil.read_text().replace("'javascript:alert(33)'", "'https://x.example.org'"))
    run = cli("build", str(root))
    assert run.code == 0, run.err
    pages = list(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        soup = html(page)
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith(("static/", "../")) and not script.string, (
                page,
                script,
            )
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), (page, tag)
                if attr in ("href", "src", "action", "formaction", "data", "poster"):
                    text = value if isinstance(value, str) else " ".join(value)
                    assert not re.match(r"\s*(javascript|vbscript|data:text)", text, re.I), (
                        page,
                        tag,
                    )
        for region in soup.select(".prose"):  # what Markdown produced
            assert not region.find_all(
                ["iframe", "object", "embed", "form", "input", "base", "style"]
            ), page
        assert not soup.find_all("base") or page.name == "404.html"
        assert all(
            form.get("class") == ["filters"] and not form.get("action")
            for form in soup.find_all("form")
        )
        assert "alert(" not in " ".join(s.string or "" for s in soup.find_all("script"))


def test_no_dialog_fires_in_a_browser(cli, make_portfolio, page):
    root = hostile_portfolio(make_portfolio)
    evil = root / "content/projects/evil.md"
    evil.write_text(evil.read_text().replace("'javascript:alert(33)'", "'https://x.example.org'"))
    assert cli("build", str(root)).code == 0
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_folder(root / "site") as base:
        for path in sorted((root / "site").rglob("*.html")):
            rel = path.relative_to(root / "site").as_posix()
            page.goto(base + rel)
            page.wait_for_load_state("load")
            for link in page.locator("a, button, details, summary").all()[:15]:
                try:
                    link.hover(timeout=200)
                except Exception:  # noqa: BLE001 - hidden or detached elements
                    pass
    assert dialogs == []


def test_obfuscated_schemes_are_never_links(cli, make_portfolio):
    root = make_portfolio(
        {"content/projects/a.md": project(body='<a href="java\tscript:alert(1)">tab</a>\n')}
    )
    run = cli("build", str(root))
    assert (
        run.code == 1 and "content/projects/a.md:5: error: link java" in run.err
    )  # now with its line


def test_private_data_never_reaches_the_output(cli, make_portfolio, monkeypatch):
    from PIL.ExifTags import IFD

    photo = Image.new("RGB", (64, 48), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(IFD.GPSInfo)
    gps.update({1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)})
    buf = io.BytesIO()
    photo.save(buf, "JPEG", exif=exif)
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", "kid.secret@example.org")
    root = make_portfolio(
        {
            "content/projects/a/index.md": project(body="![My desk](desk.jpg)\n"),
            "content/projects/a/desk.jpg": buf.getvalue(),
            "portfolio.local.yml": "recipients: [other.secret@example.org]\n",
        }
    )
    assert cli("build", str(root), "--quiet").code == 0
    for path in (root / "site").rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for secret in (b"kid.secret", b"other.secret", b"PhoneMaker", b"portfolio.local"):
            assert secret not in data, (path, secret)
        if path.suffix.lower() in (".jpg", ".jpeg", ".webp", ".png"):
            with Image.open(path) as image:
                assert not image.getexif(), path
                assert not {"exif", "xmp", "comment"} & set(image.info), path
