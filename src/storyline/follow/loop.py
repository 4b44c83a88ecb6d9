"""The follow loop: poll the sources that are due, feed what they hold to the pipeline, save state.

- The pipeline's ``Components`` (dedup index, story assigner, entity resolver) are restored from the
  store once per loop process, on the first poll that brings items, and reused across polls; they are
  restored again only when another writer added articles meanwhile (the store's last position moved),
  or after a run failed half-way.
- Every poll's outcome is saved on its source at once (``save_source_state``), so a loop stopped at any
  point (SIGTERM, a deploy, a crash) resumes where it stopped: nothing lives only in memory but the
  politeness clock and the robots cache.
- ``stop()`` (SIGTERM/SIGINT in ``storyline follow``) lets the current poll and its batch finish.
- Runs use one process (``workers=1``): the loop shares its process with threads (webhooks, and the
  web server under ``serve --follow``), and forking a threaded process is unsafe.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

import httpx

from storyline.batching import RunStats
from storyline.follow.hosts import MAX_HOST_WAIT_S, HostGate, host_of
from storyline.follow.poll import Poller, PollOutcome
from storyline.follow.robots import RobotsCache
from storyline.follow.schedule import Backoff
from storyline.follow.webhooks import WebhookWorker
from storyline.ingest.fetch import Fetched, Fetcher
from storyline.model import Batch, RawDoc, Rejection, Source, utc_now
from storyline.pipeline import Components, run
from storyline.settings import Settings
from storyline.store import SourceStore, StoryWriter, WatchStore

__all__ = ["FollowLoop", "FollowStore", "PollReport"]

LOGGER = logging.getLogger(__name__)

LOCK_RETRY_S = 5.0
"""How soon a source put off because another writer held the store is tried again."""
IDLE_MAX_S = 30.0
"""The longest the loop sleeps without looking at the store (sources added or resumed meanwhile)."""


class FollowStore(StoryWriter, SourceStore, Protocol):
    """What the loop needs: the pipeline's writer side and the sources."""


