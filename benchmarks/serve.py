"""How fast a save reaches the browser in `portfolio-gen serve`.

    .venv/bin/python benchmarks/serve.py --projects 1000 [--repeat 5] [--browser]

Generates (or reuses) the benchmark corpus, starts the preview server in this
process, listens to its event stream like a browser does, and measures the
time from writing a file to receiving the reload (or CSS) signal, for a
one-project text edit, a CSS edit and a template edit. Prints the medians,
and the medians of the server's own rebuild times (wall and CPU).

With --browser, also the whole way in headless Chromium (/usr/bin/chromium,
through Playwright): the project's page is open, a save is made, and the time
to the reloaded page's load event is taken from the page's own navigation
timing (the same clock), with how much of it the reload itself took.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import generate  # noqa: E402

from portfolio_gen.serve import EVENTS, serve  # noqa: E402


class Events:
    """A server-sent events client: hands each event to a queue with its arrival time."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.connection.request("GET", f"{EVENTS}?generation=1")
        self.response = self.connection.getresponse()
        self.events: list[tuple[float, str]] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        kind = ""
        for raw in self.response:
            line = raw.decode().strip()
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                with self.arrived:
                    self.events.append((time.perf_counter(), kind))
                    self.arrived.notify_all()

    def wait(self, count: int, timeout: float = 30) -> tuple[float, str]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout)
            if len(self.events) < count:
                raise TimeoutError("no reload signal")
            return self.events[count - 1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium")
    args = parser.parse_args()
    gc.set_threshold(100_000, 50, 100)  # as the command sets it (portfolio_gen/__main__.py)

    corpus = HERE / ".work" / f"serve-corpus-{args.projects}"
    root = corpus / "portfolio"
    if not (root / "portfolio.yml").is_file():
        generate(corpus, args.projects)
    (root / "templates").mkdir(exist_ok=True)
    (root / "static").mkdir(exist_ok=True)

    ready = threading.Event()
    box: dict = {}
    rebuilds: list[tuple[float, float]] = []  # (wall, CPU) seconds of each rebuild

    def log(message: str) -> None:
        print("  serve:", message)

    import portfolio_gen.serve as served

    class Timed(served.Rebuilder):
        def rebuild(self, changes=None):  # type: ignore[no-untyped-def]
            began, cpu = time.perf_counter(), time.thread_time()
            try:
                return super().rebuild(changes)
            finally:
                rebuilds.append((time.perf_counter() - began, time.thread_time() - cpu))

    served.Rebuilder = Timed  # type: ignore[misc]

    def on_ready(url: str, server) -> None:  # type: ignore[no-untyped-def]
        box["url"], box["server"] = url, server
        ready.set()

    start = time.perf_counter()
    thread = threading.Thread(
        target=serve,
        args=(root, "127.0.0.1", 0),
        kwargs={"log": log, "ready": on_ready},
        daemon=True,
    )
    thread.start()
    ready.wait(600)
    print(
        f"first build and start: {time.perf_counter() - start:.2f} s for {args.projects} projects"
    )
    events = Events(box["url"])

    project = sorted((root / "content/projects").glob("*/index.md"))[0]
    original = project.read_text()
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates"

    def template_edit(name: str, marker: str):  # type: ignore[no-untyped-def]
        text = (theme / name).read_text()
        assert marker in text
        return lambda n: (root / "templates" / name).write_text(
            text.replace(marker, f"{marker}<!-- {n} -->", 1)
        )

    edits = {
        "one-project edit": lambda n: project.write_text(original + f"\n\nEdit number {n}.\n"),
        "CSS edit": lambda n: (root / "static/extra.css").write_text(f"body {{ --edit: {n}; }}\n"),
        "template edit (base.html: every page)": template_edit(
            "base.html", '<main id="main" tabindex="-1">'
        ),
        "template edit (404.html: one page)": template_edit("404.html", "{% block content %}"),
    }
    results: dict[str, list[float]] = {}
    seen = 0
    try:
        for name, edit in edits.items():
            times, walls, cpus = [], [], []
            for n in range(args.repeat + 1):
                began = time.perf_counter()
                edit(n)
                seen += 1
                arrived, kind = events.wait(seen)
                if n:  # the first of each kind warms caches (a new file, a new template folder)
                    times.append(arrived - began)
                    walls.append(rebuilds[-1][0])
                    cpus.append(rebuilds[-1][1])
                time.sleep(0.3)
            results[name] = times
            print(
                f"{name:38} median {statistics.median(times) * 1000:6.0f} ms  (signal: {kind}; "
                f"rebuild {statistics.median(walls) * 1000:.0f} ms, "
                f"CPU {statistics.median(cpus) * 1000:.0f} ms)"
            )
        if args.browser:
            seen = in_browser(box["url"], project, original, args.repeat, events, seen)
    finally:
        project.write_text(original)
        box["server"].shutdown()


def in_browser(
    url: str, project: Path, original: str, repeat: int, events: Events, seen: int
) -> int:
    """Save -> the reloaded page's load event, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    slug = project.parent.name
    totals, reloads = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{url}projects/{slug}/")
        for n in range(repeat + 1):
            marker = f"Browser edit {n}."
            time.sleep(0.3)
            began = time.time() * 1000  # epoch ms: the page's clock
            project.write_text(original + f"\n\n{marker}\n")
            seen += 1
            page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=30000)
            page.wait_for_load_state("load")
            timing = page.evaluate(
                "(() => { const t = performance.getEntriesByType('navigation')[0];"
                " return [performance.timeOrigin, t.loadEventEnd]; })()"
            )
            origin, loaded = timing
            if n:
                totals.append(origin + loaded - began)
                reloads.append(loaded)
        browser.close()
    events.wait(seen)
    print(
        f"{'one-project edit, in Chromium':38} median {statistics.median(totals):6.0f} ms"
        f"  (save -> load event; the reload itself {statistics.median(reloads):.0f} ms)"
    )
    return seen


if __name__ == "__main__":
    main()
