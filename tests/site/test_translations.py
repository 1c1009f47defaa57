"""The demo portfolio built in Spanish and in Arabic shows no English, catalog or not.

Every page of the demo (the repository's content/, badges/, standards/ and
portfolio.yml, copied with ``language:`` changed) is read as text blocks and
attribute values people see or hear (alt, title, aria-label, the description).
What the learner or a badge issuer wrote is theirs and stays as written: a text
node is the user's when it is a value of their sources (front matter, YAML, a
badge's fields) or a run of three words or more of their Markdown. Everything
else came from the theme or the code, and must not be English:

(a) no English string of the theme's catalog (site/messages.py) whose
    translation differs may appear in it;
(b) in Spanish, none of a list of common English words; in Arabic, no Latin
    word at all but a few names (Open Badges, CASE...).

``test_the_check_finds_an_untranslated_string`` proves both halves fail: a
template given a new t() string and one showing the verifier's own reason.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from portfolio_gen import yamlio
from portfolio_gen.badges import is_badge_file, read_badge
from portfolio_gen.build import Options, load
from portfolio_gen.cli import main
from portfolio_gen.site import messages
from portfolio_gen.site.i18n import Translations
from portfolio_gen.site.themes import builtin_themes

REPO = Path(__file__).resolve().parents[2]
DEMO_FILES = ("portfolio.yml", "avatar.png", "content", "badges", "standards")

INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "em", "i", "kbd", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label",
}  # fmt: skip
SKIPPED = {"script", "style", "pre", "code", "svg", "template", "noscript"}
ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
# Whole words that are English and not Spanish (a Spanish page must not have them).
ENGLISH_WORDS = frozenset(
    """the and of with this that these those is are was were be been has have had
    not by from for to on at in into it its an or as if but which who what when where
    badge badges project projects issued issuer verified unverified unconfirmed checked
    signature key file online offline run could only can should will would yet still
    goal goals evidence standard standards page site learner portfolio unknown none
    endorsement endorses about bytes loads click see more read open all""".split()
)
# Latin words an Arabic page may show outside the user's content: names of things.
LATIN_NAMES = frozenset({"Open", "Badges", "CASE", "URI", "PDF", "kB", "MB", "GB"})
MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # a link or image: its text
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
# Names shown as they are in every language: standards, the tool and its files, hosts.
NAMES = re.compile(
    r"Open Badges|Common Core|portfolio-gen|portfolio\.json|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|edu)\b"
)  # and web hosts
PUNCTUATION = " \t\n·,:;()[]–—-.!?\"'«»“”‘’…/|"


def copy_demo(dest: Path, language: str) -> Path:
    dest.mkdir(parents=True)
    for name in DEMO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    config = dest / "portfolio.yml"
    lines = [
        ln
        for ln in config.read_text(encoding="utf-8").splitlines()
        if not ln.startswith("language:")
    ]
    config.write_text("\n".join([*lines, f"language: {language}"]) + "\n", encoding="utf-8")
    return dest


def build(root: Path) -> Path:
    assert main(["build", str(root), "--quiet"]) == 0
    return root / "site"


def _strings(value: object, found: set[str]) -> None:
    """Every string in a badge's data but what the verifier says (its reasons)."""
    if isinstance(value, str):
        found.add(" ".join(value.split()))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("verification", "missing"):
                _strings(getattr(value, f.name), found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, found)
    elif isinstance(value, dict):
        for k, item in value.items():
            _strings(k, found)
            _strings(item, found)