class PollLock(Protocol):
    """The store's writer lock (``storyline.store.lock.WriterLock``), taken around each poll when the
    loop shares a store with other writers (``serve --follow``)."""

    def try_acquire(self) -> bool: ...

    def release(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll of one source did (``storyline follow --json`` prints these)."""

    source_id: str
    url: str
    status: int | None
    new_items: int
    error: str = ""
    not_modified: bool = False
    deferred: bool = False

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


class FollowLoop:
    """Polls due sources of ``store`` into the pipeline. Clock, sleep and jitter are injectable."""

    def __init__(
        self,
        store: FollowStore,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        webhooks: WebhookWorker | None = None,
        lock: PollLock | None = None,
        components: Callable[[Settings, StoryWriter], Components] = Components.for_store,
    ) -> None:
        self.store = store
        self.settings = settings.replace(workers=1)
        self.clock = clock
        self.monotonic = monotonic
        self._stop = threading.Event()
        self.sleep = sleep or self._wait
        self.backoff = Backoff(rng=rng or random.Random())
        self.gate = HostGate(settings.follow_host_delay_s, clock=monotonic, sleep=sleep or time.sleep)
        self.fetcher = Fetcher(settings=self.settings, transport=transport)
        self.robots = RobotsCache(self._polite_get, self.settings.user_agent, clock=monotonic)
        self.poller = Poller(self.fetcher, self.gate, self.robots, store, self.settings, clock=clock)
        self.webhooks = webhooks
        self.lock = lock
        self.make_components = components
        self.restores = 0
        self._components: Components | None = None
        self._mark_after: int | None = None

    def __repr__(self) -> str:
        return f"FollowLoop(store={self.store!r}, gate={self.gate!r})"

    def stop(self) -> None:
        """Finish the current poll and its batch, then return from ``run``."""
        self._stop.set()

    def _wait(self, seconds: float) -> None:
        """Sleep, waking at once when stopped."""
        self._stop.wait(seconds)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        self.fetcher.close()

    # -- the loop ------------------------------------------------------------------------------

    def run(self, *, once: bool = False, for_s: float | None = None) -> list[PollReport]:
        """Poll due sources until stopped (``once``: one round; ``for_s``: at most that long)."""
        deadline = None if for_s is None else self.monotonic() + for_s
        reports: list[PollReport] = []
        if self.webhooks is not None and not once:
            self.webhooks.start()
        try:
            while not self.stopping:
                reports += self.poll_due(deadline)
                if once:
                    break
                wait = self._idle_s(deadline)
                if wait is None:
                    break
                self.sleep(wait)
        finally:
            if self.webhooks is not None:
                if once and isinstance(self.store, WatchStore) and self.store.list_watchlists():
                    self.webhooks.deliver_once()
                self.webhooks.stop()
        LOGGER.info("follow: stopped after %d polls", len(reports))
        return reports

    def poll_due(self, deadline: float | None = None) -> list[PollReport]:
        """Poll every source due now, in due order (stops early when asked to)."""
        reports = []
        for source in self.store.due_sources(self.clock()):
            if self.stopping or (deadline is not None and self.monotonic() >= deadline):
                break
            reports.append(self.poll_source(source))
        return reports

    def poll_source(self, source: Source) -> PollReport:
        """Poll ``source``, store what it holds, save its new state; never raises for a bad source."""
        now = self.clock()
        wait = self.gate.wait_s(host_of(source.url))
        if wait <= MAX_HOST_WAIT_S and (self.lock is None or self.lock.try_acquire()):
            try:
                return self._poll(source, now)
            finally:
                if self.lock is not None:
                    self.lock.release()
        wait = max(wait, LOCK_RETRY_S)  # put off: its host asked to wait, or another writer is busy
        later = dataclasses.replace(source, next_due_at=now + timedelta(seconds=wait))
        self.store.save_source_state(later)
        return PollReport(source.id, source.url, None, 0, deferred=True)

    def _poll(self, source: Source, now: datetime) -> PollReport:
        try:
            outcome = self.poller.poll(source)
            stats = self._store_items(outcome.items)
        except Exception as e:  # one broken source or run must not end months of following
            LOGGER.exception("follow: polling %s failed", source.url)
            outcome, stats = (
                PollOutcome(error=f"internal: {type(e).__name__}: {e}", kind=source.kind),
                RunStats(),
            )
        failures = 0 if outcome.ok else source.consecutive_failures + 1
        updated = dataclasses.replace(
            source,
            etag=outcome.etag if outcome.ok else source.etag,
            last_modified=outcome.last_modified if outcome.ok else source.last_modified,
            kind=outcome.kind or source.kind,
            last_poll_at=now,
            last_status=outcome.status,
            last_new_items=stats.stored,
            consecutive_failures=failures,
            next_due_at=self.backoff.next_due(self.clock(), source.every_s, failures, outcome.retry_after_s),
            last_error=outcome.error,
        )
        self.store.save_source_state(updated)
        if outcome.error:
            LOGGER.warning("follow: %s: %s (failure %d)", source.url, outcome.error, failures)
        else:
            LOGGER.info("follow: %s: %s, %d new", source.url, outcome.status, stats.stored)
        return PollReport(
            source.id, source.url, outcome.status, stats.stored, outcome.error, outcome.not_modified
        )

    # -- helpers -------------------------------------------------------------------------------

    def _store_items(self, items: Iterable[RawDoc | Rejection]) -> RunStats:
        """Run the pipeline over ``items`` (nothing to restore when there are none)."""
        iterator = iter(items)
        first = next(iterator, None)
        if first is None:
            return RunStats()
        components = self._restored()
        try:
            stats = run(itertools.chain([first], iterator), components, self.store, on_stored=self._on_stored)
        except BaseException:
            self._components = None
            raise
        self._mark_after = self._mark()
        return stats

    def _restored(self) -> Components:
        """The pipeline's components, restored from the store once (again only if it changed under us)."""
        if self._components is not None and self._mark() != self._mark_after:
            LOGGER.info("follow: another writer added articles: restoring the pipeline state")
            self._components = None
        if self._components is None:
            self._components = self.make_components(self.settings, self.store)
            self.restores += 1
        return self._components

    def _mark(self) -> int | None:
        """The store's last article position, when it keeps one."""
        return self.store.last_seq() if isinstance(self.store, WatchStore) else None

    def _on_stored(self, batch: Batch) -> None:
        """Raise watchlist alerts for a committed batch, and wake webhook delivery."""
        if isinstance(self.store, WatchStore):
            from storyline.alerts import on_batch

            on_batch(cast(Any, self.store), batch)
            if self.webhooks is not None:
                self.webhooks.wake()

    def _polite_get(self, url: str) -> Fetched:
        """A plain GET through the host gate (robots.txt)."""
        with self.gate.slot(url):
            return self.fetcher.fetch(url)

    def _idle_s(self, deadline: float | None) -> float | None:
        """Seconds to sleep before the next source is due (None: the run's time is up)."""
        now = self.clock()
        pending = [s.next_due_at for s in self.store.list_sources() if not s.paused]
        wait = IDLE_MAX_S
        for due in pending:
            wait = min(wait, 0.0 if due is None else (due - now).total_seconds())
        if deadline is not None:
            left = deadline - self.monotonic()
            if left <= 0:
                return None
            wait = min(wait, left)
        return max(wait, 0.01)
