"""Regular expressions compiled the first time they are used.

A module-level ``re.compile`` runs whenever its module is imported, so every
build pays for the patterns of input it may never meet (a table, a standard
written as a web address, tags nested a hundred deep) and of work it may not
do (feed.xml made again). ``lazy_compile`` keeps the pattern and compiles it on
first use: 0.03 to 0.4 ms each, 2.7 ms of an edit build of the benchmark
corpus (benchmarks/startup.py; docs/decisions.md). A pattern every build uses
stays a plain ``re.compile``.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    """Stands in for the compiled pattern: the first use of an attribute compiles
    it (re's own cache makes that once) and keeps the attribute, so later uses
    (``p.sub``) are plain attribute lookups, as on a compiled pattern."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only called for attributes not kept yet
        if name == "args":  # (not set yet: a copy being made)
            raise AttributeError(name)
        value = getattr(re.compile(*self.args), name)
        setattr(self, name, value)
        return value


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the result is first used. Use its
    methods and attributes (``p.sub(...)``), not ``re.sub(p, ...)`` or ``isinstance``."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
