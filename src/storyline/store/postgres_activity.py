"""The analyst reads of ``PostgresStore``: story activity in a period, counts by a key, vectors.

The queries of ``sqlite_activity`` in PostgreSQL's dialect (its merge following, tallies and
ordering are reused from there); ``PostgresActivityReads`` exposes them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from storyline.model import Story
from storyline.store import rows as shared
from storyline.store.postgres_read import Conn, tsquery, utc, where
from storyline.store.protocols import COUNT_KEYS, ArticleFilter, StoryActivity
from storyline.store.query import parse_query
from storyline.store.sqlite_activity import MAX_MERGE_DEPTH, _ranked, _Tally, order_counts
from storyline.store.sqlite_read import UNKNOWN

CHUNK = 5000
_ALL = ArticleFilter()

LOGGER = logging.getLogger(__name__)

_STORY = (
    "SELECT s.id, s.label, s.n_articles, s.languages, s.sources, s.first_seen_at, s.last_seen_at,"
    " s.storyline_id, s.merged_into FROM stories AS s WHERE s.id = ANY(%s)"
)


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(values))
    for lo in range(0, len(unique), CHUNK):
        yield unique[lo : lo + CHUNK]


def _stories(conn: Conn, ids: Sequence[str]) -> dict[str, Story]:
    found: dict[str, Story] = {}
    for chunk in _chunks(ids):
        for r in conn.execute(_STORY, (chunk,)):
            found[r[0]] = Story(
                id=r[0], label=r[1], n_articles=r[2], languages=tuple(json.loads(r[3])),
                sources=tuple(json.loads(r[4])), first_seen_at=utc(r[5]),
                last_seen_at=utc(r[6]), storyline_id=r[7], merged_into=r[8],
            )  # fmt: skip
    return found


def live_roots(conn: Conn, ids: Sequence[str]) -> dict[str, Story]:
    """``story id -> live story`` for each of ``ids`` that is stored (merges followed)."""
    stories = _stories(conn, ids)
    for _ in range(MAX_MERGE_DEPTH):
        missing = [s.merged_into for s in stories.values() if s.merged_into and s.merged_into not in stories]
        if not missing:
            break
        stories.update(_stories(conn, missing))
    roots: dict[str, Story] = {}
    for story_id in ids:
        story, depth = stories.get(story_id), 0
        while story is not None and story.merged_into is not None and depth < MAX_MERGE_DEPTH:
            story, depth = stories.get(story.merged_into), depth + 1
        if story is not None and story.merged_into is None:
            roots[story_id] = story
    return roots


def story_activity(
    conn: Conn,
    *,
    since: datetime | None,
    recent: datetime | None,
    story_ids: Sequence[str] | None,
) -> list[StoryActivity]:
    """See ``StoryReader.story_activity``."""
    select = (
        "SELECT m.story_id, a.published_at, a.source, a.agency, a.language"
        " FROM story_articles AS m JOIN articles AS a ON a.id = m.article_id"
    )
    rows: list[Any] = []
    if story_ids is not None:
        wanted = live_roots(conn, story_ids)
        family = {root.id for root in wanted.values()}
        members = _family(conn, family)
        for chunk in _chunks(members):
            sql = select + " WHERE m.story_id = ANY(%s)"
            args: list[Any] = [chunk]
            if since is not None:
                sql += " AND a.published_at >= %s"
                args.append(utc(since))
            rows += conn.execute(sql, args).fetchall()
    elif since is None:
        rows = conn.execute(select).fetchall()
    else:  # through the published_at index: only the period is read
        rows = conn.execute(select + " WHERE a.published_at >= %s", (utc(since),)).fetchall()
    roots = live_roots(conn, [r[0] for r in rows])
    tallies: dict[str, _Tally] = {}
    for story_id, published, *rest in rows:
        root = roots.get(story_id)
        if root is not None:
            tallies.setdefault(root.id, _Tally()).add(utc(published), recent, rest)
    by_id = {root.id: root for root in roots.values()}
    return [
        StoryActivity(
            story=by_id[sid],
            n_articles=t.n,
            n_recent=t.recent,
            sources=_ranked(t.sources),
            agencies=_ranked(t.agencies),
            languages=_ranked(t.languages),
        )
        for sid, t in tallies.items()
    ]


def _family(conn: Conn, roots: set[str]) -> list[str]:
    """The ids of ``roots`` and of every story merged into them (at any depth)."""
    found, todo = set(roots), list(roots)
    while todo:
        batch, todo = todo[:CHUNK], todo[CHUNK:]
        for (child,) in conn.execute("SELECT id FROM stories WHERE merged_into = ANY(%s)", (batch,)):
            if child not in found:
                found.add(child)
                todo.append(child)
    return sorted(found)


_KEY_SQL = shared.key_sql(
    UNKNOWN,
    day="to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    hour="to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')",
)


def count_articles_by(conn: Conn, key: str, filters: ArticleFilter, query: str | None) -> dict[str, int]:
    """See ``StoryReader.count_articles_by``."""
    if key not in COUNT_KEYS:
        raise ValueError(f"cannot count by {key!r}; one of {', '.join(COUNT_KEYS)}")
    clauses, params = where(filters)
    if key in ("day", "hour"):
        clauses.append("a.published_at IS NOT NULL")
    head = f"SELECT {_KEY_SQL[key]} AS k, COUNT(*) FROM articles AS a" + shared.KEY_JOIN.get(key, "")
    if query is not None:
        expression = tsquery(parse_query(query))
        if not expression:
            return {}
        clauses.insert(0, "a.fts @@ to_tsquery('simple', %s)")
        params.insert(0, expression)
    sql = head + (" WHERE " + " AND ".join(clauses) if clauses else "") + " GROUP BY 1"
    counts = {str(k): int(n) for k, n in conn.execute(sql, params)}
    if key == "story":
        counts = shared.merge_story_counts(counts, live_roots(conn, list(counts)))
    return order_counts(key, counts)


def iter_vectors(conn: Conn, embedder: str) -> Iterator[tuple[str, bytes]]:
    """Every stored vector of ``embedder``, in the order stored."""
    after = 0
    while True:  # keyset pages: the connection stays free between them
        rows = conn.execute(
            "SELECT seq, article_id, vec FROM vectors WHERE embedder = %s AND seq > %s"
            " ORDER BY seq LIMIT 2000",
            (embedder, after),
        ).fetchall()
        yield from ((str(r[1]), bytes(r[2])) for r in rows)
        if len(rows) < 2000:
            return
        after = rows[-1][0]


class PostgresActivityReads:
    """The analyst reads of ``PostgresStore`` (mixed in)."""

    def _reader(self) -> Conn:
        raise NotImplementedError

    def story_activity(
        self,
        *,
        since: datetime | None = None,
        recent: datetime | None = None,
        story_ids: Sequence[str] | None = None,
    ) -> list[StoryActivity]:
        return story_activity(self._reader(), since=since, recent=recent, story_ids=story_ids)

    def count_articles_by(
        self, key: str, filters: ArticleFilter = _ALL, *, query: str | None = None
    ) -> dict[str, int]:
        return count_articles_by(self._reader(), key, filters, query)

    def iter_vectors(self, embedder: str) -> Iterator[tuple[str, bytes]]:
        return iter_vectors(self._reader(), embedder)
