"""Opening the store the settings name: the one seam every command, the web app and the engines use.

The setting ``store`` names the engine (``sqlite.v1``, ``postgres.v1``, or any other registered store
such as ``memory.v1``); empty, ``store_url`` set (``postgresql://...``, or ``--db postgresql://...``)
selects ``postgres.v1``, otherwise the SQLite file ``db`` (``sqlite.v1``). Every store is built here,
through ``registry.create("store", ...)`` (``store.lock`` builds SQLite stores through the same call).

- ``open_store(settings, readonly=...)``: the store itself, nothing else (creates and migrates a
  writable one).
- ``open_writer(settings)``: the store for writing with its single-writer lock held (``flock`` on
  ``<db>.lock`` for SQLite, ``pg_try_advisory_lock`` on a dedicated session for PostgreSQL); waits
  ``lock_timeout_s``, then ``StoreLocked`` (exit 2) naming the holder. ``.store``, ``.close()``.
- ``open_reader(settings)``: read-only; ``StoreMissing`` (exit 2) when there is no store, so a read
  creates nothing; an older schema is migrated under the writer lock first.
- ``writer_lock(settings)``: the lock alone (``try_acquire``/``acquire``/``release``, a context
  manager), for processes that write now and then (the web server's ingest, ``serve --follow``).
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from storyline.errors import MissingDependency
from storyline.settings import Settings
from storyline.store.factory import POSTGRES, SQLITE, create_file_store, create_store

if TYPE_CHECKING:
    from storyline.store.sqlite import SqliteStore

LOGGER = logging.getLogger(__name__)


class Lock(Protocol):
    """What both writer locks offer."""

    @property
    def held(self) -> bool: ...

    def try_acquire(self) -> bool: ...

    def acquire(self, timeout_s: float = 0.0) -> None: ...

    def release(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class Writer(Protocol):
    """A store opened for writing with its lock held until ``close``."""

    store: Any

    def close(self) -> None: ...


def is_postgres_url(value: str) -> bool:
    return value.startswith(("postgresql://", "postgres://"))


def store_name(settings: Settings) -> str:
    """The registry name of the store the settings select: ``store``, else from ``store_url``."""
    if settings.store:
        return settings.store
    return POSTGRES if settings.store_url else SQLITE


def _is_postgres(settings: Settings) -> bool:
    return store_name(settings) == POSTGRES


def store_label(settings: Settings) -> str:
    """Where the store is, for messages (a PostgreSQL URL without its password)."""
    if _is_postgres(settings):
        from storyline.store.postgres_lock import redact

        return redact(settings.store_url)
    return settings.db


def _load_postgres() -> None:
    """Import (and so register) ``postgres.v1``, or say which extra is missing."""
    try:
        import storyline.store.postgres  # noqa: F401
    except ImportError as e:
        raise MissingDependency(
            f"store_url is a PostgreSQL URL but psycopg is not installed ({e}); "
            "pip install 'storyline[scale]'"
        ) from e


def open_store(settings: Settings, *, readonly: bool = False) -> SqliteStore:
    """The store the settings select, through the registry (typed as the SQLite store, whose
    methods every store implements: the contract suites check it)."""
    name = store_name(settings)
    if name == POSTGRES:
        _load_postgres()
        return create_store(POSTGRES, readonly=readonly, url=settings.store_url)
    return create_file_store(settings.db, readonly=readonly, name=name)


def writer_lock(settings: Settings) -> Lock:
    """The single-writer lock of the store the settings select (not taken yet)."""
    if _is_postgres(settings):
        _load_postgres()
        from storyline.store.postgres_lock import PostgresWriterLock

        return PostgresWriterLock(settings.store_url)
    from storyline.store.lock import WriterLock

    return WriterLock(settings.db)


def open_writer(settings: Settings, *, timeout_s: float | None = None) -> Writer:
    """The store opened for writing with its writer lock held (see the module docstring)."""
    wait = settings.lock_timeout_s if timeout_s is None else timeout_s
    if not _is_postgres(settings):
        from storyline.store.lock import open_writer as open_sqlite_writer

        return open_sqlite_writer(settings.db, timeout_s=wait, name=store_name(settings))
    from storyline.store.postgres_lock import PostgresWriter

    lock = writer_lock(settings)
    lock.acquire(wait)
    try:
        store = open_store(settings)
    except BaseException:
        lock.release()
        raise
    return PostgresWriter(store, lock)  # type: ignore[arg-type]


def open_reader(settings: Settings, *, timeout_s: float | None = None) -> SqliteStore:
    """The store read-only; ``StoreMissing`` when there is none (see the module docstring)."""
    wait = settings.lock_timeout_s if timeout_s is None else timeout_s
    if not _is_postgres(settings):
        from storyline.store.lock import open_reader as open_sqlite_reader

        return open_sqlite_reader(settings.db, timeout_s=wait, name=store_name(settings))
    _load_postgres()
    from storyline.store.lock import StoreMissing
    from storyline.store.postgres import StoreAbsent
    from storyline.store.postgres_migrations import NeedsMigrations

    try:
        return open_store(settings, readonly=True)
    except StoreAbsent as e:
        raise StoreMissing(f"{e} or pass --db") from e
    except NeedsMigrations:
        LOGGER.info("store: %s: applying schema migrations before reading", store_label(settings))
    open_writer(settings, timeout_s=wait).close()
    return open_store(settings, readonly=True)


__all__ = [
    "POSTGRES",
    "SQLITE",
    "Lock",
    "Writer",
    "create_file_store",
    "is_postgres_url",
    "open_reader",
    "open_store",
    "open_writer",
    "store_label",
    "store_name",
    "writer_lock",
]
