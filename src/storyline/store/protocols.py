"""What every store offers and the values its queries take and give: the protocols ``StoryWriter``
(the pipeline), ``StoryReader`` (CLI, API, web), ``SourceStore``, ``WatchStore``, ``SentenceRowStore``,
``VersionedStore``, and ``ArticleFilter``, ``StoryActivity``, ``SearchHit``. Re-exported by
``storyline.store``; the implementations import them from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from storyline.model import (
    Alert,
    Article,
    ArticleFacts,
    Batch,
    BoilerplateCount,
    Delivery,
    Entity,
    Quote,
    RawDoc,
    Rejection,
    Source,
    Story,
    StoryEvent,
    Storyline,
    Watchlist,
)


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters shared by article listings and search (all optional, combined with AND).

    ``since <= published_at < until``; once either is set, articles with no known date are left out.
    ``include_duplicates=False`` keeps originals only (``duplicate_of is None``).
    """

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    language: str | None = None
    agency: str | None = None
    include_duplicates: bool = True
    entity: str | None = None
    """An entity id: only articles that mention it."""


@dataclass(frozen=True, slots=True)
class StoryActivity:
    """A live story's articles in a period, for ranking by what is happening now.

    ``story`` is the live story (articles of stories merged into it count for it; ``article_ids`` is
    empty); ``n_articles`` its articles published at or after the ``since`` asked (all when None),
    ``n_recent`` those of them published at or after ``recent``; ``sources``, ``agencies`` and
    ``languages`` are the distinct values among those articles, most frequent first.
    """

    story: Story
    n_articles: int
    n_recent: int
    sources: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


COUNT_KEYS = ("day", "hour", "language", "source", "agency", "story", "entity")
"""What ``count_articles_by`` can count by: UTC day (``2021-02-17``), UTC hour (``2021-02-17T10``),
language, source, agency (``unknown`` for None), live story id, entity id."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result: the article, a snippet with ``[`` ``]`` around matches, a rank.

    ``rank`` is higher for better hits; it orders the hits of one search and means nothing across
    searches or implementations.
    """

    article: Article
    snippet: str
    rank: float


