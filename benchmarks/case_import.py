"""Benchmark reading a large CASE package (standards/case.py): parse, lines, checks.

    .venv/bin/python benchmarks/case_import.py [--items 20000] [--repeat 9]

Builds a CFPackage of ``--items`` coded items (each a child of the previous
tenth one, a pretty-printed file as CASE servers write it) and prints the
median wall-clock time of ``parse_case`` over ``--repeat`` runs, in one process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def package(count: int) -> str:
    doc = "d0000000-0000-4000-8000-000000000000"
    items, assocs = [], []
    for n in range(count):
        ident = f"00000000-0000-4000-8000-{n:012d}"
        items.append(
            {
                "identifier": ident,
                "uri": f"https://case.example.org/uri/{ident}",
                "humanCodingScheme": f"X.{n}",
                "CFItemType": "Standard",
                "fullStatement": f"Standard number {n}, stated in a sentence or two.",
                "educationLevel": ["07"],
            }
        )
        parent = f"00000000-0000-4000-8000-{n // 10:012d}" if n else doc
        assocs.append(
            {
                "identifier": f"a0000000-0000-4000-8000-{n:012d}",
                "associationType": "isChildOf",
                "originNodeURI": {"identifier": ident, "uri": "", "title": ""},
                "destinationNodeURI": {"identifier": parent, "uri": "", "title": ""},
                "sequenceNumber": n,
            }
        )
    document = {"identifier": doc, "title": "Benchmark", "uri": "https://case.example.org/d"}
    return json.dumps(
        {"CFDocument": document, "CFItems": items, "CFAssociations": assocs}, indent=2
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    from portfolio_gen.standards.case import parse_case

    text = package(args.items)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        framework, problems = parse_case(text, "bench.json")
        times.append(time.perf_counter() - start)
        assert framework is not None and framework.count == args.items, problems
    size = len(text.encode()) / 1e6
    print(f"parse_case: {args.items} items, {size:.1f} MB: {statistics.median(times) * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
