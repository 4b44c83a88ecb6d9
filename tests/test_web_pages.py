"""The HTML pages with TestClient: content, escaping of hostile text, headers, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import Markup

from storyline.model import Article, Batch
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app
from storyline.web.charts import count_per_bin, make_bins, sparkline, timeline
from storyline.web.render import highlight
from storyline.web.security import is_loopback, safe_url
from tests.conftest import AFP_SEED
from tests.test_web_api import HOSTILE_TITLE, client, ids, seeded

__all__ = ["client", "ids", "seeded"]  # fixtures shared with test_web_api

ESCAPED_TITLE = "&lt;img src=x onerror=alert(1)&gt;"


def _story_of(client: TestClient, article_id: str) -> str:
    story_id: str = client.get(f"/api/v1/articles/{article_id}").json()["story_id"]
    return story_id


def _pages(client: TestClient, ids: dict[str, str]) -> list[str]:
    return [
        "/",
        "/articles",
        "/storylines",
        f"/stories/{_story_of(client, ids['afp'])}",
        f"/stories/{_story_of(client, ids['hostile'])}",
        f"/articles/{ids['hostile']}",
        f"/articles/{ids['afp']}",
        "/search?q=tulips",
        "/search?q=Taliban",
        "/entities",
        "/entities/e-hostile",
    ]


def test_every_page_renders_with_security_headers(client: TestClient, ids: dict[str, str]) -> None:
    for path in [*_pages(client, ids), "/compare", "/watchlists"]:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "<script>" not in response.text and " style=" not in response.text
        assert "http://" not in response.text.replace("http://www.w3.org", "") or path.startswith(
            "/articles/"
        )


def test_hostile_title_is_escaped_everywhere(client: TestClient, ids: dict[str, str]) -> None:
    for path in _pages(client, ids):
        html = client.get(path).text
        assert HOSTILE_TITLE not in html, path
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html, path
    for path in ["/articles", f"/articles/{ids['hostile']}", "/search?q=tulips"]:
        assert ESCAPED_TITLE in client.get(path).text, path


def test_only_http_urls_become_links() -> None:
    store = MemoryStore()  # the extractor already drops such URLs: write them directly
    urls = {"js": "javascript:alert(1)", "data": "data:text/html,<b>x</b>", "web": "https://example.com/a"}
    store.write_batch(
        Batch(articles=tuple(Article(k, "text " * 20, title=k, url=u) for k, u in urls.items()))
    )
    client = TestClient(create_app(store, Settings()))
    js = client.get("/articles/js").text
    assert 'href="javascript:' not in js and "javascript:alert(1)" in js  # shown as text only
    data = client.get("/articles/data").text
    assert 'href="data:' not in data and "<b>x</b>" not in data
    assert 'href="https://example.com/a"' in client.get("/articles/web").text


def test_stories_page_lists_the_story_with_a_sparkline(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get("/").text
    story_id = _story_of(client, ids["afp"])
    assert f'href="/stories/{story_id}"' in html and '<svg class="spark"' in html
    assert client.get("/?source=nowhere.example").text.count('class="story-item"') == 0
    assert "No stories match" in client.get("/?until=1990-01-01").text


def test_story_page_has_timeline_articles_and_folded_copies(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/stories/{_story_of(client, ids['afp'])}").text
    assert '<svg class="timeline"' in html and f"/articles/{ids['afp']}" in html
    assert re.search(r'<details class="copies">\s*<summary>1 near-copy</summary>', html)
    by_language = client.get(f"/stories/{_story_of(client, ids['afp'])}?by=language").text
    assert "<strong>language</strong>" in by_language


def test_article_page(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/articles/{ids['afp']}").text
    assert "Taliban" in html and f"/articles/{ids['copy']}" in html
    assert f"/stories/{_story_of(client, ids['afp'])}" in html and f"/compare?a={ids['afp']}" in html
    copy = client.get(f"/articles/{ids['copy']}").text
    assert "Copy of" in copy and f"/articles/{ids['afp']}" in copy


def test_search_page_highlights(client: TestClient) -> None:
    html = client.get("/search?q=Taliban").text
    assert "<mark>Taliban</mark>" in html and html.count('<li>\n      <h3><a href="/articles/') >= 2
    assert "Nothing found" in client.get("/search?q=zzzqqq").text


def test_highlight_escapes_before_marking() -> None:
    out = highlight("a [<b>x</b>] & [ok] stray ] [ end")
    assert isinstance(out, Markup)
    assert str(out) == "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> &amp; <mark>ok</mark> stray ] [ end"


def test_compare_page(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/compare?a={ids['afp']}&b={ids['dpa']}").text
    assert 'class="score"' in html and "Closest sentences" in html
    posted = client.post("/compare", data={"a_text": AFP_SEED.read_text(), "b_id": ids["dpa"]})
    assert posted.status_code == 200 and 'class="score"' in posted.text
    missing = client.get("/compare?a=nope&b=nope")
    assert missing.status_code == 404 and "no article" in missing.text


def test_page_errors_are_html(client: TestClient) -> None:
    for path, status in [("/stories/nope", 404), ("/nowhere", 404), ("/?since=soon", 422), ("/?page=0", 422)]:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"]
    assert client.delete("/").status_code == 405


def test_placeholders_say_coming(client: TestClient) -> None:
    assert "coming" in client.get("/watchlists").text
    assert client.get("/entities/e1").status_code == 404


def test_entity_pages_and_article_facts(client: TestClient, ids: dict[str, str]) -> None:
    found = client.get("/api/v1/entities", params={"name": "Jens Stoltenberg"}).json()
    stoltenberg = f'href="/entities/{found[0]["id"]}"'
    assert stoltenberg in client.get("/entities?name=Stoltenberg").text
    entity = client.get(f"/entities/{found[0]['id']}").text
    assert "Although no ally wants" in entity and f"/articles/{ids['afp']}" in entity
    article = client.get(f"/articles/{ids['afp']}").text
    assert "Who said what" in article and stoltenberg in article
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in client.get("/entities/e-hostile").text


def test_empty_store_shows_what_exists(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "empty.db")
    try:
        html = TestClient(create_app(store, Settings())).get("/").text
        assert "The store is empty" in html
    finally:
        store.close()


def test_static_assets_are_local(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text
    assert client.get("/static/app.js").status_code == 200


def test_safe_url_and_loopback() -> None:
    assert safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "http://",
        None,
    ]:
        assert safe_url(bad) is None
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.com")


def test_charts_escape_labels_and_scale() -> None:
    first, last = (d.date() for d in _days())
    bins = make_bins(first, last)
    assert (bins.n, bins.step_days) == (3, 1)
    assert make_bins(_days()[0].date(), _days()[0].date().replace(year=2022)).step_days == 7
    _, series = count_per_bin([(d, "<b>") for d in _days()], bins)
    svg = timeline(bins, {**series, "x": [1, 0, 0]}, title="t").svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert sparkline([0, 3, 1], label="<x>").count("<rect") == 2


def _days() -> list[datetime]:
    return [datetime(2021, 2, 15, tzinfo=UTC), datetime(2021, 2, 17, tzinfo=UTC)]
