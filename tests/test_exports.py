"""The API's listing conventions: formats (streamed), totals and next links, sort, counts, entity filters,
and the front page's "now" order."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.model import Assignment, Batch, Entity, Mention, Story
from storyline.settings import Settings
from storyline.shapes import encode_rows
from storyline.store import SqliteStore
from storyline.web import create_app
from tests.test_store_contract import art

NOW = datetime(2021, 3, 10, 12, 0, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://evil.example","x") <b>'


def _world() -> Batch:
    """'old' is big but quiet this week; 'surge' is small but busy in the last day, with 3 outlets;
    'steady' has one article this week."""
    articles, assignments = [], []
    for i in range(30):  # a month-old big story, one article two days ago
        at = NOW - timedelta(days=40 - i) if i < 29 else NOW - timedelta(days=2)
        articles.append(art(f"old{i}", source="a.example", language="en", published_at=at))
        assignments.append(Assignment(f"old{i}", "old", 1.0, i == 0))
    for i, (source, agency, lang) in enumerate(
        [
            ("b.example", "AFP", "en"),
            ("c.example", None, "de"),
            (None, "dpa", "fr"),
            ("b.example", None, "en"),
        ]
    ):
        articles.append(
            art(f"surge{i}", title=HOSTILE if i == 0 else f"Surge {i}", source=source, agency=agency,
                language=lang, published_at=NOW - timedelta(hours=3 * i))
        )  # fmt: skip
        assignments.append(Assignment(f"surge{i}", "surge", 1.0, i == 0))
    articles.append(art("steady0", source="d.example", language="en", published_at=NOW - timedelta(days=5)))
    assignments.append(Assignment("steady0", "steady", 1.0, True))
    stories = (
        Story(
            "old",
            "Old story",
            30,
            first_seen_at=NOW - timedelta(days=40),
            last_seen_at=NOW - timedelta(days=2),
        ),
        Story("surge", "Surge story", 4, first_seen_at=NOW - timedelta(hours=9), last_seen_at=NOW),
        Story(
            "steady",
            "Steady story",
            1,
            first_seen_at=NOW - timedelta(days=5),
            last_seen_at=NOW - timedelta(days=5),
        ),
    )
    return Batch(
        articles=tuple(articles),
        assignments=tuple(assignments),
        stories=stories,
        entities=(
            Entity("e:1", "Olaf Scholz", "PER", n_mentions=2),
            Entity("e:2", "Berlin", "GPE", n_mentions=1),
        ),
        mentions=(
            Mention("surge1", 0, 4, "Olaf", "PER", "e:1"),
            Mention("surge2", 0, 4, "Olaf", "PER", "e:1"),
            Mention("surge2", 5, 11, "Berlin", "GPE", "e:2"),
        ),
    )


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    store = SqliteStore(tmp_path / "x.db")
    store.write_batch(_world())
    return TestClient(create_app(store, Settings(db=str(store.path), workers=1, trusted_hosts="testserver")))


def test_now_order_puts_the_surging_many_outlet_story_first(client: TestClient) -> None:
    now = client.get("/api/v1/stories?sort=now").json()
    # one article this week each, but 'old' had 29 before (its usual pace), 'steady' none: it is news
    assert [s["id"] for s in now] == ["surge", "steady", "old"]
    assert now[0]["n_last_24h"] == 4 and now[0]["n_last_7d"] == 4
    assert now[0]["agencies"] == ["AFP", "dpa"]
    assert set(now[0]["sources"]) == {"b.example", "c.example"} and set(now[0]["languages"]) == {
        "en",
        "de",
        "fr",
    }
    size = client.get("/api/v1/stories?sort=size").json()
    assert [s["id"] for s in size] == ["old", "surge", "steady"]
    assert size[0]["sources"] == ["a.example"]  # filled from the articles even for the size order


def test_visit_counts_what_is_new(client: TestClient) -> None:
    visit = (NOW - timedelta(hours=4)).isoformat()
    rows = client.get("/api/v1/stories", params={"sort": "now", "visit": visit}).json()
    assert {s["id"]: s["n_new"] for s in rows} == {"surge": 2, "old": 0, "steady": 0}


def test_json_total_and_next_link(client: TestClient) -> None:
    first = client.get("/api/v1/articles?limit=10")
    assert first.headers["x-total-count"] == "35"
    assert len(first.json()) == 10
    link = first.headers["link"]
    assert link.endswith('rel="next"') and "offset=10" in link and "limit=10" in link
    last = client.get("/api/v1/articles?limit=10&offset=30")
    assert len(last.json()) == 5 and "link" not in last.headers
    assert client.get("/api/v1/articles?limit=1001").status_code == 422  # a JSON array is capped


@pytest.mark.parametrize("fmt", ["csv", "tsv", "ndjson"])
def test_streamed_formats_have_every_row(client: TestClient, fmt: str) -> None:
    response = client.get(f"/api/v1/articles?format={fmt}&limit=5000")
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "35"
    body = response.text
    if fmt == "ndjson":
        rows = [json.loads(line) for line in body.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(body), delimiter="\t" if fmt == "tsv" else ","))
    assert len(rows) == 35 and {r["id"] for r in rows} >= {"surge0", "old0", "steady0"}
    hostile = next(r for r in rows if r["id"] == "surge0")
    if fmt == "ndjson":
        assert hostile["title"] == HOSTILE
    else:
        assert hostile["title"] == "'" + HOSTILE  # never a formula in a spreadsheet


def test_encode_rows_streams_pieces() -> None:
    pieces = list(encode_rows(iter([{"a": 1}, {"a": 2}]), "csv"))
    assert pieces == ["a\n", "1\n", "2\n"]
    with pytest.raises(ValueError):
        list(encode_rows([], "xml"))


def test_entity_filter_on_articles_stories_and_search(client: TestClient) -> None:
    rows = client.get("/api/v1/articles?entity=e:1").json()
    assert [r["id"] for r in rows] == ["surge1", "surge2"]
    assert [s["id"] for s in client.get("/api/v1/stories?entity=e:1").json()] == ["surge"]
    hits = client.get("/api/v1/search", params={"q": "body", "entity": "e:2"}).json()
    assert [h["id"] for h in hits] == ["surge2"]
    assert client.get("/api/v1/articles?entity=e:none").json() == []


def test_counts(client: TestClient) -> None:
    by_language = client.get("/api/v1/counts?by=language").json()
    assert by_language["total"] == 35
    assert by_language["counts"][0] == {"key": "en", "n": 33}
    days = client.get("/api/v1/counts", params={"by": "day", "since": "2021-03-09"}).json()["counts"]
    assert days == [{"key": "2021-03-10", "n": 4}]
    stories = client.get("/api/v1/counts?by=story&q=surge").json()["counts"]
    assert stories == [{"key": "surge", "n": 3}]  # "Surge 1..3" in titles
    assert client.get("/api/v1/counts?by=title").status_code == 422


def test_word_search_total(client: TestClient) -> None:
    response = client.get("/api/v1/search?q=surge&limit=2")
    assert response.headers["x-total-count"] == "3"
    assert len(response.json()) == 2 and 'rel="next"' in response.headers["link"]


def test_front_page_order_and_visit_marker(client: TestClient) -> None:
    html = client.get("/").text
    assert html.index("Surge story") < html.index("Steady story") < html.index("Old story")
    assert "4 in the last 24 hours" in html and "AFP" in html and "dpa" in html
    by_size = client.get("/?sort=size").text
    assert by_size.index("Old story") < by_size.index("Surge story")
    visit = (NOW - timedelta(hours=4)).isoformat()
    marked = client.get("/", params={"visit": visit}).text
    assert "<strong>2</strong> new since your last visit" in marked
    assert "new since your last visit" not in html
    assert 'class="mark-visit" href="/?visit=2021-03-10T12%3A00%3A00%2B00%3A00"' in html
