"""The learner's recipient identities and the default badge cache folder.

Identities (e-mail addresses, URLs, DIDs) only check hashed badge recipients.
They come from ``PORTFOLIO_RECIPIENT`` (comma-separated) and the
``recipients:`` list of ``portfolio.local.yml``, never from a published file,
and are never written anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .. import validate as v
from .. import yamlio
from ..diagnostics import Diagnostics

ENV_VAR = "PORTFOLIO_RECIPIENT"
LOCAL_CONFIG = "portfolio.local.yml"
#: The badge cache folder, relative to the portfolio root (see docs/badges.md).
DEFAULT_CACHE_DIR = Path(".portfolio-cache") / "badges"


def recipient_identities(
    root: Path | None = None, environ: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """(identities, problems): from the environment and ``root/portfolio.local.yml``.

    ``problems`` are one-line messages about an unreadable local file. The
    config reads them with :func:`read_identities` too (one place decides
    where identities live).
    """
    diagnostics = Diagnostics(Path(root) if root is not None else None)
    found = read_identities(Path(root) if root is not None else None, diagnostics, environ)
    return found, [str(d) for d in diagnostics.sorted()]


def read_identities(
    root: Path | None, diagnostics: Diagnostics, environ: Mapping[str, str] | None = None
) -> list[str]:
    """The learner's recipient identities: never published, only used to check badges.

    From ``PORTFOLIO_RECIPIENT`` (comma-separated) and the ``recipients:``
    list of ``portfolio.local.yml``, in that order, without duplicates.
    """
    env = os.environ if environ is None else environ
    found = list(dict.fromkeys(i.strip() for i in env.get(ENV_VAR, "").split(",") if i.strip()))
    if root is None:
        return found
    local = root / LOCAL_CONFIG
    if local.is_file():
        try:
            located = yamlio.load(local.read_text(encoding="utf-8"), remember=False)
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.error(local, f"cannot read: {exc}")
            return found
        except yamlio.YAMLProblem as exc:
            diagnostics.error(local, exc.message, exc.line)
            return found
        yamlio.report_duplicates(located, local, diagnostics)
        data = located.data or {}
        raw = data.get("recipients", []) if isinstance(data, dict) else None
        try:
            found += [i for i in v.text_list(raw or []) if i not in found]
        except v.Invalid as exc:
            diagnostics.error(local, f"recipients: {exc}", located.line("recipients"))
    return found
