"""Make the demo portfolio's baked badges in badges/ with portfolio-gen's own code.

Run from the repository root:  python scripts/make_demo_badges.py

Three made-up issuers, four badges, a mix of Open Badges 2.0 and 3.0 in PNG and
SVG, and one endorsement (an OB 3.0 EndorsementCredential from a made-up
museum, ``badges/maker-level-1.endorsement.json``; ``--endorsement-only``
remakes just that file). Every signing key is generated here, used, and forgotten: no private key
is written anywhere. Public keys that a reader needs offline are written as
sidecar files (``<badge>.key.pem``). The recipient is hashed from
``maya@example.org`` with a random salt; set ``PORTFOLIO_RECIPIENT`` to that
address to see the recipient check pass.

Each file is written to a hidden temporary file in badges/ and moved into
place, so a build running at the same time reads either the old or the new
file, never half of one. The pictures are drawn here (no copied images).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portfolio_gen.badges import hash_identity, read_badge  # noqa: E402
from portfolio_gen.badges.commands import register  # noqa: E402
from portfolio_gen.badges.integrity import add_proof  # noqa: E402
from portfolio_gen.badges.jose import sign  # noqa: E402
from portfolio_gen.badges.keys import did_key_for  # noqa: E402

LEARNER = "maya@example.org"
SITE = "https://maya-r.github.io/portfolio/projects"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB2 = "https://w3id.org/openbadges/v2"

HIVE = ("Hive Maker Club", "https://hive-maker.example.org")
EASTSIDE = ("Eastside Library Code Club", "https://eastside-library.example.org")
MILLCREEK = ("Mill Creek Watershed Council", "https://millcreek.example.org")
MUSEUM = ("Riverside Science Museum", "https://riverside-museum.example.org")


def ngss(code: str, slug: str, name: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": name,
        "targetCode": code,
        "targetFramework": "Next Generation Science Standards",
        "targetUrl": f"https://www.nextgenscience.org/pe/{slug}",
    }


def ccss(code: str, path: str, name: str) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": name,
        "targetCode": code,
        "targetFramework": "Common Core State Standards",
        "targetUrl": f"https://www.corestandards.org/{path}/",
    }


def ob2_alignment(a: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in a.items() if k != "type"}


def recipient_hash() -> tuple[str, str]:
    salt = secrets.token_hex(8)
    return hash_identity(LEARNER, salt), salt


# --------------------------------------------------------------------- images


def _font(size: int, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    names = ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"] if bold else ["DejaVuSans.ttf"]
    for name in names:
        for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation"):
            try:
                return ImageFont.truetype(str(Path(folder) / name), size)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


def png_badge(title: str, subtitle: str, colors: tuple[str, str, str], motif: str) -> bytes:
    """A hexagon medallion with a ribbon: drawn at 2x and scaled down for smooth edges."""
    s = 2
    size = 400 * s
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    main, light, ink = colors
    cx, cy, r = size // 2, 185 * s, 160 * s

    def hexagon(radius: float) -> list[tuple[float, float]]:
        return [
            (
                cx + radius * math.cos(math.radians(60 * i - 90)),
                cy + radius * math.sin(math.radians(60 * i - 90)),
            )
            for i in range(6)
        ]

    # ribbon tails behind the medallion
    d.polygon(
        [
            (cx - 110 * s, cy + 90 * s),
            (cx - 40 * s, cy + 120 * s),
            (cx - 80 * s, 392 * s),
            (cx - 115 * s, 360 * s),
            (cx - 150 * s, 380 * s),
        ],
        fill=main,
    )
    d.polygon(
        [
            (cx + 110 * s, cy + 90 * s),
            (cx + 40 * s, cy + 120 * s),
            (cx + 80 * s, 392 * s),
            (cx + 115 * s, 360 * s),
            (cx + 150 * s, 380 * s),
        ],
        fill=main,
    )
    d.polygon(hexagon(r), fill=ink)
    d.polygon(hexagon(r - 12 * s), fill=main)
    d.polygon(hexagon(r - 30 * s), fill=light)
    if motif == "gear":
        for i in range(10):
            a = math.radians(36 * i)
            x, y = cx + 62 * s * math.cos(a), cy - 30 * s + 62 * s * math.sin(a)
            d.ellipse([x - 14 * s, y - 14 * s, x + 14 * s, y + 14 * s], fill=ink)
        d.ellipse([cx - 62 * s, cy - 92 * s, cx + 62 * s, cy + 32 * s], fill=ink)
        d.ellipse([cx - 26 * s, cy - 56 * s, cx + 26 * s, cy - 4 * s], fill=light)
    else:  # water drop with a wave
        d.polygon(
            [(cx, cy - 105 * s), (cx - 52 * s, cy - 20 * s), (cx + 52 * s, cy - 20 * s)], fill=ink
        )
        d.ellipse([cx - 56 * s, cy - 72 * s, cx + 56 * s, cy + 36 * s], fill=ink)
        d.arc(
            [cx - 40 * s, cy - 40 * s, cx + 40 * s, cy + 20 * s], 20, 160, fill=light, width=8 * s
        )
    # banner with the title
    d.rounded_rectangle(
        [cx - 178 * s, cy + 40 * s, cx + 178 * s, cy + 122 * s], radius=14 * s, fill=ink
    )
    d.text((cx, cy + 68 * s), title, font=_font(30 * s), fill="white", anchor="mm")
    d.text((cx, cy + 102 * s), subtitle, font=_font(16 * s, bold=False), fill=light, anchor="mm")
    img = img.resize((400, 400), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def svg_badge(title: str, subtitle: str, colors: tuple[str, str, str], motif: str) -> bytes:
    main, light, ink = colors
    if motif == "maze":
        art = (
            f'<g fill="none" stroke="{ink}" stroke-width="9" stroke-linecap="round">'
            '<path d="M140 120 H260 V240 H160 V150 H230 V210 H190 V180"/></g>'
            f'<circle cx="190" cy="180" r="9" fill="{main}"/>'
        )
    else:  # a sampling jar
        art = (
            f'<rect x="160" y="110" width="80" height="120" rx="14" fill="none" stroke="{ink}" '
            'stroke-width="9"/>'
            f'<rect x="150" y="98" width="100" height="20" rx="6" fill="{ink}"/>'
            f'<path d="M166 180 Q183 168 200 180 T234 180 V222 H166 Z" fill="{main}"/>'
        )
    svg = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"
     role="img" aria-label="{title} badge from {subtitle}">
  <title>{title}</title>
  <path d="M120 300 L80 392 L112 372 L140 396 L170 318 Z" fill="{main}"/>
  <path d="M280 300 L320 392 L288 372 L260 396 L230 318 Z" fill="{main}"/>
  <circle cx="200" cy="185" r="165" fill="{ink}"/>
  <circle cx="200" cy="185" r="152" fill="{main}"/>
  <circle cx="200" cy="185" r="134" fill="{light}"/>
  {art}
  <rect x="26" y="240" width="348" height="84" rx="14" fill="{ink}"/>
  <text x="200" y="280" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-weight="bold" font-size="28" fill="#ffffff">{title}</text>
  <text x="200" y="308" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="15" fill="{light}">{subtitle}</text>
</svg>
"""
    return svg.encode("utf-8")


