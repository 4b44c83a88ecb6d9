"""Counting a run and collecting one store transaction's worth of results."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.embed import ArticleVectors
from storyline.embed.sentence_rows import cached_rows_from_ingest, sentence_key
from storyline.errors import StoreError
from storyline.model import (
    Article,
    Assignment,
    Batch,
    BoilerplateCount,
    Entity,
    Figure,
    Mention,
    Quote,
    RawDoc,
    Rejection,
    ResolvedFacts,
    Story,
    StoryEvent,
    Storyline,
    TimeMention,
)
from storyline.store import SentenceRowStore, StoryWriter
from storyline.stories.assign import AssignOutcomeLike

LOGGER = logging.getLogger(__name__)


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


class BatchWriter:
    """Collects one batch and commits it; counts articles as stored only after the commit."""

    def __init__(
        self, store: StoryWriter, stats: RunStats, *, on_stored: Callable[[Batch], object] | None = None
    ) -> None:
        self.store, self.stats = store, stats
        self.on_stored = on_stored
        self._reset()

    def _reset(self) -> None:
        self.articles: list[Article] = []
        self.raws: list[RawDoc] = []
        self.rejections: list[Rejection] = []
        self.minhashes: dict[str, bytes] = {}
        self.vectors: dict[str, tuple[str, bytes]] = {}
        self.assignments: list[Assignment] = []
        self.stories: dict[str, Story] = {}
        self.story_states: dict[str, bytes] = {}
        self.storylines: dict[str, Storyline] = {}
        self.events: list[StoryEvent] = []
        self.entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        self.quotes: list[Quote] = []
        self.time_mentions: list[TimeMention] = []
        self.figures: list[Figure] = []
        self.sentence_rows: dict[str, dict[str, tuple[tuple[tuple[int, int], ...], bytes]]] = {}
        self.boilerplate: dict[tuple[str, int], BoilerplateCount] = {}

    def add_boilerplate(self, changes: tuple[BoilerplateCount, ...]) -> None:
        """Keep the boilerplate index rows one article changed; a row changed twice is written once, last."""
        self.boilerplate.update(((c.outlet, c.key), c) for c in changes)

    def add_outcome(self, outcome: AssignOutcomeLike, vectors: ArticleVectors) -> None:
        """Keep one assignment's results; a story changed twice in a batch is written once, last."""
        self.assignments.append(outcome.assignment)
        self.vectors[outcome.assignment.article_id] = (vectors.embedder, vectors.document.tobytes())
        self.stories.update((s.id, s) for s in outcome.stories)
        self.story_states.update(outcome.story_states)
        self.storylines.update((line.id, line) for line in outcome.storylines)
        self.events.extend(outcome.events)

    def add_sentence_rows(self, article: Article, vectors: ArticleVectors) -> None:
        """Keep an original's sentence rows for the digest's cache (written after the commit)."""
        entry = cached_rows_from_ingest(article, vectors)
        if entry is not None:
            self.sentence_rows.setdefault(sentence_key(vectors.embedder), {})[article.id] = entry

    def add_facts(self, facts: ResolvedFacts) -> None:
        """Keep one article's facts; an entity changed twice in a batch is written once, last."""
        self.entities.update((e.id, e) for e in facts.entities)
        self.mentions.extend(facts.mentions)
        self.quotes.extend(facts.quotes)
        self.time_mentions.extend(facts.time_mentions)
        self.figures.extend(facts.figures)

    def __len__(self) -> int:
        return len(self.articles) + len(self.rejections)

    def flush(self) -> None:
        if not len(self) and not self.assignments and not self.boilerplate:  # a rebuild: no articles
            return
        batch = Batch(
            articles=tuple(self.articles),
            raws=tuple(self.raws),
            rejections=tuple(self.rejections),
            minhashes=self.minhashes,
            vectors=self.vectors,
            assignments=tuple(self.assignments),
            stories=tuple(self.stories.values()),
            story_states=self.story_states,
            storylines=tuple(self.storylines.values()),
            events=tuple(self.events),
            entities=tuple(self.entities.values()),
            mentions=tuple(self.mentions),
            quotes=tuple(self.quotes),
            time_mentions=tuple(self.time_mentions),
            figures=tuple(self.figures),
            boilerplate=tuple(self.boilerplate.values()),
        )
        self.store.write_batch(batch)
        self._cache_sentences()
        self.stats.stored += len(self.articles)
        self.stats.duplicates += sum(1 for a in self.articles if a.duplicate_of)
        self.stats.rejected += len(self.rejections)
        self.stats.reasons.update(r.reason for r in self.rejections)
        LOGGER.info(
            "store: %d articles (%d duplicates), %d rejections, %d quotes, %d entities committed",
            len(self.articles),
            sum(1 for a in self.articles if a.duplicate_of),
            len(self.rejections),
            len(self.quotes),
            len(self.entities),
        )
        self._reset()
        if self.on_stored is not None:
            self._after_commit(self.on_stored, batch)

    def _cache_sentences(self) -> None:
        """Best effort: a cache, rebuilt by the digest on demand when missing."""
        if not self.sentence_rows or not isinstance(self.store, SentenceRowStore):
            return
        try:
            for key, rows in self.sentence_rows.items():
                self.store.put_sentence_vectors(key, rows)
        except StoreError as e:
            LOGGER.warning("store: sentence rows not cached: %s", e)

    @staticmethod
    def _after_commit(hook: Callable[[Batch], object], batch: Batch) -> None:
        """Run a post-commit hook (alerts); its failure never fails the run: what it missed is caught
        up later from a cursor (``storyline alerts``)."""
        try:
            hook(batch)
        except Exception as e:
            LOGGER.warning("after-commit hook failed (caught up later): %s: %s", type(e).__name__, e)
