"""Draw the demo portfolio's pictures (no image is copied from elsewhere).

Run from the repository root: python scripts/make_demo_images.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PAPER, INK, BLUE, ORANGE, GREEN = "#fbf7ee", "#2b2d42", "#3a6ea5", "#e07a2f", "#4c9a5b"


def robot_arm(path: Path) -> None:
    img = Image.new("RGB", (960, 640), PAPER)
    d = ImageDraw.Draw(img)
    for x in range(0, 960, 40):
        d.line([(x, 0), (x, 640)], fill="#e8e2d4")
    for y in range(0, 640, 40):
        d.line([(0, y), (960, y)], fill="#e8e2d4")
    d.rectangle([120, 500, 420, 560], fill="#c9a06b", outline=INK, width=4)  # base
    d.line([(270, 500), (330, 300)], fill="#c9a06b", width=36)  # lower arm
    d.line([(330, 300), (560, 220)], fill="#c9a06b", width=30)  # upper arm
    for cx, cy in ((270, 500), (330, 300), (560, 220)):
        d.ellipse([cx - 18, cy - 18, cx + 18, cy + 18], fill=INK)
    d.line([(560, 220), (630, 180)], fill=INK, width=8)
    d.line([(560, 220), (630, 260)], fill=INK, width=8)  # gripper
    for i, (x, y) in enumerate(((700, 420), (760, 420), (820, 420), (880, 420))):
        d.rectangle([x - 16, y - 110, x + 16, y + 60], outline=BLUE, width=4)  # syringes
        d.rectangle([x - 12, y - 40 + i * 12, x + 12, y + 56], fill="#a9d1f5")
        d.line([(x, y + 60), (300 + i * 60, 470 - i * 40)], fill=BLUE, width=3)  # tubes
    d.text((700, 520), "syringe pistons (water)", fill=INK)
    d.text((140, 580), "cardboard base, 30 x 6 cm", fill=INK)
    img.save(path, optimize=True)


def maze(path: Path) -> None:
    rng = random.Random(7)
    cols, rows, cell = 24, 15, 40
    img = Image.new("RGB", (cols * cell, rows * cell), "#1d1b2e")
    d = ImageDraw.Draw(img)
    seen = {(0, 0)}
    stack = [(0, 0)]
    walls = {(c, r, side) for c in range(cols) for r in range(rows) for side in "ES"}
    while stack:
        c, r = stack[-1]
        options = [
            (c + dc, r + dr)
            for dc, dr in ((1, 0), (-1, 0), (0, 1), (0, -1))
            if 0 <= c + dc < cols and 0 <= r + dr < rows and (c + dc, r + dr) not in seen
        ]
        if not options:
            stack.pop()
            continue
        nc, nr = rng.choice(options)
        if nc != c:
            walls.discard((min(c, nc), r, "E"))
        else:
            walls.discard((c, min(r, nr), "S"))
        seen.add((nc, nr))
        stack.append((nc, nr))
    for c, r, side in walls:
        x, y = c * cell, r * cell
        if side == "E":
            d.line([(x + cell, y), (x + cell, y + cell)], fill="#7f7bd6", width=5)
        else:
            d.line([(x, y + cell), (x + cell, y + cell)], fill="#7f7bd6", width=5)
    d.rectangle([6, 6, cell - 6, cell - 6], fill=ORANGE)  # the player
    d.ellipse(
        [(cols - 1) * cell + 8, (rows - 1) * cell + 8, cols * cell - 8, rows * cell - 8],
        fill="#f4d35e",
    )
    img.save(path, optimize=True)


def creek_chart(path: Path) -> None:
    img = Image.new("RGB", (960, 560), "white")
    d = ImageDraw.Draw(img)
    sites = ["Bridge", "Park", "Mill", "Outfall", "Pond"]
    oxygen = [9.1, 8.7, 7.9, 5.2, 6.8]
    d.line([(80, 480), (900, 480)], fill=INK, width=3)
    d.line([(80, 480), (80, 60)], fill=INK, width=3)
    for i, (name, value) in enumerate(zip(sites, oxygen, strict=True)):
        x = 130 + i * 160
        top = 480 - value * 40
        colour = GREEN if value >= 6 else ORANGE
        d.rectangle([x, top, x + 90, 480], fill=colour, outline=INK)
        d.text((x + 20, 490), name, fill=INK)
        d.text((x + 25, top - 18), f"{value}", fill=INK)
    d.line([(80, 480 - 6 * 40), (900, 480 - 6 * 40)], fill=BLUE, width=2)
    d.text((720, 480 - 6 * 40 - 18), "6 mg/L: healthy for fish", fill=BLUE)
    d.text((90, 30), "Dissolved oxygen (mg/L), April samples", fill=INK)
    img.save(path, optimize=True)


def solar_oven(path: Path) -> None:
    img = Image.new("RGB", (800, 520), "#fff3d6")
    d = ImageDraw.Draw(img)
    d.ellipse([600, 40, 720, 160], fill="#ffcf3f")
    for k in range(12):
        a = k * math.pi / 6
        d.line(
            [
                (660 + 70 * math.cos(a), 100 + 70 * math.sin(a)),
                (660 + 95 * math.cos(a), 100 + 95 * math.sin(a)),
            ],
            fill="#ffb300",
            width=5,
        )
    d.polygon([(150, 420), (450, 420), (450, 300), (150, 300)], fill="#8d6e4f", outline=INK)
    d.polygon(
        [(150, 300), (450, 300), (520, 150), (220, 150)], fill="#d9d9d9", outline=INK
    )  # foil flap
    d.rectangle([200, 320, 400, 400], fill="#222222")  # black paper
    d.text((210, 440), "pizza-box oven: foil flap, black paper, plastic window", fill=INK)
    img.save(path, optimize=True)


def avatar(path: Path) -> None:
    img = Image.new("RGB", (256, 256), "#3a6ea5")
    d = ImageDraw.Draw(img)
    d.ellipse([48, 48, 208, 208], fill="#f4d35e")
    d.arc([88, 100, 168, 170], start=20, end=160, fill=INK, width=8)
    d.ellipse([95, 95, 110, 110], fill=INK)
    d.ellipse([146, 95, 161, 110], fill=INK)
    img.save(path, optimize=True)


if __name__ == "__main__":
    projects = ROOT / "content" / "projects"
    robot_arm(projects / "robot-arm" / "arm-diagram.png")
    maze(projects / "maze-game" / "level-1.png")
    creek_chart(projects / "creek-watch" / "oxygen-chart.png")
    solar_oven(ROOT / "content" / "projects" / "solar-oven.png")
    avatar(ROOT / "avatar.png")
