"""Markdown rendering alone: CPU per page, and the same output as another checkout.

    .venv/bin/python benchmarks/markdown_render.py time [--corpus DIR]
    PYTHONPATH=OTHER .venv/bin/python benchmarks/markdown_render.py dump A.pickle
    .venv/bin/python benchmarks/markdown_render.py dump B.pickle
    .venv/bin/python benchmarks/markdown_render.py compare A.pickle B.pickle

``time`` renders every source of the corpus (front matter split off as a build
does) once in this process with one renderer, and prints the CPU seconds and
the milliseconds per page: run it in turns with another checkout (PYTHONPATH)
and compare medians. ``dump`` renders the corpus, the demo portfolio, the
Markdown under tests/ and the aimed input of tests/content/test_fast_paths.py
and saves every Rendered field; ``compare`` says which sources differ.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / ".work" / "corpus-1000" / "portfolio"


def sources(corpus: Path, everything: bool) -> list[tuple[str, str, int]]:
    """(text, content path, line offset) of each source, as the build renders them."""
    from portfolio_gen.content import frontmatter

    roots = [corpus, HERE.parent / "content", HERE.parent / "tests"] if everything else [corpus]
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            try:
                source = frontmatter.split(path.read_text("utf-8").replace("\r\n", "\n"))
            except (frontmatter.FrontMatterProblem, UnicodeDecodeError):
                continue
            found.append((source.body, path.relative_to(root).as_posix(), source.body_line - 1))
    if everything:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from content.test_fast_paths import AIMED

        found += [(text, "projects/a/index.md", 3) for text in AIMED]
    return found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["time", "dump", "compare"])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    if args.command == "compare":
        a, b = (pickle.loads(f.read_bytes()) for f in args.files)
        differ = [x[0] for x, y in zip(a, b, strict=True) if x != y]
        print(f"{len(a)} sources, {len(differ)} differ", *differ[:20], sep="\n")
        return 1 if differ else 0
    from portfolio_gen.content.markdown import MarkdownRenderer

    everything = args.command == "dump"
    texts = sources(args.corpus.resolve(), everything)
    renderers = [MarkdownRenderer()] + (
        [MarkdownRenderer(allow_raw_html=True)] if everything else []
    )
    out = []
    start = time.process_time()
    for md in renderers:
        for text, path, offset in texts:
            r = md.render(text, path, offset)
            fields = (r.html, r.summary, r.links, r.images, r.problems, r.sources, r.code_html)
            out.append((path, fields))
    seconds = time.process_time() - start
    if args.command == "dump":
        args.files[0].write_bytes(pickle.dumps(out))
        print(f"{len(out)} renderings saved to {args.files[0]}")
    else:
        print(
            f"{len(texts)} pages, {seconds:.3f} s CPU, {seconds / len(texts) * 1000:.3f} ms a page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
