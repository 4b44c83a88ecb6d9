"""Facts side of the store contract (entities, mentions, quotes, dates, figures), over both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.model import Article, Assignment, Batch, Entity, Figure, Mention, Quote, TimeMention
from storyline.store import Store
from tests.conftest import STORE_KINDS, make_store

T0 = datetime(2021, 2, 17, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = make_store(request.param, request, tmp_path)
    yield s
    s.close()


STOLTENBERG = Entity(
    "e1", "Jens Stoltenberg", "PER", aliases=("Stoltenberg", "the Norwegian"), languages=("en",), n_mentions=3
)
NATO = Entity("e2", "NATO", "ORG", aliases=("OTAN", "Nato"), languages=("en", "fr"), n_mentions=5)


def _batch() -> Batch:
    old = Article(id="a1", text="x" * 200, published_at=T0)
    undated = Article(id="a2", text="y" * 200)
    return Batch(
        articles=(undated, old),
        assignments=(Assignment("a1", "s1", 1.0, True), Assignment("a2", "s2", 1.0, True)),
        entities=(STOLTENBERG, NATO),
        mentions=(
            Mention("a1", 10, 26, "Jens Stoltenberg", "PER", "e1"),
            Mention("a1", 0, 4, "NATO", "ORG", "e2"),
        ),
        quotes=(
            Quote("a2", 5, 20, "we will stay", "direct", "said", "Stoltenberg", "e1", 30, 41, "en"),
            Quote("a1", 50, 80, "no ally wants to stay", "direct", "said", "Jens Stoltenberg", "e1", 10, 26),
            Quote("a1", 90, 99, "options remain", "direct", "added", "the official", None),
        ),
        time_mentions=(TimeMention("a1", 30, 39, "Wednesday", "DATE", "2021-02-17", "2021-02-17", True),),
        figures=(Figure("a1", 40, 45, "9,600", 9600.0, None, "mission"),),
    )


def test_entities_listed_found_by_alias_and_round_trip(store: Store) -> None:
    store.write_batch(_batch())
    assert [e.id for e in store.list_entities()] == ["e2", "e1"]
    assert [e.id for e in store.list_entities(type="PER")] == ["e1"]
    assert store.get_entity("e1") == STOLTENBERG
    assert [e.id for e in store.find_entities("otan")] == ["e2"]
    assert [e.id for e in store.find_entities("jens stoltenberg")] == ["e1"]
    assert [e.id for e in store.iter_entities()] == ["e1", "e2"]


def test_entity_upsert_replaces_aliases_and_counts(store: Store) -> None:
    store.write_batch(_batch())
    grown = Entity(
        "e1", "Jens Stoltenberg", "PER", aliases=("Stoltenberg", "NATO Secretary General"), n_mentions=9
    )
    store.write_batch(Batch(entities=(grown,)))
    assert store.get_entity("e1") == grown


def test_quotes_in_reporting_order_and_filters(store: Store) -> None:
    store.write_batch(_batch())
    assert [q.text for q in store.list_quotes()] == [
        "no ally wants to stay",
        "options remain",
        "we will stay",
    ]
    assert [q.article_id for q in store.list_quotes(speaker_entity_id="e1")] == ["a1", "a2"]
    assert [q.text for q in store.list_quotes(speaker="OFFICIAL")] == ["options remain"]
    assert [q.text for q in store.list_quotes(story_id="s2")] == ["we will stay"]
    assert len(store.list_quotes(article_id="a1", limit=1, offset=1)) == 1
    assert store.list_quotes(speaker="%") == []  # LIKE wildcards are literal


def test_article_facts_in_text_order_and_idempotent(store: Store) -> None:
    store.write_batch(_batch())
    store.write_batch(_batch())
    facts = store.article_facts("a1")
    assert [m.text for m in facts.mentions] == ["NATO", "Jens Stoltenberg"]
    assert [q.start for q in facts.quotes] == [50, 90]
    assert facts.time_mentions[0].value == "2021-02-17" and facts.time_mentions[0].is_event
    assert facts.figures == (Figure("a1", 40, 45, "9,600", 9600.0, None, "mission"),)
    assert store.article_facts("nope").quotes == ()
