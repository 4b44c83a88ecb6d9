"""The API docs page and plain language in a real browser (Debian's chromium through Playwright).

- Swagger UI renders every operation of the OpenAPI document with the network limited to the test
  server: any request elsewhere is aborted and fails the test, as does any console error (a
  Content-Security-Policy violation logs one).
- The pages of a realistic store show no internal codes in the text chromium renders
  (``innerText``: the stylesheet's ``text-transform`` applied, which the HTML scan only emulates).

Skipped, with the reason, without ``/usr/bin/chromium`` or the playwright package, like
the other browser tests (``tests/browser_support.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.browser_support import launch, require_browser, serve, watched_page
from tests.plain_scan import Corpus, scan_text
from tests.realistic_store import build_store, corpus_texts

pytestmark = pytest.mark.browser

require_browser()

from playwright.sync_api import Browser, Page  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    built = build_store(tmp_path_factory.mktemp("browser-plain") / "plain.db", None)
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(store: SqliteStore) -> FastAPI:
    return create_app(store, Settings(db=str(store.path), workers=1))


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page whose network is this test server only; any other request, console error, page error
    or dialog fails the test."""
    with watched_page(browser, height=900, only_host=base_url) as tab:
        yield tab


def test_swagger_ui_renders_every_operation_offline(page: Page, base_url: str, app: FastAPI) -> None:
    operations = [
        (method.upper(), path)
        for path, methods in app.openapi()["paths"].items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) >= 10
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto(base_url + "/")
    page.locator('footer a[href="/docs"]').click()
    page.wait_for_url("**/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=60_000)
    blocks = page.locator("#swagger-ui .opblock")
    shown = {
        (blocks.nth(i).locator(".opblock-summary-method").inner_text().strip(),
         blocks.nth(i).locator(".opblock-summary-path").get_attribute("data-path"))
        for i in range(blocks.count())
    }  # fmt: skip
    assert shown == set(operations)
    assert page.locator("#swagger-ui .info .title").inner_text().startswith("Storyline")
    # an operation opens to its parameters, read from the same document
    stories = page.locator('#swagger-ui .opblock-get .opblock-summary-path[data-path="/api/v1/stories"]')
    stories.click()
    page.wait_for_selector("#swagger-ui .opblock.is-open .parameters", timeout=20_000)
    assert page.locator("#swagger-ui .opblock.is-open .parameter__name", has_text="limit").count() == 1
    assert base_url + "/docs/assets/swagger-ui-bundle.js" in loaded
    assert base_url + "/api/v1/openapi.json" in loaded
    assert all(url.startswith(base_url) for url in loaded)


def test_pages_show_words_not_codes_in_the_browser(page: Page, base_url: str, store: SqliteStore) -> None:
    articles = [a for a in store.iter_articles() if a.duplicate_of is None]
    (story,) = store.list_stories(limit=5)[:1]
    entity = store.find_entities("Jens Stoltenberg", limit=1)[0]
    paths = ["/", f"/stories/{story.id}", f"/stories/{story.id}/digest", "/articles", "/entities",
             f"/entities/{entity.id}", "/watchlists", "/sources", "/glossary", "/search?q=Taliban",
             *[f"/articles/{a.id}" for a in articles]]  # fmt: skip
    corpus = Corpus(corpus_texts(store))
    shown: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(base_url + path)
        if response is None or response.status != 200:
            shown[path] = [f"answered {response.status if response else None}"]
            continue
        found = scan_text(page.locator("body").inner_text(), corpus)
        if found:
            shown[path] = [str(f) for f in found]
    assert not shown, shown
    # the words that replaced the codes are there, as the reader sees them
    page.goto(base_url + f"/stories/{story.id}/digest")
    events = page.locator(".event-list").inner_text()
    assert "2001 · happened" in events and "upcoming" in events
    assert "2 %" in page.locator("table.figures").inner_text()
    keyphrases = page.locator(".keyphrases .chip")
    assert keyphrases.count() >= 1
    for i in range(keyphrases.count()):  # shown in the articles' own case
        assert keyphrases.nth(i).inner_text() != keyphrases.nth(i).inner_text().upper()
    afp = next(a for a in articles if a.agency == "AFP")
    page.goto(base_url + f"/articles/{afp.id}")
    dates = page.locator("aside").inner_text()
    assert "more than two decades → 20 years" in dates and "the future → the future" not in dates
