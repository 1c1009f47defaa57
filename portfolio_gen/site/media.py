"""Publishing the media the pages use: pictures, video and audio, other files.

Publish time (``publish``, called by the build): originals without private
metadata, the responsive files, card crops, social cards and the avatar, all
made by media/images.py, through its cache, in parallel; other files copied.
What a source shows was found when it was read (media/reading.py).

Only processing an image needs Pillow (media/images.py) or worker processes:
they are imported where that happens, so a build that finds every picture in
place imports neither.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import digest
from ..diagnostics import Diagnostics
from ..lazy_dataclass import dataclass
from ..media import pictures
from ..media.pictures import AVATAR_SIZES, CARD_SIZES, ImageCache, Output, Picture
from ..media.reading import kind_of, withheld
from ..paths import allowed

if TYPE_CHECKING:
    from ..media import images


# ---------------------------------------------------------------- publishing


@dataclass
class Stats:
    """What one publish did, for tests and the benchmark."""

    processed: int = 0  # source images decoded or stripped
    encoded: int = 0  # files encoded by Pillow
    from_cache: int = 0  # files copied from .portfolio-cache/images/
    reused: int = 0  # files kept from the previous build
    copied: int = 0  # other files


class _Plan:
    def __init__(self, root: Path, strip: bool) -> None:
        self.root = root
        self.strip = strip
        self.outputs: dict[Path, dict[str, Output]] = {}
        self.where: dict[Path, tuple[Path, int | None, str]] = {}  # messages: file, line, prefix
        self.copies: dict[str, Path] = {}

    def add(self, source: Path, outputs: list[Output]) -> None:
        if outputs:
            self.outputs.setdefault(source, {}).update((o.url, o) for o in outputs)

    def planned(self, url: str) -> bool:
        return url in self.copies or any(url in o for o in self.outputs.values())


def publish(
    portfolio: Any, writer: Any, diagnostics: Diagnostics, jobs: int | None = None
) -> Stats:
    """Publish every media file the pages use (see the module's docstring)."""
    config = portfolio.config
    root = config.root
    content = root / "content"
    plan = _Plan(root, config.privacy.strip_metadata)
    records = list(portfolio.projects) + ([portfolio.about] if portfolio.about else [])
    for record in records:
        pictures = {p.url: p for p in getattr(record, "pictures", ())}
        for picture in pictures.values():
            plan.add(root / picture.source, picture.outputs())
        card = getattr(record, "card_picture", None)  # the cover, else the first picture
        if card is not None:
            plan.add(root / card.source, card.crop_outputs(CARD_SIZES))
        social = pictures.get(getattr(record, "social_source", None) or "")
        if social is not None and social.card_output():
            plan.add(root / social.source, [social.card_output()])
        for media in getattr(record, "media", ()):
            if not plan.planned(media.url) and media.kind != "image":
                plan.copies[media.url] = content / media.path
        for target in record.links + record.images:
            if (
                target.kind == "file"
                and target.url not in pictures
                and not plan.planned(target.url)
            ):
                path = content / target.key
                if kind_of(path.name) == "image":  # an SVG too: it is sanitized (images.py)
                    fmt = _format_from_name(path.name)
                    plan.add(path, [Output(target.url, "original", fmt)])
                else:
                    plan.copies[target.url] = path
    avatar = config.learner.avatar
    if avatar and config.avatar_url:
        _plan_avatar(plan, config, diagnostics)
    return _execute(plan, writer, diagnostics, jobs)


def _format_from_name(name: str) -> str:
    ext = Path(name).suffix.lower().lstrip(".")
    return {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}.get(
        ext, ext.upper()
    )


def _plan_avatar(plan: _Plan, config: Any, diagnostics: Diagnostics) -> None:
    """The avatar: its original and square crops (AVATAR_SIZES), named after avatar_url."""
    root = config.root
    path = root / config.learner.avatar
    line = config.line("learner", "avatar")
    if not allowed(root, path):
        return  # an error already (build.load)
    url = config.avatar_url
    from ..media import images

    try:
        found = images.probe(path)
    except images.ImageProblem as exc:
        diagnostics.warning(
            config.path,
            f"learner.avatar: {config.learner.avatar} {exc}; it is not published",
            line,
        )
        return
    plan.where[path] = (config.path, line, f"learner.avatar: {config.learner.avatar}")
    if found.format in pictures.FALLBACK and not found.animated:
        picture = Picture(url, "", found.format, found.width, found.height, (found.width,))
        boxes = tuple((s, s) for s in AVATAR_SIZES)
        plan.add(path, [Output(url, "original", found.format), *picture.crop_outputs(boxes)])
    else:
        plan.add(path, [Output(url, "original", found.format)])


def _execute(plan: _Plan, writer: Any, diagnostics: Diagnostics, jobs: int | None) -> Stats:
    stats = Stats()
    root = plan.root
    cache = ImageCache(root)
    for url, source in sorted(plan.copies.items()):
        if not allowed(root, source) or withheld(source):
            continue  # reported when read
        stat = source.stat()
        key = digest(str(source), str(stat.st_size), str(stat.st_mtime_ns))
        if writer.reuse(url, key):
            stats.reused += 1
        else:
            writer.copy(source, url, key)
            stats.copied += 1
        if source.suffix.lower() == ".pdf" and key not in cache.notes:  # published as it is
            from .pdfmeta import notes

            cache.remember_notes(key, notes(source))
        for note in cache.notes.get(key, ()):
            diagnostics.warning(source, note)
    todo: list[images.Job] = []
    ready: dict[Path, list[tuple[Output, str, Path]]] = {}
    for source, outputs in sorted(plan.outputs.items()):
        if not allowed(root, source) or withheld(source):
            continue
        content = cache.content_hash(source)
        where, line, _ = plan.where.get(source, (source, None, ""))
        for note in cache.notes.get(content, ()):  # made when it was processed
            diagnostics.warning(where, note, line)
        missing = []
        for output in sorted(outputs.values(), key=lambda o: o.url):
            key = cache.key(content, output, plan.strip)
            if writer.reuse(output.url, key):
                stats.reused += 1
                continue
            path = cache.path(key, output)
            ready.setdefault(source, []).append((output, key, path))
            if not path.is_file():
                missing.append((output, str(path)))
        if missing:
            from ..media import images  # imported here (Pillow): only an image to process needs it

            todo.append(images.Job(str(source), tuple(missing), plan.strip))
    cache.save()
    for done in _run_all(todo, jobs):
        stats.processed += 1
        stats.encoded += done.encoded
        if done.problem:
            source = Path(done.source)
            where, line, prefix = plan.where.get(source, (source, None, ""))
            text = f"{prefix} {done.problem}" if prefix else done.problem
            if not text.endswith("it is not published"):
                text += "; it is not published"
            diagnostics.warning(where, text, line)
            ready.pop(source, None)
        source = Path(done.source)
        content = cache.content_hash(source)
        if content not in cache.notes:  # (else said above, from an earlier build)
            where, line, _ = plan.where.get(source, (source, None, ""))
            for note in done.notes:
                diagnostics.warning(where, note, line)
        cache.remember_notes(content, done.notes)
    cache.save_notes()
    for made in ready.values():
        for output, key, path in made:
            if path.is_file():
                writer.copy(path, output.url, key)
                stats.from_cache += 1
    return stats


PARALLEL_MIN = 2  # images to process before worker processes are worth starting


def _run_all(todo: list[images.Job], jobs: int | None) -> list[images.Done]:
    """Process every job: in worker processes when there are several, largest first."""
    if not todo:
        return []
    from ..media import images

    workers = jobs or _cpus()
    todo = sorted(todo, key=lambda job: -_size(job.source))
    if workers > 1 and len(todo) >= PARALLEL_MIN:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forking a process that runs threads (serve) is unsafe: start workers afresh then
        start = "forkserver" if threading.active_count() > 1 else None
        if start not in multiprocessing.get_all_start_methods():
            start = None
        context = multiprocessing.get_context(start)
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
            return list(pool.map(images.run, todo))
    return [images.run(job) for job in todo]


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
