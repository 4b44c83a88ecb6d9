"""The values of watchlists and alerts, and the store interface that keeps them.

A ``Watchlist`` is a query over entities (canonical names or aliases), keywords and meaning (an
example text); each kind that is given must match (AND), any item of a kind will do (OR). An
``Alert`` is one match of a watchlist by one stored article, at most one per pair. A
``Delivery`` is one webhook attempt for one alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from storyline.model import stable_id, utc_now

__all__ = ["Alert", "Delivery", "WatchStore", "Watchlist", "alert_id", "watchlist_id"]

Spans = tuple[tuple[int, int], ...]


def watchlist_id(name: str) -> str:
    """The id of the watchlist named ``name`` (names are unique)."""
    return stable_id(name.strip().casefold(), prefix="w")


def alert_id(watchlist: str, article_id: str) -> str:
    """The id of the alert ``watchlist`` raises for ``article_id`` (one per pair, ever)."""
    return stable_id(watchlist, article_id, prefix="al")


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A standing query; ``threshold`` is the cosine an article needs to the ``example`` text.

    ``example_vector`` is the example's embedder row (float32 bytes), made once when it is added.
    ``webhook_secret`` is where the signing secret is (``env:NAME`` or ``file:PATH``, see
    ``alerts.secrets``), not the secret itself; a bare value is an older store's plain secret.
    ``webhook_url`` is a credential for many receivers: show it only through ``redact_url``.
    """

    id: str
    name: str
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    example: str = ""
    threshold: float = 0.5
    webhook_url: str | None = None
    webhook_secret: str | None = None
    example_vector: bytes | None = None
    created_at: datetime = field(default_factory=utc_now)
    last_visit_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored article that matched a watchlist; ``reasons`` say which parts matched."""

    id: str
    watchlist_id: str
    article_id: str
    story_id: str | None
    score: float
    reasons: tuple[str, ...]
    title: str
    published_at: datetime | None = None
    created_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook attempt: ``ok`` when the receiver answered 2xx; ``error`` says why not."""

    alert_id: str
    attempt: int
    ok: bool
    status: int | None = None
    error: str = ""
    at: datetime = field(default_factory=utc_now)


@runtime_checkable
class WatchStore(Protocol):
    """What watchlists, alerts and their deliveries need from a store."""

    def add_watchlist(self, watchlist: Watchlist) -> None: ...

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None: ...

    def list_watchlists(self) -> list[Watchlist]: ...

    def remove_watchlist(self, watchlist_id: str) -> bool:
        """Forget a watchlist and its alerts; False if there was none."""
        ...

    def mark_visited(self, watchlist_id: str, at: datetime) -> None: ...

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store the alerts not stored yet (one per watchlist and article); return those."""
        ...

    def list_alerts(
        self,
        *,
        watchlist_id: str | None = None,
        since: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Alert]:
        """Alerts, newest first; ``since``: created at or after."""
        ...

    def record_delivery(self, delivery: Delivery) -> None: ...

    def list_deliveries(self, alert_id: str | None = None) -> list[Delivery]: ...

    def undelivered_alerts(self) -> list[Alert]:
        """Alerts of watchlists with a webhook that no attempt delivered yet, oldest first."""
        ...

    def get_cursor(self, name: str) -> int | None: ...

    def set_cursor(self, name: str, seq: int) -> None: ...

    def articles_after(self, seq: int, *, limit: int = 1000) -> list[tuple[int, str]]:
        """``(seq, article_id)`` of articles stored after position ``seq``, in stored order."""
        ...

    def last_seq(self) -> int:
        """The position of the last stored article (0 when none)."""
        ...

    def get_sentence_vectors(
        self, article_ids: Sequence[str], embedder: str
    ) -> dict[str, tuple[Spans, bytes]]: ...

    def put_sentence_vectors(self, embedder: str, rows: Mapping[str, tuple[Spans, bytes]]) -> None: ...