# ---------------------------------------------------------------- credentials


def maker_level_1() -> tuple[str, str]:
    """OB 3.0, VC-JWT signed with EdDSA by the issuer's did:key: verifies offline."""
    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_for(key.public_key())
    identity, salt = recipient_hash()
    cred = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:" + secrets.token_hex(16),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Maker Level 1",
        "issuer": {"id": did, "type": ["Profile"], "name": HIVE[0], "url": HIVE[1]},
        "validFrom": "2026-03-21T16:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{HIVE[1]}/achievements/maker-level-1",
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": "Maker Level 1",
                "description": "Designed, built and tested a working machine from everyday "
                "materials, and explained how it works.",
                "criteria": {
                    "narrative": "Build a machine that moves under its own control, test it "
                    "at least three times, improve it, and present what changed and why."
                },
                "alignment": [
                    ngss(
                        "MS-ETS1-4",
                        "ms-ets1-4-engineering-design",
                        "Develop a model to generate data for iterative testing and modification",
                    ),
                    ccss(
                        "CCSS.Math.Content.7.RP.A.2",
                        "Math/Content/7/RP/A/2",
                        "Recognize and represent proportional relationships",
                    ),
                ],  # fmt: skip
                "tag": ["robotics", "engineering", "making"],
            },
        },
        "evidence": [
            {
                "id": f"{SITE}/robot-arm/",
                "type": ["Evidence"],
                "name": "Cardboard Hydraulic Arm",
                "narrative": "Maya built a hydraulic arm from cardboard and syringes and sized "
                "the pistons with ratios.",
            }
        ],
    }
    payload = {"vc": cred, "iss": did, "jti": cred["id"], "nbf": 1774108800}
    token = sign(payload, key, {"alg": "EdDSA", "typ": "JWT", "kid": f"{did}#{did[8:]}"})
    return "maker-level-1.png", token


