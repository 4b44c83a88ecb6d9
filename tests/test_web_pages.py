"""The HTML pages with TestClient: content, escaping of hostile text, headers, errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from markupsafe import Markup

from storyline.model import Article, Assignment, Batch, Story
from storyline.settings import Settings
from storyline.store import MemoryStore, SqliteStore
from storyline.web import create_app
from storyline.web.charts import count_per_bin, make_bins, sparkline, timeline
from storyline.web.charts_events import EventMark, event_chart
from storyline.web.data import marked_paragraphs
from storyline.web.digests import BATCH_GAP, DigestService, latest_update, subject_key
from storyline.web.render import highlight
from storyline.web.security import is_loopback, safe_url
from tests.conftest import AFP_SEED
from tests.test_web_api import HOSTILE_TITLE, WATCHLISTS, client, ids, seeded

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
        "/watchlists",
        f"/stories/{_story_of(client, ids['hostile'])}/digest",
    ]


def test_every_page_renders_with_security_headers(client: TestClient, ids: dict[str, str]) -> None:
    for path in [*_pages(client, ids), "/compare"]:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "<script>" not in response.text and " style=" not in response.text
        assert "http://" not in response.text.replace("http://www.w3.org", "") or path.startswith(
            "/articles/"
        )


def test_hostile_title_is_escaped_everywhere(client: TestClient, ids: dict[str, str]) -> None:
    for path in _pages(client, ids):
        html = client.get(path).text
        assert HOSTILE_TITLE not in html, path
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html, path
    for path in ["/articles", f"/articles/{ids['hostile']}", "/search?q=tulips", "/watchlists"]:
        assert ESCAPED_TITLE in client.get(path).text, path


def test_only_http_urls_become_links() -> None:
    store = MemoryStore()  # the extractor already drops such URLs: write them directly
    urls = {"js": "javascript:alert(1)", "data": "data:text/html,<b>x</b>", "web": "https://example.com/a"}
    store.write_batch(
        Batch(articles=tuple(Article(k, "text " * 20, title=k, url=u) for k, u in urls.items()))
    )
    client = TestClient(create_app(store, Settings(trusted_hosts="testserver")))
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


def test_watchlists_page(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get("/watchlists").text
    assert "coming" not in html and "Afghanistan" in html and ESCAPED_TITLE in html
    for w in WATCHLISTS:
        assert f'href="/feeds/watchlists/{w.id}.atom"' in html
    taliban = html[html.index("<h2>Afghanistan</h2>") :].split('<li class="watchlist')[0]
    assert f'href="/articles/{ids["afp"]}"' in taliban and f'href="/articles/{ids["dpa"]}"' in taliban
    assert "never" in taliban  # no visit yet
    assert client.get("/entities/e1").status_code == 404


def test_story_page_links_its_digest_then_shows_it_cached(client: TestClient, ids: dict[str, str]) -> None:
    story_id = _story_of(client, ids["afp"])
    first = client.get(f"/stories/{story_id}?since=2021-02-17").text
    link = f"/stories/{story_id}/digest?since=2021-02-17"
    assert f'data-load="{link}"' in first and f'href="{link}"' in first  # works without JS via the link
    digest = client.get(link).text
    for heading in ("Summary", "What's new", "Event timeline", "Figures"):
        assert f">{heading}</h2>" in digest, heading
    assert re.search(rf'<a href="/articles/{ids["afp"]}\?at=\d+-\d+#at"', digest)  # sentences link
    assert '<svg class="events"' in digest and '<circle class="upcoming"' in digest
    assert '<circle class="happened"' in digest and "9,600-strong" in digest
    assert '<table class="table figures">' in digest
    cached = client.get(f"/stories/{story_id}?since=2021-02-17").text
    assert "data-load=" not in cached and '<svg class="events"' in cached  # now inline
    assert client.get(f"/stories/{story_id}/digest?since=soon").status_code == 422
    assert client.get("/stories/nope/digest").status_code == 404


def test_storyline_page_links_its_digest(client: TestClient, ids: dict[str, str]) -> None:
    line_id = client.get(f"/api/v1/stories/{_story_of(client, ids['afp'])}").json()["storyline_id"]
    html = client.get(f"/storylines/{line_id}").text
    assert f'href="/storylines/{line_id}/digest"' in html
    digest = client.get(f"/storylines/{line_id}/digest").text
    assert "digest of a storyline" in digest and ">Summary</h2>" in digest


def test_story_page_groups_quotes_by_speaker(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/stories/{_story_of(client, ids['afp'])}").text
    said = html[html.index('id="said-h"') :]
    stoltenberg = client.get("/api/v1/entities", params={"name": "Jens Stoltenberg"}).json()[0]["id"]
    heads = re.findall(r'<div class="speaker">\s*<h3>(.*?)</h3>', said, re.S)
    assert sum("Stoltenberg" in h for h in heads) == 1, heads
    block = said[said.index(f'<h3><a href="/entities/{stoltenberg}">') :].split('<div class="speaker">')[0]
    assert f"/articles/{ids['afp']}?at=" in block and f"/articles/{ids['dpa']}?at=" in block


def test_article_page_marks_the_linked_span(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/articles/{ids['afp']}?at=0-22").text
    assert '<mark id="at">NATO defense ministers</mark>' in html
    assert "<mark" not in client.get(f"/articles/{ids['afp']}").text
    for bad in ("x", "5", "-1-3", "1-2-3"):
        assert client.get(f"/articles/{ids['afp']}?at={bad}").status_code == 422, bad
    assert client.get(f"/articles/{ids['afp']}?at=9-3").status_code == 200  # empty span: nothing marked


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
        html = TestClient(create_app(store, Settings(trusted_hosts="testserver"))).get("/").text
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


def test_latest_update_is_the_last_batch_of_stored_articles() -> None:
    t0 = datetime(2021, 2, 1, tzinfo=UTC)
    gaps = [timedelta(0), timedelta(minutes=5), timedelta(days=2), timedelta(days=2, minutes=10)]
    articles = [Article(f"a{i}", "text " * 20, ingested_at=t0 + g) for i, g in enumerate(gaps)]
    update = latest_update(articles)
    assert update.since_ingested == t0 + gaps[2] and update.n_new == 2
    one_run = [Article(f"b{i}", "text " * 20, ingested_at=t0 + i * BATCH_GAP / 2) for i in range(3)]
    assert latest_update(one_run).since_ingested is None and latest_update(one_run).n_new == 1
    assert latest_update([]).n_new == 0


def test_event_chart_escapes_and_marks_status() -> None:
    marks = [
        EventMark(date(2021, 5, 1), True, "<script>x</script> deadline", "/articles/a?at=1-2#at"),
        EventMark(date(2021, 2, 17), False, "the meeting", "/articles/b?at=3-4#at"),
    ]
    svg = str(event_chart(marks, title="t <b>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "t &lt;b&gt;" in svg
    assert svg.index("2021-02-17 · the meeting") < svg.index("2021-05-01 · ")  # by when they happen
    assert svg.count('<circle class="upcoming"') == 1 and svg.count('<circle class="happened"') == 1
    assert str(event_chart([], title="t")) == ""


def test_marked_paragraphs_cross_lines() -> None:
    text = "First line here.\n\n  Second line.\n"
    assert marked_paragraphs(text, None) == [[("First line here.", False)], [("Second line.", False)]]
    marked = marked_paragraphs(text, (6, text.index("Second") + 6))
    assert marked == [[("First ", False), ("line here.", True)], [("Second", True), (" line.", False)]]


def test_digest_cache_key_follows_the_story() -> None:
    store = MemoryStore()
    first = Article("a1", "text " * 20)
    store.write_batch(
        Batch(
            articles=(first,),
            assignments=(Assignment("a1", "s1", 1.0, True),),
            stories=(Story("s1", "x", 1),),
        )
    )
    before = subject_key(store, "s1")
    store.write_batch(
        Batch(
            articles=(Article("a2", "more " * 20),),
            assignments=(Assignment("a2", "s1", 1.0, False),),
            stories=(Story("s1", "x", 2),),
        )
    )
    after = subject_key(store, "s1")
    assert before is not None and after is not None and before != after and after[-1] == "a2"
    assert subject_key(store, "nope") is None
    assert DigestService(store).cached("s1") is None and DigestService(store).get("nope") is None
