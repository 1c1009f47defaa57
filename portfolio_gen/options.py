"""What a build is asked to do (the command-line options) and what it did:
shared by the full build (build.py) and the quick one (quick.py)."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostics
from .lazy_dataclass import dataclass

if TYPE_CHECKING:
    from .site.graph import Portfolio


@dataclass
class Options:
    """How to build: the command-line options."""

    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    online: bool = False
    jobs: int | None = None
    check_only: bool = False
    cache: bool = True
    reading_peer: bool = False  # a peer read for site/network.py: its own network is not read
    # after edits to projects' text only, quick.py's way (then Result.portfolio is None)
    quick: bool = True


@dataclass
class Result:
    """What a build did and found."""

    diagnostics: Diagnostics
    out: Path | None = None
    pages: int = 0
    rendered: int = 0
    files: int = 0
    seconds: float = 0.0
    portfolio: Portfolio | None = None
    notes: list[str] = field(default_factory=list)
    strict_failed: bool = False
    drafts: list[str] = field(default_factory=list)  # sources of drafts left out
    without_base_url: bool = False  # (then cli says how to look at the site)

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors) or self.strict_failed
