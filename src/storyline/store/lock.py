"""One writer per store: an advisory lock on a sidecar file, ``<db>.lock``.

Why not SQLite's own locking: SQLite serialises *transactions*, but a Storyline writer keeps state
in memory *across* many of them (the story assigner, the dedup index and the entity resolver are
restored from the store once, at start, and then each batch is written from that memory). Two
writers would each restore, then each write batches from their own stale picture, silently
overwriting each other's story states. So the lock is held for the whole life of a writer, not per
transaction: ``fcntl.flock`` on ``<db>.lock``, which the kernel drops when the process dies (no
stale lock after ``kill -9``), with the holder's pid written into the file so that a second writer
can say who holds it.

The API (``storyline follow`` and every CLI command that writes use it):

- ``open_writer(db, timeout_s=...) -> WriterStore``: takes the lock (waiting up to ``timeout_s``
  seconds, then raising ``StoreLocked``, CLI exit 2), then opens the store for writing (creating
  and migrating it). ``WriterStore.store`` is the ``SqliteStore``; ``WriterStore.close()`` closes
  the store, then releases the lock. Use it as a context manager.
- ``open_reader(db) -> SqliteStore``: the store read-only; ``StoreMissing`` (exit 2) when there is
  no database at ``db``, so a read creates nothing. A store that needs migrations is migrated
  under the writer lock first.
- ``WriterLock(db)``: the lock alone, for a process that keeps a writable store open but writes
  only now and then (the web server takes it around each ingest request, with ``try_acquire``).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from storyline.errors import StoreError
from storyline.store.factory import SQLITE, create_file_store
from storyline.store.migrations import pending_migrations
from storyline.store.sqlite import SqliteStore

LOGGER = logging.getLogger(__name__)

POLL_S = 0.05


class StoreLocked(StoreError):
    """Another process holds the store's writer lock (CLI exit 2; API 503 with Retry-After)."""

    exit_code = 2

    def __init__(self, message: str, *, holder: int | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class StoreMissing(StoreError):
    """A read was asked of a store that does not exist (CLI exit 2)."""

    exit_code = 2


_HELD: set[int] = set()
"""Descriptors of the writer locks this process holds."""


def _drop_in_child() -> None:
    """A forked child (a pool worker) must not keep its parent's lock alive: ``flock`` belongs to the
    open file, which the child shares, so a worker outliving a SIGKILLed parent would hold the store
    locked. Closing the child's copies leaves the parent's lock as it is."""
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_in_child)


def lock_path(db: str | Path) -> Path:
    """The sidecar lock file of the database at ``db``."""
    return Path(f"{db}.lock")


class WriterLock:
    """The advisory writer lock of one store (``flock`` on ``<db>.lock``).

    Not re-entrant: two ``WriterLock`` objects on one store exclude each other even inside one
    process (``flock`` belongs to the open file), which is what the web server relies on.
    """

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        self.path = lock_path(db)
        self._fd: int | None = None
        self._pid = 0

    def __repr__(self) -> str:
        return f"WriterLock({str(self.path)!r}, held={self.held})"

    @property
    def held(self) -> bool:
        return self._fd is not None and self._pid == os.getpid()

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (and nothing held) when another holder has it."""
        if self.held:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise StoreError(f"cannot open the writer lock {self.path}: {e.strerror}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as e:
            os.close(fd)
            raise StoreError(f"cannot lock {self.path}: {e.strerror}") from e
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd, self._pid = fd, os.getpid()
        _HELD.add(fd)
        return True

    def acquire(self, timeout_s: float = 0.0) -> None:
        """Take the lock, waiting up to ``timeout_s`` seconds; ``StoreLocked`` names the holder."""
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                holder = self.holder()
                who = f"process {holder}" if holder else "another process"
                waited = f" (waited {timeout_s:g} s)" if timeout_s > 0 else ""
                raise StoreLocked(
                    f"store {self.db} is being written by {who}{waited}; only one writer at a time "
                    "(wait for it to finish, or raise --set lock_timeout_s SECONDS)",
                    holder=holder,
                )
            time.sleep(POLL_S)
        LOGGER.debug("lock: %s taken by process %d", self.path, os.getpid())

    def release(self) -> None:
        """Let go of the lock (idempotent). The file stays: removing it would race a new holder."""
        fd, self._fd = self._fd, None
        if fd is None or self._pid != os.getpid():  # a forked child: its copy is closed already
            return
        _HELD.discard(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last descriptor releases the flock

    def holder(self) -> int | None:
        """The pid written by the current holder, when one can be read."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


@dataclass
class WriterStore:
    """A store opened for writing with its writer lock held until ``close``."""

    store: SqliteStore
    lock: WriterLock

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            self.lock.release()

    def __enter__(self) -> WriterStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_writer(db: str | Path, *, timeout_s: float = 0.0, name: str = SQLITE) -> WriterStore:
    """The store at ``db`` opened for writing (created and migrated as needed), its lock held.

    Raises ``StoreLocked`` when another process still holds the lock after ``timeout_s`` seconds."""
    lock = WriterLock(db)
    lock.acquire(timeout_s)
    try:
        store = create_file_store(db, name=name)
    except BaseException:
        lock.release()
        raise
    return WriterStore(store, lock)


def open_reader(db: str | Path, *, timeout_s: float = 0.0, name: str = SQLITE) -> SqliteStore:
    """The store at ``db`` read-only; ``StoreMissing`` when there is none (nothing is created).

    An older store whose schema needs migrations is migrated first, under the writer lock (waiting
    up to ``timeout_s``), since migrating is writing."""
    path = Path(db)
    if not path.is_file():
        raise StoreMissing(f"no store at {path}; run `storyline ingest` first or pass --db")
    try:
        return create_file_store(path, readonly=True, name=name)
    except StoreError:
        if not _needs_migrations(path):
            raise
    LOGGER.info("store: %s: applying schema migrations before reading", path)
    open_writer(path, timeout_s=timeout_s, name=name).close()
    return create_file_store(path, readonly=True, name=name)


def _needs_migrations(path: Path) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)) as conn:
            return bool(pending_migrations(conn, str(path)))
    except sqlite3.Error:
        return False
