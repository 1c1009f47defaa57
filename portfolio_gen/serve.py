"""watch -> rebuild -> reload: ``portfolio-gen serve``.

The preview is built into a temporary folder (never ``site/``) and served
under the base URL's path, as on GitHub Pages. Every save is debounced into
one incremental rebuild (only changed sources are read again and only pages
whose inputs changed are written), and then, only then, the browser is told
to reload once, through server-sent events. A CSS-only change swaps the
stylesheets without a reload. A bad edit shows an error page with
``path:line`` and the message; the server keeps running.

The reload script is added to pages as they are served, so it never reaches
a ``build`` output.

The preview shows drafts, so it answers only requests addressed to this
computer (the Host header): a web page cannot read it through DNS rebinding.
"""

from __future__ import annotations

import html
import http.server
import ipaddress
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from urllib.parse import parse_qs, unquote, unquote_to_bytes, urlsplit

from .build import Changes, Options, Result, load, write_site
from .cache import CACHE_DIR, RecordCache
from .config import load_config
from .diagnostics import Diagnostics
from .lazy_dataclass import dataclass
from .site.write import LiveWriter

Log = Callable[[str], None]
EVENTS = "/__portfolio-gen/events"
DEBOUNCE = 0.02  # seconds of quiet after the last change before rebuilding
MAX_WAIT = 0.5  # but never wait longer than this after the first change
IGNORED_PARTS = {".git", "site", CACHE_DIR, "__pycache__", "node_modules", ".venv"}
SOURCE_FOLDERS = ("content", "badges", "standards", "templates", "static", "themes", "reviews")

RELOAD_SCRIPT = """<script>
(function () {
  var source = new EventSource(location.origin + "%(events)s?generation=%(generation)d");
  source.addEventListener("reload", function () { source.close(); window.location.reload(); });
  source.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.toString();
    });
  });
})();
</script>"""


@dataclass
class Preview:
    """What the server shows: the generation of the last build and its errors."""

    folder: Path
    base_path: str  # "/" or "/portfolio/"
    generation: int = 0
    kind: str = "reload"  # what the last generation changed: "reload" or "css"
    errors: list[str] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, kind: str, errors: list[str]) -> None:
        with self.condition:
            self.generation += 1
            self.kind = kind
            self.errors = errors
            self.condition.notify_all()


class Rebuilder:
    """Incremental rebuilds into the preview folder, keeping the records in memory."""

    def __init__(
        self, root: Path, preview: Preview, drafts: bool, base_url: str | None = None
    ) -> None:
        self.root = root
        self.preview = preview
        self.options = Options(drafts=drafts, cache=False, base_url=base_url)
        self.cache: RecordCache | None = None
        self.manifest: dict[str, str] = {}  # the preview's files and their keys
        self.lock = threading.Lock()

    def rebuild(self, changes: Changes | None = None) -> Result:
        """Build again; with ``changes``, only what they touch is read again."""
        with self.lock:
            start = time.perf_counter()
            result, loaded = load(self.root, self.options, cache=self.cache, changes=changes)
            if loaded is not None:
                self.cache = loaded.cache
                result.portfolio = loaded.portfolio
            errors = [str(d) for d in result.diagnostics.sorted() if d.is_error]
            if loaded is None or errors:
                self.preview.publish("reload", errors or ["portfolio.yml: error: cannot be read"])
                result.seconds = time.perf_counter() - start
                return result
            writer = LiveWriter(self.preview.folder, self.manifest)
            # No fingerprinted asset names in the preview: a CSS edit swaps the stylesheet in place.
            write_site(loaded, writer, result, None, fingerprint=False)
            writer.commit()
            self.manifest = writer.manifest()
            errors = [str(d) for d in result.diagnostics.sorted() if d.is_error]
            changed = writer.changed
            result.seconds = time.perf_counter() - start
            if errors:
                self.preview.publish("reload", errors)
            elif changed or self.preview.errors:
                css_only = (
                    bool(changed)
                    and all(p.endswith(".css") for p in changed)
                    and not self.preview.errors
                )
                self.preview.publish("css" if css_only else "reload", [])
            return result


