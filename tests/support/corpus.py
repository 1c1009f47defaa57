"""Generate a deterministic benchmark corpus of N learner projects.

The same Markdown bodies are written three times, laid out for each tool:

    OUT/portfolio/   a portfolio-gen portfolio (portfolio.yml, content/projects/...)
    OUT/pelican/     pelicanconf.py + content/<slug>.md with Pelican metadata
    OUT/mkdocs/      mkdocs.yml + docs/<slug>.md

Only the link syntax between projects differs (each tool resolves its own
form: `../b/index.md` for portfolio-gen, `{filename}/b.md` for Pelican,
`b.md` for MkDocs), so all three render the same text.

    python benchmarks/corpus.py --projects 20 --out /tmp/x [--images] [--seed 1]
    (benchmarks/corpus.py runs this file)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# The Markdown extensions Pelican and MkDocs are configured with, and the floor
# measured by run.py. They mirror portfolio_gen/content/markdown.py (minus its
# own tree processor, typography and HTML sanitizer; smarty stands in for its
# typography), so every tool does the same Markdown work: tables, fenced code
# with Pygments, footnotes, heading anchors, smart typography.
MARKDOWN_EXTENSIONS = [
    "tables",
    "fenced_code",
    "codehilite",
    "footnotes",
    "toc",
    "smarty",
    "sane_lists",
]
MARKDOWN_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": "#", "permalink_title": "Link to this section"},
}

SETTINGS = ["in-school", "out-of-school", "home", "online", "community"]
PROGRAMS = {
    "in-school": ["Ms. Okafor's 7th grade science", "Design & Technology, Year 9", "Room 204"],
    "out-of-school": ["Hive Maker Club", "Saturday Robotics League", "Eastside Library Code Club"],
    "home": ["At home", "Weekend project with my family"],
    "online": ["Scratch community studio", "An online course", "Discord game jam"],
    "community": [
        "Riverside Community Garden",
        "Youth Radio Lab",
        "Neighborhood Science Collective",
    ],
}
PEOPLE = ["Ms. Rivera", "Mr. Chen", "Dr. Adeyemi", "Coach Patel", "Ms. Novak", "Mr. Haddad"]
FRIENDS = ["Jay", "Amara", "Leo", "Priya", "Tomás", "Mei", "Sam", "Noor", "Ezra", "Lina"]

# topic -> interests, title words, code language + snippet, standards codes
TOPICS = {
    "robotics": (
        ["robotics", "engineering"],
        ["Hydraulic Arm", "Line-Following Robot", "Servo Gripper", "Sumo Bot", "Walking Machine"],
        ("cpp", "void loop() {\n  int d = readDistance();\n  if (d < 20) turnLeft();\n}"),
        ["MS-ETS1-1", "MS-ETS1-4", "HS-ETS1-2", "MS-PS2-2", "CCSS.Math.Content.7.RP.A.2"],
    ),
    "poetry": (
        ["poetry", "writing"],
        ["Poetry Zine", "Found Poems", "Haiku Calendar", "Spoken Word Set", "Blackout Poems"],
        ("text", "line 1: the bus smells like rain\nline 2: and everyone is tired"),
        ["CCSS.ELA-Literacy.W.7.3", "CCSS.ELA-Literacy.W.8.6", "CCSS.ELA-Literacy.SL.7.4"],
    ),
    "games": (
        ["game design", "coding"],
        ["Platformer Game", "Maze Generator", "Pixel Pet", "Trivia Bot", "Space Dodge"],
        ("python", "def jump(player):\n    if player.on_ground:\n        player.vy = -12"),
        ["CCSS.Math.Content.8.F.B.4", "MS-ETS1-3", "CCSS.Math.Content.7.G.B.6"],
    ),
    "science": (
        ["community science", "environment"],
        ["Creek Water Survey", "Air Quality Map", "Bird Count", "Soil Study", "Rain Gauge Network"],
        ("python", "import statistics\nph = [6.8, 7.1, 7.4, 6.9]\nprint(statistics.mean(ph))"),
        ["MS-LS2-5", "MS-ESS3-3", "HS-LS2-7", "CCSS.Math.Content.6.SP.B.5"],
    ),
    "music": (
        ["music", "audio"],
        ["Cardboard Synth", "Podcast Pilot", "Beat Tape", "Field Recordings", "Theremin"],
        ("javascript", "const osc = ctx.createOscillator();\nosc.frequency.value = 440;"),
        ["MS-PS4-2", "CCSS.ELA-Literacy.SL.7.4", "CCSS.Math.Content.6.RP.A.3"],
    ),
    "making": (
        ["making", "art"],
        ["Laser-Cut Lamp", "Solar Oven", "Skate Ramp", "Sewn Backpack", "Clay Planters"],
        ("html", '<figure>\n  <img src="lamp.jpg" alt="the lamp, lit">\n</figure>'),
        ["MS-PS3-3", "HS-ETS1-3", "CCSS.Math.Content.7.G.B.6", "CCSS.Math.Content.7.RP.A.2"],
    ),
}
NOTES = ["borrowed", "from the recycling bin", "bought online", "leftover", "a gift", "free"]
ADJECTIVES = ["Cardboard", "Tiny", "Second", "Solar", "Weekend", "Recycled", "Noisy", "Open"]

VOCAB = {
    "thing": ["prototype", "first version", "frame", "design", "draft", "model", "test rig"],
    "material": ["cardboard", "hot glue", "zip ties", "plywood", "a breadboard", "tape", "string"],
    "verb": ["rebuilt", "measured", "sketched", "tested", "glued", "rewrote", "sanded", "timed"],
    "feeling": ["proud", "frustrated", "surprised", "nervous", "excited", "stuck", "relieved"],
}
SENTENCES = [
    "I {verb} the {thing} three times before it worked the way I wanted.",
    "At first I was {feeling}, because the {thing} kept falling apart -- twice.",
    "I didn't expect the {thing} to be the easy part, but it was.",
    '{friend} said "that\'s never going to hold," and they were right.',
    "{person} showed me how to use {material} so the joints would not slip.",
    "We {verb} everything again after the first demo, and it was worth it.",
    "The hardest part was waiting for the {material} to dry between tries.",
    "I wrote down every change in my notebook so I could explain it later.",
    "{friend} had the idea to flip the {thing} upside down, which fixed the balance.",
    "It took about two weeks of afternoons, mostly on Tuesdays and Thursdays.",
    "I learned that a small change in one part can break something far away.",
    "When I showed it at the open night, a little kid asked how it worked and I could answer.",
    "I kept a budget and spent less than twenty dollars, most of it on {material}.",
    "Next time I would plan the {thing} on paper first instead of guessing.",
    "I {verb} the numbers and made a chart, which showed the pattern clearly.",
    "Honestly I almost gave up, but {person} said 'failing fast is still progress.'",
    "It's not perfect... but it's mine, and it works most of the time.",
]


@dataclass
class Project:
    slug: str
    title: str
    bundle: bool
    meta: dict
    links: list[str] = field(default_factory=list)
    image: bool = False
    body: str = ""  # Markdown with `](@slug)` link and `](@image)` image placeholders


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random) -> str:
    words = {k: rng.choice(v) for k, v in VOCAB.items()}
    return rng.choice(SENTENCES).format(
        person=rng.choice(PEOPLE), friend=rng.choice(FRIENDS), **words
    )


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(_sentence(rng) for _ in range(n))


def _body(rng: random.Random, p: Project, titles: dict[str, str], code: tuple[str, str]) -> str:
    lang, snippet = code
    link_text = " and ".join(f"[{titles[s]}](@{s})" for s in p.links)
    parts = [
        _paragraph(rng, 3),
        "## Why I started",
        _paragraph(rng, 4),
        "## What I used",
        "| Item | Qty | Notes |\n|---|---:|---|\n"
        + "\n".join(
            f"| {rng.choice(VOCAB['material'])} | {rng.randint(1, 12)} | {rng.choice(NOTES)} |"
            for _ in range(rng.randint(3, 6))
        ),
        "## How I built it",
        "\n".join(f"{i}. {_sentence(rng)}" for i in range(1, rng.randint(4, 7))),
        _paragraph(rng, 3) + " I checked my numbers twice.[^1]",
        f"### The code\n\n```{lang}\n{snippet}\n```",
    ]
    if p.image:
        parts.append(f"![{p.title}, finished](@image)")
    parts += [
        "## What went wrong",
        "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 5))),
        f"This project builds on {link_text}, which taught me a lot. " + _paragraph(rng, 2),
        "## What I learned",
        _paragraph(rng, 4),
        "- [x] finish the first version\n- [x] show it to someone\n- [ ] write a guide",
    ]
    target = rng.randint(400, 800)
    words = sum(len(x.split()) for x in parts)
    while words < target:  # pad the reflection until the body reaches its length
        extra = _paragraph(rng, 3)
        parts.insert(-1, extra)
        words += len(extra.split())
    parts.append(f"[^1]: {_sentence(rng)}")
    return "\n\n".join(parts) + "\n"


def make_projects(n: int, seed: int = 1, images: bool = False) -> list[Project]:
    rng = random.Random(seed)
    start = dt.date(2021, 1, 1)
    projects: list[Project] = []
    seen: set[str] = set()
    codes: dict[str, tuple[str, str]] = {}
    for i in range(n):
        topic = rng.choice(list(TOPICS))
        interests, nouns, code, standards = TOPICS[topic]
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(nouns)}"
        slug = base = slugify(title)
        k = 2
        while slug in seen:
            slug, k = f"{base}-{k}", k + 1
        seen.add(slug)
        setting = rng.choice(SETTINGS)
        picked = rng.sample(standards, rng.randint(1, 3))
        meta = {
            "title": title,
            "date": start + dt.timedelta(days=rng.randrange(5 * 365)),
            "summary": f"{_sentence(rng)} A {topic} project, number {i + 1} in my portfolio.",
            "interests": interests,
            "setting": setting,
            "program": rng.choice(PROGRAMS[setting]),
            "mentors": rng.sample(PEOPLE, rng.randint(0, 2)),
            "collaborators": [
                {"name": f, "url": f"https://{slugify(f)}.example.org/"}
                if rng.random() < 0.5
                # keep a plain-name form too, as learners write both
                else {"name": f}
                for f in rng.sample(FRIENDS, rng.randint(0, 2))
            ],
            "standards": [picked[0]]
            + [{"code": c, "rationale": _sentence(rng)} for c in picked[1:]],
        }
        bundle = rng.random() < 0.6
        with_image = rng.random() < 0.5  # drawn always, so --images changes nothing else
        p = Project(slug, title, bundle, meta, image=images and bundle and with_image)
        if p.image:
            meta["cover"] = "cover.png"
        projects.append(p)
        codes[slug] = code
    titles = {p.slug: p.title for p in projects}
    for i, p in enumerate(projects):  # link to 1-2 other projects (never to itself)
        picked = rng.sample(range(n - 1), min(n - 1, rng.randint(1, 2)))
        p.links = [projects[j + (j >= i)].slug for j in picked]
        p.body = _body(random.Random(f"{seed}-{p.slug}"), p, titles, codes[p.slug])
    return projects


def _resolve(body: str, link, image: str) -> str:
    body = body.replace("](@image)", f"]({image})")
    return re.sub(r"\]\(@([a-z0-9-]+)\)", lambda m: f"]({link(m.group(1))})", body)


def png(width: int, height: int, seed: str) -> bytes:
    """A banded RGB picture, cheap to make, big enough for image processing to work."""
    rng = random.Random(seed)
    colours = [bytes(rng.randrange(256) for _ in range(3)) for _ in range(8)]
    rows = b"".join(b"\x00" + colours[(y * 8) // height] * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def _front_matter(meta: dict) -> str:
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n\n"


def write_portfolio(root: Path, projects: list[Project]) -> None:
    bundles = {p.slug for p in projects if p.bundle}
    config = {
        "title": "Sam K.'s Portfolio (benchmark)",
        "learner": {"name": "Sam K.", "bio": "I build, write and measure things."},
        "interests": sorted({i for t in TOPICS.values() for i in t[0]}),
        "base_url": "https://example.org/bench/",
    }
    (root / "content" / "projects").mkdir(parents=True)
    (root / "portfolio.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (root / "content" / "about.md").write_text("# About me\n\nI like making things.\n", "utf-8")
    for p in projects:
        if p.bundle:
            folder = root / "content" / "projects" / p.slug
            folder.mkdir()
            path = folder / "index.md"
            link = lambda s: f"../{s}/index.md" if s in bundles else f"../{s}.md"  # noqa: E731
            if p.image:
                (folder / "cover.png").write_bytes(png(1200, 800, p.slug))
        else:
            path = root / "content" / "projects" / f"{p.slug}.md"
            link = lambda s: f"{s}/index.md" if s in bundles else f"{s}.md"  # noqa: E731
        path.write_text(_front_matter(p.meta) + _resolve(p.body, link, "cover.png"), "utf-8")


PELICAN_MARKDOWN = {
    "extension_configs": {
        f"markdown.extensions.{e}": MARKDOWN_CONFIGS.get(e, {})
        for e in [*MARKDOWN_EXTENSIONS, "meta"]  # meta reads Pelican's `Title:` header
    },
    "output_format": "html5",
}
PELICANCONF = f"""\
AUTHOR = "Sam K."
SITENAME = "Sam K.'s Portfolio (benchmark)"
SITEURL = "https://example.org/bench"
PATH = "content"
STATIC_PATHS = ["images"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
MARKDOWN = {PELICAN_MARKDOWN!r}
"""


def write_pelican(root: Path, projects: list[Project]) -> None:
    content = root / "content"
    (content / "images").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, "utf-8")
    for p in projects:
        m = p.meta
        head = (
            f"Title: {p.title}\nDate: {m['date']}\nTags: {', '.join(m['interests'])}\n"
            f"Summary: {m['summary']}\nSlug: {p.slug}\nCategory: projects\n\n"
        )
        image = f"{{static}}/images/{p.slug}.png"
        if p.image:
            (content / "images" / f"{p.slug}.png").write_bytes(png(1200, 800, p.slug))
        body = _resolve(p.body, lambda s: f"{{filename}}/{s}.md", image)
        (content / f"{p.slug}.md").write_text(head + body, "utf-8")


def write_mkdocs(root: Path, projects: list[Project]) -> None:
    docs = root / "docs"
    (docs / "img").mkdir(parents=True)
    config = {
        "site_name": "Sam K.'s Portfolio (benchmark)",
        "site_url": "https://example.org/bench/",
        "use_directory_urls": True,
        "markdown_extensions": [
            {e: MARKDOWN_CONFIGS[e]} if e in MARKDOWN_CONFIGS else e for e in MARKDOWN_EXTENSIONS
        ],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (docs / "index.md").write_text("# Sam K.\n\nI build, write and measure things.\n", "utf-8")
    for p in projects:
        if p.image:
            (docs / "img" / f"{p.slug}.png").write_bytes(png(1200, 800, p.slug))
        head = _front_matter({"title": p.title, "date": p.meta["date"]})
        body = _resolve(p.body, lambda s: f"{s}.md", f"img/{p.slug}.png")
        (docs / f"{p.slug}.md").write_text(head + body, "utf-8")


def generate(out: Path, n: int, seed: int = 1, images: bool = False) -> list[Project]:
    """(Re)create OUT/portfolio, OUT/pelican and OUT/mkdocs for N projects."""
    projects = make_projects(n, seed, images)
    for name, write in [
        ("portfolio", write_portfolio),
        ("pelican", write_pelican),
        ("mkdocs", write_mkdocs),
    ]:
        shutil.rmtree(out / name, ignore_errors=True)
        (out / name).mkdir(parents=True)
        write(out / name, projects)
    return projects


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--projects", type=int, default=100, help="number of projects (default 100)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--images", action="store_true", help="give about 30%% of projects a PNG")
    args = ap.parse_args()
    if args.projects < 2:
        ap.error("--projects must be at least 2 (projects link to each other)")
    projects = generate(args.out, args.projects, args.seed, args.images)
    words = sum(len(p.body.split()) for p in projects)
    print(f"{len(projects)} projects, {words} words of Markdown in {args.out}")


if __name__ == "__main__":
    main()
