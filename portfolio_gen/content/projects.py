"""Front matter + Markdown -> Project (and the optional About page).

Reading one source never touches another source file, so sources can be read
in parallel and cached by content hash.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from .. import validate as v
from .. import yamlio
from ..cache import digest
from ..diagnostics import Diagnostic, Diagnostics, did_you_mean
from ..lazy_dataclass import dataclass
from ..media.pictures import Picture
from ..media.reading import (
    MediaKind,
    MediaReader,
    Track,
    attributes,
    kind_of,
    tracks_for,
    withheld,
)
from ..paths import files
from ..scaffold import placeholders_in
from ..schema import Key, Reporter, Schema
from .feedback import Feedback, read_feedback
from .frontmatter import FrontMatterProblem, split
from .links import LinkTarget, project_slug, resolve_target, site_url_for
from .reading import ReadSettings, read_text, renderer

Setting = Literal["in-school", "out-of-school", "home", "online", "community"]
SETTINGS: tuple[Setting, ...] = get_args(Setting)


@dataclass(frozen=True)
class Person:
    """A mentor or collaborator named on a project."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class StandardRef:
    """A standard a project claims, as written in its front matter."""

    code: str
    rationale: str | None = None
    level: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class BadgeRef:
    """A badge file a project names as its evidence."""

    file: str
    line: int | None = None


@dataclass(frozen=True)
class Media:
    """A file in a project's bundle shown on its page."""

    name: str  # path inside the bundle
    path: str  # content path, e.g. projects/robot-arm/arm.jpg
    url: str  # site URL
    kind: MediaKind
    size: int
    mime: str
    picture: Picture | None = None  # images: how they are published and shown
    tracks: tuple[Track, ...] = ()  # video and audio: captions beside them (.vtt)


@dataclass(frozen=True)
class Body:
    """The large part of a project or the About page: its HTML, and for the next
    read of its source (not part of the page) the HTML of its code blocks
    (content/fences.py) and its parsed front matter (frontmatter.py).

    The record cache keeps it apart from the rest of the record: a record loaded
    from the cache holds a stand-in (cache.Deferred) that reads it on first use,
    so a build after one edit reads one body, not a thousand."""

    html: str
    code_html: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    front_matter: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Project:
    """A project, read from its Markdown source (the record the cache keeps)."""

    slug: str
    source: str  # path relative to the portfolio root, for messages
    content_path: str  # path relative to content/
    title: str
    date: _dt.date
    summary: str
    body: Body
    reflection_html: str = ""
    interests: tuple[str, ...] = ()
    setting: Setting | None = None
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
    cover_alt: str | None = None  # what the cover shows (front matter cover_alt, or its alt)
    pictures: tuple[Picture, ...] = ()  # every picture the project shows (text, cover, gallery)
    social_source: str | None = None  # URL of the picture its social card is made from
    feedback: tuple[Feedback, ...] = ()  # mentor and peer notes (content/feedback.py)
    # A digest of what the project's card in the lists shows (build._hashes), made
    # once when it is read, not on every build.
    card: str = field(init=False, repr=False, compare=False)
    # A digest of the whole record but its body (its HTML): a build after an edit
    # that changed only the body may put the new one in the page (quick.py).
    face: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shown = (
            self.title, self.date, self.summary, self.interests, self.setting, self.program,
            self.cover, self.card_picture, self.standards, self.badges, self.draft, self.featured,
        )  # fmt: skip
        object.__setattr__(self, "card", digest(repr(shown)))
        face = [getattr(self, name) for name in _FACE]
        object.__setattr__(self, "face", digest(repr(face)))

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def code_html(self) -> dict[str, str]:
        return self.body.code_html

    @property
    def front_matter(self) -> dict[str, bytes]:
        return self.body.front_matter

    @property
    def url(self) -> str:
        return f"projects/{self.slug}/"

    @property
    def cover_picture(self) -> Picture | None:
        if self.cover is None:
            return None
        return next((p for p in self.pictures if p.url == self.cover.url), None)

    @property
    def card_picture(self) -> Picture | None:
        """The picture on the project's card: its cover, else the first picture it shows."""
        chosen = self.cover.url if self.cover is not None else self.social_source
        return next((p for p in self.pictures if p.url == chosen), None)

    @property
    def social_card(self) -> str | None:
        """Site URL of the 1200x630 Open Graph image, if the project has a picture."""
        picture = next((p for p in self.pictures if p.url == self.social_source), None)
        return picture.social_card if picture else None

    @property
    def bundle(self) -> bool:
        return self.content_path.endswith("/index.md")