class UserContent:
    """What the learner and the issuers wrote: their values, and their Markdown and YAML."""

    def __init__(self, root: Path) -> None:
        self.values: set[str] = set()
        texts = []
        for path in sorted(root.rglob("*")):
            if path.relative_to(root).parts[0] not in DEMO_FILES or not path.is_file():
                continue
            if path.suffix in (".md", ".yml", ".yaml", ".json"):
                texts.append(path.read_text(encoding="utf-8"))
            if path.suffix == ".yml":
                _strings(yamlio.load(texts[-1]).data, self.values)
            if path.parent.name == "badges" and is_badge_file(path):
                badge, _ = read_badge(path, root=root)
                _strings(badge, self.values)
        texts = [_plain(text) for text in texts]
        texts += [MARKDOWN.sub(r"\1", text).replace("\n> ", "\n") for text in texts]
        for text in texts:
            for line in text.splitlines():  # YAML and front matter values, Markdown's pieces
                _, _, value = line.partition(":")
                self.values.add(value.strip().strip("\"'[]"))
                self.values.update(p.strip(PUNCTUATION) for p in re.split(r"[|*_\[\]()#`>]", line))
        self.text = " ".join(" ".join(texts).split())
        result, loaded = load(root, Options())  # the standards' own data (not the item types)
        assert loaded is not None, result.diagnostics
        for node in loaded.portfolio.standards:
            _strings(dataclasses.replace(node.standard, item_type=None), self.values)
        data = json.loads((root / "site" / "portfolio.json").read_text(encoding="utf-8"))
        for badge in data["badges"]:
            badge.pop("verification", None)
        _strings(data, self.values)
        self.values = {_plain(v) for v in self.values} - {""}
        keys = set(messages.theme_strings())
        names = sorted(
            (v for v in self.values if _quotable(v) and v not in keys), key=len, reverse=True
        )
        self.inside = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        self.seen: dict[str, str] = {}

    def others(self, node: str) -> str:
        """A text node without its parts (between " – ", " · ") that are the user's,
        and without the user's values it quotes ("the picture of Maya R.", "coding")."""
        if node not in self.seen:
            parts = re.split(r" [–·|] ", " ".join(_plain(node).split()))
            left = " · ".join(p for p in parts if not self._owns(p))
            self.seen[node] = self.inside.sub(" ", left)
        return self.seen[node]

    def _owns(self, part: str) -> bool:
        core = part.removesuffix("...").strip(PUNCTUATION)
        if not core or part in self.values or core in self.values:
            return True
        return len(core.split()) >= 3 and core in self.text


def _quotable(value: str) -> bool:
    """Whether a user's value is looked for inside template sentences ("Projects about
    robotics"): names of two words or more, or of one word but not a common English one."""
    if len(value.split()) >= 2:
        return True
    return len(value) >= 3 and value.lower() not in ENGLISH_WORDS


def _plain(text: str) -> str:
    """Text with typographic quotes made straight (Markdown curls them)."""
    return text.translate(QUOTES)


