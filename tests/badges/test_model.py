from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support.badge_factory import badge_class, issuer_profile, ob2_assertion, ob3_credential

from portfolio_gen.badges.model import (
    Alignment,
    DateError,
    Evidence,
    Verification,
    detect_spec,
    not_a_badge_reason,
    parse_date,
    slugify,
)
from portfolio_gen.badges.normalise import normalise_ob2, normalise_ob3, vc_from_jwt_payload


def nothing(url: str, what: str) -> dict[str, Any] | None:
    return None


def test_detect_spec_from_content() -> None:
    assert detect_spec(ob3_credential("did:example:x")) == "ob3"
    assert detect_spec(ob3_credential("did:example:x", vc1=True)) == "ob3"
    assert detect_spec(ob2_assertion()) == "ob2"
    assert detect_spec({"recipient": "a@b.org", "badge": {}}) == "ob1"
    assert detect_spec({"@context": "https://w3id.org/openbadges/v1", "uid": "1"}) == "ob1"
    assert detect_spec({"name": "x"}) is None


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        (badge_class(), "a badge description (BadgeClass/Achievement), not a badge awarded"),
        (issuer_profile(), "an issuer profile, not a badge"),
        ({"hello": 1}, "no Open Badges or Verifiable Credentials @context"),
        ([1, 2], "it is a list, not an object"),
    ],
)
def test_not_a_badge_reasons(doc: Any, words: str) -> None:
    assert words in not_a_badge_reason(doc)


def test_parse_date_forms() -> None:
    assert parse_date("2026-03-14") == dt.date(2026, 3, 14)
    assert parse_date("2026-03-14T23:30:00-05:00") == dt.date(2026, 3, 15)  # UTC
    assert parse_date("2026-03-14T10:00:00.123456789Z") == dt.date(2026, 3, 14)
    assert parse_date(1773446400) == dt.date(2026, 3, 14)  # 1.x Unix timestamp
    assert parse_date("1773446400") == dt.date(2026, 3, 14)
    assert parse_date(None) is None
    for bad in ("next tuesday", "2026-13-45", True, ["2026-01-01"]):
        with pytest.raises(DateError):
            parse_date(bad)


def test_ob2_embedded_badge_class_and_issuer() -> None:
    f = normalise_ob2(ob2_assertion(), nothing)
    assert (f.spec, f.name, f.issuer.name, f.issuer.url) == (
        "ob2",
        "Maker Level 1",
        "Hive Maker Club",
        "https://hive-maker.example.org",
    )
    assert f.issued_on == dt.date(2026, 3, 14)
    assert f.criteria_narrative == "Build a machine that moves and explain how."
    assert f.alignments == [
        Alignment(
            name="MS-ETS1-4",
            url="https://www.nextgenscience.org/pe/ms-ets1-4-engineering-design",
            code="MS-ETS1-4",
            framework="NGSS",
        )
    ]
    assert f.evidence == [
        Evidence(
            url="https://maya-r.github.io/portfolio/projects/robot-arm/",
            narrative="Built a cardboard hydraulic arm.",
        )
    ]
    assert f.tags == ["robotics", "making"]
    assert f.recipient_kind == "email (hashed)"
    assert f.hosted_url == "https://hive-maker.example.org/assertions/42.json"
    assert f.missing == [] and f.problems == []


def test_ob2_badge_class_by_url_offline_lists_what_is_missing() -> None:
    f = normalise_ob2(ob2_assertion(embedded=False), nothing)
    assert f.name is None
    assert f.missing == [
        "badge class (only a URL: https://hive-maker.example.org/badges/maker-1.json)"
    ]


