"""Contract tests of the analyst reads (``story_activity``, ``count_articles_by``, ``iter_vectors``, the
``entity`` filter) over every store: the same answers from ``MemoryStore``, ``SqliteStore`` (and
``PostgresStore`` once it implements them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Assignment, Batch, Entity, Mention, Story
from storyline.store import COUNT_KEYS, ArticleFilter, Store
from tests.conftest import STORE_KINDS, make_store
from tests.test_store_contract import art

T0 = datetime(2021, 2, 17, 10, 0, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = make_store(request.param, request, tmp_path)
    if not hasattr(made, "story_activity"):  # the PostgreSQL store is being written meanwhile
        made.close()
        pytest.skip(f"{type(made).__name__} does not implement the analyst reads yet")
    made.write_batch(world())
    yield made
    made.close()


def world() -> Batch:
    """Story s1 (three articles, one from s1b merged into it), s2 (two), an unassigned article."""
    articles = (
        art("a1", source="afp.com", agency="AFP", language="en", published_at=T0),
        art("a2", source=None, agency="dpa", language="de", published_at=T0 + timedelta(days=3)),
        art("a3", source="lemonde.fr", language="fr", published_at=T0 + timedelta(days=3, hours=5)),
        art("b1", source="afp.com", agency="AFP", language="en", published_at=T0 + timedelta(days=1)),
        art("b2", source="bbc.co.uk", language="en", published_at=T0 + timedelta(days=3, hours=1)),
        art("c1", source="afp.com", language="en"),
    )
    stories = (
        Story("s1", "NATO summit", 3, first_seen_at=T0, last_seen_at=T0 + timedelta(days=3)),
        Story("s1b", "NATO", 1, merged_into="s1", first_seen_at=T0, last_seen_at=T0 + timedelta(days=3)),
        Story("s2", "Floods", 2, first_seen_at=T0 + timedelta(days=1), last_seen_at=T0 + timedelta(days=3)),
    )
    assignments = (
        Assignment("a1", "s1", 1.0, True),
        Assignment("a2", "s1b", 1.0, True),
        Assignment("a3", "s1", 0.9, False),
        Assignment("b1", "s2", 1.0, True),
        Assignment("b2", "s2", 0.8, False),
    )
    entities = (Entity("e:nato", "NATO", "ORG", n_mentions=3), Entity("e:kyiv", "Kyiv", "GPE", n_mentions=1))
    mentions = (
        Mention("a1", 0, 4, "NATO", "ORG", "e:nato"),
        Mention("a1", 10, 14, "NATO", "ORG", "e:nato"),
        Mention("a2", 0, 4, "Nato", "ORG", "e:nato"),
        Mention("a2", 6, 10, "Kyiv", "GPE", "e:kyiv"),
        Mention("b1", 0, 5, "Paris", "GPE", None),
    )
    vec = np.ones(4, np.float32).tobytes()
    return Batch(
        articles=articles,
        assignments=assignments,
        stories=stories,
        entities=entities,
        mentions=mentions,
        vectors={"a1": ("use.v1", vec), "a2": ("use.v1", vec), "b1": ("other.v1", vec)},
    )


def test_story_activity_counts_the_period_and_merged_members(store: Store) -> None:
    found = {
        s.story.id: s
        for s in store.story_activity(since=T0 + timedelta(days=2), recent=T0 + timedelta(days=3, hours=2))
    }
    assert set(found) == {"s1", "s2"}  # s1b's article counts for s1, where it was merged
    s1, s2 = found["s1"], found["s2"]
    assert (s1.n_articles, s1.n_recent) == (2, 1)  # a2 (day 3) and a3 (day 3 + 5 h, recent)
    assert s1.agencies == ("dpa",) and s1.sources == ("lemonde.fr",)
    assert set(s1.languages) == {"de", "fr"}
    assert (s2.n_articles, s2.n_recent) == (1, 0) and s2.sources == ("bbc.co.uk",)
    assert s1.story.label == "NATO summit" and s1.story.article_ids == ()


def test_story_activity_of_given_stories_over_all_time(store: Store) -> None:
    found = {s.story.id: s for s in store.story_activity(story_ids=["s1b", "nope"])}
    assert set(found) == {"s1"}
    assert found["s1"].n_articles == 3
    assert found["s1"].sources == ("afp.com", "lemonde.fr")
    assert found["s1"].agencies == ("AFP", "dpa")
    assert store.story_activity(since=T0 + timedelta(days=30)) == []


def test_count_articles_by_each_key(store: Store) -> None:
    assert store.count_articles_by("day") == {
        "2021-02-17": 1,
        "2021-02-18": 1,
        "2021-02-20": 3,
    }
    assert store.count_articles_by("hour", ArticleFilter(language="en")) == {
        "2021-02-17T10": 1,
        "2021-02-18T10": 1,
        "2021-02-20T11": 1,
    }
    assert store.count_articles_by("language") == {"en": 4, "de": 1, "fr": 1}
    assert store.count_articles_by("source") == {"afp.com": 3, "bbc.co.uk": 1, "lemonde.fr": 1, "unknown": 1}
    assert store.count_articles_by("story") == {"s1": 3, "s2": 2}
    assert store.count_articles_by("entity") == {"e:nato": 2, "e:kyiv": 1}  # articles, not mentions
    assert store.count_articles_by("entity", ArticleFilter(entity="e:kyiv")) == {"e:kyiv": 1, "e:nato": 1}
    assert set(COUNT_KEYS) == {"day", "hour", "language", "source", "agency", "story", "entity"}
    with pytest.raises(ValueError):
        store.count_articles_by("title")


def test_count_articles_by_with_a_search_query(store: Store) -> None:
    assert store.count_articles_by("language", query="a2 OR a3") == {"de": 1, "fr": 1}
    assert store.count_articles_by("day", query="") == {}


def test_entity_filter_on_listings_counts_and_search(store: Store) -> None:
    nato = ArticleFilter(entity="e:nato")
    assert [a.id for a in store.list_articles(nato)] == ["a2", "a1"]
    assert store.count_articles(nato) == 2
    assert {h.article.id for h in store.search("body", nato)} == {"a1", "a2"}
    assert store.list_articles(ArticleFilter(entity="e:none")) == []


def test_iter_vectors_of_one_embedder(store: Store) -> None:
    rows = list(store.iter_vectors("use.v1"))
    assert [aid for aid, _ in rows] == ["a1", "a2"]
    assert np.frombuffer(rows[0][1], np.float32).tolist() == [1.0, 1.0, 1.0, 1.0]
    assert list(store.iter_vectors("none.v0")) == []
