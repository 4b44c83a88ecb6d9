"""Watchlists, alerts, webhook deliveries and the alert cursor in SQLite.

Mixed into ``SqliteStore`` (tables from migration ``0005_watchlists_alerts``). Writes go through
the store's one writer transaction; an alert is stored at most once per watchlist and article
(``INSERT OR IGNORE`` on that pair), so re-evaluating articles never duplicates alerts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from storyline.model import Alert, Delivery, Watchlist
from storyline.store import rows as shared
from storyline.store.rows import ALERT_COLUMNS, DELIVERY_COLUMNS, WATCHLIST_COLUMNS
from storyline.store.sqlite_read import TIMES, to_iso

__all__ = ["SqliteWatchStore"]


class SqliteWatchStore:
    """The watch side of ``SqliteStore`` (mixed in)."""

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _transaction(self, work: Callable[[sqlite3.Connection], None]) -> None:
        raise NotImplementedError

    def _write(self, sql: str, params: Sequence[Any], *, many: bool = False) -> None:
        """One statement (``many``: once per parameter row) in one write transaction."""

        def work(c: sqlite3.Connection) -> None:
            if many:
                c.executemany(sql, params)
            else:
                c.execute(sql, params)

        self._transaction(work)

    # -- watchlists ------------------------------------------------------------------------------

    def add_watchlist(self, watchlist: Watchlist) -> None:
        """Store ``watchlist`` (replacing one with the same id)."""
        values = shared.watchlist_values(watchlist, TIMES)
        self._write(
            f"INSERT OR REPLACE INTO watchlists ({WATCHLIST_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None:
        row = (
            self._reader()
            .execute(f"SELECT {WATCHLIST_COLUMNS} FROM watchlists WHERE id = ?", (watchlist_id,))
            .fetchone()
        )
        return shared.watchlist_row(row, TIMES) if row else None

    def list_watchlists(self) -> list[Watchlist]:
        rows = self._reader().execute(f"SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY created_at, id")
        return [shared.watchlist_row(r, TIMES) for r in rows]

    def remove_watchlist(self, watchlist_id: str) -> bool:
        """Forget a watchlist, its alerts and their deliveries."""
        found = self.get_watchlist(watchlist_id) is not None

        def work(c: sqlite3.Connection) -> None:
            c.execute(
                "DELETE FROM deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE watchlist_id = ?)",
                (watchlist_id,),
            )
            c.execute("DELETE FROM alerts WHERE watchlist_id = ?", (watchlist_id,))
            c.execute("DELETE FROM watchlists WHERE id = ?", (watchlist_id,))

        self._transaction(work)
        return found

    def mark_visited(self, watchlist_id: str, at: datetime) -> None:
        self._write("UPDATE watchlists SET last_visit_at = ? WHERE id = ?", (to_iso(at), watchlist_id))

    # -- alerts ----------------------------------------------------------------------------------

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store the alerts not stored yet; return those that were new."""
        added: list[Alert] = []

        def work(c: sqlite3.Connection) -> None:
            for a in alerts:
                cur = c.execute(
                    f"INSERT OR IGNORE INTO alerts ({ALERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    shared.alert_values(a, TIMES),
                )
                if cur.rowcount:
                    added.append(a)

        if alerts:
            self._transaction(work)
        return added

    def list_alerts(
        self,
        *,
        watchlist_id: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts, newest first."""
        rows = self._reader().execute(
            f"SELECT {ALERT_COLUMNS} FROM alerts WHERE (? IS NULL OR watchlist_id = ?)"
            " AND (? IS NULL OR created_at >= ?) ORDER BY seq DESC LIMIT ? OFFSET ?",
            (watchlist_id, watchlist_id, to_iso(since), to_iso(since), limit, offset),
        )
        return [shared.alert_row(r, TIMES) for r in rows]

    # -- deliveries ------------------------------------------------------------------------------

    def record_delivery(self, delivery: Delivery) -> None:
        d = delivery
        self._write(
            f"INSERT OR REPLACE INTO deliveries ({DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (d.alert_id, d.attempt, int(d.ok), d.status, d.error, to_iso(d.at)),
        )

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]:
        rows = self._reader().execute(
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE (? IS NULL OR alert_id = ?)"
            " ORDER BY at, alert_id, attempt",
            (alert_id, alert_id),
        )
        return [shared.delivery_row(r, TIMES) for r in rows]

    def undelivered_alerts(self) -> list[Alert]:
        cols = ", ".join(f"a.{c.strip()}" for c in ALERT_COLUMNS.split(","))
        rows = self._reader().execute(
            f"SELECT {cols} FROM alerts AS a JOIN watchlists AS w ON w.id = a.watchlist_id"
            " WHERE w.webhook_url IS NOT NULL AND w.webhook_url != ''"
            " AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.alert_id = a.id AND d.ok = 1)"
            " ORDER BY a.seq"
        )
        return [shared.alert_row(r, TIMES) for r in rows]

    # -- the alert cursor ------------------------------------------------------------------------

    def get_cursor(self, name: str) -> int | None:
        row = self._reader().execute("SELECT seq FROM cursors WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else None

    def set_cursor(self, name: str, seq: int) -> None:
        from storyline.model import utc_now

        self._write(
            "INSERT INTO cursors (name, seq, at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET seq = MAX(seq, excluded.seq), at = excluded.at",
            (name, seq, to_iso(utc_now())),
        )

    def articles_after(self, seq: int, *, limit: int = 1000) -> list[tuple[int, str]]:
        rows = self._reader().execute(
            "SELECT seq, id FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def last_seq(self) -> int:
        row = self._reader().execute("SELECT MAX(seq) FROM articles").fetchone()
        return int(row[0] or 0)
