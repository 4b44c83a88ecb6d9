"""Webhook delivery in the follow loop's process: a background thread and a per-endpoint breaker.

The thread calls ``alerts.webhook.deliver_pending`` (signing, payload and delivery log stay there)
with one try per alert and pass, so one dead receiver never holds the loop or the other receivers
in blocking retries: retrying is the breaker's job.

``CircuitBreaker``: after ``threshold`` consecutive failures an endpoint (a webhook URL) is *open*
and skipped for ``cooldown_s``; then it is *half-open*: one alert is tried; a success closes it, a
failure opens it for another cool-down. Alerts skipped meanwhile stay undelivered (never lost): the
store keeps them until a try succeeds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import httpx

from storyline.alerts.webhook import DeliveryStats, deliver_pending
from storyline.model import Alert, Delivery, Watchlist
from storyline.outbound import redact_url
from storyline.settings import Settings
from storyline.store import WatchStore

__all__ = ["CircuitBreaker", "WebhookWorker"]

LOGGER = logging.getLogger(__name__)


@dataclass
class _Endpoint:
    failures: int = 0
    opened_at: float | None = None


class CircuitBreaker:
    """Per-endpoint state: closed, open (skipped) or half-open (one probe)."""

    def __init__(
        self, *, threshold: int = 3, cooldown_s: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self.clock = clock
        self._lock = threading.Lock()
        self._endpoints: dict[str, _Endpoint] = {}

    def __repr__(self) -> str:
        return f"CircuitBreaker(threshold={self.threshold}, cooldown_s={self.cooldown_s})"

    def state(self, endpoint: str) -> str:
        """``closed``, ``open`` or ``half_open``."""
        with self._lock:
            e = self._endpoints.get(endpoint)
            if e is None or e.opened_at is None:
                return "closed"
            return "half_open" if self.clock() >= e.opened_at + self.cooldown_s else "open"

    def success(self, endpoint: str) -> None:
        with self._lock:
            self._endpoints.pop(endpoint, None)

    def failure(self, endpoint: str) -> None:
        half_open = self.state(endpoint) == "half_open"
        with self._lock:
            e = self._endpoints.setdefault(endpoint, _Endpoint())
            e.failures += 1
            if half_open or e.failures >= self.threshold:
                if e.opened_at is None or half_open:
                    LOGGER.warning(
                        "alerts: webhook %s failed %d times in a row: skipped for %.0f s",
                        redact_url(endpoint),  # the URL is the credential (Slack, Teams...)
                        e.failures,
                        self.cooldown_s,
                    )
                e.opened_at = self.clock()


class _BreakerView:
    """The store as ``deliver_pending`` sees it: alerts of open endpoints hidden, half-open ones
    reduced to one probe, and each recorded try reported to the breaker. Everything else is the
    store's own (``__getattr__``), so the view keeps up with ``WatchStore`` as it grows."""

    def __init__(self, store: WatchStore, breaker: CircuitBreaker) -> None:
        self._store = store
        self._breaker = breaker
        self._endpoint_of: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def undelivered_alerts(self) -> list[Alert]:
        chosen: list[Alert] = []
        probed: set[str] = set()
        urls: dict[str, str | None] = {}
        for alert in self._store.undelivered_alerts():
            if alert.watchlist_id not in urls:
                watchlist = self._store.get_watchlist(alert.watchlist_id)
                urls[alert.watchlist_id] = watchlist.webhook_url if watchlist else None
            url = urls[alert.watchlist_id]
            if not url:
                continue
            state = self._breaker.state(url)
            if state == "open" or (state == "half_open" and url in probed):
                continue
            probed.add(url)
            self._endpoint_of[alert.id] = url
            chosen.append(alert)
        return chosen

    def get_watchlist(self, watchlist_id: str) -> Watchlist | None:
        """None for a watchlist whose endpoint opened during this pass: its alerts wait."""
        watchlist = self._store.get_watchlist(watchlist_id)
        if (
            watchlist is not None
            and watchlist.webhook_url
            and self._breaker.state(watchlist.webhook_url) == "open"
        ):
            return None
        return watchlist

    def record_delivery(self, delivery: Delivery) -> None:
        self._store.record_delivery(delivery)
        endpoint = self._endpoint_of.get(delivery.alert_id)
        if endpoint is not None:
            (self._breaker.success if delivery.ok else self._breaker.failure)(endpoint)


class WebhookWorker:
    """Delivers pending alerts every ``interval_s`` (or as soon as ``wake`` is called) in a thread.

    ``settings``: its ``allow_private_networks`` and ``user_agent`` go to ``deliver_pending``."""

    def __init__(
        self,
        store: WatchStore,
        *,
        settings: Settings | None = None,
        breaker: CircuitBreaker | None = None,
        interval_s: float = 30.0,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.breaker = breaker or CircuitBreaker()
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.transport = transport
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"WebhookWorker(interval_s={self.interval_s}, breaker={self.breaker!r})"

    def deliver_once(self) -> DeliveryStats:
        """One pass over the undelivered alerts (one try each, open endpoints skipped)."""
        view = cast(WatchStore, _BreakerView(self.store, self.breaker))
        return deliver_pending(
            view, settings=self.settings, transport=self.transport, max_attempts=1, timeout=self.timeout_s
        )

    def wake(self) -> None:
        """Deliver soon (new alerts were raised)."""
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="storyline-webhooks", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the current pass."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.store.list_watchlists():
                    self.deliver_once()
            except Exception:  # a store or network surprise must not end delivery for months
                LOGGER.exception("alerts: webhook pass failed; trying again in %.0f s", self.interval_s)
            self._wake.wait(self.interval_s)
            self._wake.clear()
