"""Property-based tests: whatever the input, only diagnostics come out, never an exception.

CI runs a short session. A longer one: HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
(docs/security.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio_gen.config import load_config
from portfolio_gen.content.markdown import LinkTarget, MarkdownRenderer, resolve_target
from portfolio_gen.content.projects import ReadSettings, read_project
from portfolio_gen.diagnostics import Diagnostics

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

MD = MarkdownRenderer()
ROOT = Path(tempfile.mkdtemp(prefix="portfolio-fuzz-"))
(ROOT / "content/projects").mkdir(parents=True)
SETTINGS = ReadSettings(ROOT, ("beginning", "developing", "proficient", "extending"))

markdownish = st.text(
    alphabet=st.sampled_from(list("ab \n#*_-`[]()!<>\"'/:.|\\^~=&;{}0123456789")) | st.characters(),
    max_size=400,
)
yamlish = st.text(
    alphabet=st.sampled_from(list("abtd: -[]{}\n'\"#&*!|>%@,0123456789.")) | st.characters(),
    max_size=300,
)
KEYS = ["title", "date", "summary", "interests", "setting", "program", "mentors", "collaborators",
        "standards", "badges", "cover", "draft", "featured", "reflection", "code", "rationale", "level"]  # fmt: skip
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(markdownish)
def test_markdown_never_raises_and_links_stay_relative(text):
    result = MD.render(text, "projects/a/index.md")
    assert isinstance(result.html, str)
    for target in result.links + result.images:
        assert not target.url.startswith("/") and ".." not in target.url.split("/")
    assert "<script" not in result.html.lower()


@given(st.text(max_size=80), st.sampled_from(["projects/a/index.md", "projects/a.md", "about.md"]))
def test_link_resolution_never_escapes(raw, source):
    target = resolve_target(source, raw, 1)
    if isinstance(target, LinkTarget):
        parts = target.url.split("/")
        assert ".." not in parts and not target.url.startswith("/")
        assert target.kind in ("project", "page", "file", "badge")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.one_of(yamlish.map(lambda y: f"---\n{y}\n---\nbody\n"), markdownish))
def test_front_matter_text_never_raises(text):
    path = ROOT / "content/projects/fuzz.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: invalid UTF-8
    project, diagnostics = read_project(path, SETTINGS)
    assert project is not None or any(d.is_error for d in diagnostics)


@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8))
def test_front_matter_values_never_raise(meta):
    import yaml

    path = ROOT / "content/projects/values.md"
    path.write_bytes(
        ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nBody\n").encode(
            "utf-8", "surrogatepass"
        )
    )
    project, diagnostics = read_project(path, SETTINGS)
    assert project is not None or any(d.is_error for d in diagnostics)


@given(yamlish)
def test_config_never_raises(text):
    (ROOT / "portfolio.yml").write_bytes(text.encode("utf-8", "surrogatepass"))
    diagnostics = Diagnostics(ROOT)
    config = load_config(ROOT, diagnostics)
    assert config is not None or diagnostics.errors


def assert_read_as_input(badge, diagnostics, where):
    """What read_badge makes of any bytes: a badge with a status, never a bug of ours.

    read_badge turns every exception into an unreadable badge (a build never
    stops on one file), but one that is not an input error (a TypeError, an
    AttributeError...) says BUG: that fails here.
    """
    from portfolio_gen.badges.reader import BUG

    status = badge.verification.status
    assert status in ("unreadable", "failed", "unverified", "verified", "expired", "revoked")
    assert BUG not in badge.verification.reason, badge.verification.reason
    assert not any(BUG in d.message for d in diagnostics), diagnostics
    if status == "unreadable":  # said at the file, as a warning
        assert diagnostics and diagnostics[0].path == where, diagnostics


@given(st.binary(max_size=2000), st.sampled_from(["b.png", "b.svg", "b.json", "b.jwt", "b.jws"]))
def test_badge_files_never_raise(data, name):
    from portfolio_gen.badges import read_badge

    path = ROOT / "badges" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    badge, diagnostics = read_badge(path, root=ROOT)
    assert_read_as_input(badge, diagnostics, f"badges/{name}")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@given(
    st.lists(
        st.tuples(
            st.sampled_from([b"IHDR", b"iTXt", b"tEXt", b"zTXt", b"IEND"]), st.binary(max_size=200)
        ),
        max_size=5,
    )
)
def test_png_chunk_soup_never_raises(chunks):
    import struct
    import zlib

    from portfolio_gen.badges import read_badge

    data = PNG_SIGNATURE + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks
    )
    path = ROOT / "badges" / "soup.png"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    badge, diagnostics = read_badge(path, root=ROOT)
    assert_read_as_input(badge, diagnostics, "badges/soup.png")
    if badge.verification.status == "unreadable":  # a PNG with no badge in it says which
        assert (
            badge.verification.reason
            and "PNG" in badge.verification.reason
            or ("could not be read" in badge.verification.reason)
        ), badge.verification.reason


# Pieces an attacker combines: other hosts in every spelling a browser accepts,
# script in attributes and schemes, the raw-HTML elements that load things.
HOSTILE = [
    "https://evil.example/x.png", "https:\\\\evil.example/x.png", "https:/evil.example/x.png",
    "https:&#10;//evil.example/x.png", "//evil.example/x.png", " \thttps://evil.example/x.png",
    "javascript:alert(1)", "java&#9;script:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>",
]  # fmt: skip
ELEMENTS = [
    '<img src="{u}">', '<img srcset="a.png 1x, {u} 2x">', '<video poster="{u}"></video>',
    '<picture><source srcset="{u}"></picture>', '<a href="{u}" onclick="x()">a</a>',
    "![a]({u})", "[a]({u})", "<{u}>", '<svg><image href="{u}"/></svg>', '<div style="background:url({u})">',
]  # fmt: skip
LOADS = ("src", "srcset", "poster", "background", "href", "xlink:href")


@given(
    st.lists(st.tuples(st.sampled_from(ELEMENTS), st.sampled_from(HOSTILE)), max_size=6),
    markdownish,
)
def test_hostile_markdown_loads_nothing_elsewhere_and_runs_nothing(pieces, text):
    from bs4 import BeautifulSoup

    source = "\n\n".join(element.format(u=url) for element, url in pieces) + "\n\n" + text
    result = MD.render(source, "projects/a/index.md")
    for tag in BeautifulSoup(result.html, "html.parser").find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            value = " ".join(value) if isinstance(value, list) else value
            lowered = "".join(value.split()).lower()
            assert "javascript:" not in lowered, tag
            if name in LOADS and tag.name != "a":  # a link elsewhere is only a link
                assert "evil.example" not in lowered, tag
    assert not any(c in result.summary for c in "\x00\x02\x03"), result.summary


@given(
    st.lists(
        st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s), min_size=1, max_size=4
    )
)
def test_links_to_any_file_name_are_relative_and_have_no_scheme(names):
    from urllib.parse import unquote, urlsplit

    from portfolio_gen.urls import relative_url

    target = "projects/x/" + "/".join(names)
    link = relative_url("projects/y/", target)
    parts = urlsplit(link)
    assert not parts.scheme and not parts.netloc and not parts.query and not parts.fragment
    assert unquote(link) == "../x/" + "/".join(names)


def test_a_bug_in_the_badge_reader_fails_the_fuzz_check(monkeypatch):
    """The check above can fail: a TypeError inside the reader (a bug) is caught by
    read_badge, which says BUG, and assert_read_as_input refuses it; a ValueError
    (what bad input raises) is an unreadable badge like any other."""
    from portfolio_gen.badges import read_badge, reader

    path = ROOT / "badges" / "bug.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b'{"type": "Assertion"}')

    def broken(*args, **kwargs):
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(reader, "normalise_ob2", broken)
    monkeypatch.setattr(reader, "normalise_ob3", broken)
    monkeypatch.setattr(reader, "not_a_badge_reason", broken)
    badge, diagnostics = read_badge(path, root=ROOT)
    assert badge.verification.status == "unreadable"
    assert reader.BUG in badge.verification.reason and "TypeError" in badge.verification.reason
    with pytest.raises(AssertionError):
        assert_read_as_input(badge, diagnostics, "badges/bug.json")

    def bad_input(*args, **kwargs):
        raise ValueError("not a date")

    for name in ("normalise_ob2", "normalise_ob3", "not_a_badge_reason"):
        monkeypatch.setattr(reader, name, bad_input)
    badge, diagnostics = read_badge(path, root=ROOT)
    assert badge.verification.status == "unreadable"
    assert_read_as_input(badge, diagnostics, "badges/bug.json")