def maze_game_coder() -> tuple[str, str]:
    """OB 3.0 JSON with an eddsa-rdfc-2022 Data Integrity proof (did:key): verifies offline."""
    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_for(key.public_key())
    identity, salt = recipient_hash()
    cred = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:" + secrets.token_hex(16),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Maze Game Coder",
        "issuer": {"id": did, "type": ["Profile"], "name": EASTSIDE[0], "url": EASTSIDE[1]},
        "validFrom": "2025-11-15T18:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{EASTSIDE[1]}/achievements/maze-game-coder",
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": "Maze Game Coder",
                "description": "Designed and coded a playable maze game, using functions for "
                "movement and scoring.",
                "criteria": {
                    "narrative": "Publish a maze game that two other club members can play, "
                    "with at least one function that turns an input into an output."
                },
                "alignment": [
                    ccss(
                        "CCSS.Math.Content.8.F.A.1",
                        "Math/Content/8/F/A/1",
                        "Understand that a function is a rule that assigns to each input "
                        "exactly one output",
                    ),
                    ngss(
                        "MS-ETS1-1",
                        "ms-ets1-1-engineering-design",
                        "Define the criteria and constraints of a design problem",
                    ),
                ],  # fmt: skip
                "tag": ["coding", "game design"],
            },
        },
        "evidence": [
            {
                "id": f"{SITE}/maze-game/",
                "type": ["Evidence"],
                "name": "Lost in the Stacks (a maze game)",
                "narrative": "Play the game and read how the levels were designed.",
            }
        ],
    }
    vm = f"{did}#{did[8:]}"
    return "maze-game-coder.svg", json.dumps(
        add_proof(cred, key, vm, created="2025-11-15T18:00:00Z"), indent=1
    )


