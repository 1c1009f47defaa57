"""The learner's recipient identities and the default badge cache folder.

Identities (e-mail addresses, URLs, DIDs) only check hashed badge recipients.
They come from ``PORTFOLIO_RECIPIENT`` (comma-separated) and the
``recipients:`` list of ``portfolio.local.yml``, never from a published file,
and are never written anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "PORTFOLIO_RECIPIENT"
LOCAL_CONFIG = "portfolio.local.yml"
#: The badge cache folder, relative to the portfolio root (see docs/badges.md).
DEFAULT_CACHE_DIR = Path(".portfolio-cache") / "badges"


def recipient_identities(
    root: Path | None = None, environ: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """(identities, problems): from the environment and ``root/portfolio.local.yml``.

    ``problems`` are one-line messages about an unreadable local file. The
    reading itself is the config's (one place decides where identities live).
    """
    from ..config import read_identities
    from ..diagnostics import Diagnostics

    diagnostics = Diagnostics(Path(root) if root is not None else None)
    found = read_identities(Path(root) if root is not None else None, diagnostics, environ)
    return found, [str(d) for d in diagnostics.sorted()]