def test_ob2_badge_class_resolved_then_issuer_by_url() -> None:
    asked: list[tuple[str, str]] = []

    def resolve(url: str, what: str) -> dict[str, Any] | None:
        asked.append((url, what))
        return badge_class() if what == "badge class" else None

    f = normalise_ob2(ob2_assertion(embedded=False), resolve)
    assert f.name == "Maker Level 1"
    assert asked[1] == ("https://hive-maker.example.org/issuer.json", "issuer")
    assert f.missing == ["issuer (only a URL: https://hive-maker.example.org/issuer.json)"]
    assert f.issuer.url == "https://hive-maker.example.org/issuer.json"


def test_ob2_evidence_forms_and_bad_dates() -> None:
    doc = ob2_assertion(evidence="https://example.org/e", issuedOn="soon", expires="never")
    f = normalise_ob2(doc, nothing)
    assert f.evidence == [Evidence(url="https://example.org/e")]
    assert f.warnings == ["its 'issuedOn' ('soon') is not a date"]
    assert f.problems == ["its 'expires' ('never') is not a date"]


def test_ob1_0_5_and_1_0_shapes() -> None:
    v05 = {
        "recipient": "sha256$abc",
        "salt": "s",
        "issued_on": "2012-05-01",
        "badge": {
            "version": "0.5.0",
            "name": "Old Timer",
            "image": "/img.png",
            "description": "An early badge",
            "criteria": "https://example.org/criteria",
            "issuer": {"origin": "https://example.org", "name": "Example", "org": "Club"},
        },
    }
    f = normalise_ob2(v05, nothing, "ob1")
    assert (f.name, f.issuer.name, f.issuer.url) == (
        "Old Timer",
        "Example (Club)",
        "https://example.org",
    )
    assert f.issued_on == dt.date(2012, 5, 1)
    assert f.recipient_kind == "email (hashed)"
    v10 = {
        "uid": "1",
        "recipient": {"type": "email", "hashed": False, "identity": "a@b.org"},
        "badge": {
            "name": "One",
            "description": "d",
            "criteria": "https://e.org/c",
            "issuer": {"name": "E", "url": "https://e.org"},
            "alignment": [{"name": "CCSS.ELA-Literacy.RST.6-8.3", "url": "https://e.org/rst"}],
        },
        "verify": {"type": "hosted", "url": "https://e.org/a/1"},
        "issuedOn": 1359217910,
    }
    f = normalise_ob2(v10, nothing, "ob1")
    assert f.alignments == [Alignment(name="CCSS.ELA-Literacy.RST.6-8.3", url="https://e.org/rst")]
    assert f.hosted_url == "https://e.org/a/1"
    assert f.issued_on == dt.date(2013, 1, 26)


def test_ob3_vc2_fields() -> None:
    cred = ob3_credential("did:example:x", valid_until="2030-01-01T00:00:00Z")
    cred["credentialSubject"]["achievement"]["name"] = {"en": "Maze Coder", "es": "Laberinto"}
    f = normalise_ob3(cred, nothing)
    assert f.name == "Maze Coder"
    assert (f.issued_on, f.expires) == (dt.date(2026, 4, 2), dt.date(2030, 1, 1))
    assert f.issuer.name == "Eastside Library Code Club"
    assert f.issuer.url == "https://eastside-library.example.org"
    assert f.alignments[0].code == "CCSS.Math.Content.8.F.A.1"
    assert f.alignments[0].target_type == "CFItem"
    assert f.tags == ["coding", "games"]
    assert f.achievement_type == "Badge"
    assert f.recipient_kind == "email (hashed)"
    assert f.evidence[0].name == "Maze game"


def test_ob3_vc11_dates_and_awarded_date() -> None:
    cred = ob3_credential("did:example:x", vc1=True, valid_until="2027-05-01T00:00:00Z")
    cred["credentialSubject"]["awardedDate"] = "2026-03-30T00:00:00Z"
    f = normalise_ob3(cred, nothing)
    assert (f.issued_on, f.valid_from, f.expires) == (
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 2),
        dt.date(2027, 5, 1),
    )