def creek_watcher() -> tuple[str, str, dict[str, str]]:
    """OB 2.0 hosted assertion; badge class and issuer as URLs with sidecar files."""
    identity, salt = recipient_hash()
    base = MILLCREEK[1]
    assertion = {
        "@context": OB2,
        "type": "Assertion",
        "id": f"{base}/assertions/creek-watcher-0412.json",
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
        "badge": f"{base}/badges/creek-watcher.json",
        "issuedOn": "2026-05-09T15:30:00Z",
        "verification": {"type": "HostedBadge"},
        "evidence": [
            {
                "id": f"{SITE}/creek-watch/",
                "name": "Mill Creek Water Watch",
                "narrative": "Six weeks of dissolved-oxygen readings, charted and explained.",
            }
        ],
    }
    badge_class = {
        "@context": OB2,
        "type": "BadgeClass",
        "id": f"{base}/badges/creek-watcher.json",
        "name": "Creek Watcher",
        "description": "Monitored a local stream, recorded water-quality data and shared "
        "what it means for the creek.",
        "image": f"{base}/badges/creek-watcher.png",
        "criteria": {
            "id": f"{base}/badges/creek-watcher.html",
            "narrative": "Sample the creek at least five times, follow the testing procedure "
            "exactly, and present the results to the council.",
        },
        "issuer": f"{base}/issuer.json",
        "alignment": [
            ob2_alignment(
                ngss(
                    "MS-ESS3-3",
                    "ms-ess3-3-earth-and-human-activity",
                    "Design a method for monitoring and minimizing a human impact "
                    "on the environment",
                )
            ),
            ob2_alignment(
                ccss(
                    "CCSS.ELA-Literacy.RST.6-8.3",
                    "ELA-Literacy/RST/6-8/3",
                    "Follow precisely a multistep procedure when carrying out experiments",
                )
            ),
        ],  # fmt: skip
        "tags": ["environmental science", "citizen science"],
    }
    issuer = {
        "@context": OB2,
        "type": "Issuer",
        "id": f"{base}/issuer.json",
        "name": MILLCREEK[0],
        "url": base,
        "description": "Volunteers caring for the Mill Creek watershed.",
    }
    sidecars = {
        "creek-watcher.badgeclass.json": json.dumps(badge_class, indent=2) + "\n",
        "creek-watcher.issuer.json": json.dumps(issuer, indent=2) + "\n",
    }
    return "creek-watcher.png", json.dumps(assertion), sidecars


