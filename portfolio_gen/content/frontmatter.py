"""Split a Markdown source into its YAML front matter and body."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import field

from .. import yamlio
from ..cache import loads
from ..lazy_dataclass import dataclass


@dataclass
class Source:
    """A Markdown source split into its front matter and its body."""

    meta: yamlio.Located  # data is {} when there is no front matter
    body: str
    body_line: int  # 1-based line where the body starts
    has_front_matter: bool
    # the front matter as parsed: {its key: the pickled document}, for the next read
    parsed: dict[str, bytes] = field(default_factory=dict)


class FrontMatterProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def split(text: str, known: Mapping[str, bytes] | None = None) -> Source:
    """Parse ``---``-delimited YAML at the top of ``text``; raise FrontMatterProblem.

    ``known`` is ``parsed`` from an earlier read of the source: front matter
    that has not changed is taken from there instead of parsed again.
    """
    text = text.removeprefix("\ufeff")
    first, sep, rest = text.partition("\n")
    if first.rstrip() != "---":
        return Source(yamlio.Located({}), text, 1, False)
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1 :])
            break
    else:
        raise FrontMatterProblem(
            "front matter starts with '---' but never ends; add a closing '---' line", 1
        )
    key = yamlio.document_key(yaml_text, line_offset=1)
    saved = known.get(key) if known else None
    try:
        # ``saved`` comes from the records file: verified, and unpickled as cache data
        meta = loads(saved) if saved else yamlio.load(yaml_text, line_offset=1)
    except yamlio.YAMLProblem as exc:
        raise FrontMatterProblem(f"front matter: {exc.message}", exc.line) from None
    parsed = {key: saved or pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL)}
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        raise FrontMatterProblem(
            f"front matter must be a mapping of keys (title: ..., date: ...), not "
            f"{_kind(meta.data)}",
            2,
        )
    return Source(meta, body, index + 3, True, parsed)


def _kind(value: object) -> str:
    from ..validate import describe

    return describe(value)
