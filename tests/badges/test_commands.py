from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from support.badge_factory import (
    LEARNER,
    did_key,
    ed_key,
    kid_for,
    ob2_assertion,
    ob3_credential,
    png_image,
    svg_image,
    tamper_jws,
    vc_jwt,
    write,
)

from portfolio_gen.badges import bake
from portfolio_gen.badges.commands import register


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="portfolio-gen")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return args.func(args)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTFOLIO_RECIPIENT", LEARNER)
    write(tmp_path, "portfolio.yml", "title: Test\n")
    return tmp_path


def signed_badge(folder: Path, name: str = "maze.png", **kw) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    key = ed_key()
    did = did_key(key)
    token = vc_jwt(ob3_credential(did, **kw), key, header={"kid": kid_for(did)})
    return write(folder / "badges", name, bake(png_image(), token)), token


def test_show_prints_a_readable_summary(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signed_badge(workdir)
    assert run("badges", "show", "badges/maze.png") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "Maze Game Coder"
    assert "  file:        maze.png (PNG, Open Badges 3.0, signed VC-JWT)" in out
    assert "  issuer:      Eastside Library Code Club <https://eastside-library.example.org>" in out
    assert "  issued:      2026-04-02" in out
    assert "  aligned to:  Functions: input and output [CCSS.Math.Content.8.F.A.1]" in out
    assert "  status:      verified: Signature checked offline" in out
    assert "recipient matches" in out  # identity from PORTFOLIO_RECIPIENT
    assert LEARNER not in out + err
    assert err == ""


def test_show_missing_file_is_a_user_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("badges", "show", "badges/nope.png") == 1
    assert capsys.readouterr().err == "badges/nope.png: error: no such file\n"


def test_verify_text_and_exit_codes(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, token = signed_badge(workdir)
    forged = tamper_jws(token, lambda p: p["vc"].update(name="Forged"))
    write(workdir / "badges", "forged.jwt", forged)
    write(workdir / "badges", "hosted.svg", bake(svg_image(), ob2_assertion()))
    assert run("badges", "verify", "badges/maze.png", "badges/hosted.svg") == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("badges/maze.png: verified: Signature checked offline")
    assert lines[1].startswith("badges/hosted.svg: unverified: This hosted badge can only be")
    assert run("badges", "verify", "badges/maze.png", "badges/forged.jwt") == 1
    out, err = capsys.readouterr()
    assert "badges/forged.jwt: failed: The signature does not match" in out
    assert err == ""


def test_verify_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signed_badge(workdir, valid_until="2020-01-01T00:00:00Z")
    write(workdir / "badges", "junk.png", b"junk")
    assert run("badges", "verify", "--json", "badges/maze.png", "badges/junk.png") == 1
    result = json.loads(capsys.readouterr().out)
    assert [r["verification"]["status"] for r in result] == ["expired", "unreadable"]
    assert result[0]["spec"] == "ob3" and result[0]["expires"] == "2020-01-01"
    assert result[1]["verification"]["reason"].startswith("Not a PNG image")


def test_bake_round_trip(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = ed_key()
    did = did_key(key)
    write(workdir, "cred.jwt", vc_jwt(ob3_credential(did), key, header={"kid": kid_for(did)}))
    write(workdir, "plain.svg", svg_image())
    assert run("badges", "bake", "plain.svg", "cred.jwt", "-o", "out/maze.svg") == 1
    assert capsys.readouterr().err.startswith("out/maze.svg: error: cannot be written")
    (workdir / "out").mkdir()
    assert run("badges", "bake", "plain.svg", "cred.jwt", "-o", "out/maze.svg") == 0
    out = capsys.readouterr().out
    assert out == (
        "out/maze.svg: baked Maze Game Coder (SVG, Open Badges 3.0, signed VC-JWT); "
        "offline check: verified\n"
    )
    assert b"<openbadges:credential verify=" in (workdir / "out" / "maze.svg").read_bytes()


@pytest.mark.parametrize(
    ("files", "argv_out", "message"),
    [
        (
            {"a.png": png_image(), "c.json": b'{"title": "x"}'},
            "o.png",
            "c.json: error: the JSON is not an Open Badge",
        ),
        ({"a.png": b"GIF89a", "c.json": b"{}"}, "o.png", "a.png: error: not a PNG or SVG image"),
        (
            {"a.png": png_image(), "c.json": b"{}"},
            "o.svg",
            "o.svg: error: the image is PNG, so the output name should end in .png",
        ),
        ({"c.json": b"{}"}, "o.png", "a.png: error: no such file"),
        (
            {"a.svg": b"<svg><unclosed></svg>", "c.json": json.dumps(ob2_assertion()).encode()},
            "o.svg",
            "a.svg: error: not a well-formed SVG file",
        ),
    ],
)
def test_bake_user_errors(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, bytes],
    argv_out: str,
    message: str,
) -> None:
    for name, data in files.items():
        write(workdir, name, data)
    image = next((n for n in files if n.startswith("a.")), "a.png")
    assert run("badges", "bake", image, "c.json", "-o", argv_out) == 1
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_badges_without_a_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run("badges")
    assert info.value.code == 2