def watched(root: Path, path: str) -> bool:
    """Whether a change to ``path`` matters to the preview."""
    try:
        rel = Path(path).resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    parts = rel.parts
    if not parts or any(p in IGNORED_PARTS for p in parts):
        return False
    name = parts[-1]
    if name.startswith(".#") or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
        return False  # editor scratch files
    return parts[0] in SOURCE_FOLDERS or name in (
        "portfolio.yml",
        "portfolio.local.yml",
    )


class Watcher:
    """Collects file system events and triggers one rebuild per burst of changes."""

    def __init__(self, root: Path, rebuilder: Rebuilder, extra: list[Path], log: Log) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        self.root = root
        self.rebuilder = rebuilder
        self.log = log
        self.pending = threading.Event()
        self.first = 0.0
        self.last = 0.0
        self.stop = threading.Event()
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                paths = [
                    os.fsdecode(event.src_path),
                    os.fsdecode(getattr(event, "dest_path", "") or ""),
                ]
                if event.is_directory and event.event_type in ("created", "moved"):
                    for p in paths:  # a source folder made after the start (templates/ ...)
                        if p and Path(p).parent == watcher.root and Path(p).name in SOURCE_FOLDERS:
                            watcher.watch(Path(p))
                if any(p and watched(watcher.root, str(p)) for p in paths):
                    with watcher.batch_lock:
                        watcher.batch.update(Path(p) for p in paths if p)
                        # "closed" follows a write: new content, like "modified", and
                        # no new or lost file (which would make every save list all sources)
                        if event.event_type not in ("modified", "closed"):
                            watcher.structural = True
                    now = time.monotonic()
                    if not watcher.pending.is_set():
                        watcher.first = now
                    watcher.last = now
                    watcher.pending.set()

        self.batch: set[Path] = set()
        self.structural = False
        self.batch_lock = threading.Lock()
        self.handler = Handler()
        self.observer = Observer()
        self.observed: set[Path] = set()
        # The root itself without recursion (portfolio.yml, new folders), then each
        # source folder recursively: never .git, .venv or site/.
        self.observer.schedule(self.handler, str(root), recursive=False)
        for folder in [*(root / name for name in SOURCE_FOLDERS), *extra]:
            self.watch(folder)
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def watch(self, folder: Path) -> None:
        if folder.is_dir() and folder not in self.observed:
            self.observed.add(folder)
            self.observer.schedule(self.handler, str(folder), recursive=True)

    def start(self) -> None:
        self.observer.start()
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.pending.set()
        self.observer.stop()
        self.observer.join(timeout=2)

    def _loop(self) -> None:
        while not self.stop.is_set():
            self.pending.wait()
            if self.stop.is_set():
                return
            while True:  # debounce: wait for quiet, but not forever
                now = time.monotonic()
                if now - self.last >= DEBOUNCE or now - self.first >= MAX_WAIT:
                    break
                # until the quiet would be over (later events push it back: look again)
                time.sleep(min(self.last + DEBOUNCE, self.first + MAX_WAIT) - now)
            self.pending.clear()
            with self.batch_lock:
                changes = Changes(self.batch, self.structural)
                self.batch, self.structural = set(), False
            try:
                result = self.rebuilder.rebuild(changes)
            except Exception as exc:  # noqa: BLE001 - the preview must survive anything
                self.rebuilder.preview.publish(
                    "reload", [f"error: internal error ({type(exc).__name__}: {exc})"]
                )
                self.log(f"rebuild failed: {type(exc).__name__}: {exc}")
                continue
            problems = len(result.diagnostics.errors)
            state = f"{problems} error(s)" if problems else f"{result.rendered} page(s) updated"
            self.log(f"rebuilt in {result.seconds * 1000:.0f} ms: {state}")


REFUSED_HOST = (
    b"portfolio-gen serve only answers to localhost; start it with --host NAME to allow NAME\n"
)


