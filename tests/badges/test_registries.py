"""The badge registries: containers (containers.CONTAINERS), payload formats
(reader.FORMATS) and verification methods (verify.METHODS). Reading goes
through them: one more entry is one more way to read or check a badge."""

from __future__ import annotations

import json
from pathlib import Path

from support.badge_factory import ob2_assertion, png_image, write

from portfolio_gen.badges import bake, containers, read_badge, verify
from portfolio_gen.badges.containers import CONTAINERS, Container, Payload
from portfolio_gen.badges.fetch import Response
from portfolio_gen.badges.files import BADGE_SUFFIXES
from portfolio_gen.badges.reader import BUG, FORMATS


def test_the_containers_are_the_badge_suffixes_each_once():
    suffixes = [s for c in CONTAINERS for s in c.suffixes]
    assert suffixes == list(BADGE_SUFFIXES)
    assert len({c.name for c in CONTAINERS}) == len(CONTAINERS)
    assert set(FORMATS) == {"url", "json", "jws"}  # what containers.classify returns


def test_one_more_container_reads_one_more_kind_of_file(tmp_path: Path, monkeypatch) -> None:
    def extract_text(data: bytes, suffix: str) -> Payload:
        return Payload(data.decode("utf-8"), "json", "txt", "the text file")

    extra = Container("txt", (".txt",), extract_text)
    monkeypatch.setattr(containers, "CONTAINERS", (*CONTAINERS, extra))
    path = write(tmp_path, "maker.txt", json.dumps(ob2_assertion()))
    badge, _ = read_badge(path, root=tmp_path)
    assert (badge.name, badge.container, badge.spec) == ("Maker Level 1", "txt", "ob2")


def test_a_picture_with_another_suffix_is_read_by_the_container_that_sniffs_it(tmp_path):
    path = write(tmp_path, "maker.bin", bake(png_image(), json.dumps(ob2_assertion())))
    badge, _ = read_badge(path, root=tmp_path)
    assert (badge.name, badge.container) == ("Maker Level 1", "png")
    path.write_bytes(b"GIF89a")
    badge, _ = read_badge(path, root=tmp_path)
    assert badge.verification.reason == ("Not a badge file (expected PNG, SVG, JSON, JWS or JWT).")
    assert badge.container is None  # chosen by no suffix: says no container


def test_the_first_method_that_applies_checks_the_badge(tmp_path: Path, monkeypatch) -> None:
    def refuse(inp: verify.Input, ev: verify.Findings) -> None:
        ev.failures.append("the made-up method refuses it")

    first = verify.Method("made up", lambda inp: True, refuse)
    monkeypatch.setattr(verify, "METHODS", (first, *verify.METHODS))
    path = write(tmp_path, "maker.json", json.dumps(ob2_assertion()))
    badge, _ = read_badge(path, root=tmp_path)
    assert badge.verification.status == "failed"
    assert badge.verification.reason == "The made-up method refuses it."


def test_a_hosted_assertion_that_is_json_null_is_bad_input_not_a_bug(tmp_path: Path) -> None:
    url = "https://hive-maker.example.org/assertions/42.json"
    path = write(tmp_path, "maker.png", bake(png_image(), url))
    fetch = lambda u: Response(u, 200, b"null")  # noqa: E731 - a hostile issuer's server
    badge, _ = read_badge(path, root=tmp_path, online=True, fetch=fetch)
    assert badge.verification.status == "unreadable"
    assert BUG not in badge.verification.reason
