"""Screenshots of the demo portfolio's main pages, for the README and for reviewing the theme.

Run from the repository root (needs the test extras and Chromium, as for the tests):

    .venv/bin/python scripts/screenshots.py --all                 # every README/docs picture
    .venv/bin/python scripts/screenshots.py                       # -> docs/screenshots/
    .venv/bin/python scripts/screenshots.py --language ar --pages home
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --pages home,projects,project,badge,standards,report --full-page

Builds a copy of the demo in the chosen language into a temporary folder,
serves it on 127.0.0.1, and renders each page in headless Chromium at desktop
(1280 px) and phone (390 px) widths. PNGs are reduced to a 256-colour palette
(text stays sharp, files are a fraction of the size). Names are
``<page>-<desktop|phone>[-<language>].png``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portfolio_gen.cli import main as portfolio_gen  # noqa: E402

PAGES = {
    "home": "index.html",
    "projects": "projects/index.html",
    "project": "projects/robot-arm/index.html",
    "badge": "badges/maker-level-1/index.html",
    "badges": "badges/index.html",
    "standards": "standards/index.html",
    "report": "report/index.html",
}
DEFAULT_PAGES = ("home", "project", "badge", "standards")  # the README's and docs/themes.md's
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
DEMO_FILES = ("portfolio.yml", "avatar.png", "content", "badges", "standards")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def build_demo(folder: Path, language: str) -> Path:
    """Copy the demo portfolio into ``folder`` with ``language:`` set, build it, return the site."""
    for name in DEMO_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    config = folder / "portfolio.yml"
    lines = [
        ln
        for ln in config.read_text(encoding="utf-8").splitlines()
        if not ln.startswith("language:")
    ]
    config.write_text("\n".join([*lines, f"language: {language}"]) + "\n", encoding="utf-8")
    if portfolio_gen(["build", str(folder), "--quiet"]) != 0:
        raise SystemExit("the demo did not build")
    return folder / "site"


def optimise(png: bytes) -> bytes:
    """The picture as a 256-colour palette PNG, compressed as far as Pillow goes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


def shoot(
    site: Path,
    out: Path,
    pages: dict[str, str],
    widths: dict[str, tuple[int, int]],
    suffix: str = "",
    full_page: bool = False,
    scheme: str = "light",
) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Chromium is needed: apt-get install -y chromium (or run .ci/run)")
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for label, (width, height) in widths.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,
                    reduced_motion="reduce",
                )
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(base + path)
                    if full_page:  # pictures further down load lazily: load them all now
                        page.evaluate(
                            "document.querySelectorAll('img[loading=lazy]')"
                            ".forEach(i => { i.loading = 'eager'; })"
                        )
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.fonts.ready")
                    target = out / f"{name}-{label}{suffix}.png"
                    target.write_bytes(optimise(page.screenshot(full_page=full_page)))
                    written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", default="en", help="the demo's language: en, es, ar...")
    parser.add_argument(
        "--pages",
        default=",".join(DEFAULT_PAGES),
        help=f"comma-separated, of: {', '.join(PAGES)} (default: {', '.join(DEFAULT_PAGES)})",
    )
    parser.add_argument("--widths", default="desktop,phone", help="desktop (1280), phone (390)")
    parser.add_argument("--scheme", choices=("light", "dark"), default="light")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not one screen")
    parser.add_argument(
        "--all",
        action="store_true",
        help="the docs' set: the default pages, both widths, light and dark, and the Arabic home",
    )
    args = parser.parse_args(argv)
    if args.all:
        runs = [
            ["--scheme", "light"],
            ["--scheme", "dark"],
            ["--language", "ar", "--pages", "home"],
        ]
        for run in runs:
            main(["--out", str(args.out), *run])
        return 0
    try:
        pages = {name: PAGES[name] for name in args.pages.split(",") if name}
        widths = {name: WIDTHS[name] for name in args.widths.split(",") if name}
    except KeyError as exc:
        parser.error(f"unknown page or width {exc}")
    suffix = "" if args.language == "en" else f"-{args.language}"
    if args.scheme == "dark":
        suffix += "-dark"
    with tempfile.TemporaryDirectory() as tmp:
        site = build_demo(Path(tmp), args.language)
        written = shoot(site, args.out, pages, widths, suffix, args.full_page, args.scheme)
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