def allowed_host(header: str | None, extra: tuple[str, ...] = ()) -> bool:
    """Whether a request's Host header names this computer: localhost, any
    *.localhost, an IP address (DNS rebinding needs a name), or one of ``extra``
    (the --host value); with or without a port."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host, _, rest = host[1:].partition("]")
        if rest and not rest.startswith(":"):
            return False
    elif host.count(":") == 1:
        host = host.split(":")[0]
    host = host.rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or host in extra:
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def make_handler(
    preview: Preview, hosts: tuple[str, ...] = ()
) -> type[http.server.SimpleHTTPRequestHandler]:
    """The request handler; ``hosts`` are names besides localhost it answers to."""
    extra = tuple(h.strip("[]").lower() for h in hosts)

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(preview.folder), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        cache = "no-store"  # this response's Cache-Control (a connection serves many)
        etag = ""

        def end_headers(self) -> None:
            self.send_header("Cache-Control", self.cache)
            if self.etag:
                self.send_header("ETag", self.etag)
            super().end_headers()

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            self.cache, self.etag = "no-store", ""
            if not allowed_host(self.headers.get("Host"), extra):
                return self.refuse()
            path = urlsplit(self.path).path
            if path == EVENTS:
                return self.events()
            base = preview.base_path
            if not path.startswith(base):
                if path in ("/", "/index.html") or base.rstrip("/") == path:
                    return self.redirect(base)
                return self.send_page(404, self.not_found())
            rel = unquote(path[len(base) :])
            if preview.errors and (rel == "" or rel.endswith("/") or rel.endswith(".html")):
                return self.send_page(500, error_page(preview.errors))
            target = preview.folder / rel
            if rel and not rel.endswith("/") and target.is_dir():
                return self.redirect(path + "/")
            if rel == "" or rel.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and _inside(target, preview.folder):
                page = posixpath.dirname(posixpath.normpath("/" + rel))
                return self.send_page(200, versioned(target.read_bytes(), page, preview.folder))
            if not target.is_file():
                return self.send_page(404, self.not_found())
            asked = parse_qs(urlsplit(self.path).query).get("v", [""])[0]
            self.path = "/" + rel
            return self.send_file(asked)

        def send_file(self, asked: str) -> None:
            """A file (not a page): kept by the browser for good when asked for by the
            version pages name it with (``versioned``), else asked again each time."""
            version = _version(Path(self.translate_path(self.path)))
            if version is not None:
                self.etag = f'"{version}"'
                fixed = asked == version
                self.cache = "max-age=31536000, immutable" if fixed else "no-cache"
                if self.headers.get("If-None-Match") == self.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
            super().do_GET()

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def translate_path(self, path: str) -> str:
            rel = posixpath.normpath(unquote(urlsplit(path).path)).lstrip("/")
            if rel.startswith(".."):
                return str(preview.folder / "__nothing__")
            return str(preview.folder / rel)

        def not_found(self) -> bytes:
            page = preview.folder / "404.html"
            return (
                page.read_bytes()
                if page.is_file()
                else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
            )

        def refuse(self) -> None:
            self.send_response(403)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(REFUSED_HOST)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(REFUSED_HOST)

        def redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send_page(self, status: int, body: bytes) -> None:
            script = RELOAD_SCRIPT % {"events": EVENTS, "generation": preview.generation}
            marker = b"</body>"
            index = body.rfind(marker)
            data = (
                body[:index] + script.encode() + body[index:]
                if index >= 0
                else body + script.encode()
            )
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def events(self) -> None:
            """Server-sent events: one 'reload' (or 'css') per finished rebuild."""
            query = urlsplit(self.path).query
            try:
                seen = int(
                    dict(p.split("=", 1) for p in query.split("&") if "=" in p).get(
                        "generation", "-1"
                    )
                )
            except ValueError:
                seen = -1
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                while True:
                    with preview.condition:
                        if preview.generation == seen:
                            preview.condition.wait(timeout=15)
                        generation, kind = preview.generation, preview.kind
                    if generation == seen:
                        self.wfile.write(b": keep-alive\n\n")
                    else:
                        # A page older than the last build (it loaded while that build ran) reloads.
                        kind = kind if generation == seen + 1 else "reload"
                        seen = generation
                        self.wfile.write(f"event: {kind}\ndata: {generation}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

    return Handler


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's server: a browser that hangs up (a reload, a closed tab) is
    no error; anything else is one line in the log, never a traceback."""

    daemon_threads = True
    log: Log = staticmethod(_stderr)

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            self.log(f"error answering a request: {type(exc).__name__}: {exc}")


