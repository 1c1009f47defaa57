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


def _evidence_in_order(portfolio) -> None:
    """Each standard's evidence is newest first, as sorting by (date, kind, slug) gives."""
    for node in portfolio.standards:
        old_way = sorted(
            node.evidence, key=lambda e: (e.date or dt.date.min, e.kind, e.slug), reverse=True
        )
        assert node.evidence == old_way, node.code


def test_evidence_ranked_once_per_item_is_in_the_order_the_long_way_gives(make_portfolio):
    """Evidence is sorted by ranks made once per project (graph._rank); on one day,
    slugs come last first: the order projects are linked in is not that order."""
    from portfolio_gen import build

    day, later = "2026-01-02", "2026-03-04"
    root = make_portfolio(
        {
            f"content/projects/{name}.md": project(name.upper(), date, standards=codes)
            for name, date, codes in (
                ("a", day, "[MS-ETS1-1, HS-LS2-7]"),
                ("b", day, "[HS-LS2-7, MS-ETS1-1, MS-ETS1-1]"),
                ("c", later, "[MS-ETS1-1]"),
                ("d", day, "[HS-LS2-7]"),
            )
        }
    )
    _, loaded = build.load(root, build.Options(cache=False))
    node = loaded.portfolio.standard("MS-ETS1-1")
    assert [e.slug for e in node.evidence] == ["c", "b", "b", "a"]
    _evidence_in_order(loaded.portfolio)
    # and with badges' evidence among the projects' (the demo portfolio)
    _, loaded = build.load(Path(__file__).resolve().parents[2], build.Options(cache=False))
    assert any(e.kind == "badge" for s in loaded.portfolio.standards for e in s.evidence)
    _evidence_in_order(loaded.portfolio)


def test_an_interest_that_clashes_is_reported_on_every_project_that_names_it(cli, make_portfolio):
    """A name claimed without a clash is remembered (graph._interests); one that
    clashes is not, so each project naming it gets its own error."""
    root = make_portfolio(
        {
            "content/projects/a.md": project("A", interests="[C++, robots]"),
            "content/projects/b.md": project("B", interests="['C++!', robots]"),
            "content/projects/c.md": project("C", interests="['C++!', C++, robots]"),
        }
    )
    run = cli("check", str(root))
    errors = [line for line in run.lines if ": error: " in line]
    assert [e.split(":")[0] for e in errors] == ["content/projects/b.md", "content/projects/c.md"]
    assert all("'C++!' and 'C++' (content/projects/a.md)" in e for e in errors)