@runtime_checkable
class StoryWriter(Protocol):
    """What the pipeline writes through. ``write_batch`` is one transaction, idempotent on ``Article.id``."""

    def write_batch(self, batch: Batch) -> None: ...

    def existing_article_ids(self, ids: Sequence[str]) -> set[str]: ...

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article in the order stored (for rebuilds)."""
        ...

    def iter_minhashes(
        self, since: datetime | None = None
    ) -> Iterator[tuple[str, str, bytes, datetime | None]]:
        """``(article_id, content_hash, minhash bytes, published_at)`` for every stored original
        published at or after ``since`` (all when None; undated ones always), oldest first."""
        ...

    def original_with_hash(self, content_hash: str) -> str | None:
        """The id of the first stored original whose normalised text has ``content_hash``, or None."""
        ...

    def latest_published(self) -> datetime | None:
        """The latest ``published_at`` of any stored article (the near-copy index's clock)."""
        ...

    def latest_story_seen(self) -> datetime | None:
        """The latest ``last_seen_at`` of a live story with a saved state (the assigner's clock)."""
        ...

    def iter_story_states(self, since: datetime | None = None) -> Iterator[tuple[Story, bytes]]:
        """Live stories last seen at or after ``since`` (undated ones always) with the assigner's
        saved state, oldest first."""
        ...

    def get_vectors(self, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]: ...

    def clear_stories(self) -> None:
        """Forget every story and storyline decision (for ``storyline rebuild``); articles stay."""
        ...

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity in the order created (the canonicaliser's alias table)."""
        ...

    def iter_boilerplate(self, since: datetime | None = None) -> Iterator[BoilerplateCount]:
        """The boilerplate index's rows (``Batch.boilerplate`` as written) last seen at or after
        ``since`` (all when None; undated ones always), in no particular order."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class StoryReader(Protocol):
    """What readers (CLI, API, web) need. Listings are newest first unless said otherwise."""

    def get_article(self, article_id: str) -> Article | None: ...

    def get_raw(self, raw_id: str) -> RawDoc | None:
        """The raw input kept under ``RawDoc.raw_id`` (so a better extractor can re-run), or None."""
        ...

    def list_articles(
        self, filters: ArticleFilter = ArticleFilter(), *, limit: int = 50, offset: int = 0
    ) -> list[Article]: ...

    def count_articles(self, filters: ArticleFilter = ArticleFilter()) -> int: ...

    def duplicates_of(self, article_id: str) -> list[Article]: ...

    def search(
        self, query: str, filters: ArticleFilter = ArticleFilter(), *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]: ...

    def list_rejections(self, *, limit: int = 50, offset: int = 0) -> list[Rejection]: ...

    def list_stories(
        self, *, language: str | None = None, since: datetime | None = None, limit: int = 50, offset: int = 0
    ) -> list[Story]:
        """Live (not merged) stories, most active first (size, then last seen)."""
        ...

    def get_story(self, story_id: str) -> Story | None:
        """A story (merged ones too) with its article ids in time order, merged-in members included."""
        ...

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]: ...

    def list_storylines(self, *, limit: int = 50, offset: int = 0) -> list[Storyline]: ...

    def get_storyline(self, storyline_id: str) -> Storyline | None: ...

    def story_events(self, story_id: str) -> list[StoryEvent]: ...

    def list_entities(self, *, type: str | None = None, limit: int = 50, offset: int = 0) -> list[Entity]:
        """Entities, most mentioned first."""
        ...

    def get_entity(self, entity_id: str) -> Entity | None: ...

    def find_entities(self, name: str, *, limit: int = 10) -> list[Entity]:
        """Entities named ``name`` or with ``name`` among their aliases (case-insensitive)."""
        ...

    def list_quotes(
        self,
        *,
        speaker_entity_id: str | None = None,
        speaker: str | None = None,
        story_id: str | None = None,
        article_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
        min_confidence: float | None = None,
    ) -> list[Quote]:
        """Quotes in reporting order (undated articles last), filtered as asked; with
        ``min_confidence``, only quotes at least that confident (unassessed ones left out)."""
        ...

    def article_facts(self, article_id: str) -> ArticleFacts: ...

    def story_activity(
        self,
        *,
        since: datetime | None = None,
        recent: datetime | None = None,
        story_ids: Sequence[str] | None = None,
    ) -> list[StoryActivity]:
        """Live stories with an article published at or after ``since`` (every story with articles
        when None), or only those of ``story_ids`` (merged ids resolve to where they went), in no
        particular order. Undated articles count only when ``since`` is None."""
        ...

    def latest_published(self) -> datetime | None:
        """The latest ``published_at`` of any stored article (the front page's "now")."""
        ...

    def iter_vectors(self, embedder: str) -> Iterator[tuple[str, bytes]]:
        """``(article_id, vector bytes)`` of every stored vector of ``embedder``, in the order stored."""
        ...

    def count_articles_by(
        self, key: str, filters: ArticleFilter = ArticleFilter(), *, query: str | None = None
    ) -> dict[str, int]:
        """Articles matching ``filters`` (and the search ``query`` when given) counted by ``key``, one
        of ``COUNT_KEYS``; keys in ascending order for day/hour, else largest count first. Dated keys
        leave undated articles out; ``story`` and ``entity`` count only assigned/mentioning articles,
        each article once per key."""
        ...

    def stats(self) -> dict[str, object]:
        """``n_articles``, ``n_originals``, ``n_duplicates``, ``n_rejections``, ``n_raws``;
        ``by_language``, ``by_source``, ``by_agency`` (counts, ``"unknown"`` for None, largest first);
        ``first_published_at``, ``last_published_at`` (ISO 8601 UTC or None); ``rejections_by_reason``
        (counts keyed ``"stage/reason"``)."""
        ...

    def close(self) -> None: ...


Spans = tuple[tuple[int, int], ...]
"""Sentence spans of an article: ``(start, end)`` offsets into its text, in text order."""


@runtime_checkable
class SourceStore(Protocol):
    """Followed sources (``storyline sources``, the follow loop): configuration and poll state.

    ``save_source_state`` writes only the state fields, so a pause made while a poll runs stays."""

    def add_source(self, source: Source) -> Source:
        """Store ``source``; one with the same id keeps its state and takes the new configuration."""
        ...

    def get_source(self, source_id: str) -> Source | None: ...

    def list_sources(self) -> list[Source]:
        """Every source, oldest first."""
        ...

    def due_sources(self, now: datetime, *, limit: int = 100) -> list[Source]:
        """Sources not paused that are due at ``now``, never-polled first, then by due time."""
        ...

    def remove_source(self, source_id: str) -> bool: ...

    def set_source_paused(self, source_id: str, paused: bool) -> bool:
        """Pause, or resume (due at once); False when there is no such source."""
        ...

    def save_source_state(self, source: Source) -> bool:
        """Write the poll state of ``source``; False when it was removed meanwhile."""
        ...


@runtime_checkable
class WatchStore(Protocol):
    """What watchlists, alerts and their deliveries need from a store (and the alert cursor over
    stored articles)."""

    def add_watchlist(self, watchlist: Watchlist) -> None: ...

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None: ...

    def list_watchlists(self) -> list[Watchlist]: ...

    def remove_watchlist(self, watchlist_id: str) -> bool:
        """Forget a watchlist and its alerts; False if there was none."""
        ...

    def mark_visited(self, watchlist_id: str, at: datetime) -> None: ...

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store the alerts not stored yet (one per watchlist and article); return those."""
        ...

    def list_alerts(
        self,
        *,
        watchlist_id: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts, newest first; ``since``: created at or after."""
        ...

    def record_delivery(self, delivery: Delivery) -> None: ...

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]: ...

    def undelivered_alerts(self) -> list[Alert]:
        """Alerts of watchlists with a webhook that no attempt delivered yet, oldest first."""
        ...

    def get_cursor(self, name: str) -> int | None: ...

    def set_cursor(self, name: str, seq: int) -> None: ...

    def articles_after(self, seq: int, *, limit: int = 1000) -> list[tuple[int, str]]:
        """``(seq, article_id)`` of articles stored after position ``seq``, in stored order."""
        ...

    def last_seq(self) -> int:
        """The position of the last stored article (0 when none)."""
        ...


@runtime_checkable
class SentenceRowStore(Protocol):
    """Cached sentence rows (the digest's per-sentence embedder rows): ``spans`` are the sentences'
    ``(start, end)`` offsets in the article text, ``bytes`` their float32 rows, one per span."""

    def get_sentence_vectors(
        self, article_ids: Sequence[str], embedder: str
    ) -> dict[str, tuple[Spans, bytes]]: ...

    def put_sentence_vectors(self, embedder: str, rows: Mapping[str, tuple[Spans, bytes]]) -> None: ...


@runtime_checkable
class VersionedStore(Protocol):
    """A store with a write counter (``SqliteStore``, ``PostgresStore``): ``version()`` changes with
    every committed write transaction, seen alike by every process and host reading the store."""

    def version(self) -> int: ...


class Store(StoryWriter, StoryReader, Protocol):
    """Both sides, as the embedded implementations provide them."""
