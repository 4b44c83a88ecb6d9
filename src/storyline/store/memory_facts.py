"""The facts side of ``MemoryStore``: the same behaviour as ``sqlite_facts``, in dicts."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from storyline.model import Article, ArticleFacts, Batch, Entity, Figure, Mention, Quote, TimeMention

Span = tuple[str, int, int]


class MemoryFactStore:
    """Mixed into ``MemoryStore``, which provides ``_lock``, ``_articles``, ``_seq``, ``_members``."""

    _lock: threading.RLock
    _articles: dict[str, Article]
    _seq: dict[str, int]
    _members: dict[str, str]

    def _init_facts(self) -> None:
        self._entities: dict[str, tuple[int, Entity]] = {}
        self._mentions: dict[Span, Mention] = {}
        self._quotes: dict[Span, Quote] = {}
        self._times: dict[Span, TimeMention] = {}
        self._figures: dict[Span, Figure] = {}

    def _write_facts(self, batch: Batch) -> None:
        for e in batch.entities:
            seq = self._entities.get(e.id, (len(self._entities) + 1, e))[0]
            self._entities[e.id] = (seq, e)
        for m in batch.mentions:
            self._mentions.setdefault((m.article_id, m.start, m.end), m)
        for q in batch.quotes:
            self._quotes.setdefault((q.article_id, q.start, q.end), q)
        for t in batch.time_mentions:
            self._times.setdefault((t.article_id, t.start, t.end), t)
        for f in batch.figures:
            self._figures.setdefault((f.article_id, f.start, f.end), f)

    def list_entities(self, *, type: str | None = None, limit: int = 50, offset: int = 0) -> list[Entity]:
        """Entities, most mentioned first."""
        with self._lock:
            rows = sorted(self._entities.values(), key=lambda p: (-p[1].n_mentions, p[0]))
        found = [e for _, e in rows if type is None or e.type == type]
        return found[offset : offset + limit]

    def get_entity(self, entity_id: str) -> Entity | None:
        with self._lock:
            found = self._entities.get(entity_id)
        return None if found is None else found[1]

    def find_entities(self, name: str, *, limit: int = 10) -> list[Entity]:
        """Entities named ``name`` or with ``name`` among their aliases (case-insensitive)."""
        key = name.casefold()
        return [
            e
            for e in self.list_entities(limit=len(self._entities))
            if e.name.casefold() == key or any(a.casefold() == key for a in e.aliases)
        ][:limit]

    def iter_entities(self) -> Iterator[Entity]:
        """Every entity in the order created."""
        with self._lock:
            return iter([e for _, e in sorted(self._entities.values(), key=lambda p: p[0])])

    def _reporting_order(self, quote: Quote) -> tuple[bool, str, int, int]:
        article = self._articles[quote.article_id]
        at = article.published_at
        return (at is None, at.isoformat() if at else "", self._seq[quote.article_id], quote.start)

    def list_quotes(
        self,
        *,
        speaker_entity_id: str | None = None,
        speaker: str | None = None,
        story_id: str | None = None,
        article_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
        min_confidence: float | None = None,
    ) -> list[Quote]:
        """Quotes in reporting order (undated articles last), filtered as asked."""
        with self._lock:
            found = [
                q
                for q in self._quotes.values()
                if q.article_id in self._articles
                and (speaker_entity_id is None or q.speaker_entity_id == speaker_entity_id)
                and (speaker is None or speaker.casefold() in (q.speaker or "").casefold())
                and (story_id is None or self._members.get(q.article_id) == story_id)
                and (article_id is None or q.article_id == article_id)
                and (min_confidence is None or (q.confidence is not None and q.confidence >= min_confidence))
            ]
            found.sort(key=self._reporting_order)
        return found[offset : offset + limit]

    def article_facts(self, article_id: str) -> ArticleFacts:
        """Mentions, quotes, time mentions and figures of one article, in text order."""
        with self._lock:
            return ArticleFacts(
                mentions=tuple(sorted((m for m in self._mentions.values() if m.article_id == article_id),
                                      key=lambda m: m.start)),
                quotes=tuple(sorted((q for q in self._quotes.values() if q.article_id == article_id),
                                    key=lambda q: q.start)),
                time_mentions=tuple(sorted((t for t in self._times.values() if t.article_id == article_id),
                                           key=lambda t: t.start)),
                figures=tuple(sorted((f for f in self._figures.values() if f.article_id == article_id),
                                     key=lambda f: f.start)),
            )  # fmt: skip
