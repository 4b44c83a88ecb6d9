"""Followed sources and their poll state in SQLite (table from migration ``0007_sources``).

Mixed into ``SqliteStore``. Configuration (name, interval, links, paused) and poll state are written
by different statements: the loop's ``save_source_state`` never touches ``paused``, so a source paused
from the CLI or the web while it is being polled stays paused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from storyline.model import Source
from storyline.store import rows as shared
from storyline.store.rows import SOURCE_COLUMNS
from storyline.store.sqlite_read import TIMES, to_iso

__all__ = ["SqliteSourceStore"]

_STATE = shared.source_state_sql("?")


class SqliteSourceStore:
    """The sources side of ``SqliteStore`` (mixed in)."""

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _transaction(self, work: Callable[[sqlite3.Connection], None]) -> None:
        raise NotImplementedError

    def add_source(self, source: Source) -> Source:
        """Store ``source``; one with the same id keeps its state and takes the new configuration."""
        s = source
        values = (
            s.id, s.url, s.name, s.every_s, int(s.fetch_links), int(s.paused), to_iso(s.created_at),
            *shared.source_state(s, TIMES),
        )  # fmt: skip

        def work(c: sqlite3.Connection) -> None:
            c.execute(
                f"INSERT INTO sources ({SOURCE_COLUMNS}) VALUES ({', '.join('?' * 16)})"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, every_s = excluded.every_s,"
                " fetch_links = excluded.fetch_links",
                values,
            )

        self._transaction(work)
        stored = self.get_source(source.id)
        assert stored is not None
        return stored

    def get_source(self, source_id: str) -> Source | None:
        row = (
            self._reader()
            .execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,))
            .fetchone()
        )
        return shared.source_row(row, TIMES) if row else None

    def list_sources(self) -> list[Source]:
        """Every source, oldest first."""
        rows = self._reader().execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY created_at, id")
        return [shared.source_row(r, TIMES) for r in rows]

    def due_sources(self, now: datetime, *, limit: int = 100) -> list[Source]:
        """Sources not paused whose next poll is at or before ``now`` (never polled first)."""
        rows = self._reader().execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources"
            " WHERE paused = 0 AND (next_due_at IS NULL OR next_due_at <= ?)"
            " ORDER BY next_due_at IS NOT NULL, next_due_at, created_at, id LIMIT ?",
            (to_iso(now), limit),
        )
        return [shared.source_row(r, TIMES) for r in rows]

    def remove_source(self, source_id: str) -> bool:
        found = self.get_source(source_id) is not None

        def work(c: sqlite3.Connection) -> None:
            c.execute("DELETE FROM sources WHERE id = ?", (source_id,))

        self._transaction(work)
        return found

    def set_source_paused(self, source_id: str, paused: bool) -> bool:
        """Pause or resume; resuming makes the source due at once. False when there is no such source."""
        found = self.get_source(source_id) is not None

        def work(c: sqlite3.Connection) -> None:
            if paused:
                c.execute("UPDATE sources SET paused = 1 WHERE id = ?", (source_id,))
            else:
                c.execute("UPDATE sources SET paused = 0, next_due_at = NULL WHERE id = ?", (source_id,))

        self._transaction(work)
        return found

    def save_source_state(self, source: Source) -> bool:
        """Write the poll state of ``source`` (never its configuration); False if it was removed."""
        found = self.get_source(source.id) is not None

        def work(c: sqlite3.Connection) -> None:
            c.execute(
                f"UPDATE sources SET {_STATE} WHERE id = ?", (*shared.source_state(source, TIMES), source.id)
            )

        self._transaction(work)
        return found
