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

from .identities import DEFAULT_CACHE_DIR, recipient_identities
from .model import STATUSES, Alignment, Badge, Endorsement, Evidence, Issuer, Verification
from .reader import BADGE_SUFFIXES, bake, is_badge_file, read_badge
from .verify import hash_identity

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
