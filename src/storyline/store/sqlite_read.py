"""Rows <-> values and the read queries of ``SqliteStore`` (plain functions over a connection).

Datetimes are stored as ISO 8601 strings in UTC (``2021-02-17T10:30:00+00:00``; naive values are
taken as UTC), which sort in time order, and read back as tz-aware UTC datetimes.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from storyline.model import Article, Precision, RawDoc, Rejection
from storyline.store import rows as shared
from storyline.store.protocols import ArticleFilter, SearchHit
from storyline.store.query import parse_query, to_fts5

LOGGER = logging.getLogger(__name__)

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "url", "source", "agency", "place", "title", "text", "language", "language_confidence",
    "published_at", "published_precision", "duplicate_of", "origin", "raw_id", "content_hash", "ingested_at",
)  # fmt: skip
_COLUMNS = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
_SELECT_ARTICLE = f"SELECT {_COLUMNS} FROM articles AS a"
_ORDER = " ORDER BY a.published_at DESC, a.seq DESC"  # NULLs sort lowest, so DESC puts them last
CHUNK = 500
"""Most ``?`` parameters in one ``IN (...)``."""
UNKNOWN = "unknown"
"""Key under which ``stats()`` counts articles whose language/source/agency is not known."""
TITLE_WEIGHT = 4.0
_FTS5_QUERY_ERRORS = ("fts5:", "unterminated string", "no such column")
"""How SQLite's messages start when FTS5 refuses a MATCH expression (not when the store fails)."""
SNIPPET_WORDS = 16


def to_iso(value: datetime | None) -> str | None:
    """A datetime as an ISO 8601 UTC string (naive means UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def from_iso(value: str | None) -> datetime | None:
    """An ISO 8601 string as a tz-aware UTC datetime (None stays None)."""
    return None if value is None else parse_at(value)


def parse_at(value: str) -> datetime:
    """An ISO 8601 string as a tz-aware UTC datetime."""
    return datetime.fromisoformat(value).astimezone(UTC)


TIMES = shared.Times(dump=to_iso, load=from_iso)
"""Datetimes in SQLite rows: ISO 8601 UTC strings."""


def article_values(article: Article) -> tuple[Any, ...]:
    """The values of ``article`` in ``ARTICLE_COLUMNS`` order."""
    return (
        article.id, article.url, article.source, article.agency, article.place, article.title,
        article.text, article.language, float(article.language_confidence),
        to_iso(article.published_at), article.published_precision, article.duplicate_of,
        article.origin, article.raw_id, article.content_hash, to_iso(article.ingested_at),
    )  # fmt: skip


def row_article(row: Sequence[Any]) -> Article:
    """An ``Article`` from a row selected with ``ARTICLE_COLUMNS``."""
    return Article(
        id=row[0], url=row[1], source=row[2], agency=row[3], place=row[4], title=row[5], text=row[6],
        language=row[7], language_confidence=row[8], published_at=from_iso(row[9]),
        published_precision=cast("Precision | None", row[10]), duplicate_of=row[11], origin=row[12],
        raw_id=row[13], content_hash=row[14], ingested_at=parse_at(row[15]),
    )  # fmt: skip


def where(filters: ArticleFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions (on alias ``a``) and their parameters for ``filters``."""
    return shared.where(filters, TIMES, "?")


def get_article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    """The article with ``article_id``, or None."""
    row = conn.execute(_SELECT_ARTICLE + " WHERE a.id = ?", (article_id,)).fetchone()
    return None if row is None else row_article(row)


def list_articles(conn: sqlite3.Connection, filters: ArticleFilter, limit: int, offset: int) -> list[Article]:
    """Articles matching ``filters``, newest published first (unknown dates last), then newest stored."""
    if limit <= 0:
        return []
    clauses, params = where(filters)
    sql = _SELECT_ARTICLE + shared.where_sql(clauses) + _ORDER + " LIMIT ? OFFSET ?"
    return [row_article(row) for row in conn.execute(sql, (*params, limit, max(offset, 0)))]


