"""What the browser tests share: Debian's chromium through Playwright, a live server, watched pages.

A browser test module calls ``require_browser()`` at import (it skips the module, with the reason,
without ``/usr/bin/chromium`` or the playwright package), then builds its fixtures from ``serve``,
``launch`` and ``watched_page``. Playwright is imported only inside these functions, so importing
this module never needs it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

if TYPE_CHECKING:
    from fastapi import FastAPI
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def require_browser() -> None:
    """Skip the calling test module unless chromium and playwright are installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"needs Debian's chromium at {CHROMIUM}: run scripts/install_system_deps.sh",
            allow_module_level=True,
        )
    pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free local port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def launch() -> Iterator[Browser]:
    """A headless chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def watched_page(
    browser: Browser,
    *,
    height: int = 860,
    only_host: str | None = None,
    ignore_console: Callable[[str], bool] = lambda text: False,
) -> Iterator[Page]:
    """A fresh page that fails the test (when the block ends) on any dialog, page error or console
    error (bar those ``ignore_console`` accepts); with ``only_host`` (a base URL), any request
    elsewhere is aborted and fails the test too."""
    from playwright.sync_api import ConsoleMessage, Route

    context = browser.new_context(viewport={"width": 1280, "height": height}, java_script_enabled=True)
    problems: list[str] = []

    def only_this_server(route: Route) -> None:
        url = route.request.url
        if only_host is not None and (url == only_host or url.startswith(only_host + "/")):
            route.continue_()
        else:
            problems.append(f"request elsewhere: {url}")
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not ignore_console(message.text):
            problems.append(f"console: {message.text}")

    if only_host is not None:
        context.route("**/*", only_this_server)
    tab = context.new_page()
    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab
    context.close()
    assert problems == []
