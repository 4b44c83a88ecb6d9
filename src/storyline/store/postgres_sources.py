"""Followed sources and their poll state in PostgreSQL (the statements of ``sqlite_sources``).

Configuration and poll state are written by different statements: ``save_source_state`` never touches
``paused``, so a source paused from the CLI or the web while it is polled stays paused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from psycopg import Cursor

from storyline.model import Source
from storyline.store import rows as shared
from storyline.store.postgres_read import TIMES, Conn, utc
from storyline.store.rows import SOURCE_COLUMNS

__all__ = ["PostgresSourceStore"]

_STATE = shared.source_state_sql("%s")


class PostgresSourceStore:
    """The sources side of ``PostgresStore`` (mixed in)."""

    def _reader(self) -> Conn:
        raise NotImplementedError

    def _transaction(self, work: Callable[[Cursor[Any]], None]) -> None:
        raise NotImplementedError

    def add_source(self, source: Source) -> Source:
        """Store ``source``; one with the same id keeps its state and takes the new configuration."""
        s = source
        values = (
            s.id,
            s.url,
            s.name,
            s.every_s,
            bool(s.fetch_links),
            bool(s.paused),
            utc(s.created_at),
            *shared.source_state(s, TIMES),
        )

        def work(cur: Cursor[Any]) -> None:
            cur.execute(
                f"INSERT INTO sources ({SOURCE_COLUMNS}) VALUES ({', '.join(['%s'] * 16)})"
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
            .execute(f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = %s", (source_id,))
            .fetchone()
        )
        return shared.source_row(row, TIMES) if row else None

    def list_sources(self) -> list[Source]:
        """Every source, oldest first."""
        rows = self._reader().execute(
            f'SELECT {SOURCE_COLUMNS} FROM sources ORDER BY created_at, id COLLATE "C"'
        )
        return [shared.source_row(r, TIMES) for r in rows]

    def due_sources(self, now: datetime, *, limit: int = 100) -> list[Source]:
        """Sources not paused whose next poll is at or before ``now`` (never polled first)."""
        rows = self._reader().execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources"
            " WHERE NOT paused AND (next_due_at IS NULL OR next_due_at <= %s)"
            ' ORDER BY next_due_at IS NOT NULL, next_due_at, created_at, id COLLATE "C" LIMIT %s',
            (utc(now), max(limit, 0)),
        )
        return [shared.source_row(r, TIMES) for r in rows]

    def remove_source(self, source_id: str) -> bool:
        found = self.get_source(source_id) is not None

        def work(cur: Cursor[Any]) -> None:
            cur.execute("DELETE FROM sources WHERE id = %s", (source_id,))

        self._transaction(work)
        return found

    def set_source_paused(self, source_id: str, paused: bool) -> bool:
        """Pause or resume; resuming makes the source due at once. False when there is no such source."""
        found = self.get_source(source_id) is not None

        def work(cur: Cursor[Any]) -> None:
            if paused:
                cur.execute("UPDATE sources SET paused = true WHERE id = %s", (source_id,))
            else:
                cur.execute(
                    "UPDATE sources SET paused = false, next_due_at = NULL WHERE id = %s", (source_id,)
                )

        self._transaction(work)
        return found

    def save_source_state(self, source: Source) -> bool:
        """Write the poll state of ``source`` (never its configuration); False if it was removed."""
        found = self.get_source(source.id) is not None

        def work(cur: Cursor[Any]) -> None:
            cur.execute(
                f"UPDATE sources SET {_STATE} WHERE id = %s", (*shared.source_state(source, TIMES), source.id)
            )

        self._transaction(work)
        return found
