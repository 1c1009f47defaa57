"""A folder served over HTTP on 127.0.0.1 (port 0) for network tests: never the real network."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietServer(ThreadingHTTPServer):
    """A server whose clients may hang up early (a browser moving on) without a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Served:
    """``with Served(folder) as s: s.url("portfolio.json")``; ``s.hits`` lists the paths asked for.

    ``delay`` (seconds) makes every answer late, to test timeouts.
    """

    def __init__(self, folder: Path, delay: float = 0.0) -> None:
        self.folder, self.delay = folder, delay
        self.hits: list[str] = []

    def __enter__(self) -> Served:
        served = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                served.hits.append(self.path)
                if served.delay:
                    time.sleep(served.delay)
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        handler = functools.partial(Handler, directory=str(self.folder))
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def url(self, path: str = "") -> str:
        return self.base + path

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
