"""Open Badges 1.x, 2.0 and 3.0: read, verify, show and bake.

Public API:

- :func:`read_badge` - one badge file -> (:class:`Badge`, diagnostics); never raises.
- :func:`is_badge_file` - which files in ``badges/`` are badges (not sidecars).
- :func:`bake` - put a credential into a PNG or SVG image.
- :func:`recipient_identities` - the learner's identities from the environment /
  ``portfolio.local.yml`` (never published).
- the model: :class:`Badge`, :class:`Issuer`, :class:`Alignment`,
  :class:`Evidence`, :class:`Verification`, :class:`Endorsement`.

See docs/badges.md for the formats, the statuses and the cache folder.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module that defines it. Imported on first use: reading and
# verifying badges needs cryptography, JSON-LD and the network modules, and a
# build that reads no badge should not pay for them (PEP 562).
_HOMES = {
    "BADGE_SUFFIXES": "files",
    "is_badge_file": "files",
    "DEFAULT_CACHE_DIR": "identities",
    "recipient_identities": "identities",
    "STATUSES": "model",
    "Alignment": "model",
    "Badge": "model",
    "Endorsement": "model",
    "Evidence": "model",
    "Issuer": "model",
    "Verification": "model",
    "bake": "reader",
    "read_badge": "reader",
    "hash_identity": "verify",
}

__all__ = [
    "BADGE_SUFFIXES",
    "DEFAULT_CACHE_DIR",
    "STATUSES",
    "Alignment",
    "Badge",
    "Endorsement",
    "Evidence",
    "Issuer",
    "Verification",
    "bake",
    "hash_identity",
    "is_badge_file",
    "read_badge",
    "recipient_identities",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found once
    return value
