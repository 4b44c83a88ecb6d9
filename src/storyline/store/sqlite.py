"""``SqliteStore``: the embedded store (``sqlite.v1``), one file, safe to read while the pipeline writes.

- WAL journal, ``synchronous=FULL`` (a committed batch survives ``kill -9`` and power loss), foreign
  keys on, a busy timeout instead of instant "database is locked".
- One writer: a single connection behind a lock, one ``BEGIN IMMEDIATE ... COMMIT`` per batch.
- Readers: one read-only connection per thread (``file:...?mode=ro``), so a web server can read
  while the pipeline writes.
- The schema comes from the named migrations in ``storyline.store.migrations``.

Every value goes in as a ``?`` parameter; SQL text is only ever assembled from constants.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from storyline.errors import StoreError
from storyline.model import Article, Batch, BoilerplateCount, RawDoc, Rejection, utc_now
from storyline.registry import register
from storyline.store import boilerplate_rows as boiler
from storyline.store import sqlite_facts as facts
from storyline.store import sqlite_read as read
from storyline.store import sqlite_stories as stories
from storyline.store.migrations import apply_migrations, pending_migrations
from storyline.store.protocols import ArticleFilter, SearchHit
from storyline.store.sqlite_sentences import SqliteSentenceStore
from storyline.store.sqlite_sources import SqliteSourceStore
from storyline.store.sqlite_watch import SqliteWatchStore

LOGGER = logging.getLogger(__name__)
_ALL = ArticleFilter()
T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536
WAL_AUTOCHECKPOINT_PAGES = 4_000
"""Checkpoint after ~16 MB of WAL: index pages dirtied by several batches are copied back once."""
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

_INSERT_RAW = (
    "INSERT OR IGNORE INTO raws (raw_id, origin, kind, url, hints, body, read_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(read.ARTICLE_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(read.ARTICLE_COLUMNS))}) ON CONFLICT (id) DO NOTHING"
)
_INSERT_MINHASH = (
    "INSERT OR IGNORE INTO minhashes (article_id, content_hash, sig)"
    " SELECT a.id, a.content_hash, ? FROM articles AS a WHERE a.id = ? AND a.duplicate_of IS NULL"
)  # only originals are indexed for near-copy detection, so iter_minhashes needs no join
_UPSERT_REJECTION = (
    "INSERT INTO rejections (origin, stage, reason, detail, at, raw) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (origin, stage, reason) DO UPDATE SET"
    " detail = excluded.detail, at = excluded.at, raw = COALESCE(excluded.raw, rejections.raw)"
)


_BUMP_VERSION = "UPDATE meta SET value = value + 1 WHERE name = 'version'"


class SqliteStore(
    stories.SqliteStoryReads, facts.SqliteFactReads, SqliteWatchStore, SqliteSentenceStore, SqliteSourceStore
):
    """The SQLite store: ``Store`` (writer and reader) over one database file.

    ``readonly=True`` opens an existing, fully migrated database for reading only (no writer
    connection, no migrations, ``write_batch`` raises ``StoreError``).
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        if str(path) in ("", ":memory:") or str(path).startswith("file:"):
            raise StoreError(f"SqliteStore needs a database file path, got {str(path)!r}; use MemoryStore")
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False
        self._writer: sqlite3.Connection | None = None
        if readonly:
            if not self.path.is_file():
                raise StoreError(f"database {self.path} does not exist")
            pending = self._guard(lambda: pending_migrations(self._reader(), str(self.path)))
            if pending:
                self.close()
                raise StoreError(
                    f"database {self.path} needs schema migrations ({', '.join(pending)}); "
                    "open it once for writing (any storyline command, e.g. `storyline stats`, migrates it"
                    " first)"
                )
        else:
            self._writer = self._guard(self._connect_writer)

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r}, readonly={self.readonly})"

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- connections ---------------------------------------------------------------------------

    def _guard(self, opener: Callable[[], T]) -> T:
        """Run ``opener``; on failure close what was opened and raise ``StoreError``."""
        try:
            return opener()
        except StoreError:
            self.close()
            raise
        except sqlite3.Error as e:
            self.close()
            raise StoreError(f"cannot open database {self.path}: {e}") from e

    def _connect_writer(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                LOGGER.warning("store: %s: journal_mode is %s, not WAL; readers may block", self.path, mode)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}")
            apply_migrations(conn, str(self.path))
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_reader(self) -> sqlite3.Connection:
        uri = self.path.absolute().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError as e:
            LOGGER.debug("store: %s: read-only URI refused (%s); using query_only", self.path, e)
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection (opened on first use)."""
        if self._closed:
            raise StoreError(f"store {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect_reader()
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
            conn.close()

    def version(self) -> int:
        """A counter every write transaction increments, the same for every process reading the file."""
        row = self._reader().execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        return int(row[0]) if row else 0

    # -- writer --------------------------------------------------------------------------------

    def write_batch(self, batch: Batch) -> None:
        """Store ``batch`` in one transaction; articles already stored are left as they are."""
        read_at = read.to_iso(utc_now())
        raws = [_raw_values(raw, read_at) for raw in batch.raws]
        articles = [read.article_values(article) for article in batch.articles]
        minhashes = [(bytes(sig), article_id) for article_id, sig in batch.minhashes.items()]
        rejections = [_rejection_values(rejection) for rejection in batch.rejections]

        def write(writer: sqlite3.Connection) -> None:
            writer.executemany(_INSERT_RAW, raws)
            writer.executemany(_INSERT_ARTICLE, articles)
            writer.executemany(_INSERT_MINHASH, minhashes)
            writer.executemany(_UPSERT_REJECTION, rejections)
            stories.write_stories(writer, batch)
            facts.write_facts(writer, batch)
            writer.executemany(boiler.UPSERT, boiler.upsert_params(batch.boilerplate))
            writer.executemany(boiler.DELETE, boiler.delete_params(batch.boilerplate))

        self._transaction(write)
        LOGGER.debug(
            "store: wrote %d articles, %d raws, %d rejections", len(articles), len(raws), len(rejections)
        )

    def clear_stories(self) -> None:
        """Forget every story and storyline decision and the boilerplate index (``storyline
        rebuild`` makes both again); articles stay."""

        def clear(writer: sqlite3.Connection) -> None:
            stories.clear_stories(writer)
            writer.execute("DELETE FROM boilerplate_counts")

        self._transaction(clear)

    def iter_boilerplate(self, since: datetime | None = None) -> Iterator[BoilerplateCount]:
        """The boilerplate index's rows last seen at or after ``since`` (all when None; undated always)."""
        if since is None:
            return boiler.rows_of(self._reader().execute(boiler.SELECT).fetchall())
        rows = self._reader().execute(boiler.SELECT_SINCE, (boiler.since_us(since),)).fetchall()
        return boiler.rows_of(rows)

    def _transaction(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``work`` on the writer in one ``BEGIN IMMEDIATE ... COMMIT`` (rolled back on error)."""
        if self.readonly:
            raise StoreError(f"store {self.path} is open read-only")
        with self._lock:
            writer = self._writer
            if writer is None:
                raise StoreError(f"store {self.path} is closed")
            try:
                writer.execute("BEGIN IMMEDIATE")
                try:
                    work(writer)
                    writer.execute(_BUMP_VERSION)
                    writer.execute("COMMIT")
                except BaseException:
                    if writer.in_transaction:
                        writer.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as e:
                raise StoreError(f"database {self.path}: cannot write batch: {e}") from e

    def existing_article_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are already stored."""
        return read.existing_article_ids(self._reader(), ids)

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article in the order stored (for rebuilds); read lazily, consume it whole."""
        return read.iter_articles(self._reader())

    def iter_minhashes(
        self, since: datetime | None = None
    ) -> Iterator[tuple[str, str, bytes, datetime | None]]:
        """``(article_id, content_hash, signature, published_at)`` of stored originals published
        since ``since`` (all when None; undated always), oldest first."""
        return read.iter_minhashes(self._reader(), since)

    def original_with_hash(self, content_hash: str) -> str | None:
        """The first stored original with ``content_hash``, or None."""
        return read.original_with_hash(self._reader(), content_hash)

    def latest_published(self) -> datetime | None:
        """The latest ``published_at`` stored."""
        return read.latest_published(self._reader())

    # -- reader --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """The article with ``article_id``, or None."""
        return read.get_article(self._reader(), article_id)

    def get_raw(self, raw_id: str) -> RawDoc | None:
        """The raw input stored under ``raw_id`` (``RawDoc.raw_id``), or None."""
        return read.get_raw(self._reader(), raw_id)

    def list_articles(
        self, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[Article]:
        """Articles matching ``filters``, newest published first, unknown dates last."""
        return read.list_articles(self._reader(), filters, limit, offset)

    def count_articles(self, filters: ArticleFilter = _ALL) -> int:
        """How many articles match ``filters``."""
        return read.count_articles(self._reader(), filters)

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Articles whose ``duplicate_of`` is ``article_id``, in the order stored."""
        return read.duplicates_of(self._reader(), article_id)

    def search(
        self, query: str, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """Full-text search over title and text; any ``query`` is safe."""
        return read.search(self._reader(), query, filters, limit, offset)

    def list_rejections(self, *, limit: int = 50, offset: int = 0) -> list[Rejection]:
        """Rejections, newest first."""
        return read.list_rejections(self._reader(), limit, offset)

    def stats(self) -> dict[str, object]:
        """Counts of articles, duplicates, rejections and raws, by language/source/agency/reason."""
        return read.stats(self._reader())


def _raw_values(raw: RawDoc, read_at: str | None) -> tuple[Any, ...]:
    hints = json.dumps(dict(raw.hints), ensure_ascii=False, sort_keys=True)
    return (raw.raw_id, raw.origin, raw.kind, raw.url, hints, bytes(raw.body), read_at)


def _rejection_values(rejection: Rejection) -> tuple[Any, ...]:
    return (
        rejection.origin, rejection.stage, rejection.reason, rejection.detail,
        read.to_iso(rejection.at), rejection.raw,
    )  # fmt: skip


@register("store", "sqlite.v1")
def open_sqlite_store(path: str | Path = "storyline.db", *, readonly: bool = False) -> SqliteStore:
    """Registry factory for ``sqlite.v1``: ``create("store", "sqlite.v1", path=settings.db)``."""
    return SqliteStore(path, readonly=readonly)


__all__ = ["SqliteStore", "open_sqlite_store"]
