"""Entities and the facts of articles (mentions, quotes, time mentions, figures) in SQLite.

Facts are written once with their article (``INSERT OR IGNORE`` on their span); entities are
upserted whole by the canonicaliser, which owns their aliases and counts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any, cast

from storyline.model import ArticleFacts, Batch, Entity, Figure, Mention, Quote, TimeMention
from storyline.store import rows as shared
from storyline.store.fact_rows import fact_rows, row_quote
from storyline.store.rows import ENTITY_COLUMNS
from storyline.store.sqlite_read import TIMES

UPSERT_ENTITY = (
    "INSERT INTO entities (id, name, type, aliases, languages, n_mentions, first_seen_at, last_seen_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
    " type = excluded.type, aliases = excluded.aliases, languages = excluded.languages,"
    " n_mentions = excluded.n_mentions, first_seen_at = excluded.first_seen_at,"
    " last_seen_at = excluded.last_seen_at"
)
INSERT_MENTION = (
    "INSERT OR IGNORE INTO mentions (article_id, start, end, text, type, entity_id) VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_QUOTE = (
    "INSERT OR IGNORE INTO quotes (article_id, start, end, text, kind, cue, speaker, speaker_entity_id,"
    " speaker_start, speaker_end, language, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_TIME = (
    "INSERT OR IGNORE INTO time_mentions (article_id, start, end, text, type, value, anchor, is_event)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_FIGURE = (
    "INSERT OR IGNORE INTO figures (article_id, start, end, text, value, unit, counts)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_QUOTE_COLUMNS = (
    "q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.speaker, q.speaker_entity_id,"
    " q.speaker_start, q.speaker_end, q.language, q.confidence"
)


def write_facts(writer: sqlite3.Connection, batch: Batch) -> None:
    """The facts part of one ``write_batch`` transaction."""
    writer.executemany(UPSERT_ENTITY, [shared.entity_values(e, TIMES) for e in batch.entities])
    for sql, rows in zip(
        (INSERT_MENTION, INSERT_QUOTE, INSERT_TIME, INSERT_FIGURE), fact_rows(batch), strict=True
    ):
        writer.executemany(sql, rows)


def list_entities(conn: sqlite3.Connection, *, type: str | None, limit: int, offset: int) -> list[Entity]:
    sql = f"SELECT {ENTITY_COLUMNS} FROM entities AS e"
    params: list[Any] = []
    if type is not None:
        sql += " WHERE e.type = ?"
        params.append(type)
    sql += " ORDER BY e.n_mentions DESC, e.seq LIMIT ? OFFSET ?"
    return [shared.entity_row(r, TIMES) for r in conn.execute(sql, [*params, limit, offset])]


def get_entity(conn: sqlite3.Connection, entity_id: str) -> Entity | None:
    row = conn.execute(f"SELECT {ENTITY_COLUMNS} FROM entities AS e WHERE e.id = ?", (entity_id,)).fetchone()
    return None if row is None else shared.entity_row(row, TIMES)


def find_entities(conn: sqlite3.Connection, name: str, limit: int) -> list[Entity]:
    """Entities whose name or one of whose aliases is ``name`` (case-insensitive), most mentioned first."""
    sql = (
        f"SELECT {ENTITY_COLUMNS} FROM entities AS e WHERE e.name = ? COLLATE NOCASE"
        " OR EXISTS (SELECT 1 FROM json_each(e.aliases) WHERE lower(value) = lower(?))"
        " ORDER BY e.n_mentions DESC, e.seq LIMIT ?"
    )
    return [shared.entity_row(r, TIMES) for r in conn.execute(sql, (name, name, limit))]


def iter_entities(conn: sqlite3.Connection) -> Iterator[Entity]:
    cursor = conn.execute(f"SELECT {ENTITY_COLUMNS} FROM entities AS e ORDER BY e.seq")
    while rows := cursor.fetchmany(1000):
        yield from (shared.entity_row(r, TIMES) for r in rows)


def list_quotes(
    conn: sqlite3.Connection,
    *,
    speaker_entity_id: str | None,
    speaker: str | None,
    story_id: str | None,
    article_id: str | None,
    limit: int,
    offset: int,
    min_confidence: float | None = None,
) -> list[Quote]:
    """Quotes, oldest reporting first (undated articles last), filtered as asked."""
    clauses: list[str] = []
    params: list[Any] = []
    if min_confidence is not None:  # NULL (not assessed) never passes a threshold
        clauses.append("q.confidence >= ?")
        params.append(min_confidence)
    if speaker_entity_id is not None:
        clauses.append("q.speaker_entity_id = ?")
        params.append(speaker_entity_id)
    if speaker is not None:
        clauses.append("q.speaker LIKE ? ESCAPE '\\'")
        params.append("%" + speaker.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if story_id is not None:
        clauses.append("q.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(story_id)
    if article_id is not None:
        clauses.append("q.article_id = ?")
        params.append(article_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        f"SELECT {_QUOTE_COLUMNS} FROM quotes AS q JOIN articles AS a ON a.id = q.article_id{where}"
        " ORDER BY a.published_at IS NULL, a.published_at, a.seq, q.start LIMIT ? OFFSET ?"
    )
    return [row_quote(r) for r in conn.execute(sql, [*params, limit, offset])]


def article_facts(conn: sqlite3.Connection, article_id: str) -> ArticleFacts:
    """The facts found in one article, each kind in text order."""
    mentions = conn.execute(
        "SELECT article_id, start, end, text, type, entity_id FROM mentions"
        " WHERE article_id = ? ORDER BY start",
        (article_id,),
    )
    quotes = conn.execute(
        f"SELECT {_QUOTE_COLUMNS} FROM quotes AS q WHERE q.article_id = ? ORDER BY q.start", (article_id,)
    )
    times = conn.execute(
        "SELECT article_id, start, end, text, type, value, anchor, is_event FROM time_mentions"
        " WHERE article_id = ? ORDER BY start",
        (article_id,),
    )
    figures = conn.execute(
        "SELECT article_id, start, end, text, value, unit, counts FROM figures"
        " WHERE article_id = ? ORDER BY start",
        (article_id,),
    )
    return ArticleFacts(
        mentions=tuple(Mention(*r) for r in mentions),
        quotes=tuple(row_quote(r) for r in quotes),
        time_mentions=tuple(
            TimeMention(r[0], r[1], r[2], r[3], cast(Any, r[4]), r[5], r[6], bool(r[7])) for r in times
        ),
        figures=tuple(Figure(*r) for r in figures),
    )


class SqliteFactReads:
    """The facts side of ``SqliteStore`` (mixed in; ``_reader()`` gives this thread's connection)."""

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError

    def list_entities(self, *, type: str | None = None, limit: int = 50, offset: int = 0) -> list[Entity]:
        """Entities, most mentioned first."""
        return list_entities(self._reader(), type=type, limit=limit, offset=offset)

    def get_entity(self, entity_id: str) -> Entity | None:
        return get_entity(self._reader(), entity_id)

    def find_entities(self, name: str, *, limit: int = 10) -> list[Entity]:
        """Entities named ``name`` or with ``name`` among their aliases (case-insensitive)."""
        return find_entities(self._reader(), name, limit)

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity in the order created (for the canonicaliser's alias table); consume it whole."""
        return iter_entities(self._reader())

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
        """Quotes in reporting order, by speaker entity, speaker text, story or article."""
        return list_quotes(
            self._reader(), speaker_entity_id=speaker_entity_id, speaker=speaker, story_id=story_id,
            article_id=article_id, limit=limit, offset=offset, min_confidence=min_confidence,
        )  # fmt: skip

    def article_facts(self, article_id: str) -> ArticleFacts:
        """Mentions, quotes, time mentions and figures of one article."""
        return article_facts(self._reader(), article_id)
