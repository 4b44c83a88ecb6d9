"""Watchlists, alerts, deliveries and the alert cursor in PostgreSQL.

Mixed into ``PostgresStore`` (the statements of ``sqlite_watch``). An alert is stored at most once per
watchlist and article (``ON CONFLICT DO NOTHING`` on that pair).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from psycopg import Cursor

from storyline.model import Alert, Delivery, Watchlist, utc_now
from storyline.store import rows as shared
from storyline.store.postgres_read import TIMES, Conn, utc
from storyline.store.rows import ALERT_COLUMNS, DELIVERY_COLUMNS, WATCHLIST_COLUMNS

__all__ = ["PostgresWatchStore"]

Work = Callable[[Cursor[Any]], None]


class PostgresWatchStore:
    """The watch side of ``PostgresStore`` (mixed in)."""

    def _reader(self) -> Conn:
        raise NotImplementedError

    def _transaction(self, work: Work) -> None:
        raise NotImplementedError

    def _write(self, sql: str, params: Sequence[Any], *, many: bool = False) -> None:
        def work(cur: Cursor[Any]) -> None:
            if many:
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params)

        self._transaction(work)

    # -- watchlists ------------------------------------------------------------------------------

    def add_watchlist(self, watchlist: Watchlist) -> None:
        """Store ``watchlist`` (replacing one with the same id)."""
        values = shared.watchlist_values(watchlist, TIMES)
        updates = ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in WATCHLIST_COLUMNS.split(",")[1:])
        self._write(
            f"INSERT INTO watchlists ({WATCHLIST_COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}",
            values,
        )

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None:
        sql = f"SELECT {WATCHLIST_COLUMNS} FROM watchlists WHERE id = %s"
        row = self._reader().execute(sql, (watchlist_id,)).fetchone()
        return shared.watchlist_row(row, TIMES) if row else None

    def list_watchlists(self) -> list[Watchlist]:
        rows = self._reader().execute(
            f'SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY created_at, id COLLATE "C"'
        )
        return [shared.watchlist_row(r, TIMES) for r in rows]

    def remove_watchlist(self, watchlist_id: str) -> bool:
        """Forget a watchlist, its alerts and their deliveries."""
        found = self.get_watchlist(watchlist_id) is not None

        def work(cur: Cursor[Any]) -> None:
            cur.execute(
                "DELETE FROM deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE watchlist_id = %s)",
                (watchlist_id,),
            )
            cur.execute("DELETE FROM alerts WHERE watchlist_id = %s", (watchlist_id,))
            cur.execute("DELETE FROM watchlists WHERE id = %s", (watchlist_id,))

        self._transaction(work)
        return found

    def mark_visited(self, watchlist_id: str, at: datetime) -> None:
        self._write("UPDATE watchlists SET last_visit_at = %s WHERE id = %s", (utc(at), watchlist_id))

    # -- alerts ----------------------------------------------------------------------------------

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store the alerts not stored yet; return those that were new."""
        added: list[Alert] = []

        def work(cur: Cursor[Any]) -> None:
            for a in alerts:
                cur.execute(
                    f"INSERT INTO alerts ({ALERT_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})"
                    " ON CONFLICT DO NOTHING",
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
            f"SELECT {ALERT_COLUMNS} FROM alerts WHERE (%s::text IS NULL OR watchlist_id = %s)"
            " AND (%s::timestamptz IS NULL OR created_at >= %s) ORDER BY seq DESC LIMIT %s OFFSET %s",
            (watchlist_id, watchlist_id, utc(since), utc(since), max(limit, 0), max(offset, 0)),
        )
        return [shared.alert_row(r, TIMES) for r in rows]

    # -- deliveries ------------------------------------------------------------------------------

    def record_delivery(self, delivery: Delivery) -> None:
        d = delivery
        self._write(
            f"INSERT INTO deliveries ({DELIVERY_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (alert_id, attempt) DO UPDATE SET ok = excluded.ok, status = excluded.status,"
            " error = excluded.error, at = excluded.at",
            (d.alert_id, d.attempt, bool(d.ok), d.status, d.error, utc(d.at)),
        )

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]:
        rows = self._reader().execute(
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries"
            ' WHERE (%s::text IS NULL OR alert_id = %s) ORDER BY at, alert_id COLLATE "C", attempt',
            (alert_id, alert_id),
        )
        return [shared.delivery_row(r, TIMES) for r in rows]

    def undelivered_alerts(self) -> list[Alert]:
        cols = ", ".join(f"a.{c.strip()}" for c in ALERT_COLUMNS.split(","))
        rows = self._reader().execute(
            f"SELECT {cols} FROM alerts AS a JOIN watchlists AS w ON w.id = a.watchlist_id"
            " WHERE w.webhook_url IS NOT NULL AND w.webhook_url != ''"
            " AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.alert_id = a.id AND d.ok)"
            " ORDER BY a.seq"
        )
        return [shared.alert_row(r, TIMES) for r in rows]

    # -- the alert cursor ------------------------------------------------------------------------

    def get_cursor(self, name: str) -> int | None:
        row = self._reader().execute("SELECT seq FROM cursors WHERE name = %s", (name,)).fetchone()
        return int(row[0]) if row else None

    def set_cursor(self, name: str, seq: int) -> None:
        self._write(
            "INSERT INTO cursors (name, seq, at) VALUES (%s, %s, %s) ON CONFLICT (name) DO UPDATE"
            " SET seq = GREATEST(cursors.seq, excluded.seq), at = excluded.at",
            (name, seq, utc_now()),
        )

    def articles_after(self, seq: int, *, limit: int = 1000) -> list[tuple[int, str]]:
        rows = self._reader().execute(
            "SELECT seq, id FROM articles WHERE seq > %s ORDER BY seq LIMIT %s", (seq, max(limit, 0))
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def last_seq(self) -> int:
        row = self._reader().execute("SELECT max(seq) FROM articles").fetchone()
        return int(row[0] or 0) if row else 0
