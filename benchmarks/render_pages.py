"""Render CPU: every page of a portfolio rendered in one process (issue 17).

    python benchmarks/render_pages.py PORTFOLIO [--rounds 5] [--dump DIR]

Loads the portfolio once (no cache written), then renders all its pages
``--rounds`` times with one Renderer and prints the CPU seconds (user+sys) of
each round after the first (which compiles the templates). ``--dump`` writes
each page's HTML once, to compare two checkouts' output byte for byte. It also
prints the CPU of compiling every page template (``build``'s precompile) in a
cold build: from the sources, and from the compiled built-in theme kept in the
user's cache folder (a temporary one here).
Run it with PYTHONPATH set to the checkout to measure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from portfolio_gen.build import Options, load
from portfolio_gen.config import Config
from portfolio_gen.site import render
from portfolio_gen.site.pages import build_pages
from portfolio_gen.site.render import Renderer
from portfolio_gen.urls import output_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    result, loaded = load(args.root.resolve(), Options(cache=False, jobs=1), save=False)
    assert loaded is not None, result.diagnostics
    pages = build_pages(loaded.portfolio)
    compile_cpu = precompile_cpu(loaded.portfolio.config)
    renderer = Renderer(loaded.portfolio)
    times = []
    for round_ in range(args.rounds + 1):
        start = time.process_time()
        html = [renderer.render(page) for page in pages]
        if round_:
            times.append(time.process_time() - start)
    if args.dump:
        for page, text in zip(pages, html, strict=True):
            path = args.dump / output_path(page.url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    print(f"precompile CPU: from the sources {compile_cpu[0]:.3f} s, kept {compile_cpu[1]:.3f} s")
    print(
        f"{len(pages)} pages, render CPU median {statistics.median(times):.3f} s "
        f"(rounds: {' '.join(f'{t:.3f}' for t in times)})"
    )


def precompile_cpu(config: Config) -> tuple[float, float]:
    """CPU seconds of a cold build's precompile: with an empty theme folder, then a kept one."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        os.environ["PORTFOLIO_GEN_CACHE_HOME"] = home
        for _ in range(2):
            with tempfile.TemporaryDirectory() as portfolio_cache:  # as after a cold start
                render._BYTECODE.store.clear()
                start = time.process_time()
                render.precompile(config, Path(portfolio_cache))
                times.append(time.process_time() - start)
        del os.environ["PORTFOLIO_GEN_CACHE_HOME"]
    return times[0], times[1]


if __name__ == "__main__":
    main()
