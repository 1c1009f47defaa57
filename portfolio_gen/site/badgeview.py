"""What a badge's verification says to whoever reads a published page.

The verifier's reasons (``Verification.reason``) are written for the learner:
they name keys, files and command-line options, and they are in English. They
stay in the terminal (the build's diagnostics). A page shows instead a status
in plain words, in the site's language, derived only from the status and from
data already on the badge: the date it was checked (the badge's own
``checked`` date when the verifier kept one, e.g. an online result read from
the cache, else the day of the build), its issuer, and where the issuer
describes it, for the viewer to confirm it there.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from markupsafe import Markup, escape

from ..lazy_dataclass import dataclass
from .i18n import Translations, bdi

SYMBOLS = {
    "verified": "✔",
    "unconfirmed": "◐",
    "unverified": "?",
    "failed": "✖",
    "expired": "⌛",
    "revoked": "⊘",
    "unreadable": "!",
}

# One sentence per status for a badge, and for an endorsement of one. {date}: when
# it was checked; {issuer}: the issuer's (endorser's) name; {expires}: its end date.
BADGE_SENTENCES = {
    "verified": "Checked on {date}: this badge is authentic and unchanged since {issuer} issued it.",
    "unconfirmed": "Checked on {date}: this badge is unchanged since it was signed, but nothing yet shows that the key that signed it belongs to {issuer}.",
    "unverified": "This badge could not be checked when this site was built, on {date}.",
    "failed": "Checked on {date}: this badge did not pass its check; it may have been changed, or may not belong to this learner.",
    "expired": "Checked on {date}: this badge expired on {expires}.",
    "revoked": "Checked on {date}: {issuer} has withdrawn this badge.",
    "unreadable": "The badge file could not be read when this site was built, on {date}.",
}  # fmt: skip
EXPIRED_UNDATED = "Checked on {date}: this badge has expired."
ENDORSEMENT_SENTENCES = {
    "verified": "Checked on {date}: this endorsement is authentic.",
    "unconfirmed": "Checked on {date}: this endorsement is unchanged since it was signed, but nothing yet shows that the key that signed it belongs to {issuer}.",
    "unverified": "This endorsement could not be checked when this site was built, on {date}.",
    "failed": "Checked on {date}: this endorsement did not pass its check.",
    "expired": "Checked on {date}: this endorsement has expired.",
    "revoked": "Checked on {date}: {issuer} has withdrawn this endorsement.",
    "unreadable": "This endorsement could not be read when this site was built, on {date}.",
}  # fmt: skip
# Statuses a viewer can do something about: confirm the badge where its issuer shows it.
ACTIONABLE = frozenset({"unconfirmed", "unverified", "failed", "unreadable"})
BADGE_ACTION = "You can confirm this badge on {issuer}'s page for it."
ISSUER_ACTION = "You can ask {issuer} about this badge on its site."
ENDORSEMENT_ACTION = "You can ask {issuer} about it on its site."
# Names the badge reader gives when a credential names nobody (badges/model.py,
# badges/normalise.py, badges/endorsements.py, site/network.py): shown in the site's language.
UNKNOWN_NAMES = ("Unknown issuer", "Unknown endorser")


def strings() -> list[str]:
    """Every English string this module passes to the catalog (for site/messages.py)."""
    return [
        *BADGE_SENTENCES.values(),
        EXPIRED_UNDATED,
        *ENDORSEMENT_SENTENCES.values(),
        BADGE_ACTION,
        ISSUER_ACTION,
        ENDORSEMENT_ACTION,
        *UNKNOWN_NAMES,
    ]


@dataclass(frozen=True)
class StatusView:
    """A badge's verification status as a page shows it."""

    status: str  # one of badges.model.STATUSES
    symbol: str  # a mark for sighted readers (aria-hidden)
    label: str  # "Verified", in the site's language
    sentence: Markup  # what the status means and when it was checked
    checked: _dt.date
    issuer: str  # the issuer's (endorser's) name, "Unknown issuer" in the site's language
    action: Markup | None = None  # a sentence to act on, its link text in it
    action_url: str | None = None


def _web(url: Any) -> str | None:
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def _date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    return value if isinstance(value, _dt.date) else None


class BadgeViews:
    """``badge_status(badge)`` and ``badge_status(endorsement)`` for templates."""

    def __init__(self, t: Translations, today: _dt.date) -> None:
        self.t = t
        self.today = today

    def name(self, value: Any) -> str:
        """An issuer's name, with the reader's "Unknown issuer" in the site's language."""
        text = value if isinstance(value, str) and value else "Unknown issuer"
        return self.t(text) if text in UNKNOWN_NAMES else text

    def __call__(self, item: Any) -> StatusView:
        verification = getattr(item, "verification", None)
        status = getattr(verification, "status", None)
        from ..badges.model import STATUSES  # here: a site without badges needs no badge model

        status = status if status in STATUSES else "unverified"
        checked = (
            _date(getattr(verification, "checked", None))
            or _date(getattr(item, "checked", None))
            or self.today
        )
        values = {"date": bdi(self.t.date(checked))}
        if hasattr(item, "slug"):  # a badge
            issuer = getattr(item, "issuer", None)
            name = self.name(getattr(issuer, "name", None))
            expires = _date(getattr(item, "expires", None))
            text = BADGE_SENTENCES[status]
            if status == "expired" and expires is None:
                text = EXPIRED_UNDATED
            values["expires"] = bdi(self.t.date(expires))
            # the issuer's page about the badge: its criteria (a page for people), else
            # the badge class's address (often JSON, still the issuer's own word)
            page = _web(getattr(item, "criteria_url", None)) or _web(
                getattr(item, "badge_class_url", None)
            )
            home = _web(getattr(issuer, "url", None))
            action, url = (BADGE_ACTION, page) if page else (ISSUER_ACTION, home)
        else:  # an endorsement
            name = self.name(getattr(item, "issuer", None))
            text = ENDORSEMENT_SENTENCES[status]
            action, url = ENDORSEMENT_ACTION, _web(getattr(item, "issuer_url", None))
        values["issuer"] = bdi(name)
        shown: Markup | None = None
        if status in ACTIONABLE and url is not None:
            link = Markup('<a href="{}">{}</a>').format(url, bdi(name))
            shown = escape(self.t(action, issuer=link))
        else:
            url = None
        return StatusView(
            status=status,
            symbol=SYMBOLS[status],
            label=self.t(status.capitalize()),
            sentence=escape(self.t(text, **values)),
            checked=checked,
            issuer=name,
            action=shown,
            action_url=url,
        )
