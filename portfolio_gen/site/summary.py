"""site/portfolio.json (schema portfolio-gen/1): the graph, machine-readable."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..content.feedback import count as feedback_count
from .graph import Portfolio
from .network import published_network

if TYPE_CHECKING:
    from ..badges.model import Badge

SCHEMA = "portfolio-gen/1"


def portfolio_json(portfolio: Portfolio) -> dict[str, Any]:
    config = portfolio.config
    return {
        "schema": SCHEMA,
        "generator": f"portfolio-gen {__version__}",
        "title": config.title,
        "learner": {"name": config.learner.name, "bio": config.learner.bio},
        "projects": [
            {
                "slug": p.slug,
                "title": p.title,
                "url": p.url,
                "date": p.date.isoformat(),
                "summary": p.summary,
                "interests": list(p.interests),
                "setting": p.setting,
                "standards": sorted(
                    {node.code for _, node in portfolio.project_standards.get(p.slug, []) if node}
                ),
                "badges": sorted(b.slug for b in portfolio.project_badges.get(p.slug, [])),
                "collaborators": [{"name": c.name, "url": c.url} for c in p.collaborators],
                "feedback": feedback_count(p.feedback),
            }
            for p in portfolio.projects
        ],
        "badges": [_badge(b) for b in portfolio.badges],
        "standards": [
            {
                "code": node.code,
                "framework": node.standard.framework,
                "statement": node.standard.statement,
                "url": node.standard.url,
                "evidence": [{"type": e.kind, "slug": e.slug} for e in node.evidence],
                "page": node.url,
                "reviews": [_review(r) for r in node.reviews],  # additive: teacher reviews
            }
            for node in portfolio.standards
        ],
        # Additions to schema 1 (docs/portfolio-json.md): readers ignore keys they do not know.
        "base_url": config.base_url,
        "interests": [i.name for i in portfolio.interests],
        "network": published_network(portfolio),
    }


def _review(review: Any) -> dict[str, Any]:
    """A teacher review as listed (imported here: only a portfolio with reviews has any)."""
    from ..standards.reviews import published

    return published(review)


def _badge(badge: Badge) -> dict[str, Any]:
    return {
        "slug": badge.slug,
        "file": badge.file,
        "name": badge.name,
        "issuer": {"name": badge.issuer.name, "url": badge.issuer.url},
        "issued_on": badge.issued_on.isoformat() if badge.issued_on else None,
        "expires": badge.expires.isoformat() if badge.expires else None,
        "spec": badge.spec,
        "verification": {"status": badge.verification.status, "reason": badge.verification.reason},
        "alignments": [
            {"name": a.name, "url": a.url, "code": a.code, "framework": a.framework}
            | ({"description": a.description} if a.description else {})
            for a in badge.alignments
        ],
        "evidence": [{"url": e.url, "narrative": e.narrative} for e in badge.evidence],
        # additive (issue 19): OB 3.0 display fields
        "achievement_type": badge.achievement_type,
        "credits_available": badge.credits_available,
        "results": [{"name": r.name, "value": r.value} for r in badge.results],
        # additive (issue 19): every file holding the credential; when its status was checked
        "files": list(badge.files),
        "checked": badge.checked.isoformat() if badge.checked else None,
        "issuer_image": (
            f"badges/{badge.slug}/{badge.issuer_image_file}" if badge.issuer_image_file else None
        ),
    }


def dumps(data: dict[str, Any]) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)`` and a newline, without
    the standard library's pure-Python encoder (the one it takes for ``indent``):
    ~25 -> ~10 ms at 1,000 projects, measured. A value of any other type than
    those below (a subclass, a float that is not finite) is written the standard way."""
    parts: list[str] = []
    try:
        _encode(data, parts, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return "".join(parts) + "\n"


class _Unusual(Exception):
    pass


_string = json.encoder.encode_basestring  # (json's own, in C, for ensure_ascii=False)
_SCALARS = {
    type(None): lambda _: "null",
    bool: lambda b: "true" if b else "false",
    int: int.__repr__,
}


def _encode(value: Any, out: list[str], newline: str) -> None:
    """``value`` as JSON at the indentation of ``newline`` ("\\n" and its spaces)."""
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif kind is dict:
        inner, separator = newline + "  ", "{"
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(f"{separator}{inner}{_string(key)}: ")
            _encode(item, out, inner)
            separator = ","
        out.append(newline + "}" if value else "{}")
    elif kind is list or kind is tuple:
        inner, separator = newline + "  ", "["
        for item in value:
            out.append(separator + inner)
            _encode(item, out, inner)
            separator = ","
        out.append(newline + "]" if value else "[]")
    elif kind in _SCALARS:
        out.append(_SCALARS[kind](value))
    elif kind is float and math.isfinite(value):
        out.append(float.__repr__(value))
    else:
        raise _Unusual
