"""The pages in a real browser: Playwright drives Debian's chromium against uvicorn on loopback.

Skipped, with the reason, when ``/usr/bin/chromium`` or the playwright package is missing
(``make test`` installs chromium with ``scripts/install_system_deps.sh``). Saves a screenshot of each
page in pytest's temporary directory (the pictures in ``docs/screenshots/`` come from a realistic
corpus: ``scripts/screenshots.py``). No dialog may ever open, and no page may log a console error
(a Content-Security-Policy violation logs one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.browser_support import launch, require_browser, serve, watched_page
from tests.test_web_api import HOSTILE_TITLE, article_ids, seed_store

pytestmark = pytest.mark.browser

require_browser()

from playwright.sync_api import Browser, Page  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    seeded = seed_store(tmp_path_factory.mktemp("browser") / "web.db")
    yield seeded
    seeded.close()


@pytest.fixture(scope="module")
def base_url(store: SqliteStore) -> Iterator[str]:
    with serve(create_app(store, Settings(db=str(store.path), workers=1))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots of these fixture pages go: not docs/screenshots."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any dialog or console error."""
    with watched_page(browser) as tab:
        yield tab


def _shot(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / name), full_page=True)
    assert (shots / name).read_bytes().startswith(b"\x89PNG"), name


def test_stories_and_story_pages(page: Page, base_url: str, store: SqliteStore, shots: Path) -> None:
    ids = article_ids(store)
    stories = store.story_ids_of([ids["afp"], ids["dpa"]])
    story_id = stories[ids["afp"]]
    p = page
    p.goto(base_url + "/")
    link = p.locator(f'a[href="/stories/{story_id}"]')
    assert link.count() == 1 and p.locator("svg.spark").count() >= 1
    _shot(p, shots, "stories.png")
    link.click()
    p.wait_for_url(f"**/stories/{story_id}")
    assert p.locator("svg.timeline rect").count() >= 1
    story = store.get_story(story_id)
    assert story is not None
    for article_id in story.article_ids:
        article = store.get_article(article_id)
        if article is not None and article.duplicate_of is None:
            assert p.locator(f'.timeline-list a[href="/articles/{article_id}"]').count() == 1
    if stories[ids["dpa"]] == story_id:  # the pipeline put both reports in one story
        assert p.locator(f'.timeline-list a[href="/articles/{ids["dpa"]}"]').count() == 1
    else:  # two stories: they must share a storyline, and the Story page links the other
        other = store.get_story(stories[ids["dpa"]])
        assert other is not None and other.storyline_id == story.storyline_id is not None
        assert p.locator(f'.storyline-nav a[href="/stories/{other.id}"]').count() == 1
    # who said what: every Stoltenberg quote of the story under one speaker
    speakers = p.locator(".speaker h3")
    names = [speakers.nth(i).inner_text() for i in range(speakers.count())]
    assert sum("Stoltenberg" in n for n in names) == 1, names
    block = p.locator(".speaker", has=p.locator("h3", has_text="Stoltenberg"))
    quoted = {ids[k] for k in ("afp", "dpa") if block.locator(f'a[href^="/articles/{ids[k]}?at="]').count()}
    assert quoted == ({ids["afp"], ids["dpa"]} if stories[ids["dpa"]] == story_id else {ids["afp"]})
    # the digest arrives by progressive enhancement, in place
    p.wait_for_selector("#digest .digest-part", timeout=120_000)
    for heading in ("Summary", "What's new", "Event timeline", "Figures"):
        assert p.locator("#digest h2", has_text=heading).count() == 1, heading
    assert p.locator("#digest .summary a").count() >= 3
    assert p.locator("#digest svg.events circle").count() >= 2
    _shot(p, shots, "story.png")
    p.locator("#digest .summary a").first.click()
    p.wait_for_url("**/articles/**")
    assert p.locator("mark#at").count() == 1 and p.locator("mark#at").inner_text().strip()


def test_story_digest_without_javascript(
    browser: Browser, base_url: str, store: SqliteStore, shots: Path
) -> None:
    ids = article_ids(store)
    story_id = store.story_ids_of([ids["afp"]])[ids["afp"]]
    context = browser.new_context(viewport={"width": 1280, "height": 860}, java_script_enabled=False)
    try:
        p = context.new_page()
        p.goto(base_url + f"/stories/{story_id}?since=2021-02-17")
        p.locator(f'#digest a[href="/stories/{story_id}/digest?since=2021-02-17"]').click()
        p.wait_for_url("**/digest?since=2021-02-17", timeout=120_000)
        new = p.locator(".new-sentences").inner_text()
        assert "9,600-strong" in new and "May 1 deadline" in new
        assert p.locator("svg.events circle.upcoming").count() >= 1
        _shot(p, shots, "digest.png")
    finally:
        context.close()


def test_storyline_entity_and_watchlists_pages(
    page: Page, base_url: str, store: SqliteStore, shots: Path
) -> None:
    ids = article_ids(store)
    story = store.get_story(store.story_ids_of([ids["afp"]])[ids["afp"]])
    assert story is not None and story.storyline_id is not None
    line = store.get_storyline(story.storyline_id)
    assert line is not None
    p = page
    p.goto(base_url + f"/storylines/{line.id}")
    for member in line.story_ids:
        assert p.locator(f'.story-list a[href="/stories/{member}"]').count() == 1
    assert p.locator("svg.spans rect").count() == len(line.story_ids)
    _shot(p, shots, "storyline.png")
    stoltenberg = store.find_entities("Jens Stoltenberg", limit=1)[0]
    p.goto(base_url + f"/entities/{stoltenberg.id}")
    assert p.locator("h1").inner_text() == "Jens Stoltenberg"
    _shot(p, shots, "entity.png")
    p.goto(base_url + "/watchlists")
    assert p.locator(".watchlist").count() == 2
    assert p.locator(".watchlist h2", has_text=HOSTILE_TITLE).count() == 1  # as text
    assert p.locator('a[href$=".atom"]').count() == 2 and p.locator("img").count() == 0
    _shot(p, shots, "watchlists.png")


def test_search_from_the_masthead(page: Page, base_url: str, store: SqliteStore, shots: Path) -> None:
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
    _shot(p, shots, "search.png")


def test_hostile_title_renders_as_text(page: Page, base_url: str, store: SqliteStore, shots: Path) -> None:
    ids = article_ids(store)
    p = page
    hostile_story = store.story_ids_of([ids["hostile"]])[ids["hostile"]]
    paths = ["/", "/articles", f"/articles/{ids['hostile']}", f"/stories/{hostile_story}", "/watchlists"]
    paths += ["/entities/e-hostile", f"/stories/{hostile_story}/digest", "/search?q=tulips"]
    for path in paths:
        p.goto(base_url + path)
        assert p.locator("img").count() == 0, path
    assert p.locator(".hits h3 a").first.inner_text() == HOSTILE_TITLE
    p.goto(base_url + f"/articles/{ids['afp']}")
    _shot(p, shots, "article.png")


def test_compare_two_stored_articles(page: Page, base_url: str, store: SqliteStore, shots: Path) -> None:
    ids = article_ids(store)
    p = page
    p.goto(base_url + "/compare")
    p.fill('input[name="a_id"]', ids["afp"])
    p.fill('input[name="b_id"]', ids["dpa"])
    p.click('button[type="submit"]')
    p.wait_for_selector(".score", timeout=60_000)
    score = float(p.locator(".score").inner_text())
    assert 1.0 <= score <= 4.0
    _shot(p, shots, "compare.png")
