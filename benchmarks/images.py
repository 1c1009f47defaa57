"""Photos through portfolio-gen: cold, cached and warm builds of N 12-megapixel phone photos.

    .venv/bin/python benchmarks/images.py [--photos 100] [--per-project 4] [--repeat 1]
                                          [--jobs N] [--json FILE]

Generates once, under benchmarks/.work/images-N/portfolio/, N JPEGs of 4000x3000
as phones save them (EXIF with camera, date, GPS position and orientation, half
of them sideways; XMP; an ICC profile), four to a project bundle, the first one
the project's cover. Then builds the portfolio, each build in its own process:

    cold    no output folder, no .portfolio-cache/
    cached  no output folder, the cache from the cold build (a CI run with a restored cache)
    warm    the same build again, nothing changed

and checks that no published image carries EXIF, GPS, XMP or comments.
See docs/benchmarks.md ("Images").
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
SIZE = (4000, 3000)
RECIPE = "images/1"


def base_photos(count: int, rng: random.Random) -> list[Image.Image]:
    """A few photo-like scenes: gradients, shapes, some grain (they compress like photos)."""
    scenes = []
    small = (SIZE[0] // 4, SIZE[1] // 4)
    for _ in range(count):
        r = Image.linear_gradient("L").resize(small)
        g = Image.radial_gradient("L").resize(small)
        b = Image.linear_gradient("L").rotate(rng.choice((90, 180, 270))).resize(small)
        scene = Image.merge("RGB", (r, g, b))
        draw = ImageDraw.Draw(scene)
        for _ in range(40):
            x, y = rng.randrange(small[0]), rng.randrange(small[1])
            s = rng.randrange(20, 250)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x, y, x + s, y + s * rng.uniform(0.5, 1.5)), fill=colour)
        scene = scene.filter(ImageFilter.GaussianBlur(2)).resize(SIZE, Image.Resampling.BICUBIC)
        grain = Image.effect_noise(SIZE, 24).convert("RGB")
        scenes.append(Image.blend(scene, grain, 0.08))
    return scenes


def phone_exif(index: int, rng: random.Random) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneCo"  # Make
    exif[0x0110] = "Pocket 12"  # Model
    exif[0x0132] = f"2026:03:{1 + index % 28:02d} 14:{index % 60:02d}:00"
    exif[0x0112] = 6 if index % 2 else 1  # every other photo taken upright (stored sideways)
    exif[0x8825] = {
        1: "N",
        2: (40.0, 26.0, round(rng.uniform(0, 59), 2)),
        3: "W",
        4: (79.0, 58.0, round(rng.uniform(0, 59), 2)),
    }
    return exif.tobytes()


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="40,26.7N"/></rdf:RDF></x:xmpmeta>'


def ensure_corpus(photos: int, per_project: int) -> Path:
    """benchmarks/.work/images-N/portfolio, made once per recipe."""
    folder = WORK / f"images-{photos}-{per_project}"
    root = folder / "portfolio"
    stamp = folder / "recipe.json"
    recipe = {"recipe": RECIPE, "photos": photos, "per_project": per_project}
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return root
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {photos} photos of {SIZE[0]}x{SIZE[1]} in {root} ...", flush=True)
    rng = random.Random(1)
    scenes = base_photos(4, rng)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    (root / "content/projects").mkdir(parents=True)
    (root / "portfolio.yml").write_text(
        "title: Photo benchmark\nlearner:\n  name: Ana B.\nbase_url: https://example.org/\n"
    )
    projects = (photos + per_project - 1) // per_project
    for p in range(projects):
        bundle = root / f"content/projects/build-log-{p + 1:03d}"
        bundle.mkdir()
        names = []
        for i in range(per_project):
            index = p * per_project + i
            if index >= photos:
                break
            photo = scenes[index % len(scenes)].copy()
            ImageDraw.Draw(photo).rectangle(
                (
                    index * 37 % 3000,
                    index * 53 % 2000,
                    index * 37 % 3000 + 900,
                    index * 53 % 2000 + 700,
                ),
                fill=tuple(rng.randrange(256) for _ in range(3)),
            )  # every photo differs, so none is a cache hit for another
            name = f"IMG_{2000 + index:04d}.jpg"
            photo.save(
                bundle / name,
                "JPEG",
                quality=92,
                exif=phone_exif(index, rng),
                icc_profile=icc,
                xmp=XMP,
            )
            names.append(name)
        body = "\n\n".join(
            f"![Step {i + 1} of the build, photo {n}]({n})" for i, n in enumerate(names)
        )
        (bundle / "index.md").write_text(
            f"---\ntitle: Build log {p + 1}\ndate: 2026-03-{1 + p % 28:02d}\ncover: {names[0]}\n"
            f"cover_alt: The finished build {p + 1}\n---\nWhat we built today.\n\n{body}\n"
        )
    stamp.write_text(json.dumps(recipe))
    return root


def build(root: Path, out: Path, jobs: int | None) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "portfolio_gen", "build", str(root), "-o", str(out), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"`{' '.join(cmd)}` failed:\n{proc.stdout}{proc.stderr}")
    return seconds


def private_metadata(site: Path) -> list[str]:
    """Published images that still carry EXIF, XMP or a comment (should be none)."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
            continue
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            private = {"exif", "xmp", "comment"} & set(image.info)
            if image.getexif() or private or b"Exif\0\0" in data or b"xmpmeta" in data:
                found.append(path.relative_to(site).as_posix())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--per-project", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each build; medians shown")
    parser.add_argument("--jobs", type=int, default=None, help="passed to build --jobs")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    root = ensure_corpus(args.photos, args.per_project)
    out = root.parent / "site"
    cache = root / ".portfolio-cache"
    runs: dict[str, list[float]] = {"cold": [], "cached": [], "warm": []}
    for _ in range(args.repeat):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        runs["cold"].append(build(root, out, args.jobs))
        runs["warm"].append(build(root, out, args.jobs))
        shutil.rmtree(out)
        runs["cached"].append(build(root, out, args.jobs))
    leaks = private_metadata(out)
    source_mb = sum(p.stat().st_size for p in (root / "content").rglob("*.jpg")) / 1e6
    site_files = [p for p in out.rglob("*") if p.is_file()]
    site_mb = sum(p.stat().st_size for p in site_files) / 1e6
    medians = {name: statistics.median(values) for name, values in runs.items()}
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    print(f"\n{args.photos} photos of {SIZE[0]}x{SIZE[1]} ({source_mb:.0f} MB of JPEG), "
          f"{cpus} CPUs, Python {platform.python_version()}, "
          f"median of {args.repeat} run(s)\n")  # fmt: skip
    print(f"{'build':<8}{'seconds':>10}{'ms/photo':>11}")
    for name in ("cold", "cached", "warm"):
        print(f"{name:<8}{medians[name]:>10.2f}{medians[name] * 1000 / args.photos:>11.0f}")
    print(f"\nsite: {len(site_files)} files, {site_mb:.0f} MB; "
          f"warm / cold = {medians['warm'] / medians['cold']:.3f}")  # fmt: skip
    print("private metadata in published images: " + (", ".join(leaks) if leaks else "none"))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "photos": args.photos,
                    "size": SIZE,
                    "cpus": cpus,
                    "python": platform.python_version(),
                    "runs_s": runs,
                    "median_s": medians,
                    "site_files": len(site_files),
                    "site_mb": round(site_mb, 1),
                    "leaks": leaks,
                },
                indent=2,
            )
        )
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
