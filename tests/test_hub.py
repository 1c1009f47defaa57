"""portfolio-gen hub: a club's site over its members' portfolios, from what they published."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from PIL import Image
from support.helpers import html, project, write_tree
from support.served import Served

from portfolio_gen.badges import bake, hash_identity

SECRETS = (b"ANA-SECRET-DRAFT", b"ana-private@example.org", b"teacher-secret@example.org",
           b"CAI-PRIVATE-NOTE", b"BEN-DRAFT-BODY")  # fmt: skip


def learner(name: str, slug: str) -> str:
    return (
        f"title: {name}'s Portfolio\nlearner:\n  name: {name}\n  bio: {name} makes things.\n"
        f"interests: [robotics, {slug}-stuff]\nbase_url: https://{slug}.example.org/\n"
    )


def badge_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), "teal").save(buf, "PNG")
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://hive.example.org/assertions/ana-1",
        "recipient": {"type": "email", "hashed": True, "salt": "s4lt",
                      "identity": hash_identity("ana-private@example.org", "s4lt")},
        "issuedOn": "2026-02-03",
        "verification": {"type": "hosted"},
        "badge": {
            "type": "BadgeClass", "id": "https://hive.example.org/badges/maker", "name": "Maker",
            "description": "Built a machine.", "criteria": {"narrative": "Build one."},
            "issuer": {"type": "Profile", "id": "https://hive.example.org/", "name": "Hive Maker Club",
                       "url": "https://hive.example.org/"},
        },
    }  # fmt: skip
    return bake(buf.getvalue(), json.dumps(assertion))


def class_of_three(tmp_path: Path) -> Path:
    """Three learners and a HUB.yml beside them; each has something private."""
    write_tree(
        tmp_path / "ana",
        {
            "portfolio.yml": learner("Ana B.", "ana"),
            "portfolio.local.yml": "recipients: [ana-private@example.org]\n",
            "badges/maker.png": badge_png(),
            "content/projects/arm/index.md": project(
                "Arm", "2026-03-01", standards="[MS-ETS1-4, CCSS.Math.Content.7.RP.A.2]",
                badges="[maker.png]",
            ),
            "content/projects/arm/feedback/rivera.md": (
                "---\nauthor: Ms. Rivera\nrole: mentor\ndate: 2026-03-05\n---\nGreat table.\n"
            ),
            "content/projects/secret.md": project(
                "ANA-SECRET-DRAFT", "2026-03-02", draft="true", standards="[HS-ETS1-2]"
            ),
        },
    )  # fmt: skip
    write_tree(
        tmp_path / "ben",
        {
            "portfolio.yml": learner("Ben C.", "ben"),
            "content/projects/bot.md": project("Bot", "2026-02-01", standards="[MS-ETS1-4]"),
            "content/projects/car.md": project("Car", "2026-02-02", standards="[MS-ETS1-4]"),
            "content/projects/wip.md": project("WIP", "2026-02-03", draft="true", body="BEN-DRAFT-BODY"),
        },
    )  # fmt: skip
    write_tree(
        tmp_path / "cai",
        {
            "portfolio.yml": learner("Cai D.", "cai"),
            "content/projects/poem.md": project(
                "Poem", "2026-01-01", standards="[CCSS.ELA-Literacy.W.8.3]",
                private_note="CAI-PRIVATE-NOTE",
            ),
        },
    )  # fmt: skip
    write_tree(
        tmp_path / "club",
        {
            "HUB.yml": (
                "title: Hive Maker Club\ndescription: Saturday makers.\n"
                "members: [../ana, ../ben, ../cai]\n"
                "goals: [MS-ETS1-4, hs-ets1-2, MS-PS3-3, 7.RP.A]\n"
            )
        },
    )
    return tmp_path / "club"


def test_a_hub_of_three_learners(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", "teacher-secret@example.org")
    club = class_of_three(tmp_path)
    run = cli("hub", str(club / "HUB.yml"))
    assert run.code == 0, run.err
    site = club / "site"  # the default: beside HUB.yml
    assert "hub of 3 member(s), 3 with a published portfolio" in run.out
    for slug in ("ana", "ben", "cai"):  # each member's own site, built by the hub
        assert (site / "members" / slug / "index.html").is_file()
        assert (site / "members" / slug / "portfolio.json").is_file()

    home = html(site / "index.html")
    assert home.find("h1").get_text() == "Hive Maker Club"
    cards = home.select("li.member")
    assert [c.h3.get_text(strip=True) for c in cards] == ["Ana B.", "Ben C.", "Cai D."]
    assert cards[0].h3.a["href"] == "members/ana/"
    assert cards[1].select_one(".counts").get_text(" ", strip=True).startswith("2 projects")
    assert "1 feedback note" in cards[0].select_one(".counts").get_text()

    # the class view: rows standards, columns learners, cells evidence counts
    table = html(site / "standards/index.html").find("table")
    assert table.caption.get_text(strip=True) == "Evidence per standard and learner"
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert header == ["Standard", "Ana B.", "Ben C.", "Cai D.", "Learners with evidence"]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    rows = {}
    for tr in table.tbody.find_all("tr"):
        code = tr.th.code.get_text()
        assert tr.th["scope"] == "row"
        rows[code] = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
    assert list(rows)[:3] == ["MS-ETS1-4", "HS-ETS1-2", "MS-PS3-3"]  # the goals come first
    # a cluster as a goal is every standard in it, each a row even with no evidence
    cluster = [f"CCSS.Math.Content.7.RP.A.{n}" for n in (1, 2, 3)]
    assert list(rows)[3:6] == cluster
    assert rows[cluster[1]][0].startswith("1") and rows[cluster[0]][-1] == "0"
    # CCSS statements from the members' portfolio.json come with the licence's notice
    standards_page = html(site / "standards/index.html")
    assert "proportional" in standards_page.find("table").get_text()
    notice = standards_page.select_one(".standard-notice span[lang=en]")
    assert notice is not None and notice.get_text().startswith("© Copyright 2010. National")
    assert rows["MS-ETS1-4"] == [
        "1 piece of evidence from Ana B.",
        "2 pieces of evidence from Ben C.",
        "gap for Cai D.",
        "2",
    ]
    # Ana's draft is evidence for HS-ETS1-2, but drafts are not published: a gap for everyone
    assert rows["HS-ETS1-2"] == ["gap for Ana B.", "gap for Ben C.", "gap for Cai D.", "0"]
    assert rows["CCSS.ELA-Literacy.W.8.3"] == [
        "– none",
        "– none",
        "1 piece of evidence from Cai D.",
        "1",
    ]
    gap_row = table.find("code", string="HS-ETS1-2").find_parent("tr")
    assert "goal-gap" in gap_row["class"]
    # every count links to the learner's own page for that standard
    for a in table.tbody.select("td a"):
        target = (site / "standards" / a["href"]).resolve()
        assert (target / "index.html").is_file(), a["href"]
    totals = [td.get_text() for td in table.tfoot.tr.find_all("td")]
    assert totals[:3] == ["2", "2", "1"]
    gaps = html(site / "standards/index.html").select(".gap-list li")
    assert gaps[0].get_text(" ", strip=True) == "MS-ETS1-4 : no evidence yet from Cai D."
    assert gaps[1].get_text(" ", strip=True) == "HS-ETS1-2 : no learner has evidence yet"

    badges = html(site / "badges/index.html")
    group = badges.select_one(".issuer-group")
    assert group.h2.a.get_text() == "Hive Maker Club"
    assert group.li.a["href"] == "../members/ana/badges/maker/"
    interests = html(site / "interests/index.html").select(".interest-list li")
    assert interests[0].get_text(" ", strip=True).startswith("robotics (3)")

    data = json.loads((site / "hub.json").read_text())
    assert data["schema"] == "portfolio-gen-hub/1"
    assert data["goals"] == ["MS-ETS1-4", "HS-ETS1-2", "MS-PS3-3", *cluster]
    assert [(m["slug"], m["site"], m["summary"]["learner"]["name"]) for m in data["members"]] == [
        ("ana", "members/ana/", "Ana B."), ("ben", "members/ben/", "Ben C."), ("cai", "members/cai/", "Cai D."),
    ]  # fmt: skip
    assert data["members"][0]["summary"]["projects"] == 1
    by_code = {s["code"]: s for s in data["standards"]}
    assert [(m["slug"], m["evidence"]) for m in by_code["MS-ETS1-4"]["members"]] == [
        ("ana", 1), ("ben", 2),
    ]  # fmt: skip
    assert by_code["HS-ETS1-2"]["members"] == [] and by_code["HS-ETS1-2"]["goal"] is True


def test_nothing_a_member_did_not_publish_appears_in_any_hub_file(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", "teacher-secret@example.org")
    club = class_of_three(tmp_path)
    assert cli("hub", str(club / "HUB.yml"), "-o", str(tmp_path / "out")).code == 0
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(files) > 30
    for path in files:
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret not in data, (path, secret)
    # a draft's page never exists, and no member source is copied
    assert not list((tmp_path / "out").rglob("secret*"))
    assert not list((tmp_path / "out").rglob("*.md"))
    assert not list((tmp_path / "out").rglob("portfolio.local.yml"))


def test_published_members_are_read_from_their_portfolio_json(cli, tmp_path):
    write_tree(tmp_path / "dan", {
        "portfolio.yml": learner("Dan E.", "dan"),
        "content/projects/kite.md": project("Kite", "2026-04-01", standards="[MS-PS3-3]"),
    })  # fmt: skip
    assert cli("build", str(tmp_path / "dan"), "-o", str(tmp_path / "dan-site")).code == 0
    with Served(tmp_path / "dan-site") as server:
        write_tree(tmp_path / "club", {
            "HUB.yml": f"title: Club\nmembers: ['{server.url()}']\ngoals: [MS-PS3-3]\n",
        })  # fmt: skip
        hub = str(tmp_path / "club/HUB.yml")
        run = cli("hub", hub)  # offline: not fetched, and said so
        assert run.code == 0 and server.hits == []
        assert (
            f"HUB.yml:2: warning: members[0]: {server.url('portfolio.json')} has not been fetched "
            "yet; build once with --online (the copy is kept in .portfolio-cache/network/)"
        ) in run.lines
        card = html(tmp_path / "club/site/index.html").select_one("li.member")
        assert "not available" in card.get_text()
        run = cli("hub", hub, "--online")
        assert run.code == 0, run.err
        assert server.hits == ["/portfolio.json"]  # only what Dan published
    table = html(tmp_path / "club/site/standards/index.html").find("table")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")][1] == "Dan E."
    link = table.tbody.select_one("td a")
    assert link["href"] == server.url("standards/ms-ps3-3/")
    home = html(tmp_path / "club/site/index.html").select_one("li.member h3 a")
    assert home["href"] == server.url()


def test_bad_hub_files(cli, tmp_path):
    write_tree(tmp_path, {"a/HUB.yml": "description: x\ntitel: Club\n"})
    run = cli("hub", str(tmp_path / "a/HUB.yml"))
    assert run.code == 1
    assert (
        "HUB.yml:1: error: title: required; add a line like 'title: Hive Maker Club'" in run.lines
    )
    assert (
        "HUB.yml:1: error: members: required; add a line like 'members: [../maya, ../jay]'"
        in run.lines
    )
    assert "HUB.yml:2: warning: unknown key 'titel' is ignored (did you mean 'title'?)" in run.lines
    write_tree(tmp_path, {"b/HUB.yml": "title: Club\nmembers: ../ana\n"})
    run = cli("hub", str(tmp_path / "b/HUB.yml"))
    assert run.code == 1
    assert (
        "HUB.yml:2: error: members: expected a list of portfolio folders or portfolio.json "
        "addresses, got text"
    ) in run.lines
    write_tree(tmp_path, {"c/HUB.yml": "title: Club\nmembers:\n  - ../nobody\n  - /abs\n"})
    run = cli("hub", str(tmp_path / "c/HUB.yml"))
    assert run.code == 1
    assert "HUB.yml:3: error: members[0]: no folder ../nobody" in run.lines
    assert any(
        line.startswith("HUB.yml:4: error: members[1]: '/abs' is an absolute path")
        for line in run.lines
    )
    assert not (tmp_path / "c/site").exists()


def test_unknown_goals_and_broken_members(cli, tmp_path):
    club = class_of_three(tmp_path)
    (tmp_path / "ben/content/projects/bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (club / "HUB.yml").write_text(
        "title: Club\nmembers: [../ana, ../ben]\ngoals: [HS-ESTS1-2]\n", encoding="utf-8"
    )
    run = cli("hub", str(club / "HUB.yml"), "--jobs", "2")
    assert run.code == 1  # Ben's portfolio has an error: said, and the hub is still made
    assert any(line.startswith("../ben/content/projects/bad.md:3: error:") for line in run.lines)
    assert (
        "HUB.yml:3: warning: goals[0]: 'HS-ESTS1-2' is not a valid code: ESTS is not an NGSS "
        "discipline (PS, LS, ESS, ETS)"
    ) in [line.split(" (did you mean")[0] for line in run.lines], run.lines
    cards = html(club / "site/index.html").select("li.member")
    assert cards[0].h3.get_text(strip=True) == "Ana B."
    assert "not available" in cards[1].get_text()
    # fixed: the next build has both; a member taken off the list is removed
    (tmp_path / "ben/content/projects/bad.md").unlink()
    assert cli("hub", str(club / "HUB.yml")).code == 0
    assert len(html(club / "site/index.html").select("li.member h3 a")) == 2
    (club / "HUB.yml").write_text("title: Club\nmembers: [../ana]\n", encoding="utf-8")
    assert cli("hub", str(club / "HUB.yml")).code == 0
    assert not (club / "site/members/ben").exists()
    assert (club / "site/members/ana/index.html").is_file()


def test_the_hub_refuses_to_write_over_a_member(cli, tmp_path):
    club = class_of_three(tmp_path)
    run = cli("hub", str(club / "HUB.yml"), "-o", str(tmp_path / "ana/content/hub"))
    assert run.code == 1
    assert any("inside the portfolio's content/ folder" in line for line in run.lines), run.lines


def test_a_member_portfolio_json_with_wrong_types_is_read_with_warnings(cli, tmp_path):
    club = class_of_three(tmp_path)
    assert cli("hub", str(club / "HUB.yml"), "--quiet").code == 0
    published = club / "site/members/ana/portfolio.json"
    data = json.loads(published.read_text(encoding="utf-8"))
    data["badges"][0]["issued_on"] = "x"  # kept by the next build: its inputs are unchanged
    data["projects"][0]["date"] = 5
    data["projects"].append({"slug": ["x"], "title": {"a": 1}, "date": "2026-02-30"})
    data["projects"].append({"slug": "ok", "title": "Ok", "date": "2026-02-30", "url": 7,
                             "interests": "robots", "collaborators": [5, {"name": 3}],
                             "feedback": {"count": "many"}})  # fmt: skip
    data["standards"].append({"code": "X-1", "evidence": [{"slug": 5}, "y"], "page": ["p"]})
    data["learner"], data["interests"], data["title"] = "Ana", {"a": 1}, 12
    published.write_text(json.dumps(data), encoding="utf-8")
    run = cli("hub", str(club / "HUB.yml"))
    assert run.code == 0 and "internal error" not in run.err, run.err
    assert [line for line in run.lines if line.startswith("site/members/ana/")] == [
        "site/members/ana/portfolio.json: warning: badge 1: issued_on is not a date; left out",
        "site/members/ana/portfolio.json: warning: project 1: date is not a date; left out",
        "site/members/ana/portfolio.json: warning: project 3: date is not a date; left out",
    ]
    badges = html(club / "site/badges/index.html")
    assert "Maker" in badges.get_text() and not badges.select("time")


def test_hub_yml_budget_keys_are_checked(cli, tmp_path):
    club = class_of_three(tmp_path)
    (club / "HUB.yml").write_text(
        "title: Club\nmembers: [../ana]\nmember_timeout: soon\nmember_max_size: 5 parsecs\n"
    )
    run = cli("hub", str(club / "HUB.yml"))
    assert run.code == 1
    assert run.lines[:2] == [
        "HUB.yml:3: error: member_timeout: expected a number of seconds such as 120, got text",
        "HUB.yml:4: error: member_max_size: expected a size such as '500 MB', got text",
    ]
    from portfolio_gen.hub.settings import _size

    assert _size("500 MB") == 500_000_000 and _size("1.5 gb") == 1_500_000_000
    assert _size(2048) == 2048


def test_a_member_over_its_time_budget_is_stopped_and_left_out(cli, tmp_path):
    club = class_of_three(tmp_path)
    assert cli("hub", str(club / "HUB.yml"), "--quiet").code == 0  # a good build of each first
    hub = (club / "HUB.yml").read_text()
    (club / "HUB.yml").write_text(hub + "member_timeout: 0.001\n")
    others = set(_children_of(os.getpid()))  # a browser of another test, say
    run = cli("hub", str(club / "HUB.yml"), "--jobs", "2")
    assert run.code == 1, run.err
    for entry in ("../ana", "../ben", "../cai"):
        assert (
            f"HUB.yml:3: error: member '{entry}' took longer than 0.001 s to build; it is left "
            "out (raise member_timeout in HUB.yml if it needs more)"
        ) in run.lines, run.err
        assert not (club / "site/members" / entry[3:]).exists()  # its folder is removed
    cards = html(club / "site/index.html").select("li.member")
    assert len(cards) == 3 and "not available" in cards[0].get_text(" ", strip=True)
    assert set(_children_of(os.getpid())) - others == set()  # every build process was stopped
    (club / "HUB.yml").write_text(hub)  # within budget again: all three are back
    run = cli("hub", str(club / "HUB.yml"), "--quiet")
    assert run.code == 0 and (club / "site/members/ana/index.html").is_file()


def test_a_member_over_its_size_budget_is_stopped_and_left_out(cli, tmp_path):
    club = class_of_three(tmp_path)
    (club / "HUB.yml").write_text(
        "title: Club\nmembers:\n  - ../ana\n  - ../ben\nmember_max_size: 1 MB\n"
    )
    (tmp_path / "ana/static/big.bin").parent.mkdir()
    (tmp_path / "ana/static/big.bin").write_bytes(os.urandom(2_000_000))
    run = cli("hub", str(club / "HUB.yml"))
    assert run.code == 1
    assert (
        "HUB.yml:3: error: member '../ana' made a site larger than 1 MB; it is left out "
        "(raise member_max_size in HUB.yml if it needs more)"
    ) in run.lines, run.err
    assert not (club / "site/members/ana").exists()
    assert (club / "site/members/ben/index.html").is_file()


def _children_of(pid: int) -> list[int]:
    """The live child processes of ``pid``, from /proc (psutil is not a dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found
