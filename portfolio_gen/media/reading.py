"""Media in pages: pictures, video and audio, embeds, as a source shows them.

Read time (``MediaReader``, used by content/projects.py): every picture a
source shows is probed (format and size from its header), problems become
warnings at the line that shows it, and the sanitized HTML of the body is
rewritten: each local ``<img>`` becomes a ``<picture>`` with ``srcset``,
``width`` and ``height`` (or the alt text, when the image cannot be shown),
each video or audio file a player with its captions. This runs after the
sanitizer, so nothing added here is stripped, and nothing the learner wrote
gets past it.

Embeds (``![title](https://www.youtube.com/watch?v=...)``) are recognised by
the Markdown renderer and written by ``embed_html``: a plain link that
static/embed.js turns into an iframe when the viewer clicks, so no page loads
anything from another host before that click.

Publishing the files is site/media.py's, at build time. Only probing an
image needs Pillow (media/images.py): it is imported where that happens, so a
build that finds every record in its cache imports it not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from ..cache import digest
from ..diagnostics import Diagnostics
from ..escaping import escape, unescape
from ..lazy_dataclass import dataclass
from ..paths import allowed, skipped
from ..patterns import lazy_compile
from ..urls import relative_url
from . import pictures
from .pictures import Picture, unavailable

MAX_FILE_BYTES = 100_000_000  # larger files are not published (GitHub refuses them)
MediaKind = Literal["image", "video", "audio", "file"]  # "file": any other kind
MEDIA_KINDS: dict[MediaKind, set[str]] = {
    "image": {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"},
    "video": {".mp4", ".webm", ".ogv", ".mov", ".m4v"},
    "audio": {".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac", ".opus"},
}
# `sizes` for each place a picture is shown (the theme's layout, see style.css)
BODY_SIZES = "(min-width: 44rem) 40rem, calc(100vw - 2rem)"
COVER_SIZES = "(min-width: 74rem) 70rem, calc(100vw - 2rem)"
CARD_SIZES_ATTR = "(min-width: 40rem) 22rem, calc(100vw - 4rem)"
GALLERY_SIZES = "(min-width: 40rem) 12rem, 45vw"
# Sorted: a set's order changes from one process to the next (hash randomisation).
_KINDS = sorted((kind, sorted(suffixes)) for kind, suffixes in MEDIA_KINDS.items())
SETTINGS = digest(
    pictures.SETTINGS, repr((MAX_FILE_BYTES, _KINDS, BODY_SIZES)), "media/2"
)  # 2: file policy, encoded URLs


def kind_of(name: str) -> MediaKind:
    suffix = Path(name).suffix.lower()
    return next((k for k, exts in MEDIA_KINDS.items() if suffix in exts), "file")


def too_big(size: int) -> str:
    return (
        f"is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES // 1_000_000} MB a published "
        "file may be (GitHub refuses larger files); make it smaller, or upload a video to "
        "YouTube and embed it"
    )


def withheld(path: Path) -> str | None:
    """Why a file is not published (too large, a photo format that keeps its metadata)."""
    suffix = path.suffix.lower()
    if suffix in pictures.NOT_FOR_THE_WEB:
        return pictures._not_for_the_web(pictures.NOT_FOR_THE_WEB[suffix])
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return too_big(size) if size > MAX_FILE_BYTES else None


# ---------------------------------------------------------------- captions


@dataclass(frozen=True)
class Track:
    """A WebVTT file beside a video or audio file: ``talk.vtt`` or ``talk.es.vtt``."""

    url: str
    key: str  # content path
    lang: str | None = None

    @property
    def kind(self) -> str:
        return "subtitles" if self.lang else "captions"


def tracks_for(path: Path, key: str, url: str) -> tuple[Track, ...]:
    """The captions beside media file ``path`` (content ``key``, site ``url``):
    the same name with .vtt, or with a language code (``talk.es.vtt``)."""
    try:
        names = sorted(
            p.name
            for p in path.parent.iterdir()
            if p.suffix.lower() == ".vtt" and not skipped(p.name)
        )
    except OSError:
        return ()
    folder_url = url.rsplit("/", 1)[0] + "/" if "/" in url else ""
    folder_key = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
    found: list[Track] = []
    for name in names:
        middle = name[len(path.stem) : -4] if name.startswith(path.stem) else None
        if middle == "":
            found.insert(0, Track(folder_url + name, folder_key + name))
        elif middle and re.fullmatch(r"\.[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?", middle):
            found.append(Track(folder_url + name, folder_key + name, middle[1:]))
    return tuple(found)


def player_html(
    kind: str, url: str, page_url: str, alt: str, tracks: tuple[Track, ...] = ()
) -> str:
    """A native player (controls, captions) with a link to the file inside as fallback."""
    src = _href(page_url, url)
    label = f' aria-label="{escape(alt)}"' if alt else ""
    parts = [f'<{kind} controls preload="metadata" src="{src}"{label}>']
    for i, track in enumerate(tracks):
        lang = f' srclang="{escape(track.lang)}" label="{escape(track.lang)}"' if track.lang else ""
        default = " default" if i == 0 else ""
        parts.append(
            f'<track kind="{track.kind}" src="{_href(page_url, track.url)}"{lang}{default}>'
        )
    parts.append(f'<a href="{src}">{escape(alt or url.rsplit("/", 1)[-1])}</a></{kind}>')
    return "".join(parts)


def _href(page_url: str, url: str) -> str:
    return escape(relative_url(page_url, url))


# ---------------------------------------------------------------- embeds


@dataclass(frozen=True)
class Embed:
    """A video or sketch from a provider, shown only after the viewer clicks."""

    provider: Literal["youtube", "scratch", "p5js", "codepen"]
    name: str  # shown to the viewer
    link: str  # the page on the provider's site (the fallback)
    frame: str  # loaded into an iframe on click
    host: str  # contacted on click

    def html(self, title: str) -> str:
        """Phrasing content, so it may sit inside a paragraph."""
        via = f' <span class="embed-via">{escape(self.name)}</span>' if title else ""
        return (
            f'<span class="embed embed-{self.provider}" data-embed="{escape(self.frame)}" '
            f'data-embed-host="{escape(self.host)}">'
            f'<a class="embed-link" href="{escape(self.link)}">'
            f'<span class="embed-title">{escape(title or self.name)}</span>{via}</a></span>'
        )


_YOUTUBE_ID = lazy_compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}


def embed_for(url: str) -> Embed | None:
    """The embed for a Scratch, YouTube, p5.js editor or CodePen address, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        video = None
        if host == "youtu.be" and path:
            video = path[0]
        elif path[:1] == ["watch"]:
            video = (query.get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video = path[1]
        if not video or not _YOUTUBE_ID.match(video):
            return None
        start = _seconds((query.get("t") or query.get("start") or [""])[0])
        frame = f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1"
        link = f"https://www.youtube.com/watch?v={video}"
        if start:
            frame, link = frame + f"&start={start}", link + f"&t={start}s"
        return Embed("youtube", "YouTube", link, frame, "www.youtube-nocookie.com")
    if host == "scratch.mit.edu" and len(path) >= 2 and path[0] == "projects" and path[1].isdigit():
        return Embed(
            "scratch",
            "Scratch",
            f"https://scratch.mit.edu/projects/{path[1]}/",
            f"https://scratch.mit.edu/projects/{path[1]}/embed",
            "scratch.mit.edu",
        )
    if host == "editor.p5js.org" and len(path) == 3 and path[1] in ("sketches", "full", "embed"):
        user, sketch = path[0], path[2]
        if re.fullmatch(r"[\w.-]+", user) and re.fullmatch(r"[\w-]+", sketch):
            return Embed(
                "p5js",
                "p5.js",
                f"https://editor.p5js.org/{user}/sketches/{sketch}",
                f"https://editor.p5js.org/{user}/full/{sketch}",
                "editor.p5js.org",
            )
    if host == "codepen.io" and len(path) == 3 and path[1] in ("pen", "full", "details", "embed"):
        user, pen = path[0], path[2]
        if re.fullmatch(r"[\w.-]+", user) and re.fullmatch(r"\w+", pen):
            return Embed(
                "codepen",
                "CodePen",
                f"https://codepen.io/{user}/pen/{pen}",
                f"https://codepen.io/{user}/embed/{pen}?default-tab=result",
                "codepen.io",
            )
    return None


def _seconds(value: str) -> int:
    """YouTube's start time: '90', '90s' or '1m30s' -> 90."""
    if value.isdigit():
        return int(value)
    found = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", value)
    if not found or not value:
        return 0
    h, m, s = (int(g or 0) for g in found.groups())
    return h * 3600 + m * 60 + s


# ---------------------------------------------------------------- read time


_IMG = lazy_compile(r'(<p>)?(<img\b(?:[^>"]|"[^"]*")*>)(</p>)?')
_ATTR = lazy_compile(r'([^\s=/>"]+)(?:="([^"]*)")?')


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one tag as the sanitizer writes it (double-quoted values)."""
    inner = tag[tag.index(" ") if " " in tag else len(tag) : -1].rstrip("/")
    return {name.lower(): unescape(value or "") for name, value in _ATTR.findall(inner)}


class MediaReader:
    """The files one source shows: probed once, problems reported at their line."""

    def __init__(self, root: Path, source: Path, diagnostics: Diagnostics) -> None:
        self.root = root
        self.content = root / "content"
        self.source = source
        self.diagnostics = diagnostics
        self.pictures: dict[str, Picture] = {}  # content key -> Picture
        self.extra: dict[str, Track] = {}  # caption files shown with videos in the text
        self._reported: set[tuple[str, str, int | None]] = set()

    def warn(self, message: str, line: int | None, at: Path | None = None) -> None:
        where = at or self.source
        if (str(where), message, line) not in self._reported:
            self._reported.add((str(where), message, line))
            self.diagnostics.warning(where, message, line)

    def _usable(self, key: str) -> Path | None:
        path = self.content / key
        if not allowed(self.root, path):
            return None  # reported by the read (links out) and link (missing files) stages
        return path

    def picture(
        self, key: str, url: str, line: int | None, raw: str, at: Path | None = None
    ) -> Picture | None:
        """The Picture for content file ``key``; a warning at ``line`` if it cannot be shown."""
        path = self._usable(key)
        if path is None:
            return None
        picture = self.pictures.get(key)
        if picture is None:
            source = path.relative_to(self.root).as_posix()
            problem = withheld(path)
            if problem:
                picture = Picture(url, source, problem=problem)
            else:
                from . import images

                picture = images.picture_for(url, path, source)
            self.pictures[key] = picture
        if picture.problem:
            if raw:
                self.warn(f"image {raw} {picture.problem}; its alt text is shown instead", line, at)
            else:
                self.warn(f"{picture.problem}; it is not published", line, at)
        return picture

    def file_problem(self, key: str, line: int | None, raw: str, what: str) -> str | None:
        """A warning if a linked or shown file will not be published."""
        path = self._usable(key)
        if path is None:
            return None
        problem = withheld(path)
        if problem:
            self.warn(f"{what} {raw} {problem}; it is not published", line)
        return problem

    def rewrite(
        self, html: str, page_url: str, sources: dict[str, Any], eager: bool = True
    ) -> tuple[str, bool]:
        """Pictures and players for the local ``<img>`` of sanitized ``html``.

        ``sources`` maps each ``src`` as written in ``html`` to its LinkTarget.
        The first picture is loaded eagerly if ``eager``; returns the HTML and
        whether ``eager`` is still unused.
        """
        if not sources or "<img" not in html:  # the search below tries every character
            return html, eager
        state = {"eager": eager}

        def replace(match: re.Match[str]) -> str:
            opening, tag, closing = match.groups()
            attrs = attributes(tag)
            target = sources.get(attrs.get("src", ""))
            if target is None:
                return match.group(0)
            alone = bool(opening and closing)
            alt = attrs.get("alt", "")
            kind = kind_of(target.key)
            if kind in ("video", "audio"):
                problem = self.file_problem(target.key, target.line, target.raw, kind)
                if problem or self._usable(target.key) is None:
                    markup = str(unavailable(alt, target.url))
                else:
                    path = self.content / target.key
                    tracks = tracks_for(path, target.key, target.url)
                    for track in tracks:
                        self.extra[track.key] = track
                    markup = player_html(kind, target.url, page_url, alt, tracks)
                    if alone:
                        caption = f"<figcaption>{escape(alt)}</figcaption>" if alt else ""
                        return f'<figure class="player">{markup}{caption}</figure>'
            else:
                picture = self.picture(target.key, target.url, target.line, target.raw)
                if picture is None:
                    markup = str(unavailable(alt, target.url))
                else:
                    sizes = BODY_SIZES
                    if attrs.get("width", "").isdigit():
                        sizes = f"{attrs['width']}px"
                    markup = str(
                        picture.html(
                            page_url,
                            alt,
                            sizes,
                            eager=state["eager"] and picture.ok,
                            css_class=attrs.get("class"),
                            title=attrs.get("title"),
                        )
                    )
                    if picture.ok:
                        state["eager"] = False
            return (opening or "") + markup + (closing or "")

        return _IMG.sub(replace, html), state["eager"]
