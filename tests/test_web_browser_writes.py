"""The write forms in a real browser: Playwright drives Debian's chromium against uvicorn on loopback,
with a write token set, so every form is sent with the token typed in it (and the CSRF field and
cookie the browser keeps by itself).

Skipped, with the reason, when ``/usr/bin/chromium`` or the playwright package is missing (as
the other browser tests: ``tests/browser_support.py``). No dialog may ever open, and no page may log a
console error (a Content-Security-Policy violation logs one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.browser_support import launch, require_browser, serve, watched_page
from tests.conftest import AFP_SEED

pytestmark = pytest.mark.browser

require_browser()

from playwright.sync_api import Browser, Page  # noqa: E402

TOKEN = "browser-token-5678"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    made = SqliteStore(tmp_path_factory.mktemp("browser-writes") / "web.db")
    yield made
    made.close()


@pytest.fixture(scope="module")
def base_url(store: SqliteStore) -> Iterator[str]:
    with serve(create_app(store, Settings(db=str(store.path), workers=1), token=TOKEN)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any dialog or console error (bar the wrong-token 401)."""
    with watched_page(browser, ignore_console=lambda text: "401" in text) as tab:
        yield tab


def test_add_edit_and_delete_a_watchlist_with_the_token(
    page: Page, base_url: str, store: SqliteStore
) -> None:
    p = page
    p.goto(base_url + "/watchlists")
    form = p.locator("form.watch-form")
    form.locator('input[name="name"]').fill(HOSTILE)
    form.locator('textarea[name="keywords"]').fill("Taliban\nKabul")
    form.locator('input[name="token"]').fill("not-the-token")
    form.locator('button[type="submit"]').click()
    p.wait_for_load_state()
    assert "missing or wrong token" in p.locator(".notice.error").inner_text()
    assert store.list_watchlists() == []

    p.goto(base_url + "/watchlists")
    form = p.locator("form.watch-form")
    form.locator('input[name="name"]').fill(HOSTILE)
    form.locator('textarea[name="keywords"]').fill("Taliban\nKabul")
    form.locator('input[name="token"]').fill(TOKEN)
    form.locator('button[type="submit"]').click()
    p.wait_for_url("**/watchlists#w*")
    item = p.locator(".watchlist", has=p.locator("h2", has_text=HOSTILE))  # the name as text
    assert item.count() == 1 and p.locator("img").count() == 0
    assert [item.locator(".chip").nth(i).text_content() for i in range(2)] == ["Taliban", "Kabul"]
    [stored] = store.list_watchlists()
    assert stored.name == HOSTILE

    item.locator("a", has_text="Edit").click()
    p.wait_for_url("**/edit")
    form = p.locator("form.watch-form")
    assert form.locator('textarea[name="keywords"]').input_value() == "Taliban\nKabul"
    form.locator('textarea[name="keywords"]').fill("Afghanistan")
    form.locator('textarea[name="entities"]').fill("Jens Stoltenberg")
    form.locator('input[name="token"]').fill(TOKEN)
    form.locator('button[type="submit"]').click()
    p.wait_for_url("**/watchlists#w*")
    item = p.locator(".watchlist", has=p.locator("h2", has_text=HOSTILE))
    assert item.locator(".chip").all_text_contents() == ["Jens Stoltenberg", "Afghanistan"]
    edited = store.get_watchlist(stored.id)
    assert (
        edited is not None and edited.keywords == ("Afghanistan",) and edited.created_at == stored.created_at
    )

    delete = item.locator('form[action$="/delete"]')
    delete.locator('input[name="token"]').fill(TOKEN)
    delete.locator('button[type="submit"]').click()
    p.wait_for_url("**/watchlists")
    assert p.locator(".watchlist").count() == 0 and store.list_watchlists() == []


def test_upload_a_file_and_see_it_stored(
    page: Page, base_url: str, store: SqliteStore, tmp_path: Path
) -> None:
    upload = tmp_path / "afp-report.txt"
    upload.write_bytes(AFP_SEED.read_bytes())
    p = page
    p.goto(base_url + "/upload")
    p.locator('input[type="file"]').set_input_files(str(upload))
    p.locator('input[name="token"]').fill(TOKEN)
    p.locator('form.upload-form button[type="submit"]').click()
    p.wait_for_selector(".upload-result", timeout=120_000)
    assert p.locator(".upload-counts dd.stored").inner_text() == "1"
    assert p.locator(".upload-files").inner_text().startswith("afp-report.txt")
    [article] = list(store.iter_articles())
    link = p.locator(f'.stored-articles a[href="/articles/{article.id}"]')
    assert link.count() == 1
    link.click()
    p.wait_for_url(f"**/articles/{article.id}")
    assert "NATO" in p.locator("h1").inner_text()
