"""The link stage's shortcuts give what the long way gives (site/graph.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from pathlib import Path

from support.helpers import project

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


def test_a_link_to_a_project_that_could_not_be_read_is_not_an_error_too(
    cli, make_portfolio, monkeypatch
):
    """Only the sources without a project are slugged for this (site/graph.py)."""
    root = make_portfolio(
        {
            "content/projects/a.md": project("A"),
            "content/projects/b/index.md": project("B"),
            "content/projects/c.md": project("C", body="[A](a.md), [B](b/index.md), [D](d.md)"),
        }
    )
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name in ("a.md", "index.md"):
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    run = cli("build", str(root))
    assert run.code == 1
    errors = [line for line in run.lines if ": error: " in line]
    assert errors == [
        "content/projects/a.md: error: cannot read: Permission denied",
        "content/projects/b/index.md: error: cannot read: Permission denied",
        "content/projects/c.md:5: error: link d.md: no project 'd' in content/projects/",
    ]
