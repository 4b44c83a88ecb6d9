"""Row mappers and SQL fragments shared by the SQLite and PostgreSQL stores.

The two stores keep the same tables with the same columns in the same order; what differs is the
placeholder (``?`` or ``%s``) and how a datetime travels (an ISO 8601 string in SQLite, a
``timestamptz`` in PostgreSQL). So each store names its ``Times`` and its placeholder, and the
columns, the row -> value mappers, the value -> parameter rows and the listing conditions live here
once (``fact_rows`` holds the facts' insert rows and the quote mapper the same way).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from storyline.model import (
    Alert,
    Delivery,
    Entity,
    RawDoc,
    RawKind,
    Rejection,
    Source,
    Story,
    Storyline,
    Watchlist,
)

if TYPE_CHECKING:
    from storyline.store.protocols import ArticleFilter

__all__ = [
    "ALERT_COLUMNS",
    "DELIVERY_COLUMNS",
    "ENTITY_COLUMNS",
    "KEY_JOIN",
    "RAW_COLUMNS",
    "REJECTION_COLUMNS",
    "SOURCE_COLUMNS",
    "SOURCE_STATE_COLUMNS",
    "STORYLINE_COLUMNS",
    "STORY_COLUMNS",
    "TIME_ORDER",
    "WATCHLIST_COLUMNS",
    "Times",
    "alert_row",
    "alert_values",
    "delivery_row",
    "entity_row",
    "entity_values",
    "key_sql",
    "merge_story_counts",
    "raw_row",
    "rejection_row",
    "source_row",
    "source_state",
    "source_state_sql",
    "story_row",
    "story_values",
    "storyline_row",
    "watchlist_row",
    "watchlist_values",
    "where",
    "where_sql",
]


@dataclass(frozen=True, slots=True)
class Times:
    """How one store's rows carry datetimes: ``dump`` a value for a parameter, ``load`` it back
    (None stays None both ways)."""

    dump: Callable[[datetime | None], Any]
    load: Callable[[Any], datetime | None]

    def load_at(self, value: Any) -> datetime:
        """A datetime column that is never NULL."""
        return cast(datetime, self.load(value))


# -- articles ----------------------------------------------------------------------------------

# Articles in time order: dated ones by publication time, undated ones by ingest order after them.
TIME_ORDER = " ORDER BY a.published_at IS NULL, a.published_at, a.seq"


def where(filters: ArticleFilter, times: Times, mark: str) -> tuple[list[str], list[Any]]:
    """SQL conditions (on alias ``a``) and their parameters for ``filters`` (``mark``: the placeholder)."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.since is not None:
        clauses.append(f"a.published_at >= {mark}")
        params.append(times.dump(filters.since))
    if filters.until is not None:
        clauses.append(f"a.published_at < {mark}")
        params.append(times.dump(filters.until))
    for column, value in (
        ("source", filters.source),
        ("language", filters.language),
        ("agency", filters.agency),
    ):
        if value is not None:
            clauses.append(f"a.{column} = {mark}")
            params.append(value)
    if not filters.include_duplicates:
        clauses.append("a.duplicate_of IS NULL")
    if filters.entity is not None:
        # a list subquery, run once: a correlated EXISTS was planned on the entity index, scanning
        # every mention of the entity for every article (5 s for a common name at 10k articles)
        clauses.append(f"a.id IN (SELECT article_id FROM mentions WHERE entity_id = {mark})")
        params.append(filters.entity)
    return clauses, params


def where_sql(clauses: list[str], keyword: str = " WHERE ") -> str:
    return keyword + " AND ".join(clauses) if clauses else ""


REJECTION_COLUMNS = "origin, stage, reason, detail, at, raw"
RAW_COLUMNS = "origin, kind, body, url, hints"


def rejection_row(row: Sequence[Any], times: Times) -> Rejection:
    """A ``Rejection`` from a row selected with ``REJECTION_COLUMNS``."""
    origin, stage, reason, detail, at, raw = row
    return Rejection(
        origin=origin, stage=stage, reason=reason, detail=detail, at=times.load_at(at),
        raw=None if raw is None else bytes(raw),
    )  # fmt: skip


def raw_row(row: Sequence[Any]) -> RawDoc:
    """A ``RawDoc`` from a row selected with ``RAW_COLUMNS``."""
    origin, kind, body, url, hints = row
    return RawDoc(
        origin=origin, kind=cast(RawKind, kind), body=bytes(body), url=url,
        hints=MappingProxyType(dict(json.loads(hints))),
    )  # fmt: skip


