"""Webhook delivery: each alert POSTed once as signed JSON, retried with backoff, every try logged.

The body is the alert as JSON (``alert_payload``). Headers:

- ``X-Storyline-Signature: sha256=<hex>``: HMAC-SHA256 of the exact body bytes with the
  watchlist's secret (absent when the watchlist has none); receivers recompute and compare it;
- ``X-Storyline-Delivery: <alert id>``: the same on every try of one alert, so a receiver can
  drop a repeat if our record of a success was lost (a crash between its 2xx and our commit).

``deliver_pending`` tries each undelivered alert up to ``max_attempts`` times, sleeping
``backoff * 2**n`` seconds between tries; every try is stored as a ``Delivery`` (status, error).
A 2xx answer ends the alert's deliveries; an alert whose tries all failed stays undelivered and is
tried again on the next call (never lost). HTTP goes through an injectable ``httpx`` transport.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from storyline.alerts.model import Alert, Delivery, Watchlist, WatchStore
from storyline.shapes import iso

__all__ = ["DeliveryStats", "alert_payload", "deliver_pending", "sign"]

LOGGER = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Storyline-Signature"
DELIVERY_HEADER = "X-Storyline-Delivery"


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC of body>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def alert_payload(alert: Alert, watchlist: Watchlist) -> dict[str, Any]:
    """The JSON object an alert is delivered as (also its shape in ``storyline alerts --json``)."""
    return {
        "id": alert.id,
        "watchlist_id": alert.watchlist_id,
        "watchlist": watchlist.name,
        "article_id": alert.article_id,
        "story_id": alert.story_id,
        "title": alert.title,
        "score": alert.score,
        "reasons": list(alert.reasons),
        "published_at": iso(alert.published_at),
        "created_at": iso(alert.created_at),
    }


@dataclass(slots=True)
class DeliveryStats:
    """What one ``deliver_pending`` call did."""

    delivered: int = 0
    failed: int = 0
    attempts: int = 0


def deliver_pending(
    store: WatchStore,
    *,
    transport: httpx.BaseTransport | None = None,
    max_attempts: int = 5,
    backoff: float = 0.5,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryStats:
    """POST every undelivered alert to its watchlist's webhook (see the module docstring)."""
    stats = DeliveryStats()
    pending = store.undelivered_alerts()
    if not pending:
        return stats
    with httpx.Client(transport=transport, timeout=timeout, follow_redirects=False) as client:
        for alert in pending:
            watchlist = store.get_watchlist(alert.watchlist_id)
            if watchlist is None or not watchlist.webhook_url:
                continue
            if _deliver_one(store, client, alert, watchlist, max_attempts, backoff, sleep, stats):
                stats.delivered += 1
            else:
                stats.failed += 1
    LOGGER.info(
        "alerts: webhook: %d delivered, %d failed (%d tries)", stats.delivered, stats.failed, stats.attempts
    )
    return stats


def _deliver_one(
    store: WatchStore,
    client: httpx.Client,
    alert: Alert,
    watchlist: Watchlist,
    max_attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
    stats: DeliveryStats,
) -> bool:
    body = json.dumps(alert_payload(alert, watchlist), ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", DELIVERY_HEADER: alert.id}
    if watchlist.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(watchlist.webhook_secret, body)
    done = len(store.list_deliveries(alert.id))
    for n in range(max_attempts):
        status: int | None = None
        error = ""
        try:
            response = client.post(watchlist.webhook_url or "", content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.HTTPError as e:
            error = f"{type(e).__name__}: {e}"
        stats.attempts += 1
        store.record_delivery(Delivery(alert.id, done + n + 1, not error, status, error))
        if not error:
            return True
        LOGGER.warning(
            "alerts: webhook %s for %s: %s (try %d)", watchlist.webhook_url, alert.id, error, n + 1
        )
        if n + 1 < max_attempts:
            sleep(backoff * 2**n)
    return False
