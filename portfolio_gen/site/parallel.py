"""Rendering many pages at once: forked workers that inherit the renderer and
write their pages themselves, with this process, or this process alone for a
few pages (build.py decides what to render; this is how)."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .write import LiveWriter, SiteWriter, locate

if TYPE_CHECKING:
    import jinja2

    from .pages import Page
    from .render import Renderer

RENDER_PARALLEL_THRESHOLD = 200  # pages; below this, starting workers costs more than it saves
# What forked workers render: (renderer, todo, writer, chunks of todo's indices, the
# contexts made before the fork by index in todo), and the shared index of the next
# chunk to take.
_render_job: (
    tuple[
        Any, list[tuple[Page, str, str]], SiteWriter, list[list[int]], dict[int, Any],
        dict[str, Any] | None,
    ]
    | None
) = None  # fmt: skip
_next_chunk: Any = None
_first_failed: Any = None  # the least index in ``todo`` of a page that failed, or len(todo)


def render_pages(
    renderer: Renderer,
    todo: list[tuple[Page, str, str]],
    writer: SiteWriter,
    progress: Callable[[str, int, int], None] | None,
    meanwhile: Callable[[], None] | None = None,
    located: dict[str, Any] | None = None,
) -> tuple[str, int | None, str] | None:
    """Render and write pages; the first template error as (file, line, message).
    ``located``: url -> project, of pages to render, each replaced with where
    the page's file holds the project's body (``write.locate``: for quick.py).

    Many pages are rendered by forked workers that inherit the renderer and
    write their files themselves (only where ``fork`` exists: Linux, and only
    for the one-off ``build``, which runs no threads); ``meanwhile()`` is this
    process's work while they start, then it renders with them. Without
    workers it runs after the pages. The error is the first failing page's in
    ``todo`` either way.
    """
    import jinja2

    from .render import compile_all

    global _render_job, _next_chunk, _first_failed
    jobs = min(os.cpu_count() or 1, 8)
    if (
        len(todo) >= RENDER_PARALLEL_THRESHOLD
        and jobs > 1
        and _can_fork()
        and isinstance(writer, SiteWriter)
        and not isinstance(writer, LiveWriter)
        and threading.active_count() == 1
    ):
        import multiprocessing

        from ..workers import pool as worker_pool
        from ..workers import start_workers

        compile_all(renderer.env)  # once here, so the forked workers inherit them
        context = multiprocessing.get_context("fork")
        pages = [page for page, _, _ in todo]
        # The next chunk to render, taken by whichever process is free: this one
        # too, once ``meanwhile`` is done (jobs - 1 workers: none waits for a CPU).
        _render_job = (renderer, todo, writer, _chunks(pages), _shared_contexts(pages), located)
        _next_chunk = context.Value("i", 0)
        _first_failed = context.Value("q", len(todo))
        try:
            gc.freeze()  # what the workers inherit is never scanned (nor copied) by their collector
            pool = start_workers(
                lambda: worker_pool(jobs - 1, context), lambda pool: pool.terminate()
            )
            with pool:  # (its exit terminates the workers, on an error too)
                shares = [pool.apply_async(_render_share) for _ in range(jobs - 1)]
                if meanwhile is not None:  # the workers are busy meanwhile
                    meanwhile()
                found = [_render_share(progress)] + [share.get() for share in shares]
        finally:
            _render_job = _next_chunk = _first_failed = None
            gc.unfreeze()
        errors = [error for error, _ in found if error is not None]
        if located is not None:
            located.update(at for _, share in found for at in share.items())
        if errors:  # the first page's in ``todo``, as when rendered one by one
            return min(errors)[1]
        for _, path, key in todo:  # the workers wrote the files; record them
            writer.mark_staged(path)
            writer.keys[path] = key
        return None
    for i, (page, path, key) in enumerate(todo):
        try:
            html = renderer.render(page)
        except jinja2.TemplateError as exc:
            return (*template_location(exc, renderer.portfolio.config.root), exc.message or "")
        if located is not None and page.url in located:
            located[page.url] = locate(html, located[page.url].body_html)
        writer.write(path, html, key)
        if progress and i % 50 == 0:
            progress("writing", i, len(todo))
    if meanwhile is not None:
        meanwhile()
    return None


def _can_fork() -> bool:
    import multiprocessing  # imported here: only many pages are rendered by worker processes

    return "fork" in multiprocessing.get_all_start_methods()


def _shared_contexts(pages: list[Page]) -> dict[int, Any]:
    """The contexts of the pages that list projects, made before the fork (by index):
    what they share is made once (the standards matrix of the standards, report and
    standard pages: ~27 ms at 1,000 projects), not once in each process that renders
    one of them."""
    return {
        i: page.context()
        for i, page in enumerate(pages)
        if _lists_projects(page) and callable(page.context)
    }


def _lists_projects(page: Page) -> bool:
    """Whether ``page`` shows a card of each project (or of many): a slow page."""
    return "cards" in page.deps


def _chunks(pages: list[Page], size: int = 16) -> list[list[int]]:
    """The pages' indices in the order workers take them. Pages that list projects
    (a card each) are slow: they go first, one to a chunk; the others follow in
    chunks small enough that no worker is left with a long tail."""
    lists = [i for i, page in enumerate(pages) if _lists_projects(page)]
    rest = [i for i, page in enumerate(pages) if not _lists_projects(page)]
    return [[i] for i in lists] + [rest[i : i + size] for i in range(0, len(rest), size)]


def _render_share(
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[tuple[int, tuple[str, int | None, str]] | None, dict[str, Any]]:
    """Render and write chunks until none is left: the first template error met,
    with its page's index in ``todo`` (every chunk that could hold an earlier
    page is taken, so the first page that fails is found whichever process takes
    it; a chunk wholly after a page that failed is skipped); and where each page
    asked for in ``located`` holds its body."""
    assert _render_job is not None
    renderer, todo, writer, chunks, contexts, located = _render_job
    collecting = gc.isenabled()
    gc.disable()  # rendering leaves ~2 objects a page in cycles; collecting cost ~5% of it
    try:
        found: dict[str, Any] = {}
        return _render_chunks(
            renderer, todo, writer, chunks, contexts, progress, located, found
        ), found
    finally:
        if collecting:
            gc.enable()


def _render_chunks(
    renderer: Renderer,
    todo: list[tuple[Page, str, str]],
    writer: SiteWriter,
    chunks: list[list[int]],
    contexts: dict[int, Any],
    progress: Callable[[str, int, int], None] | None,
    located: dict[str, Any] | None,
    found: dict[str, Any],
) -> tuple[int, tuple[str, int | None, str]] | None:
    """``_render_share``'s loop: take the next chunk until none is left."""
    import jinja2  # already loaded: the worker is a fork of a process that rendered

    assert _next_chunk is not None and _first_failed is not None
    first: tuple[int, tuple[str, int | None, str]] | None = None
    while True:
        with _next_chunk.get_lock():
            taken = _next_chunk.value
            _next_chunk.value = taken + 1
        if taken >= len(chunks):
            return first
        if chunks[taken][0] > _first_failed.value:  # (all after a page that failed: skipped)
            continue
        for index in chunks[taken]:
            page, path, _ = todo[index]
            try:
                html = renderer.render(page, contexts.get(index))
            except jinja2.TemplateError as exc:
                where = template_location(exc, renderer.portfolio.config.root)
                if first is None or index < first[0]:
                    first = (index, (*where, exc.message or ""))
                with _first_failed.get_lock():
                    _first_failed.value = min(_first_failed.value, index)
                break  # (the chunk's next pages come after this one)
            if located is not None and page.url in located:
                found[page.url] = locate(html, located[page.url].body_html)
            writer.stage(path, html.encode("utf-8"))
        if progress:  # (about: the pages of the chunks taken so far)
            progress("writing", sum(len(chunk) for chunk in chunks[: taken + 1]), len(todo))


def template_location(exc: jinja2.TemplateError, root: Path) -> tuple[str, int | None]:
    """The template file and line of a Jinja error (Jinja maps frames to template lines)."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".txt")):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if name is None:
        return "templates", None
    try:
        return Path(name).resolve().relative_to(root).as_posix(), line
    except ValueError:
        return str(name), line
