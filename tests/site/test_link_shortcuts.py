"""The link stage's shortcuts give what the long way gives (site/graph.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from portfolio_gen.site.graph import EvidenceItem, _evidence


def test_an_evidence_item_made_at_once_is_the_one_its_class_makes():
    shared = {
        "kind": "project", "slug": "arm", "title": "Robot <arm>", "url": "projects/arm/",
        "date": dt.date(2026, 1, 2), "setting": "school", "program": None,
        "issuer": None, "status": None,
    }  # fmt: skip
    quick = _evidence(shared, "because", "proficient")
    made = EvidenceItem(
        "project", "arm", "Robot <arm>", "projects/arm/", dt.date(2026, 1, 2), "school",
        None, "because", "proficient",
    )  # fmt: skip
    assert quick == made and hash(quick) == hash(made) and repr(quick) == repr(made)
    assert pickle.loads(pickle.dumps(quick)) == made
    # every field set (a field added to EvidenceItem must be added where _evidence is used)
    assert vars(quick).keys() == {f.name for f in dataclasses.fields(EvidenceItem)}
    assert vars(quick) == vars(made)
    assert vars(_evidence(shared, None, None))["rationale"] is None and shared.keys() == (
        vars(quick).keys() - {"rationale", "level"}
    )  # the shared fields are not changed
