"""Stories, storylines, vectors and events in PostgreSQL (the statements of ``sqlite_stories``).

Membership lives in ``story_articles``; a story's summary columns are upserted whole by the
assigner, with its opaque ``state`` (``bytea``) kept when a batch brings none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from psycopg import Cursor

from storyline.model import Batch, Story, StoryEvent, Storyline
from storyline.store import rows as shared
from storyline.store.postgres_read import TIMES, Conn, utc
from storyline.store.rows import STORY_COLUMNS, STORYLINE_COLUMNS, TIME_ORDER

UPSERT_STORY = (
    "INSERT INTO stories (id, label, n_articles, languages, sources, first_seen_at, last_seen_at,"
    " storyline_id, merged_into, state) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (id) DO UPDATE SET label = excluded.label, n_articles = excluded.n_articles,"
    " languages = excluded.languages, sources = excluded.sources, first_seen_at = excluded.first_seen_at,"
    " last_seen_at = excluded.last_seen_at, storyline_id = excluded.storyline_id,"
    " merged_into = excluded.merged_into, state = COALESCE(excluded.state, stories.state)"
)
INSERT_ASSIGNMENT = (
    "INSERT INTO story_articles (article_id, story_id, score, is_new_story) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id"
)
INSERT_VECTOR = (
    "INSERT INTO vectors (article_id, embedder, vec) VALUES (%s, %s, %s) ON CONFLICT (article_id) DO NOTHING"
)
UPSERT_STORYLINE = (
    "INSERT INTO storylines (id, label, n_articles, first_seen_at, last_seen_at, merged_into)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET label = excluded.label,"
    " n_articles = excluded.n_articles, first_seen_at = excluded.first_seen_at,"
    " last_seen_at = excluded.last_seen_at, merged_into = excluded.merged_into"
)
INSERT_EVENT = (
    "INSERT INTO story_events (kind, subject_id, object_id, reason, at) VALUES (%s, %s, %s, %s, %s)"
)


def write_stories(cur: Cursor[Any], batch: Batch) -> None:
    """The story part of one ``write_batch`` transaction."""
    cur.executemany(INSERT_VECTOR, [(aid, name, bytes(vec)) for aid, (name, vec) in batch.vectors.items()])
    cur.executemany(
        INSERT_ASSIGNMENT,
        [(a.article_id, a.story_id, float(a.score), bool(a.is_new_story)) for a in batch.assignments],
    )
    cur.executemany(
        UPSERT_STORY,
        [shared.story_values(s, batch.story_states.get(s.id), TIMES) for s in batch.stories],
    )
    cur.executemany(
        UPSERT_STORYLINE,
        [
            (
                line.id,
                line.label,
                line.n_articles,
                utc(line.first_seen_at),
                utc(line.last_seen_at),
                line.merged_into,
            )
            for line in batch.storylines
        ],
    )
    cur.executemany(
        INSERT_EVENT, [(e.kind, e.subject_id, e.object_id, e.reason, utc(e.at)) for e in batch.events]
    )


def clear_stories(cur: Cursor[Any]) -> None:
    """Forget every story decision (for a rebuild); articles and vectors stay."""
    cur.execute("TRUNCATE story_articles, stories, storylines, story_events")


def list_stories(
    conn: Conn, *, language: str | None, since: datetime | None, limit: int, offset: int
) -> list[Story]:
    """Live stories, most active first: size, then most recently seen (undated last)."""
    clauses = ["s.merged_into IS NULL"]
    params: list[Any] = []
    if language is not None:
        clauses.append("s.languages::jsonb ? %s")
        params.append(language)
    if since is not None:
        clauses.append("s.last_seen_at >= %s")
        params.append(utc(since))
    sql = (
        f"SELECT {STORY_COLUMNS} FROM stories AS s WHERE {' AND '.join(clauses)}"
        " ORDER BY s.n_articles DESC, s.last_seen_at DESC NULLS LAST, s.seq LIMIT %s OFFSET %s"
    )
    return [shared.story_row(r, TIMES) for r in conn.execute(sql, [*params, max(limit, 0), max(offset, 0)])]


def get_story(conn: Conn, story_id: str) -> Story | None:
    """The story with its article ids in time order, those of stories merged into it included."""
    row = conn.execute(f"SELECT {STORY_COLUMNS} FROM stories AS s WHERE s.id = %s", (story_id,)).fetchone()
    if row is None:
        return None
    ids = conn.execute(
        "WITH RECURSIVE family(id) AS (SELECT %s::text UNION SELECT s.id FROM stories AS s"
        " JOIN family AS f ON s.merged_into = f.id)"
        " SELECT a.id FROM story_articles AS m JOIN articles AS a ON a.id = m.article_id"
        " WHERE m.story_id IN (SELECT id FROM family)" + TIME_ORDER,
        (story_id,),
    )
    return shared.story_row(row, TIMES, tuple(r[0] for r in ids))


def story_ids_of(conn: Conn, article_ids: Sequence[str]) -> dict[str, str]:
    if not article_ids:
        return {}
    rows = conn.execute(
        "SELECT article_id, story_id FROM story_articles WHERE article_id = ANY(%s)", (list(article_ids),)
    )
    return {r[0]: r[1] for r in rows}


def list_storylines(conn: Conn, *, limit: int, offset: int) -> list[Storyline]:
    sql = (
        f"SELECT {STORYLINE_COLUMNS} FROM storylines AS l WHERE l.merged_into IS NULL"
        " ORDER BY l.n_articles DESC, l.last_seen_at DESC NULLS LAST, l.seq LIMIT %s OFFSET %s"
    )
    return [_with_stories(conn, r) for r in conn.execute(sql, (max(limit, 0), max(offset, 0))).fetchall()]


def get_storyline(conn: Conn, storyline_id: str) -> Storyline | None:
    sql = f"SELECT {STORYLINE_COLUMNS} FROM storylines AS l WHERE l.id = %s"
    row = conn.execute(sql, (storyline_id,)).fetchone()
    return None if row is None else _with_stories(conn, row)


def _with_stories(conn: Conn, row: Sequence[Any]) -> Storyline:
    ids = conn.execute(
        "SELECT id FROM stories WHERE storyline_id = %s AND merged_into IS NULL"
        " ORDER BY first_seen_at IS NULL, first_seen_at, seq",
        (row[0],),
    ).fetchall()
    return shared.storyline_row(row, TIMES, tuple(r[0] for r in ids))


def story_events(conn: Conn, story_id: str) -> list[StoryEvent]:
    rows = conn.execute(
        "SELECT kind, subject_id, object_id, reason, at FROM story_events"
        " WHERE subject_id = %s OR object_id = %s ORDER BY id",
        (story_id, story_id),
    )
    return [StoryEvent(cast(Any, r[0]), r[1], r[2], r[3], cast(datetime, utc(r[4]))) for r in rows]


def iter_story_states(conn: Conn, since: datetime | None, page: int = 1000) -> Iterator[tuple[Story, bytes]]:
    """Live stories seen at or after ``since`` (all when None; undated always) with their state,
    oldest first, read a page at a time (the connection stays free between pages)."""
    after = 0
    while True:
        rows = conn.execute(
            f"SELECT s.seq, {STORY_COLUMNS}, s.state FROM stories AS s"
            " WHERE s.merged_into IS NULL AND s.state IS NOT NULL AND s.seq > %s"
            " AND (%s::timestamptz IS NULL OR s.last_seen_at IS NULL OR s.last_seen_at >= %s)"
            " ORDER BY s.seq LIMIT %s",
            (after, utc(since), utc(since), page),
        ).fetchall()
        for row in rows:
            yield shared.story_row(row[1:10], TIMES), bytes(row[10])
        if len(rows) < page:
            return
        after = rows[-1][0]


def latest_story_seen(conn: Conn) -> datetime | None:
    row = conn.execute(
        "SELECT max(last_seen_at) FROM stories WHERE merged_into IS NULL AND state IS NOT NULL"
    ).fetchone()
    return utc(row[0]) if row else None


def get_vectors(conn: Conn, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]:
    if not article_ids:
        return {}
    rows = conn.execute(
        "SELECT article_id, vec FROM vectors WHERE embedder = %s AND article_id = ANY(%s)",
        (embedder, list(article_ids)),
    )
    return {r[0]: bytes(r[1]) for r in rows}


class PostgresStoryReads:
    """The story side of ``PostgresStore`` (mixed in; ``_reader()`` gives this thread's connection)."""

    def _reader(self) -> Conn:
        raise NotImplementedError

    def list_stories(
        self, *, language: str | None = None, since: datetime | None = None, limit: int = 50, offset: int = 0
    ) -> list[Story]:
        """Live stories, most active first."""
        return list_stories(self._reader(), language=language, since=since, limit=limit, offset=offset)

    def get_story(self, story_id: str) -> Story | None:
        """A story with its article ids in time order; merged stories resolve too."""
        return get_story(self._reader(), story_id)

    def story_ids_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return story_ids_of(self._reader(), article_ids)

    def list_storylines(self, *, limit: int = 50, offset: int = 0) -> list[Storyline]:
        return list_storylines(self._reader(), limit=limit, offset=offset)

    def get_storyline(self, storyline_id: str) -> Storyline | None:
        return get_storyline(self._reader(), storyline_id)

    def story_events(self, story_id: str) -> list[StoryEvent]:
        return story_events(self._reader(), story_id)

    def iter_story_states(self, since: datetime | None = None) -> Iterator[tuple[Story, bytes]]:
        return iter_story_states(self._reader(), since)

    def latest_story_seen(self) -> datetime | None:
        return latest_story_seen(self._reader())

    def get_vectors(self, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]:
        return get_vectors(self._reader(), article_ids, embedder)
