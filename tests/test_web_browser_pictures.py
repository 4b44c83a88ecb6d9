"""The pictures in a real browser (issue #14 part 7): the map of a story's places, the co-mention graph
and the zoomable coverage timeline render in chromium, and the zoom links change the period shown.

Skipped, with the reason, without ``/usr/bin/chromium`` or the playwright package. No dialog, page
error, console error (a Content-Security-Policy violation logs one) or request to another host may
happen. The map's countries are ``<use>`` references into ``/maps/world.svg``: a country that did not
load would have no size, so the sizes are checked, not just the elements.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.settings import Settings
from storyline.web import create_app
from tests.browser_support import launch, require_browser, serve, watched_page
from tests.pictures_store import N, picture_store

pytestmark = pytest.mark.browser

require_browser()

from playwright.sync_api import Browser, Page  # noqa: E402


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(create_app(picture_store(), Settings(workers=1))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    with watched_page(browser, only_host=base_url) as tab:
        yield tab


def _size(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["width"], box["height"]


def test_the_map_of_a_story_draws_its_countries_and_cities(page: Page, base_url: str) -> None:
    page.goto(base_url + "/stories/s1")
    figure = page.locator("#places svg.map")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    assert page.locator("#places svg.map use.country").count() == 2
    assert page.locator("#places svg.map circle.city").count() == 4
    page.wait_for_function(  # the outlines load from /maps/world.svg: France then has a size
        "() => document.querySelector('svg.map use[data-code=fr]').getBBox().width > 0"
    )
    width, height = _size(page, 'svg.map use[data-code="fr"]')
    assert width > 20 and height > 20
    land_w, _ = _size(page, "svg.map use.land")
    assert land_w > width  # the land is drawn around the shaded country
    assert page.locator("#places table tbody tr").count() == 6
    assert page.locator("#places table").is_visible()


def test_the_co_mention_graph_links_to_the_entities(page: Page, base_url: str) -> None:
    page.goto(base_url + "/entities/e-vale")
    graph = page.locator("svg.graph")
    graph.scroll_into_view_if_needed()
    assert graph.is_visible()
    nodes = page.locator("svg.graph a.node")
    assert nodes.count() == 7 and page.locator("svg.graph line.edge").count() == 7
    width, _ = _size(page, "svg.graph a.node circle")
    assert width > 5
    page.locator('svg.graph a.node[href="/entities/e-jane"]').click()
    page.wait_for_url("**/entities/e-jane")
    assert page.locator("h1").inner_text() == "Jane Doe"


def test_the_timeline_zooms_to_a_period(page: Page, base_url: str) -> None:
    page.goto(base_url + "/stories/s1")
    shown = page.locator("#coverage .zoom-nav .muted")
    assert f"{N} of {N} dated articles" in shown.inner_text()
    assert page.locator("#coverage svg.timeline").is_visible()
    assert page.locator("#coverage .zoom-out").count() == 0
    page.locator("#coverage .zoom-in").click()
    page.wait_for_url("**/stories/s1?from=*")
    zoomed = page.locator("#coverage .zoom-nav .muted").inner_text()
    assert f"{N} of {N}" not in zoomed and "Showing" in zoomed
    assert page.locator("#coverage .zoom-out").is_visible()
    assert page.locator("#coverage .zoom-whole").is_visible()
    page.locator("#coverage ol.brush a").first.click()  # the first period of the story
    page.wait_for_url("**/stories/s1?from=2024-01-01*")
    assert "Showing 1 – 20 Jan 2024" in page.locator("#coverage .zoom-nav .muted").inner_text()
    assert page.locator("#coverage ol.brush strong[aria-current]").count() == 1
    page.locator("#coverage .zoom-whole").click()
    page.wait_for_url("**/stories/s1#coverage")
    page.locator("#coverage svg.timeline a.zoom").first.click()  # a week's column zooms into it
    page.wait_for_url("**/stories/s1?from=2024-01-01&to=2024-01-07*")
    assert "per day" in page.locator("#timeline-h").inner_text()
