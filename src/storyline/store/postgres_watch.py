"""Watchlists, alerts, deliveries and the alert cursor in PostgreSQL.

Mixed into ``PostgresStore`` (the statements of ``sqlite_watch``). An alert is stored at most once per
watchlist and article (``ON CONFLICT DO NOTHING`` on that pair).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from psycopg import Cursor

from storyline.model import Alert, Delivery, Watchlist, utc_now
from storyline.store.postgres_read import Conn, utc

__all__ = ["PostgresWatchStore"]

Work = Callable[[Cursor[Any]], None]

_WATCHLIST_COLUMNS = (
    "id, name, entities, keywords, example, threshold, webhook_url, webhook_secret, example_vector,"
    " created_at, last_visit_at"
)
_ALERT_COLUMNS = "id, watchlist_id, article_id, story_id, score, reasons, title, published_at, created_at"


def _watchlist(row: Sequence[Any]) -> Watchlist:
    return Watchlist(
        id=row[0], name=row[1], entities=tuple(json.loads(row[2])), keywords=tuple(json.loads(row[3])),
        example=row[4], threshold=float(row[5]), webhook_url=row[6], webhook_secret=row[7],
        example_vector=None if row[8] is None else bytes(row[8]), created_at=cast(datetime, utc(row[9])),
        last_visit_at=utc(row[10]),
    )  # fmt: skip


def _alert(row: Sequence[Any]) -> Alert:
    return Alert(
        id=row[0], watchlist_id=row[1], article_id=row[2], story_id=row[3], score=float(row[4]),
        reasons=tuple(json.loads(row[5])), title=row[6], published_at=utc(row[7]),
        created_at=cast(datetime, utc(row[8])),
    )  # fmt: skip


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
        w = watchlist
        values = (
            w.id, w.name, json.dumps(list(w.entities), ensure_ascii=False),
            json.dumps(list(w.keywords), ensure_ascii=False), w.example, w.threshold, w.webhook_url,
            w.webhook_secret, None if w.example_vector is None else bytes(w.example_vector),
            utc(w.created_at), utc(w.last_visit_at),
        )  # fmt: skip
        updates = ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in _WATCHLIST_COLUMNS.split(",")[1:])
        self._write(
            f"INSERT INTO watchlists ({_WATCHLIST_COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}",
            values,
        )

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None:
        sql = f"SELECT {_WATCHLIST_COLUMNS} FROM watchlists WHERE id = %s"
        row = self._reader().execute(sql, (watchlist_id,)).fetchone()
        return _watchlist(row) if row else None

    def list_watchlists(self) -> list[Watchlist]:
        rows = self._reader().execute(
            f'SELECT {_WATCHLIST_COLUMNS} FROM watchlists ORDER BY created_at, id COLLATE "C"'
        )
        return [_watchlist(r) for r in rows]

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
                    f"INSERT INTO alerts ({_ALERT_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})"
                    " ON CONFLICT DO NOTHING",
                    (
                        a.id, a.watchlist_id, a.article_id, a.story_id, a.score, json.dumps(list(a.reasons)),
                        a.title, utc(a.published_at), utc(a.created_at),
                    ),
                )  # fmt: skip
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
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE (%s::text IS NULL OR watchlist_id = %s)"
            " AND (%s::timestamptz IS NULL OR created_at >= %s) ORDER BY seq DESC LIMIT %s OFFSET %s",
            (watchlist_id, watchlist_id, utc(since), utc(since), max(limit, 0), max(offset, 0)),
        )
        return [_alert(r) for r in rows]

    # -- deliveries ------------------------------------------------------------------------------

    def record_delivery(self, delivery: Delivery) -> None:
        d = delivery
        self._write(
            "INSERT INTO deliveries (alert_id, attempt, ok, status, error, at)"
            " VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (alert_id, attempt) DO UPDATE SET ok = excluded.ok, status = excluded.status,"
            " error = excluded.error, at = excluded.at",
            (d.alert_id, d.attempt, bool(d.ok), d.status, d.error, utc(d.at)),
        )

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]:
        rows = self._reader().execute(
            "SELECT alert_id, attempt, ok, status, error, at FROM deliveries"
            ' WHERE (%s::text IS NULL OR alert_id = %s) ORDER BY at, alert_id COLLATE "C", attempt',
            (alert_id, alert_id),
        )
        return [Delivery(r[0], int(r[1]), bool(r[2]), r[3], r[4], cast(datetime, utc(r[5]))) for r in rows]

    def undelivered_alerts(self) -> list[Alert]:
        cols = ", ".join(f"a.{c.strip()}" for c in _ALERT_COLUMNS.split(","))
        rows = self._reader().execute(
            f"SELECT {cols} FROM alerts AS a JOIN watchlists AS w ON w.id = a.watchlist_id"
            " WHERE w.webhook_url IS NOT NULL AND w.webhook_url != ''"
            " AND NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.alert_id = a.id AND d.ok)"
            " ORDER BY a.seq"
        )
        return [_alert(r) for r in rows]

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
