"""The analyst reads of ``MemoryStore``: the same behaviour as ``sqlite_activity``, over dicts."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime

from storyline.model import Article, Mention, Story
from storyline.store.protocols import COUNT_KEYS, ArticleFilter, SearchHit, StoryActivity
from storyline.store.sqlite_activity import MAX_MERGE_DEPTH, order_counts

UNKNOWN = "unknown"
Span = tuple[str, int, int]

_ALL = ArticleFilter()


class MemoryActivityStore:
    """Mixed into ``MemoryStore`` (which provides the dicts below, ``_select`` and ``search``)."""

    _lock: threading.RLock
    _articles: dict[str, Article]
    _members: dict[str, str]
    _stories: dict[str, tuple[int, Story, bytes | None]]
    _vectors: dict[str, tuple[str, bytes]]
    _mentions: dict[Span, Mention]

    def _select(self, filters: ArticleFilter) -> list[Article]:
        raise NotImplementedError

    def search(
        self, query: str, filters: ArticleFilter = _ALL, *, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        raise NotImplementedError

    def _entity_articles(self, entity_id: str) -> set[str]:
        with self._lock:
            return {m.article_id for m in self._mentions.values() if m.entity_id == entity_id}

    def _root(self, story_id: str) -> Story | None:
        entry = self._stories.get(story_id)
        depth = 0
        while entry is not None and entry[1].merged_into is not None and depth < MAX_MERGE_DEPTH:
            entry, depth = self._stories.get(entry[1].merged_into), depth + 1
        return entry[1] if entry is not None and entry[1].merged_into is None else None

    def story_activity(
        self,
        *,
        since: datetime | None = None,
        recent: datetime | None = None,
        story_ids: Sequence[str] | None = None,
    ) -> list[StoryActivity]:
        """Live stories' articles in a period (``StoryReader.story_activity``)."""
        with self._lock:
            wanted = None
            if story_ids is not None:
                wanted = {root.id for sid in story_ids if (root := self._root(sid)) is not None}
            tallies: dict[str, tuple[Story, list[Article]]] = {}
            for article_id, story_id in self._members.items():
                article, root = self._articles.get(article_id), self._root(story_id)
                if article is None or root is None or (wanted is not None and root.id not in wanted):
                    continue
                if since is not None and (article.published_at is None or article.published_at < since):
                    continue
                tallies.setdefault(root.id, (root, []))[1].append(article)
        found = []
        for root, articles in tallies.values():
            n_recent = sum(
                1 for a in articles if recent is not None and a.published_at and a.published_at >= recent
            )
            found.append(
                StoryActivity(
                    story=root,
                    n_articles=len(articles),
                    n_recent=n_recent,
                    sources=_ranked(a.source for a in articles),
                    agencies=_ranked(a.agency for a in articles),
                    languages=_ranked(a.language for a in articles),
                )
            )
        return found

    def iter_vectors(self, embedder: str) -> Iterator[tuple[str, bytes]]:
        """Every stored vector of ``embedder``, in the order stored."""
        with self._lock:
            rows = [(aid, vec) for aid, (name, vec) in self._vectors.items() if name == embedder]
        return iter(rows)

    def count_articles_by(
        self, key: str, filters: ArticleFilter = _ALL, *, query: str | None = None
    ) -> dict[str, int]:
        """Articles counted by day, hour, language, source, agency, story or entity."""
        if key not in COUNT_KEYS:
            raise ValueError(f"cannot count by {key!r}; one of {', '.join(COUNT_KEYS)}")
        if query is not None:
            articles = [h.article for h in self.search(query, filters, limit=10**9)]
        else:
            articles = self._select(filters)
        counts: Counter[str] = Counter()
        with self._lock:
            entities: dict[str, set[str]] = {}
            if key == "entity":
                for m in self._mentions.values():
                    if m.entity_id is not None:
                        entities.setdefault(m.article_id, set()).add(m.entity_id)
            for a in articles:
                for k in self._keys_of(a, key, entities):
                    counts[k] += 1
        return order_counts(key, dict(counts))

    def _keys_of(self, a: Article, key: str, entities: dict[str, set[str]]) -> list[str]:
        if key in ("day", "hour"):
            if a.published_at is None:
                return []
            return [a.published_at.isoformat()[: 10 if key == "day" else 13]]
        if key in ("language", "source", "agency"):
            return [getattr(a, key) or UNKNOWN]
        if key == "story":
            root = self._root(self._members.get(a.id, ""))
            return [] if root is None else [root.id]
        return sorted(entities.get(a.id, ()))


def _ranked(values: Iterator[str | None] | list[str | None]) -> tuple[str, ...]:
    counts = Counter(v for v in values if v)
    return tuple(k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
