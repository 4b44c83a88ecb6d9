"""One writer per PostgreSQL store: ``pg_try_advisory_lock`` held on a dedicated session.

The reason is the SQLite store's (``storyline.store.lock``): a writer keeps the assigner, the dedup
index and the entity resolver in memory across many transactions, so a second writer would write
from a stale picture. The lock is a session-level advisory lock (scoped to the database) taken on a
connection opened only for it and held for the writer's whole life; PostgreSQL drops it when that
session ends, so a killed writer leaves no stale lock. The session's ``application_name`` carries
the holder's pid and host, which a second writer reads from ``pg_stat_activity`` to name it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import psycopg

from storyline.errors import StoreError
from storyline.store.lock import POLL_S, StoreLocked

LOGGER = logging.getLogger(__name__)

WRITER_LOCK = 0x5354_4F52_594C_5752  # "STORYLWR"
_APP = "storyline-writer"


def redact(url: str) -> str:
    """``url`` without its password (for messages and logs)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unparsable url)"
    host = info.get("host") or "localhost"
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{host}/{info.get('dbname') or ''}"


class PostgresWriterLock:
    """The advisory writer lock of one PostgreSQL store (same interface as ``WriterLock``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.label = redact(url)
        self._conn: psycopg.Connection[Any] | None = None
        self._pid = 0

    def __repr__(self) -> str:
        return f"PostgresWriterLock({self.label!r}, held={self.held})"

    @property
    def held(self) -> bool:
        return self._conn is not None and self._pid == os.getpid()

    def _connect(self) -> psycopg.Connection[Any]:
        name = f"{_APP} pid={os.getpid()} host={socket.gethostname()}"[:63]
        try:
            return psycopg.connect(self.url, autocommit=True, application_name=name)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to {self.label} for the writer lock: {e}") from e

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (and nothing held) when another session has it."""
        if self.held:
            return True
        conn = self._connect()
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()
        except psycopg.Error as e:
            conn.close()
            raise StoreError(f"cannot take the writer lock of {self.label}: {e}") from e
        if not row or not row[0]:
            conn.close()
            return False
        self._conn, self._pid = conn, os.getpid()
        return True

    def acquire(self, timeout_s: float = 0.0) -> None:
        """Take the lock, waiting up to ``timeout_s`` seconds; ``StoreLocked`` names the holder."""
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                holder, who = self.holder()
                waited = f" (waited {timeout_s:g} s)" if timeout_s > 0 else ""
                raise StoreLocked(
                    f"store {self.label} is being written by {who}{waited}; only one writer at a time "
                    "(wait for it to finish, or raise --set lock_timeout_s SECONDS)",
                    holder=holder,
                )
            time.sleep(POLL_S)
        LOGGER.debug("lock: %s taken by process %d", self.label, os.getpid())

    def release(self) -> None:
        """Let go of the lock (idempotent): closing the session releases it."""
        conn, self._conn = self._conn, None
        if conn is None or self._pid != os.getpid():  # a forked child never closes its parent's session
            return
        with contextlib.suppress(psycopg.Error):
            conn.close()

    def holder(self) -> tuple[int | None, str]:
        """The holder's client pid (when it is a Storyline writer) and a description of it."""
        key_hi, key_lo = WRITER_LOCK >> 32, WRITER_LOCK & 0xFFFFFFFF
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                row = conn.execute(
                    "SELECT a.application_name, host(a.client_addr), a.pid FROM pg_locks AS l"
                    " JOIN pg_stat_activity AS a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.classid::bigint = %s AND l.objid::bigint = %s"
                    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    (key_hi, key_lo),
                ).fetchone()
        except psycopg.Error:
            return None, "another process"
        if row is None:
            return None, "another process"
        app, addr, backend = row
        fields = dict(part.split("=", 1) for part in str(app or "").split() if "=" in part)
        pid = int(fields["pid"]) if fields.get("pid", "").isdigit() else None
        if pid is None:
            return None, f"another session (server backend {backend})"
        return pid, f"process {pid} on {fields.get('host') or addr or 'a local host'}"

    def __enter__(self) -> PostgresWriterLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


@dataclass
class PostgresWriter:
    """A PostgreSQL store opened for writing with its writer lock held until ``close``."""

    store: Any
    lock: PostgresWriterLock

    def close(self) -> None:
        try:
            self.store.close()
        finally:
            self.lock.release()


__all__ = ["WRITER_LOCK", "PostgresWriter", "PostgresWriterLock", "redact"]
