"""Build-wide: one badge per credential, and endorsement files given to what they endorse.

Each file in ``badges/`` is read on its own (reader.py); this puts them together:

- files holding the same credential (the same JSON, whatever the container: a
  PNG and an SVG bake, the same assertion twice) and checked alike (same
  status and reason) become one badge whose ``other_files`` are offered for
  download too; the first by name is the one shown. A copy whose check came
  out otherwise (a broken signature on the same content) stays a badge of its own;
- an OB 3.0 EndorsementCredential file, under any name, is attached to the
  badge whose award, achievement or issuer it names, or warned about.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ..diagnostics import WARNING, Diagnostic
from .model import About, Badge, Endorsement


def combine(badges: list[Badge]) -> tuple[list[Badge], list[Diagnostic]]:
    diags: list[Diagnostic] = []
    endorsement_files = [b for b in badges if b.endorses is not None]
    out: list[Badge] = []
    copies: dict[str, list[Badge]] = {}
    for badge in badges:
        if badge.endorses is not None:
            continue
        if badge.digest is None:
            out.append(badge)
        else:  # a copy whose check came out differently (a broken signature) stays apart
            group = copies.setdefault(_key(badge), [])
            if not group:
                out.append(badge)  # its place, filled in below
            group.append(badge)
    for i, badge in enumerate(out):
        group = copies.get(_key(badge), []) if badge.digest else []
        if len(group) > 1:
            group.sort(key=lambda b: b.file)
            first = group[0]
            out[i] = dataclasses.replace(
                first,
                other_files=tuple(sorted(b.file for b in group[1:])),
                endorsements=_unique(e for b in group for e in b.endorsements),
            )
    for file in endorsement_files:
        endorsement = file.endorses
        assert endorsement is not None
        subject, found = file.id, False
        for i, badge in enumerate(out):
            about = _about(subject, badge)
            if about is not None:
                found = True
                given = dataclasses.replace(endorsement, about=about)
                out[i] = dataclasses.replace(badge, endorsements=(*badge.endorsements, given))
        if not found:
            diags.append(
                Diagnostic(
                    f"badges/{file.file}",
                    None,
                    WARNING,
                    f"this endorsement is of {subject or 'nothing it names'}, which is not a "
                    "badge, achievement or issuer of any badge here; it is not shown",
                )
            )
    return out, diags


def _key(badge: Badge) -> str:
    return f"{badge.digest}:{badge.verification.status}:{badge.verification.reason}"


def _about(subject: str | None, badge: Badge) -> About | None:
    if not subject:
        return None
    pairs: tuple[tuple[About, str | None], ...] = (
        ("award", badge.id),
        ("badge", badge.badge_class_url),
    )
    for about, ident in pairs:
        if ident == subject:
            return about
    return "issuer" if badge.issuer.id == subject else None


def _unique(items: Iterable[Endorsement]) -> tuple[Endorsement, ...]:
    out: list[Endorsement] = []
    for e in items:
        if e not in out:
            out.append(e)
    return tuple(out)
