"""The entity page and ``/api/v1/entities/{id}``: mentions over time, stories, co-mentioned entities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from storyline.model import Article, Assignment, Batch, Entity, Mention, Story
from storyline.settings import Settings
from storyline.store import MemoryStore
from storyline.web import create_app

HOSTILE = "Evil <script>alert(7)</script> Corp"
TEXT = "Evil Corp met Jane Doe in Brussels. " * 3


@pytest.fixture
def client() -> TestClient:
    """Two articles on different days, one story; both name ``e-evil``, one also ``e-jane``."""
    store = MemoryStore()
    days = (datetime(2024, 3, 1, 9, tzinfo=UTC), datetime(2024, 3, 4, 9, tzinfo=UTC))
    articles = tuple(
        Article(f"a{i}", TEXT, title=f"Report {i}", source="wire.example", published_at=day)
        for i, day in enumerate(days, 1)
    )
    mentions = (
        Mention("a1", 0, 9, "Evil Corp", "ORG", "e-evil"),
        Mention("a2", 0, 9, "Evil Corp", "ORG", "e-evil"),
        Mention("a1", 14, 22, "Jane Doe", "PER", "e-jane"),
    )
    entities = (
        Entity("e-evil", HOSTILE, "ORG", ("Evil Corp",), ("en",), days[0], days[1], 2),
        Entity("e-jane", "Jane Doe", "PER", (), ("en",), days[0], days[0], 1),
    )
    store.write_batch(
        Batch(
            articles=articles,
            assignments=(Assignment("a1", "s1", 1.0, True), Assignment("a2", "s1", 1.0, False)),
            stories=(Story("s1", "Evil Corp in Brussels", 2, first_seen_at=days[0], last_seen_at=days[1]),),
            entities=entities,
            mentions=mentions,
        )
    )
    return TestClient(create_app(store, Settings(trusted_hosts="testserver")))


def test_entity_page_shows_mentions_chart_stories_and_co_mentioned(client: TestClient) -> None:
    response = client.get("/entities/e-evil")
    assert response.status_code == 200
    html = response.text
    assert "Mentions over time" in html
    chart = html[html.index('id="mentions-h"') :]
    assert '<svg class="timeline"' in chart[: chart.index("</section>")]
    assert 'href="/stories/s1"' in html and "Evil Corp in Brussels" in html
    assert "Often named with" in html
    co = html[html.index('id="co-h"') :]
    assert '<a href="/entities/e-jane">Jane Doe</a>' in co and "1 article" in co


def test_entity_page_escapes_the_entity_name(client: TestClient) -> None:
    html = client.get("/entities/e-evil").text
    assert "<script>alert(7)" not in html
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in html
    # the co-mentioned entity's page links back to the hostile one, escaped too
    other = client.get("/entities/e-jane").text
    assert "<script>alert(7)" not in other and 'href="/entities/e-evil"' in other


def test_entity_api_adds_stories_mentions_per_day_and_co_mentioned(client: TestClient) -> None:
    body = client.get("/api/v1/entities/e-evil").json()
    assert body["id"] == "e-evil" and body["name"] == HOSTILE and body["quotes"] == []
    assert [s["id"] for s in body["stories"]] == ["s1"]
    assert body["mentions_per_day"] == [{"day": "2024-03-01", "n": 1}, {"day": "2024-03-04", "n": 1}]
    assert [(c["id"], c["name"], c["n_articles"]) for c in body["co_mentioned"]] == [
        ("e-jane", "Jane Doe", 1)
    ]
    jane = client.get("/api/v1/entities/e-jane").json()
    assert jane["mentions_per_day"] == [{"day": "2024-03-01", "n": 1}]
    assert [(c["id"], c["n_articles"]) for c in jane["co_mentioned"]] == [("e-evil", 1)]
