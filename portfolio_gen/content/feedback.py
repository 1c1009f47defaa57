"""Mentor and peer feedback on a project: notes in ``feedback/`` or in front matter.

Two ways to add a note, shown together on the project page as one
conversation, oldest first (see docs/content.md, "Feedback"):

- a bundle's ``feedback/`` folder, one Markdown file per note::

      content/projects/robot-arm/feedback/ms-rivera.md
      ---
      author: Ms. Rivera
      role: mentor
      date: 2026-03-20
      ---
      The note, in Markdown.

- a ``feedback:`` list in the project's front matter (single-file projects
  too)::

      feedback:
        - {author: Jay, role: peer, date: 2026-03-16, text: "Best gripper in the club."}

Every note needs an author, a role (one of ``ROLES``), a date and some text;
``url`` (the author's web page) is optional. Problems are reported at the
file and line, like every other source. The text goes through the same
sanitizing Markdown renderer as the project, with links resolved as if they
were written in the project's own file. Reading touches only the project's
own folder, so projects can still be read in parallel and cached.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from .. import validate as v
from .. import yamlio
from ..diagnostics import Diagnostics, did_you_mean
from ..lazy_dataclass import dataclass
from ..paths import allowed
from ..schema import Key, Reporter, Schema
from .frontmatter import FrontMatterProblem, split
from .links import LinkTarget
from .reading import read_text, renderer

FOLDER = "feedback"
#: Who can give feedback. ``learner`` is the portfolio's owner answering a note.
ROLES = ("mentor", "peer", "teacher", "coach", "family", "expert", "community", "learner")


@dataclass(frozen=True)
class Feedback:
    """One note on a project, in the order of the conversation."""

    author: str
    role: str  # one of ROLES
    date: _dt.date
    html: str  # sanitized HTML of the note's text
    source: str  # the file it was read from, relative to the portfolio root
    line: int | None = None
    url: str | None = None  # the author's own page, if given

    @property
    def is_reply(self) -> bool:
        """True for the learner's own answers (not counted as feedback)."""
        return self.role == "learner"


def count(notes: tuple[Feedback, ...]) -> dict[str, Any]:
    """What portfolio.json says of a project's feedback: a count and a count per role."""
    roles: dict[str, int] = {}
    for note in notes:
        if not note.is_reply:
            roles[note.role] = roles.get(note.role, 0) + 1
    return {"count": sum(roles.values()), "roles": dict(sorted(roles.items()))}


def read_feedback(
    index: Path,
    meta: Any,
    content_path: str,
    settings: Any,
    diagnostics: Diagnostics,
) -> tuple[tuple[Feedback, ...], list[LinkTarget]]:
    """The notes of one project, and the links their text makes (for the link check).

    ``index`` is the project's source file, ``meta`` its front matter
    (a ``yamlio.Located``), ``content_path`` its path under content/,
    ``settings`` the project's ReadSettings.
    """
    reader = _Reader(settings, content_path, diagnostics)
    raw = meta.data.get("feedback")
    if raw is not None:
        reader.front_matter(index, raw, meta)
    if content_path.endswith("/index.md"):
        folder = index.parent / FOLDER
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.startswith(".") or path.suffix.lower() != ".md":
                    continue  # attachments a note links to are published like any bundle file
                if allowed(settings.root, path):  # the file policy: paths.py
                    reader.file(path)
    notes = sorted(reader.notes, key=lambda n: (n.date, n.source, n.line or 0))
    return tuple(notes), reader.links