# -- counting articles by a key ----------------------------------------------------------------


def key_sql(unknown: str, day: str, hour: str) -> dict[str, str]:
    """What ``count_articles_by`` groups by, per key; ``day`` and ``hour`` are each store's own."""
    return {
        "day": day,
        "hour": hour,
        "language": "COALESCE(a.language, '" + unknown + "')",
        "source": "COALESCE(a.source, '" + unknown + "')",
        "agency": "COALESCE(a.agency, '" + unknown + "')",
        "story": "m.story_id",
        "entity": "em.entity_id",
    }


KEY_JOIN = {
    "story": " JOIN story_articles AS m ON m.article_id = a.id",
    "entity": " JOIN (SELECT DISTINCT article_id, entity_id FROM mentions WHERE entity_id IS NOT NULL)"
    " AS em ON em.article_id = a.id",
}


def merge_story_counts(counts: Mapping[str, int], roots: Mapping[str, Story]) -> dict[str, int]:
    """Counts by story id moved onto the live story each id was merged into (unknown ids dropped)."""
    merged: Counter[str] = Counter()
    for story_id, n in counts.items():
        if story_id in roots:
            merged[roots[story_id].id] += n
    return dict(merged)


# -- stories and storylines --------------------------------------------------------------------

STORY_COLUMNS = (
    "s.id, s.label, s.n_articles, s.languages, s.sources, s.first_seen_at, s.last_seen_at,"
    " s.storyline_id, s.merged_into"
)
STORYLINE_COLUMNS = "l.id, l.label, l.n_articles, l.first_seen_at, l.last_seen_at, l.merged_into"


def story_values(story: Story, state: bytes | None, times: Times) -> tuple[Any, ...]:
    """The insert parameters of ``story`` and the assigner's ``state`` (``UPSERT_STORY`` order)."""
    return (
        story.id, story.label, story.n_articles, json.dumps(list(story.languages)),
        json.dumps(list(story.sources)), times.dump(story.first_seen_at), times.dump(story.last_seen_at),
        story.storyline_id, story.merged_into, None if state is None else bytes(state),
    )  # fmt: skip


def story_row(row: Sequence[Any], times: Times, article_ids: tuple[str, ...] = ()) -> Story:
    """A ``Story`` from a row selected with ``STORY_COLUMNS``."""
    return Story(
        id=row[0], label=row[1], n_articles=row[2], languages=tuple(json.loads(row[3])),
        sources=tuple(json.loads(row[4])), first_seen_at=times.load(row[5]), last_seen_at=times.load(row[6]),
        storyline_id=row[7], merged_into=row[8], article_ids=article_ids,
    )  # fmt: skip


def storyline_row(row: Sequence[Any], times: Times, story_ids: tuple[str, ...]) -> Storyline:
    """A ``Storyline`` from a row selected with ``STORYLINE_COLUMNS``."""
    return Storyline(
        id=row[0], label=row[1], n_articles=row[2], story_ids=story_ids,
        first_seen_at=times.load(row[3]), last_seen_at=times.load(row[4]), merged_into=row[5],
    )  # fmt: skip


# -- entities ----------------------------------------------------------------------------------

ENTITY_COLUMNS = "e.id, e.name, e.type, e.aliases, e.languages, e.first_seen_at, e.last_seen_at, e.n_mentions"


def entity_values(e: Entity, times: Times) -> tuple[Any, ...]:
    """The insert parameters of ``e`` (the column order of the stores' ``UPSERT_ENTITY``)."""
    return (
        e.id, e.name, e.type, json.dumps(list(e.aliases), ensure_ascii=False), json.dumps(list(e.languages)),
        e.n_mentions, times.dump(e.first_seen_at), times.dump(e.last_seen_at),
    )  # fmt: skip


def entity_row(row: Sequence[Any], times: Times) -> Entity:
    """An ``Entity`` from a row selected with ``ENTITY_COLUMNS``."""
    return Entity(
        id=row[0], name=row[1], type=row[2], aliases=tuple(json.loads(row[3])),
        languages=tuple(json.loads(row[4])), first_seen_at=times.load(row[5]),
        last_seen_at=times.load(row[6]), n_mentions=row[7],
    )  # fmt: skip


# -- watchlists, alerts, deliveries ------------------------------------------------------------