# A page's reference to a static file of the preview: "…static/name" or (…static/name)
# A static file named by an attribute (="...") or a stylesheet's url(...): not text.
STATIC_REF = re.compile(
    rb'(?:(?<==")|(?<=url\()|(?<=url\("))((?:\.\./)*static/[^"?#()\s]+)(?=[")])'
)


def versioned(body: bytes, page: str, folder: Path) -> bytes:
    """A page with its static files' references made ``static/name?v=VERSION``
    (the file's time and size): the browser keeps each for good and asks again
    only when it changed, so a reload asks for the page alone. The preview's
    own fingerprint: its files keep their names (a CSS edit swaps them in place)."""

    def add(match: re.Match[bytes]) -> bytes:
        ref = match.group(1)
        rel = posixpath.normpath(posixpath.join(page, os.fsdecode(unquote_to_bytes(ref))))
        version = _version(folder / rel.lstrip("/"))  # (normpath: "/.." is "/")
        return ref if version is None else ref + f"?v={version}".encode()

    return STATIC_REF.sub(add, body)


def _version(path: Path) -> str | None:
    """A file's time and size (the preview replaces a file it changes), or None."""
    try:
        stat = path.stat()
    except (OSError, ValueError):  # (ValueError: a "%00" in the page's link)
        return None
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}" if path.is_file() else None


def error_page(errors: list[str]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build error – portfolio-gen</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
h1{{color:#a1221a}}li{{margin:.5rem 0}}code{{white-space:pre-wrap}}</style></head>
<body><main><h1>The portfolio has errors</h1>
<p>Fix them and save: this page reloads by itself.</p>
<ul class="errors">{items}</ul></main></body></html>""".encode()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, *, drafts: bool = True, open_browser: bool = False,
          log: Log | None = None, ready: Callable[[str, PreviewServer], None] | None = None) -> int:  # fmt: skip
    """Run the preview until interrupted. ``ready(url, server)`` is called once serving (tests)."""
    log = log or _stderr
    root = root.resolve()
    folder = Path(tempfile.mkdtemp(prefix="portfolio-gen-serve-"))
    preview = Preview(folder, "/")
    config = load_config(
        root, Diagnostics(root)
    )  # only for the base path; the build reports problems
    if config is not None and config.base_url:
        preview.base_path = urlsplit(config.base_url).path or "/"
    try:
        server = PreviewServer((host, port), make_handler(preview, (host,)))
        server.log = log
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        url = f"http://{f'[{shown}]' if ':' in shown else shown}:{server.server_address[1]}{preview.base_path}"
        # Absolute URLs (canonical, 404's <base>) point at the preview, not the published site.
        rebuilder = Rebuilder(root, preview, drafts, url)
        result = rebuilder.rebuild()
        for diagnostic in result.diagnostics.sorted():
            log(str(diagnostic))
        if not _is_loopback(host):
            log(f"warning: serving on {host}: anyone on your network can see this preview")
        extra = [p for p in _theme_folders(result) if not _inside(p, root)]
        watcher = Watcher(root, rebuilder, extra, log)
        watcher.start()
        log(f"previewing {root} at {url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        if ready is not None:
            ready(url, server)
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            watcher.close()
            server.server_close()
    except KeyboardInterrupt:
        log("stopped")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _theme_folders(result: Result) -> list[Path]:
    if result.portfolio is None:
        return []
    from .site.themes import theme_dir

    return [theme_dir(result.portfolio.config)]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