def iter_articles(conn: sqlite3.Connection) -> Iterator[Article]:
    """Every stored article in the order stored (for rebuilds)."""
    cursor = conn.execute(_SELECT_ARTICLE + " ORDER BY a.seq")
    while rows := cursor.fetchmany(500):
        yield from (row_article(row) for row in rows)


def count_articles(conn: sqlite3.Connection, filters: ArticleFilter) -> int:
    """How many articles match ``filters``."""
    clauses, params = where(filters)
    row = conn.execute("SELECT COUNT(*) FROM articles AS a" + shared.where_sql(clauses), params).fetchone()
    return int(row[0])


def duplicates_of(conn: sqlite3.Connection, article_id: str) -> list[Article]:
    """Articles marked as copies of ``article_id``, in the order they were stored."""
    rows = conn.execute(_SELECT_ARTICLE + " WHERE a.duplicate_of = ? ORDER BY a.seq", (article_id,))
    return [row_article(row) for row in rows]


def search(
    conn: sqlite3.Connection, query: str, filters: ArticleFilter, limit: int, offset: int
) -> list[SearchHit]:
    """Full-text search, best first (BM25, title weighted); ``rank`` is higher for better hits."""
    expression = to_fts5(parse_query(query))
    if not expression or limit <= 0:
        return []
    clauses, params = where(filters)
    sql: str
    args: tuple[Any, ...]
    if clauses:
        sql = (
            f"SELECT {_COLUMNS}"
            + ", snippet(articles_fts, 1, '[', ']', '…', ?) AS snip"
            + ", bm25(articles_fts, ?, 1.0) AS score"
            + " FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid"
            + " WHERE articles_fts MATCH ?"
            + shared.where_sql(clauses, " AND ")
            + " ORDER BY score, a.seq DESC LIMIT ? OFFSET ?"
        )
        args = (SNIPPET_WORDS, TITLE_WEIGHT, expression, *params, limit, max(offset, 0))
    else:
        # Unfiltered: rank on the FTS index alone, then join and cut snippets for the page only
        # (the join over every match was two thirds of a common word's 90 ms at 100k articles).
        # CROSS JOIN fixes the order so the second MATCH is a rowid lookup, not a rescan.
        sql = (
            "WITH top AS (SELECT rowid AS rid, bm25(articles_fts, ?, 1.0) AS score FROM articles_fts"
            " WHERE articles_fts MATCH ? ORDER BY score, rowid DESC LIMIT ? OFFSET ?)"
            f" SELECT {_COLUMNS}, snippet(articles_fts, 1, '[', ']', '…', ?) AS snip, top.score"
            " FROM top CROSS JOIN articles_fts CROSS JOIN articles AS a"
            " WHERE articles_fts MATCH ? AND articles_fts.rowid = top.rid AND a.seq = top.rid"
            " ORDER BY top.score, a.seq DESC"
        )
        args = (TITLE_WEIGHT, expression, limit, max(offset, 0), SNIPPET_WORDS, expression)
    try:
        rows = conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:
        # Only FTS5 refusing the expression (which the parser should make impossible) is answered with
        # no hits; a locked, busy or broken store is an error for the caller to report.
        if not str(e).startswith(_FTS5_QUERY_ERRORS):
            raise
        LOGGER.warning("search: FTS5 refused %r (from %r): %s", expression, query, e)
        return []
    return [SearchHit(article=row_article(row), snippet=row[-2], rank=-row[-1]) for row in rows]


def list_rejections(conn: sqlite3.Connection, limit: int, offset: int) -> list[Rejection]:
    """Rejections, newest first."""
    if limit <= 0:
        return []
    rows = conn.execute(
        f"SELECT {shared.REJECTION_COLUMNS} FROM rejections ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        (limit, max(offset, 0)),
    )
    return [shared.rejection_row(row, TIMES) for row in rows]


