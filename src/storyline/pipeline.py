"""The only module that knows the order of the stages.

::

    RawDoc ─► extract ─► language ─► (already stored?) ─► dedup ─► store (one transaction per batch)

The per-article stages (extract, language, MinHash signature) are pure functions of one item, so
they run in a process pool over bounded windows of input, in input order; the stateful steps
(the "already stored" check, dedup, writing) run in this process, in input order, so a run is
deterministic for a given input. An article counts as stored only once its batch is committed,
so a run killed at any point loses nothing it reported, and re-running stores nothing twice.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from storyline.dedup import Deduplicator, Signature, make_signature
from storyline.errors import Rejected
from storyline.extract import extract_article
from storyline.language import with_language
from storyline.model import Article, Batch, RawDoc, Rejection
from storyline.settings import Settings
from storyline.store import StoryWriter

LOGGER = logging.getLogger(__name__)

WINDOW_BATCHES = 4


@dataclass
class RunStats:
    """Counts for one run. ``stored`` includes duplicates; ``unchanged`` were stored by an earlier run."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: ``read 12 · stored 9 (2 duplicates) · unchanged 1 · rejected 2 (no_text 2)``."""
        line = (
            f"read {self.read} · stored {self.stored} ({self.duplicates} duplicates) · "
            f"unchanged {self.unchanged} · rejected {self.rejected}"
        )
        if self.reasons:
            line += " (" + ", ".join(f"{r} {n}" for r, n in self.reasons.most_common()) + ")"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "reasons": dict(self.reasons),
        }


@dataclass(frozen=True)
class Prepared:
    """What the parallel stages hand back for one raw input."""

    raw: RawDoc
    article: Article
    signature: Signature


class Components:
    """The stateful stage objects of a run, built once per store."""

    def __init__(self, settings: Settings, *, dedup: Deduplicator) -> None:
        self.settings = settings
        self.dedup = dedup

    @classmethod
    def for_store(cls, settings: Settings, store: StoryWriter) -> Components:
        """Components primed with what ``store`` already holds (the dedup index)."""
        dedup = Deduplicator(
            shingle_words=settings.shingle_words,
            num_perm=settings.minhash_perms,
            threshold=settings.near_copy_threshold,
        )
        dedup.load(store.iter_minhashes())
        return cls(settings, dedup=dedup)


def prepare_one(item: RawDoc | Rejection, settings: Settings) -> Prepared | Rejection:
    """The per-article stages: extract, language, signature. Never raises for bad input."""
    if isinstance(item, Rejection):
        return item
    try:
        article = with_language(extract_article(item, settings))
    except Rejected as r:
        return Rejection(item.origin, r.stage, r.reason, r.detail, raw=item.body[:65_536])
    signature = make_signature(
        article.text, shingle_words=settings.shingle_words, num_perm=settings.minhash_perms
    )
    return Prepared(item, article, signature)


_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings


def _prepare_in_worker(item: RawDoc | Rejection) -> Prepared | Rejection:
    assert _WORKER_SETTINGS is not None
    return prepare_one(item, _WORKER_SETTINGS)


def _prepared(items: Iterable[RawDoc | Rejection], settings: Settings) -> Iterator[Prepared | Rejection]:
    """``prepare_one`` over ``items`` in order, in a process pool over bounded windows."""
    workers = settings.workers or min(2, os.cpu_count() or 1)
    if workers <= 1:
        for item in items:
            yield prepare_one(item, settings)
        return
    window = settings.batch_size * WINDOW_BATCHES
    ctx = multiprocessing.get_context("fork")
    iterator = iter(items)
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        while chunk := list(islice(iterator, window)):
            yield from pool.map(_prepare_in_worker, chunk, chunksize=max(1, len(chunk) // (workers * 4)))


class _BatchWriter:
    """Collects one batch and commits it; counts articles as stored only after the commit."""

    def __init__(self, store: StoryWriter, stats: RunStats) -> None:
        self.store, self.stats = store, stats
        self.articles: list[Article] = []
        self.raws: list[RawDoc] = []
        self.rejections: list[Rejection] = []
        self.minhashes: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self.articles) + len(self.rejections)

    def flush(self) -> None:
        if not len(self):
            return
        self.store.write_batch(
            Batch(tuple(self.articles), tuple(self.raws), tuple(self.rejections), dict(self.minhashes))
        )
        self.stats.stored += len(self.articles)
        self.stats.duplicates += sum(1 for a in self.articles if a.duplicate_of)
        self.stats.rejected += len(self.rejections)
        self.stats.reasons.update(r.reason for r in self.rejections)
        LOGGER.info(
            "store: %d articles (%d duplicates), %d rejections committed",
            len(self.articles),
            sum(1 for a in self.articles if a.duplicate_of),
            len(self.rejections),
        )
        self.articles, self.raws, self.rejections, self.minhashes = [], [], [], {}


def run(
    items: Iterable[RawDoc | Rejection],
    components: Components,
    store: StoryWriter,
    *,
    on_progress: Callable[[RunStats], None] | None = None,
) -> RunStats:
    """Run every stage over ``items`` and store the results; returns the counts."""
    settings = components.settings
    stats = RunStats()
    batch = _BatchWriter(store, stats)
    seen: set[str] = set()
    for result in _prepared(items, settings):
        stats.read += 1
        if isinstance(result, Rejection):
            batch.rejections.append(result)
        elif result.article.id in seen or store.existing_article_ids([result.article.id]):
            stats.unchanged += 1
        else:
            article = components.dedup.mark(result.article, result.signature)
            seen.add(article.id)
            batch.articles.append(article)
            batch.raws.append(result.raw)
            if article.duplicate_of is None:
                batch.minhashes[article.id] = result.signature.to_bytes()
        if len(batch) >= settings.batch_size:
            batch.flush()
        if on_progress is not None:
            on_progress(stats)
    batch.flush()
    if on_progress is not None:
        on_progress(stats)
    LOGGER.info("pipeline: %s", stats.summary())
    return stats
