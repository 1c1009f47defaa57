"""site/badgeview.py: what a badge's status says to whoever reads the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from portfolio_gen.badges.model import STATUSES, Endorsement, Issuer, Verification, unreadable
from portfolio_gen.site.badgeview import BadgeViews
from portfolio_gen.site.i18n import Translations
from portfolio_gen.site.themes import builtin_themes

BUILT = dt.date(2026, 3, 14)
REASON = (
    "This hosted badge can only be checked on the issuer's server (run with --online to check it)."
)


def badge(status: str, **changes):
    base = unreadable("creek.png", REASON)
    issuer = Issuer(name="Mill Creek Council", url="https://millcreek.example.org")
    fields = {"name": "Creek Watcher", "issuer": issuer, **changes}
    return dataclasses.replace(base, verification=Verification(status, REASON), **fields)


def views(language: str = "en") -> BadgeViews:
    return BadgeViews(Translations(builtin_themes() / "default", language), BUILT)


@pytest.mark.parametrize("language", ["en", "es", "ar"])
@pytest.mark.parametrize("status", STATUSES)
def test_every_status_has_a_sentence_without_the_verifiers_words(status, language):
    view = views(language)(badge(status, expires=dt.date(2026, 1, 1)))
    text = re.sub(r"<[^>]+>", "", str(view.sentence) + str(view.action or ""))
    assert "--" not in text and "online" not in text and "portfolio-gen" not in text
    assert "{" not in text  # every placeholder filled
    assert view.label and view.symbol and view.checked == BUILT
    if status != "expired" or language != "ar":
        assert {"en": "March 14, 2026", "es": "14 de marzo de 2026", "ar": "14 مارس 2026"}[
            language
        ] in text


def test_a_hosted_badge_tells_the_viewer_where_to_confirm_it():
    view = views("es")(badge("unverified", badge_class_url="https://millcreek.example.org/b/1"))
    assert view.label == "Sin verificar"
    assert str(view.sentence) == (
        "Esta insignia no se pudo comprobar cuando se construyó este sitio, "
        "el <bdi>14 de marzo de 2026</bdi>."
    )
    assert view.action_url == "https://millcreek.example.org/b/1"
    assert str(view.action) == (
        "Puedes confirmar esta insignia en la página que "
        '<a href="https://millcreek.example.org/b/1"><bdi>Mill Creek Council</bdi></a> le dedica.'
    )


def test_without_a_badge_page_the_issuers_site_and_never_a_script_link():
    view = views()(badge("failed", criteria_url="javascript:alert(1)"))
    assert view.action_url == "https://millcreek.example.org"
    assert "about this badge on its site" in str(view.action)
    both = {"criteria_url": "https://m.example.org/c", "badge_class_url": "https://m.example.org/b"}
    assert views()(badge("unverified", **both)).action_url == "https://m.example.org/c"
    nowhere = views()(badge("failed", issuer=Issuer(name="Unknown issuer", url="ftp://x")))
    assert nowhere.action is None and nowhere.action_url is None


def test_verified_badges_need_no_action_and_names_are_escaped():
    view = views()(badge("verified", issuer=Issuer(name="<script>x</script>")))
    assert view.action is None
    assert "<script>" not in str(view.sentence) and "&lt;script&gt;" in str(view.sentence)


@dataclasses.dataclass(frozen=True)
class Checked:
    """A badge as the verifier may give it: with the date an online check was made."""

    slug: str
    issuer: Issuer
    verification: Verification
    checked: dt.date


def test_the_date_checked_is_the_badges_own_when_it_has_one():
    item = Checked("b", Issuer(name="Club"), Verification("verified", REASON), dt.date(2026, 2, 1))
    view = views()(item)
    assert view.checked == dt.date(2026, 2, 1)
    assert str(view.sentence) == (
        "Checked on <bdi>February 1, 2026</bdi>: this badge is authentic and unchanged "
        "since <bdi>Club</bdi> issued it."
    )


def test_unknown_names_and_endorsements_in_the_sites_language():
    view = views("es")(badge("unconfirmed", issuer=Issuer(name="Unknown issuer")))
    assert view.issuer == "Emisor desconocido"
    endorsement = Endorsement(issuer="Unknown endorser", issuer_url="https://museum.example.org")
    seen = views("es")(endorsement)
    assert seen.status == "unverified" and seen.issuer == "Respaldante desconocido"
    assert "Este respaldo no se pudo comprobar" in str(seen.sentence)
    assert 'href="https://museum.example.org"' in str(seen.action)
