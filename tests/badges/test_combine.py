"""One badge per credential (several files), and endorsement files under any name."""

from __future__ import annotations

import json
from pathlib import Path

from support.badge_factory import (
    di_sign,
    did_key,
    ed_key,
    kid_for,
    ob2_assertion,
    ob3_credential,
    png_image,
    svg_image,
    vc_jwt,
)
from support.helpers import html, project
from test_endorsements import ACHIEVEMENT, MUSEUM, endorsement

from portfolio_gen.badges import bake


def maze_token(name: str = "Maze Game Coder") -> str:
    key = ed_key()
    did = did_key(key)
    return vc_jwt(ob3_credential(did, name=name), key, header={"kid": kid_for(did)})


def build(cli, root: Path, out: Path):  # type: ignore[no-untyped-def]
    run = cli("build", str(root), "-o", str(out))
    return run, json.loads((out / "portfolio.json").read_text(encoding="utf-8"))


def test_one_credential_in_a_png_and_an_svg_is_one_badge_with_both_files(
    cli, make_portfolio, tmp_path: Path
) -> None:
    token = maze_token()
    root = make_portfolio(
        {
            "badges/maze.png": bake(png_image(), token),
            "badges/maze.svg": bake(svg_image(), token),
            "content/projects/game.md": project("Game", "2026-03-01", badges="[maze.svg]"),
        }
    )
    out = tmp_path / "site"
    run, summary = build(cli, root, out)
    assert run.code == 0, run.err
    assert "error" not in run.err
    (badge,) = summary["badges"]
    assert (badge["slug"], badge["file"], badge["verification"]["status"]) == (
        "maze", "maze.png", "verified",
    )  # fmt: skip
    folder = out / "badges" / "maze"
    assert (folder / "maze.png").read_bytes() == (root / "badges" / "maze.png").read_bytes()
    assert (folder / "maze.svg.txt").read_bytes() == (root / "badges" / "maze.svg").read_bytes()
    links = html(folder / "index.html").select("ul.download a")
    assert [(a["href"], a["download"]) for a in links] == [
        ("maze.png", "maze.png"),
        ("maze.svg.txt", "maze.svg"),
    ]
    # a project naming the second file still shows the badge
    game = html(out / "projects" / "game" / "index.html")
    assert game.select_one('a[href$="badges/maze/"]') is not None


def test_the_same_assertion_twice_under_other_names_is_one_badge(
    cli, make_portfolio, tmp_path: Path
) -> None:
    doc = json.dumps(ob2_assertion())
    root = make_portfolio(
        {"badges/maker.png": bake(png_image(), doc), "badges/maker-copy.json": doc}
    )
    run, summary = build(cli, root, tmp_path / "site")
    assert run.code == 0, run.err
    assert [(b["file"], b["name"]) for b in summary["badges"]] == [
        ("maker-copy.json", "Maker Level 1")
    ]
    page = html(tmp_path / "site" / "badges" / "maker-copy" / "index.html")
    assert [a["download"] for a in page.select("ul.download a")] == [
        "maker-copy.json",
        "maker.png",
    ]


def test_different_credentials_with_one_name_still_clash(
    cli, make_portfolio, tmp_path: Path
) -> None:
    root = make_portfolio(
        {
            "badges/maze.png": bake(png_image(), maze_token()),
            "badges/maze.svg": bake(svg_image(), maze_token("Another badge")),
        }
    )
    run = cli("build", str(root), "-o", str(tmp_path / "site"))
    assert run.code == 1
    assert "two badges would be published at badges/maze/" in run.err


def test_an_endorsement_credential_file_endorses_the_badge_it_names(
    cli, make_portfolio, tmp_path: Path
) -> None:
    cred, key = endorsement()
    root = make_portfolio(
        {
            "badges/maze.png": bake(png_image(), maze_token()),
            "badges/museum.json": json.dumps(di_sign(cred, key)),
        }
    )
    out = tmp_path / "site"
    run, summary = build(cli, root, out)
    assert run.code == 0, run.err
    assert "museum.json" not in run.err  # not a failed badge, no warning
    assert [b["file"] for b in summary["badges"]] == ["maze.png"]
    page = html(out / "badges" / "maze" / "index.html")
    assert MUSEUM in page.text and "A rigorous badge." in page.text
    assert not (out / "badges" / "museum").exists()


def test_an_endorsement_file_of_nothing_present_is_warned_about(
    cli, make_portfolio, tmp_path: Path
) -> None:
    cred, key = endorsement(subject="https://elsewhere.example.org/achievements/other")
    root = make_portfolio(
        {
            "badges/maze.png": bake(png_image(), maze_token()),
            "badges/museum.jwt": vc_jwt(cred, key, header={"kid": kid_for(did_key(key))}),
        }
    )
    run, summary = build(cli, root, tmp_path / "site")
    assert run.code == 0, run.err
    assert (
        "badges/museum.jwt: warning: this endorsement is of "
        "https://elsewhere.example.org/achievements/other, which is not a badge, achievement "
        "or issuer of any badge here; it is not shown"
    ) in run.err
    assert [b["file"] for b in summary["badges"]] == ["maze.png"]
    assert ACHIEVEMENT  # the badge's achievement, which the endorsement does not name


def test_a_copy_with_a_broken_signature_is_not_merged(cli, make_portfolio, tmp_path: Path) -> None:
    token = maze_token()
    head, payload, sig = token.split(".")
    broken = f"{head}.{payload}.{sig[:-4]}AAAA"  # the same credential, a signature that fails
    root = make_portfolio(
        {"badges/maze.png": bake(png_image(), token), "badges/forged.jwt": broken}
    )
    run, summary = build(cli, root, tmp_path / "site")
    assert run.code == 0, run.err
    got = sorted((b["file"], b["verification"]["status"]) for b in summary["badges"])
    assert got == [("forged.jwt", "failed"), ("maze.png", "verified")]


def test_badges_verify_reports_an_endorsement_file_as_an_endorsement(cli, tmp_path: Path) -> None:
    cred, key = endorsement()
    path = tmp_path / "museum.json"
    path.write_text(json.dumps(di_sign(cred, key)), encoding="utf-8")
    run = cli("badges", "verify", str(path))
    assert run.code == 0, run.err
    assert f"{path}: endorsement of {ACHIEVEMENT}: verified: " in run.out
    run = cli("badges", "verify", "--json", str(path))
    (item,) = json.loads(run.out)
    assert item["endorsement"]["of"] == ACHIEVEMENT
    assert item["endorsement"]["verification"]["status"] == "verified"
