"""The analyst reads of ``SqliteStore``: story activity in a period, counts by a key, vectors.

Plain functions over a reader connection; ``SqliteStoryReads`` exposes them. Stories merged into
another count for the live story they went into (``merged_into`` followed to its end).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storyline.model import Story
from storyline.store import rows as shared
from storyline.store.protocols import COUNT_KEYS, ArticleFilter, StoryActivity
from storyline.store.query import parse_query, to_fts5
from storyline.store.sqlite_read import CHUNK, UNKNOWN, from_iso, to_iso, where

LOGGER = logging.getLogger(__name__)

_STORY = (
    "SELECT s.id, s.label, s.n_articles, s.languages, s.sources, s.first_seen_at, s.last_seen_at,"
    " s.storyline_id, s.merged_into FROM stories AS s WHERE s.id IN ({})"
)
MAX_MERGE_DEPTH = 64


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(values))
    for lo in range(0, len(unique), CHUNK):
        yield unique[lo : lo + CHUNK]


def _stories(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Story]:
    found: dict[str, Story] = {}
    for chunk in _chunks(ids):
        for r in conn.execute(_STORY.format(", ".join("?" * len(chunk))), chunk):
            found[r[0]] = Story(
                id=r[0], label=r[1], n_articles=r[2], languages=tuple(json.loads(r[3])),
                sources=tuple(json.loads(r[4])), first_seen_at=from_iso(r[5]),
                last_seen_at=from_iso(r[6]), storyline_id=r[7], merged_into=r[8],
            )  # fmt: skip
    return found


def live_roots(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Story]:
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


def live_root_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """``story id -> live story id`` for each of ``ids`` that is stored (merges followed), as
    ``live_roots`` but reading only ids: counting by story at 300k articles read 15k whole stories."""
    links: dict[str, str | None] = {}

    def read(wanted: Sequence[str]) -> None:
        for chunk in _chunks(wanted):
            marks = ", ".join("?" * len(chunk))
            links.update(conn.execute(f"SELECT id, merged_into FROM stories WHERE id IN ({marks})", chunk))

    read(ids)
    for _ in range(MAX_MERGE_DEPTH):
        missing = [m for m in links.values() if m is not None and m not in links]
        if not missing:
            break
        read(missing)
    roots: dict[str, str] = {}
    for story_id in ids:
        current, depth = story_id, 0
        while links.get(current) is not None and depth < MAX_MERGE_DEPTH:
            current, depth = links[current] or current, depth + 1
        if current in links and links[current] is None:
            roots[story_id] = current
    return roots


@dataclass
class _Tally:
    n: int = 0
    recent: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    agencies: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)

    def add(self, published: datetime | None, recent: datetime | None, row: Sequence[Any]) -> None:
        self.n += 1
        if recent is not None and published is not None and published >= recent:
            self.recent += 1
        for counter, value in zip((self.sources, self.agencies, self.languages), row, strict=True):
            if value:
                counter[value] += 1


def _ranked(counter: Counter[str]) -> tuple[str, ...]:
    return tuple(k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def story_activity(
    conn: sqlite3.Connection,
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
            sql = select + f" WHERE m.story_id IN ({', '.join('?' * len(chunk))})"
            args: list[Any] = list(chunk)
            if since is not None:
                sql += " AND a.published_at >= ?"
                args.append(to_iso(since))
            rows += conn.execute(sql, args).fetchall()
    elif since is None:
        rows = conn.execute(select).fetchall()
    else:  # through the published_at index: only the period is read
        rows = conn.execute(
            "SELECT m.story_id, a.published_at, a.source, a.agency, a.language FROM articles AS a"
            " CROSS JOIN story_articles AS m ON m.article_id = a.id WHERE a.published_at >= ?",
            (to_iso(since),),
        ).fetchall()
    roots = live_roots(conn, [r[0] for r in rows])
    tallies: dict[str, _Tally] = {}
    for story_id, published, *rest in rows:
        root = roots.get(story_id)
        if root is not None:
            tallies.setdefault(root.id, _Tally()).add(from_iso(published), recent, rest)
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


def _family(conn: sqlite3.Connection, roots: set[str]) -> list[str]:
    """The ids of ``roots`` and of every story merged into them (at any depth)."""
    found, todo = set(roots), list(roots)
    while todo:
        batch, todo = todo[:CHUNK], todo[CHUNK:]
        marks = ", ".join("?" * len(batch))
        for (child,) in conn.execute(f"SELECT id FROM stories WHERE merged_into IN ({marks})", batch):
            if child not in found:
                found.add(child)
                todo.append(child)
    return sorted(found)


_KEY_SQL = shared.key_sql(UNKNOWN, day="substr(a.published_at, 1, 10)", hour="substr(a.published_at, 1, 13)")


def count_articles_by(
    conn: sqlite3.Connection, key: str, filters: ArticleFilter, query: str | None
) -> dict[str, int]:
    """See ``StoryReader.count_articles_by``."""
    if key not in COUNT_KEYS:
        raise ValueError(f"cannot count by {key!r}; one of {', '.join(COUNT_KEYS)}")
    clauses, params = where(filters)
    if key in ("day", "hour"):
        clauses.append("a.published_at IS NOT NULL")
    if key == "entity" and (clauses or query is not None):
        # filtered: joined per article (its mentions by the primary key), not through a DISTINCT of
        # every mention in the store, which SQLite materialises whatever the filters (unfiltered,
        # that one pass is the faster)
        head = (
            "SELECT em.entity_id AS k, COUNT(DISTINCT a.seq) FROM articles AS a"
            " JOIN mentions AS em ON em.article_id = a.id AND em.entity_id IS NOT NULL"
        )
    elif key == "story" and not clauses and query is None:  # no filter: the membership table alone
        head = "SELECT m.story_id AS k, COUNT(*) FROM story_articles AS m"
    else:
        head = f"SELECT {_KEY_SQL[key]} AS k, COUNT(*) FROM articles AS a" + shared.KEY_JOIN.get(key, "")
    if query is not None:
        expression = to_fts5(parse_query(query))
        if not expression:
            return {}
        head += " JOIN articles_fts ON articles_fts.rowid = a.seq"
        clauses.insert(0, "articles_fts MATCH ?")
        params.insert(0, expression)
    sql = head + (" WHERE " + " AND ".join(clauses) if clauses else "") + " GROUP BY k"
    counts = {str(k): int(n) for k, n in conn.execute(sql, params)}
    if key == "story":
        merged: Counter[str] = Counter()
        for story_id, root in live_root_ids(conn, list(counts)).items():
            merged[root] += counts[story_id]
        counts = dict(merged)
    return order_counts(key, counts)


def order_counts(key: str, counts: dict[str, int]) -> dict[str, int]:
    """Day and hour keys in time order, other keys largest count first (ties by key)."""
    if key in ("day", "hour"):
        return dict(sorted(counts.items()))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def iter_vectors(conn: sqlite3.Connection, embedder: str) -> Iterator[tuple[str, bytes]]:
    """Every stored vector of ``embedder``, in the order stored."""
    cursor = conn.execute(
        "SELECT article_id, vec FROM vectors WHERE embedder = ? ORDER BY rowid", (embedder,)
    )
    while rows := cursor.fetchmany(2000):
        yield from ((str(r[0]), bytes(r[1])) for r in rows)
