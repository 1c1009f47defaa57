"""Portfolio entries as written in portfolio.yml's ``network:`` and HUB.yml's
``members:``: each a folder (relative to the file) or the web address of a
published portfolio.json. Only their form is checked here; reading what they
point at is :mod:`portfolio_gen.contract` (portfolio.json) and
:mod:`portfolio_gen.site.network` (the peers).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from . import validate as v


class Reporter(Protocol):
    """Where a problem is said, with the key path it is under (schema.Reporter)."""

    def bad(self, key: tuple[str | int, ...], message: str) -> None: ...


def portfolio_entries(
    value: Any, report: Reporter, key: str, expected: str, *, single: bool = False
) -> tuple[str, ...]:
    """A list of portfolio folders or portfolio.json addresses under ``key``
    (``network:`` in portfolio.yml, ``members:`` in HUB.yml); ``single``
    accepts one entry written without a list."""
    if single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.bad((key,), f"expected a list of {expected}, got {v.describe(value)}")
        return ()
    entries: list[str] = []
    for i, item in enumerate(value):
        try:
            entries.append(check_entry(item))
        except v.Invalid as exc:
            report.bad((key, i), str(exc))
    return tuple(entries)


def config_entries(value: Any, report: Reporter) -> tuple[str, ...]:
    """``network:`` in portfolio.yml."""
    expected = "peers' portfolios (folders or portfolio.json web addresses)"
    return portfolio_entries(value, report, "network", expected, single=True)


def check_entry(item: Any) -> str:
    """A folder (relative) or an http(s) address; raises ``validate.Invalid``."""
    text = v.text(item)
    if "://" in text:
        return v.url(text)
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text):
        raise v.Invalid(
            f"{text!r} is an absolute path; write the folder relative to this file "
            "(e.g. ../jay-portfolio)"
        )
    return text
