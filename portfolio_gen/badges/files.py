"""Which files in ``badges/`` are badges, and which are sidecars beside them.

Imports nothing heavy: every build asks this, even one that reads no badge.
"""

from __future__ import annotations

from pathlib import Path

BADGE_SUFFIXES = (".png", ".svg", ".json", ".jws", ".jwt")
ENDORSEMENT_SUFFIXES = (".endorsement.json", ".endorsement.jwt", ".endorsement.jws")
SIDECAR_SUFFIXES = (".badgeclass.json", ".achievement.json", ".issuer.json", ".key.pem")
SIDECAR_SUFFIXES += ENDORSEMENT_SUFFIXES  # badges/endorsements.py


def is_badge_file(path: Path) -> bool:
    """True for .png .svg .json .jws .jwt files that are not sidecars or hidden files."""
    name = path.name.lower()
    if name.startswith(".") or not name.endswith(BADGE_SUFFIXES):
        return False
    return not name.endswith(SIDECAR_SUFFIXES)
