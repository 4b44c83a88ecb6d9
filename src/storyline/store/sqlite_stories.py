"""Stories, storylines, vectors and events in SQLite: the write statements and the read queries.

Membership lives in ``story_articles`` (one row per article, written once); a story's summary
columns (size, languages, sources, first/last seen, storyline, merge) are upserted whole by the
assigner, which also keeps an opaque ``state`` blob per story to resume from.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from storyline.model import Batch, Story, StoryEvent, Storyline
from storyline.store import rows as shared
from storyline.store import sqlite_activity as activity
from storyline.store.protocols import ArticleFilter, StoryActivity
from storyline.store.rows import STORY_COLUMNS, STORYLINE_COLUMNS, TIME_ORDER
from storyline.store.sqlite_read import CHUNK, TIMES, parse_at, to_iso

UPSERT_STORY = (
    "INSERT INTO stories (id, label, n_articles, languages, sources, first_seen_at, last_seen_at,"
    " storyline_id, merged_into, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET label = excluded.label, n_articles = excluded.n_articles,"
    " languages = excluded.languages, sources = excluded.sources, first_seen_at = excluded.first_seen_at,"
    " last_seen_at = excluded.last_seen_at, storyline_id = excluded.storyline_id,"
    " merged_into = excluded.merged_into, state = COALESCE(excluded.state, stories.state)"
)
INSERT_ASSIGNMENT = (
    "INSERT INTO story_articles (article_id, story_id, score, is_new_story) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id"
)
INSERT_VECTOR = "INSERT OR IGNORE INTO vectors (article_id, embedder, vec) VALUES (?, ?, ?)"
UPSERT_STORYLINE = (
    "INSERT INTO storylines (id, label, n_articles, first_seen_at, last_seen_at, merged_into)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label,"
    " n_articles = excluded.n_articles, first_seen_at = excluded.first_seen_at,"
    " last_seen_at = excluded.last_seen_at, merged_into = excluded.merged_into"
)
INSERT_EVENT = "INSERT INTO story_events (kind, subject_id, object_id, reason, at) VALUES (?, ?, ?, ?, ?)"


_ALL = ArticleFilter()


def write_stories(writer: sqlite3.Connection, batch: Batch) -> None:
    """The story part of one ``write_batch`` transaction (the caller holds the transaction)."""
    writer.executemany(INSERT_VECTOR, [(aid, name, bytes(vec)) for aid, (name, vec) in batch.vectors.items()])
    writer.executemany(
        INSERT_ASSIGNMENT,
        [(a.article_id, a.story_id, float(a.score), int(a.is_new_story)) for a in batch.assignments],
    )
    writer.executemany(
        UPSERT_STORY,
        [shared.story_values(s, batch.story_states.get(s.id), TIMES) for s in batch.stories],
    )
    writer.executemany(
        UPSERT_STORYLINE,
        [
            (
                line.id,
                line.label,
                line.n_articles,
                to_iso(line.first_seen_at),
                to_iso(line.last_seen_at),
                line.merged_into,
            )
            for line in batch.storylines
        ],
    )
    writer.executemany(
        INSERT_EVENT, [(e.kind, e.subject_id, e.object_id, e.reason, to_iso(e.at)) for e in batch.events]
    )


def clear_stories(writer: sqlite3.Connection) -> None:
    """Forget every story decision (for a rebuild); articles and vectors stay."""
    for table in ("story_articles", "stories", "storylines", "story_events"):
        writer.execute(f"DELETE FROM {table}")  # table names are constants above


def list_stories(
    conn: sqlite3.Connection, *, language: str | None, since: datetime | None, limit: int, offset: int
) -> list[Story]:
    """Live (not merged) stories, most active first: size, then most recently seen."""
    clauses: list[str] = ["+s.merged_into IS NULL"]  # unary +: scan stories_activity in order instead
    params: list[Any] = []
    if language is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each(s.languages) WHERE value = ?)")
        params.append(language)
    if since is not None:
        clauses.append("s.last_seen_at >= ?")
        params.append(to_iso(since))
    sql = (
        f"SELECT {STORY_COLUMNS} FROM stories AS s WHERE {' AND '.join(clauses)}"
        " ORDER BY s.n_articles DESC, s.last_seen_at DESC, s.seq LIMIT ? OFFSET ?"
    )
    return [shared.story_row(r, TIMES) for r in conn.execute(sql, [*params, limit, offset])]


def get_story(conn: sqlite3.Connection, story_id: str) -> Story | None:
    """The story with its article ids in time order, those of stories merged into it included.

    A merged story still resolves by its own id (``merged_into`` says where it went)."""
    row = conn.execute(f"SELECT {STORY_COLUMNS} FROM stories AS s WHERE s.id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    ids = conn.execute(
        "WITH RECURSIVE family(id) AS (SELECT ? UNION SELECT s.id FROM stories AS s"
        " JOIN family AS f ON s.merged_into = f.id)"
        " SELECT a.id FROM story_articles AS m JOIN articles AS a ON a.id = m.article_id"
        " WHERE m.story_id IN (SELECT id FROM family)" + TIME_ORDER,
        (story_id,),
    )
    return shared.story_row(row, TIMES, tuple(r[0] for r in ids))


def story_ids_of(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """``article_id -> story_id`` for the given articles (those assigned)."""
    found: dict[str, str] = {}
    for lo in range(0, len(article_ids), CHUNK):
        chunk = list(article_ids[lo : lo + CHUNK])
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})"
        found.update(dict(conn.execute(sql, chunk).fetchall()))
    return found


def list_storylines(conn: sqlite3.Connection, *, limit: int, offset: int) -> list[Storyline]:
    sql = (
        f"SELECT {STORYLINE_COLUMNS} FROM storylines AS l WHERE l.merged_into IS NULL"
        " ORDER BY l.n_articles DESC, l.last_seen_at DESC, l.seq LIMIT ? OFFSET ?"
    )
    return [_with_stories(conn, r) for r in conn.execute(sql, (limit, offset)).fetchall()]


def get_storyline(conn: sqlite3.Connection, storyline_id: str) -> Storyline | None:
    sql = f"SELECT {STORYLINE_COLUMNS} FROM storylines AS l WHERE l.id = ?"
    row = conn.execute(sql, (storyline_id,)).fetchone()
    return None if row is None else _with_stories(conn, row)


def _with_stories(conn: sqlite3.Connection, row: Sequence[Any]) -> Storyline:
    ids = conn.execute(
        "SELECT id FROM stories WHERE storyline_id = ? AND merged_into IS NULL"
        " ORDER BY first_seen_at IS NULL, first_seen_at, seq",
        (row[0],),
    )
    return shared.storyline_row(row, TIMES, tuple(r[0] for r in ids))


def story_events(conn: sqlite3.Connection, story_id: str) -> list[StoryEvent]:
    rows = conn.execute(
        "SELECT kind, subject_id, object_id, reason, at FROM story_events"
        " WHERE subject_id = ? OR object_id = ? ORDER BY id",
        (story_id, story_id),
    )
    return [StoryEvent(cast(Any, r[0]), r[1], r[2], r[3], parse_at(r[4])) for r in rows]


def iter_story_states(conn: sqlite3.Connection, since: datetime | None) -> Iterator[tuple[Story, bytes]]:
    """Live stories seen at or after ``since`` (all when None) with their state, oldest first."""
    select = (
        f"SELECT s.seq, {STORY_COLUMNS}, s.state FROM stories AS s"
        " WHERE +s.merged_into IS NULL AND s.state IS NOT NULL"
    )
    if since is None:
        rows = conn.execute(select + " ORDER BY s.seq").fetchall()
    else:  # two index searches on last_seen_at (an OR, or ORDER BY seq, would scan every story)
        dated = conn.execute(select + " AND s.last_seen_at >= ?", (to_iso(since),)).fetchall()
        rows = sorted(dated + conn.execute(select + " AND s.last_seen_at IS NULL").fetchall())
    for row in rows:
        yield shared.story_row(row[1:10], TIMES), bytes(row[10])


def latest_story_seen(conn: sqlite3.Connection) -> datetime | None:
    """The latest ``last_seen_at`` of a live story with a state (the stories_last_seen index, backwards)."""
    row = conn.execute(
        "SELECT last_seen_at FROM stories WHERE last_seen_at IS NOT NULL AND +merged_into IS NULL"
        " AND state IS NOT NULL ORDER BY last_seen_at DESC LIMIT 1"
    ).fetchone()
    return parse_at(row[0]) if row else None


def get_vectors(conn: sqlite3.Connection, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]:
    """Stored vectors of ``embedder`` for the given articles."""
    found: dict[str, bytes] = {}
    for lo in range(0, len(article_ids), CHUNK):
        chunk = list(article_ids[lo : lo + CHUNK])
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT article_id, vec FROM vectors WHERE embedder = ? AND article_id IN ({marks})"
        found.update({r[0]: bytes(r[1]) for r in conn.execute(sql, [embedder, *chunk])})
    return found


class SqliteStoryReads:
    """The story side of ``SqliteStore`` (mixed in; ``_reader()`` gives this thread's connection)."""

    def _reader(self) -> sqlite3.Connection:
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
        """``article_id -> story_id`` for assigned articles."""
        return story_ids_of(self._reader(), article_ids)

    def list_storylines(self, *, limit: int = 50, offset: int = 0) -> list[Storyline]:
        """Live storylines, largest first, each with its story ids in time order."""
        return list_storylines(self._reader(), limit=limit, offset=offset)

    def get_storyline(self, storyline_id: str) -> Storyline | None:
        """A storyline with its story ids in time order."""
        return get_storyline(self._reader(), storyline_id)

    def story_events(self, story_id: str) -> list[StoryEvent]:
        """Merges in which the story (or storyline) id took part, oldest first."""
        return story_events(self._reader(), story_id)

    def iter_story_states(self, since: datetime | None = None) -> Iterator[tuple[Story, bytes]]:
        """Live stories seen since ``since`` with the assigner's saved state."""
        return iter_story_states(self._reader(), since)

    def latest_story_seen(self) -> datetime | None:
        """The latest ``last_seen_at`` of a live story with a saved state."""
        return latest_story_seen(self._reader())

    def get_vectors(self, article_ids: Sequence[str], embedder: str) -> dict[str, bytes]:
        """Stored vectors of ``embedder`` for ``article_ids``."""
        return get_vectors(self._reader(), article_ids, embedder)

    def story_activity(
        self,
        *,
        since: datetime | None = None,
        recent: datetime | None = None,
        story_ids: Sequence[str] | None = None,
    ) -> list[StoryActivity]:
        """Live stories' articles in a period (``StoryReader.story_activity``)."""
        return activity.story_activity(self._reader(), since=since, recent=recent, story_ids=story_ids)

    def iter_vectors(self, embedder: str) -> Iterator[tuple[str, bytes]]:
        """Every stored vector of ``embedder``, in the order stored."""
        return activity.iter_vectors(self._reader(), embedder)

    def count_articles_by(
        self, key: str, filters: ArticleFilter = _ALL, *, query: str | None = None
    ) -> dict[str, int]:
        """Articles counted by day, hour, language, source, agency, story or entity."""
        return activity.count_articles_by(self._reader(), key, filters, query)
