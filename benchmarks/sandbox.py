"""The cost of rendering templates in the sandbox (site/render.py TemplateSandbox).

Renders every page of a portfolio with a plain ``jinja2.Environment`` and with
the sandbox, alternately, and prints the median CPU seconds of each:

    .venv/bin/python benchmarks/corpus.py --projects 1000 --out /tmp/c1000
    .venv/bin/python benchmarks/sandbox.py /tmp/c1000/portfolio --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import jinja2

from portfolio_gen import build
from portfolio_gen.site import render
from portfolio_gen.site.pages import build_pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("portfolio", type=Path, nargs="?", default=Path(__file__).parent.parent)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    _, loaded = build.load(args.portfolio.resolve(), build.Options(cache=False))
    assert loaded is not None, "the portfolio has errors: run portfolio-gen check"
    pages = build_pages(loaded.portfolio)
    kinds = {"plain": type("Plain", (jinja2.Environment,), {}), "sandbox": render.TemplateSandbox}
    times: dict[str, list[float]] = {name: [] for name in kinds}
    try:
        for _ in range(args.repeat):
            for name, kind in kinds.items():
                render.TemplateSandbox = kind  # what render.sandbox() makes
                renderer = render.Renderer(loaded.portfolio)
                renderer.render(pages[0])  # (compiled templates: in memory for both)
                start = time.process_time()
                for page in pages:
                    renderer.render(page)
                times[name].append(time.process_time() - start)
    finally:
        render.TemplateSandbox = kinds["sandbox"]
    plain, sandbox = (statistics.median(times[name]) for name in kinds)
    print(
        f"{len(pages)} pages: plain {plain:.3f} s, sandbox {sandbox:.3f} s CPU (x{sandbox / plain:.2f})"
    )


if __name__ == "__main__":
    main()
