"""OB 3.0 display fields: results, achievement type, credits, alignment descriptions."""

from __future__ import annotations

import json
from pathlib import Path

from support.badge_factory import did_key, ed_key, kid_for, ob3_credential, png_image, vc_jwt
from support.helpers import html

from portfolio_gen.badges import bake

GRADE = "urn:uuid:aaaa0000-0000-4000-8000-000000000001"
RUBRIC = "urn:uuid:aaaa0000-0000-4000-8000-000000000002"


def graded() -> dict:
    key = ed_key()
    did = did_key(key)
    cred = ob3_credential(did)
    ach = cred["credentialSubject"]["achievement"]
    ach["achievementType"] = "Certificate"
    ach["creditsAvailable"] = 3.5
    ach["alignment"][0]["targetDescription"] = "Understand that a function assigns one output."
    ach["resultDescription"] = [
        {"id": GRADE, "type": ["ResultDescription"], "name": "Final grade",
         "resultType": "LetterGrade", "allowedValue": ["A", "B", "C"]},
        {"id": RUBRIC, "type": ["ResultDescription"], "name": "Design rubric",
         "resultType": "RubricCriterionLevel",
         "rubricCriterionLevel": [{"id": RUBRIC + "#3", "type": ["RubricCriterionLevel"],
                                   "name": "<b>Exemplary</b>"}]},
    ]  # fmt: skip
    cred["credentialSubject"]["result"] = [
        {"type": ["Result"], "resultDescription": GRADE, "value": "A"},
        {"type": ["Result"], "resultDescription": RUBRIC, "achievedLevel": RUBRIC + "#3"},
        "not a result",
    ]
    return {"token": vc_jwt(cred, key, header={"kid": kid_for(did)})}


def test_results_type_credits_and_alignment_descriptions_are_shown(
    cli, make_portfolio, tmp_path: Path
) -> None:
    root = make_portfolio({"badges/maze.png": bake(png_image(), graded()["token"])})
    out = tmp_path / "site"
    run = cli("build", str(root), "-o", str(out))
    assert run.code == 0, run.err
    (badge,) = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["badges"]
    assert badge["achievement_type"] == "Certificate"
    assert badge["credits_available"] == "3.5"
    assert badge["results"] == [
        {"name": "Final grade", "value": "A"},
        {"name": "Design rubric", "value": "<b>Exemplary</b>"},
    ]
    assert badge["alignments"][0]["description"] == (
        "Understand that a function assigns one output."
    )
    page = html(out / "badges" / "maze" / "index.html")
    facts = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in page.select("dl.facts > div")
    }
    assert facts["Achievement type"] == "Certificate"
    assert facts["Credits"] == "3.5"
    assert facts["Final grade"] == "A"
    assert facts["Design rubric"] == "<b>Exemplary</b>"  # escaped text, not markup
    assert page.select_one("dl.facts b") is None
    assert "assigns one output" in page.select_one(".alignment-description").text
