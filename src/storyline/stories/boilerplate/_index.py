"""The boilerplate index: per outlet, how many distinct earlier articles held each unit.

``BoilerplateIndex.observe(article)`` decides, then learns, in input order:

1. The stream clock advances to the article's publication time (an undated article is "now").
2. Each unit of the article (``_units``) whose key ``min_articles`` or more distinct earlier articles
   of the same outlet held (one more for a word run: ``needs``) is boilerplate: its span goes into
   ``Article.boilerplate`` (text) or ``Article.title_boilerplate`` (title).
3. Unless the article copies an earlier one (``duplicate_of``: a near-copy repeats everything, so
   its lines say nothing about the outlet), each of its keys is counted once more for its outlet.

The state stays bounded: a count whose last article is more than ``window_days`` older than the
clock is forgotten (read as absent at once; dropped from memory by ``prune``, every
``PRUNE_EVERY`` articles, and first when an outlet passes its bound), and an outlet keeps at most
``max_keys`` keys (beyond, the keys seen once go first, oldest first, then the oldest, down to three
quarters of the bound). Neither sweep changes a decision: an index restored with only the live
counts decides as the one that still holds expired ones.

Every change is returned as ``BoilerplateCount`` rows (``n_articles`` 0: dropped): the pipeline
writes an article's rows in the same transaction as the article, and ``load`` (with the clock from
the store's latest publication time and the rows last seen since ``since()``) restores an index that
decides exactly as the uninterrupted one would.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storyline.model import Article, BoilerplateCount
from storyline.settings import Settings
from storyline.stories.boilerplate._units import GRAM, Unit, text_units, title_units

__all__ = ["NO_TIME", "BoilerplateIndex", "Marked", "merge_spans", "outlet_of"]

LOGGER = logging.getLogger(__name__)

NO_TIME = -(2**63)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400_000_000
#: Articles learned between two sweeps of expired counts out of memory (``prune``).
PRUNE_EVERY = 4096


def _us(at: datetime | None) -> int:
    if at is None:
        return NO_TIME
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return (at - _EPOCH) // timedelta(microseconds=1)


def outlet_of(article: Article) -> str | None:
    """The outlet whose articles are compared: the article's ``source`` (the site name, the host of
    its URL or the source a feed or record named), case-folded; None when unknown."""
    source = (article.source or "").strip().casefold()
    return source or None


def merge_spans(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``spans`` sorted, with overlapping or touching ones merged."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True, slots=True)
class Marked:
    """An article with its boilerplate spans set, and the index rows that learning it changed."""

    article: Article
    changes: tuple[BoilerplateCount, ...]


class BoilerplateIndex:
    """Per-outlet unit counts; see the module docstring."""

    def __init__(self, *, min_articles: int = 1, window_days: float = 90.0, max_keys: int = 4096) -> None:
        self.min_articles = min_articles
        self.window_days = window_days
        self.max_keys = max_keys
        self.window_us = int(window_days * _DAY_US)
        self.now_us = NO_TIME
        self._outlets: dict[str, dict[int, tuple[int, int]]] = {}
        self._learned = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> BoilerplateIndex:
        """An empty index with ``settings``' ``boilerplate_*`` values."""
        return cls(
            min_articles=settings.boilerplate_min_articles,
            window_days=settings.boilerplate_window_days,
            max_keys=settings.boilerplate_max_keys,
        )

    def __repr__(self) -> str:
        return (
            f"BoilerplateIndex(min_articles={self.min_articles}, window_days={self.window_days:g}, "
            f"max_keys={self.max_keys})"
        )

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._outlets.values())

    def tick(self, published: datetime | None) -> None:
        """Advance the clock to ``published`` (the clock never goes back)."""
        if published is not None:
            self.now_us = max(self.now_us, _us(published))

    def since(self) -> datetime | None:
        """The oldest last-seen time a live count can have now (None: any)."""
        if self.window_us == 0 or self.now_us == NO_TIME:
            return None
        return _EPOCH + timedelta(microseconds=self.now_us - self.window_us)

    def _expired(self, last_us: int) -> bool:
        return (
            self.window_us > 0
            and self.now_us != NO_TIME
            and last_us != NO_TIME
            and self.now_us - last_us > self.window_us
        )

    def load(self, rows: Iterable[BoilerplateCount]) -> int:
        """Take back stored rows (call ``tick`` with the store's latest publication time first)."""
        n = 0
        for row in rows:
            last = NO_TIME if row.last_seen_us is None else row.last_seen_us
            if row.n_articles > 0 and not self._expired(last):
                self._outlets.setdefault(row.outlet, {})[row.key] = (row.n_articles, last)
                n += 1
        LOGGER.info("boilerplate: restored %d unit counts of %d outlets", n, len(self._outlets))
        return n

    def count(self, outlet: str, key: int) -> int:
        """How many distinct earlier articles of ``outlet`` held ``key`` (within the window)."""
        entry = self._outlets.get(outlet, {}).get(key)
        return 0 if entry is None or self._expired(entry[1]) else entry[0]

    def observe(self, article: Article) -> Marked:
        """Decide ``article``'s boilerplate spans, then count its units (see the module docstring)."""
        self.tick(article.published_at)
        outlet = outlet_of(article)
        if outlet is None or self.min_articles <= 0:
            return Marked(article, ())
        units = text_units(article.text)
        titled = title_units(article.title)
        marked = dataclasses.replace(
            article,
            boilerplate=self._spans(outlet, units),
            title_boilerplate=self._spans(outlet, titled),
        )
        if article.duplicate_of is not None:
            return Marked(marked, ())
        self._learned += 1
        if self._learned % PRUNE_EVERY == 0:
            self.prune()
        return Marked(marked, self._learn(outlet, article, [*units, *titled]))

    def needs(self, kind: int) -> int:
        """Earlier articles a unit of ``kind`` must have been seen in to be boilerplate: a word run
        (``GRAM``), which may be the news itself (a phrase two reports of one event share), needs
        one more than a line, an opening or a title part."""
        return self.min_articles + (1 if kind == GRAM else 0)

    def _spans(self, outlet: str, units: list[Unit]) -> tuple[tuple[int, int], ...]:
        return merge_spans((u.start, u.end) for u in units if self.count(outlet, u.key) >= self.needs(u.kind))

    def _learn(self, outlet: str, article: Article, units: list[Unit]) -> tuple[BoilerplateCount, ...]:
        keys = self._outlets.setdefault(outlet, {})
        at = _us(article.published_at)
        at = self.now_us if at == NO_TIME else at
        changes: dict[int, tuple[int, int]] = {}
        for key in dict.fromkeys(u.key for u in units):
            n, last = keys.get(key, (0, NO_TIME))
            if self._expired(last):
                n = 0
            keys[key] = changes[key] = (n + 1, max(last, at) if n else at)
        if len(keys) > self.max_keys:
            # expired counts first (read as absent: dropping them decides nothing), then those seen
            # once, oldest first, then the oldest, down to three quarters of the bound
            for key in [k for k, (_, last) in keys.items() if self._expired(last)]:
                changes[key] = (0, keys.pop(key)[1])
            if len(keys) > self.max_keys:
                order = sorted(keys.items(), key=lambda kv: (kv[1][0] > 1, kv[1][1], kv[0]))
                for key, (_, last) in order[: len(keys) - self.max_keys * 3 // 4]:
                    del keys[key]
                    changes[key] = (0, last)
        return tuple(
            BoilerplateCount(outlet, key, n, None if last == NO_TIME else last)
            for key, (n, last) in changes.items()
        )

    def prune(self) -> int:
        """Forget every expired count and every outlet left without one (memory only: expired counts
        are read as absent, so this changes no decision); returns how many were dropped."""
        dropped = 0
        for outlet in list(self._outlets):
            keys = self._outlets[outlet]
            for key in [k for k, (_, last) in keys.items() if self._expired(last)]:
                del keys[key]
                dropped += 1
            if not keys:
                del self._outlets[outlet]
        return dropped
