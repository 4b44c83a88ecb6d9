"""One poll of one source: a conditional GET, then the items its answer holds.

- ``If-None-Match``/``If-Modified-Since`` carry the stored ``ETag``/``Last-Modified``; a 304 means
  nothing new (no items, still a success).
- A 429 or 503 with ``Retry-After`` blocks the host in the ``HostGate`` for that long.
- A source first seen as a feed that answers with something else (a login wall, an error page served
  with 200) is a failure (``not_a_feed``, stored as a rejection), not a new "article".
- With ``fetch_links`` each entry's page is fetched through ``LinkFetcher``: robots.txt is obeyed,
  the host's politeness gap kept, and a page whose article is already stored is not fetched again.

The items are produced lazily: linked pages are fetched while the pipeline reads them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from storyline.errors import FetchError
from storyline.extract.urls import canonical_url
from storyline.follow.hosts import MAX_HOST_WAIT_S, HostGate, host_of
from storyline.follow.robots import RobotsCache
from storyline.follow.schedule import parse_retry_after
from storyline.ingest import Fetched, Fetcher, HttpStatusError, is_feed, iter_fetched
from storyline.model import RawDoc, Rejection, Source, stable_id
from storyline.settings import Settings

__all__ = ["LinkFetcher", "PollOutcome", "Poller"]

LOGGER = logging.getLogger(__name__)

ALREADY_STORED = "already_stored"
_BLOCKING = (429, 503)


class StoredIds(Protocol):
    def existing_article_ids(self, ids: Sequence[str]) -> set[str]: ...


@dataclass
class PollOutcome:
    """What one poll found. ``error`` is empty when the poll succeeded (a 304 included)."""

    status: int | None = None
    error: str = ""
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    retry_after_s: float | None = None
    not_modified: bool = False
    items: Iterable[RawDoc | Rejection] = ()
    skipped_links: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


class LinkFetcher(Fetcher):
    """The ``Fetcher`` a feed's links go through: robots.txt, politeness, and no second fetch of a
    page already stored (refused with reason ``already_stored``, which the poll drops and counts)."""

    def __init__(self, inner: Fetcher, gate: HostGate, robots: RobotsCache, store: StoredIds) -> None:
        super().__init__(settings=inner.settings, transport=inner.transport)
        self.inner, self.gate, self.robots, self.store = inner, gate, robots, store

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        canonical = canonical_url(url)
        if canonical and self.store.existing_article_ids([stable_id("url", canonical)]):
            raise FetchError(ALREADY_STORED, f"{url}: already stored")
        if (wait := self.gate.wait_s(host_of(url))) > MAX_HOST_WAIT_S:
            raise FetchError("host_busy", f"{url}: its host asked to wait {wait:.0f} s more")
        if not self.robots.allowed(url):
            raise FetchError("robots_disallowed", f"{url}: robots.txt disallows {self.settings.user_agent}")
        with self.gate.slot(url):
            return self.inner.fetch(url, headers=headers)

    def close(self) -> None:
        """The inner fetcher is the loop's: it closes it."""


class Poller:
    """Polls sources over one ``Fetcher`` (reused across polls), keeping hosts' gaps in ``gate``."""

    def __init__(
        self,
        fetcher: Fetcher,
        gate: HostGate,
        robots: RobotsCache,
        store: StoredIds,
        settings: Settings,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.fetcher, self.gate, self.robots, self.store = fetcher, gate, robots, store
        self.settings = settings
        self.clock = clock
        self.links = LinkFetcher(fetcher, gate, robots, store)

    def __repr__(self) -> str:
        return f"Poller(gate={self.gate!r})"

    def poll(self, source: Source) -> PollOutcome:
        """Fetch ``source`` (conditionally) and say what came back; never raises for a bad answer."""
        headers = {}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        try:
            with self.gate.slot(source.url):
                page = self.fetcher.fetch(source.url, headers=headers or None)
        except HttpStatusError as e:
            return self._refused(source, e)
        except FetchError as e:
            return PollOutcome(error=f"{e.reason}: {e.detail}", kind=source.kind)
        etag = page.headers.get("etag") or source.etag
        modified = page.headers.get("last-modified") or source.last_modified
        if page.status == 304:
            return PollOutcome(304, etag=etag, last_modified=modified, kind=source.kind, not_modified=True)
        kind = "feed" if is_feed(page) else "page"
        if source.kind == "feed" and kind != "feed":
            detail = f"{source.url}: was a feed, now answers {page.content_type or 'unknown type'}"
            rejection = Rejection(source.url, "fetch", "not_a_feed", detail)
            return PollOutcome(page.status, f"not_a_feed: {detail}", kind="feed", items=[rejection])
        outcome = PollOutcome(
            page.status,
            etag=page.headers.get("etag"),
            last_modified=page.headers.get("last-modified"),
            kind=kind,
        )
        settings = self.settings.replace(fetch_feed_links=source.fetch_links)
        outcome.items = self._drop_stored(iter_fetched(page, settings, self.links), outcome.skipped_links)
        return outcome

    def _refused(self, source: Source, e: HttpStatusError) -> PollOutcome:
        wait = None
        if e.status in _BLOCKING:
            wait = parse_retry_after(e.headers.get("retry-after"), self.clock())
            if wait is not None:
                self.gate.block(host_of(source.url), wait)
        return PollOutcome(e.status, f"{e.reason}: {e.detail}", kind=source.kind, retry_after_s=wait)

    @staticmethod
    def _drop_stored(items: Iterable[RawDoc | Rejection], skipped: list[str]) -> Iterator[RawDoc | Rejection]:
        """``items`` less the links not fetched because their article is stored (listed in ``skipped``)."""
        for item in items:
            if isinstance(item, Rejection) and item.stage == "fetch" and item.reason == ALREADY_STORED:
                skipped.append(item.origin)
                continue
            yield item