def get_raw(conn: sqlite3.Connection, raw_id: str) -> RawDoc | None:
    """The raw input stored under ``raw_id``, or None."""
    row = conn.execute(f"SELECT {shared.RAW_COLUMNS} FROM raws WHERE raw_id = ?", (raw_id,)).fetchone()
    if row is None:
        return None
    return shared.raw_row(row)


def _counts(conn: sqlite3.Connection, sql: str, *params: Any) -> dict[str, int]:
    return {str(key): int(n) for key, n in conn.execute(sql, params)}


def stats(conn: sqlite3.Connection) -> dict[str, object]:
    """Counts for ``storyline stats`` (see ``StoryReader.stats``)."""

    def one(sql: str) -> Any:
        return conn.execute(sql).fetchone()[0]

    n_articles = int(one("SELECT COUNT(*) FROM articles"))
    n_duplicates = int(one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL"))
    by = "SELECT COALESCE({}, ?), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
    return {
        "n_articles": n_articles,
        "n_originals": n_articles - n_duplicates,
        "n_duplicates": n_duplicates,
        "n_rejections": int(one("SELECT COUNT(*) FROM rejections")),
        "n_raws": int(one("SELECT COUNT(*) FROM raws")),
        "by_language": _counts(conn, by.format("language"), UNKNOWN),
        "by_source": _counts(conn, by.format("source"), UNKNOWN),
        "by_agency": _counts(conn, by.format("agency"), UNKNOWN),
        "first_published_at": one("SELECT MIN(published_at) FROM articles"),
        "last_published_at": one("SELECT MAX(published_at) FROM articles"),
        "rejections_by_reason": _counts(
            conn, "SELECT stage || '/' || reason, COUNT(*) FROM rejections GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
    }


def existing_article_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are stored (looked up ``CHUNK`` at a time)."""
    unique = list(dict.fromkeys(ids))
    found: set[str] = set()
    for i in range(0, len(unique), CHUNK):
        chunk = unique[i : i + CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(row[0] for row in conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
    return found


def iter_minhashes(
    conn: sqlite3.Connection, since: datetime | None = None
) -> Iterator[tuple[str, str, bytes, datetime | None]]:
    """``(article_id, content_hash, signature, published_at)`` of stored originals published at or
    after ``since`` (every one when None; undated ones always), in the order stored."""
    # Only originals get a minhash row (the pipeline writes none for copies). With ``since`` the
    # rows are found through the articles' published_at index (CROSS JOIN keeps that order of the
    # loops; an OR or ORDER BY would scan every row), so only the window is read, then sorted here.
    select = (
        "SELECT m.rowid, m.article_id, m.content_hash, m.sig, a.published_at FROM articles AS a"
        " CROSS JOIN minhashes AS m ON m.article_id = a.id"
    )
    if since is None:
        rows: Iterator[Any] = conn.execute(select + " ORDER BY m.rowid")
    else:
        dated = conn.execute(select + " WHERE a.published_at >= ?", (to_iso(since),)).fetchall()
        rows = iter(sorted(dated + conn.execute(select + " WHERE a.published_at IS NULL").fetchall()))
    for _, article_id, content_hash, sig, published in rows:
        yield article_id, content_hash, sig, parse_at(published) if published else None


def original_with_hash(conn: sqlite3.Connection, content_hash: str) -> str | None:
    """The first stored original with ``content_hash`` (an index lookup)."""
    row = conn.execute(
        "SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY rowid LIMIT 1",
        (content_hash,),
    ).fetchone()
    return None if row is None else str(row[0])


def latest_published(conn: sqlite3.Connection) -> datetime | None:
    """The latest publication time stored (an index lookup)."""
    row = conn.execute("SELECT MAX(published_at) FROM articles").fetchone()
    return parse_at(row[0]) if row and row[0] else None
