"""One contract suite over every store: ``MemoryStore``, ``SqliteStore`` and ``PostgresStore``
behave the same."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline import registry
from storyline.model import Article, Batch, RawDoc, Rejection
from storyline.store import ArticleFilter, MemoryStore, SqliteStore, Store, StoryReader, StoryWriter
from tests.conftest import STORE_KINDS, make_store

T0 = datetime(2021, 2, 17, 10, 0, tzinfo=UTC)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = make_store(request.param, request, tmp_path)
    yield made
    made.close()


def art(article_id: str, text: str = "", **fields: Any) -> Article:
    """An article with sensible defaults for the fields a test does not care about."""
    fields.setdefault("title", f"Title {article_id}")
    fields.setdefault("content_hash", f"h-{article_id}")
    fields.setdefault("ingested_at", T0)
    return Article(id=article_id, text=text or f"Body text of article {article_id}.", **fields)


def corpus() -> Batch:
    """Five articles over three days, two sources, two languages, one duplicate, one undated."""
    return Batch(
        articles=(
            art("a1", source="afp", language="en", agency="AFP", published_at=T0),
            art("a2", source="dpa", language="de", agency="dpa", published_at=T0 + timedelta(days=1)),
            art("a3", source="afp", language="en", agency="AFP", published_at=T0 + timedelta(days=2)),
            art("a4", source="dpa", language="en", published_at=T0 + timedelta(days=1), duplicate_of="a1"),
            art("a5", source="afp", language="fr"),
        ),
        raws=(RawDoc(origin="in/a1.txt", kind="text", body=b"raw one", hints={"title": "One"}),),
        rejections=(
            Rejection(origin="in/bad.txt", stage="extract", reason="too_short", detail="3 chars", at=T0),
        ),
        minhashes={"a1": b"\x01" * 16, "a2": b"\x02" * 16, "a4": b"\x04" * 16},
    )


def ids(articles: list[Article]) -> list[str]:
    return [a.id for a in articles]


def test_both_protocols_are_implemented(store: Store) -> None:
    assert isinstance(store, StoryWriter)
    assert isinstance(store, StoryReader)


def test_registry_builds_both(tmp_path: Path) -> None:
    assert {"memory.v1", "sqlite.v1"} <= set(registry.names("store"))
    assert isinstance(registry.create("store", "memory.v1", path="ignored.db"), MemoryStore)
    made = registry.create("store", "sqlite.v1", path=tmp_path / "r.db")
    assert isinstance(made, SqliteStore)
    made.close()


def test_write_batch_is_idempotent(store: Store) -> None:
    store.write_batch(corpus())
    before = store.stats()
    store.write_batch(corpus())
    assert store.stats() == before
    assert before["n_articles"] == 5
    assert before["n_raws"] == 1
    assert before["n_rejections"] == 1
    assert len(store.search("body")) == 5


def test_first_write_wins(store: Store) -> None:
    store.write_batch(Batch(articles=(art("x", "the first version", title="First"),)))
    store.write_batch(Batch(articles=(art("x", "the second version", title="Second"), art("y"))))
    stored = store.get_article("x")
    assert stored is not None and stored.title == "First" and stored.text == "the first version"
    assert store.count_articles() == 2
    assert store.search("second") == []
    assert ids([h.article for h in store.search("first")]) == ["x"]


def test_first_write_wins_within_one_batch(store: Store) -> None:
    store.write_batch(Batch(articles=(art("x", "one", title="One"), art("x", "two", title="Two"))))
    stored = store.get_article("x")
    assert stored is not None and stored.title == "One"
    assert store.count_articles() == 1


def test_get_article_unknown_is_none(store: Store) -> None:
    assert store.get_article("nope") is None


def test_duplicates_of(store: Store) -> None:
    store.write_batch(corpus())
    store.write_batch(Batch(articles=(art("a6", duplicate_of="a1"),)))
    assert ids(store.duplicates_of("a1")) == ["a4", "a6"]
    assert store.duplicates_of("a2") == []


def test_ordering_is_newest_published_first_undated_last(store: Store) -> None:
    store.write_batch(corpus())
    # a2 and a4 share a date: the one stored later (a4) comes first
    assert ids(store.list_articles()) == ["a3", "a4", "a2", "a1", "a5"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ArticleFilter(), ["a3", "a4", "a2", "a1", "a5"]),
        (ArticleFilter(since=T0 + timedelta(days=1)), ["a3", "a4", "a2"]),
        (ArticleFilter(until=T0 + timedelta(days=1)), ["a1"]),
        (ArticleFilter(since=T0, until=T0 + timedelta(days=2)), ["a4", "a2", "a1"]),
        (ArticleFilter(source="afp"), ["a3", "a1", "a5"]),
        (ArticleFilter(language="en"), ["a3", "a4", "a1"]),
        (ArticleFilter(agency="AFP"), ["a3", "a1"]),
        (ArticleFilter(include_duplicates=False), ["a3", "a2", "a1", "a5"]),
        (ArticleFilter(source="dpa", language="en"), ["a4"]),
        (ArticleFilter(source="nobody"), []),
    ],
)
def test_filters(store: Store, filters: ArticleFilter, expected: list[str]) -> None:
    store.write_batch(corpus())
    assert ids(store.list_articles(filters)) == expected
    assert store.count_articles(filters) == len(expected)


def test_filter_since_accepts_other_offsets(store: Store) -> None:
    store.write_batch(corpus())
    paris = timezone(timedelta(hours=1))
    since = (T0 + timedelta(days=1)).astimezone(paris)
    assert ids(store.list_articles(ArticleFilter(since=since))) == ["a3", "a4", "a2"]


def test_pagination(store: Store) -> None:
    store.write_batch(corpus())
    pages = [ids(store.list_articles(limit=2, offset=offset)) for offset in (0, 2, 4, 6)]
    assert pages == [["a3", "a4"], ["a2", "a1"], ["a5"], []]
    assert store.list_articles(limit=0) == []


def search_corpus() -> Batch:
    return Batch(
        articles=(
            art("t1", "Many words about many things. Stoltenberg spoke briefly.", title="A quiet day"),
            art("t2", "He said the alliance will meet again.", title="Stoltenberg warns allies"),
            art(
                "t3", "Die Minister trafen sich in Brüssel bei Herrn Müller.", title="Treffen", language="de"
            ),
            art("t4", "Les ministres se sont réunis à BRUXELLES hier.", title="Réunion", language="fr"),
            art("t5", "The NATO summit opened. Leaders of NATO and the summit hosts met.", title="Summit"),
            art("t6", "A summit of NATO leaders is planned for June.", title="Plans"),
        )
    )


def hit_ids(store: Store, query: str, **kwargs: Any) -> list[str]:
    return [hit.article.id for hit in store.search(query, **kwargs)]


def test_search_title_match_ranks_first(store: Store) -> None:
    store.write_batch(search_corpus())
    hits = store.search("stoltenberg")
    assert [h.article.id for h in hits] == ["t2", "t1"]
    assert hits[0].rank > hits[1].rank


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brussel", {"t3"}),
        ("Brüssel", {"t3"}),
        ("BRÜSSEL", {"t3"}),
        ("muller", {"t3"}),
        ("bruxelles", {"t4"}),
        ("reunis", {"t4"}),
        ("réunion", {"t4"}),
    ],
)
def test_search_folds_case_and_diacritics(store: Store, query: str, expected: set[str]) -> None:
    store.write_batch(search_corpus())
    assert set(hit_ids(store, query)) == expected


def test_search_snippet_marks_matches(store: Store) -> None:
    store.write_batch(search_corpus())
    (hit,) = store.search("brussel")
    assert "[Brüssel]" in hit.snippet
    long_text = (
        " ".join(f"word{i}" for i in range(200)) + " needle " + " ".join(f"tail{i}" for i in range(200))
    )
    store.write_batch(Batch(articles=(art("long", long_text),)))
    (hit,) = store.search("needle")
    assert "[needle]" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 300


def test_search_words_are_anded(store: Store) -> None:
    store.write_batch(search_corpus())
    assert set(hit_ids(store, "nato leaders")) == {"t5", "t6"}
    assert set(hit_ids(store, "nato brussel")) == set()


def test_search_phrase_or_and_prefix(store: Store) -> None:
    store.write_batch(search_corpus())
    assert set(hit_ids(store, '"nato summit"')) == {"t5"}
    assert set(hit_ids(store, "brussel OR bruxelles")) == {"t3", "t4"}
    assert set(hit_ids(store, "brussel or bruxelles")) == set()  # lowercase "or" is a word
    assert set(hit_ids(store, "stolt*")) == {"t1", "t2"}
    assert set(hit_ids(store, "stolt")) == set()


def test_search_applies_filters_and_pages(store: Store) -> None:
    store.write_batch(search_corpus())
    assert set(hit_ids(store, "brussel OR bruxelles", filters=ArticleFilter(language="fr"))) == {"t4"}
    both = hit_ids(store, "nato")
    assert len(both) == 2
    assert hit_ids(store, "nato", limit=1) + hit_ids(store, "nato", limit=1, offset=1) == both
    assert store.search("nato", limit=0) == []


@pytest.mark.parametrize("query", ["nato", "brussel OR bruxelles", "stolten*", '"defence ministers"'])
def test_unfiltered_search_ranks_as_filtered_search(store: Store, query: str) -> None:
    """The unfiltered search (ranked on the index alone) gives the filtered search's hits, order,
    snippets and ranks, and pages through them."""
    store.write_batch(search_corpus())
    everything = ArticleFilter(until=datetime(2100, 1, 1, tzinfo=UTC))  # a clause; keeps dated articles
    undated = {a.id for a in store.list_articles(limit=100) if a.published_at is None}
    full = [(h.article.id, h.snippet, round(h.rank, 9)) for h in store.search(query, limit=100)]
    paged = [
        (h.article.id, h.snippet, round(h.rank, 9))
        for offset in range(len(full))
        for h in store.search(query, limit=1, offset=offset)
    ]
    assert paged == full
    dated = [t for t in full if t[0] not in undated]
    filtered = store.search(query, everything, limit=100)
    assert dated == [(h.article.id, h.snippet, round(h.rank, 9)) for h in filtered]


@pytest.mark.parametrize("query", ["", "   ", "*", '""', "OR", "OR OR", "-", "\x00"])
def test_search_empty_queries_find_nothing(store: Store, query: str) -> None:
    store.write_batch(search_corpus())
    assert store.search(query) == []


HOSTILE = [
    '"',
    '"unclosed phrase',
    'a"b',
    "AND OR NOT",
    "NOT nato",
    "nato AND",
    "OR nato OR",
    "*",
    "**nato",
    "nato*summit",
    "col:thing",
    "title:nato",
    "NEAR(nato summit, 2)",
    "nato^2",
    "{title text}: nato",
    "(nato",
    "'; DROP TABLE articles; --",
    "\x00",
    "nato\x00summit",
    "\ud800",
    "+-/\\%_[]^$",
    "x" * 5000,
    " ".join(["nato"] * 500),
]


@pytest.mark.parametrize("query", HOSTILE)
def test_search_hostile_queries_never_raise(store: Store, query: str) -> None:
    store.write_batch(search_corpus())
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.count_articles() == 6  # nothing was dropped


def test_rejections_are_upserted_on_origin_stage_reason(store: Store) -> None:
    first = Rejection(origin="in/x", stage="extract", reason="too_short", detail="3 chars", at=T0, raw=b"abc")
    store.write_batch(Batch(rejections=(first,)))
    again = Rejection(
        origin="in/x", stage="extract", reason="too_short", detail="4 chars", at=T0 + timedelta(1)
    )
    other = Rejection(origin="in/x", stage="language", reason="unknown", detail="?", at=T0 + timedelta(2))
    store.write_batch(Batch(rejections=(again, other)))
    store.write_batch(Batch(rejections=(again, other)))
    listed = store.list_rejections()
    assert [(r.stage, r.detail) for r in listed] == [("language", "?"), ("extract", "4 chars")]
    assert listed[1].raw == b"abc"  # a retry without the raw bytes keeps the ones stored
    assert listed[1].at == T0 + timedelta(1)
    assert store.list_rejections(limit=1, offset=1) == listed[1:]
    assert store.stats()["rejections_by_reason"] == {"extract/too_short": 1, "language/unknown": 1}


def test_stats(store: Store) -> None:
    empty = store.stats()
    assert empty["n_articles"] == 0 and empty["first_published_at"] is None and empty["by_language"] == {}
    store.write_batch(corpus())
    stats = store.stats()
    assert {k: stats[k] for k in ("n_articles", "n_originals", "n_duplicates", "n_rejections", "n_raws")} == {
        "n_articles": 5,
        "n_originals": 4,
        "n_duplicates": 1,
        "n_rejections": 1,
        "n_raws": 1,
    }
    assert stats["by_language"] == {"en": 3, "de": 1, "fr": 1}
    assert stats["by_source"] == {"afp": 3, "dpa": 2}
    assert stats["by_agency"] == {"AFP": 2, "unknown": 2, "dpa": 1}
    assert stats["first_published_at"] == T0.isoformat()
    assert stats["last_published_at"] == (T0 + timedelta(days=2)).isoformat()
    assert stats["rejections_by_reason"] == {"extract/too_short": 1}


def test_datetimes_round_trip_tz_aware(store: Store) -> None:
    plus2 = timezone(timedelta(hours=2))
    published = datetime(2021, 2, 17, 12, 30, 15, 123456, tzinfo=plus2)
    store.write_batch(Batch(articles=(art("d", published_at=published, ingested_at=published),)))
    stored = store.get_article("d")
    assert stored is not None and stored.published_at is not None
    assert stored.published_at == published and stored.published_at.utcoffset() == timedelta(0)
    assert stored.ingested_at == published and stored.ingested_at.tzinfo is not None
    store.write_batch(Batch(rejections=(Rejection("o", "s", "r", "d", at=published),)))
    (rejection,) = store.list_rejections()
    assert rejection.at == published and rejection.at.utcoffset() == timedelta(0)


def test_raws_are_kept(store: Store) -> None:
    raw = RawDoc(
        origin="feed#1", kind="html", body=b"<p>\xff bytes</p>", url="https://x.test/1", hints={"a": "ü"}
    )
    store.write_batch(Batch(raws=(raw, raw)))
    assert store.get_raw(raw.raw_id) == raw
    assert store.get_raw("r-unknown") is None


def test_existing_article_ids_in_chunks(store: Store) -> None:
    store.write_batch(Batch(articles=tuple(art(f"e{i}") for i in range(0, 1200, 2))))
    asked = [f"e{i}" for i in range(1200)] + ["e0"]
    assert store.existing_article_ids(asked) == {f"e{i}" for i in range(0, 1200, 2)}
    assert store.existing_article_ids([]) == set()


def test_iter_minhashes_gives_originals_oldest_first(store: Store) -> None:
    store.write_batch(corpus())
    store.write_batch(Batch(minhashes={"a3": b"\x03" * 16, "a1": b"\xff" * 16, "ghost": b"\x00"}))
    assert list(store.iter_minhashes()) == [
        ("a1", "h-a1", b"\x01" * 16, T0),  # first write wins here too
        ("a2", "h-a2", b"\x02" * 16, T0 + timedelta(days=1)),
        ("a3", "h-a3", b"\x03" * 16, T0 + timedelta(days=2)),
    ]


def test_iter_minhashes_since_reads_the_window_and_undated(store: Store) -> None:
    store.write_batch(corpus())
    store.write_batch(Batch(minhashes={"a3": b"\x03" * 16, "a5": b"\x05" * 16}))
    since = T0 + timedelta(days=1)
    assert [row[0] for row in store.iter_minhashes(since)] == ["a2", "a3", "a5"]
    assert [row[0] for row in store.iter_minhashes(T0 + timedelta(days=9))] == ["a5"]


def test_original_with_hash_and_clocks(store: Store) -> None:
    assert store.latest_published() is None and store.latest_story_seen() is None
    assert store.original_with_hash("h-a1") is None
    store.write_batch(corpus())
    assert store.original_with_hash("h-a1") == "a1"
    assert store.original_with_hash("h-a4") is None  # a copy is never an original
    assert store.latest_published() == T0 + timedelta(days=2)


_counter = itertools.count()
_offsets = st.builds(
    timezone,
    st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(
        lambda d: timedelta(minutes=d // timedelta(minutes=1))
    ),
)
_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=_offsets,
)
_maybe_text = st.none() | st.text()
_articles = st.builds(
    Article,
    id=st.text(),
    text=st.text(),
    title=st.text(),
    url=_maybe_text,
    source=_maybe_text,
    agency=_maybe_text,
    place=_maybe_text,
    language=_maybe_text,
    language_confidence=st.floats(allow_nan=False),
    published_at=st.none() | _datetimes,
    published_precision=st.sampled_from([None, "day", "time"]),
    duplicate_of=_maybe_text,
    origin=st.text(),
    raw_id=_maybe_text,
    content_hash=st.text(),
    ingested_at=_datetimes,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article=_articles)
def test_any_article_round_trips(store: Store, article: Article) -> None:
    unique = dataclasses.replace(article, id=f"{next(_counter)}:{article.id}")
    store.write_batch(Batch(articles=(unique,)))
    assert store.get_article(unique.id) == unique
    assert unique.id in store.existing_article_ids([unique.id])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.text(alphabet=st.characters(codec=None), max_size=40)
    | st.text('"*():^-+ ANDORNOTnato', max_size=20)
)
def test_no_query_makes_search_raise(store: Store, query: str) -> None:
    if store.count_articles() == 0:
        store.write_batch(search_corpus())
    assert isinstance(store.search(query, limit=3), list)
