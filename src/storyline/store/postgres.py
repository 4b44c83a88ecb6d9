"""``PostgresStore`` (``postgres.v1``): the store on a PostgreSQL server, for many readers on many hosts.

- One writer connection, one transaction per ``write_batch`` (idempotent on ``Article.id``:
  ``ON CONFLICT DO NOTHING``); every write transaction bumps the ``meta`` version counter, which
  readers in any process compare (``version()``) to know whether anything changed.
- Readers: one autocommit connection per thread, so web server threads never queue behind each other.
- The schema comes from the named migrations in ``postgres_migrations`` (serialised by an advisory
  lock); the single-writer rule is ``postgres_lock``'s advisory lock, taken by the CLI, not here.
- Streams (``iter_articles``...) read keyset pages, so the per-thread connection is free between
  pages and a caller may query the store while it consumes one.

Every value goes in as a parameter; SQL text is only ever assembled from constants.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import psycopg
from psycopg import Cursor

from storyline.errors import StoreError
from storyline.model import Article, Batch, BoilerplateCount, RawDoc, Rejection, utc_now
from storyline.registry import register
from storyline.store import boilerplate_rows as boiler
from storyline.store import postgres_facts as facts
from storyline.store import postgres_read as read
from storyline.store import postgres_stories as stories
from storyline.store.postgres_activity import PostgresActivityReads
from storyline.store.postgres_lock import redact
from storyline.store.postgres_migrations import applied_migrations, apply_migrations, require_current
from storyline.store.postgres_read import Conn
from storyline.store.postgres_sentences import PostgresSentenceStore
from storyline.store.postgres_sources import PostgresSourceStore
from storyline.store.postgres_watch import PostgresWatchStore
from storyline.store.protocols import ArticleFilter, SearchHit
from storyline.store.sqlite_read import ARTICLE_COLUMNS

LOGGER = logging.getLogger(__name__)
_ALL = ArticleFilter()
T = TypeVar("T")
PAGE = 500

_INSERT_RAW = (
    "INSERT INTO raws (raw_id, origin, kind, url, hints, body, read_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (raw_id) DO NOTHING"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, fts)"
    f" VALUES ({', '.join(['%s'] * len(ARTICLE_COLUMNS))}, %s::tsvector) ON CONFLICT (id) DO NOTHING"
)
_INSERT_MINHASH = (
    "INSERT INTO minhashes (article_id, content_hash, sig)"
    " SELECT a.id, a.content_hash, %s FROM articles AS a WHERE a.id = %s AND a.duplicate_of IS NULL"
    " ON CONFLICT (article_id) DO NOTHING"
)
_UPSERT_REJECTION = (
    "INSERT INTO rejections (origin, stage, reason, detail, at, raw) VALUES (%s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (origin, stage, reason) DO UPDATE SET"
    " detail = excluded.detail, at = excluded.at, raw = COALESCE(excluded.raw, rejections.raw)"
)
_BUMP = "UPDATE meta SET value = value + 1 WHERE name = 'version'"


class StoreAbsent(StoreError):
    """The database exists but holds no Storyline store yet (read-only open)."""

    exit_code = 2


class PostgresStore(
    PostgresActivityReads,
    stories.PostgresStoryReads,
    facts.PostgresFactReads,
    PostgresWatchStore,
    PostgresSentenceStore,
    PostgresSourceStore,
):
    """The PostgreSQL store: ``Store`` (writer and reader), ``WatchStore``, ``SentenceRowStore`` and
    ``SourceStore``.

    ``readonly=True`` opens a fully migrated store for reading only (no writer connection, no
    migrations; writes raise ``StoreError``; ``StoreAbsent`` when the database has no store).
    """

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(f"PostgresStore needs a postgresql:// URL, got {redact(url)!r}")
        self.url = url
        self.label = redact(url)
        self.readonly = readonly
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[Conn] = []
        self._closed = False
        self._writer: Conn | None = None
        if readonly:
            conn = self._reader()
            try:
                if not applied_migrations(conn):
                    raise StoreAbsent(f"no store at {self.label}; run `storyline ingest` first")
                require_current(conn, self.label)
            except BaseException:
                self.close()
                raise
        else:
            self._writer = self._connect()
            try:
                apply_migrations(self._writer, self.label)
            except BaseException:
                self.close()
                raise

    def __repr__(self) -> str:
        return f"PostgresStore({self.label!r}, readonly={self.readonly})"

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- connections ---------------------------------------------------------------------------

    def _connect(self, *, read_only: bool = False) -> Conn:
        options = "-c TimeZone=UTC" + (" -c default_transaction_read_only=on" if read_only else "")
        try:
            conn: Conn = psycopg.connect(
                self.url, autocommit=True, options=options, application_name="storyline"
            )
        except psycopg.Error as e:
            raise StoreError(f"cannot open store {self.label}: {e}") from e
        read.register_text_adapters(conn)
        return conn

    def _reader(self) -> Conn:
        """This thread's read connection (opened on first use)."""
        if self._closed:
            raise StoreError(f"store {self.label} is closed")
        conn: Conn | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._connect(read_only=True)
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        """Close the writer and every reader connection (idempotent)."""
        with self._lock:
            self._closed = True
            connections = [*self._readers, *([self._writer] if self._writer is not None else [])]
            self._readers.clear()
            self._writer = None
        for conn in connections:
            try:
                conn.close()
            except psycopg.Error as e:
                LOGGER.debug("store: %s: closing a connection: %s", self.label, e)

    def version(self) -> int:
        """A counter every write transaction increments (the same in every process and replica)."""
        row = self._reader().execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        return int(row[0]) if row else 0

    # -- writer --------------------------------------------------------------------------------

    def write_batch(self, batch: Batch) -> None:
        """Store ``batch`` in one transaction; articles already stored are left as they are."""
        read_at = utc_now()
        raws = [(r.raw_id, r.origin, r.kind, r.url, _hints(r), bytes(r.body), read_at) for r in batch.raws]
        articles = [read.article_values(a) for a in batch.articles]
        minhashes = [(bytes(sig), article_id) for article_id, sig in batch.minhashes.items()]
        rejections = [
            (r.origin, r.stage, r.reason, r.detail, read.utc(r.at), None if r.raw is None else bytes(r.raw))
            for r in batch.rejections
        ]

        def write(cur: Cursor[Any]) -> None:
            cur.executemany(_INSERT_RAW, raws)
            cur.executemany(_INSERT_ARTICLE, articles)
            cur.executemany(_INSERT_MINHASH, minhashes)
            cur.executemany(_UPSERT_REJECTION, rejections)
            stories.write_stories(cur, batch)
            facts.write_facts(cur, batch)
            cur.executemany(_pg(boiler.UPSERT), boiler.upsert_params(batch.boilerplate))
            cur.executemany(_pg(boiler.DELETE), boiler.delete_params(batch.boilerplate))

        self._transaction(write)
        LOGGER.debug(
            "store: wrote %d articles, %d raws, %d rejections", len(articles), len(raws), len(rejections)
        )

    def clear_stories(self) -> None:
        """Forget every story and storyline decision and the boilerplate index (``storyline
        rebuild`` makes both again); articles stay."""

        def clear(cur: Cursor[Any]) -> None:
            stories.clear_stories(cur)
            cur.execute("TRUNCATE boilerplate_counts")

        self._transaction(clear)

    def iter_boilerplate(self, since: datetime | None = None) -> Iterator[BoilerplateCount]:
        """The boilerplate index's rows last seen at or after ``since`` (all when None; undated always)."""
        if since is None:
            return boiler.rows_of(self._reader().execute(_pg(boiler.SELECT)).fetchall())
        rows = self._reader().execute(_pg(boiler.SELECT_SINCE), (boiler.since_us(since),)).fetchall()
        return boiler.rows_of(rows)

    def _transaction(self, work: Callable[[Cursor[Any]], None]) -> None:
        """Run ``work`` in one transaction on the writer (rolled back on error), bumping the version."""
        if self.readonly:
            raise StoreError(f"store {self.label} is open read-only")
        with self._lock:
            writer = self._writer
            if writer is None:
                raise StoreError(f"store {self.label} is closed")
            try:
                with writer.transaction(), writer.cursor() as cur:
                    work(cur)
                    cur.execute(_BUMP)
            except psycopg.OperationalError as e:
                raise StoreError(f"store {self.label}: cannot write: {e}") from e

    def existing_article_ids(self, ids: Sequence[str]) -> set[str]:
        return read.existing_article_ids(self._reader(), ids)

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article in the order stored, a page at a time."""
        conn, after = self._reader(), 0
        while True:
            rows = conn.execute(
                f"SELECT a.seq, {read.SELECT_ARTICLE[7:]} WHERE a.seq > %s ORDER BY a.seq LIMIT %s",
                (after, PAGE),
            ).fetchall()
            yield from (read.row_article(r[1:]) for r in rows)
            if len(rows) < PAGE:
                return
            after = rows[-1][0]

    def iter_minhashes(
        self, since: datetime | None = None
    ) -> Iterator[tuple[str, str, bytes, datetime | None]]:
        """``(article_id, content_hash, signature, published_at)`` of stored originals published since
        ``since`` (all when None; undated always), oldest first."""
        conn, after, since = self._reader(), 0, read.utc(since)
        while True:
            rows = conn.execute(
                "SELECT m.seq, m.article_id, m.content_hash, m.sig, a.published_at FROM minhashes AS m"
                " JOIN articles AS a ON a.id = m.article_id WHERE m.seq > %s"
                " AND (%s::timestamptz IS NULL OR a.published_at IS NULL OR a.published_at >= %s)"
                " ORDER BY m.seq LIMIT %s",
                (after, since, since, PAGE),
            ).fetchall()
            for _, article_id, content_hash, sig, published in rows:
                yield article_id, content_hash, bytes(sig), read.utc(published)
            if len(rows) < PAGE:
                return
            after = rows[-1][0]

    def original_with_hash(self, content_hash: str) -> str | None:
        return read.original_with_hash(self._reader(), content_hash)

    def latest_published(self) -> datetime | None:
        return read.latest_published(self._reader())

    # -- reader --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        return read.get_article(self._reader(), article_id)

    def get_raw(self, raw_id: str) -> RawDoc | None:
        return read.get_raw(self._reader(), raw_id)

    def list_articles(
        self, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        """Articles matching ``filters``, newest published first, unknown dates last."""
        return read.list_articles(self._reader(), filters, limit, offset)

    def count_articles(self, filters: ArticleFilter = _ALL) -> int:
        return read.count_articles(self._reader(), filters)

    def duplicates_of(self, article_id: str) -> list[Article]:
        return read.duplicates_of(self._reader(), article_id)

    def search(
        self, query: str, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """Full-text search over title and text; any ``query`` is safe."""
        return read.search(self._reader(), query, filters, limit, offset)

    def list_rejections(self, *, limit: int = 50, offset: int = 0) -> list[Rejection]:
        return read.list_rejections(self._reader(), limit, offset)

    def stats(self) -> dict[str, object]:
        return read.stats(self._reader())


def _hints(raw: RawDoc) -> str:
    return json.dumps(dict(raw.hints), ensure_ascii=False, sort_keys=True)


@register("store", "postgres.v1")
def open_postgres_store(url: str = "", *, readonly: bool = False, **_: Any) -> PostgresStore:
    """Registry factory for ``postgres.v1``: ``create("store", "postgres.v1", url=settings.store_url)``."""
    return PostgresStore(url, readonly=readonly)


__all__ = ["PostgresStore", "StoreAbsent", "open_postgres_store"]


def _pg(sql: str) -> str:
    """``sql`` written with SQLite's ``?`` placeholders, in psycopg's ``%s``."""
    return sql.replace("?", "%s")
