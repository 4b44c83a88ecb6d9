"""Webhook delivery: each alert POSTed once as signed JSON, retried with backoff, every try logged.

The body is the alert as JSON (``alert_payload``). Headers:

- ``X-Storyline-Timestamp: <unix seconds>`` and ``X-Storyline-Signature: t=<same>,v1=<hex>``, where
  ``hex`` is HMAC-SHA256, keyed with the watchlist's secret, of ``"<t>." + body`` (Stripe's scheme;
  absent when the watchlist has no secret). Signing the time stops a captured request from being
  replayed later: ``verify_signature`` (copy it into a receiver) refuses a timestamp more than
  ``tolerance_s`` (300) away from the receiver's clock. Each try is signed afresh.
- ``X-Storyline-Delivery: <alert id>``: the same on every try of one alert, so a receiver can
  drop a repeat if our record of a success was lost (a crash between its 2xx and our commit).

The secret is read at each delivery from the reference the store keeps (``alerts.secrets``). The
URL goes through ``storyline.outbound`` (private addresses refused unless allowed, no redirects
followed, each try bounded by ``timeout`` seconds in all) and is logged only redacted: for Slack,
Discord or Teams the URL is the credential. Only the receiver's status line and headers are read,
never its body (a 300 MB answer costs nothing).

``deliver_pending`` tries each undelivered alert up to ``max_attempts`` times, sleeping
``backoff * 2**n`` seconds between tries; every try is stored as a ``Delivery`` (status, error).
A 2xx answer ends the alert's deliveries; an alert whose tries all failed stays undelivered and is
tried again on the next call (never lost). A refused address or an unreadable secret is not retried
within the call. HTTP goes through an injectable ``httpx`` transport (used as given, unguarded).
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

from storyline import outbound
from storyline.alerts.secrets import SecretUnavailable, resolve_secret
from storyline.model import Alert, Delivery, Watchlist, iso
from storyline.settings import Settings
from storyline.store import WatchStore

__all__ = ["DeliveryStats", "alert_payload", "deliver_pending", "sign", "verify_signature"]

LOGGER = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Storyline-Signature"
TIMESTAMP_HEADER = "X-Storyline-Timestamp"
DELIVERY_HEADER = "X-Storyline-Delivery"
TOLERANCE_S = 300


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """``t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>." + body>``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance_s: float = TOLERANCE_S, now: float | None = None
) -> bool:
    """Whether ``header`` (``X-Storyline-Signature``) signs ``body`` with ``secret``, recently.

    For receivers: it needs only the standard library (``hashlib``, ``hmac``, ``time``), so copy it.
    ``body`` must be the raw request bytes, before any JSON parsing. A timestamp more than
    ``tolerance_s`` seconds from ``now`` (default: this clock) is refused, so a captured request
    cannot be replayed later; several ``v1=`` values (during a key change) are accepted if any fits.
    """
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


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


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to try one call's deliveries."""

    transport: httpx.BaseTransport
    user_agent: str
    max_attempts: int
    backoff: float
    timeout: float
    sleep: Callable[[float], None]


def deliver_pending(
    store: WatchStore,
    *,
    settings: Settings | None = None,
    transport: httpx.BaseTransport | None = None,
    max_attempts: int = 5,
    backoff: float = 0.5,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryStats:
    """POST every undelivered alert to its watchlist's webhook (see the module docstring).

    ``settings``: its ``allow_private_networks`` and ``user_agent`` (defaults when None).
    ``timeout``: seconds one try may take in all (connect, send, answer).
    """
    stats = DeliveryStats()
    pending = store.undelivered_alerts()
    if not pending:
        return stats
    settings = settings or Settings()
    own = transport is None
    transport = transport or outbound.GuardedTransport.from_settings(settings)
    try:
        plan = _Plan(transport, settings.user_agent, max_attempts, backoff, timeout, sleep)
        for alert in pending:
            watchlist = store.get_watchlist(alert.watchlist_id)
            if watchlist is None or not watchlist.webhook_url:
                continue
            if _deliver_one(store, plan, alert, watchlist, stats):
                stats.delivered += 1
            else:
                stats.failed += 1
    finally:
        if own:
            transport.close()
    LOGGER.info(
        "alerts: webhook: %d delivered, %d failed (%d tries)", stats.delivered, stats.failed, stats.attempts
    )
    return stats


def _deliver_one(
    store: WatchStore, plan: _Plan, alert: Alert, watchlist: Watchlist, stats: DeliveryStats
) -> bool:
    url = watchlist.webhook_url or ""
    shown = outbound.redact_url(url)
    body = json.dumps(alert_payload(alert, watchlist), ensure_ascii=False, sort_keys=True).encode("utf-8")
    done = len(store.list_deliveries(alert.id))
    for n in range(plan.max_attempts):
        status: int | None = None
        final = False
        try:
            headers = _headers(alert, watchlist, body, plan.user_agent)
            with outbound.deadline(plan.timeout):
                status = _post(plan, url, body, headers)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except (outbound.BlockedAddress, SecretUnavailable) as e:
            error, final = str(e), True  # the same next second: not worth a retry now
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as e:  # UnicodeError: a bad IDNA host
            error = f"{type(e).__name__}: {e}"
        error = error.replace(url, shown or "") if url else error  # the URL may be the credential
        stats.attempts += 1
        store.record_delivery(Delivery(alert.id, done + n + 1, not error, status, error))
        if not error:
            return True
        LOGGER.warning("alerts: webhook %s for %s: %s (try %d)", shown, alert.id, error, n + 1)
        if final:
            return False
        if n + 1 < plan.max_attempts:
            plan.sleep(plan.backoff * 2**n)
    return False


def _headers(alert: Alert, watchlist: Watchlist, body: bytes, user_agent: str) -> dict[str, str]:
    """The request headers, signed now with the secret read now."""
    headers = {"Content-Type": "application/json", "User-Agent": user_agent, DELIVERY_HEADER: alert.id}
    secret = resolve_secret(watchlist.webhook_secret)
    if secret:
        timestamp = int(time.time())
        headers[TIMESTAMP_HEADER] = str(timestamp)
        headers[SIGNATURE_HEADER] = sign(secret, body, timestamp)
    return headers


def _post(plan: _Plan, url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST and return the status; the answer's body is never read (the connection is dropped).

    Straight to the transport, not through an ``httpx.Client``: the client logs every request's
    full URL (at INFO), and a webhook needs none of its features (redirects are not followed).
    """
    request = httpx.Request("POST", url, content=body, headers=headers)
    request.extensions["timeout"] = dict.fromkeys(("connect", "read", "write", "pool"), plan.timeout)
    response = plan.transport.handle_request(request)
    try:
        return response.status_code
    finally:
        response.close()
