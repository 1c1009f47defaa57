"""The learning network: peers' portfolios (folders or portfolio.json addresses), the
network page, projects made together linked across, offline and online (127.0.0.1 only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.helpers import html, project, site_json, write_tree
from support.served import Served

from portfolio_gen.contract import NotASummary, parse_summary
from portfolio_gen.site.network import names_match, within


def config(name: str, slug: str, extra: str = "") -> str:
    return (
        f"title: {name}'s Portfolio\nlearner:\n  name: {name} K.\n  bio: I like making.\n"
        f"interests: [robotics, {slug}-things]\nbase_url: https://{slug}.example.org/\n{extra}"
    )


def peers(tmp_path: Path) -> Path:
    """Jay and Lee, two local portfolios; Jay has a draft and private settings."""
    write_tree(
        tmp_path / "jay",
        {
            "portfolio.yml": config("Jay", "jay"),
            "portfolio.local.yml": "recipients: [jay-secret@example.org]\n",
            "content/projects/gripper.md": project(
                "Rubber-Band Gripper", "2026-03-10",
                collaborators="[{name: Maya, url: 'https://maya.example.org/projects/arm/'}]",
            ),
            "content/projects/hidden.md": project(
                "JAY-SECRET-DRAFT", "2026-03-11", draft="true", body="JAY-DRAFT-BODY",
                collaborators="[{name: Maya, url: 'https://maya.example.org/'}]",
            ),
        },
    )  # fmt: skip
    write_tree(
        tmp_path / "lee",
        {
            "portfolio.yml": config("Lee", "lee"),
            "content/projects/bus-poems.md": project("Bus Poems!", "2026-01-10"),
        },
    )
    return tmp_path


def maya(tmp_path: Path, network: str, jay_url: str = "https://jay.example.org/") -> Path:
    return write_tree(
        tmp_path / "maya",
        {
            "portfolio.yml": config("Maya", "maya", f"network: {network}\n"),
            "content/projects/arm.md": project(
                "Hydraulic Arm", "2026-03-14", collaborators=f"[{{name: Jay, url: '{jay_url}'}}]"
            ),
            "content/projects/zine.md": project("Bus poems", "2026-01-20", collaborators="[Lee]"),
            "content/projects/solo.md": project("Solo", "2026-02-01"),
        },
    )


def test_local_peers_make_the_network_page_and_link_across(cli, tmp_path):
    root = maya(peers(tmp_path), "[../jay, ../lee]")
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    site = root / "site"
    page = html(site / "network/index.html")
    assert page.find("h1").get_text() == "My learning network"
    cards = page.select("li.peer")
    assert [c.find("h2").get_text(strip=True) for c in cards] == ["Jay K.", "Lee K."]
    jay, lee = cards
    assert jay.find("h2").a["href"] == "https://jay.example.org/"
    assert [li.get_text() for li in jay.select(".chips li")] == ["jay-things", "robotics"]
    shared = jay.select(".shared-projects li a")
    assert [(a.get_text(), a["href"]) for a in shared] == [
        ("Hydraulic Arm", "../projects/arm/"),
        ("Jay K.'s page for it", "https://jay.example.org/projects/gripper/"),
    ]
    assert [a["href"] for a in lee.select(".shared-projects a")] == [
        "../projects/zine/",
        "https://lee.example.org/projects/bus-poems/",
    ]
    # the navigation shows the page
    nav = html(site / "index.html").select(".site-nav ul a")
    assert [a.get_text() for a in nav][-1] == "Network"
    # a project page links to the peer's page for the same project: by link back ...
    arm = html(site / "projects/arm/index.html").find("section", class_="together")
    assert arm.a["href"] == "https://jay.example.org/projects/gripper/"
    assert arm.a.get_text() == "Rubber-Band Gripper"
    # ... or by the same title (case and punctuation aside), with a name-only collaborator
    zine = html(site / "projects/zine/index.html").find("section", class_="together")
    assert zine.a["href"] == "https://lee.example.org/projects/bus-poems/"
    assert html(site / "projects/solo/index.html").find("section", class_="together") is None
    data = site_json(site)
    assert data["network"] == [
        {"name": "Jay K.", "url": "https://jay.example.org/"},
        {"name": "Lee K.", "url": "https://lee.example.org/"},
    ]
    assert data["projects"][0]["collaborators"] == [
        {"name": "Jay", "url": "https://jay.example.org/"}
    ]


def test_nothing_private_of_a_peer_crosses_over(cli, tmp_path):
    root = maya(peers(tmp_path), "[../jay]")
    assert cli("build", str(root), "--quiet").code == 0
    for path in (root / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (
                b"JAY-SECRET-DRAFT",
                b"JAY-DRAFT-BODY",
                b"jay-secret@example.org",
                b"../jay",
            ):
                assert secret not in data, (path, secret)
    # reading a peer writes nothing into the peer's folder
    assert sorted(p.name for p in (tmp_path / "jay").iterdir()) == [
        "content", "portfolio.local.yml", "portfolio.yml",
    ]  # fmt: skip


def test_a_peer_change_reaches_the_network_page_on_a_warm_build(cli, tmp_path):
    root = maya(peers(tmp_path), "[../jay]")
    assert cli("build", str(root), "--quiet").code == 0
    (tmp_path / "jay/portfolio.yml").write_text(
        config("Jay", "jay").replace("robotics", "rockets"), encoding="utf-8"
    )
    assert cli("build", str(root), "--quiet").code == 0
    chips = html(root / "site/network/index.html").select(".chips li")
    assert "rockets" in [li.get_text() for li in chips]


def test_a_built_site_folder_is_a_peer_too(cli, tmp_path):
    peers(tmp_path)
    assert (
        cli("build", str(tmp_path / "jay"), "-o", str(tmp_path / "jay-site"), "--quiet").code == 0
    )
    root = maya(tmp_path, "[../jay-site]")
    assert cli("build", str(root), "--quiet").code == 0
    assert html(root / "site/network/index.html").select_one("li.peer h2").get_text() == "Jay K."


def test_a_web_peer_is_fetched_only_online_and_cached(cli, tmp_path, monkeypatch):
    peers(tmp_path)
    published = tmp_path / "jay-site"
    assert cli("build", str(tmp_path / "jay"), "-o", str(published), "--quiet").code == 0
    with Served(published) as server:
        root = maya(tmp_path, f"['{server.url()}']", jay_url=server.url())
        # offline: nothing is fetched, and the warning says what is missing
        run = cli("build", str(root), "--quiet")
        assert run.code == 0, run.err
        assert server.hits == []
        assert (
            f"portfolio.yml:7: warning: network[0]: {server.url('portfolio.json')} has not been "
            "fetched yet; build once with --online (the copy is kept in .portfolio-cache/network/)"
        ) in run.lines
        card = html(root / "site/network/index.html").select_one("li.peer")
        assert card.h2.a["href"] == server.url()
        assert "could not be read" in card.get_text()
        # online: one request, kept in the cache
        run = cli("build", str(root), "--online", "--quiet")
        assert run.code == 0 and run.lines == [], run.err
        assert server.hits == ["/portfolio.json"]
        cached = sorted((root / ".portfolio-cache/network").iterdir())  # the copy, its seal
        assert [p.suffix for p in cached] == [".json", ".seal"]
        assert json.loads(cached[0].read_text())["learner"]["name"] == "Jay K."
        arm = html(root / "site/projects/arm/index.html").find("section", class_="together")
        assert arm.a["href"] == server.url("projects/gripper/")
        assert (published / "projects/gripper/index.html").is_file()
    # the server is gone: offline uses the cache quietly; online says it used the cache
    run = cli("build", str(root), "--quiet")
    assert run.code == 0 and run.lines == [], run.err
    assert html(root / "site/network/index.html").select_one("li.peer h2").get_text() == "Jay K."
    run = cli("build", str(root), "--online", "--quiet")
    assert run.code == 0
    (line,) = run.lines
    assert line.startswith(f"portfolio.yml:7: warning: network[0]: could not reach {server.url()}")
    assert line.endswith("; the copy from an earlier --online build is used")


def test_a_slow_peer_times_out(cli, tmp_path, monkeypatch):
    from portfolio_gen.badges import fetch

    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 0.3)
    peers(tmp_path)
    published = tmp_path / "jay-site"
    assert cli("build", str(tmp_path / "jay"), "-o", str(published), "--quiet").code == 0
    with Served(published, delay=2) as server:
        root = maya(tmp_path, f"['{server.url('portfolio.json')}']")
        run = cli("build", str(root), "--online", "--quiet")
    assert run.code == 0
    (line,) = run.lines
    assert "network[0]: could not reach" in line and "timed out" in line


@pytest.mark.parametrize(
    ("network", "message"),
    [
        ("[/home/jay/portfolio]", "portfolio.yml:7: error: network[0]: '/home/jay/portfolio' is an "
         "absolute path; write the folder relative to this file (e.g. ../jay-portfolio)"),
        ("[ftp://jay.example.org/p.json]", "portfolio.yml:7: error: network[0]: expected a web "
         "address starting with https:// or http://, got 'ftp://jay.example.org/p.json'"),
        ("{jay: ../jay}", "portfolio.yml:7: error: network: expected a list of peers' portfolios "
         "(folders or portfolio.json web addresses), got a mapping"),
        ("[../nobody]", "portfolio.yml:7: error: network[0]: there is no folder ../nobody"),
    ],
)  # fmt: skip
def test_bad_network_entries(cli, tmp_path, network, message):
    root = maya(peers(tmp_path), network)
    run = cli("build", str(root), "--quiet")
    assert run.code == 1
    assert message in run.lines, run.lines


def test_peers_that_cannot_be_read_are_warnings(cli, tmp_path):
    peers(tmp_path)
    (tmp_path / "empty").mkdir()
    write_tree(tmp_path / "broken", {"portfolio.yml": "title: [unclosed\n"})
    root = maya(tmp_path, "[../empty, ../broken, ../jay, ../jay/]")
    run = cli("build", str(root), "--quiet")
    assert run.code == 0, run.err
    assert run.lines == [
        "portfolio.yml:7: warning: network[0]: ../empty is not a portfolio (no portfolio.yml) or "
        "a built site (no portfolio.json)",
        "portfolio.yml:7: warning: network[1]: ../broken has 1 error(s); run "
        f"'portfolio-gen check {root / '../broken'}' to see them",
        "portfolio.yml:7: warning: network[3]: ../jay/ is listed twice; the second is ignored",
    ]


def test_parse_summary_is_tolerant_but_safe():
    data = {
        "schema": "portfolio-gen/1",
        "learner": {"name": "Jay K."},
        "future_key": {"ignored": True},
        "projects": [
            {"slug": "a", "title": "A", "url": "javascript:alert(1)", "feedback": {"count": 2}},
            {"slug": "b", "title": "B", "url": "../../etc/"},
            {"title": "no slug"},
            "not an object",
        ],
        "badges": [{"slug": "x", "issuer": {"name": "Club", "url": "javascript:evil()"}}],
        "standards": [{"code": "MS-ETS1-4", "evidence": [{"type": "project", "slug": "a"}]}],
    }
    summary = parse_summary(data)
    assert [(p.slug, p.url) for p in summary.projects] == [
        ("a", "projects/a/"),
        ("b", "projects/b/"),
    ]
    assert summary.feedback == 2
    assert summary.badges[0].issuer_url is None
    assert summary.standards[0].page == "standards/ms-ets1-4/"
    with pytest.raises(NotASummary, match="reads portfolio-gen/1"):
        parse_summary({**data, "schema": "portfolio-gen/2"})
    with pytest.raises(NotASummary, match="not made by portfolio-gen"):
        parse_summary({"title": "x"})


def test_matching_rules():
    assert names_match("Jay", "Jay K.") and names_match("jay k", "Jay K.")
    assert not names_match("Jayden", "Jay K.")
    assert within("https://JAY.example.org/projects/a/index.html", "https://jay.example.org/")
    assert not within("https://jay.example.org.evil.com/", "https://jay.example.org/")
