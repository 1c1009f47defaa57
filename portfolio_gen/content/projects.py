"""Front matter + Markdown -> Project (and the optional About page).

Reading one source never touches another source file, so sources can be read
in parallel and cached by content hash.
"""

from __future__ import annotations

import datetime as _dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import validate as v
from ..diagnostics import Diagnostic, Diagnostics, did_you_mean
from .frontmatter import FrontMatterProblem, split
from .markdown import LinkTarget, MarkdownRenderer, project_slug, resolve_target, site_url_for

MAX_SOURCE_BYTES = 2_000_000
SETTINGS = ("in-school", "out-of-school", "home", "online", "community")
MEDIA_KINDS = {
    "image": {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"},
    "video": {".mp4", ".webm", ".ogv", ".mov"},
    "audio": {".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac"},
}


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class StandardRef:
    code: str
    rationale: str | None = None
    level: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class BadgeRef:
    file: str
    line: int | None = None


@dataclass(frozen=True)
class Media:
    name: str  # path inside the bundle
    path: str  # content path, e.g. projects/robot-arm/arm.jpg
    url: str  # site URL
    kind: str  # image | video | audio | file
    size: int
    mime: str


@dataclass(frozen=True)
class Project:
    slug: str
    source: str  # path relative to the portfolio root, for messages
    content_path: str  # path relative to content/
    title: str
    date: _dt.date
    summary: str
    body_html: str
    reflection_html: str = ""
    interests: tuple[str, ...] = ()
    setting: str | None = None
    program: str | None = None
    mentors: tuple[Person, ...] = ()
    collaborators: tuple[Person, ...] = ()
    standards: tuple[StandardRef, ...] = ()
    badges: tuple[BadgeRef, ...] = ()
    cover: LinkTarget | None = None
    draft: bool = False
    featured: bool = False
    media: tuple[Media, ...] = ()
    links: tuple[LinkTarget, ...] = ()
    images: tuple[LinkTarget, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"projects/{self.slug}/"

    @property
    def bundle(self) -> bool:
        return self.content_path.endswith("/index.md")


@dataclass(frozen=True)
class About:
    source: str
    title: str
    body_html: str
    summary: str
    links: tuple[LinkTarget, ...] = ()
    images: tuple[LinkTarget, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadSettings:
    root: Path
    levels: tuple[str, ...]
    allow_raw_html: bool = False


_renderers: dict[bool, MarkdownRenderer] = {}


def renderer(allow_raw_html: bool) -> MarkdownRenderer:
    if allow_raw_html not in _renderers:
        _renderers[allow_raw_html] = MarkdownRenderer(allow_raw_html)
    return _renderers[allow_raw_html]


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """A source file as text, or None with an error that says why."""
    try:
        data = path.read_bytes()
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


class _Fields:
    """Validates front matter keys, reporting at each key's line."""

    def __init__(self, path: Path, located: Any, diagnostics: Diagnostics) -> None:
        self.path, self.located, self.diagnostics = path, located, diagnostics
        self.data: dict[str, Any] = located.data

    def get(self, key: str, check: Any, default: Any = None) -> Any:
        if self.data.get(key) is None:  # an empty value is the same as no value
            return default
        try:
            return check(self.data[key])
        except v.Invalid as exc:
            self.diagnostics.error(self.path, f"{key}: {exc}", self.located.line(key))
            return default

    def required(self, key: str, check: Any, example: str) -> Any:
        if key not in self.data or self.data[key] is None:
            self.diagnostics.error(
                self.path,
                f"{key}: required; add a line like '{key}: {example}'",
                self.located.line(key, default=2),
            )
            return None
        return self.get(key, check)

    def people(self, key: str) -> tuple[Person, ...]:
        raw = self.data.get(key) or []
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list):
            self.diagnostics.error(
                self.path,
                f"{key}: expected a list of names, got {v.describe(raw)}",
                self.located.line(key),
            )
            return ()
        people = []
        for i, item in enumerate(raw):
            line = self.located.line(key, i)
            try:
                if isinstance(item, dict):
                    unknown = sorted(set(item) - {"name", "url"})
                    if unknown:
                        raise v.Invalid(f"unknown key '{unknown[0]}'; a person has name and url")
                    if "name" not in item:
                        raise v.Invalid("a person needs a name")
                    url = v.url(item["url"]) if item.get("url") is not None else None
                    people.append(Person(v.text(item["name"]), url))
                else:
                    people.append(Person(v.text(item)))
            except v.Invalid as exc:
                self.diagnostics.error(self.path, f"{key}[{i}]: {exc}", line)
        return tuple(people)

    def standards(self, levels: tuple[str, ...]) -> tuple[StandardRef, ...]:
        raw = self.data.get("standards") or []
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list):
            self.diagnostics.error(
                self.path,
                f"standards: expected a list of codes, got {v.describe(raw)}",
                self.located.line("standards"),
            )
            return ()
        refs = []
        for i, item in enumerate(raw):
            line = self.located.line("standards", i)
            try:
                if isinstance(item, dict):
                    unknown = sorted(set(item) - {"code", "rationale", "level"})
                    if unknown:
                        hint = did_you_mean(unknown[0], ["code", "rationale", "level"])
                        raise v.Invalid(f"unknown key '{unknown[0]}'{hint}")
                    if "code" not in item:
                        raise v.Invalid("needs a code, e.g. '- code: MS-ETS1-4'")
                    code = v.text(item["code"])
                    rationale = v.text(item["rationale"]) if item.get("rationale") else None
                    level = v.text(item["level"]) if item.get("level") else None
                    if level is not None and level not in levels:
                        raise v.Invalid(
                            f"level {level!r} is not on the portfolio's scale "
                            f"({', '.join(levels)}){did_you_mean(level, levels)}"
                        )
                    refs.append(StandardRef(code, rationale, level, line))
                else:
                    refs.append(StandardRef(v.text(item), line=line))
            except v.Invalid as exc:
                self.diagnostics.error(self.path, f"standards[{i}]: {exc}", line)
        return tuple(refs)

    def badges(self) -> tuple[BadgeRef, ...]:
        names = self.get("badges", v.text_list, [])
        return tuple(BadgeRef(n, self.located.line("badges", i)) for i, n in enumerate(names))


PROJECT_KEYS = (
    "title", "date", "summary", "interests", "setting", "program", "mentors", "collaborators",
    "standards", "badges", "cover", "draft", "featured", "reflection",
)  # fmt: skip


def read_project(path: Path, settings: ReadSettings) -> tuple[Project | None, list[Diagnostic]]:
    """Read one project source (a bundle's index.md or a single .md file)."""
    root = settings.root
    diagnostics = Diagnostics(root)
    text = read_text(path, diagnostics)
    if text is None:
        return None, list(diagnostics)
    try:
        source = split(text)
    except FrontMatterProblem as exc:
        diagnostics.error(path, exc.message, exc.line)
        return None, list(diagnostics)
    if not source.has_front_matter:
        diagnostics.error(
            path,
            "no front matter; start the file with '---', a 'title:' and a 'date:' line, then '---'",
            1,
        )
        return None, list(diagnostics)

    content_path = path.relative_to(root / "content").as_posix()
    f = _Fields(path, source.meta, diagnostics)
    title = f.required("title", v.text, "My Robot Arm")
    date = f.required("date", v.date, "2026-03-14")
    for key in source.meta.data:
        if key not in PROJECT_KEYS:
            hint = did_you_mean(str(key), PROJECT_KEYS)
            diagnostics.warning(
                path, f"unknown key '{key}' is kept for templates{hint}", source.meta.line(key)
            )

    md = renderer(settings.allow_raw_html)
    rendered = md.render(source.body, content_path, source.body_line - 1)
    reflection_html = ""
    links, images = list(rendered.links), list(rendered.images)
    problems = list(rendered.problems)
    summary_from_body = rendered.summary
    reflection_text = f.get("reflection", v.text)
    if reflection_text:
        r = md.render(reflection_text, content_path, source.meta.line("reflection", default=1) - 1)
        reflection_html, links, images = r.html, links + r.links, images + r.images
        problems += r.problems
    for line, severity, message in problems:
        (diagnostics.error if severity == "error" else diagnostics.warning)(path, message, line)

    cover = None
    cover_name = f.get("cover", v.text)
    if cover_name:
        target = resolve_target(content_path, cover_name, source.meta.line("cover"))
        if isinstance(target, str) or target.kind != "file":
            message = target if isinstance(target, str) else "is a page, not an image file"
            diagnostics.error(path, f"cover: {cover_name} {message}", source.meta.line("cover"))
        else:
            cover = target
            images.append(target)

    project = Project(
        slug=project_slug(content_path) or "project",
        source=path.relative_to(root).as_posix(),
        content_path=content_path,
        title=title or path.stem,
        date=date or _dt.date(1970, 1, 1),
        summary=f.get("summary", v.text) or summary_from_body,
        body_html=rendered.html,
        reflection_html=reflection_html,
        interests=tuple(f.get("interests", v.text_list, [])),
        setting=f.get("setting", v.one_of(*SETTINGS)),
        program=f.get("program", v.text),
        mentors=f.people("mentors"),
        collaborators=f.people("collaborators"),
        standards=f.standards(settings.levels),
        badges=f.badges(),
        cover=cover,
        draft=bool(f.get("draft", v.boolean, False)),
        featured=bool(f.get("featured", v.boolean, False)),
        media=_bundle_media(path, root) if content_path.endswith("/index.md") else (),
        links=tuple(links),
        images=tuple(images),
        extra={k: val for k, val in source.meta.data.items() if k not in PROJECT_KEYS},
    )
    if title is None or date is None:
        return None, list(diagnostics)
    return project, list(diagnostics)


def read_about(path: Path, settings: ReadSettings) -> tuple[About | None, list[Diagnostic]]:
    diagnostics = Diagnostics(settings.root)
    text = read_text(path, diagnostics)
    if text is None:
        return None, list(diagnostics)
    try:
        source = split(text)
    except FrontMatterProblem as exc:
        diagnostics.error(path, exc.message, exc.line)
        return None, list(diagnostics)
    f = _Fields(path, source.meta, diagnostics)
    rendered = renderer(settings.allow_raw_html).render(
        source.body, "about.md", source.body_line - 1
    )
    for line, severity, message in rendered.problems:
        (diagnostics.error if severity == "error" else diagnostics.warning)(path, message, line)
    about = About(
        source=path.relative_to(settings.root).as_posix(),
        title=f.get("title", v.text) or "About me",
        body_html=rendered.html,
        summary=rendered.summary,
        links=tuple(rendered.links),
        images=tuple(rendered.images),
        extra={k: val for k, val in source.meta.data.items() if k != "title"},
    )
    return about, list(diagnostics)


def _bundle_media(index: Path, root: Path) -> tuple[Media, ...]:
    folder = index.parent
    content = root / "content"
    found = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if (
            not file.is_file()
            or file.suffix.lower() == ".md"
            or any(part.startswith(".") for part in rel.parts)
        ):
            continue
        suffix = file.suffix.lower()
        kind = next((k for k, exts in MEDIA_KINDS.items() if suffix in exts), "file")
        content_path = file.relative_to(content).as_posix()
        found.append(
            Media(
                name=rel.as_posix(),
                path=content_path,
                url=site_url_for(content_path),
                kind=kind,
                size=file.stat().st_size,
                mime=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
            )
        )
    return tuple(found)