def _blocks(soup: BeautifulSoup, user: UserContent) -> list[str]:
    """The page's visible text as blocks, with the user's own text nodes left out."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            blocks.append(text)
        current.clear()

    def walk(tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or doctype
                    current.append(f" {user.others(str(child))} ")
            elif isinstance(child, Tag) and child.name not in SKIPPED:
                if child.get("lang") == "en":  # marked English on purpose: the CCSS catalog's text
                    continue
                for name in ATTRIBUTES:
                    value = child.get(name)
                    if isinstance(value, str):
                        blocks.append(user.others(value))
                if child.name == "meta" and child.get("name") == "description":
                    blocks.append(user.others(child.get("content", "")))
                inline = child.name in INLINE
                if not inline:
                    flush()
                walk(child)
                if not inline:
                    flush()

    walk(soup)
    flush()
    return blocks


def _pattern(english: str) -> re.Pattern[str] | None:
    """A catalog key as a pattern over page text; None when it has no words of its own."""
    parts = re.split(r"\{[^{}]*\}", english)
    if not any(re.search(r"[A-Za-z]{2,}", p) for p in parts):
        return None
    words = []
    for part in (" ".join(p.split()) for p in parts):
        start = r"(?<![A-Za-z])" if part[:1].isalpha() else ""
        end = r"(?![A-Za-z])" if part[-1:].isalpha() else ""
        words.append(start + re.escape(part) + end)
    return re.compile(".+?".join(words))


def english_on_pages(site: Path, language: str, user: UserContent) -> dict[str, set[str]]:
    """Page -> the English found on it: catalog strings, and English (or Latin) words."""
    catalog = Translations(builtin_themes() / "default", language)
    keys = [
        (text, pattern)
        for text in messages.theme_strings()
        if catalog.strings.get(text, text) != text and (pattern := _pattern(text))
    ]
    found: dict[str, set[str]] = {}
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        page = path.relative_to(site).as_posix()
        for block in (NAMES.sub(" ", b).strip() for b in _blocks(soup, user)):
            if not block:
                continue
            for text, pattern in keys:
                if pattern.search(block):
                    found.setdefault(page, set()).add(f"catalog string {text!r} in {block!r}")
            words = set(re.findall(r"[A-Za-z][A-Za-z']*", block))
            if language == "ar":
                bad = {w for w in words if len(w) > 1 and w not in LATIN_NAMES}
            else:
                bad = {w for w in words if w.lower() in ENGLISH_WORDS}
            if bad:
                found.setdefault(page, set()).add(f"English {sorted(bad)} in {block!r}")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict[str, tuple[Path, UserContent]]:
    folder = tmp_path_factory.mktemp("demo-languages")
    sites = {}
    for language in ("en", "es", "ar"):
        root = copy_demo(folder / language, language)
        sites[language] = (build(root), UserContent(root))
    return sites


COMMANDS = "init|new|build|serve|check|badges|badge|standards|hub|export|review|screenshot"
FLAG = re.compile(rf"(?<![\w-])--[a-z][a-z-]*|\bportfolio-gen (?:{COMMANDS})\b|\brun with\b")


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_no_page_shows_command_line_wording(demo, language):
    """A viewer never reads "run with --online": the demo's hosted badge, checked
    offline, says when it was checked and where to confirm it instead."""
    site, _ = demo[language]
    found = {}
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for meta in soup.find_all("meta", attrs={"name": "generator"}):
            meta.decompose()  # <meta name="generator" content="portfolio-gen 0.1.0">
        texts = [soup.get_text(" ")] + [
            str(tag.get(a)) for tag in soup.find_all(True) for a in ATTRIBUTES if tag.get(a)
        ]
        hits = {m.group(0) for text in texts for m in FLAG.finditer(text)}
        if hits:
            found[path.relative_to(site).as_posix()] = hits
    assert not found, found
    hosted = BeautifulSoup(
        (site / "badges/creek-watcher/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    reason = hosted.select_one(".status-reason")
    built = Translations(builtin_themes() / "default", language).date(datetime.date.today())
    assert reason.select_one("bdi").get_text() == built  # the day it was checked
    assert (
        reason.select_one("a")["href"] == "https://millcreek.example.org/badges/creek-watcher.html"
    )


def _report(found: dict[str, set[str]]) -> str:
    return "\n".join(f"{page}:\n  " + "\n  ".join(sorted(items)) for page, items in found.items())


@pytest.mark.parametrize("language", ["es", "ar"])
def test_no_english_reaches_a_page(demo, language):
    site, user = demo[language]
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30  # every page of the demo, badges and standards included
    found = english_on_pages(site, language, user)
    assert not found, f"English on the {language} site:\n{_report(found)}"


def test_the_check_finds_an_untranslated_string(tmp_path):
    """A new t() string nobody translated, and the verifier's English reason, are both found."""
    root = copy_demo(tmp_path / "es", "es")
    override = root / "templates" / "partials"
    override.mkdir(parents=True)
    status = (builtin_themes() / "default" / "templates" / "partials" / "status.html").read_text(
        encoding="utf-8"
    )
    (override / "status.html").write_text(
        status
        + '<p>{{ t("Verified by the club on its own server") }}</p>\n'
        + "<p>{{ badge.verification.reason }}</p>\n",
        encoding="utf-8",
    )
    site = build(root)
    found = english_on_pages(site, "es", UserContent(root))
    card = "\n".join(found.get("badges/index.html", ()))
    assert "Verified by the club on its own server" in card  # (b): English words
    assert "hosted badge can only be checked" in card  # the verifier's reason
    # (a): a catalog string, translated in es.yml, left in English by a template
    (override / "status.html").write_text(
        status + '<p>{{ "Badges by issuer" }}</p>\n', encoding="utf-8"
    )
    site = build(root)
    found = english_on_pages(site, "es", UserContent(root))
    assert "catalog string 'Badges by issuer'" in "\n".join(found.get("badges/index.html", ()))