_FACE = tuple(f.name for f in fields(Project) if f.name not in ("body", "card", "face"))


@dataclass(frozen=True)
class About:
    """The learner's profile page, content/about.md."""

    source: str
    title: str
    body: Body
    summary: str
    links: tuple[LinkTarget, ...] = ()
    images: tuple[LinkTarget, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    pictures: tuple[Picture, ...] = ()

    @property
    def body_html(self) -> str:
        return self.body.html


PERSON = Schema(
    "person", (Key("name", v.text, "the name shown", required=True), Key("url", v.url, "a link"))
)
STANDARD_REF = Schema(
    "standard",
    (
        Key("code", v.text, "the standard's code", required=True, example="MS-ETS1-4"),
        Key("rationale", v.text, "how the project meets it"),
        Key("level", v.text, "your level, on the portfolio's `levels` scale"),
    ),
)
# The front matter of a project. Keys without a checker are read below
# (mentors, collaborators, standards) or by content/feedback.py (feedback).
FRONT_MATTER = Schema(
    "front matter",
    (
        Key("title", v.text, "the project's name", required=True, example="My Robot Arm"),
        Key("date", v.date, "when, as YYYY-MM-DD", required=True, example="2026-03-14"),
        Key("summary", v.text, "one or two sentences", shown="the first paragraph",
            synonyms=("description",)),
        Key("interests", v.text_list, "the interests it is listed under", (),
            synonyms=("tags", "topics", "categories")),
        Key("setting", v.one_of(*SETTINGS), "where: " + " | ".join(SETTINGS)),
        Key("program", v.text, "where or with whom it happened"),
        Key("mentors", None, "names, or `{name, url}`", (), synonyms=("mentor",)),
        Key("collaborators", None, "names, or `{name, url}`", (), synonyms=("collaborator",)),
        Key("standards", None, "codes, or `{code, rationale, level}`", (),
            synonyms=("standard",)),
        Key("badges", v.text_list, "badge files in `badges/`", (), synonyms=("badge",)),
        Key("cover", v.text, "the picture for cards and social previews",
            synonyms=("image", "thumbnail")),
        Key("cover_alt", v.text, "what the cover shows", shown="its description in the text"),
        Key("draft", v.boolean, "built only with `--drafts` and in `serve`", False),
        Key("featured", v.boolean, "shown on the home page", False),
        Key("reflection", v.text, "what I learned, in Markdown"),
        Key("feedback", None, "mentors' and peers' notes (see below)", ()),
    ),
    unknown="is kept for templates",
)  # fmt: skip
PROJECT_KEYS = FRONT_MATTER.names


def _people(report: Reporter, key: str) -> tuple[Person, ...]:
    raw = report.located.data.get(key) or []
    if isinstance(raw, (str, dict)):
        raw = [raw]
    if not isinstance(raw, list):
        report.bad((key,), f"expected a list of names, got {v.describe(raw)}")
        return ()
    people = []
    for i, item in enumerate(raw):
        try:
            if isinstance(item, dict):
                unknown = sorted(set(item) - set(PERSON.names))
                if unknown:
                    raise v.Invalid(f"unknown key '{unknown[0]}'; a person has name and url")
                if "name" not in item:
                    raise v.Invalid("a person needs a name")
                url = v.url(item["url"]) if item.get("url") is not None else None
                people.append(Person(v.text(item["name"]), url))
            else:
                people.append(Person(v.text(item)))
        except v.Invalid as exc:
            report.bad((key, i), str(exc))
    return tuple(people)


def _standards(report: Reporter, levels: tuple[str, ...]) -> tuple[StandardRef, ...]:
    raw = report.located.data.get("standards") or []
    if isinstance(raw, (str, dict)):
        raw = [raw]
    if not isinstance(raw, list):
        report.bad(("standards",), f"expected a list of codes, got {v.describe(raw)}")
        return ()
    refs = []
    for i, item in enumerate(raw):
        line = report.line(("standards", i))
        try:
            if isinstance(item, dict):
                unknown = sorted(set(item) - set(STANDARD_REF.names))
                if unknown:
                    raise v.Invalid(f"unknown key '{unknown[0]}'{STANDARD_REF.hint(unknown[0])}")
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
            report.bad(("standards", i), str(exc))
    return tuple(refs)


def read_project(
    path: Path,
    settings: ReadSettings,
    code: dict[str, str] | None = None,
    front_matter: dict[str, bytes] | None = None,
    data: bytes | None = None,
) -> tuple[Project | None, list[Diagnostic]]:
    """Read one project source (a bundle's index.md or a single .md file).

    ``code`` and ``front_matter`` are from the project's previous record, if
    there is one: what of it is unchanged is not made again. ``data`` is the
    source's bytes, when the caller has read them.
    """
    root = settings.root
    diagnostics = Diagnostics(root)
    text = read_text(path, diagnostics, data)
    if text is None:
        return None, list(diagnostics)
    try:
        source = split(text, front_matter)
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

    source_path = _inside(path, root)
    content_path = (
        source_path[len("content/") :]
        if source_path.startswith("content/")
        else path.relative_to(root / "content").as_posix()
    )
    yamlio.report_duplicates(source.meta, path, diagnostics)
    report = Reporter(path, source.meta, diagnostics)
    got = report.fields(source.meta.data, (), FRONT_MATTER, empty_is_missing=True, required_line=2)
    title, date = got.get("title"), got.get("date")

    md = renderer(settings)
    rendered = md.render(source.body, content_path, source.body_line - 1, code)
    links, images = list(rendered.links), list(rendered.images)
    problems = list(rendered.problems)
    summary_from_body = rendered.summary
    reflection_text = got.get("reflection")
    r_rendered = None
    if reflection_text:
        r_rendered = md.render(
            reflection_text, content_path, (source.meta.line("reflection") or 1) - 1, code
        )
        links, images = links + r_rendered.links, images + r_rendered.images
        problems += r_rendered.problems
    for line, severity, message in problems:
        (diagnostics.error if severity == "error" else diagnostics.warning)(path, message, line)

    cover = None
    cover_name: str = got.get("cover") or ""
    cover_line = source.meta.line("cover")
    if cover_name:
        target = resolve_target(content_path, cover_name, cover_line, settings.publish_html)
        if isinstance(target, str) or target.kind != "file":
            message = target if isinstance(target, str) else "is a page, not an image file"
            diagnostics.error(path, f"cover: {cover_name} {message}", cover_line)
        else:
            cover = target
    shown = _ShownMedia(root, path, content_path, diagnostics)
    shown.prepare([r for r in (rendered, r_rendered) if r is not None], cover)
    body_html, eager = shown.rewrite(rendered, eager=not shown.cover_shown)
    reflection_html = shown.rewrite(r_rendered, eager)[0] if r_rendered else ""
    cover_alt = got.get("cover_alt")
    if cover is not None:
        images.append(cover)
        cover_alt = cover_alt or shown.alts.get(cover.key)
        picture = shown.reader.picture(cover.key, cover.url, cover_line, cover_name)
        if picture is not None and picture.ok and not cover_alt and shown.cover_shown:
            diagnostics.warning(
                path,
                f"cover: {cover_name} has no description; add a line like "
                "'cover_alt: what the picture shows'",
                cover_line,
            )
    media = (
        _bundle_media(path, root, shown, settings.publish_html)
        if content_path.endswith("/index.md")
        else ()
    )
    links += shown.track_links()

    draft = bool(got.get("draft", False))
    if not draft:  # what the scaffold wrote, published unedited
        for line, message in placeholders_in(text, ("summary", "text")):
            diagnostics.warning(path, message, line)
    feedback, feedback_links = read_feedback(path, source.meta, content_path, settings, diagnostics)
    links += feedback_links
    project = Project(
        slug=project_slug(content_path) or "project",
        source=source_path,
        content_path=content_path,
        title=title or path.stem,
        date=date or _dt.date(1970, 1, 1),
        summary=got.get("summary") or summary_from_body,
        body=Body(
            body_html,
            {**rendered.code_html, **(r_rendered.code_html if r_rendered else {})},
            source.parsed,
        ),
        reflection_html=reflection_html,
        interests=tuple(got.get("interests", ())),
        setting=got.get("setting"),
        program=got.get("program"),
        mentors=_people(report, "mentors"),
        collaborators=_people(report, "collaborators"),
        standards=_standards(report, settings.levels),
        badges=tuple(
            BadgeRef(name, report.line(("badges", i)))
            for i, name in enumerate(got.get("badges", ()))
        ),
        cover=cover,
        draft=draft,
        featured=bool(got.get("featured", False)),
        media=media,
        links=tuple(links),
        images=tuple(images),
        extra={k: val for k, val in source.meta.data.items() if k not in PROJECT_KEYS},
        cover_alt=cover_alt,
        pictures=shown.pictures(media),
        social_source=shown.social_source(cover, media),
        feedback=feedback,
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
    yamlio.report_duplicates(source.meta, path, diagnostics)
    report = Reporter(path, source.meta, diagnostics)
    raw_title = source.meta.data.get("title")
    title = report.value(("title",), v.text, raw_title) if raw_title is not None else None
    rendered = renderer(settings).render(source.body, "about.md", source.body_line - 1)
    for line, severity, message in rendered.problems:
        (diagnostics.error if severity == "error" else diagnostics.warning)(path, message, line)
    for line, message in placeholders_in(text, ("text",)):
        diagnostics.warning(path, message, line)
    shown = _ShownMedia(settings.root, path, "about.md", diagnostics)
    shown.prepare([rendered], None)
    body_html, _ = shown.rewrite(rendered, eager=True)
    about = About(
        source=path.relative_to(settings.root).as_posix(),
        title=title or "About me",
        body=Body(body_html),
        summary=rendered.summary,
        links=tuple(rendered.links) + shown.track_links(),
        images=tuple(rendered.images),
        extra={k: val for k, val in source.meta.data.items() if k != "title"},
        pictures=shown.pictures(()),
    )
    return about, list(diagnostics)


class _ShownMedia:
    """The media of one source: pictures and players in its HTML, problems reported."""

    def __init__(self, root: Path, path: Path, content_path: str, diagnostics: Diagnostics):
        self.reader = MediaReader(root, path, diagnostics)
        self.page_url = site_url_for(content_path)
        self.alts: dict[str, str] = {}  # content key -> alt text it is shown with
        self.in_text: set[str] = set()  # content keys the text shows or links to
        self.cover_shown = False

    def prepare(self, rendered: list[Any], cover: LinkTarget | None) -> None:
        """Note what the text shows and links to; warn about linked files not published."""
        for part in rendered:
            for target in part.links + part.images:
                if target.kind == "file":
                    self.in_text.add(target.key)
            for target in part.links:
                if target.kind == "file":
                    self.reader.file_problem(target.key, target.line, target.raw, "file")
            for tag in _IMG_TAG.findall(part.html):
                attrs = attributes(tag)
                target = part.sources.get(attrs.get("src", ""))
                if target is not None and attrs.get("alt"):
                    self.alts.setdefault(target.key, attrs["alt"])
        self.cover_shown = cover is not None and cover.key not in self.in_text

    def rewrite(self, rendered: Any, eager: bool) -> tuple[str, bool]:
        """The rendered HTML with pictures and players (the first one eager if ``eager``)."""
        return self.reader.rewrite(rendered.html, self.page_url, rendered.sources, eager)

    def track_links(self) -> tuple[LinkTarget, ...]:
        """Captions of videos shown in the text, published as if linked."""
        return tuple(
            LinkTarget("file", t.key, t.url, t.key.rsplit("/", 1)[-1], None)
            for t in self.reader.extra.values()
        )

    def pictures(self, media: tuple[Media, ...]) -> tuple[Picture, ...]:
        found = {p.url: p for p in self.reader.pictures.values()}
        for item in media:
            if item.picture is not None:
                found.setdefault(item.picture.url, item.picture)
        return tuple(found.values())

    def social_source(self, cover: LinkTarget | None, media: tuple[Media, ...]) -> str | None:
        """The picture for social previews: the cover, else the first picture shown."""
        candidates = list(self.reader.pictures.values())
        if cover is not None:
            candidates.sort(key=lambda p: p.url != cover.url)
        candidates += [m.picture for m in media if m.picture is not None]
        return next((p.url for p in candidates if p.raster), None)


_IMG_TAG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')


def _bundle_media(
    index: Path, root: Path, shown: _ShownMedia, web_pages: bool = False
) -> tuple[Media, ...]:
    """The files of a bundle; images with their Picture, players with their captions.

    Files that are not published (too large, photo formats that keep their
    metadata) are left out with a warning, unless the text shows or links them
    (then the warning is at that line).
    """
    folder = index.parent
    if _only_markdown(folder):  # (most bundles: no walk, 0.1 ms saved on each)
        return ()
    content = root / "content"
    found = []
    for file in sorted(path for _, path in files(root, folder)):  # the file policy: paths.py
        rel = file.relative_to(folder)
        if (
            file.suffix.lower() == ".md"
            or rel.parts[:-1][:1] == ("feedback",)  # notes and their files: content/feedback.py
        ):
            continue
        kind = kind_of(file.name)
        content_path = file.relative_to(content).as_posix()
        url = site_url_for(content_path, web_pages)
        in_text = content_path in shown.in_text or content_path in shown.reader.pictures
        problem = withheld(file)
        if problem:
            if not in_text:
                shown.reader.warn(f"{problem}; it is not published", None, at=file)
            continue
        picture = None
        if kind == "image":
            picture = shown.reader.pictures.get(content_path)
            if picture is None:
                picture = shown.reader.picture(content_path, url, None, "", at=file)
            if picture is not None and picture.ok and not in_text:
                shown.reader.warn(
                    "is shown in the project's Media gallery without a description; show it "
                    f"in the text with ![what it shows]({rel.as_posix()}) instead",
                    None,
                    at=file,
                )
        found.append(
            Media(
                name=rel.as_posix(),
                path=content_path,
                url=url,
                kind=kind,
                size=file.stat().st_size,
                mime=_mime_type(file.name),
                picture=picture,
                tracks=tracks_for(file, content_path, url) if kind in ("video", "audio") else (),
            )
        )
    return tuple(found)


def _inside(path: Path, root: Path) -> str:
    """``path.relative_to(root).as_posix()``, from their text where it starts with
    root's (a source found under root/content: ~8 us of pathlib less a project)."""
    text, prefix = str(path), f"{root}{os.sep}"
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def _only_markdown(folder: Path) -> bool:
    """Whether a bundle's folder holds Markdown files alone, no folder: then it has
    no media (``_bundle_media`` passes over .md files), whatever the file policy
    says of each, and no walk is needed to know it."""
    try:
        with os.scandir(folder) as entries:
            return all(e.name.lower().endswith(".md") and not e.is_dir() for e in entries)
    except OSError:
        return False


def _mime_type(name: str) -> str:
    import mimetypes  # imported here: a bundle without files of its own needs none (0.5 ms)

    return mimetypes.guess_type(name)[0] or "application/octet-stream"
