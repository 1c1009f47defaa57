"""Small typed validators shared by portfolio.yml and front matter.

Each validator takes a value and returns the cleaned value or raises
``Invalid`` with a message that completes ``<key>: ...``; the caller adds the
key path and the line. This keeps every rule in one place and lets a run
collect every problem before failing (MkDocs' habit).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
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


@functools.lru_cache(maxsize=65536)
def slugify(value: str) -> str:
    """Lower-case ASCII slug: letters, digits and single hyphens."""
    import unicodedata

    normal = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normal.lower()).strip("-")
    return slug or "item"
