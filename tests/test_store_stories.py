"""Story side of the store contract, run over both implementations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storyline.model import Article, Assignment, Batch, Story, StoryEvent, Storyline
from storyline.store import Store
from tests.conftest import STORE_KINDS, make_store

T0 = datetime(2021, 2, 17, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = make_store(request.param, request, tmp_path)
    yield s
    s.close()


def _article(i: int, day: int | None) -> Article:
    return Article(
        id=f"a{i}", text=f"text {i}", published_at=None if day is None else T0 + timedelta(days=day)
    )


def _batch() -> Batch:
    articles = (_article(1, 2), _article(2, 0), _article(3, None), _article(4, 1))
    return Batch(
        articles=articles,
        vectors={"a1": ("use.v1", b"\x00" * 8), "a2": ("use.v1", b"\x01" * 8)},
        assignments=(
            Assignment("a1", "s1", 1.0, True),
            Assignment("a2", "s1", 0.9, False),
            Assignment("a3", "s1", 0.8, False),
            Assignment("a4", "s2", 1.0, True),
        ),
        stories=(
            Story(
                "s1",
                label="Nato",
                n_articles=3,
                languages=("en",),
                sources=("afp",),
                first_seen_at=T0,
                last_seen_at=T0 + timedelta(days=2),
                storyline_id="l1",
            ),
            Story(
                "s2",
                label="Other",
                n_articles=1,
                languages=("de",),
                first_seen_at=T0 + timedelta(days=1),
                last_seen_at=T0 + timedelta(days=1),
                storyline_id="l1",
            ),
        ),
        story_states={"s1": b"state1", "s2": b"state2"},
        storylines=(Storyline("l1", label="Nato line", n_articles=4, first_seen_at=T0),),
    )


def test_stories_round_trip_with_members_in_time_order(store: Store) -> None:
    store.write_batch(_batch())
    story = store.get_story("s1")
    assert story is not None and story.article_ids == ("a2", "a1", "a3")  # undated last
    assert (story.label, story.n_articles, story.languages, story.storyline_id) == ("Nato", 3, ("en",), "l1")
    assert [s.id for s in store.list_stories()] == ["s1", "s2"]
    assert [s.id for s in store.list_stories(language="de")] == ["s2"]
    assert store.story_ids_of(["a1", "a4", "zz"]) == {"a1": "s1", "a4": "s2"}
    line = store.get_storyline("l1")
    assert line is not None and line.story_ids == ("s1", "s2") and line.n_articles == 4
    assert [x.id for x in store.list_storylines()] == ["l1"]


def test_merged_story_ids_still_resolve_and_merges_are_events(store: Store) -> None:
    store.write_batch(_batch())
    merged = Story("s2", label="Other", n_articles=1, merged_into="s1", storyline_id="l1")
    event = StoryEvent("story_merge", "s2", "s1", "bridging article a5")
    store.write_batch(Batch(stories=(merged,), events=(event,)))
    old = store.get_story("s2")
    assert old is not None and old.merged_into == "s1"
    survivor = store.get_story("s1")
    assert survivor is not None and set(survivor.article_ids) == {"a1", "a2", "a3", "a4"}
    assert [s.id for s in store.list_stories()] == ["s1"]
    assert [(e.kind, e.subject_id, e.object_id) for e in store.story_events("s2")] == [
        ("story_merge", "s2", "s1")
    ]
    assert [e.reason for e in store.story_events("s1")] == ["bridging article a5"]


def test_states_vectors_and_clear(store: Store) -> None:
    store.write_batch(_batch())
    assert [(s.id, state) for s, state in store.iter_story_states()] == [("s1", b"state1"), ("s2", b"state2")]
    assert [s.id for s, _ in store.iter_story_states(T0 + timedelta(days=2))] == ["s1"]
    assert store.get_vectors(["a1", "a2", "a3"], "use.v1") == {"a1": b"\x00" * 8, "a2": b"\x01" * 8}
    assert store.get_vectors(["a1"], "e5.v1") == {}
    store.clear_stories()
    assert store.list_stories() == [] and store.get_story("s1") is None and store.story_ids_of(["a1"]) == {}
    assert store.get_vectors(["a1"], "use.v1") == {"a1": b"\x00" * 8}


def test_story_upsert_keeps_state_when_none_given(store: Store) -> None:
    store.write_batch(_batch())
    store.write_batch(Batch(stories=(Story("s1", label="Renamed", n_articles=3),)))
    assert dict((s.id, st) for s, st in store.iter_story_states())["s1"] == b"state1"
    assert store.get_story("s1").label == "Renamed"  # type: ignore[union-attr]
