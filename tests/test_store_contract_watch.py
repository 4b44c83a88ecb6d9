"""The watch side of every store (``WatchStore``): watchlists, alerts, webhook deliveries and the
alert cursor behave the same in ``MemoryStore``, ``SqliteStore`` and ``PostgresStore``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storyline.model import Alert, Article, Batch, Delivery, Watchlist, alert_id, watchlist_id
from storyline.store import WatchStore
from tests.conftest import STORE_KINDS, make_store

T0 = datetime(2021, 2, 17, 10, 0, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made = make_store(request.param, request, tmp_path)
    yield made
    made.close()


def watch(name: str, *, minutes: int = 0, **fields: Any) -> Watchlist:
    return Watchlist(id=watchlist_id(name), name=name, created_at=T0 + timedelta(minutes=minutes), **fields)


def alert(watchlist: Watchlist, article_id: str, *, minutes: int = 0, **fields: Any) -> Alert:
    fields.setdefault("story_id", None)
    fields.setdefault("score", 0.75)
    fields.setdefault("reasons", ("keyword:flood",))
    fields.setdefault("title", f"Title {article_id}")
    return Alert(
        id=alert_id(watchlist.id, article_id),
        watchlist_id=watchlist.id,
        article_id=article_id,
        created_at=T0 + timedelta(minutes=minutes),
        **fields,
    )


def articles(*ids: str) -> Batch:
    return Batch(
        articles=tuple(
            Article(id=i, text=f"Body of {i}.", title=f"Title {i}", content_hash=f"h-{i}", ingested_at=T0)
            for i in ids
        )
    )


def test_the_protocol_is_implemented(store: Any) -> None:
    assert isinstance(store, WatchStore)


def test_watchlist_round_trip(store: Any) -> None:
    w = watch(
        "Floods",
        entities=("Red Cross", "Germany"),
        keywords=("flood", "Überschwemmung"),
        example="rivers burst their banks",
        threshold=0.61,
        webhook_url="https://hooks.example.org/in?token=s3cret",
        webhook_secret="env:HOOK_SECRET",
        example_vector=b"\x00\x00\x80?\x00\x00\x00@",
        last_visit_at=T0 + timedelta(hours=1),
    )
    store.add_watchlist(w)
    assert store.get_watchlist(w.id) == w
    assert store.list_watchlists() == [w]
    assert store.get_watchlist("w-nope") is None


def test_watchlist_defaults_round_trip(store: Any) -> None:
    w = watch("Plain")
    store.add_watchlist(w)
    got = store.get_watchlist(w.id)
    assert got == w
    assert got.webhook_url is None and got.example_vector is None and got.last_visit_at is None


def test_add_watchlist_replaces_the_same_id(store: Any) -> None:
    w = watch("Floods", keywords=("flood",))
    store.add_watchlist(w)
    changed = dataclasses.replace(w, keywords=("flood", "storm"), threshold=0.9)
    store.add_watchlist(changed)
    assert store.list_watchlists() == [changed]


def test_watchlists_are_listed_oldest_first(store: Any) -> None:
    late, early, tie_b, tie_a = (
        watch("late", minutes=5),
        watch("early"),
        watch("b", minutes=2),
        watch("a", minutes=2),
    )
    for w in (late, early, tie_b, tie_a):
        store.add_watchlist(w)
    ties = sorted([tie_a, tie_b], key=lambda w: w.id)
    assert store.list_watchlists() == [early, *ties, late]


def test_mark_visited(store: Any) -> None:
    w = watch("Floods")
    store.add_watchlist(w)
    store.mark_visited(w.id, T0 + timedelta(days=1))
    got = store.get_watchlist(w.id)
    assert got is not None and got.last_visit_at == T0 + timedelta(days=1)
    store.mark_visited("w-nope", T0)  # no such watchlist: nothing happens
    assert [x.id for x in store.list_watchlists()] == [w.id]


def test_add_alerts_is_idempotent_per_watchlist_and_article(store: Any) -> None:
    w = watch("Floods")
    store.add_watchlist(w)
    first = [alert(w, "a1"), alert(w, "a2", minutes=1)]
    assert store.add_alerts(first) == first
    again = [alert(w, "a1", score=0.99), alert(w, "a3", minutes=2)]
    assert store.add_alerts(again) == [again[1]]
    assert store.add_alerts([]) == []
    stored = {a.article_id: a for a in store.list_alerts()}
    assert sorted(stored) == ["a1", "a2", "a3"]
    assert stored["a1"].score == 0.75  # the first alert stays


def test_alert_round_trip(store: Any) -> None:
    w = watch("Floods")
    store.add_watchlist(w)
    a = alert(
        w,
        "a1",
        story_id="s1",
        score=0.8125,
        reasons=("entity:Red Cross", "keyword:flood"),
        title="Rivers burst",
        published_at=T0 - timedelta(hours=3),
    )
    store.add_alerts([a])
    assert store.list_alerts() == [a]


def test_alerts_are_listed_newest_first_and_filtered(store: Any) -> None:
    w1, w2 = watch("one"), watch("two", minutes=1)
    store.add_watchlist(w1)
    store.add_watchlist(w2)
    made = [
        alert(w1, "a1"),
        alert(w2, "a1", minutes=1),
        alert(w1, "a2", minutes=2),
        alert(w1, "a3", minutes=3),
    ]
    for a in made:
        store.add_alerts([a])
    assert store.list_alerts() == made[::-1]
    assert store.list_alerts(watchlist_id=w1.id) == [made[3], made[2], made[0]]
    assert store.list_alerts(since=T0 + timedelta(minutes=2)) == [made[3], made[2]]
    assert store.list_alerts(limit=2) == [made[3], made[2]]
    assert store.list_alerts(limit=2, offset=2) == [made[1], made[0]]
    assert store.list_alerts(watchlist_id="w-nope") == []


def test_deliveries_round_trip_and_order(store: Any) -> None:
    w = watch("Hooked", webhook_url="https://hooks.example.org/in")
    store.add_watchlist(w)
    a1, a2 = alert(w, "a1"), alert(w, "a2", minutes=1)
    store.add_alerts([a1, a2])
    d = [
        Delivery(a2.id, 1, False, 500, "server error", T0 + timedelta(minutes=1)),
        Delivery(a1.id, 1, False, None, "timed out", T0),
        Delivery(a1.id, 2, True, 204, "", T0 + timedelta(minutes=2)),
    ]
    for x in d:
        store.record_delivery(x)
    assert store.list_deliveries() == [d[1], d[0], d[2]]
    assert store.list_deliveries(a1.id) == [d[1], d[2]]
    assert store.list_deliveries("al-nope") == []
    # the same attempt recorded again replaces it
    redo = Delivery(a2.id, 1, True, 200, "", T0 + timedelta(minutes=3))
    store.record_delivery(redo)
    assert store.list_deliveries(a2.id) == [redo]


def test_undelivered_alerts(store: Any) -> None:
    hooked = watch("hooked", webhook_url="https://hooks.example.org/in")
    silent = watch("silent", minutes=1)
    store.add_watchlist(hooked)
    store.add_watchlist(silent)
    a1, a2, a3 = alert(hooked, "a1"), alert(hooked, "a2", minutes=1), alert(silent, "a1", minutes=2)
    store.add_alerts([a1, a2, a3])
    assert store.undelivered_alerts() == [a1, a2]  # oldest first; none of a watchlist without a webhook
    store.record_delivery(Delivery(a1.id, 1, False, 503, "unavailable", T0))
    assert store.undelivered_alerts() == [a1, a2]  # a failed attempt does not deliver
    store.record_delivery(Delivery(a1.id, 2, True, 200, "", T0 + timedelta(minutes=1)))
    assert store.undelivered_alerts() == [a2]


def test_remove_watchlist_forgets_its_alerts_and_deliveries(store: Any) -> None:
    gone, kept = watch("gone", webhook_url="https://hooks.example.org/in"), watch("kept", minutes=1)
    store.add_watchlist(gone)
    store.add_watchlist(kept)
    a_gone, a_kept = alert(gone, "a1"), alert(kept, "a1", minutes=1)
    store.add_alerts([a_gone, a_kept])
    store.record_delivery(Delivery(a_gone.id, 1, True, 200, "", T0))
    assert store.remove_watchlist(gone.id) is True
    assert store.get_watchlist(gone.id) is None
    assert store.list_watchlists() == [kept]
    assert store.list_alerts() == [a_kept]
    assert store.list_deliveries() == []
    assert store.remove_watchlist(gone.id) is False
    # an alert of the forgotten pair can be raised again once the watchlist is back
    store.add_watchlist(gone)
    assert store.add_alerts([a_gone]) == [a_gone]


def test_cursor_moves_forward_only(store: Any) -> None:
    assert store.get_cursor("alerts") is None
    store.set_cursor("alerts", 3)
    assert store.get_cursor("alerts") == 3
    store.set_cursor("alerts", 7)
    assert store.get_cursor("alerts") == 7
    store.set_cursor("alerts", 5)  # never back
    assert store.get_cursor("alerts") == 7
    store.set_cursor("other", 1)
    assert (store.get_cursor("alerts"), store.get_cursor("other")) == (7, 1)


def test_articles_after_and_last_seq(store: Any) -> None:
    assert store.last_seq() == 0
    assert store.articles_after(0) == []
    store.write_batch(articles("x1", "x2", "x3"))
    store.write_batch(articles("x2", "x4"))  # x2 is stored already: no new position
    found = store.articles_after(0)
    assert [a for _, a in found] == ["x1", "x2", "x3", "x4"]
    seqs = [s for s, _ in found]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert store.last_seq() == seqs[-1]
    assert store.articles_after(seqs[1]) == found[2:]
    assert store.articles_after(0, limit=2) == found[:2]
    assert store.articles_after(seqs[-1]) == []