def test_ob3_incomplete_and_achievement_by_url() -> None:
    f = normalise_ob3({"@context": ["https://www.w3.org/ns/credentials/v2"]}, nothing)
    assert "it has no 'credentialSubject'" in f.problems and "it names no issuer" in f.problems
    cred = ob3_credential("https://e.org/issuer")
    cred["credentialSubject"]["achievement"] = "https://e.org/achievements/1"
    f = normalise_ob3(cred, nothing)
    assert f.missing == ["achievement (only a URL: https://e.org/achievements/1)"]


@pytest.mark.parametrize(
    ("achievement", "problem", "missing"),
    [
        (None, True, []),
        ("", True, []),
        ("   ", True, []),
        (7, True, []),
        (
            "https://e.org/achievements/1",
            False,
            ["achievement (only a URL: https://e.org/achievements/1)"],
        ),
        ({"type": ["Achievement"], "name": "Maker"}, False, []),
    ],
)
def test_ob3_achievement_given_named_or_missing(achievement, problem, missing) -> None:
    cred = ob3_credential("https://e.org/issuer")
    if achievement is None:
        del cred["credentialSubject"]["achievement"]
    else:
        cred["credentialSubject"]["achievement"] = achievement
    f = normalise_ob3(cred, nothing)
    assert ("its credentialSubject has no 'achievement'" in f.problems) is problem
    assert f.missing == missing


@pytest.mark.parametrize(
    ("criteria", "url", "narrative"),
    [
        ("https://e.org/criteria", "https://e.org/criteria", None),
        ({"id": "https://e.org/c", "narrative": "Make it."}, "https://e.org/c", "Make it."),
        ({"narrative": "Make it."}, None, "Make it."),
    ],
)
def test_criteria_as_an_address_or_an_object_in_both_specs(criteria, url, narrative) -> None:
    ob2 = ob2_assertion()
    ob2["badge"]["criteria"] = criteria
    cred = ob3_credential("https://e.org/issuer")
    cred["credentialSubject"]["achievement"]["criteria"] = criteria
    for f in (normalise_ob2(ob2, nothing), normalise_ob3(cred, nothing)):
        assert (f.criteria_url, f.criteria_narrative) == (url, narrative)


def test_vc_jwt_claims_fill_in_the_credential() -> None:
    cred = ob3_credential("did:example:x", vc1=True)
    del cred["issuer"], cred["id"], cred["issuanceDate"]
    out, problems = vc_from_jwt_payload(
        {
            "vc": cred,
            "iss": "did:example:x",
            "jti": "urn:uuid:1",
            "nbf": 1773446400,
            "exp": 1804982400,
        }
    )
    assert problems == []
    assert (out["issuer"], out["id"]) == ("did:example:x", "urn:uuid:1")
    assert out["issuanceDate"] == "2026-03-14T00:00:00Z"
    assert out["expirationDate"] == "2027-03-14T00:00:00Z"
    bare, problems = vc_from_jwt_payload(cred)
    assert bare is cred and problems == []


def test_slug_and_verification_status_check() -> None:
    assert slugify("Maker Level_1 (copy)") == "maker-level-1-copy"
    assert slugify("___").startswith("item-")  # one slug function: validate.slugify
    with pytest.raises(ValueError, match="unknown verification status"):
        Verification("ok", "fine")


def test_normalising_reports_through_the_one_reporter() -> None:
    """Fields collects with schema.Reporter: errors fail the badge, warnings are said."""
    doc = ob3_credential("did:example:x")
    doc["validUntil"], doc["credentialSubject"]["awardedDate"] = "never", "soon"
    del doc["issuer"]
    f = normalise_ob3(doc, nothing)
    assert [(d.severity, d.message) for d in f.report.diagnostics] == [
        ("error", "it names no issuer"),
        ("error", "its 'validUntil' ('never') is not a date"),
        ("warning", "its 'awardedDate' ('soon') is not a date"),
    ]
    assert f.problems == ["it names no issuer", "its 'validUntil' ('never') is not a date"]
    assert f.warnings == ["its 'awardedDate' ('soon') is not a date"]
