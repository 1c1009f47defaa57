"""Everything tests build fixtures with, in one package, imported one way:
``from support.<module> import ...`` (tests/ is on ``sys.path``: pytest puts the
folder of the top-level conftest.py there).

- ``helpers``: fixture portfolios from a dict of files, parsed HTML, site JSON;
- ``badge_factory``: baked badges of every format, signed and forged;
- ``media_factory``: pictures, audio and video files made on the fly;
- ``browser``: headless Chromium (Playwright) over a served folder;
- ``served``: ``portfolio-gen serve`` run in a thread, for live-reload tests;
- ``sites``, ``checkers``: the sites the browser checks open, axe-core and the Nu checker;
- ``corpus``: the deterministic portfolio generator (N projects; also Pelican and
  MkDocs copies of it for the benchmarks: benchmarks/corpus.py loads it by path).
"""
