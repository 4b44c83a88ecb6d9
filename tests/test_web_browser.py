"""The pages in a real browser: Playwright drives Debian's chromium against uvicorn on loopback.

Skipped, with the reason, when ``/usr/bin/chromium`` or the playwright package is missing
(``make test`` installs chromium with ``scripts/install_system_deps.sh``). Saves a screenshot of each
page under ``docs/screenshots/``. No dialog may ever open, and no page may log a console error
(a Content-Security-Policy violation logs one).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.test_web_api import HOSTILE_TITLE, article_ids, seed_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

if not CHROMIUM.exists():
    pytest.skip(
        f"needs Debian's chromium at {CHROMIUM}: run scripts/install_system_deps.sh", allow_module_level=True
    )
pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip)")

from playwright.sync_api import Browser, ConsoleMessage, Dialog, Error, Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    seeded = seed_store(tmp_path_factory.mktemp("browser") / "web.db")
    yield seeded
    seeded.close()


@pytest.fixture(scope="module")
def base_url(store: SqliteStore) -> Iterator[str]:
    port = _free_port()
    app = create_app(store, Settings(db=str(store.path), workers=1))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any dialog or console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, java_script_enabled=True)
    tab = context.new_page()
    problems: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_error(error: Error) -> None:
        problems.append(f"page error: {error}")

    tab.on("dialog", on_dialog)
    tab.on("console", on_console)
    tab.on("pageerror", on_error)
    yield tab
    context.close()
    assert problems == []


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_stories_and_story_pages(page: Page, base_url: str, store: SqliteStore) -> None:
    ids = article_ids(store)
    story_id = store.story_ids_of([ids["afp"]])[ids["afp"]]
    p = page
    p.goto(base_url + "/")
    link = p.locator(f'a[href="/stories/{story_id}"]')
    assert link.count() == 1 and p.locator("svg.spark").count() >= 1
    _shot(p, "stories.png")
    link.click()
    p.wait_for_url(f"**/stories/{story_id}")
    assert p.locator("svg.timeline rect").count() >= 1
    members = store.get_story(story_id)
    assert members is not None
    for article_id in members.article_ids:
        article = store.get_article(article_id)
        if article is not None and article.duplicate_of is None:
            assert p.locator(f'.timeline-list a[href="/articles/{article_id}"]').count() == 1
    if ids["dpa"] in members.article_ids:
        assert p.locator(f'a[href="/articles/{ids["dpa"]}"]').count() == 1
    _shot(p, "story.png")


def test_search_from_the_masthead(page: Page, base_url: str, store: SqliteStore) -> None:
    ids = article_ids(store)
    p = page
    p.goto(base_url + "/")
    p.keyboard.press("/")
    p.keyboard.type("Taliban")
    p.keyboard.press("Enter")
    p.wait_for_url("**/search?q=Taliban")
    for key in ("afp", "dpa"):
        assert p.locator(f'.hits a[href="/articles/{ids[key]}"]').count() == 1
    assert p.locator(".hits mark").first.inner_text() == "Taliban"
    _shot(p, "search.png")


def test_hostile_title_renders_as_text(page: Page, base_url: str, store: SqliteStore) -> None:
    ids = article_ids(store)
    p = page
    for path in ["/", "/articles", f"/articles/{ids['hostile']}", "/search?q=tulips"]:
        p.goto(base_url + path)
        assert p.locator("img").count() == 0, path
    assert p.locator(".hits h3 a").first.inner_text() == HOSTILE_TITLE
    p.goto(base_url + f"/articles/{ids['afp']}")
    _shot(p, "article.png")


def test_compare_two_stored_articles(page: Page, base_url: str, store: SqliteStore) -> None:
    ids = article_ids(store)
    p = page
    p.goto(base_url + "/compare")
    p.fill('input[name="a_id"]', ids["afp"])
    p.fill('input[name="b_id"]', ids["dpa"])
    p.click('button[type="submit"]')
    p.wait_for_selector(".score", timeout=60_000)
    score = float(p.locator(".score").inner_text())
    assert 1.0 <= score <= 4.0
    _shot(p, "compare.png")
