"""The watch side of ``MemoryStore``: the same behaviour as ``sqlite_watch``, in dicts."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from datetime import datetime

from storyline.model import Alert, Delivery, Watchlist

__all__ = ["MemoryWatchStore"]


class MemoryWatchStore:
    """Mixed into ``MemoryStore``, which provides ``_lock`` and ``_seq`` (article id -> position)."""

    _lock: threading.RLock
    _seq: dict[str, int]

    def _init_watch(self) -> None:
        self._watchlists: dict[str, Watchlist] = {}
        self._alerts: dict[str, Alert] = {}
        self._alert_pairs: set[tuple[str, str]] = set()
        self._deliveries: dict[tuple[str, int], Delivery] = {}
        self._cursors: dict[str, int] = {}

    def add_watchlist(self, watchlist: Watchlist) -> None:
        with self._lock:
            self._watchlists[watchlist.id] = watchlist

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None:
        with self._lock:
            return self._watchlists.get(watchlist_id)

    def list_watchlists(self) -> list[Watchlist]:
        with self._lock:
            return sorted(self._watchlists.values(), key=lambda w: (w.created_at, w.id))

    def remove_watchlist(self, watchlist_id: str) -> bool:
        with self._lock:
            found = self._watchlists.pop(watchlist_id, None) is not None
            gone = {a.id for a in self._alerts.values() if a.watchlist_id == watchlist_id}
            self._alerts = {k: v for k, v in self._alerts.items() if k not in gone}
            self._alert_pairs = {p for p in self._alert_pairs if p[0] != watchlist_id}
            self._deliveries = {k: v for k, v in self._deliveries.items() if k[0] not in gone}
            return found

    def mark_visited(self, watchlist_id: str, at: datetime) -> None:
        with self._lock:
            w = self._watchlists.get(watchlist_id)
            if w is not None:
                self._watchlists[watchlist_id] = dataclasses.replace(w, last_visit_at=at)

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        added: list[Alert] = []
        with self._lock:
            for a in alerts:
                pair = (a.watchlist_id, a.article_id)
                if pair not in self._alert_pairs and a.id not in self._alerts:
                    self._alert_pairs.add(pair)
                    self._alerts[a.id] = a
                    added.append(a)
        return added

    def list_alerts(
        self,
        *,
        watchlist_id: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Alert]:
        with self._lock:
            found = [
                a
                for a in reversed(self._alerts.values())
                if (watchlist_id is None or a.watchlist_id == watchlist_id)
                and (since is None or a.created_at >= since)
            ]
        return found[offset : offset + limit]

    def record_delivery(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries[(delivery.alert_id, delivery.attempt)] = delivery

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]:
        with self._lock:
            found = [d for d in self._deliveries.values() if alert_id is None or d.alert_id == alert_id]
        return sorted(found, key=lambda d: (d.at, d.alert_id, d.attempt))

    def undelivered_alerts(self) -> list[Alert]:
        with self._lock:
            delivered = {d.alert_id for d in self._deliveries.values() if d.ok}
            return [
                a
                for a in self._alerts.values()
                if a.id not in delivered
                and (w := self._watchlists.get(a.watchlist_id)) is not None
                and w.webhook_url
            ]

    def get_cursor(self, name: str) -> int | None:
        with self._lock:
            return self._cursors.get(name)

    def set_cursor(self, name: str, seq: int) -> None:
        with self._lock:
            self._cursors[name] = max(seq, self._cursors.get(name, seq))

    def articles_after(self, seq: int, *, limit: int = 1000) -> list[tuple[int, str]]:
        with self._lock:
            found = sorted((s, a) for a, s in self._seq.items() if s > seq)
        return found[:limit]

    def last_seq(self) -> int:
        with self._lock:
            return max(self._seq.values(), default=0)