def water_data_collector() -> tuple[str, str, dict[str, str]]:
    """OB 2.0 signed (JWS, RS256); its public key is a sidecar file: verifies offline."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    identity, salt = recipient_hash()
    base = MILLCREEK[1]
    assertion = {
        "@context": OB2,
        "type": "Assertion",
        "id": "urn:uuid:" + secrets.token_hex(16),
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": identity},
        "issuedOn": "2026-04-18T17:00:00Z",
        "expires": "2028-04-18T00:00:00Z",
        "verification": {"type": "SignedBadge", "creator": f"{base}/keys/2026.json"},
        "badge": {
            "type": "BadgeClass",
            "id": f"{base}/badges/water-data-collector.json",
            "name": "Water Data Collector",
            "description": "Collected and recorded stream samples safely and accurately.",
            "criteria": {
                "narrative": "Complete the sampling training and log three field samples."
            },
            "issuer": {
                "type": "Issuer",
                "id": f"{base}/issuer.json",
                "name": MILLCREEK[0],
                "url": base,
            },
            "alignment": [
                ob2_alignment(
                    ccss(
                        "CCSS.ELA-Literacy.RST.6-8.3",
                        "ELA-Literacy/RST/6-8/3",
                        "Follow precisely a multistep procedure when carrying out experiments",
                    )
                ),
            ],  # fmt: skip
            "tags": ["citizen science"],
        },
        "evidence": [{"id": f"{SITE}/creek-watch/", "name": "Mill Creek Water Watch"}],
    }
    token = sign(assertion, key, {"alg": "RS256"})
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "water-data-collector.svg", token, {"water-data-collector.key.pem": public.decode()}


def maker_endorsement() -> tuple[str, str]:
    """OB 3.0 EndorsementCredential of the Maker Level 1 achievement, beside the badge.

    Signed with an eddsa-rdfc-2022 Data Integrity proof by the endorser's own
    did:key, made here and forgotten: it verifies offline, and the page says
    that nothing offline ties that key to the museum's name.
    """
    key = ed25519.Ed25519PrivateKey.generate()
    did = did_key_for(key.public_key())
    cred = {
        "@context": [VC2, OB3],
        "id": "urn:uuid:" + secrets.token_hex(16),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Riverside Science Museum endorses Maker Level 1",
        "issuer": {"id": did, "type": ["Profile"], "name": MUSEUM[0], "url": MUSEUM[1]},
        "validFrom": "2026-04-02T12:00:00Z",
        "credentialSubject": {
            "id": f"{HIVE[1]}/achievements/maker-level-1",
            "type": ["EndorsementSubject"],
            "endorsementComment": "We reviewed the Maker Level 1 criteria with the Hive Maker "
            "Club: building, testing three times and explaining the changes is exactly the "
            "design practice our museum's engineering galleries teach. We welcome holders of "
            "this badge as junior volunteers at our Saturday build days.",
        },
    }
    vm = f"{did}#{did[8:]}"
    signed = add_proof(cred, key, vm, created="2026-04-02T12:00:00Z")
    return "maker-level-1.endorsement.json", json.dumps(signed, indent=2) + "\n"


# ---------------------------------------------------------------------- main


def bake_with_command(image: bytes, credential: str, out: Path, work: Path) -> None:
    """Bake through the real ``badges bake`` command code."""
    image_path = work / ("image" + out.suffix)
    cred_path = work / "credential.txt"
    image_path.write_bytes(image)
    cred_path.write_text(credential, encoding="utf-8")
    parser = argparse.ArgumentParser(prog="portfolio-gen")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["badges", "bake", str(image_path), str(cred_path), "-o", str(out)])
    if args.func(args) != 0:
        raise SystemExit(f"baking {out.name} failed")


def put(folder: Path, name: str, data: bytes) -> None:
    """Write atomically: a hidden temporary file in the same folder, then a rename."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, folder / name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--endorsement-only",
        action="store_true",
        help="write only badges/maker-level-1.endorsement.json (the badges stay as they are)",
    )
    only_endorsement = parser.parse_args().endorsement_only
    target = ROOT / "badges"
    target.mkdir(exist_ok=True)
    name, text = maker_endorsement()
    put(target, name, text.encode("utf-8"))
    if only_endorsement:
        badge, _ = read_badge(target / "maker-level-1.png", root=ROOT, identities=[LEARNER])
        for e in badge.endorsements:
            print(f"  badges/{name}: {e.issuer}, {e.verification.status}")
        return 0
    hive_colors = ("#e07a2f", "#fde8c8", "#2b2d42")
    east_colors = ("#3a6ea5", "#dbe9f7", "#1d2b45")
    mill_colors = ("#4c9a5b", "#dff1e3", "#1f3d2a")
    plan: list[tuple[str, str, bytes, dict[str, str]]] = []
    name, token = maker_level_1()
    plan.append((name, token, png_badge("Maker Level 1", HIVE[0], hive_colors, "gear"), {}))
    name, text = maze_game_coder()
    plan.append((name, text, svg_badge("Maze Game Coder", EASTSIDE[0], east_colors, "maze"), {}))
    name, text, sidecars = creek_watcher()
    plan.append(
        (name, text, png_badge("Creek Watcher", MILLCREEK[0], mill_colors, "drop"), sidecars)
    )
    name, token, sidecars = water_data_collector()
    svg = svg_badge("Data Collector", MILLCREEK[0], mill_colors, "jar")
    plan.append((name, token, svg, sidecars))

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, credential, image, sidecars in plan:
            for side, content in sidecars.items():
                put(target, side, content.encode("utf-8"))
            baked = work / name
            bake_with_command(image, credential, baked, work)
            put(target, name, baked.read_bytes())

    print("\nOffline check (PORTFOLIO_RECIPIENT=maya@example.org):")
    for name, *_ in plan:
        badge, diags = read_badge(target / name, root=ROOT, identities=[LEARNER])
        print(f"  badges/{name}: {badge.spec}, {badge.verification.status}")
        for e in badge.endorsements:
            print(f"    endorsed by {e.issuer}: {e.verification.status}")
        for d in diags:
            print(f"    {d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
