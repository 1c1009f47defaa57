"""The sites the browser checks look at: the demo (in English, Spanish and Arabic)
and a feature fixture that has every kind of page and every feature of the theme.

The fixture starts from a copy of the demo portfolio and adds what the demo
lacks: a draft, badges of every verification status, Markdown tables,
footnotes, code in several languages, embeds, video, audio, a download, front
matter feedback, a learning network (one local peer, one unreachable) and a
hub over two portfolios.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
for folder in (TESTS, TESTS / "badges", TESTS / "site"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from portfolio_gen.badges import bake  # noqa: E402
from portfolio_gen.cli import main  # noqa: E402
from support.badge_factory import (  # noqa: E402
    did_key,
    ed_key,
    kid_for,
    ob2_assertion,
    ob3_credential,
    png_image,
    tamper_jws,
    vc_jwt,
)
from support.helpers import project, write_tree  # noqa: E402
from support.media_factory import png  # noqa: E402

DEMO_FILES = ("portfolio.yml", "avatar.png", "content", "badges", "standards", "reviews")


def copy_demo(dest: Path, language: str = "en") -> Path:
    """A copy of the repository's demo portfolio in ``dest``, set to ``language``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest / name)
    config = dest / "portfolio.yml"
    text = config.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("language:")]
    config.write_text("\n".join([*lines, f"language: {language}"]) + "\n", encoding="utf-8")
    return dest


def build(root: Path, *args: str) -> Path:
    """Build ``root`` into ``root/site`` in this process; fail with the build's own messages."""
    code = main(["build", str(root), "--quiet", *args])
    assert code == 0, f"building {root} failed with exit code {code}"
    return root / "site"


KITCHEN_SINK = """\
Everything a project page can hold, to check the theme with.[^why]

## A table

| Trial | Syringe (mL) | Lift (cm) |
|---|---:|---:|
| 1 | 10 | 4.5 |
| 2 | 20 | 9.0 |

## Code

```python
@dataclass
class Arm:
    \"\"\"A cardboard arm.\"\"\"  # a comment
    joints: int = 4
    def lift(self, cm: float) -> str:
        return f"lifted {cm!r} cm" if cm > 0 else None  # 0x1F, 3.5e2, True
```

```console
$ portfolio-gen build
built 12 pages
```

```javascript
const maze = new Map([["start", 1]]); // levels
function walk(n) { return n * 2 + /ab+c/.test("abc"); }
```

```html
<p class="note">Hello &amp; welcome</p>
```

```diff
- old line
+ new line
```

## Things to try

- [x] Build the arm
- [ ] Add a second gripper

> A quotation from my notebook.

![The maze game on Scratch](https://scratch.mit.edu/projects/123456789/)

![How the arm works](https://www.youtube.com/watch?v=dQw4w9WgXcQ)

![The arm lifting a cup](lift.mp4)

Listen: ![Me explaining the arm](talk.mp3)

See the [robot arm](../robot-arm/index.md) and [the zine](../poetry-zine.md).

[^why]: So every kind of content is checked in a browser.

## What I learned

Testing beats guessing, and captions help everyone.
"""

VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nThe arm lifts a cup.\n"


def _badges(folder: Path) -> None:
    """Badges that verify as expired, failed, revoked and unreadable (the demo has the others)."""
    key = ed_key()
    did = did_key(key)
    old = vc_jwt(
        ob3_credential(did, valid_until="2025-05-01T00:00:00Z"), key, header={"kid": kid_for(did)}
    )
    good = vc_jwt(ob3_credential(did), key, header={"kid": kid_for(did)})
    forged = tamper_jws(good, lambda p: p.update(nbf=1))
    revoked = ob2_assertion(revoked=True, revocationReason="issued by mistake")
    write_tree(
        folder,
        {
            "badges/old-badge.png": bake(png_image("navy", 64), old),
            "badges/forged-badge.png": bake(png_image("maroon", 64), forged),
            "badges/gone-badge.png": bake(png_image("olive", 64), json.dumps(revoked)),
            "badges/broken-badge.png": b"\x89PNG\r\n\x1a\nnot really a picture",
        },
    )


def feature_portfolio(folder: Path) -> Path:
    """The feature fixture: the demo plus everything it lacks, with a peer beside it."""
    root = copy_demo(folder / "maya")
    write_tree(
        folder / "jay",
        {
            "portfolio.yml": (
                "title: Jay's Portfolio\nlearner:\n  name: Jay K.\n  bio: I build robots.\n"
                "interests: [robotics, music]\nbase_url: https://jay.example.org/\n"
            ),
            "content/projects/arm.md": project(
                "Cardboard Hydraulic Arm", "2026-03-14", interests="[robotics]",
                collaborators="[{name: Maya, url: 'https://maya-r.github.io/portfolio/projects/robot-arm/'}]",
                standards="[MS-ETS1-4]",
            ),
        },
    )  # fmt: skip
    config = root / "portfolio.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "network: [../jay, https://lee.example.org/]\n",
        encoding="utf-8",
    )
    write_tree(
        root,
        {
            "content/projects/kitchen-sink/index.md": (
                "---\ntitle: Everything at Once\ndate: 2026-04-01\nsetting: online\n"
                "interests: [coding, robotics]\nsummary: A page with every kind of content.\n"
                "standards: [MS-ETS1-4, {code: CCSS.Math.Content.7.RP.A.2, level: developing, "
                "rationale: I compared ratios.}]\n"
                "feedback:\n"
                "  - {author: Aunt Rosa, role: family, date: 2026-04-03, text: 'Lovely **work**.'}\n"
                "  - {author: Maya R., role: learner, date: 2026-04-04, text: Thank you!}\n"
                "---\n" + KITCHEN_SINK
            ),
            "content/projects/kitchen-sink/lift.mp4": b"\x00\x00\x00\x18ftypmp42" + b"\0" * 64,
            "content/projects/kitchen-sink/lift.vtt": VTT,
            "content/projects/kitchen-sink/talk.mp3": b"ID3\x03\x00\x00\x00" + b"\0" * 64,
            "content/projects/kitchen-sink/plans.pdf": b"%PDF-1.4\n%%EOF\n",
            "content/projects/kitchen-sink/sketch.png": png((240, 160)),
            "content/projects/secret-draft.md": project(
                "A Draft Idea", "2026-04-10", draft="true", setting="home",
                interests="[poetry]", body="Not finished yet.",
            ),
        },
    )  # fmt: skip
    _badges(root)
    return root


def hub_file(folder: Path) -> Path:
    """HUB.yml over the fixture's two portfolios, with goals (one a gap for everyone)."""
    path = folder / "HUB.yml"
    path.write_text(
        "title: Hive Maker Club\ndescription: Saturday makers at the library.\n"
        "members: [maya, jay]\n"
        "goals: [MS-ETS1-4, CCSS.Math.Content.7.RP.A.2, HS-ETS1-2]\n",
        encoding="utf-8",
    )
    return path


def build_hub(path: Path, out: Path) -> Path:
    code = main(["hub", str(path), "-o", str(out), "--quiet"])
    assert code == 0, f"building the hub {path} failed with exit code {code}"
    return out
