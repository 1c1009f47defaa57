"""Reading one source file: its settings, its text and the Markdown renderer.

Shared by content/projects.py and content/feedback.py (a feedback note is
read and rendered like its project), so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import digest, source_hash
from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from ..media.reading import SETTINGS as MEDIA_SETTINGS

if TYPE_CHECKING:
    from .markdown import MarkdownRenderer

MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True)
class ReadSettings:
    """Everything a source's record depends on besides its own files."""

    root: Path
    levels: tuple[str, ...]
    allow_raw_html: bool = False
    media: str = MEDIA_SETTINGS  # image widths and limits: records made with others are stale
    image_hosts: tuple[str, ...] = ()  # hosts whose images pages may load (allow_images_from)
    publish_html: bool = False  # web pages in bundles published as pages (paths.py)
    alert_titles: tuple[str, ...] = ()  # GitHub alerts' titles in the site's language (alerts.py)


_renderers: dict[tuple[bool, tuple[str, ...], bool, tuple[str, ...]], MarkdownRenderer] = {}


def renderer(settings: ReadSettings) -> MarkdownRenderer:
    """The Markdown renderer for these read settings (one per process and settings)."""
    key = (
        settings.allow_raw_html,
        settings.image_hosts,
        settings.publish_html,
        settings.alert_titles,
    )
    if key not in _renderers:
        # imported here: cmark-gfm, nh3 and Pygments are needed only to read a source
        from .markdown import MarkdownRenderer

        _renderers[key] = MarkdownRenderer(*key)
    return _renderers[key]


def before_readers_fork(settings: ReadSettings, paths: Iterable[Path]) -> None:
    """What a process makes before it forks readers, so that each need not: the
    renderer with its shortcut set up (~9 ms) and the lexers of the languages the
    first sources use (content/fences.py ``warm``, ~50 ms for a few)."""
    from . import fences

    renderer(settings).shortcut()
    fences.warm(paths)


def hashed(path: Path, sig: str) -> tuple[str, bytes | None]:
    """A source's hash (``cache.source_hash``) and its bytes, for read_project: the
    file read once for both (None when it cannot be: read_project says why)."""
    try:
        data = path.read_bytes()
    except OSError:
        return source_hash(path, sig), None
    return digest(data, sig), data


def read_text(path: Path, diagnostics: Diagnostics, data: bytes | None = None) -> str | None:
    """A source file as text (``data``: its bytes, read already), or None with an
    error that says why."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        diagnostics.error(path, f"cannot read: {exc.strerror or exc}")
        return None
    if len(data) > MAX_SOURCE_BYTES:
        diagnostics.error(
            path,
            f"file is {len(data) // 1000} kB; sources are limited to {MAX_SOURCE_BYTES // 1000} kB",
        )
        return None
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(path, "not UTF-8 text; save the file as UTF-8", line)
        return None