WATCHLIST_COLUMNS = (
    "id, name, entities, keywords, example, threshold, webhook_url, webhook_secret, example_vector,"
    " created_at, last_visit_at"
)
ALERT_COLUMNS = "id, watchlist_id, article_id, story_id, score, reasons, title, published_at, created_at"
DELIVERY_COLUMNS = "alert_id, attempt, ok, status, error, at"


def watchlist_values(w: Watchlist, times: Times) -> tuple[Any, ...]:
    """The parameters of ``w`` in ``WATCHLIST_COLUMNS`` order."""
    return (
        w.id, w.name, json.dumps(list(w.entities), ensure_ascii=False),
        json.dumps(list(w.keywords), ensure_ascii=False), w.example, w.threshold, w.webhook_url,
        w.webhook_secret, None if w.example_vector is None else bytes(w.example_vector),
        times.dump(w.created_at), times.dump(w.last_visit_at),
    )  # fmt: skip


def watchlist_row(row: Sequence[Any], times: Times) -> Watchlist:
    """A ``Watchlist`` from a row selected with ``WATCHLIST_COLUMNS``."""
    return Watchlist(
        id=row[0], name=row[1], entities=tuple(json.loads(row[2])), keywords=tuple(json.loads(row[3])),
        example=row[4], threshold=float(row[5]), webhook_url=row[6], webhook_secret=row[7],
        example_vector=None if row[8] is None else bytes(row[8]), created_at=times.load_at(row[9]),
        last_visit_at=times.load(row[10]),
    )  # fmt: skip


def alert_values(a: Alert, times: Times) -> tuple[Any, ...]:
    """The parameters of ``a`` in ``ALERT_COLUMNS`` order."""
    return (
        a.id, a.watchlist_id, a.article_id, a.story_id, a.score, json.dumps(list(a.reasons)), a.title,
        times.dump(a.published_at), times.dump(a.created_at),
    )  # fmt: skip


def alert_row(row: Sequence[Any], times: Times) -> Alert:
    """An ``Alert`` from a row selected with ``ALERT_COLUMNS``."""
    return Alert(
        id=row[0], watchlist_id=row[1], article_id=row[2], story_id=row[3], score=float(row[4]),
        reasons=tuple(json.loads(row[5])), title=row[6], published_at=times.load(row[7]),
        created_at=times.load_at(row[8]),
    )  # fmt: skip


def delivery_row(row: Sequence[Any], times: Times) -> Delivery:
    """A ``Delivery`` from a row selected with ``DELIVERY_COLUMNS``."""
    return Delivery(row[0], int(row[1]), bool(row[2]), row[3], row[4], times.load_at(row[5]))


# -- followed sources --------------------------------------------------------------------------

SOURCE_COLUMNS = (
    "id, url, name, every_s, fetch_links, paused, created_at, etag, last_modified, kind, last_poll_at,"
    " last_status, last_new_items, consecutive_failures, next_due_at, last_error"
)
SOURCE_STATE_COLUMNS = (
    "etag", "last_modified", "kind", "last_poll_at", "last_status", "last_new_items",
    "consecutive_failures", "next_due_at", "last_error",
)  # fmt: skip


def source_state_sql(mark: str) -> str:
    """``etag = ?, ...``: the assignments of ``SOURCE_STATE_COLUMNS`` with placeholder ``mark``."""
    return ", ".join(f"{column} = {mark}" for column in SOURCE_STATE_COLUMNS)


def source_row(row: Sequence[Any], times: Times) -> Source:
    """A ``Source`` from a row selected with ``SOURCE_COLUMNS``."""
    return Source(
        id=row[0], url=row[1], name=row[2], every_s=int(row[3]), fetch_links=bool(row[4]),
        paused=bool(row[5]), created_at=times.load_at(row[6]), etag=row[7], last_modified=row[8],
        kind=row[9], last_poll_at=times.load(row[10]), last_status=row[11], last_new_items=int(row[12]),
        consecutive_failures=int(row[13]), next_due_at=times.load(row[14]), last_error=row[15],
    )  # fmt: skip


def source_state(s: Source, times: Times) -> tuple[Any, ...]:
    """The parameters of ``s``'s poll state in ``SOURCE_STATE_COLUMNS`` order."""
    return (
        s.etag, s.last_modified, s.kind, times.dump(s.last_poll_at), s.last_status, s.last_new_items,
        s.consecutive_failures, times.dump(s.next_due_at), s.last_error,
    )  # fmt: skip
