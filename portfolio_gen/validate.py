"""Small typed validators shared by portfolio.yml and front matter.

Each validator takes a value and returns the cleaned value or raises
``Invalid`` with a message that completes ``<key>: ...``; the caller adds the
key path and the line. This keeps every rule in one place and lets a run
collect every problem before failing (MkDocs' habit).
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any


class Invalid(ValueError):
    pass


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return type(value).__name__


def text(value: Any) -> str:
    """Text; numbers are accepted and turned into text (a title '1984')."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"expected text, got {describe(value)}")
    result = str(value).strip()
    if not result:
        raise Invalid("expected text, got an empty value")
    return result


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {describe(value)}")
    return value


def text_list(value: Any) -> list[str]:
    """A list of text; a single text is accepted as a list of one."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"expected a list of text, got {describe(value)}")
    out = []
    for index, item in enumerate(value):
        try:
            out.append(text(item))
        except Invalid as exc:
            raise Invalid(f"item {index + 1}: {exc}") from None
    return out


def hosts(value: Any) -> list[str]:
    """Host names, such as ``images.example.org`` (no scheme, no path)."""
    names = text_list(value)
    for name in names:
        if not re.fullmatch(
            r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+",
            name,
        ):
            raise Invalid(f"expected host names like images.example.org, got {name!r}")
    return [name.lower() for name in names]


def date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise Invalid(f"expected an ISO date like 2026-03-14, got {value!r}")


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def url(value: Any) -> str:
    result = text(value)
    if not _URL.match(result):
        raise Invalid(f"expected a web address starting with https:// or http://, got {result!r}")
    return result


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        result = text(value)
        if result not in choices:
            from .diagnostics import did_you_mean

            hint = did_you_mean(result, choices)
            raise Invalid(f"expected one of {', '.join(choices)}, got {result!r}{hint}")
        return result

    return check


# Slugs: page addresses made from names (docs/content.md, "Page addresses (slugs)").
SLUG_MAX_CHARS = 80
SLUG_MAX_BYTES = 200  # of UTF-8: file systems allow 255 bytes a name (4-byte letters: 50)
# Latin letters with no decomposition to a base letter and accents.
_LATIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l",
                        "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l"})  # fmt: skip
# Symbols that are part of a name: 'C++', 'C#', 'F#', 'A+' at the end of a word,
# '.NET' at the start of one. Elsewhere they separate words like any punctuation.
_NAMED = re.compile(r"(?=[+#.])(?:(?<=[^\W_])([+#]+)(?![^\W_])|(?<!\S)\.(?=[^\W\d_]))")


def _spell_symbols(name: str) -> str:
    if "+" in name or "#" in name or "." in name:
        return _NAMED.sub(_named, name)
    return name


def _named(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return "dot"
    return "".join(" plus " if c == "+" else " sharp " for c in match.group(1))


@functools.lru_cache(maxsize=65536)
def slugify(value: str) -> str:
    """The page address for a name: letters and digits of any script, single hyphens.

    Latin letters lose their accents ('Ünïcödé' -> 'unicode', 'straße' ->
    'strasse'), other scripts are kept as they are ('Робототехника' ->
    'робототехника'); a name with no letter or digit gets 'item-' and a short
    hash of the name, so two such names do not meet. At most SLUG_MAX_CHARS
    characters, cut at a hyphen where there is one.
    """
    name = unicodedata.normalize("NFKC", value)
    if name.isascii():  # the common case: what _letters() gives (a test holds it), faster
        slug = _ASCII_SEPARATORS.sub("-", _spell_symbols(name).lower()).strip("-")
    else:
        slug = _letters(name)
    if not slug:
        return "item-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return _shorten(slug)


_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _letters(name: str) -> str:
    """The letters, digits and marks of an NFKC-normal name, hyphens between words."""
    folded = unicodedata.normalize("NFKC", _spell_symbols(name).casefold())
    out: list[str] = []
    latin = False  # the last kept letter is Latin: its accents are dropped
    # (_LATIN after NFD: 'ǣ' is 'æ' and a macron, and its slug 'ae', as 'æ''s)
    for char in unicodedata.normalize("NFD", folded).translate(_LATIN):
        kind = unicodedata.category(char)
        if kind[0] in "LN":
            latin = char.isascii() or unicodedata.name(char, "").startswith("LATIN")
            out.append(char)
        elif kind[0] == "M":
            if out and out[-1] != "-" and not latin:
                out.append(char)  # a vowel sign or an accent of a non-Latin letter
        elif kind != "Cf":  # invisible format characters (soft hyphen, joiners) join
            if out and out[-1] != "-":
                out.append("-")
            latin = False
    return unicodedata.normalize("NFC", "".join(out)).strip("-")


def _shorten(slug: str) -> str:
    """At most SLUG_MAX_CHARS characters (and SLUG_MAX_BYTES bytes), cut at a
    hyphen when one is in the second half, never between a letter and its marks."""
    end = min(len(slug), SLUG_MAX_CHARS)
    while len(slug[:end].encode("utf-8")) > SLUG_MAX_BYTES:
        end -= 1
    if end == len(slug):
        return slug
    while unicodedata.category(slug[end])[0] == "M":
        end -= 1
    cut = slug[:end]
    if slug[end] != "-" and "-" in cut[end // 2 :]:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")
