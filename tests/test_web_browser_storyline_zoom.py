"""The storyline page's zoomable timeline in a real browser (issue #14 part 7): the stories' bars and
the weekly columns render in chromium, and the zoom links, period links and columns change the period
shown, with no JavaScript needed.

Skipped, with the reason, without ``/usr/bin/chromium`` or the playwright package. No dialog, page
error, console error (a Content-Security-Policy violation logs one) or request to another host may
happen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.settings import Settings
from storyline.web import create_app
from tests.browser_support import launch, require_browser, serve, watched_page
from tests.storyline_zoom_store import N_STORIES, zoom_store

pytestmark = pytest.mark.browser

require_browser()

from playwright.sync_api import Browser, Page  # noqa: E402


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(create_app(zoom_store(), Settings(workers=1))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with watched_page(browser, only_host=base_url) as tab:
        yield tab


def _shown(page: Page) -> str:
    return page.locator("#timeline .zoom-nav .muted").inner_text()


def test_the_storyline_timeline_zooms_to_a_period(page: Page, base_url: str) -> None:
    page.goto(base_url + "/storylines/l1")
    assert f"{N_STORIES} of {N_STORIES} dated stories" in _shown(page)
    bars = page.locator("#timeline svg.spans rect")
    assert bars.count() == N_STORIES
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert page.locator("#timeline svg.timeline").is_visible()
    assert page.locator("#timeline .zoom-out").count() == 0
    page.locator("#timeline .zoom-in").click()
    page.wait_for_url("**/storylines/l1?from=*")
    assert "Showing 14 Feb – 13 May 2024: 3 of 5" in _shown(page)
    assert page.locator("#timeline svg.spans rect").count() == 3
    assert page.locator("#timeline .zoom-out").is_visible()
    page.locator("#timeline .zoom-whole").click()
    page.wait_for_url("**/storylines/l1#timeline")
    page.locator("#timeline ol.brush a").first.click()  # the first sixth of the storyline
    page.wait_for_url("**/storylines/l1?from=2024-01-01&to=2024-01-29*")
    assert "Showing 1 – 29 Jan 2024: 1 of 5" in _shown(page)
    assert page.locator("#timeline ol.brush strong[aria-current]").count() == 1
    page.locator("#timeline .zoom-whole").click()
    page.wait_for_url("**/storylines/l1#timeline")
    page.locator("#timeline svg.timeline a.zoom").first.click()  # a week's column zooms into it
    page.wait_for_url("**/storylines/l1?from=2024-01-01&to=2024-01-07*")
    assert "Showing 1 – 7 Jan 2024: 1 of 5" in _shown(page)


def test_the_table_fallback_opens(page: Page, base_url: str) -> None:
    page.goto(base_url + "/storylines/l1?from=2024-02-01&to=2024-02-29")
    page.locator("#timeline details.table-fallback summary").click()
    rows = page.locator("#timeline details.table-fallback tbody tr")
    assert rows.count() == 1
    assert "alert(5)" in rows.first.inner_text()  # the hostile label shows as text, never runs