class _Reader:
    def __init__(self, settings: Any, content_path: str, diagnostics: Diagnostics) -> None:
        self.settings = settings
        self.root: Path = settings.root
        self.content_path = content_path
        self.diagnostics = diagnostics
        self.notes: list[Feedback] = []
        self.links: list[LinkTarget] = []

    # -- the two sources

    def front_matter(self, index: Path, raw: Any, meta: Any) -> None:
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list):
            self.diagnostics.error(
                index,
                f"feedback: expected a list of notes ({{author, role, date, text}}), "
                f"got {v.describe(raw)}",
                meta.line("feedback"),
            )
            return
        for i, item in enumerate(raw):
            where = f"feedback[{i}]"
            line = meta.line("feedback", i)
            if not isinstance(item, dict):
                self.diagnostics.error(
                    index,
                    f"{where}: expected a note like {{author: Jay, role: peer, "
                    f"date: 2026-03-16, text: ...}}, got {v.describe(item)}",
                    line,
                )
                continue
            fields = self._fields(Reporter(index, meta, self.diagnostics), item, ("feedback", i))
            text = item.get("text")
            if text is None:
                self.diagnostics.error(
                    index, f"{where}: text: required; write the note in 'text: ...'", line
                )
                fields = None
            elif not isinstance(text, str) or not text.strip():
                self.diagnostics.error(
                    index,
                    f"{where}: text: expected the note as text, got {v.describe(text)}",
                    meta.line("feedback", i, "text"),
                )
                fields = None
            if fields is not None and isinstance(text, str):
                text_line = meta.line("feedback", i, "text") or line or 1
                self._add(index, fields, text, text_line - 1, line)

    def file(self, path: Path) -> None:
        text = read_text(path, self.diagnostics)
        if text is None:
            return
        try:
            source = split(text)
        except FrontMatterProblem as exc:
            self.diagnostics.error(path, exc.message, exc.line)
            return
        if not source.has_front_matter:
            self.diagnostics.error(
                path,
                "a feedback note starts with front matter: '---', then 'author:', 'role:' "
                "and 'date:' lines, then '---', then the note",
                1,
            )
            return
        meta = source.meta
        yamlio.report_duplicates(meta, path, self.diagnostics)
        if "text" in meta.data:
            self.diagnostics.error(
                path,
                "text: write the note below the front matter, not as 'text:'",
                meta.line("text"),
            )
            return
        fields = self._fields(Reporter(path, meta, self.diagnostics), meta.data, (), 2)
        if not source.body.strip():
            self.diagnostics.error(
                path, "the note is empty; write it below the front matter", source.body_line
            )
            return
        if fields is not None:
            self._add(path, fields, source.body, source.body_line - 1, 1)

    # -- shared checks

    def _fields(
        self,
        report: Reporter,
        data: dict[str, Any],
        where: tuple[Any, ...],
        default_line: int | None = None,
    ) -> dict[str, Any] | None:
        """author, role, date and url checked; None if the note cannot be shown."""
        count = len(self.diagnostics)
        got = report.fields(data, where, NOTE, empty_is_missing=True, required_line=default_line)
        return got if len(self.diagnostics) == count else None

    def _add(
        self, path: Path, fields: dict[str, Any], text: str, offset: int, line: int | None
    ) -> None:
        rendered = renderer(self.settings).render(text, self.content_path, offset)
        for problem_line, severity, message in rendered.problems:
            report = self.diagnostics.error if severity == "error" else self.diagnostics.warning
            report(path, message, problem_line)
        self.links += rendered.links + rendered.images
        self.notes.append(
            Feedback(
                author=fields["author"],
                role=fields["role"],
                date=fields["date"],
                html=rendered.html,
                source=path.relative_to(self.root).as_posix(),
                line=line,
                url=fields.get("url"),
            )
        )


def _role(value: Any) -> str:
    """A role from ROLES, case-insensitively; a typo gets a did-you-mean."""
    word = v.text(value).lower()
    if word not in ROLES:
        hint = did_you_mean(word, ROLES)
        raise v.Invalid(f"expected one of {', '.join(ROLES)}, got {v.text(value)!r}{hint}")
    return word


# A note's keys: in a project's front matter (feedback: [...]) or a note file's.
NOTE = Schema(
    "feedback note",
    (
        Key("author", v.text, "who wrote it", required=True, example="Ms. Rivera"),
        Key("role", _role, "one of " + ", ".join(ROLES), required=True, example="mentor"),
        Key("date", v.date, "when, as YYYY-MM-DD", required=True, example="2026-03-20"),
        Key("url", v.url, "the author's own page"),
        Key("text", None, "the note, in Markdown (in a note file: below the front matter)"),
    ),
    unknown=None,
)
NOTE_KEYS = NOTE.names
