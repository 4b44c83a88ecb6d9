"""Followed sources behave the same in ``MemoryStore``, ``SqliteStore`` and ``PostgresStore``
(contract suite)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storyline.follow.source import format_duration, parse_duration
from storyline.model import Source, source_id
from storyline.store import MemoryStore, SourceStore, SqliteStore
from tests.conftest import STORE_KINDS, make_store

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MemoryStore | SqliteStore]:
    made: MemoryStore | SqliteStore = make_store(request.param, request, tmp_path)
    yield made
    made.close()


def src(url: str, *, at: datetime = T0, **fields: object) -> Source:
    return dataclasses.replace(Source.new(url), created_at=at, **fields)  # type: ignore[arg-type]


def test_both_stores_keep_sources(store: MemoryStore | SqliteStore) -> None:
    assert isinstance(store, SourceStore)
    stored = store.add_source(src("https://a.example/feed", name="A", every_s=60, fetch_links=True))
    assert stored == store.get_source(source_id("https://a.example/feed"))
    assert (stored.name, stored.every_s, stored.fetch_links, stored.paused) == ("A", 60, True, False)
    assert store.get_source("nope") is None


def test_adding_again_updates_configuration_and_keeps_state(store: MemoryStore | SqliteStore) -> None:
    first = store.add_source(src("https://a.example/feed", name="A", every_s=60))
    polled = dataclasses.replace(first, etag='"v1"', last_status=200, next_due_at=T0 + timedelta(minutes=1))
    assert store.save_source_state(polled)
    again = store.add_source(src("https://a.example/feed", name="Renamed", every_s=120))
    assert (again.name, again.every_s, again.etag, again.last_status) == ("Renamed", 120, '"v1"', 200)
    assert again.next_due_at == T0 + timedelta(minutes=1)
    assert len(store.list_sources()) == 1


def test_state_round_trips_and_never_overwrites_configuration(store: MemoryStore | SqliteStore) -> None:
    s = store.add_source(src("https://a.example/feed", every_s=60))
    store.set_source_paused(s.id, True)  # paused while the loop was polling its old copy
    state = dataclasses.replace(
        s,
        paused=False,
        every_s=5,
        etag='W/"x"',
        last_modified="Fri, 01 Mar 2024 12:00:00 GMT",
        kind="feed",
        last_poll_at=T0,
        last_status=503,
        last_new_items=3,
        consecutive_failures=2,
        next_due_at=T0 + timedelta(seconds=90),
        last_error="http_status: HTTP 503",
    )
    assert store.save_source_state(state)
    back = store.get_source(s.id)
    assert back is not None
    assert back.paused and back.every_s == 60
    assert dataclasses.replace(back, paused=False, every_s=5) == state


def test_due_sources_orders_never_polled_first_and_skips_paused(store: MemoryStore | SqliteStore) -> None:
    a = store.add_source(src("https://a.example/", at=T0))
    b = store.add_source(src("https://b.example/", at=T0 + timedelta(seconds=1)))
    c = store.add_source(src("https://c.example/", at=T0 + timedelta(seconds=2)))
    d = store.add_source(src("https://d.example/", at=T0 + timedelta(seconds=3)))
    store.save_source_state(dataclasses.replace(a, next_due_at=T0 + timedelta(minutes=5)))
    store.save_source_state(dataclasses.replace(b, next_due_at=T0 + timedelta(minutes=1)))
    store.set_source_paused(d.id, True)
    assert [s.id for s in store.due_sources(T0)] == [c.id]
    assert [s.id for s in store.due_sources(T0 + timedelta(minutes=1))] == [c.id, b.id]
    assert [s.id for s in store.due_sources(T0 + timedelta(minutes=9))] == [c.id, b.id, a.id]
    assert [s.id for s in store.due_sources(T0 + timedelta(minutes=9), limit=1)] == [c.id]


def test_resume_makes_a_source_due_now_and_remove_forgets_it(store: MemoryStore | SqliteStore) -> None:
    a = store.add_source(src("https://a.example/"))
    store.save_source_state(dataclasses.replace(a, next_due_at=T0 + timedelta(days=1)))
    assert store.set_source_paused(a.id, True)
    assert store.due_sources(T0 + timedelta(days=2)) == []
    assert store.set_source_paused(a.id, False)
    assert [s.id for s in store.due_sources(T0)] == [a.id]
    assert store.remove_source(a.id)
    assert not store.remove_source(a.id)
    assert not store.set_source_paused(a.id, True)
    assert not store.save_source_state(a)
    assert store.list_sources() == []


def test_sources_survive_reopening(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "r.db") as first:
        s = first.add_source(src("https://a.example/feed", name="<b>A</b>"))
        first.save_source_state(dataclasses.replace(s, consecutive_failures=4, last_error="timeout"))
    with SqliteStore(tmp_path / "r.db") as second:
        back = second.get_source(s.id)
    assert back is not None and (back.name, back.consecutive_failures) == ("<b>A</b>", 4)


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("45", 45), (" 3M ", 180)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "m", "1w", "-5m", "1.5h", "15 minutes"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)
