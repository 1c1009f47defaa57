"""Benchmark the bundled standards catalogs: the cost of the first lookup.

    .venv/bin/python benchmarks/catalogs.py [--repeat 9]

Each run is a fresh process that imports portfolio_gen.standards, then times
(wall clock) the first CCSS lookup (which reads and parses ccss.tsv.gz), the
first NGSS lookup (ngss.tsv), and resolving every CCSS code once through a
Catalog (what a portfolio naming all 1,535 standards and components would
cost). Medians of --repeat runs are printed. See docs/standards.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
from portfolio_gen.standards import Catalog, bundled
t0 = time.perf_counter(); bundled.ccss_item("CCSS.Math.Content.7.RP.A.2")
t1 = time.perf_counter(); bundled.ngss_url("MS-LS1-6")
t2 = time.perf_counter()
catalog = Catalog()
for item in bundled.ccss_items():
    catalog.resolve(item.code)
t3 = time.perf_counter()
print(json.dumps({"ccss_first_ms": (t1 - t0) * 1e3, "ngss_first_ms": (t2 - t1) * 1e3,
                  "resolve_all_ms": (t3 - t2) * 1e3}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", PROBE], check=True,
                                  capture_output=True, text=True).stdout)
        for _ in range(args.repeat)
    ]  # fmt: skip
    for key in runs[0]:
        print(f"{key}: median {statistics.median(r[key] for r in runs):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
