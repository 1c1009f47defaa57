"""The live preview, in a real browser: every save shows once, errors show and recover."""

from __future__ import annotations

import http.server
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.helpers import project, write_tree

from portfolio_gen.serve import watched

CONFIG = "title: Live\nlearner: {name: Ana B.}\nbase_url: https://ana.example.org/sub/\n"


class Running:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = ""
        self.server = None
        self.ready = threading.Event()
        self.log: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from portfolio_gen.serve import serve

        def ready(url, server):  # type: ignore[no-untyped-def]
            self.url, self.server = url, server
            self.ready.set()

        serve(self.root, "127.0.0.1", 0, log=self.log.append, ready=ready)

    def __enter__(self) -> Running:
        self.thread.start()
        assert self.ready.wait(20), self.log
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(10)


@pytest.fixture
def live(make_portfolio):
    root = make_portfolio(
        {
            "content/projects/arm/index.md": project("Arm", body="First version.\n"),
            "content/projects/poem.md": project("Poem", "2026-01-01", draft="true"),
        },
        config=CONFIG,
    )
    with Running(root) as running:
        yield running


def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_edit_shows_once_errors_show_and_recover(live, page):
    reloads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: reloads.append(frame.url) if frame == page.main_frame else None,
    )
    assert live.url.endswith("/sub/")
    page.goto(live.url + "projects/arm/")
    assert "First version." in page.locator("main").inner_text()
    reloads.clear()
    source = live.root / "content/projects/arm/index.md"

    for n in range(3):  # every save shows, each with exactly one reload
        source.write_text(project("Arm", body=f"Version {n + 2}.\n"))
        page.wait_for_function(
            f"document.body.innerText.includes('Version {n + 2}.')", timeout=20000
        )
        time.sleep(0.6)  # longer than the debounce: a second reload would have come by now
        assert len(reloads) == n + 1, reloads

    source.write_text("---\ntitle: Arm\ndate: [oops\n---\nBroken.\n")
    page.wait_for_selector("ul.errors", timeout=20000)
    assert "content/projects/arm/index.md:3: error:" in page.locator("ul.errors").inner_text()
    source.write_text(project("Arm", body="Fixed again.\n"))
    page.wait_for_function("document.body.innerText.includes('Fixed again.')", timeout=20000)
    assert page.locator("ul.errors").count() == 0
    assert not (live.root / "site").exists()  # the preview never touches site/


def test_css_change_swaps_styles_without_reload(live, page):
    page.goto(live.url)
    reloads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: reloads.append(frame.url) if frame == page.main_frame else None,
    )
    write_tree(live.root, {"static/style.css": "body { background: rgb(1, 2, 3); }"})
    page.wait_for_function(
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=20000
    )
    time.sleep(0.4)
    assert reloads == []


def test_template_change_and_drafts(live, page):
    page.goto(live.url + "projects/poem/")
    assert page.locator(".draft-banner").count() == 1  # drafts show in the preview, flagged
    page.goto("about:blank")  # no preview page open: its reload must not abort the next visit
    write_tree(
        live.root,
        {
            "templates/404.html": '{% extends "base.html" %}{% block content %}<p id="custom">Gone</p>{% endblock %}'
        },
    )
    page.goto(live.url + "no/such/page/")  # the 404 page, before or after the rebuild...
    page.wait_for_selector("#custom", timeout=20000)  # ...shows the new template once it is done


def test_root_redirects_to_the_base_path_and_no_script_in_builds(live, cli):
    with urllib.request.urlopen(live.url.replace("/sub/", "/")) as response:
        assert response.url == live.url
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(live.url + "nope/")
    assert missing.value.code == 404
    assert cli("build", str(live.root), "--quiet").code == 0
    for page in (live.root / "site").rglob("*.html"):
        assert "EventSource" not in page.read_text()


def test_watched_paths(tmp_path):
    root = tmp_path
    assert watched(root, str(root / "content/projects/a.md"))
    assert watched(root, str(root / "portfolio.yml"))
    assert not watched(root, str(root / "site/index.html"))
    assert not watched(root, str(root / ".portfolio-cache/records.pickle"))
    assert not watched(root, str(root / "content/projects/.a.md.swp"))
    assert not watched(root, str(root / "README.md"))


def test_a_new_local_template_overrides_the_theme_while_serving(live, page):
    (live.root / "templates").mkdir()
    page.goto(live.url + "projects/arm/")
    # An edit first, so the preview compiles the theme's base.html in its kept environment.
    (live.root / "content/projects/arm/index.md").write_text(project("Arm", body="Edited.\n"))
    page.wait_for_function("document.body.innerText.includes('Edited.')", timeout=20000)
    theme = Path(__file__).resolve().parent.parent / "themes/default/templates/base.html"
    override = theme.read_text().replace("<main", '<p id="local-base">mine</p><main', 1)
    (live.root / "templates/base.html").write_text(override)
    page.wait_for_selector("#local-base", timeout=20000)


def test_a_busy_port_is_a_clear_error(cli, make_portfolio):
    import socket

    root = make_portfolio({"content/projects/a.md": project()}, config=CONFIG)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        run = cli("serve", str(root), "--port", str(busy.getsockname()[1]))
    assert run.code == 1
    assert "error: cannot listen on 127.0.0.1:" in run.err and "try another --port" in run.err
    assert "Traceback" not in run.err


def _get(url: str, host: str, path: str = "") -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", path or parts.path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read() if response.status != 200 or not path else b""
    finally:
        connection.close()


def test_only_requests_addressed_to_this_computer_are_answered(live):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 must
    not read the preview (and its drafts)."""
    from urllib.parse import urlsplit

    from portfolio_gen.serve import EVENTS

    port = urlsplit(live.url).port
    for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example", ""):
        status, body = _get(live.url, host)
        assert status == 403, host
        assert body == (
            b"portfolio-gen serve only answers to localhost; start it with --host NAME to allow NAME\n"
        )
        assert _get(live.url, host, EVENTS + "?generation=0")[0] == 403  # nor live reload
    for host in (f"127.0.0.1:{port}", "127.0.0.1", "localhost", f"localhost:{port}",
                 f"[::1]:{port}", "[::1]", "ana.localhost", f"ANA.localhost:{port}"):  # fmt: skip
        status, body = _get(live.url, host)
        assert status == 200 and b"Arm" in body, host


def test_allowed_hosts():
    from portfolio_gen.serve import allowed_host

    assert allowed_host("mybox.lan:8000", ("mybox.lan",))  # --host mybox.lan
    assert allowed_host("192.168.1.5:8000")  # an address is never a rebound name
    assert not allowed_host("mybox.lan:8000")
    assert not allowed_host("[::1]x") and not allowed_host(None)


def test_a_browser_that_hangs_up_is_no_traceback(capsys):
    from portfolio_gen.serve import PreviewServer

    logged: list[str] = []
    server = PreviewServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.log = logged.append
    try:
        for exc in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
            try:
                raise exc
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        try:
            raise ValueError("odd")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    assert logged == ["error answering a request: ValueError: odd"]
    assert "Traceback" not in capsys.readouterr().err
