"""The O(N) stages of a one-edit build, each timed in one process (issue 17).

These are the full build's. A build after an edit to a project's text takes
quick.py's way and runs none of them; this measures the build after any
other edit (a title, a new project), and the full build quick.py falls back to.

    python benchmarks/edit_path.py PORTFOLIO [--site SITE] [--rounds 20]

PORTFOLIO must have been built (into SITE, by default PORTFOLIO/site) at least
twice, 2 s apart, so its folder listings are kept: its .portfolio-cache/ and
SITE are used as a one-edit build finds them; nothing is written. Each stage a build
after one edit runs over every project is run ``--rounds`` times: discovery
(with the kept folder listings), the record cache's index load, the cache
look-ups of read_projects, link, build_pages, the page keys, SiteWriter.reuse
and the manifest. Prints each stage's median and least CPU milliseconds (process time:
the least is the steadier on a busy machine); ``--profile STAGE`` prints where one
stage's time goes (cProfile) instead.
Run it with PYTHONPATH set to the checkout to measure; compare checkouts by
running each on its own copy of the portfolio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from portfolio_gen import build
from portfolio_gen.cache import RecordCache
from portfolio_gen.content.sources import discover
from portfolio_gen.diagnostics import Diagnostics
from portfolio_gen.site import graph
from portfolio_gen.site.pages import build_pages
from portfolio_gen.site.write import SiteWriter
from portfolio_gen.urls import output_path

try:
    from portfolio_gen.cache import load_listings
except ImportError:  # a checkout from before the kept listings (to compare with)
    load_listings = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--profile", metavar="STAGE", help="print a stage's cProfile instead")
    args = parser.parse_args()
    root = args.root.resolve()
    seen: dict[str, Any] = {}
    real_link = build.link

    def spy(*a: Any, **k: Any) -> Any:
        seen["link"] = (a, k)
        return real_link(*a, **k)

    def cache(root: Path, settings: Any, persistent: bool = True) -> RecordCache:
        seen["settings"] = settings
        return RecordCache(root, settings, persistent)

    build.link = spy  # (to call link again with what the build gave it)
    build.RecordCache = cache  # type: ignore[assignment,misc]
    result, loaded = build.load(root, build.Options(), save=False)
    assert loaded is not None, result.diagnostics
    a, k = seen["link"]
    sources = a[5]
    portfolio = loaded.portfolio
    pages = build_pages(portfolio)
    page_keys = getattr(build, "page_keys", None)  # (a checkout from before: one call a page)
    if page_keys is None:

        def page_keys(pages: list[Any], loaded: Any, template: Callable[[str], str]) -> list[str]:
            return [build.page_key(page, loaded, template(page.template)) for page in pages]

    keys = dict(zip([p.url for p in pages], page_keys(pages, loaded, lambda _: "t"), strict=True))
    writer = SiteWriter.__new__(SiteWriter)  # (nothing made on disk)
    writer.out = (args.site or root / "site").resolve()
    writer.out_text, writer.previous = str(writer.out), {output_path(u): v for u, v in keys.items()}
    writer.trusted = False

    def lookups() -> None:
        cache = loaded.cache
        paths = getattr(sources, "paths", None) or sources.projects  # (text, or Paths before)
        for key, path in zip(sources.keys, paths, strict=True):
            cache.lookup(key, path, listing=sources.bundle_files.get(key, ()), hash_new=False)

    def linked() -> None:
        graph.link(*a[:6], Diagnostics(root), **{**k, "memo": None})

    def keyed() -> None:
        loaded.cache.memo.pop("page keys", None)
        page_keys(pages, loaded, lambda _: "t")

    def reused() -> None:
        writer.written, writer.keys = set(), {}
        paths = [output_path(page.url) for page in pages]
        if hasattr(writer, "reuse_all"):
            writer.reuse_all(paths, [keys[page.url] for page in pages])
        else:  # (a checkout from before)
            for path, page in zip(paths, pages, strict=True):
                writer.reuse(path, keys[page.url])

    stages: dict[str, Callable[[], Any]] = {
        "discover": lambda: discover(
            root, Diagnostics(root), *([load_listings(root)] if load_listings else [])
        ),
        "cache index": lambda: RecordCache(root, seen["settings"]).large.close(),
        "cache look-ups": lookups,
        "link": linked,
        "build_pages": lambda: build_pages(portfolio),
        "page keys": keyed,
        "reuse": reused,
        "manifest": writer._manifest,
    }
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        stages[args.profile]()
        profiler.enable()
        for _ in range(args.rounds):
            stages[args.profile]()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    total = best = 0.0
    for name, stage in stages.items():
        stage()
        times = []
        for _ in range(args.rounds):
            start = time.process_time()
            stage()
            times.append(time.process_time() - start)
        total += statistics.median(times)
        best += min(times)
        print(f"{statistics.median(times) * 1000:7.2f} ms  (min {min(times) * 1000:6.2f})  {name}")
    print(
        f"{total * 1000:7.2f} ms  (min {best * 1000:6.2f})  all "
        f"({len(sources.keys)} projects, {len(pages)} pages)"
    )


if __name__ == "__main__":
    main()
