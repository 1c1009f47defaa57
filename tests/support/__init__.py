"""What tests (and benchmarks) build fixtures with, beyond tests/helpers.py.

``corpus``: the deterministic portfolio generator (N projects; also Pelican and
MkDocs copies of it for the benchmarks). Tests import it as
``from support import corpus``; benchmarks/corpus.py loads it by that name.
"""
